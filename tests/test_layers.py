"""Layers and overrides: declared overrides win with provenance, undeclared ones conflict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from attrs import frozen

from employkit.errors import PluginLoadError, RuleConflictError
from employkit.isolation import unguarded
from employkit.labels import Text
from employkit.packs import RuleMeta
from employkit.profiling.base import SeekerProfile
from employkit.testing import config_from_toml, parameters_from_toml

MIN_WAGE = "labour.minimum_wage.hourly"


def district_wage(override: bool) -> str:
    flag = "override = true\n" if override else ""
    return (
        f'[[parameter]]\nid = "{MIN_WAGE}"\n{flag}'
        "[[parameter.value]]\nfrom = 2016-01-01\nto = 2016-12-31\nvalue = 7000\n"
        'source = "district council decision 2015-12"\n'
    )


def test_undeclared_override_is_a_conflict(make_system: Callable[..., Any], make_pack: Callable[..., Any]) -> None:
    pack = make_pack("gu", parameters=parameters_from_toml(district_wage(False)))
    system = make_system(pack)
    (conflict,) = system.conflicts
    assert conflict.id == MIN_WAGE
    assert conflict.packs == ("national", "gu")
    assert "without declaring" in conflict.reason
    with pytest.raises(RuleConflictError, match="gu redefines what national defines"):
        system.parameter(MIN_WAGE, dt.date(2016, 6, 1))
    entry = next(e for e in system.catalogue(dt.date(2016, 6, 1)) if e.id == MIN_WAGE)
    assert entry.status.startswith("conflict")


def test_undeclared_override_is_fatal_in_strict_mode(
    make_system: Callable[..., Any], make_pack: Callable[..., Any]
) -> None:
    pack = make_pack("gu", parameters=parameters_from_toml(district_wage(False)))
    with pytest.raises(PluginLoadError, match=r"strict mode.*without declaring"):
        make_system(pack, strict=True)


@pytest.mark.parametrize("how", ["in the file", "in PackInfo.overrides"])
def test_declared_override_wins_and_says_so(
    make_system: Callable[..., Any], make_pack: Callable[..., Any], how: str
) -> None:
    if how == "in the file":
        pack = make_pack("gu", version="2.0", parameters=parameters_from_toml(district_wage(True)))
    else:
        pack = make_pack(
            "gu", version="2.0", overrides=[MIN_WAGE], parameters=parameters_from_toml(district_wage(False))
        )
    system = make_system(pack)
    assert system.conflicts == ()
    use = system.parameter(MIN_WAGE, dt.date(2016, 6, 1))
    assert (use.value, use.pack, use.pack_version) == (7000, "gu", "2.0")
    assert use.overrides == ("national@0.1.0",)
    assert str(use.source) == "district council decision 2015-12"
    # outside the period the district covers, the national value still applies
    later = system.parameter(MIN_WAGE, dt.date(2022, 6, 1))
    assert (later.value, later.pack) == (9160, "national")


def test_two_packs_of_one_layer_conflict(make_system: Callable[..., Any], make_pack: Callable[..., Any]) -> None:
    text = '[[parameter]]\nid = "demo.x"\n[[parameter.value]]\nfrom = 2015-01-01\nvalue = 1\n'
    system = make_system(
        make_pack("a", parameters=parameters_from_toml(text)), make_pack("b", parameters=parameters_from_toml(text))
    )
    (conflict,) = system.conflicts
    assert "two district packs" in conflict.reason


def test_override_of_nothing_is_a_gap(make_system: Callable[..., Any], make_pack: Callable[..., Any]) -> None:
    text = '[[parameter]]\nid = "demo.x"\noverride = true\n[[parameter.value]]\nfrom = 2015-01-01\nvalue = 1\n'
    system = make_system(make_pack("a", parameters=parameters_from_toml(text)))
    assert [g.id for g in system.gaps] == ["demo.x"]
    assert system.parameter("demo.x", dt.date(2016, 1, 1)).value == 1


def test_centre_configuration_overrides_explicitly(make_system: Callable[..., Any]) -> None:
    config = config_from_toml('[parameters]\n"metrics.suppression.min_cell" = 10\n"no.such_param" = 1\n')
    system = make_system(config=config)
    use = system.parameter("metrics.suppression.min_cell", dt.date(2016, 1, 1))
    assert (use.value, use.pack, use.overrides) == (10, "centre", ("national@0.1.0",))
    assert any(g.id == "no.such_param" and "no pack defines" in g.reason for g in system.gaps)


@frozen
class FixedTypology:
    """A typology that classes nobody; enough to test rule resolution."""

    meta: RuleMeta

    def classify(self, seeker: Any, ctx: Any) -> SeekerProfile:
        return SeekerProfile(
            seeker_id=seeker.seeker_id,
            typology_id=self.meta.rule_id,
            as_of=ctx.as_of,
            segment=None,
            explanation=ctx.explain(self.meta.rule_id),
            missing=("everything",),
        )


def typology(rule_id: str, start: dt.date | None = None, reads: tuple[str, ...] = ()) -> FixedTypology:
    return FixedTypology(RuleMeta(rule_id=rule_id, title=Text("시험", "test"), effective_from=start, parameters=reads))


def test_rules_resolve_by_layer_with_declared_override(
    make_system: Callable[..., Any], make_pack: Callable[..., Any]
) -> None:
    base = make_pack("province", layer="regional", seeker_typologies=[typology("profiling.seeker.demo")])
    undeclared = make_pack("gu", seeker_typologies=[typology("profiling.seeker.demo")])
    system = make_system(base, undeclared)
    assert [c.id for c in system.conflicts] == ["profiling.seeker.demo"]
    assert "profiling.seeker.demo" not in [t.meta.rule_id for t in system.seeker_typologies()]

    declared = make_pack(
        "gu",
        version="1.1",
        overrides=["profiling.seeker.demo"],
        seeker_typologies=[typology("profiling.seeker.demo", start=dt.date(2020, 1, 1))],
    )
    system = make_system(base, declared)
    origin, replaced = system.provenance("profiling.seeker.demo")
    assert (origin.name, replaced) == ("gu", ("province@0.0.0",))
    # before the district rule starts, the provincial one is in force
    assert unguarded(system.rule("profiling.seeker.demo", dt.date(2019, 1, 1))) is base.seeker_typologies[0]
    assert unguarded(system.rule("profiling.seeker.demo", dt.date(2021, 1, 1))) is declared.seeker_typologies[0]


def test_rule_reading_an_undefined_parameter_is_a_gap(
    make_system: Callable[..., Any], make_pack: Callable[..., Any]
) -> None:
    system = make_system(make_pack("gu", seeker_typologies=[typology("profiling.seeker.x", reads=("nope.param",))]))
    assert any(g.id == "nope.param" and "profiling.seeker.x" in g.reason for g in system.gaps)


def test_explanations_cite_parameters_and_provenance(
    make_system: Callable[..., Any], make_pack: Callable[..., Any]
) -> None:
    pack = make_pack(
        "gu",
        version="3",
        overrides=[MIN_WAGE],
        parameters=parameters_from_toml(district_wage(False)),
        seeker_typologies=[typology("profiling.seeker.x")],
    )
    system = make_system(pack)
    ctx = system.context(dt.date(2016, 5, 1))
    assert ctx.param(MIN_WAGE) == 7000
    assert ctx.param("labour.minimum_wage.monthly_hours") == 209
    exp = ctx.explain("profiling.seeker.x", reasons=[Text("이유", "reason")], inputs={"motivation": "low"})
    assert (exp.pack, exp.pack_version, exp.as_of) == ("gu", "3", dt.date(2016, 5, 1))
    assert exp.parameter(MIN_WAGE).overrides == ("national@0.1.0",)
    assert exp.parameter("labour.minimum_wage.monthly_hours").pack == "national"
    assert "7,000" in exp.render("ko") and "reason" in exp.render("en")
    # the uses were consumed: the next explanation starts empty
    assert ctx.explain("profiling.seeker.x").parameters == ()


def test_enabled_packs_limit_what_takes_part(make_system: Callable[..., Any], make_pack: Callable[..., Any]) -> None:
    pack = make_pack(
        "gu",
        parameters=parameters_from_toml(
            '[[parameter]]\nid = "gu.x"\n[[parameter.value]]\nfrom = 2015-01-01\nvalue = 1\n'
        ),
    )
    config = config_from_toml('[packs]\nenabled = ["national", "missing"]\n')
    system = make_system(pack, config=config)
    assert [p.name for p in system.active] == ["national"]
    assert "gu.x" not in system.parameter_ids()
    assert any(g.id == "missing" and "not loaded" in g.reason for g in system.gaps)


def test_what_if_changes_parameters_beside_the_baseline(make_system: Callable[..., Any]) -> None:
    baseline = make_system()
    scenario = baseline.with_parameters({"metrics.suppression.min_cell": 3})
    day = dt.date(2020, 1, 1)
    assert baseline.parameter("metrics.suppression.min_cell", day).value == 5
    assert scenario.parameter("metrics.suppression.min_cell", day).value == 3
    assert scenario.parameter("metrics.suppression.min_cell", day).pack == "centre"
