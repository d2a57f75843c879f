"""Seeker profiling: the national typology, special-type pathways, scorers, the vectorised path."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from employkit.errors import ConfigError, DataError, RuleNotFound
from employkit.labels import Text
from employkit.model import EmploymentType, Gender, Intake, Level, Seeker, SeekerGroup
from employkit.national.profiling import NATIONAL_SEEKER_ID, SPECIAL_TYPE_ID, seeker_table
from employkit.packs import RuleMeta
from employkit.profiling.api import (
    ROW_FIELDS,
    classify_seeker,
    default_typology_id,
    explain_column,
    profile_columns,
    profile_dataset,
    pseudonym,
    seeker_typology,
)
from employkit.profiling.base import INTAKE_FIELDS, SeekerTypology, Segment
from employkit.profiling.batch import SeekerColumns
from employkit.profiling.scorers import FEATURES, ScoredTypology, Scorer
from employkit.rules import RuleSystem
from employkit.testing import config_from_toml, make_pack, make_system, parameters_from_toml

DAY = dt.date(2022, 6, 1)
H, M, L = Level.HIGH, Level.MID, Level.LOW


@pytest.fixture(scope="module")
def system() -> RuleSystem:
    return make_system()


def seeker(sid: str = "S1", **answers: Any) -> Seeker:
    extra = answers.pop("extra", {})
    groups = answers.pop("groups", ())
    types = answers.pop("employment_types", ())
    return Seeker(
        seeker_id=sid,
        residence_code="11140",
        registered_on=dt.date(2022, 1, 3),
        intake=Intake(**answers),
        groups=groups,
        employment_types=types,
        extra=extra,
    )


# ---------------------------------------------------------------- one seeker per national segment

CASES = [
    (
        dict(job_field_decided=True, employability=H, mobile=True),
        "ready_mobile",
        ["worknet_info", "intensive_referral", "wide_area_referral"],
        {"job_field_decided", "employability", "mobile"},
    ),
    (
        dict(job_field_decided=True, employability=H, mobile=False),
        "ready_local",
        ["worknet_info", "intensive_referral", "local_referral"],
        {"job_field_decided", "employability", "mobile"},
    ),
    (
        dict(job_field_decided=False, employability=L, motivation=L, ability=M),
        "prep_low_motivation",
        ["in_depth_counselling", "motivation_programme", "reprofile", "referral"],
        {"job_field_decided", "employability", "motivation", "ability"},
    ),
    (
        dict(job_field_decided=False, employability=L, motivation=M, ability=L),
        "prep_low_ability",
        ["training", "work_experience", "reprofile", "referral"],
        {"job_field_decided", "employability", "motivation", "ability"},
    ),
    (
        dict(job_field_decided=False, employability=L, motivation=L, ability=L, economic_hardship=True),
        "prep_multiple_barriers",
        ["integrated_case_management", "welfare_link", "reprofile", "referral"],
        {"job_field_decided", "employability", "motivation", "ability", "economic_hardship"},
    ),
]


@pytest.mark.parametrize(("answers", "segment", "pathway", "decisive"), CASES, ids=[c[1] for c in CASES])
def test_one_seeker_per_national_segment(
    system: RuleSystem, answers: dict[str, Any], segment: str, pathway: list[str], decisive: set[str]
) -> None:
    p = classify_seeker(seeker(**answers), system, DAY)
    assert p.segment is not None and p.segment.code == segment
    assert [s.code for s in p.segment.pathway] == pathway
    assert p.segment.label.ko and p.segment.label.en
    e = p.explanation
    assert e.rule_id == NATIONAL_SEEKER_ID and e.pack == "national" and e.pack_version
    assert set(e.inputs) - {"row"} == decisive  # the answers that decided it, and only those
    assert any("seeds/001_9743a8cda015755e.txt#L5" in r.en for r in e.reasons)  # the row's line in the plan
    assert any("none used" in r.en for r in e.reasons)
    assert p.protected_used == ()


def test_ready_needs_a_decided_field_and_high_employability(system: RuleSystem) -> None:
    # employability mid with the field decided: not ready (the plan's ready group has 취업가능성 上)
    p = classify_seeker(seeker(job_field_decided=True, employability=M, motivation=H, ability=H), system, DAY)
    assert p.segment is not None and p.segment.group == "needs_preparation"
    # both rated low without hardship: the plan is silent (L516-L520) → counsellor review
    p = classify_seeker(
        seeker(job_field_decided=True, employability=L, motivation=L, ability=L, economic_hardship=False), system, DAY
    )
    assert p.segment is not None and p.segment.code == "counsellor_review"


# the three cases the plan's table (seeds/001 L500-L520) does not settle, and the option that settles each
GAPS = [
    (
        dict(job_field_decided=False, employability=L, motivation=L, ability=L, economic_hardship=False),
        "profiling.seeker.national.assume.both_lacking_motivation_first",
        "prep_low_motivation",
    ),
    (
        dict(job_field_decided=True, employability=M, motivation=H, ability=M),
        "profiling.seeker.national.assume.nothing_lacking_by_ratings",
        "prep_low_ability",
    ),
    (
        dict(job_field_decided=False, employability=H, motivation=M, ability=M),
        "profiling.seeker.national.assume.nothing_lacking_by_ratings",
        "prep_low_motivation",
    ),
    (
        dict(job_field_decided=False, employability=H, motivation=H, ability=H),
        "profiling.seeker.national.assume.undecided_high_counselling",
        "prep_low_motivation",
    ),
]


@pytest.mark.parametrize(("answers", "option", "assumed"), GAPS, ids=[g[1].rsplit(".", 1)[1] for g in GAPS])
def test_where_the_plan_is_silent_a_counsellor_decides_unless_the_centre_opts_in(
    system: RuleSystem, answers: dict[str, Any], option: str, assumed: str
) -> None:
    p = classify_seeker(seeker(**answers), system, DAY)
    assert p.segment is not None and p.segment.code == "counsellor_review"
    assert (p.segment.label.ko, p.segment.label.en) == ("상담사 판단 필요", "needs counsellor review")
    use = p.explanation.parameter(option)
    assert use.value is False and use.effective_from == dt.date(2022, 1, 1)
    assert str(use.source).startswith("seeds/001_9743a8cda015755e.txt#L5")
    opted = make_system(config=config_from_toml(f'[parameters]\n"{option}" = true\n'))
    q = classify_seeker(seeker(**answers), opted, DAY)
    assert q.segment is not None and q.segment.code == assumed
    assert q.explanation.parameter(option).value is True and q.explanation.parameter(option).pack == "centre"
    assert "assumption" in q.explanation.reasons[0].en


def test_missing_fields_are_named_never_guessed(system: RuleSystem) -> None:
    p = classify_seeker(seeker(), system, DAY)
    assert p.segment is None and p.status == "not_profiled"
    assert p.missing == ("job_field_decided", "employability")
    assert "job_field_decided" in p.explanation.reasons[0].en
    p = classify_seeker(seeker(job_field_decided=True, employability=H), system, DAY)
    assert p.missing == ("mobile",)
    p = classify_seeker(seeker(job_field_decided=False, employability=L, motivation=L, ability=L), system, DAY)
    assert p.missing == ("economic_hardship",)
    p = classify_seeker(seeker(job_field_decided=False, employability=H, ability=L), system, DAY)
    assert p.missing == ("motivation",)


def test_the_national_typology_starts_in_2022(system: RuleSystem) -> None:
    with pytest.raises(RuleNotFound, match="in force on 2021-12-31"):
        classify_seeker(seeker(job_field_decided=True, employability=H, mobile=True), system, dt.date(2021, 12, 31))
    assert classify_seeker(seeker(job_field_decided=True, employability=H, mobile=True), system, dt.date(2022, 1, 1))


def test_unknown_typology_lists_the_known_ones(system: RuleSystem) -> None:
    with pytest.raises(RuleNotFound, match=r"known: .*profiling\.seeker\.national"):
        seeker_typology(system, DAY, "profiling.seeker.nope")
    with pytest.raises(RuleNotFound, match="not a seeker typology"):
        seeker_typology(system, DAY, "profiling.employer.national")


def test_national_typologies_are_registered(system: RuleSystem) -> None:
    ids = [t.meta.rule_id for t in system.seeker_typologies(DAY)]
    assert NATIONAL_SEEKER_ID in ids and SPECIAL_TYPE_ID in ids
    assert all(isinstance(t, SeekerTypology) for t in system.seeker_typologies(DAY))
    assert not system.gaps and not system.conflicts


# ---------------------------------------------------------------- properties

levels = st.one_of(st.none(), st.sampled_from(list(Level)))
flags = st.one_of(st.none(), st.booleans())
intakes = st.fixed_dictionaries(
    {
        "job_field_decided": flags,
        "employability": levels,
        "motivation": levels,
        "ability": levels,
        "economic_hardship": flags,
        "mobile": flags,
    }
)
CODES = {
    "ready_mobile",
    "ready_local",
    "prep_low_motivation",
    "prep_low_ability",
    "prep_multiple_barriers",
    "counsellor_review",
}


@settings(max_examples=150, deadline=None)
@given(answers=intakes)
def test_exactly_one_segment_or_missing_fields_named(answers: dict[str, Any]) -> None:
    system = _SYSTEM
    p = classify_seeker(seeker(**answers), system, DAY)
    if p.segment is None:
        assert p.missing, "not profiled must name the missing fields"
        assert all(answers[f] is None for f in p.missing)
    else:
        assert p.segment.code in CODES and p.missing == ()
        # every answer the explanation cites was given
        assert all(answers[k] is not None for k in p.explanation.inputs if k in INTAKE_FIELDS)
    again = classify_seeker(seeker(**answers), system, DAY)
    assert again == p  # deterministic


@settings(max_examples=150, deadline=None)
@given(answers=intakes, field=st.sampled_from(["motivation", "ability"]), data=st.data())
def test_raising_motivation_or_ability_never_leaves_ready(answers: dict[str, Any], field: str, data: Any) -> None:
    before = classify_seeker(seeker(**answers), _SYSTEM, DAY)
    current = answers[field]
    higher = [lv for lv in Level if current is None or lv.rank > current.rank]
    if not higher:
        return
    raised = dict(answers, **{field: data.draw(st.sampled_from(higher))})
    after = classify_seeker(seeker(**raised), _SYSTEM, DAY)
    if before.segment is not None and before.segment.group == "ready":
        assert after.segment is not None and after.segment.group == "ready"
    if before.segment is not None and before.segment.code != "prep_multiple_barriers" and after.segment:
        assert after.segment.code != "prep_multiple_barriers"


_SYSTEM = make_system()


def test_the_national_typology_is_a_checked_decision_table() -> None:
    table = seeker_table()
    assert table.table.hit_policy == "unique" and str(table.meta.source).endswith("#L464-L520")
    assert [s.code for s in table.segments][-1] == "counsellor_review"
    # every row names its line in the plan; the barriers row is L520 (의욕·능력 下, 경제적 여건 下)
    assert all(r.source is not None and r.source.document.startswith("seeds/001") for r in table.table.rows)
    barriers = [r for r in table.table.rows if r.output == "prep_multiple_barriers"]
    assert barriers and all(r.source is not None and r.source.locator == "L520" for r in barriers)


# ---------------------------------------------------------------- vectorised path


def _random_seekers(n: int, seed: int) -> list[Seeker]:
    rng = random.Random(seed)
    out = []
    for k in range(n):

        def lv() -> Level | None:
            return rng.choice([None, L, M, H, H])

        def fl() -> bool | None:
            return rng.choice([None, True, False, False])

        out.append(
            Seeker(
                seeker_id=f"R{k}",
                residence_code="11140",
                registered_on=dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(500)),
                birth_year=rng.choice([None, *range(1950, 2004)]),
                gender=rng.choice([None, *Gender]),
                nationality=rng.choice([None, "KR", "한국", "VN", "CN"]),
                intake=Intake(
                    job_field_decided=fl(),
                    employability=lv(),
                    motivation=lv(),
                    ability=lv(),
                    economic_hardship=fl(),
                    mobile=fl(),
                ),
                groups=rng.sample(list(SeekerGroup), rng.randrange(3)),
            )
        )
    return out


def test_vectorised_path_equals_one_by_one_on_random_data(system: RuleSystem) -> None:
    seekers = _random_seekers(3000, 7)
    one = profile_dataset(seekers, system, DAY, NATIONAL_SEEKER_ID)
    cols = SeekerColumns.from_seekers(seekers, DAY)
    many = profile_columns(cols, system)
    assert many.segment_codes() == [p.segment.code if p.segment else None for p in one.profiles]
    assert [many.missing_fields(i) for i in range(len(many))] == [p.missing for p in one.profiles]
    counts = many.counts()
    summary = one.summary()
    assert {k: v for k, v in counts.items() if v} == {k: v for k, v in summary.items() if v}
    assert explain_column(cols, 5, system) == one.profiles[5]


def test_columns_rebuilt_from_arrays_classify_alike(system: RuleSystem) -> None:
    seekers = _random_seekers(500, 11)
    cols = SeekerColumns.from_seekers(seekers, DAY)
    arrays = {f: getattr(cols, f) for f in (*INTAKE_FIELDS, "age", "gender", "foreign", "groups", "registered_days")}
    bare = SeekerColumns.from_arrays(DAY, cols.ids, **arrays)
    a, b = profile_columns(cols, system), profile_columns(bare, system)
    assert np.array_equal(a.codes, b.codes) and np.array_equal(a.missing, b.missing)
    assert (
        explain_column(bare, 3, system).segment
        == profile_dataset(seekers[3:4], system, DAY, NATIONAL_SEEKER_ID).profiles[0].segment
    )


def test_bad_columns_are_reported() -> None:
    with pytest.raises(DataError) as err:
        SeekerColumns.from_arrays(DAY, ["a", "b"], motivation=[0, 5], ability=[1], colour=[1, 2])
    text = str(err.value)
    assert "motivation" in text and "ability" in text and "colour" in text


def test_a_typology_without_a_vectorised_path_says_so(system: RuleSystem) -> None:
    cols = SeekerColumns.from_seekers(_random_seekers(3, 1), DAY)
    with pytest.raises(RuleNotFound, match="no vectorised path"):
        profile_columns(cols, system, typology_id=SPECIAL_TYPE_ID)


# ---------------------------------------------------------------- special-type workers


@pytest.mark.parametrize(
    ("extra", "types", "segment", "first"),
    [
        ({"special_type_goal": "wage"}, (), "st_to_wage", "career_guidance"),
        ({"special_type_goal": "특고"}, (), "st_stay", "career_pay_counselling"),
        ({"special_type_goal": "자영업"}, (), "st_to_self_employment", "startup_counselling"),
        ({}, (EmploymentType.SPECIAL_TYPE,), "st_stay", "career_pay_counselling"),
        ({}, (EmploymentType.REGULAR,), "st_to_wage", "career_guidance"),
    ],
)
def test_special_type_pathways(
    system: RuleSystem, extra: dict[str, str], types: tuple[EmploymentType, ...], segment: str, first: str
) -> None:
    s = seeker(groups=[SeekerGroup.SPECIAL_TYPE_WORKER], extra=extra, employment_types=types)
    p = classify_seeker(s, system, DAY, SPECIAL_TYPE_ID)
    assert p.segment is not None and p.segment.code == segment
    assert p.segment.pathway[0].code == first


def test_special_type_needs_a_goal_and_applies_only_to_special_type_workers(system: RuleSystem) -> None:
    undecided = seeker(
        groups=[SeekerGroup.SPECIAL_TYPE_WORKER],
        employment_types=(EmploymentType.SPECIAL_TYPE, EmploymentType.REGULAR),
    )
    p = classify_seeker(undecided, system, DAY, SPECIAL_TYPE_ID)
    assert p.status == "not_profiled" and p.missing == ("special_type_goal",)
    other = classify_seeker(seeker(groups=[SeekerGroup.YOUTH]), system, DAY, SPECIAL_TYPE_ID)
    assert other.status == "not_applicable" and other.missing == ()


# ---------------------------------------------------------------- scorers and protected attributes

SCORE_PARAMS = """
[[parameter]]
id = "profiling.seeker.demo.model"
[[parameter.value]]
from = 2020-01-01
value = { intercept = 1.0, weights = { motivation = 2.0, age = -0.1, female = 3.0 } }

