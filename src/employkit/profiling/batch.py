"""The vectorised path: profiling millions of seekers as numpy columns.

:class:`SeekerColumns` holds what typologies read, one numpy array per field, with
``-1`` for a missing answer. A typology that supports the path has a
``classify_columns(columns, ctx)`` method returning :class:`ColumnProfiles`: one
segment index per seeker (``-1`` not profiled, ``-2`` not applicable), a bitmask of
missing fields and, for a decision table, the table row each seeker matched. Decision
tables (:mod:`employkit.profiling.tables`) and scalar typologies
(:mod:`employkit.profiling.scalar`) classify one seeker as a one-row call of this path,
and render explanations only for the rows asked for.

>>> import datetime as dt
>>> from employkit.model import Seeker, Intake, Level
>>> s = Seeker(seeker_id="S1", residence_code="11140", registered_on=dt.date(2022, 1, 3),
...            intake=Intake(job_field_decided=True, employability=Level.HIGH, mobile=True))
>>> cols = SeekerColumns.from_seekers([s], dt.date(2022, 3, 1))
>>> int(cols.employability[0]), int(cols.motivation[0]), len(cols)
(2, -1, 1)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from attrs import field, frozen

from employkit.errors import DataError, Problem
from employkit.model import Gender, Level, Seeker, SeekerGroup
from employkit.profiling.base import INTAKE_FIELDS, SeekerProfile, Segment

if TYPE_CHECKING:
    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = [
    "COLUMN_FIELDS",
    "ENCODERS",
    "GENDER_CODES",
    "GROUP_BITS",
    "KOREAN_NATIONALITY",
    "NOT_APPLICABLE",
    "NOT_PROFILED",
    "ColumnProfiles",
    "SeekerColumns",
    "VectorisedSeekerTypology",
    "column_values",
]

#: Fields a missing-bitmask can name, bit ``i`` for field ``i``.
COLUMN_FIELDS: tuple[str, ...] = (*INTAKE_FIELDS, "birth_year", "gender", "nationality")
_BIT = {name: 1 << i for i, name in enumerate(COLUMN_FIELDS)}

#: Bit of each seeker group in :attr:`SeekerColumns.groups`.
GROUP_BITS: Mapping[SeekerGroup, int] = {g: 1 << i for i, g in enumerate(SeekerGroup)}

#: Gender codes in :attr:`SeekerColumns.gender` (``-1`` unknown).
GENDER_CODES: Mapping[Gender, int] = {Gender.FEMALE: 0, Gender.MALE: 1, Gender.OTHER: 2}

#: Spellings of Korean nationality (case-insensitive); any other value is foreign.
KOREAN_NATIONALITY = frozenset({"kr", "kor", "korea", "republic of korea", "south korea", "한국", "대한민국"})

NOT_PROFILED = -1
NOT_APPLICABLE = -2

I8 = npt.NDArray[np.int8]


def _level(value: Level | None) -> int:
    return -1 if value is None else value.rank


def _bool(value: bool | None) -> int:
    return -1 if value is None else int(value)


def foreign_code(nationality: str | None) -> int:
    """``-1`` unknown, ``0`` Korean, ``1`` foreign national."""
    if nationality is None or not nationality.strip():
        return -1
    return 0 if nationality.strip().casefold() in KOREAN_NATIONALITY else 1


def _int8(values: Any) -> I8:
    return np.ascontiguousarray(values, dtype=np.int8)


def _age(s: Seeker, as_of: dt.date) -> int:
    years = s.age_on(as_of)
    return -1 if years is None or years < 0 else min(years, 150)


#: How each column encodes a seeker (the one place that encoding is written).
ENCODERS: Mapping[str, Callable[[Seeker, dt.date], int]] = {
    "job_field_decided": lambda s, _: _bool(s.intake.job_field_decided),
    "employability": lambda s, _: _level(s.intake.employability),
    "motivation": lambda s, _: _level(s.intake.motivation),
    "ability": lambda s, _: _level(s.intake.ability),
    "economic_hardship": lambda s, _: _bool(s.intake.economic_hardship),
    "mobile": lambda s, _: _bool(s.intake.mobile),
    "gender": lambda s, _: -1 if s.gender is None else GENDER_CODES[s.gender],
    "foreign": lambda s, _: foreign_code(s.nationality),
    "age": _age,
    "groups": lambda s, _: sum(GROUP_BITS[g] for g in s.groups),
    "registered_days": lambda s, as_of: (as_of - s.registered_on).days,
}


def column_values(s: Seeker, as_of: dt.date, names: Iterable[str] | None = None) -> dict[str, int]:
    """One seeker's values as :class:`SeekerColumns` encodes them (``names``: only those columns)."""
    return {name: ENCODERS[name](s, as_of) for name in (ENCODERS if names is None else names)}


