"""What a KPI is computed over: the period, the observation date, and the inputs that are not records.

Most KPIs count a centre's records. Some need figures a centre does not keep as records:
population and labour-force counts (통계청), counselling counts, job-board openings and
new insured employees (고용보험 취득자), referrals, local-hiring agreements. They come in
as **KPI inputs**, a mapping of names to numbers, from two places (the caller wins):

1. the caller: ``kpi_report(..., inputs={"population": 421_115})`` or
   ``employkit kpi --input population=421115`` / ``--inputs FILE.toml``;
2. the centre's ``employkit.toml``::

       [metrics.inputs]            # every period
       counsellors = 3
       [metrics.inputs.2010]       # only for the 2010 report
       population = 421_115
       economically_active = 261_933

Every input a KPI uses is named in its explanation with where it came from. An input
given for a count the records also hold (``seekers``, ``placements``, ``openings``,
``employers``) replaces the records' count: give those only for totals your records lack.
The names are listed in :data:`INPUTS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from employkit.errors import ConfigError
from employkit.labels import Text
from employkit.model import Period
from employkit.rules import EvalContext

if TYPE_CHECKING:
    from employkit.rules import RuleSystem

__all__ = ["INPUTS", "KpiContext", "KpiScope", "Period", "config_inputs", "scope_of"]

#: KPI inputs employkit's built-in KPIs know, with their labels.
INPUTS: Mapping[str, Text] = {
    "seekers": Text("구직자 수", "seekers"),
    "placements": Text("취업자 수", "placements"),
    "openings": Text("구인 인원", "openings"),
    "employers": Text("구인처 수", "employers"),
    "hires": Text("채용 인원 (충원)", "hires into openings"),
    "target": Text("취업 목표", "placement target"),
    "budget_krw": Text("예산 (원)", "budget (KRW)"),
    "counsellors": Text("상담사 수", "counsellors"),
    "consultations": Text("상담 건수 (건)", "consultations (cases, not people)"),
    "counselled": Text("상담 인원", "people counselled"),
    "served": Text("취업서비스 제공 인원", "people served"),
    "served.<service>": Text("서비스별 제공 인원 (served.referral 등)", "people served by service (served.referral …)"),
    "referrals": Text("알선 인원", "referrals"),
    "referral_placements": Text("알선 취업자 수", "placements through referral"),
    "jobboard_openings": Text("워크넷 구인 인원", "job-board openings"),
    "new_insured": Text("고용보험 취득자 수", "new insured employees"),
    "jobboard_openings_5plus": Text("워크넷 구인 인원 (5인 이상 사업체)", "job-board openings of firms with 5+ staff"),
    "survey.openings": Text("사업체노동력조사 구인 인원", "openings in the establishment labour survey"),
    "survey.unfilled": Text("사업체노동력조사 미충원 인원", "unfilled openings in the establishment labour survey"),
    "population": Text("인구수", "population"),
    "economically_active": Text("경제활동인구", "economically active population"),
    "inactive": Text("비경제활동인구", "economically inactive population"),
    "employed": Text("취업자 (경제활동인구 중)", "employed people (labour force)"),
    "unemployed": Text("실업자", "unemployed people"),
    "local_hiring.jobs": Text("지역고용 협약 일자리 수", "jobs under the local-hiring agreement"),
    "local_hiring.quota": Text("주민 채용 약정 인원", "residents promised under the agreement"),
    "local_hiring.resident_share": Text("주민 채용 약정 비율", "agreed share of residents (0–1)"),
    "local_hiring.resident_hires": Text("협약 기업의 주민 채용 인원", "residents hired under the agreement"),
}


def _inputs(values: Mapping[str, float]) -> Mapping[str, float]:
    return dict(values)


def _origins(values: Mapping[str, str]) -> Mapping[str, str]:
    return dict(values)


@frozen(kw_only=True)
class KpiScope:
    """The period, the observation date and the inputs of one KPI computation.

    ``observed_on`` is the date the records describe (the report's as-of date): records
    dated after it are left out, and a retention check counts only once it is due by
    then. ``segments`` maps seeker ids to a segment label, for the ``segment`` breakdown.
    """

    period: Period
    observed_on: dt.date
    inputs: Mapping[str, float] = field(factory=dict, converter=_inputs, hash=False)
    input_origins: Mapping[str, str] = field(factory=dict, converter=_origins, hash=False)
    by: str | None = None
    segments: Mapping[str, str] | None = field(default=None, hash=False)
    ci: bool = False

    @property
    def until(self) -> dt.date:
        """The last day counted: the period's end, or the observation date if earlier."""
        return min(self.period.end, self.observed_on)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: a KPI input must be a number, got {value!r}")
    if value < 0:
        raise ConfigError(f"{where}: a KPI input must not be negative, got {value!r}")
    return value


def config_inputs(system: RuleSystem, year: int) -> dict[str, tuple[float, str]]:
    """The ``[metrics.inputs]`` of the centre configuration that apply to ``year``.

    Returns name → (value, where it was set). Year tables (``[metrics.inputs.2015]``)
    win over plain keys. Raises :class:`~employkit.errors.ConfigError` for values that
    are not non-negative numbers.
    """
    raw = system.config.setting("metrics", "inputs", {})
    where = system.config.path or "employkit.toml"
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: [metrics.inputs] must be a table of name = number")
    found: dict[str, tuple[float, str]] = {}
    for key, value in raw.items():
        if isinstance(value, Mapping):
            if not str(key).isdigit():
                raise ConfigError(f"{where}: [metrics.inputs.{key}] — only years may hold tables of inputs")
            continue
        found[str(key)] = (_number(value, f"{where}: metrics.inputs.{key}"), f"{where} [metrics.inputs]")
    for key, value in raw.items():
        if isinstance(value, Mapping) and str(key) == str(year):
            for name, number in value.items():
                found[str(name)] = (
                    _number(number, f"{where}: metrics.inputs.{key}.{name}"),
                    f"{where} [metrics.inputs.{key}]",
                )
    return found


class KpiContext(EvalContext):
    """An evaluation context that also carries a :class:`KpiScope` and a shared cache.

    Built by :func:`employkit.metrics.report.kpi_report`; a KPI reads the scope with
    :func:`scope_of`. Forks share the scope and the cache, so populations are selected
    once per report, not once per KPI.
    """

    def __init__(
        self, system: RuleSystem, as_of: dt.date, scope: KpiScope, cache: dict[Any, Any] | None = None
    ) -> None:
        super().__init__(system, as_of)
        self.scope = scope
        self.cache: dict[Any, Any] = {} if cache is None else cache

    def fork(self) -> KpiContext:
        """A context for the same date and scope with no recorded uses."""
        return KpiContext(self.system, self.as_of, self.scope, self.cache)


def scope_of(ctx: EvalContext) -> KpiScope:
    """The scope of a KPI computation.

    A :class:`KpiContext` carries it; a plain context gets the calendar year of
    ``ctx.as_of``, observed on ``ctx.as_of``, with the centre's configured inputs.
    """
    if isinstance(ctx, KpiContext):
        return ctx.scope
    year = ctx.as_of.year
    configured = config_inputs(ctx.system, year)
    return KpiScope(
        period=Period.year(year),
        observed_on=ctx.as_of,
        inputs={k: v for k, (v, _) in configured.items()},
        input_origins={k: w for k, (_, w) in configured.items()},
    )
