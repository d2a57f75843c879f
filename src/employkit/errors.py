"""The errors employkit raises.

All derive from :class:`EmploykitError`, so a caller (and the CLI) can catch one type.
Each message says what was wrong and where: file, row, column, key or pack.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from attrs import Factory, field, frozen

from employkit.problems import describe, render_path

__all__ = [
    "ConfigError",
    "DataError",
    "EmploykitError",
    "InvalidArgument",
    "InvalidValue",
    "LimitExceeded",
    "NotFound",
    "PackFailure",
    "ParameterError",
    "PluginLoadError",
    "Problem",
    "ReferenceDataError",
    "RuleConflictError",
    "RuleNotFound",
    "UnknownCode",
    "UnsupportedType",
]


class EmploykitError(Exception):
    """Base class of every error employkit raises on purpose."""


def _path(value: Iterable[str | int]) -> tuple[str | int, ...]:
    if isinstance(value, str):
        raise UnsupportedType("a Problem's path is a tuple of keys and indexes, not a text")
    return tuple(value)


def _known_code(_inst: object, _attribute: object, value: str) -> None:
    describe(value)  # KeyError naming the known codes


def _korean(problem: Problem) -> str:
    return describe(problem.code).ko


@frozen
class Problem:
    """One thing wrong with an input, located as precisely as the input allows.

    A file's problem names its ``file``, ``table``, ``row`` and ``column``; a JSON input's
    its ``path`` (keys and list indexes from the top, e.g. ``("seekers", 0, "intake",
    "motivation")``, shown as ``$.seekers[0].intake.motivation``). ``code`` is the kind of
    problem, one of :data:`employkit.problems.CODES`; ``reason`` says it in English for a
    developer, ``reason_ko`` in Korean for a counsellor (by default the catalogue's Korean
    message of the code). ``value`` is the offending value as text, masked where personal.

    >>> p = Problem("not a whole number", value="1800000.5", code="not_whole", path=("desired_wage",))
    >>> p.location, p.reason_ko
    ('$.desired_wage', '정수가 아닙니다 (소수점이 있는 값)')
    """

    reason: str
    file: str | None = None
    table: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    severity: str = "error"
    code: str = field(default="invalid", validator=_known_code)
    path: tuple[str | int, ...] = field(default=(), converter=_path)
    reason_ko: str = field(default=Factory(_korean, takes_self=True))

    @property
    def location(self) -> str | None:
        """The JSON path as text (``$.seekers[0].birth_year``), or ``None`` for a file's problem."""
        return render_path(self.path) if self.path else None

    def __str__(self) -> str:
        where = [p for p in (self.file, self.table) if p]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        if self.path:
            where.append(render_path(self.path))
        place = ", ".join(where)
        shown = f" (value {self.value!r})" if self.value is not None else ""
        return f"{place}: {self.reason}{shown}" if place else f"{self.reason}{shown}"


class DataError(EmploykitError):
    """Input data is invalid; ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem], summary: str = "invalid data") -> None:
        self.problems = tuple(problems)
        lines = [f"{summary}: {len(self.problems)} problem(s)"]
        lines += [f"  - {p}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  … and {len(self.problems) - 50} more")
        super().__init__("\n".join(lines))


class ConfigError(EmploykitError):
    """A centre configuration (``employkit.toml``) is invalid."""


class LimitExceeded(DataError):
    """An input is larger than a configured limit (``[data] max_rows`` and the like)."""


class ParameterError(EmploykitError):
    """A parameter file is invalid, or a parameter has no value in force on a date."""


class PluginLoadError(EmploykitError):
    """A rule pack could not be loaded (raised only in strict mode)."""


class PackFailure(EmploykitError):
    """Code of a pack failed while employkit called it; the pack is recorded as failed.

    ``pack`` is the pack's name, ``stage`` the hook or ``rule_id.method`` that failed.
    """

    def __init__(self, message: str, pack: str = "", stage: str = "") -> None:
        super().__init__(message)
        self.pack = pack
        self.stage = stage


class RuleConflictError(EmploykitError):
    """Two packs define the same rule or parameter and neither declared the override."""


class RuleNotFound(EmploykitError, LookupError):
    """No active pack provides the rule or parameter asked for."""


class OutputError(EmploykitError):
    """An output cannot be written where asked (e.g. the folder holds other files)."""


# The four classes below keep the built-in exception a caller may already catch
# (``except ValueError``) while joining the hierarchy, so catching EmploykitError is enough.


class InvalidArgument(EmploykitError, ValueError):
    """A function was called with an argument outside what it accepts.

    For example a count below 1, an unknown method or format name, or arrays of different
    lengths. The message names the argument and what it accepts.
    """


class InvalidValue(EmploykitError, ValueError):
    """A value of a record, a cell or a label is not valid; the message names the field and why."""


class NotFound(EmploykitError, KeyError):
    """A lookup by key (a component of a result, a KPI of a report, a column) found nothing."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return str(self.args[0]) if self.args else ""


class UnknownCode(NotFound, InvalidValue):
    """A code (region, occupation) is well formed but not in employkit's code tables.

    It is both a :class:`KeyError` and a :class:`ValueError`, as the lookups it replaced raised one
    or the other.
    """


class ReferenceDataError(EmploykitError, ValueError):
    """A reference table shipped with employkit (region or occupation codes) is malformed."""


class UnsupportedType(EmploykitError, TypeError):
    """An object of a type a function does not handle was passed to it; the message names the type."""