@frozen(eq=False)
class SeekerColumns:
    """Seekers as columns, as of one date. Build with :meth:`from_seekers` or :meth:`from_arrays`.

    Intake answers are ``int8``: levels ``0`` low, ``1`` mid, ``2`` high; booleans
    ``0``/``1``; ``-1`` when not answered. ``age`` is in whole years on :attr:`as_of`
    (``-1`` unknown), ``gender`` uses :data:`GENDER_CODES`, ``foreign`` is ``1`` for a
    foreign national, ``groups`` is a bitmask of :data:`GROUP_BITS` and
    ``registered_days`` counts days from registration to :attr:`as_of`.
    """

    as_of: dt.date
    ids: npt.NDArray[Any]
    job_field_decided: I8
    employability: I8
    motivation: I8
    ability: I8
    economic_hardship: I8
    mobile: I8
    age: npt.NDArray[np.int16]
    gender: I8
    foreign: I8
    groups: npt.NDArray[np.int32]
    registered_days: npt.NDArray[np.int32]
    seekers: tuple[Seeker, ...] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @classmethod
    def from_seekers(cls, seekers: Iterable[Seeker], as_of: dt.date) -> SeekerColumns:
        """Columns of ``seekers`` as of ``as_of`` (the records are kept for explanations)."""
        rows = tuple(seekers)
        n = len(rows)
        out = {name: np.empty(n, dtype=np.int8) for name in (*INTAKE_FIELDS, "gender", "foreign")}
        age = np.empty(n, dtype=np.int16)
        groups = np.zeros(n, dtype=np.int32)
        days = np.empty(n, dtype=np.int32)
        for k, s in enumerate(rows):
            values = column_values(s, as_of)
            for name, column in out.items():
                column[k] = values[name]
            age[k] = values["age"]
            groups[k] = values["groups"]
            days[k] = values["registered_days"]
        ids = np.array([s.seeker_id for s in rows], dtype=object)
        return cls(as_of, ids, **out, age=age, groups=groups, registered_days=days, seekers=rows)

    @classmethod
    def from_arrays(cls, as_of: dt.date, ids: Sequence[str] | npt.NDArray[Any], **arrays: Any) -> SeekerColumns:
        """Columns from arrays (e.g. read from a columnar file); missing columns are all ``-1``.

        Raises :class:`~employkit.errors.DataError` naming every column of the wrong
        length or with values out of range.
        """
        ids_arr = np.asarray(ids, dtype=object)
        n = ids_arr.shape[0]
        known = {*INTAKE_FIELDS, "age", "gender", "foreign", "groups", "registered_days"}
        problems = [Problem(f"unknown column; expected one of {', '.join(sorted(known))}", column=k) for k in arrays]
        problems = [p for p in problems if p.column not in known]
        limits = {f: (-1, 2 if f in ("employability", "motivation", "ability") else 1) for f in INTAKE_FIELDS}
        limits.update({"gender": (-1, 2), "foreign": (-1, 1), "age": (-1, 150)})
        cols: dict[str, Any] = {}
        for name, dtype in (
            *((f, np.int8) for f in (*INTAKE_FIELDS, "gender", "foreign")),
            ("age", np.int16),
            ("groups", np.int32),
            ("registered_days", np.int32),
        ):
            raw = arrays.get(name)
            default = 0 if name in ("groups", "registered_days") else -1
            arr = np.full(n, default, dtype=dtype) if raw is None else np.ascontiguousarray(raw, dtype=dtype)
            if arr.shape != (n,):
                problems.append(Problem(f"has {arr.shape[0] if arr.ndim else 0} values, expected {n}", column=name))
                continue
            if name in limits:
                low, high = limits[name]
                bad = np.flatnonzero((arr < low) | (arr > high))
                if bad.size:
                    row = int(bad[0])
                    reason = f"{bad.size} value(s) outside {low}..{high}"
                    problems.append(Problem(reason, column=name, row=row, value=str(arr[row])))
            cols[name] = arr
        if problems:
            raise DataError(problems, "invalid seeker columns")
        return cls(as_of, ids_arr, **cols)

    def seeker(self, i: int) -> Seeker:
        """Seeker ``i`` as a record (the original when built from records)."""
        if self.seekers is not None:
            return self.seekers[i]
        from employkit.model import Intake

        def lv(a: I8) -> Level | None:
            v = int(a[i])
            return None if v < 0 else (Level.LOW, Level.MID, Level.HIGH)[v]

        def bo(a: I8) -> bool | None:
            v = int(a[i])
            return None if v < 0 else bool(v)

        gender = {v: k for k, v in GENDER_CODES.items()}.get(int(self.gender[i]))
        age = int(self.age[i])
        foreign = int(self.foreign[i])
        return Seeker(
            seeker_id=str(self.ids[i]),
            residence_code="11",
            registered_on=self.as_of - dt.timedelta(days=int(self.registered_days[i])),
            birth_year=None if age < 0 else self.as_of.year - age,
            gender=gender,
            nationality=None if foreign < 0 else ("KR" if foreign == 0 else "foreign"),
            intake=Intake(
                job_field_decided=bo(self.job_field_decided),
                employability=lv(self.employability),
                motivation=lv(self.motivation),
                ability=lv(self.ability),
                economic_hardship=bo(self.economic_hardship),
                mobile=bo(self.mobile),
            ),
            groups=frozenset(g for g, bit in GROUP_BITS.items() if int(self.groups[i]) & bit),
        )


