"""Matching: the national components, the total, gates, flags and ranking on hand-built pairs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from attrs import evolve, frozen

from employkit.codes import district_km
from employkit.errors import ConfigError, ParameterError, RuleConflictError
from employkit.labels import Text
from employkit.matching import Filters, Matcher, MatchResult, rank, score
from employkit.matching.base import ArrayScores, Columns, ComponentScore, Kernel, MatchComponent, Pair
from employkit.matching.batch import BatchScorer
from employkit.model import EmploymentType, Intake, Seeker, SeekerGroup, Vacancy
from employkit.national.matching import haversine_km, monthly_minimum_wage, national_components
from employkit.packs import RuleMeta
from employkit.rules import EvalContext, RuleSystem
from employkit.testing import config_from_toml, make_pack, make_system, parameters_from_toml

DAY = dt.date(2016, 3, 2)
SYSTEM = make_system()


def seeker(**changes: Any) -> Seeker:
    """A seeker who wants exactly what :func:`vacancy` offers."""
    base = Seeker(
        seeker_id="S1",
        residence_code="11140",
        registered_on=dt.date(2016, 1, 4),
        birth_year=1970,
        desired_occupation="5611",
        desired_wage=1_500_000,
        desired_hours=40.0,
        employment_types=frozenset({EmploymentType.REGULAR}),
        intake=Intake(mobile=False),
        skills=frozenset({"건물 청소", "분리수거"}),
        certificates=frozenset({"청소년지도사"}),
    )
    return evolve(base, **changes)


def vacancy(**changes: Any) -> Vacancy:
    base = Vacancy(
        vacancy_id="V1",
        employer_id="E1",
        occupation="5611",
        openings=1,
        employment_type=EmploymentType.REGULAR,
        region_code="11140",
        posted_on=dt.date(2016, 2, 1),
        offered_wage=1_500_000,
        hours_per_week=40.0,
        required_skills=frozenset({"건물 청소"}),
        required_certificates=frozenset({"청소년지도사"}),
        extra={"optional_skills": "분리수거"},
    )
    return evolve(base, **changes)


def result(
    s: Seeker | None = None, v: Vacancy | None = None, system: RuleSystem = SYSTEM, as_of: dt.date = DAY
) -> MatchResult:
    return score(s or seeker(), v or vacancy(), system, as_of=as_of)


# --------------------------------------------------------------------------- registration


def test_national_components_are_registered_with_their_parameters() -> None:
    keys = {c.key: c for c in SYSTEM.match_components()}
    assert set(keys) == {"occupation", "wage", "place", "hours", "skills", "age"}
    for c in keys.values():
        assert isinstance(c, MatchComponent)
        assert c.meta.rule_id == f"national.matching.{c.key}"
        assert f"matching.weight.{c.key}" in c.meta.parameters
    assert not [g for g in SYSTEM.gaps if "matching" in g.id]
    assert [c.key for c in national_components()] == list(Matcher(SYSTEM, DAY).keys)


# --------------------------------------------------------------------------- acceptance


def test_perfect_match_scores_one_with_every_component_explained() -> None:
    r = result()
    assert r.total == 1.0
    assert r.eligible and not r.gates and not r.flags
    for key in ("occupation", "wage", "place", "hours", "skills"):
        c = r.component(key)
        assert c.counted and c.value == 1.0 and c.contribution == pytest.approx(c.share)
    assert sum(c.contribution for c in r.components) == pytest.approx(1.0)
    for c in r.components:
        assert c.explanation.rule_id == f"national.matching.{c.key}"
        assert c.explanation.reasons and c.reason("en") and c.reason("ko")
    assert r.component("age").missing and "no age preference" in r.component("age").reason("en")
    assert r.explanation.details == tuple(c.explanation for c in r.components)
    assert {u.parameter_id for u in r.explanation.parameters} == {
        f"matching.weight.{k}" for k in ("occupation", "wage", "place", "hours", "skills")
    }


def test_ten_percent_wage_shortfall_lowers_only_the_wage_component() -> None:
    perfect = result()
    short = result(v=vacancy(offered_wage=1_350_000))
    wage = short.component("wage")
    assert wage.value == pytest.approx(1 - 0.10 / 0.30)
    assert wage.reason("en") == "offers 1,350,000 ₩, 150,000 ₩ below what the seeker wants (1,500,000 ₩)"
    assert "150,000 ₩" in wage.reason("ko")
    assert wage.explanation.inputs["difference_krw"] == -150_000
    for before, after in zip(perfect.components, short.components, strict=True):
        if before.key != "wage":
            assert (before.value, before.share, before.status) == (after.value, after.share, after.status)
    assert short.total == pytest.approx(1 - wage.share * (1 - wage.value))
    assert short.total < perfect.total


def test_the_issue_example_of_a_wage_below_the_wish() -> None:
    wage = result(v=vacancy(offered_wage=1_400_000)).component("wage")
    assert wage.reason("en").startswith("offers 1,400,000 ₩, 100,000 ₩ below what the seeker wants")


def test_chungnam_part_time_career_break_woman_prefers_the_time_selective_job() -> None:
    # seeds/002_62de1f3d4f953fee.txt#L130: 경력단절 여성 등 시간선택제 구직자 발굴
    woman = seeker(
        seeker_id="S9",
        birth_year=1978,
        groups=frozenset({SeekerGroup.CAREER_BREAK_WOMAN}),
        desired_hours=20.0,
        employment_types=frozenset(),
    )
    full_time = vacancy(vacancy_id="V-FT", hours_per_week=40.0, employment_type=EmploymentType.REGULAR)
    part_time = vacancy(vacancy_id="V-TS", hours_per_week=20.0, employment_type=EmploymentType.TIME_SELECTIVE)
    ranked = rank(woman, [full_time, part_time], SYSTEM, as_of=DAY)
    assert [r.vacancy_id for r in ranked] == ["V-TS", "V-FT"]
    assert ranked[0].total > ranked[1].total
    assert ranked[1].component("hours").value == 0.0
    assert "20 h more than wanted" in ranked[1].component("hours").reason("en")
    # the same woman listing time-selective work as the only type she wants: the full-time job fails the gate
    wants_ts = evolve(woman, employment_types=frozenset({EmploymentType.TIME_SELECTIVE}))
    gated = result(wants_ts, full_time)
    assert not gated.eligible and gated.gates == ("hours",)
    assert any("gate failed" in t.en for t in gated.component("hours").explanation.reasons)
    assert [r.vacancy_id for r in rank(wants_ts, [full_time, part_time], SYSTEM, as_of=DAY)] == ["V-TS"]
    shown = rank(wants_ts, [full_time, part_time], SYSTEM, as_of=DAY, include_gated=True)
    assert [(r.vacancy_id, r.eligible) for r in shown] == [("V-TS", True), ("V-FT", False)]


# --------------------------------------------------------------------------- missing data and age


@pytest.mark.parametrize(
    ("key", "s_changes", "v_changes", "said"),
    [
        ("wage", {"desired_wage": None}, {}, "desired wage not recorded"),
        ("wage", {}, {"offered_wage": None}, "offered wage not stated"),
        ("occupation", {"desired_occupation": None}, {}, "desired occupation not recorded"),
        ("hours", {"desired_hours": None, "employment_types": frozenset()}, {}, "no hours or type wishes"),
        ("skills", {"skills": frozenset(), "certificates": frozenset()}, {}, "not recorded"),
        (
            "skills",
            {},
            {"required_skills": frozenset(), "required_certificates": frozenset(), "extra": {}},
            "asks for no skills",
        ),
    ],
)
def test_missing_data_is_neutral_and_said(
    key: str, s_changes: dict[str, Any], v_changes: dict[str, Any], said: str
) -> None:
    s, v = seeker(**s_changes), vacancy(**{"offered_wage": 1_200_000, **v_changes})
    r = result(s, v)
    c = r.component(key)
    assert c.missing and not c.counted and c.share == 0.0 and c.contribution == 0.0
    assert said in c.reason("en")
    assert any("no penalty" in t.en for t in c.explanation.reasons)
    without = Matcher(SYSTEM, DAY, exclude=[key]).score(s, v)
    assert r.total == without.total


def test_age_preference_is_a_flag_not_a_penalty() -> None:
    older = seeker(birth_year=1955)  # 61 on DAY
    prefers_young = vacancy(min_age=20, max_age=39)
    r = result(older, prefers_young)
    age = r.component("age")
    assert age.advisory and not age.counted and age.share == 0.0
    assert age.value == 0.0  # 22 years outside: shown, not counted
    assert r.total == result(older, vacancy()).total == 1.0
    assert {"age_preference", "age_outside_preference"} <= set(r.flags)
    assert "age_used" not in r.flags
    assert any("not counted" in t.en and "unlawful" in t.en for t in age.explanation.reasons)
    assert any("for the counsellor" in t.en for t in r.explanation.reasons)


def test_age_counts_only_under_explicit_configuration() -> None:
    config = config_from_toml("[matching]\nuse_age = true\n")
    audited = make_system(config=config)
    r = result(seeker(birth_year=1971), vacancy(min_age=20, max_age=39), system=audited)  # 45: 6 years outside
    age = r.component("age")
    assert age.counted and age.value == pytest.approx(1 - 6 / 10)
    assert "age_used" in r.flags
    assert any("use_age = true" in t.en for t in age.explanation.reasons)
    assert r.total < 1.0
    with pytest.raises(ConfigError, match="use_age must be true or false"):
        result(system=make_system(config=config_from_toml('[matching]\nuse_age = "yes"\n')))


# --------------------------------------------------------------------------- components


def test_occupation_by_keco_distance_and_related_table() -> None:
    def occ(wanted: str, offered: str) -> Any:
        return result(seeker(desired_occupation=wanted), vacancy(occupation=offered)).component("occupation")

    assert occ("5611", "5612").value == 0.85
    assert occ("5611", "5629").value == 0.6
    assert occ("5611", "5323").value == 0.3
    assert occ("5611", "6151").value == 0.0
    assert "different major groups" in occ("5611", "6151").reason("en")
    related = occ("5420", "5623")  # 경비·주차: seeds/000_743a0a447e219bca.txt#L608
    assert related.value == 0.8 and related.explanation.inputs["keco_distance"] == 3
    assert "related occupations" in related.explanation.reasons[1].en


def test_place_by_region_mobility_and_km() -> None:
    def place(s: Seeker, v: Vacancy) -> Any:
        return result(s, v).component("place")

    # no coordinates: km between the district centroids (full within 5 km, 0 at 40 km, 150 km if mobile)
    assert place(seeker(), vacancy()).value == 1.0
    assert place(seeker(residence_code="11110"), vacancy()).value == 1.0  # 종로구-중구: 4.2 km
    gangseo = place(seeker(residence_code="11500"), vacancy())
    assert gangseo.value == pytest.approx((40 - district_km("11500", "11140")) / 35)  # type: ignore[operator]
    assert gangseo.explanation.inputs["distance_from"] == "district centroids"
    assert "district centroid" in gangseo.explanation.reasons[-1].en
    assert place(seeker(residence_code="44130"), vacancy()).value == 0.0  # Cheonan: about 80 km
    mobile = seeker(residence_code="44130", intake=Intake(mobile=True))
    assert place(mobile, vacancy()).value == pytest.approx((150 - district_km("44130", "11140")) / 145)  # type: ignore[operator]
    assert "wide-area" in place(mobile, vacancy()).explanation.reasons[1].en
    # an old code counts by its successor: Wanju before and after 2024-01-18, 0 km apart
    wanju = place(seeker(residence_code="45710"), vacancy(region_code="52710"))
    assert wanju.value == 1.0 and wanju.explanation.inputs["distance_km"] == 0.0
    assert place(seeker(residence_code="11"), vacancy()).value == 0.6  # province only: never "same district"
    home = {"latitude": 37.5636, "longitude": 126.9976}
    far = {"latitude": 37.5636 + 0.2, "longitude": 126.9976}  # about 22 km north
    km = haversine_km(37.5636, 126.9976, 37.7636, 126.9976)
    near = place(seeker(extra=home), vacancy(extra=home))
    assert near.value == 1.0 and "0.0 km" in near.reason("en")
    away = place(seeker(extra=home), vacancy(extra={**far, "optional_skills": ""}))
    assert away.value == pytest.approx((40 - km) / 35)
    assert f"{km:.1f} km from home" in away.reason("en")
    mixed = place(seeker(extra={"latitude": "n/a"}), vacancy(extra=far)).explanation.inputs
    assert mixed["distance_from"] == "coordinates and a district centroid"


def test_skills_list_what_is_missing_and_licence_gate() -> None:
    v = vacancy(
        required_skills=frozenset({"엑셀", "forklift"}),
        required_certificates=frozenset(),
        extra={"optional_skills": "운전; 영어"},
    )
    c = result(seeker(skills=frozenset({"엑셀", "영어"})), v).component("skills")
    assert c.value == pytest.approx((0.6 * 0.5 + 0.15 * 0.5) / 0.75)
    assert "missing: forklift" in c.reason("en") and "missing: 운전" in c.explanation.reasons[1].en

    care = vacancy(occupation="5501", required_certificates=frozenset({"요양보호사"}))
    lacks = result(seeker(desired_occupation="5501", certificates=frozenset({"운전면허"})), care)
    assert not lacks.eligible and lacks.gates == ("skills",)
    assert any("요양보호사" in t.en and "missing" in t.en for t in lacks.component("skills").explanation.reasons)
    unknown = result(seeker(desired_occupation="5501", certificates=frozenset()), care)
    assert unknown.eligible and "certificates_unverified" in unknown.flags
    off = SYSTEM.with_parameters({"matching.gate.licence": False}, since=dt.date(2015, 1, 1))
    assert result(seeker(desired_occupation="5501", certificates=frozenset({"운전면허"})), care, off).eligible


def test_offer_below_the_minimum_wage_is_flagged() -> None:
    # 2016: 6,030 KRW/h x 209 h = 1,260,270 KRW a month
    r = result(seeker(desired_wage=900_000), vacancy(offered_wage=1_000_000))
    assert "below_minimum_wage" in r.flags and r.component("wage").value == 1.0
    assert any("1,260,270 ₩" in t.en for t in r.component("wage").explanation.reasons)
    part_time = result(seeker(desired_wage=600_000), vacancy(offered_wage=650_000, hours_per_week=20.0))
    assert "below_minimum_wage" not in part_time.flags  # 20 h: 630,135 KRW


def test_minimum_wage_is_the_posting_dates_and_part_time_under_15_hours_has_no_weekly_rest() -> None:
    # 2026: 10,320 KRW/h. 10 h a week: no paid weekly rest (근로기준법 제18조③), so the
    # floor is 10,320 x 10 x 365/7/12 = 448,429 KRW and 450,000 is legal.
    ten_hours = vacancy(offered_wage=450_000, hours_per_week=10.0, posted_on=dt.date(2026, 3, 2))
    legal = result(seeker(desired_wage=400_000), ten_hours, as_of=dt.date(2026, 3, 10))
    assert "below_minimum_wage" not in legal.flags
    wage = legal.component("wage").explanation
    assert wage.inputs["monthly_minimum_wage"] == 448_429
    assert wage.details[0].as_of == dt.date(2026, 3, 2)
    assert wage.details[0].parameter("labour.minimum_wage.weekly_rest_min_hours").value == 15
    short = result(seeker(desired_wage=400_000), evolve(ten_hours, offered_wage=448_000), as_of=dt.date(2026, 3, 10))
    assert "below_minimum_wage" in short.flags
    # 15 h and more: the weekly rest is included (10,320 x 209 x 15/40 = 808,830)
    fifteen = evolve(ten_hours, hours_per_week=15.0, offered_wage=800_000)
    assert "below_minimum_wage" in result(seeker(desired_wage=400_000), fifteen, as_of=dt.date(2026, 3, 10)).flags
    # posted in December 2025, evaluated in January 2026: the 2025 minimum (10,030 x 209 = 2,096,270)
    december = vacancy(offered_wage=2_100_000, posted_on=dt.date(2025, 12, 15))
    january = result(seeker(desired_wage=2_000_000), december, as_of=dt.date(2026, 1, 10))
    assert "below_minimum_wage" not in january.flags
    assert january.component("wage").explanation.inputs["monthly_minimum_wage"] == 2_096_270
    # 2010 (Guro's plan year): 4,110 x 209 = 858,990
    found = monthly_minimum_wage(SYSTEM, dt.date(2010, 4, 1), None)
    assert found is not None and found[0] == 858_990
    assert monthly_minimum_wage(SYSTEM, dt.date(2009, 12, 31), None) is None  # no value before 2010: no check


def test_weights_and_parameters_come_from_the_packs() -> None:
    heavy = SYSTEM.with_parameters({"matching.weight.wage": 3.0}, since=dt.date(2015, 1, 1))
    v = vacancy(offered_wage=1_050_000)  # a 30 % shortfall: wage value 0
    assert result(v=v, system=heavy).total < result(v=v).total
    assert result(v=v, system=heavy).explanation.parameter("matching.weight.wage").pack == "centre"
    bad = SYSTEM.with_parameters({"matching.occupation.by_distance": [0.2, 1.0, 0.5, 0.3, 0.0]})
    with pytest.raises(ParameterError, match="must not increase"):
        result(system=bad)
    negative = SYSTEM.with_parameters({"matching.weight.place": -1})
    with pytest.raises(ParameterError, match="finite number"):
        Matcher(negative, DAY)


# --------------------------------------------------------------------------- packs add components


COMMUTE_META = RuleMeta(
    rule_id="gu.matching.commute",
    title=Text("통근 시간", "commute time"),
    parameters=("matching.weight.commute",),
)


@frozen
class Commute:
    """A district's commute-time component: 1 under 30 minutes, else 0; it reads ``extra["minutes"]``."""

    meta: RuleMeta = COMMUTE_META
    key: str = "commute"
    seeker_fields: tuple[str, ...] = ()
    vacancy_fields: tuple[str, ...] = ("minutes",)

    def kernel(self, seekers: Columns, vacancies: Columns, ctx: EvalContext) -> Kernel:
        minutes = np.array([np.nan if m is None else float(m) for m in vacancies["minutes"].tolist()])

        def function(s: Columns, v: Columns) -> ArrayScores:
            known = ~np.isnan(v["minutes"])
            return ArrayScores(values=np.where(known & (v["minutes"] <= 30), 1.0, 0.0), counted=known, gate=False)

        return Kernel({}, {"minutes": minutes}, function)

    def explain(self, pair: Pair, ctx: EvalContext) -> ComponentScore:
        minutes = pair.vacancy["minutes"]
        if minutes is None:
            return ComponentScore(
                component=self.key, value=0.0, missing=True, explanation=ctx.explain(self.meta.rule_id)
            )
        reason = Text(f"통근 {minutes}분", f"{minutes} min commute")
        return pair.result(self, ctx, [reason], {"minutes": minutes})


