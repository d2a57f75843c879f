"""Seeker typologies written as a plain Python function of the fields they declare.

The escape hatch when a rule does not fit a decision table. The function sees one
combination of values and returns a :class:`Decision`; the engine calls it **once per
distinct combination** of the declared fields found in the data (a handful of
thousands at most for intake answers and age), so the same function classifies a
million seekers without a second, vectorised implementation.

>>> import datetime as dt
>>> from employkit.labels import Text
>>> from employkit.model import Level
>>> from employkit.packs import RuleMeta
>>> def youth_first(values, ctx):
...     if values["age"] is None:
...         return Decision(missing=("age",))
...     return Decision("youth" if values["age"] < 35 else "adult", reason=Text("연령", "by age"))
>>> typology = ScalarTypology(
...     RuleMeta(rule_id="profiling.seeker.demo_age", title=Text("연령", "age")),
...     (Segment("youth", Text("청년", "youth")), Segment("adult", Text("성인", "adult"))),
...     ("age",), youth_first)
>>> typology.reads
('age',)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from attrs import field, frozen

from employkit.errors import EmploykitError
from employkit.labels import Text
from employkit.packs import RuleMeta
from employkit.profiling.base import NOT_PROTECTED, SeekerProfile, Segment, missing_reason
from employkit.profiling.batch import NOT_PROFILED, ColumnProfiles, SeekerColumns, missing_mask
from employkit.profiling.fields import FIELDS, python_value, record_values, shown_value

if TYPE_CHECKING:
    from employkit.model import Seeker
    from employkit.rules import EvalContext

__all__ = ["Decision", "ScalarTypology", "distinct_rows"]

#: Combine the declared columns into one dense key when they have at most this many
#: combinations; beyond it, ``np.unique`` finds the combinations present.
DENSE_LIMIT = 1 << 24

Ints2 = npt.NDArray[np.int64]


@frozen
class Decision:
    """What a scalar typology decided for one combination of values.

    ``segment`` is a segment code, or ``None`` with ``missing`` naming declared fields
    (not profiled) or without (not applicable).
    """

    segment: str | None = None
    missing: tuple[str, ...] = field(default=(), converter=tuple)
    reason: Text | None = None


def _codes(name: str, cols: SeekerColumns) -> tuple[npt.NDArray[np.int64], Callable[[int], Any]]:
    """Each seeker's index among the field's values, and how to turn an index back into a raw value."""
    spec = FIELDS[name]
    raw = spec.read(cols)
    if spec.domain.kind != "number":
        n = len(spec.domain.values)
        idx = np.where(raw < 0, n, raw).astype(np.int64)
        return idx, lambda k: -1 if k == n else k
    if spec.span is not None:
        lo, hi = spec.span
        missing = hi - lo + 1
        idx = np.where(np.isnan(raw), missing, np.clip(np.nan_to_num(raw) - lo, 0, missing - 1)).astype(np.int64)
        return idx, lambda k: float("nan") if k == missing else float(lo + k)
    values, inverse = np.unique(raw, return_inverse=True)
    return inverse.astype(np.int64).ravel(), lambda k: float(values[k])


def distinct_rows(parts: list[npt.NDArray[np.int64]], sizes: list[int]) -> tuple[npt.NDArray[np.int64], Ints2]:
    """The distinct combinations of ``parts`` (one row per combination) and each record's combination."""
    n = parts[0].shape[0] if parts else 0
    total = 1
    for s in sizes:
        total *= s
    if total <= DENSE_LIMIT:
        key = np.zeros(n, dtype=np.int64)
        for p, s in zip(parts, sizes, strict=True):
            key = key * s + p
        seen = np.zeros(total, dtype=bool)
        seen[key] = True
        present = np.flatnonzero(seen)
        position = np.zeros(total, dtype=np.int64)
        position[present] = np.arange(present.shape[0])
        combos = np.empty((present.shape[0], len(sizes)), dtype=np.int64)
        rest = present.copy()
        for j in range(len(sizes) - 1, -1, -1):
            combos[:, j] = rest % sizes[j]
            rest //= sizes[j]
        return combos, position[key]
    stacked = np.stack(parts, axis=1)
    combos, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return combos, inverse.ravel()


