"""A hostile or broken pack cannot take the host down.

One test per way a pack was found to take the host down: impersonating another pack,
objects whose methods raise or return junk, ``sys.exit`` and ``BaseException`` in hooks
and at import, imports that hang, hooks that hold on (endless loops and generators),
``print()`` into machine-readable output, the deny list, and worker threads left behind.
Each asserts that the host survives, that the failure names the pack, and that the
other packs keep working.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from attrs import frozen

from employkit.config import CentreConfig
from employkit.dataset import Dataset
from employkit.errors import DataError, EmploykitError, PackFailure, PluginLoadError
from employkit.followup.calendar import BusinessCalendar
from employkit.hookspecs import hookimpl
from employkit.isolation import HookTimeout, PackRaised, WorkerPool, unguarded
from employkit.labels import Text
from employkit.matching.base import ArrayScores, Columns, ComponentScore, Kernel, Pair
from employkit.matching.scoring import Matcher
from employkit.metrics.base import KpiValue
from employkit.metrics.report import kpi_report
from employkit.packs import RuleMeta
from employkit.params import DatedValue, Parameter
from employkit.plugins import PluginHost
from employkit.rules import EvalContext, RuleSystem
from employkit.sources import find_source, load
from employkit.synth import sample_centre
from employkit.testing import TestPack, make_host, make_pack
from tests.conftest import Site

DAY = dt.date(2016, 6, 1)

RuleSystem.build(host=make_host())  # the national pack's hooks import their modules on first call: done here


def _meta(rule_id: str) -> RuleMeta:
    return RuleMeta(rule_id=rule_id, title=Text("시험 규칙", "test rule"))


def _param(pid: str, value: Any = 1) -> Parameter:
    return Parameter(
        id=pid, title=Text(pid, pid), values=(DatedValue(value=value, effective_from=dt.date(2016, 1, 1)),)
    )


def _system(*packs: object, strict: bool = False, timeout: float = 5.0) -> RuleSystem:
    host = make_host(*packs, strict=strict)
    host.hook_timeout = timeout
    return _build(host, strict=strict)


def _build(host: PluginHost, strict: bool = False) -> RuleSystem:
    """The rules of a test centre that enables every pack of ``host`` by name (none declares a region)."""
    return RuleSystem.build(CentreConfig(enabled_packs=tuple(p.name for p in host.packs)), host, strict=strict)


def _failure(system: RuleSystem, pack: str) -> Any:
    found = [f for f in system.host.failures if f.name == pack]
    assert found, f"no failure recorded for {pack}: {system.host.failures}"
    return found[0]


# ------------------------------------------------------------------ objects a hook returns


@frozen
class BadKpi:
    meta: RuleMeta
    key: str = "bad"

    def compute(self, data: Dataset, ctx: EvalContext) -> KpiValue:
        raise ZeroDivisionError("division by zero in the district's KPI")


@frozen
class ExitingKpi:
    meta: RuleMeta
    key: str = "exiting"

    def compute(self, data: Dataset, ctx: EvalContext) -> KpiValue:
        raise SystemExit(7)


@frozen
class DividingComponent:
    meta: RuleMeta
    key: str = "divides"
    seeker_fields: tuple[str, ...] = ()
    vacancy_fields: tuple[str, ...] = ()

    def kernel(self, seekers: Columns, vacancies: Columns, ctx: EvalContext) -> Kernel:
        return Kernel({}, {}, lambda s, v: ArrayScores(values=1.0, counted=True, gate=False))

    def explain(self, pair: Pair, ctx: EvalContext) -> ComponentScore:
        return ComponentScore(component=self.key, value=1 / 0, explanation=ctx.explain(self.meta.rule_id))


@frozen
class RaisingSource:
    meta: RuleMeta

    def can_open(self, location: str) -> bool:
        raise RuntimeError("cannot look at anything")

    def open(self, location: str) -> Dataset:
        raise AssertionError("never asked")


@frozen
class JunkSource:
    meta: RuleMeta

    def can_open(self, location: str) -> bool:
        return location.startswith("junk:")

    def open(self, location: str) -> Any:
        return ["not", "a", "dataset"]


class RaisingCalendar(BusinessCalendar):
    def is_business_day(self, day: dt.date) -> bool:
        raise KeyboardInterrupt

    def add_business_days(self, day: dt.date, days: int) -> dt.date:
        raise OSError("the district's holiday server is down")


def test_a_kpi_whose_compute_raises_is_a_failed_kpi_and_the_others_are_computed() -> None:
    system = _system(make_pack("kpi-gu", kpis=[BadKpi(_meta("metrics.kpi.bad"))]))
    report = kpi_report(sample_centre(), system, DAY)
    bad = next(r for r in report.results if r.rule_id == "metrics.kpi.bad")
    assert bad.error is not None and "PackFailure" in bad.error and "kpi-gu" in bad.error
    assert "ZeroDivisionError" in bad.error
    computed = [r for r in report.results if r.rule_id != "metrics.kpi.bad"]
    assert computed and all(r.error is None for r in computed if r.rule_id.startswith("metrics.kpi.national"))
    assert (_failure(system, "kpi-gu").stage) == "metrics.kpi.bad.compute"


def test_a_kpi_calling_sys_exit_fails_that_kpi_not_the_host() -> None:
    system = _system(make_pack("exit-gu", kpis=[ExitingKpi(_meta("metrics.kpi.exiting"))]))
    report = kpi_report(sample_centre(), system, DAY)
    bad = next(r for r in report.results if r.rule_id == "metrics.kpi.exiting")
    assert bad.error is not None and "sys.exit(7)" in bad.error
    assert "sys.exit(7)" in _failure(system, "exit-gu").reason


def test_a_failing_kpi_in_strict_mode_stops_cleanly_naming_the_pack() -> None:
    system = _system(make_pack("kpi-gu", kpis=[BadKpi(_meta("metrics.kpi.bad"))]), strict=True)
    kpi = next(k for k in system.kpis() if k.meta.rule_id == "metrics.kpi.bad")
    with pytest.raises(PluginLoadError, match=r"pack 'kpi-gu' .* failed at metrics.kpi.bad.compute: ZeroDivision"):
        kpi.compute(sample_centre(), system.context(DAY))


def test_a_match_component_dividing_by_zero_is_a_clean_error_naming_the_pack() -> None:
    pack = make_pack(
        "divide-gu",
        match_components=[DividingComponent(_meta("matching.component.divides"))],
        parameters=[_param("matching.weight.divides", 1.0)],
    )
    system = _system(pack)
    data = sample_centre()
    matcher = Matcher.of(system, DAY)
    with pytest.raises(PackFailure, match=r"pack 'divide-gu' failed at matching.component.divides.explain") as caught:
        matcher.score(data.seekers[0], data.vacancies[0])
    assert isinstance(caught.value, EmploykitError) and caught.value.pack == "divide-gu"
    assert "ZeroDivisionError" in _failure(system, "divide-gu").reason
    # the next rule system leaves the failed pack out: matching works again
    again = _build(system.host)
    assert "divide-gu" not in {p.name for p in again.active}
    assert Matcher.of(again, DAY).score(data.seekers[0], data.vacancies[0]).total >= 0


def test_a_data_source_whose_can_open_raises_does_not_break_the_others(tmp_path: Path) -> None:
    system = _system(make_pack("source-gu", data_sources=[RaisingSource(_meta("source.raising"))]))
    assert len(load("sample", system).seekers) > 0
    assert "RuntimeError: cannot look at anything" in _failure(system, "source-gu").reason
    with pytest.raises(DataError, match=r"source-gu: source.raising.can_open"):
        find_source(tmp_path / "nothing-here", system)


def test_a_data_source_whose_open_returns_junk_is_a_clean_error() -> None:
    system = _system(make_pack("junk-gu", data_sources=[JunkSource(_meta("source.junk"))]))
    with pytest.raises(EmploykitError, match=r"junk-gu.*source.junk.open.*returned list, not a Dataset"):
        load("junk:x", system)
    assert len(load("sample", system).placements) > 0


def test_a_calendar_whose_methods_raise_is_a_clean_error_naming_the_pack() -> None:
    calendar = RaisingCalendar("gu", {})
    system = _system(make_pack("calendar-gu", calendar=calendar))
    used = system.business_calendar("11140")
    assert unguarded(used) is calendar
    with pytest.raises(PackFailure, match=r"pack 'calendar-gu' failed at RaisingCalendar.is_business_day: raised"):
        used.is_business_day(DAY)
    with pytest.raises(PackFailure, match="OSError: the district's holiday server is down"):
        used.add_business_days(DAY, 3)
    assert [f.stage for f in system.host.failures] == [
        "RaisingCalendar.is_business_day",
        "RaisingCalendar.add_business_days",
    ]


def test_guarded_objects_look_like_the_packs_own() -> None:
    kpi = BadKpi(_meta("metrics.kpi.bad"))
    system = _system(make_pack("kpi-gu", kpis=[kpi]))
    handed = next(k for k in system.kpis() if k.meta.rule_id == "metrics.kpi.bad")
    assert isinstance(handed, BadKpi) and type(handed).__name__ == "BadKpi"
    assert handed == kpi and handed.key == "bad" and unguarded(handed) is kpi


# ------------------------------------------------------------------ hooks: BaseException, endless generators


class Interrupts(TestPack):
    @hookimpl
    def employkit_kpis(self) -> list[Any]:
        raise KeyboardInterrupt


class MyBase(BaseException):
    pass


class RaisesBase(TestPack):
    @hookimpl
    def employkit_parameters(self) -> list[Any]:
        raise MyBase("not an Exception")


@pytest.mark.parametrize(
    ("pack", "stage", "reason"),
    [
        (Interrupts(make_pack("interrupt-gu").info), "employkit_kpis", "raised KeyboardInterrupt"),
        (RaisesBase(make_pack("base-gu").info), "employkit_parameters", "raised MyBase: not an Exception"),
    ],
)
def test_keyboard_interrupt_or_a_base_exception_in_a_hook_is_a_failure_of_the_pack(
    pack: TestPack, stage: str, reason: str
) -> None:
    system = _system(pack, make_pack("good-gu", parameters=[_param("goodgu.x", 3)]))
    failure = _failure(system, pack.info.name)
    assert (failure.stage, failure.reason) == (stage, reason)
    assert pack.info.name not in {p.name for p in system.active}
    assert system.parameter("goodgu.x", DAY).value == 3


class Endless(TestPack):
    def __init__(self) -> None:
        super().__init__(make_pack("endless-gu").info)
        self.pulled = 0

    @hookimpl
    def employkit_parameters(self) -> Iterator[Parameter]:
        while True:
            self.pulled += 1
            yield _param("endless.value")


def test_an_abandoned_endless_generator_stops_consuming() -> None:
    endless = Endless()
    system = _system(endless, timeout=0.3)
    assert "took longer than 0.3 s" in _failure(system, "endless-gu").reason
    # stopped, not running on in its thread: the count settles (a busy machine may take a moment)
    deadline = time.monotonic() + 10
    pulled = -1
    while endless.pulled != pulled and time.monotonic() < deadline:
        pulled = endless.pulled
        time.sleep(0.3)
    assert endless.pulled == pulled
    time.sleep(0.5)
    assert endless.pulled == pulled


class HoldsGil(TestPack):
    @hookimpl
    def employkit_parameters(self) -> list[Parameter]:
        # catastrophic backtracking: the C regular-expression engine holds the GIL throughout
        re.match(r"(a+)+$", "a" * 21 + "b")
        return [_param("gil.value")]


def test_a_hook_holding_the_gil_past_the_limit_is_abandoned_when_it_returns() -> None:
    started = time.monotonic()
    re.match(r"(a+)+$", "a" * 21 + "b")
    alone = time.monotonic() - started
    limit = alone / 4
    system = _system(HoldsGil(make_pack("gil-gu").info), timeout=limit)
    assert "took longer than" in _failure(system, "gil-gu").reason
    assert "gil.value" not in system.parameter_ids()


# ------------------------------------------------------------------ names: no pack impersonates another


def test_a_pack_declaring_the_national_name_is_refused_and_national_stays() -> None:
    national = RuleSystem.build(host=make_host())
    system = _system(make_pack("national", layer="national"))
    (failure,) = system.host.failures
    assert failure.stage == "register" and "already loaded (built-in)" in failure.reason
    assert [p.origin for p in system.active] == ["built-in"]
    assert system.rule_ids() == national.rule_ids()
    assert len(load("sample", system).seekers) > 0


def test_a_twin_of_an_installed_pack_is_refused_whichever_loads_first(site: Site) -> None:
    twin = """
        from employkit import hookimpl, PackInfo, Layer, Text
        @hookimpl
        def employkit_pack_info():
            return PackInfo(name="junggu", version="9.9.9", layer=Layer.DISTRICT, title=Text("가짜", "Twin"))
    """
    site.install("employkit-aaa-twin", "aaa_twin", twin, ep_name="aaa-twin")  # sorts before junggu
    site.install("employkit-zzz-twin", "zzz_twin", twin, ep_name="zzz-twin")  # and after
    listed = site.run("plugins", "--json")
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    junggu = next(p for p in data["packs"] if p["name"] == "junggu")
    assert junggu["version"] != "9.9.9" and "employkit-junggu" in junggu["origin"]
    failed = {f["name"]: f["reason"] for f in data["failed"]}
    assert set(failed) == {"aaa-twin", "zzz-twin"}
    assert all("'junggu'" in reason for reason in failed.values())


# ------------------------------------------------------------------ imports, output, deny list (installed packs)

EXIT_AT_IMPORT = """
import sys
sys.exit(7)
"""

SLEEP_AT_IMPORT = """
import time
time.sleep(60)
"""

PRINTS = """
from employkit import hookimpl, PackInfo, Layer, Text
print("hello from the import")