WEIGHT = """
[[parameter]]
id = "matching.weight.commute"
[[parameter.value]]
from = 2015-01-01
value = 0.5
source = "district decision"
"""


def test_a_pack_adds_a_component_read_from_extra_columns() -> None:
    system = make_system(make_pack("gu", match_components=[Commute()], parameters=parameters_from_toml(WEIGHT)))
    matcher = Matcher(system, DAY)
    assert matcher.keys[-1] == "commute" and isinstance(Commute(), MatchComponent)
    vs = [vacancy(vacancy_id=f"V{m}", extra={"minutes": m}) for m in (10, 45)] + [vacancy(vacancy_id="Vx")]
    ss = [seeker(), seeker(seeker_id="S2", desired_wage=2_000_000)]
    totals, eligible = BatchScorer(matcher, ss, vs).scores()
    for i, s in enumerate(ss):
        for j, v in enumerate(vs):
            one = matcher.score(s, v)
            assert totals[i, j] == pytest.approx(one.total, abs=1e-9) and eligible[i, j] == one.eligible
    assert matcher.score(ss[0], vs[1]).component("commute").reason("en") == "45 min commute"
    with pytest.raises(ParameterError, match=r"matching\.weight\.commute"):
        Matcher(make_system(make_pack("gu", match_components=[Commute()])), DAY)


