"""The one place where records become JSON-ready data and back (cattrs).

>>> import datetime as dt
>>> from employkit.model import Placement, EmploymentType
>>> p = Placement(placement_id="P1", seeker_id="S1", employer_id="E1",
...               start_date=dt.date(2016, 3, 2), employment_type=EmploymentType.REGULAR)
>>> unstructure(p)["start_date"]
'2016-03-02'
>>> structure(unstructure(p), Placement) == p
True

Errors name the path of every bad field, e.g. ``$.openings: must be >= 1``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeVar

import cattrs
from cattrs.preconf.json import make_converter

from employkit.errors import DataError, Problem

__all__ = ["converter", "from_json", "structure", "to_json", "unstructure"]

T = TypeVar("T")

converter = make_converter(forbid_extra_keys=True)
converter.register_unstructure_hook(frozenset, lambda s: sorted(converter.unstructure(v) for v in s))
converter.register_unstructure_hook(MappingProxyType, lambda m: {k: converter.unstructure(v) for k, v in m.items()})
converter.register_unstructure_hook(dt.date, lambda d: d.isoformat())
converter.register_structure_hook(dt.date, lambda v, _: v if isinstance(v, dt.date) else dt.date.fromisoformat(v))


def _any(value: Any, _type: Any) -> Any:
    return value


converter.register_structure_hook(Any, _any)


def unstructure(obj: Any) -> Any:
    """``obj`` as plain JSON-ready data (dicts, lists, strings, numbers)."""
    return converter.unstructure(obj)


def structure(data: Any, cls: type[T], *, origin: str | None = None) -> T:
    """Build a ``cls`` from plain data; raise :class:`DataError` naming each bad path.

    Data holding a resident registration number anywhere (a text, a key, a number that
    lost its leading zeros, a list ``[870412, 2931746]``) is refused, the number unshown.
    """
    from employkit.sources.cells import RRN_REASON, mask_rrn, rrn_path

    found = rrn_path(data)
    if found is not None:
        raise DataError(
            [Problem(reason=RRN_REASON, file=origin, column=mask_rrn(found))], f"cannot read {cls.__name__}"
        )
    try:
        return converter.structure(data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        raise DataError(_problems(exc, origin), f"cannot read {cls.__name__}") from None


def _problems(exc: BaseException, origin: str | None) -> list[Problem]:
    messages = cattrs.transform_error(exc, path="$") if isinstance(exc, cattrs.BaseValidationError) else [str(exc)]
    problems = []
    for message in messages:
        reason, _, path = message.rpartition(" @ ")
        problems.append(Problem(reason=reason or message, file=origin, column=path or None))
    return problems


def to_json(obj: Any, *, indent: int | None = None) -> str:
    """``obj`` as JSON text (UTF-8, Korean kept readable), resident numbers masked."""
    from employkit.sources.cells import mask_data

    return json.dumps(mask_data(unstructure(obj)), ensure_ascii=False, indent=indent)


def from_json(text: str | bytes, cls: type[T]) -> T:
    """Parse JSON text into a ``cls``; raise :class:`DataError` naming each bad path."""
    try:
        data: Mapping[str, Any] = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError([Problem(reason=f"not valid JSON: {exc.msg}", row=exc.lineno)]) from None
    return structure(data, cls)
