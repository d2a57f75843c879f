"""The tables of a follow-up policy: contact points, outcome rows, actions, read from dated parameters.

Each reader takes a parameter's value (a list of TOML tables) and its id, checks every row and
names the parameter and row in each error. :class:`~employkit.followup.policies.TablePolicy`
runs the tables; :class:`PolicyParameters` names the parameter ids a policy reads them from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from employkit.errors import ParameterError
from employkit.followup.calendar import add_months
from employkit.labels import Text
from employkit.model import EmploymentType, FollowUpOutcome

if TYPE_CHECKING:
    pass

__all__ = [
    "CLOSE",
    "MISSED",
    "PRE_END",
    "PRE_END_LABEL",
    "RETRY",
    "ActionSpec",
    "ContactPoint",
    "OutcomeRow",
    "PolicyParameters",
    "PolicyTables",
    "parsed_once",
    "read_actions",
    "read_contacts",
    "read_outcomes",
    "read_results",
    "whole_number",
]

#: The kind of the check before a contract ends (계약만료 전 사후관리).
PRE_END = "pre_contract_end"

#: The label of that check, and the action codes every outcome table must define or the engine uses.
PRE_END_LABEL = Text("계약만료 1개월 전 확인", "check before the contract ends")
RETRY = "retry"
MISSED = "missed"
CLOSE = "close"


@frozen
class PolicyParameters:
    """The parameter ids a :class:`TablePolicy` reads, one per role.

    A district variant changes the ids of the tables it redefines and keeps the national
    ones for the rest.
    """

    contacts: str = "followup.contacts"
    pre_end_types: str = "followup.pre_end.types"
    pre_end_lead_months: str = "followup.pre_end.lead_months"
    outcomes: str = "followup.outcomes"
    actions: str = "followup.actions"
    results: str = "followup.results"
    retry_business_days: str = "followup.retry.business_days"
    retry_limit: str = "followup.retry.limit"

    def ids(self) -> tuple[str, ...]:
        """Every parameter id, for :attr:`RuleMeta.parameters`."""
        return (
            self.contacts,
            self.pre_end_types,
            self.pre_end_lead_months,
            self.outcomes,
            self.actions,
            self.results,
            self.retry_business_days,
            self.retry_limit,
        )


@frozen(kw_only=True)
class ContactPoint:
    """A routine contact: an offset from the start date."""

    kind: str
    label: Text
    days: int = 0
    weeks: int = 0
    months: int = 0

    def nominal(self, start: dt.date) -> dt.date:
        """The date this contact falls on before business days are applied."""
        return add_months(start, self.months) + dt.timedelta(days=self.days + 7 * self.weeks)


@frozen(kw_only=True)
class OutcomeRow:
    """One row of an outcome table: when it matches, and what it triggers."""

    index: int
    outcomes: frozenset[str]
    types: frozenset[str] = frozenset()
    contacts: frozenset[str] = frozenset()
    actions: tuple[str, ...] = ()
    close: str | None = None

    def matches(self, employment_type: str, kind: str, outcome: str) -> bool:
        """Whether the row applies to this employment type, contact kind and outcome."""
        return (
            outcome in self.outcomes
            and (not self.types or employment_type in self.types)
            and (not self.contacts or kind in self.contacts)
        )


@frozen(kw_only=True)
class ActionSpec:
    """An action code of the catalogue, its label and its deadline in business days."""

    code: str
    label: Text
    within: int = 0
    task: bool = True


@frozen(kw_only=True)
class PolicyTables:
    """The tables of a policy, read and checked from its parameters."""

    contacts: tuple[ContactPoint, ...]
    pre_end_types: frozenset[str]
    lead_months: int
    outcomes: tuple[OutcomeRow, ...] = ()
    actions: Mapping[str, ActionSpec] = field(factory=dict, hash=False)
    results: Mapping[str, Text] = field(factory=dict, hash=False)


# --------------------------------------------------------------------------- reading tables

_PARSED: dict[tuple[str, tuple[int, ...]], tuple[tuple[Any, ...], Any]] = {}


def parsed_once(pid: str, values: tuple[Any, ...], read: Callable[[], Any]) -> Any:
    """``read()``, once per set of parameter values.

    Parameter values are immutable and live as long as their rule system; the cache
    entry holds the values themselves, so an id is never mistaken for another's.
    """
    key = (pid, tuple(id(v) for v in values))
    hit = _PARSED.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], values, strict=True)):
        return hit[1]
    result = read()
    if len(_PARSED) > 256:
        _PARSED.clear()
    _PARSED[key] = (values, result)
    return result


def _rows(value: Any, pid: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, tuple | list) or not all(isinstance(r, Mapping) for r in value):
        raise ParameterError(f"parameter {pid}: expected a list of tables, got {value!r}")
    return list(value)


def _strings(row: Mapping[str, Any], key: str, pid: str, n: int, allowed: Iterable[str] | None) -> frozenset[str]:
    raw = row.get(key, ())
    if isinstance(raw, str) or not isinstance(raw, tuple | list) or not all(isinstance(v, str) for v in raw):
        raise ParameterError(f"parameter {pid}, row {n}: '{key}' must be a list of codes, got {raw!r}")
    if allowed is not None:
        known = set(allowed)
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ParameterError(
                f"parameter {pid}, row {n}: unknown {key} {', '.join(unknown)}; expected {', '.join(sorted(known))}"
            )
    return frozenset(raw)


def whole_number(value: Any, where: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ParameterError(f"{where}: expected a whole number ≥ {low}, got {value!r}")
    return value


def _label(row: Mapping[str, Any], where: str) -> Text:
    ko, en = row.get("ko"), row.get("en")
    if not isinstance(ko, str) or not isinstance(en, str):
        raise ParameterError(f"{where}: needs 'ko' and 'en' labels")
    return Text(ko, en)


def read_contacts(value: Any, pid: str) -> tuple[ContactPoint, ...]:
    """Contact points from a ``contacts`` table (kind, ko, en, days/weeks/months)."""
    points = []
    seen: set[str] = set()
    for n, row in enumerate(_rows(value, pid), 1):
        where = f"parameter {pid}, row {n}"
        kind = row.get("kind")
        if not isinstance(kind, str) or not kind or ":" in kind or kind == PRE_END:
            raise ParameterError(f"{where}: 'kind' must be a code without ':' other than {PRE_END!r}")
        if kind in seen:
            raise ParameterError(f"{where}: kind {kind!r} appears twice")
        seen.add(kind)
        unknown = set(row) - {"kind", "ko", "en", "days", "weeks", "months"}
        if unknown:
            raise ParameterError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        points.append(
            ContactPoint(
                kind=kind,
                label=_label(row, where),
                days=whole_number(row.get("days", 0), f"{where}: days"),
                weeks=whole_number(row.get("weeks", 0), f"{where}: weeks"),
                months=whole_number(row.get("months", 0), f"{where}: months"),
            )
        )
    return tuple(points)


def read_actions(value: Any, pid: str) -> dict[str, ActionSpec]:
    """The action catalogue (code, ko, en, within, task)."""
    out: dict[str, ActionSpec] = {}
    for n, row in enumerate(_rows(value, pid), 1):
        where = f"parameter {pid}, row {n}"
        code = row.get("code")
        if not isinstance(code, str) or not code:
            raise ParameterError(f"{where}: needs a 'code'")
        unknown = set(row) - {"code", "ko", "en", "within", "task"}
        if unknown:
            raise ParameterError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        task = row.get("task", True)
        if not isinstance(task, bool):
            raise ParameterError(f"{where}: 'task' must be true or false")
        out[code] = ActionSpec(
            code=code,
            label=_label(row, where),
            within=whole_number(row.get("within", 0), f"{where}: within"),
            task=task,
        )
    for needed in (RETRY, MISSED):
        if needed not in out:
            raise ParameterError(f"parameter {pid}: the catalogue needs the action {needed!r}")
    return out


def read_results(value: Any, pid: str) -> dict[str, Text]:
    """The closing results (code, ko, en)."""
    out: dict[str, Text] = {}
    for n, row in enumerate(_rows(value, pid), 1):
        code = row.get("code")
        if not isinstance(code, str) or not code:
            raise ParameterError(f"parameter {pid}, row {n}: needs a 'code'")
        out[code] = _label(row, f"parameter {pid}, row {n}")
    if "unreachable" not in out:
        raise ParameterError(f"parameter {pid}: needs the result 'unreachable'")
    return out


def read_outcomes(
    value: Any, pid: str, actions: Mapping[str, ActionSpec], results: Mapping[str, Text]
) -> tuple[OutcomeRow, ...]:
    """Outcome rows, checked against the outcome, type, action and result codes."""
    rows = []
    for n, row in enumerate(_rows(value, pid), 1):
        where = f"parameter {pid}, row {n}"
        unknown = set(row) - {"types", "contacts", "outcomes", "actions", "close"}
        if unknown:
            raise ParameterError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        outcomes = _strings(row, "outcomes", pid, n, [o.code for o in FollowUpOutcome])
        if not outcomes:
            raise ParameterError(f"{where}: 'outcomes' must name at least one outcome")
        codes = row.get("actions", ())
        if isinstance(codes, str) or not isinstance(codes, tuple | list):
            raise ParameterError(f"{where}: 'actions' must be a list of action codes")
        for code in codes:
            if code not in actions:
                raise ParameterError(f"{where}: unknown action {code!r}; expected one of {', '.join(sorted(actions))}")
        close = row.get("close")
        if close is not None and close not in results:
            raise ParameterError(f"{where}: unknown result {close!r}; expected one of {', '.join(sorted(results))}")
        if close is None and not codes:
            raise ParameterError(f"{where}: a row needs 'actions' or 'close'")
        rows.append(
            OutcomeRow(
                index=n,
                outcomes=outcomes,
                types=_strings(row, "types", pid, n, [t.code for t in EmploymentType]),
                contacts=_strings(row, "contacts", pid, n, None),
                actions=tuple(codes),
                close=close,
            )
        )
    return tuple(rows)
