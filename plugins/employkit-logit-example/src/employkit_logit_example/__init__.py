"""An example employkit pack: a logistic (AMAS-style) jobseeker scorer.

The model ``x = intercept + Σ weight × feature``, ``p = 1 / (1 + e^-x)`` and its
bands (high ≥ 0.66, mid ≥ 0.25, low below) are dated parameters in
``parameters.toml``, so researchers can plug in a fitted model without writing code.
The typology is ``profiling.seeker.logit_example``; pick it with
``employkit profile --typology profiling.seeker.logit_example`` or
``[profiling] seeker_typology`` in ``employkit.toml``.

The example model weights age, a protected attribute: it is left out of the score
unless the centre allows it (``[profiling] allow_protected = ["age"]``), and every
explanation says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from employkit.explain import SourceRef
from employkit.hookspecs import hookimpl
from employkit.labels import Text
from employkit.packs import Layer, PackInfo, RuleMeta
from employkit.params import Parameter, load_pack_parameters
from employkit.profiling.base import SeekerTypology, Segment, Service
from employkit.profiling.scorers import ScoredTypology, Scorer

__version__ = "0.1.0"

TYPOLOGY_ID = "profiling.seeker.logit_example"

PACK = PackInfo(
    name="logit_example",
    version=__version__,
    layer=Layer.DISTRICT,
    title=Text("로지스틱 유형분류 예시", "logistic profiling example"),
    description="Example of a logistic (AMAS-style) scorer with dated coefficients and band cut-points.",
)

SEGMENTS: tuple[Segment, ...] = (
    Segment(
        "high",
        Text("취업가능성 높음", "high chance of employment"),
        (
            Service("self_service", Text("온라인 구직 자율 서비스", "online self-service")),
            Service("referral", Text("취업알선", "job referral")),
        ),
        group="ready",
    ),
    Segment(
        "mid",
        Text("취업가능성 중간", "medium chance of employment"),
        (
            Service("counselling", Text("상담", "counselling")),
            Service("training", Text("직업훈련", "vocational training")),
            Service("referral", Text("취업알선", "job referral")),
        ),
        group="needs_preparation",
    ),
    Segment(
        "low",
        Text("취업가능성 낮음", "low chance of employment"),
        (
            Service("case_management", Text("사례관리", "case management")),
            Service("stabilisation", Text("생활 안정 지원 연계", "link to stabilisation support")),
        ),
        group="needs_preparation",
    ),
)


def _meta(**fields: Any) -> RuleMeta:
    """RuleMeta from keyword fields (``parameters`` given as a tuple of ids)."""
    return RuleMeta(**fields)


TYPOLOGY = ScoredTypology(
    meta=_meta(
        rule_id=TYPOLOGY_ID,
        title=Text("로지스틱 취업가능성 유형 (예시)", "logistic chance-of-employment types (example)"),
        source=SourceRef("employkit-logit-example", "parameters.toml", "AMAS-style model; illustrative coefficients"),
        effective_from=dt.date(2020, 1, 1),
        parameters=("profiling.seeker.logit_example.model", "profiling.seeker.logit_example.bands"),
    ),
    scorer=Scorer("logistic", "profiling.seeker.logit_example.model", "profiling.seeker.logit_example.bands"),
    segments=SEGMENTS,
)


@hookimpl
def employkit_pack_info() -> PackInfo:
    """The example pack's identity."""
    return PACK


@hookimpl
def employkit_parameters() -> Iterable[Parameter]:
    """The model and its bands."""
    return load_pack_parameters(__package__)


@hookimpl
def employkit_seeker_typologies() -> Iterable[SeekerTypology]:
    """The logistic typology."""
    return (TYPOLOGY,)
