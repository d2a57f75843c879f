"""The ``employkit`` command line.

Every command takes the centre configuration from ``--config`` (or ``EMPLOYKIT_CONFIG``,
or ``./employkit.toml`` when present). Errors in the user's data or configuration are
printed as one clear message with exit status 2 — never as a traceback.

The root group and the helpers commands share are in :mod:`employkit.cli.app`; importing
this package registers the built-in commands on it.
"""

from __future__ import annotations

from employkit.cli import audit as _audit  # noqa: F401  (each module registers its commands)
from employkit.cli import batch as _batch  # noqa: F401
from employkit.cli import commands as _commands  # noqa: F401
from employkit.cli import data as _data  # noqa: F401
from employkit.cli import eligibility as _eligibility  # noqa: F401
from employkit.cli import followup as _followup  # noqa: F401
from employkit.cli import kpi as _kpi  # noqa: F401
from employkit.cli import match as _match  # noqa: F401
from employkit.cli import profile as _profile  # noqa: F401
from employkit.cli import run as _run  # noqa: F401
from employkit.cli import serve as _serve  # noqa: F401
from employkit.cli import validate as _validate  # noqa: F401
from employkit.cli.app import (
    EXIT_USER_ERROR,
    DateType,
    EmploykitGroup,
    State,
    as_of_option,
    cli,
    echo_json,
    friendly_errors,
    main,
    to_date,
)

__all__ = [
    "EXIT_USER_ERROR",
    "DateType",
    "EmploykitGroup",
    "State",
    "as_of_option",
    "cli",
    "echo_json",
    "friendly_errors",
    "main",
    "to_date",
]