def test_two_components_with_one_key_conflict() -> None:
    twin = evolve(Commute(), meta=RuleMeta(rule_id="gu.matching.commute2", title=Text("a", "a")))
    system = make_system(make_pack("gu", match_components=[Commute(), twin], parameters=parameters_from_toml(WEIGHT)))
    with pytest.raises(RuleConflictError, match="share the key 'commute'"):
        Matcher(system, DAY)


# --------------------------------------------------------------------------- ranking


def test_rank_filters_and_both_directions() -> None:
    vs = [
        vacancy(vacancy_id="A", region_code="11110"),
        vacancy(vacancy_id="B"),
        vacancy(vacancy_id="C", occupation="6151"),
        vacancy(vacancy_id="D", employment_type=EmploymentType.DAILY),
        vacancy(vacancy_id="E", posted_on=dt.date(2016, 6, 1)),  # not yet posted on DAY
    ]
    s = seeker(employment_types=frozenset())
    # A (종로구, 4 km from the seeker's 중구) scores as B: both within the full-value radius
    assert [r.vacancy_id for r in rank(s, vs, SYSTEM, as_of=DAY)] == ["A", "B", "D", "C"]
    assert [r.vacancy_id for r in rank(s, vs, SYSTEM, as_of=DAY, open_only=False, top=2)] == ["A", "B"]
    assert [r.vacancy_id for r in rank(s, vs, SYSTEM, as_of=DAY, filters=Filters(region="1111"))] == ["A"]
    assert [r.vacancy_id for r in rank(s, vs, SYSTEM, as_of=DAY, filters=Filters(occupation="61"))] == ["C"]
    daily = Filters(employment_type=EmploymentType.DAILY)
    assert [r.vacancy_id for r in rank(s, vs, SYSTEM, as_of=DAY, filters=daily)] == ["D"]
    assert rank(s, vs, SYSTEM, as_of=DAY, method="pairs") == rank(s, vs, SYSTEM, as_of=DAY)
    people = [seeker(seeker_id="far", residence_code="44130"), seeker(seeker_id="near"), seeker(seeker_id="x")]
    assert [r.seeker_id for r in rank(vacancy(), people, SYSTEM, as_of=DAY)] == ["near", "x", "far"]
    with pytest.raises(ValueError, match="code prefix"):
        Filters(region="Seoul")
