"""The decision record: its schema, kinds, packs and parameters, and its plain-data form (JSON lines)."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs
from attrs import field, frozen

from employkit.converter import structure, unstructure
from employkit.labels import CodedEnum

if TYPE_CHECKING:
    pass


#: The schema name and version every record carries (``"employkit.decision/1"``).
SCHEMA_VERSION = 1
SCHEMA = f"employkit.decision/{SCHEMA_VERSION}"

#: The environment variable holding the pseudonym key (wins over the configuration).

#: The centre settings sections each kind of decision depends on.
SETTINGS_OF: Mapping[str, tuple[str, ...]] = {
    "segment": ("profiling",),
    "override": ("profiling",),
    "match_list": ("matching",),
    "followup_action": ("followup",),
    "kpi_value": ("metrics",),
}

_RRN_KEY = re.compile(r"rrn|jumin|resident_?reg|주민", re.IGNORECASE)


class DecisionKind(CodedEnum):
    """What kind of decision a record holds."""

    SEGMENT = ("segment", "구직자 유형분류", "seeker segment")
    OVERRIDE = ("override", "상담사 유형 변경", "counsellor override")
    MATCH_LIST = ("match_list", "추천 목록", "match list")
    FOLLOWUP_ACTION = ("followup_action", "사후관리 조치", "follow-up action")
    KPI_VALUE = ("kpi_value", "성과지표 값", "KPI value")


@frozen(kw_only=True)
class PackRef:
    """A pack and the version a decision used."""

    name: str
    version: str


@frozen(kw_only=True)
class ParameterRecord:
    """A parameter value as a decision used it, with its dates and source."""

    parameter_id: str
    value: Any
    pack: str
    pack_version: str
    effective_from: dt.date
    effective_to: dt.date | None = None
    source: str | None = None


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _packs(values: Iterable[PackRef]) -> tuple[PackRef, ...]:
    return tuple(values)


def _params(values: Iterable[ParameterRecord]) -> tuple[ParameterRecord, ...]:
    return tuple(values)


def _frozen_map(values: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(values))


@frozen(kw_only=True)
class DecisionRecord:
    """One logged decision (one line of the decision log; see ``docs/accountability.rst``).

    ``subject`` is a pseudonym (seekers, placements) or a public id (``kpi:…``);
    ``subject_kind`` says which. ``inputs`` hold what a replay needs; ``result`` what the
    replay must reproduce; ``explanation`` the decision's explanation as plain data.
    ``prev_hash`` is set by the log: the SHA-256 of the previous line, so a changed or
    removed line is detected (:meth:`~employkit.accountability.log.DecisionLog.verify`).
    """

    schema: str = SCHEMA
    decision_id: str
    kind: DecisionKind
    subject: str
    subject_kind: str
    recorded_at: str
    as_of: dt.date
    rule_ids: tuple[str, ...] = field(default=(), converter=_strings)
    packs: tuple[PackRef, ...] = field(default=(), converter=_packs)
    parameters: tuple[ParameterRecord, ...] = field(default=(), converter=_params)
    settings: Mapping[str, Any] = field(factory=dict, converter=_frozen_map, hash=False)
    inputs: Mapping[str, Any] = field(factory=dict, converter=_frozen_map, hash=False)
    result: Mapping[str, Any] = field(factory=dict, converter=_frozen_map, hash=False)
    explanation: Mapping[str, Any] = field(factory=dict, converter=_frozen_map, hash=False)
    counsellor: str | None = None
    prev_hash: str | None = None


# ---------------------------------------------------------------------- plain data


def plain(value: Any) -> Any:
    """``value`` as JSON data exactly as the log stores it (so results compare equal).

    Records become dicts, tuples and sets lists (sets sorted), dates ISO text, enum
    members their codes, and non-finite floats the text ``"nan"``, ``"inf"``, ``"-inf"``.
    """
    data = unstructure(value)
    return _clean(data)


def _clean(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted((_clean(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, Enum):
        return _clean(value.value)
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if attrs.has(type(value)):
        return _clean(unstructure(value))
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _clean(value.item())
    return str(value)


def plain_dict(value: Any) -> dict[str, Any]:
    """:func:`plain` of something that becomes a JSON object."""
    data = plain(value)
    if not isinstance(data, dict):
        raise TypeError(f"expected a mapping, got {type(value).__name__}")
    return data


def to_line(record: DecisionRecord) -> str:
    """The record as one line of JSON (keys sorted, Korean kept readable, no newline)."""
    return json.dumps(plain(record), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def from_data(data: Mapping[str, Any], origin: str | None = None) -> DecisionRecord:
    """A record from parsed JSON (raises :class:`~employkit.errors.DataError`)."""
    return structure(data, DecisionRecord, origin=origin)