[[parameter]]
id = "profiling.seeker.demo.bands"
[[parameter.value]]
from = 2020-01-01
value = [{ code = "a", min = 5.0 }, { code = "b", min = 2.0 }, { code = "c", min = -1000.0 }]
"""

DEMO_SEGMENTS = [Segment(c, Text(c, c)) for c in ("a", "b", "c")]


def _points_system(config: str = "") -> RuleSystem:
    typ = ScoredTypology(
        RuleMeta(rule_id="profiling.seeker.demo", title=Text("시험", "demo")),
        Scorer("points", "profiling.seeker.demo.model", "profiling.seeker.demo.bands"),
        DEMO_SEGMENTS,
    )
    pack = make_pack("demo", parameters=parameters_from_toml(SCORE_PARAMS), seeker_typologies=[typ])
    return make_system(pack, config=config_from_toml(config) if config else None)


def _person(**kw: Any) -> Seeker:
    return Seeker(
        seeker_id="P1",
        residence_code="11140",
        registered_on=dt.date(2022, 1, 3),
        birth_year=kw.pop("birth_year", 1982),
        gender=kw.pop("gender", Gender.FEMALE),
        intake=Intake(**kw),
    )


def test_protected_attributes_stay_out_unless_allowed() -> None:
    plain = classify_seeker(_person(motivation=M), _points_system(), DAY, "profiling.seeker.demo")
    # 1 + 2×1 = 3 → band b; age and gender left out
    assert plain.score == 3.0 and plain.band == "b" and plain.protected_used == ()
    assert any("left out" in r.en and "age" in r.en and "female" in r.en for r in plain.explanation.reasons)
    assert "age" not in plain.explanation.inputs
    allowed = _points_system('[profiling]\nallow_protected = ["age"]\n')
    p = classify_seeker(_person(motivation=M), allowed, DAY, "profiling.seeker.demo")
    assert p.protected_used == ("age",)
    assert p.score == pytest.approx(3.0 - 0.1 * 40)  # aged 40 on 2022-06-01 by birth year
    assert any("protected attributes used: age" in r.en for r in p.explanation.reasons)


def test_allowed_protected_attribute_must_be_known() -> None:
    bad = _points_system('[profiling]\nallow_protected = ["religion"]\n')
    with pytest.raises(ConfigError, match="religion"):
        classify_seeker(_person(motivation=M), bad, DAY, "profiling.seeker.demo")


def test_score_needs_its_features() -> None:
    allowed = _points_system('[profiling]\nallow_protected = ["gender", "age"]\n')
    p = classify_seeker(_person(gender=None), allowed, DAY, "profiling.seeker.demo")
    assert p.segment is None and p.missing == ("motivation", "gender")


def test_points_bands_at_cut_points_and_vectorised() -> None:
    system = _points_system('[profiling]\nallow_protected = ["gender"]\n')
    # female 3 + intercept 1 + 2×motivation: low→4 (b), mid→6 (a), high→8 (a); male low → 1 (c)
    people = [_person(motivation=lv) for lv in (L, M, H)] + [_person(motivation=L, gender=Gender.MALE)]
    bands = [classify_seeker(p, system, DAY, "profiling.seeker.demo").band for p in people]
    assert bands == ["b", "a", "a", "c"]
    cols = SeekerColumns.from_seekers(people, DAY)
    assert profile_columns(cols, system, typology_id="profiling.seeker.demo").segment_codes() == bands


def test_features_name_their_protected_attribute() -> None:
    assert FEATURES["age"].protected == "age"
    assert FEATURES["group.disability"].protected == "disability"
    assert FEATURES["group.career_break_woman"].protected == "gender"
    assert FEATURES["motivation"].protected is None


# ---------------------------------------------------------------- datasets and rows


def test_profile_dataset_rows_and_pseudonyms(system: RuleSystem) -> None:
    from employkit.synth import sample_centre

    data = sample_centre()
    # the sample registered in 2015, before the national typology: named, it applies as of DAY
    result = profile_dataset(data, system, DAY, NATIONAL_SEEKER_ID)
    assert len(result) == len(data.seekers) == 3110
    assert sum(result.summary().values()) == 3110
    assert list(result.summary())[:6] == [s.code for s in seeker_table().segments]
    rows = result.to_rows()
    assert tuple(rows[0]) == ROW_FIELDS
    assert rows[0]["seeker_id"] == data.seekers[0].seeker_id and rows[0]["segment_ko"]
    hidden = result.to_rows(pseudonym_key="secret")
    assert hidden[0]["seeker_id"] == pseudonym(data.seekers[0].seeker_id, "secret") != rows[0]["seeker_id"]
    assert len({r["seeker_id"] for r in hidden}) == 3110


def test_default_typology_comes_from_the_centre_config() -> None:
    cfg = config_from_toml('[profiling]\ntypology = "profiling.seeker.national.special_type"\n')
    assert default_typology_id(make_system(config=cfg)) == SPECIAL_TYPE_ID
    cfg = config_from_toml('[profiling]\nseeker_typology = "profiling.seeker.national"\n')
    assert default_typology_id(make_system(config=cfg)) == NATIONAL_SEEKER_ID
    assert default_typology_id(make_system()) == NATIONAL_SEEKER_ID
    # without a pack defining the default, the engine names the setting to make
    with pytest.raises(RuleNotFound, match=r"\[profiling\] employer_typology.*profiling\.employer\.default_typology"):
        default_typology_id(make_system(national=False), "employer")
