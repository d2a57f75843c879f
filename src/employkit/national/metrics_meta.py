"""What the national pack's KPIs share: the documents they cite, their rule metadata, common measures.

:func:`meta` is the metadata of a KPI a source document defines; :func:`own` that of a
KPI no document defines (labelled as an employkit definition, with the reason).
"""

from __future__ import annotations

import datetime as dt

import attrs

from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.metrics.measures import Count, FirstOf, Input, Sum, Where
from employkit.packs import RuleMeta

__all__ = [
    "GURO",
    "HIRES",
    "JUNGGU",
    "NATIONAL",
    "OPENINGS",
    "PLACED_SEEKERS",
    "PLACEMENTS",
    "SEEKERS",
    "WANJU",
    "WITH_WAGE",
    "meta",
    "own",
]

JUNGGU = "seeds/000_743a0a447e219bca.txt"
NATIONAL = "seeds/001_9743a8cda015755e.txt"
GURO = "seeds/003_cafe3b9757853c08.txt"
WANJU = "seeds/004_169ebb75f2837f78.txt"


def meta(key: str, ko: str, en: str, source: tuple[str, str] | None, params: tuple[str, ...] = ()) -> RuleMeta:
    used: tuple[str, ...] = (
        "metrics.rounding.decimals",
        "metrics.rounding.display_decimals",
        "metrics.wilson.z",
        "metrics.suppression.min_cell",
        *params,
    )
    return RuleMeta(
        rule_id=f"metrics.national.{key}",
        title=Text(ko, en),
        source=SourceRef(*source) if source else None,
        effective_from=dt.date(2000, 1, 1),
        parameters=used,
    )


def own(
    key: str, ko: str, en: str, why: str, near: tuple[str, str] | None = None, params: tuple[str, ...] = ()
) -> RuleMeta:
    """The meta of a KPI no source document defines: labelled as an employkit definition.

    Its source is ``employkit definition`` (so the catalogue says so) and its description
    says why (so every explanation says so); ``near`` is the document line it relates to.
    """
    base = meta(key, ko, en, None, params)
    note = f"{why}; related: {near[0]}#{near[1]}" if near else why
    return attrs.evolve(
        base,
        source=SourceRef("employkit definition", None, note),
        description=Text(
            f"employkit 정의: 원문 문서에 정의 없음 ({why})",
            f"employkit definition: no source document defines it ({why})",
        ),
    )


SEEKERS = FirstOf(Input("seekers"), Count("seekers"))
PLACEMENTS = FirstOf(Input("placements"), Count("placements"))
PLACED_SEEKERS = FirstOf(Input("placements"), Count("placed_seekers"))
OPENINGS = FirstOf(Input("openings"), Sum("vacancies", "openings", title=Text("구인 인원", "openings")))
HIRES = FirstOf(Input("hires"), Sum("vacancies", "hires", title=Text("충원 인원", "hires into openings")))
WITH_WAGE = Where("monthly_wage", "present")