@frozen(eq=False)
class ScalarTypology:
    """A seeker typology from a Python function of the fields it ``reads`` (see the module docs)."""

    meta: RuleMeta
    segments: tuple[Segment, ...] = field(converter=tuple)
    reads: tuple[str, ...] = field(converter=tuple)
    decide: Callable[[Mapping[str, Any], EvalContext], Decision]

    def __attrs_post_init__(self) -> None:
        unknown = [f for f in self.reads if f not in FIELDS]
        if unknown or not self.reads:
            raise EmploykitError(
                f"{self.meta.rule_id}: declare the fields it reads, from: {', '.join(FIELDS)} (got {unknown or 'none'})"
            )

    def _values(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        return {f: python_value(FIELDS[f].domain, raw[f]) for f in self.reads}

    def _decide(self, values: Mapping[str, Any], ctx: EvalContext) -> Decision:
        found = self.decide(values, ctx)
        codes = {s.code for s in self.segments}
        if not isinstance(found, Decision) or (found.segment is not None and found.segment not in codes):
            raise EmploykitError(f"{self.meta.rule_id}: the function returned {found!r}, not a Decision of a segment")
        bad = [m for m in found.missing if m not in self.reads]
        if bad:
            raise EmploykitError(f"{self.meta.rule_id}: missing names {bad}, which it does not declare it reads")
        return found

    def _missing(self, decision: Decision) -> tuple[str, ...]:
        return tuple(FIELDS[m].missing_name or m for m in decision.missing)

    def classify_columns(self, columns: SeekerColumns, ctx: EvalContext) -> ColumnProfiles:
        """Class every seeker: the function runs once per distinct combination of the declared fields."""
        decoded = [_codes(f, columns) for f in self.reads]
        sizes = [int(idx.max()) + 1 if idx.size else 1 for idx, _ in decoded]
        combos, inverse = distinct_rows([idx for idx, _ in decoded], sizes)
        index = {s.code: k for k, s in enumerate(self.segments)}
        codes = np.empty(combos.shape[0], dtype=np.int16)
        masks = np.empty(combos.shape[0], dtype=np.int32)
        scratch = ctx.fork()
        for c in range(combos.shape[0]):
            raw = {f: back(int(combos[c, j])) for j, (f, (_, back)) in enumerate(zip(self.reads, decoded, strict=True))}
            d = self._decide(self._values(raw), scratch)
            codes[c] = index[d.segment] if d.segment else (NOT_PROFILED if d.missing else -2)
            masks[c] = missing_mask(self._missing(d))
        return ColumnProfiles(self.meta.rule_id, ctx.as_of, self.segments, columns.ids, codes[inverse], masks[inverse])

    def classify(self, seeker: Seeker, ctx: EvalContext) -> SeekerProfile:
        """Class one seeker (its fields encoded as the columns encode them)."""
        return self._profile(seeker.seeker_id, record_values(seeker, ctx.as_of, self.reads), ctx)

    def explain(self, columns: SeekerColumns, rows: Iterable[int], ctx: EvalContext) -> list[SeekerProfile]:
        """Full profiles, with explanations, of the seekers ``rows`` of ``columns`` only."""
        read = {f: FIELDS[f].read(columns) for f in self.reads}
        return [self._profile(str(columns.ids[i]), {f: c[i] for f, c in read.items()}, ctx) for i in rows]

    def _profile(self, seeker_id: str, raw: Mapping[str, Any], ctx: EvalContext) -> SeekerProfile:
        by_code = {s.code: s for s in self.segments}
        protected = tuple(sorted({p for f in self.reads if (p := FIELDS[f].protected)}))
        values = self._values(raw)
        d = self._decide(values, ctx)
        missing = self._missing(d)
        reasons = [d.reason or (missing_reason(missing) if missing else Text("→ 해당 없음", "→ not applicable"))]
        if not protected:
            reasons.append(NOT_PROTECTED)
        return SeekerProfile(
            seeker_id=seeker_id,
            typology_id=self.meta.rule_id,
            as_of=ctx.as_of,
            segment=by_code[d.segment] if d.segment else None,
            missing=missing,
            protected_used=protected,
            explanation=ctx.explain(
                self.meta.rule_id, reasons=reasons, inputs={f: shown_value(v) for f, v in values.items()}
            ),
        )