@hookimpl
def employkit_pack_info():
    print("hello from pack_info")
    return PackInfo(name="chatty-gu", version="0.1.0", layer=Layer.DISTRICT, title=Text("수다구", "Chatty-gu"),
                    regions=["11140"])

@hookimpl
def employkit_kpis():
    print("hello from kpis")
    return []
"""

MARKS = """
from pathlib import Path
Path("imported.txt").write_text("the deny list did not hold")
"""


def test_sys_exit_at_import_and_a_sleeping_import_are_failed_packs(site: Site) -> None:
    site.install("employkit-exit-gu", "exit_gu", EXIT_AT_IMPORT, ep_name="exit-gu")
    site.install("employkit-sleepy-gu", "sleepy_gu", SLEEP_AT_IMPORT, ep_name="sleepy-gu")
    started = time.monotonic()
    listed = site.run("plugins", "--json", EMPLOYKIT_HOOK_TIMEOUT="1")
    assert time.monotonic() - started < 40  # did not wait for the sleeping import
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr
    data = json.loads(listed.stdout)
    failed = {(f["name"], f["stage"]): f["reason"] for f in data["failed"]}
    assert failed["exit-gu", "import"] == "called sys.exit(7)"
    assert "took longer than 1 s" in failed["sleepy-gu", "import"]
    assert {"national", "junggu"} <= {p["name"] for p in data["packs"]}


def test_print_in_a_pack_does_not_corrupt_machine_readable_output(site: Site) -> None:
    site.install("employkit-chatty-gu", "chatty_gu", PRINTS, ep_name="chatty-gu")
    listed = site.run("plugins", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "chatty-gu" in {p["name"] for p in json.loads(listed.stdout)["packs"]}
    assert "hello from pack_info" in listed.stderr and "hello from the import" in listed.stderr
    kpis = site.run("kpi", "--source", "sample", "--as-of", "2016-06-01", "--format", "json")
    assert kpis.returncode == 0, kpis.stderr
    json.loads(kpis.stdout)
    assert "hello from kpis" in kpis.stderr and "hello" not in kpis.stdout


def test_pack_output_goes_to_stderr_only_on_the_thread_running_pack_code(capsys: pytest.CaptureFixture[str]) -> None:
    pool = WorkerPool()
    outside: list[str] = []

    def chatty() -> int:
        print("from the pack")
        return 1

    assert pool.run(chatty, 5) == 1
    print("from the host")
    outside.append("done")
    pool.close()
    out, err = capsys.readouterr()
    assert out == "from the host\n" and err == "from the pack\n"


@pytest.mark.parametrize("spelling", ["MARKER-GU", "Marker-Gu", "employkit-MARKER-gu"])
def test_the_deny_list_ignores_case_and_a_denied_pack_is_never_imported(site: Site, spelling: str) -> None:
    site.install("employkit-marker-gu", "marker_gu", MARKS, ep_name="marker-gu")
    listed = site.run("plugins", "--json", EMPLOYKIT_DISABLE_PLUGINS=spelling)
    assert listed.returncode == 0, listed.stderr
    assert not (site.path / "imported.txt").exists()
    assert not any(f["name"] == "marker-gu" for f in json.loads(listed.stdout)["failed"])


# ------------------------------------------------------------------ threads


def _hook_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "employkit-hook")


def test_short_lived_calling_threads_leave_no_worker_thread_behind() -> None:
    before = _hook_threads()
    host = make_host(make_pack("good-gu", parameters=[_param("goodgu.x", 3)]))
    host.hook_timeout = 5

    def call() -> None:
        assert host.first_result("employkit_business_calendar", region_code=None) is not None

    for _ in range(200):
        thread = threading.Thread(target=call)
        thread.start()
        thread.join()
    assert _hook_threads() - before <= 2  # the host's idle workers, reused by every thread
    host.close()
    assert _hook_threads() == before


def test_a_worker_interrupted_at_the_limit_is_reused() -> None:
    pool = WorkerPool()
    before = _hook_threads()

    def spin() -> None:
        while True:
            pass

    for _ in range(5):
        with pytest.raises(HookTimeout, match=r"took longer than 0\.1 s"):
            pool.run(spin, 0.1)
    time.sleep(0.2)
    assert _hook_threads() - before <= 2
    assert pool.run(lambda: 42, 5) == 42
    pool.close()


def test_base_exceptions_come_back_as_pack_raised() -> None:
    pool = WorkerPool()
    with pytest.raises(PackRaised, match=r"called sys.exit\(7\)"):
        pool.run(lambda: exec("raise SystemExit(7)"), 5)
    pool.close()