@frozen(eq=False)
class ColumnProfiles:
    """Results of the vectorised path: one segment index and missing-field bitmask per seeker."""

    typology_id: str
    as_of: dt.date
    segments: tuple[Segment, ...]
    ids: npt.NDArray[Any]
    codes: npt.NDArray[np.int16]
    missing: npt.NDArray[np.int32]
    scores: npt.NDArray[np.float64] | None = None
    rows: npt.NDArray[np.int16] | None = None  # the decision-table row each seeker matched

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def segment(self, i: int) -> Segment | None:
        """The segment of seeker ``i`` (``None`` when not profiled or not applicable)."""
        code = int(self.codes[i])
        return self.segments[code] if code >= 0 else None

    def segment_codes(self) -> list[str | None]:
        """Every seeker's segment code, ``None`` when there is none."""
        names = [s.code for s in self.segments]
        return [names[c] if c >= 0 else None for c in self.codes.tolist()]

    def missing_fields(self, i: int) -> tuple[str, ...]:
        """The fields seeker ``i`` lacked (empty when profiled)."""
        mask = int(self.missing[i])
        return tuple(name for name in COLUMN_FIELDS if mask & _BIT[name])

    def counts(self) -> dict[str, int]:
        """Seekers per segment code, plus ``not_profiled`` and ``not_applicable``."""
        found = np.bincount(self.codes.astype(np.int64) + 2, minlength=len(self.segments) + 2)
        out = {s.code: int(found[k + 2]) for k, s in enumerate(self.segments)}
        out["not_profiled"] = int(found[1])
        out["not_applicable"] = int(found[0])
        return out


@runtime_checkable
class VectorisedSeekerTypology(Protocol):
    """A seeker typology that also classifies :class:`SeekerColumns` at once."""

    @property
    def meta(self) -> RuleMeta:
        """The typology's rule metadata."""
        ...

    def classify(self, seeker: Seeker, ctx: EvalContext) -> SeekerProfile:
        """Class one seeker."""
        ...

    def classify_columns(self, columns: SeekerColumns, ctx: EvalContext) -> ColumnProfiles:
        """Class every seeker of ``columns``; same results as :meth:`classify` one by one."""
        ...


def missing_mask(fields: Iterable[str]) -> int:
    """The bitmask naming ``fields`` (each one of :data:`COLUMN_FIELDS`)."""
    return sum(_BIT[f] for f in fields)
