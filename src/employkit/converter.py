"""The one place where records become JSON-ready data and back (cattrs).

>>> import datetime as dt
>>> from employkit.model import Placement, EmploymentType
>>> p = Placement(placement_id="P1", seeker_id="S1", employer_id="E1",
...               start_date=dt.date(2016, 3, 2), employment_type=EmploymentType.REGULAR)
>>> unstructure(p)["start_date"]
'2016-03-02'
>>> structure(unstructure(p), Placement) == p
True

Records of the model go through the one validating edge (:mod:`employkit.sources.records`):
every problem has a code and its path, e.g. ``$.openings`` with ``out_of_range``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar, cast

import cattrs
from cattrs.preconf.json import make_converter

from employkit.errors import DataError, Problem

if TYPE_CHECKING:
    from employkit.dataset import Dataset

__all__ = [
    "converter",
    "dataset_from_json",
    "from_json",
    "structure",
    "structure_dataset",
    "to_json",
    "unstructure",
]

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

    The model's records (:class:`~employkit.model.Seeker`, ``Employer``, ``Vacancy``,
    ``Placement``, ``FollowUpContact``, ``Intake`` and ``Centre``) go through the one
    validating edge (:mod:`employkit.sources.records`): the checks, spellings and problem
    codes of the file readers, every problem with its path (``$.intake.motivation``).
    Other classes are built by cattrs. Data holding a resident registration number
    anywhere (a text, a key, a number that lost its leading zeros, a list ``[870412,
    2931746]``) is refused, the number unshown.
    """
    from employkit.model import Centre, Intake
    from employkit.sources import records
    from employkit.sources.cells import RRN_REASON, rrn_found

    table = records.RECORD_TABLES.get(cls)
    if table is not None:
        return cast(T, records.record(data, table, origin=origin))
    if cls is Intake:
        return cast(T, records.intake(data, origin=origin))
    if cls is Centre:
        return cast(T, records.centre(data, origin=origin))
    found = rrn_found(data)
    if found is not None:
        where, shown = found
        problem = Problem(reason=RRN_REASON, file=origin, column=where, value=shown, code="rrn")
        raise DataError([problem], f"cannot read {cls.__name__}")
    try:
        return converter.structure(data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise DataError(_problems(exc, origin), f"cannot read {cls.__name__}") from None


def structure_dataset(data: Any, *, origin: str = "json") -> Dataset:
    """A :class:`~employkit.dataset.Dataset` from a dataset-shaped object; :class:`DataError` else.

    ``{"centre": {...}, "seekers": [...], "employers": [...], "vacancies": [...],
    "placements": [...], "followups": [...]}`` (only ``seekers`` required), each record in
    the shape :func:`unstructure` gives it, checked as a folder of files is (duplicate
    ids and references too), each problem with its path: ``$.seekers[3].birth_year``.
    """
    from employkit.sources import records

    return records.dataset(data, origin=origin)


def dataset_from_json(text: str | bytes, *, origin: str = "json") -> Dataset:
    """:func:`structure_dataset` of JSON text."""
    return structure_dataset(_loads(text), origin=origin)


def _problems(exc: BaseException, origin: str | None) -> list[Problem]:
    messages = cattrs.transform_error(exc, path="$") if isinstance(exc, cattrs.BaseValidationError) else [str(exc)]
    problems = []
    for message in messages:
        reason, _, path = message.rpartition(" @ ")
        reason = reason or message
        code = (
            "required"
            if "required field missing" in reason
            else "unknown_field"
            if "extra fields" in reason
            else "wrong_type"
        )
        steps = tuple(
            int(m.group(2)) if m.group(2) is not None else (m.group(1) or m.group(3))
            for m in _STEP.finditer(path.removeprefix("$"))
        )
        problems.append(Problem(reason=reason, file=origin, column=path or None, code=code, path=steps))
    return problems


_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\[['\"]([^'\"]*)['\"]\]")


def to_json(obj: Any, *, indent: int | None = None) -> str:
    """``obj`` as JSON text (UTF-8, Korean kept readable), resident numbers masked."""
    from employkit.sources.cells import mask_data

    return json.dumps(mask_data(unstructure(obj)), ensure_ascii=False, indent=indent)


def _loads(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            [Problem(reason=f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", code="bad_syntax")]
        ) from None
    except (ValueError, RecursionError) as exc:  # bad UTF-8, a number of 4,300 digits, deep nesting
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise DataError([Problem(reason=f"not valid JSON: {reason}", code="bad_syntax")]) from None


def from_json(text: str | bytes, cls: type[T]) -> T:
    """Parse JSON text into a ``cls``; raise :class:`DataError` naming each bad path."""
    return structure(_loads(text), cls)
