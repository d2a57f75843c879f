"""Scorer kinds a pack can build a seeker typology from.

``rules`` (the default)
    The typology's ``classify`` decides with explicit rules, as the national and
    Jung-gu typologies do. Nothing here is needed.
``points`` (JSCI-style)
    A sum of points per feature; bands by cut-points on the total.
``logistic`` (AMAS-style)
    ``x = intercept + Σ coefficient × feature``, ``p = 1 / (1 + e^-x)``; bands by
    cut-points on ``p`` (e.g. high ≥ 0.66, low < 0.25).

The model and the bands are dated parameters, so a centre can see, cite and replace
them::

    [[parameter]]
    id = "profiling.seeker.demo.model"
      [[parameter.value]]
      from = 2024-01-01
      value = { intercept = -1.0, weights = { motivation = 0.9, ability = 0.8 } }

    [[parameter]]
    id = "profiling.seeker.demo.bands"
      [[parameter.value]]
      from = 2024-01-01
      value = [{ code = "high", min = 0.66 }, { code = "mid", min = 0.25 }, { code = "low", min = 0.0 }]

A seeker gets the first band (in the order given) whose ``min`` the score reaches; the
last band takes everything below. Features are named in :data:`FEATURES`. A feature
that reads a protected attribute (gender, age, nationality, disability) is left out of
the score unless the centre's configuration allows that attribute
(``[profiling] allow_protected = ["age"]``); every explanation states which protected
attributes were used and which were left out. A seeker lacking a feature the score
uses is not profiled, with the field named.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
from attrs import field, frozen

from employkit.errors import ConfigError, ParameterError
from employkit.labels import Text
from employkit.model import SeekerGroup
from employkit.profiling.base import (
    FIELD_LABELS,
    INTAKE_FIELDS,
    PROTECTED_ATTRIBUTES,
    SeekerProfile,
    Segment,
    missing_reason,
)
from employkit.profiling.batch import COLUMN_FIELDS, GROUP_BITS, ColumnProfiles, SeekerColumns, missing_mask

if TYPE_CHECKING:
    from employkit.model import Seeker
    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = [
    "FEATURES",
    "Band",
    "Feature",
    "LinearModel",
    "ScoredTypology",
    "Scorer",
    "allowed_protected",
    "logistic",
]

F64 = npt.NDArray[np.float64]
Values = tuple[F64, npt.NDArray[np.bool_]]


@frozen
class Feature:
    """A number a score can read from a seeker, computed on columns.

    ``reads`` is the record field named when the value is missing; ``protected`` the
    protected attribute it reveals, if any.
    """

    name: str
    label: Text
    reads: str
    compute: Callable[[SeekerColumns], Values] = field(repr=False)
    protected: str | None = None


def _intake(name: str) -> Callable[[SeekerColumns], Values]:
    def compute(c: SeekerColumns) -> Values:
        col = getattr(c, name)
        return col.astype(np.float64), col < 0

    return compute


def _age(c: SeekerColumns) -> Values:
    return c.age.astype(np.float64), c.age < 0


def _female(c: SeekerColumns) -> Values:
    return (c.gender == 0).astype(np.float64), c.gender < 0


def _foreign(c: SeekerColumns) -> Values:
    return c.foreign.clip(0, 1).astype(np.float64), c.foreign < 0


def _group(bit: int) -> Callable[[SeekerColumns], Values]:
    def compute(c: SeekerColumns) -> Values:
        return ((c.groups & bit) != 0).astype(np.float64), np.zeros(len(c), dtype=np.bool_)

    return compute


def _registered_years(c: SeekerColumns) -> Values:
    return c.registered_days.astype(np.float64) / 365.25, np.zeros(len(c), dtype=np.bool_)


_GROUP_PROTECTED = {
    SeekerGroup.YOUTH: "age",
    SeekerGroup.MIDDLE_AGED: "age",
    SeekerGroup.OLDER: "age",
    SeekerGroup.CAREER_BREAK_WOMAN: "gender",
    SeekerGroup.MULTICULTURAL: "nationality",
    SeekerGroup.DISABILITY: "disability",
}


def _features() -> dict[str, Feature]:
    out = {f: Feature(f, FIELD_LABELS[f], f, _intake(f)) for f in INTAKE_FIELDS}
    out["age"] = Feature("age", Text("연령", "age"), "birth_year", _age, "age")
    out["female"] = Feature("female", Text("여성", "female"), "gender", _female, "gender")
    out["foreign_national"] = Feature(
        "foreign_national", Text("외국 국적", "foreign national"), "nationality", _foreign, "nationality"
    )
    out["registered_years"] = Feature(
        "registered_years", Text("구직등록 경과연수", "years since registration"), "registered_on", _registered_years
    )
    for g, bit in GROUP_BITS.items():
        name = f"group.{g.code}"
        out[name] = Feature(name, g.label, "groups", _group(bit), _GROUP_PROTECTED.get(g))
    return out


#: Features by name: the intake answers (levels 0–2, booleans 0/1), ``age``,
#: ``female``, ``foreign_national``, ``registered_years`` and ``group.<code>`` for
#: each :class:`~employkit.model.SeekerGroup`.
FEATURES: Mapping[str, Feature] = _features()


def allowed_protected(ctx: EvalContext) -> frozenset[str]:
    """The protected attributes the centre allows in scores (``[profiling] allow_protected``).

    Raises :class:`~employkit.errors.ConfigError` for anything that is not one of
    ``gender``, ``age``, ``nationality``, ``disability``.
    """
    raw = ctx.setting("profiling", "allow_protected", ())
    if isinstance(raw, str) or not all(isinstance(v, str) for v in raw):
        raise ConfigError('[profiling] allow_protected must be a list such as ["age"]')
    unknown = sorted(set(raw) - set(PROTECTED_ATTRIBUTES))
    if unknown:
        raise ConfigError(
            f"[profiling] allow_protected: unknown attribute(s) {', '.join(unknown)}; "
            f"expected some of {', '.join(PROTECTED_ATTRIBUTES)}"
        )
    return frozenset(raw)


def logistic(x: F64) -> F64:
    """``1 / (1 + e^-x)``, element-wise (the one formula both paths use)."""
    out: F64 = 1.0 / (1.0 + np.exp(-x))
    return out


@frozen
class Band:
    """A band of a score: seekers whose score reaches ``min`` (and no earlier band's)."""

    code: str
    min: float


@frozen
class LinearModel:
    """An intercept and a weight per feature, as read from a model parameter."""

    intercept: float
    weights: tuple[tuple[str, float], ...]

    @classmethod
    def parse(cls, pid: str, value: Any) -> LinearModel:
        """Read ``{intercept = …, weights = {feature = …}}``; raise :class:`ParameterError`."""
        if not isinstance(value, Mapping) or not isinstance(value.get("weights"), Mapping):
            raise ParameterError(f"parameter {pid}: expected a table with 'weights' (and 'intercept')")
        unknown = sorted(set(value["weights"]) - set(FEATURES))
        if unknown:
            raise ParameterError(f"parameter {pid}: unknown feature(s) {', '.join(unknown)}")
        try:
            weights = tuple(sorted((str(k), float(v)) for k, v in value["weights"].items()))
            return cls(float(value.get("intercept", 0.0)), weights)
        except (TypeError, ValueError):
            raise ParameterError(f"parameter {pid}: weights and intercept must be numbers") from None


def _bands(pid: str, value: Any) -> tuple[Band, ...]:
    try:
        bands = tuple(Band(str(b["code"]), float(b["min"])) for b in value)
    except (TypeError, KeyError, ValueError):
        raise ParameterError(f"parameter {pid}: expected a list of {{code = …, min = …}} tables") from None
    if not bands:
        raise ParameterError(f"parameter {pid}: no bands")
    if any(a.min <= b.min for a, b in itertools.pairwise(bands)):
        raise ParameterError(f"parameter {pid}: band cut-points must decrease")
    return bands


@frozen
class Scored:
    """Scores of many seekers: value, band index (``-1`` when not profiled), missing bitmask."""

    scores: F64
    bands: npt.NDArray[np.int16]
    missing: npt.NDArray[np.int32]
    used: tuple[tuple[str, float], ...]
    left_out: tuple[str, ...]
    band_defs: tuple[Band, ...]
    intercept: float


@frozen
class Scorer:
    """A points (``kind="points"``) or logistic (``kind="logistic"``) scorer.

    ``model`` and ``bands`` are the ids of its two parameters.
    """

    kind: Literal["points", "logistic"]
    model: str
    bands: str

    def score_columns(self, cols: SeekerColumns, ctx: EvalContext) -> Scored:
        """Score every seeker of ``cols`` with the parameters in force on ``ctx.as_of``."""
        model = LinearModel.parse(self.model, ctx.param(self.model))
        bands = _bands(self.bands, ctx.param(self.bands))
        allowed = allowed_protected(ctx)
        n = len(cols)
        x = np.full(n, model.intercept, dtype=np.float64)
        missing = np.zeros(n, dtype=np.int32)
        used: list[tuple[str, float]] = []
        left_out: list[str] = []
        for name, weight in model.weights:
            feat = FEATURES[name]
            if feat.protected is not None and feat.protected not in allowed:
                left_out.append(name)
                continue
            values, absent = feat.compute(cols)
            x += weight * values
            if feat.reads in COLUMN_FIELDS:  # the others (groups, registration date) are never missing
                missing |= np.where(absent, missing_mask([feat.reads]), 0).astype(np.int32)
            used.append((name, weight))
        scores = logistic(x) if self.kind == "logistic" else x
        codes = np.full(n, len(bands) - 1, dtype=np.int16)
        for k in range(len(bands) - 2, -1, -1):
            codes[scores >= bands[k].min] = k
        codes[missing != 0] = -1
        return Scored(scores, codes, missing, tuple(used), tuple(left_out), bands, model.intercept)


def _protected_reasons(used: tuple[tuple[str, float], ...], left_out: tuple[str, ...]) -> list[Text]:
    attrs = sorted({p for n, _ in used if (p := FEATURES[n].protected)})
    shown = ", ".join(attrs) if attrs else "none"
    out = [
        Text(
            f"사용한 보호 속성: {shown if attrs else '없음'}" + (" (센터 설정에서 허용)" if attrs else ""),
            f"protected attributes used: {shown}" + (" (allowed by the centre configuration)" if attrs else ""),
        )
    ]
    if left_out:
        names = ", ".join(f"{n} ({FEATURES[n].protected})" for n in left_out)
        out.append(
            Text(
                f"점수에서 제외한 보호 속성: {names} — 센터 설정 [profiling] allow_protected 에서 허용하지 않음",
                f"left out of the score: {names} — not allowed by [profiling] allow_protected",
            )
        )
    return out


def _band_index(segments: tuple[Segment, ...], bands: tuple[Band, ...], typology: str) -> npt.NDArray[np.int16]:
    where = {s.code: k for k, s in enumerate(segments)}
    missing = [b.code for b in bands if b.code not in where]
    if missing:
        raise ParameterError(f"typology {typology}: no segment for band(s) {', '.join(missing)}")
    return np.array([where[b.code] for b in bands], dtype=np.int16)


def _segments(values: Iterable[Segment]) -> tuple[Segment, ...]:
    return tuple(values)


@frozen
class ScoredTypology:
    """A seeker typology from a :class:`Scorer`: one segment per band (segment code = band code)."""

    meta: RuleMeta
    scorer: Scorer
    segments: tuple[Segment, ...] = field(converter=_segments)

    def classify_columns(self, columns: SeekerColumns, ctx: EvalContext) -> ColumnProfiles:
        """Class every seeker of ``columns`` (the vectorised path)."""
        scored = self.scorer.score_columns(columns, ctx)
        ctx.explain(self.meta.rule_id)  # consume the recorded uses
        index = _band_index(self.segments, scored.band_defs, self.meta.rule_id)
        codes = np.where(scored.bands >= 0, index[scored.bands.clip(0)], -1).astype(np.int16)
        return ColumnProfiles(
            self.meta.rule_id, ctx.as_of, self.segments, columns.ids, codes, scored.missing, scored.scores
        )

    def classify(self, seeker: Seeker, ctx: EvalContext) -> SeekerProfile:
        """Class one seeker (through the same kernel as :meth:`classify_columns`)."""
        cols = SeekerColumns.from_seekers([seeker], ctx.as_of)
        scored = self.scorer.score_columns(cols, ctx)
        index = _band_index(self.segments, scored.band_defs, self.meta.rule_id)
        value = float(scored.scores[0])
        band = int(scored.bands[0])
        inputs: dict[str, Any] = {}
        terms = []
        for name, weight in scored.used:
            v, absent = FEATURES[name].compute(cols)
            inputs[name] = None if bool(absent[0]) else float(v[0])
            terms.append(f"{weight:+g}×{name}")
        reasons: list[Text] = []
        mask = int(scored.missing[0])
        missing = tuple(f for f in COLUMN_FIELDS if mask & missing_mask([f]))
        formula = f"{scored.intercept:g} " + " ".join(terms)
        what = "p" if self.scorer.kind == "logistic" else "points"
        if missing:
            reasons.append(missing_reason(missing))
            segment = None
        else:
            b = scored.band_defs[band]
            nxt = scored.band_defs[band - 1] if band > 0 else None
            cond = f"{what} = {value:.4f} ≥ {b.min:g}" if band < len(scored.band_defs) - 1 else f"{what} = {value:.4f}"
            if nxt is not None:
                cond += f" and < {nxt.min:g}"
            reasons.append(Text(f"{cond} → 구간 {b.code}", f"{cond} → band {b.code}"))
            segment = self.segments[int(index[band])]
        x_text = f"x = {formula}" if self.scorer.kind == "logistic" else f"points = {formula}"
        reasons.append(Text(x_text, x_text))
        reasons += _protected_reasons(scored.used, scored.left_out)
        inputs["score"] = value
        protected = tuple(sorted({p for n, _ in scored.used if (p := FEATURES[n].protected)}))
        return SeekerProfile(
            seeker_id=seeker.seeker_id,
            typology_id=self.meta.rule_id,
            as_of=ctx.as_of,
            segment=segment,
            missing=missing,
            protected_used=protected,
            score=value,
            band=None if missing else scored.band_defs[band].code,
            explanation=ctx.explain(self.meta.rule_id, reasons=reasons, inputs=inputs),
        )
