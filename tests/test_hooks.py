"""Every hook: documented, in the hook reference, and exercised by a test named after it."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from attrs import frozen

from employkit import hookspecs
from employkit.dataset import Dataset
from employkit.followup.base import Action, Schedule
from employkit.followup.calendar import BusinessCalendar
from employkit.isolation import unguarded
from employkit.labels import Text
from employkit.matching.base import ArrayScores, Columns, ComponentScore, Kernel, Pair
from employkit.metrics.base import KpiValue
from employkit.model import Employer, Placement, Seeker, Vacancy
from employkit.packs import RuleMeta
from employkit.profiling.base import EmployerProfile, SeekerProfile
from employkit.rules import EvalContext
from employkit.testing import make_host, make_system

ROOT = Path(__file__).resolve().parent.parent
HOOKS = sorted(n for n, f in vars(hookspecs).items() if n.startswith("employkit_") and callable(f))


def meta(rule_id: str) -> RuleMeta:
    return RuleMeta(rule_id=rule_id, title=Text("시험 규칙", "test rule"))


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_documented(name: str) -> None:
    doc = inspect.getdoc(getattr(hookspecs, name)) or ""
    assert len(doc) > 40, f"{name} needs a docstring saying when it is called and what it returns"
    assert ("Collect-all" in doc) != ("First-result" in doc), f"{name}: say whether it is collect-all or first-result"
    reference = (ROOT / "docs" / "hooks.rst").read_text(encoding="utf-8")
    assert f"employkit.hookspecs.{name}" in reference, f"{name} is missing from docs/hooks.rst"


@pytest.mark.parametrize("name", HOOKS)
def test_hook_has_a_test(name: str) -> None:
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    assert re.search(rf"def test_hook_{name}\b", tests), f"write test_hook_{name}"


def test_first_result_hooks_are_marked_as_such() -> None:
    for name in HOOKS:
        spec = getattr(hookspecs, name)
        firstresult = getattr(spec, "employkit_spec", {}).get("firstresult", False)
        assert firstresult == (name in hookspecs.FIRST_RESULT_HOOKS), name


def test_hook_employkit_pack_info() -> None:
    host = make_host()
    assert host.pack("national").info.layer.code == "national"


def test_hook_employkit_parameters() -> None:
    system = make_system()
    assert "labour.minimum_wage.hourly" in system.parameter_ids()


@frozen
class Seekers:
    meta: RuleMeta

    def classify(self, seeker: Seeker, ctx: EvalContext) -> SeekerProfile:
        return SeekerProfile(
            seeker_id=seeker.seeker_id,
            typology_id=self.meta.rule_id,
            as_of=ctx.as_of,
            segment=None,
            missing=("intake",),
            explanation=ctx.explain(self.meta.rule_id),
        )


@frozen
class Employers:
    meta: RuleMeta

    def classify(self, employer: Employer, vacancy: Vacancy | None, ctx: EvalContext) -> EmployerProfile:
        return EmployerProfile(
            employer_id=employer.employer_id,
            typology_id=self.meta.rule_id,
            as_of=ctx.as_of,
            segment=None,
            explanation=ctx.explain(self.meta.rule_id),
        )


@frozen
class Component:
    meta: RuleMeta
    key: str = "test"
    seeker_fields: tuple[str, ...] = ()
    vacancy_fields: tuple[str, ...] = ()

    def kernel(self, seekers: Columns, vacancies: Columns, ctx: EvalContext) -> Kernel:
        return Kernel({}, {}, lambda s, v: ArrayScores(values=1.0, counted=True, gate=False))

    def explain(self, pair: Pair, ctx: EvalContext) -> ComponentScore:
        return ComponentScore(component=self.key, value=pair.value, explanation=ctx.explain(self.meta.rule_id))


@frozen
class Policy:
    meta: RuleMeta

    def schedule(self, placement: Placement, ctx: EvalContext) -> Schedule:
        return Schedule(
            placement_id=placement.placement_id,
            policy_id=self.meta.rule_id,
            contacts=(),
            explanation=ctx.explain(self.meta.rule_id),
        )

    def actions(
        self, placement: Placement, contact_kind: str, outcome: Any, on: dt.date, ctx: EvalContext
    ) -> tuple[Action, ...]:
        return ()


@frozen
class Kpi:
    meta: RuleMeta

    def compute(self, data: Dataset, ctx: EvalContext) -> KpiValue:
        n = len(data.placements)
        return KpiValue(
            kpi_id=self.meta.rule_id,
            title=self.meta.title,
            numerator=n,
            denominator=None,
            unit="people",
            value=n,
            explanation=ctx.explain(self.meta.rule_id),
        )


@frozen
class Source:
    meta: RuleMeta

    def can_open(self, location: str) -> bool:
        return location.startswith("test:")

    def open(self, location: str) -> Dataset:
        return Dataset(origin=location)


@pytest.mark.parametrize(
    ("hook", "kind", "item"),
    [
        ("seeker_typologies", "seeker_typology", Seekers(meta("profiling.seeker.test"))),
        ("employer_typologies", "employer_typology", Employers(meta("profiling.employer.test"))),
        ("match_components", "match_component", Component(meta("matching.component.test"))),
        ("followup_policies", "followup_policy", Policy(meta("followup.policy.test"))),
        ("kpis", "kpi", Kpi(meta("metrics.kpi.test"))),
        ("data_sources", "data_source", Source(meta("source.test"))),
    ],
)
def test_collect_all_family(make_pack: Callable[..., Any], hook: str, kind: str, item: Any) -> None:
    system = make_system(make_pack("gu", **{hook: [item]}))
    assert item in system.rules(kind)
    others = [r for r in system.rules(kind) if unguarded(r) is not item]  # a pack's objects come behind a proxy
    assert all(system.provenance(r.meta.rule_id)[0].name == "national" for r in others)
    assert system.provenance(item.meta.rule_id)[0].name == "gu"


def test_hook_employkit_seeker_typologies(make_pack: Callable[..., Any]) -> None:
    typ = Seekers(meta("profiling.seeker.test"))
    system = make_system(make_pack("gu", seeker_typologies=[typ]))
    seeker = Seeker(seeker_id="S1", residence_code="11140", registered_on=dt.date(2016, 1, 4))
    profile = system.rule("profiling.seeker.test").classify(seeker, system.context(dt.date(2016, 2, 1)))
    assert profile.explanation.pack == "gu" and profile.missing == ("intake",)


def test_hook_employkit_employer_typologies(make_pack: Callable[..., Any]) -> None:
    system = make_system(make_pack("gu", employer_typologies=[Employers(meta("profiling.employer.test"))]))
    employer = Employer(employer_id="E1", employees=12, region_code="11140")
    profile = system.rule("profiling.employer.test").classify(employer, None, system.context(dt.date(2022, 1, 1)))
    assert profile.typology_id == "profiling.employer.test"


def test_hook_employkit_match_components(make_pack: Callable[..., Any]) -> None:
    system = make_system(make_pack("gu", match_components=[Component(meta("matching.component.test"))]))
    assert "test" in [c.key for c in system.match_components()]
    assert system.provenance("matching.component.test")[0].name == "gu"


def test_hook_employkit_followup_policies(make_pack: Callable[..., Any]) -> None:
    system = make_system(make_pack("gu", followup_policies=[Policy(meta("followup.policy.test"))]))
    assert "followup.policy.test" in [p.meta.rule_id for p in system.followup_policies()]
    assert system.provenance("followup.policy.test")[0].name == "gu"


def test_hook_employkit_kpis(make_pack: Callable[..., Any]) -> None:
    system = make_system(make_pack("gu", kpis=[Kpi(meta("metrics.kpi.test"))]))
    kpi = next(k for k in system.kpis() if k.meta.rule_id == "metrics.kpi.test")
    assert kpi.compute(Dataset(), system.context(dt.date(2016, 1, 1))).value == 0


def test_hook_employkit_data_sources(make_pack: Callable[..., Any]) -> None:
    system = make_system(make_pack("gu", data_sources=[Source(meta("source.test"))]))
    source, *national = system.data_sources()  # highest layer first
    assert source.can_open("test:x") and source.open("test:x").origin == "test:x"
    assert {s.meta.rule_id for s in national} == {
        "source.csv_folder",
        "source.jsonl",
        "source.sqlite",
        "source.excel",
        "source.sample",
    }


def test_hook_employkit_cli_commands(make_pack: Callable[..., Any]) -> None:
    from click.testing import CliRunner

    from employkit.cli import (
        State,
        cli,
        commands,  # noqa: F401
    )

    @click.command("hello-gu")
    def hello() -> None:
        click.echo("안녕하세요")

    @click.command("rules")
    def clash() -> None:
        click.echo("should never run")

    pack = make_pack("gu")
    pack.employkit_cli_commands = lambda: [hello, clash]  # type: ignore[attr-defined]
    from employkit.hookspecs import hookimpl

    pack.employkit_cli_commands = hookimpl(pack.employkit_cli_commands)  # type: ignore[attr-defined]
    state = State()
    state._host = make_host(pack)
    result = CliRunner().invoke(cli, ["hello-gu"], obj=state)
    assert result.exit_code == 0 and "안녕하세요" in result.stdout
    state2 = State()
    state2._host = state._host
    result = CliRunner().invoke(cli, ["rules", "--as-of", "2016-01-01"], obj=state2)
    assert result.exit_code == 0 and "should never run" not in result.stdout
    listing = CliRunner().invoke(cli, ["--help"], obj=state2)
    assert "hello-gu" in listing.stdout
    assert "adds command 'rules', which exists; left out" in listing.stderr


def test_hook_employkit_business_calendar(make_pack: Callable[..., Any]) -> None:
    national = make_system().business_calendar()
    assert national.holiday_name(dt.date(2016, 9, 15)) is not None  # Chuseok
    assert not national.is_business_day(dt.date(2016, 9, 15))
    # a district answer wins over the national one (first result, highest layer first)
    closed = BusinessCalendar("gu", {}, closures=[dt.date(2016, 5, 2)])
    system = make_system(make_pack("gu", calendar=closed))
    assert unguarded(system.business_calendar("11140")) is closed
    assert not system.business_calendar().is_business_day(dt.date(2016, 5, 2))
