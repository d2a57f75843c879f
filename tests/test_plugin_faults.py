"""Faulty packs: one that fails to import, a hook that raises, returns the wrong type or hangs.

The host names the pack and the hook, keeps the other packs working (or stops cleanly in
strict mode), and never builds anything from a half-run hook: a hook over its time
limit is abandoned and whatever it returns later is thrown away.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from employkit.config import CentreConfig, parse_config
from employkit.errors import ConfigError, PluginLoadError
from employkit.hookspecs import hookimpl
from employkit.labels import Text
from employkit.params import DatedValue, Parameter
from employkit.plugins import DEFAULT_HOOK_TIMEOUT, PluginHost
from employkit.rules import RuleSystem
from employkit.testing import TestPack, make_host, make_pack
from tests.conftest import Site

DAY = dt.date(2016, 6, 1)
LIMIT = 1.0  # seconds, for the slow hooks below
ROOMY = 30.0  # seconds, for hooks that are not slow: a busy machine must not make them "slow"

RuleSystem.build(host=make_host())  # the national pack's hooks import their modules on first call: done here


def _param(pid: str, value: int = 1) -> Parameter:
    return Parameter(
        id=pid, title=Text(pid, pid), values=(DatedValue(value=value, effective_from=dt.date(2016, 1, 1)),)
    )


class Good(TestPack):
    """A district pack that works: one parameter."""

    def __init__(self) -> None:
        super().__init__(make_pack("good-gu", layer="district").info, parameters=[_param("goodgu.visits.target", 7)])


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at the end of a test, so hooks left hanging finish and their threads end."""
    event = threading.Event()
    yield event
    event.set()


def _host(*packs: object, strict: bool = False, timeout: float = ROOMY) -> PluginHost:
    host = make_host(*packs, strict=strict)
    host.hook_timeout = timeout
    return host


def _build(host: PluginHost) -> RuleSystem:
    """The rules of a test centre that enables every pack of ``host`` by name (none declares a region)."""
    return RuleSystem.build(CentreConfig(enabled_packs=tuple(p.name for p in host.packs)), host)


def _names(system: RuleSystem) -> set[str]:
    return {p.name for p in system.active}


def _assert_others_work(system: RuleSystem) -> None:
    assert {"national", "good-gu"} <= _names(system)
    assert system.parameter("goodgu.visits.target", DAY).value == 7
    assert system.parameter("metrics.suppression.min_cell", DAY).value >= 1


# ------------------------------------------------------------------ a hook that raises or returns the wrong type


class Raises(TestPack):
    @hookimpl
    def employkit_kpis(self) -> list[Any]:
        raise RuntimeError("the district's KPI file is missing")


class WrongType(TestPack):
    def __init__(self, returned: Any) -> None:
        super().__init__(make_pack("wrong-gu", layer="district").info)
        self.returned = returned

    @hookimpl
    def employkit_followup_policies(self) -> Any:
        return self.returned


class RaisesMidway(TestPack):
    """A generator hook that yields a good parameter, then fails: nothing of it may be kept."""

    @hookimpl
    def employkit_parameters(self) -> Iterator[Parameter]:
        yield _param("midway.first.value")
        raise ValueError("the second parameter is broken")


class Exits(TestPack):
    @hookimpl
    def employkit_match_components(self) -> list[Any]:
        sys.exit(3)


def test_a_hook_that_raises_is_named_and_the_others_keep_working() -> None:
    host = _host(Good(), Raises(make_pack("raising-gu", layer="district").info))
    system = _build(host)
    (failure,) = host.failures
    assert (failure.name, failure.stage) == ("raising-gu", "employkit_kpis")
    assert "RuntimeError: the district's KPI file is missing" in failure.reason
    assert "raising-gu" not in _names(system)
    _assert_others_work(system)


@pytest.mark.parametrize(
    ("returned", "reason"),
    [
        ("regular", "returned str, not a list"),
        (42, "returned int, not a list"),
        ([object()], "returned object, expected an object with meta and the followup_policy interface"),
        ({"policy": 1}, "returned str, expected"),  # a mapping iterates over its keys
        ([_param("wrong.not.a.policy")], "returned Parameter, expected"),
    ],
)
def test_a_hook_that_returns_the_wrong_type_is_named(returned: Any, reason: str) -> None:
    host = _host(Good(), WrongType(returned))
    system = _build(host)
    (failure,) = host.failures
    assert (failure.name, failure.stage) == ("wrong-gu", "employkit_followup_policies")
    assert reason in failure.reason
    assert "wrong-gu" not in _names(system)
    _assert_others_work(system)


def test_a_hook_that_fails_halfway_contributes_nothing() -> None:
    host = _host(Good(), RaisesMidway(make_pack("midway-gu", layer="district").info))
    system = _build(host)
    assert [(f.name, f.stage) for f in host.failures] == [("midway-gu", "employkit_parameters")]
    assert "midway.first.value" not in system.parameter_ids()
    _assert_others_work(system)


def test_a_hook_that_calls_sys_exit_is_a_failure_of_its_pack() -> None:
    host = _host(Good(), Exits(make_pack("exit-gu", layer="district").info))
    system = _build(host)
    (failure,) = host.failures
    assert (failure.name, failure.stage) == ("exit-gu", "employkit_match_components")
    assert "sys.exit(3)" in failure.reason
    _assert_others_work(system)


def test_strict_mode_stops_at_the_first_failure_naming_pack_and_hook() -> None:
    host = _host(Good(), Raises(make_pack("raising-gu", layer="district").info), strict=True)
    with pytest.raises(PluginLoadError, match=r"pack 'raising-gu' .* failed at employkit_kpis: RuntimeError"):
        _build(host)


# ------------------------------------------------------------------ a hook that takes too long


class Slow(TestPack):
    """A pack whose parameters hook waits for ``release`` (or ``seconds``) before answering."""

    def __init__(self, release: threading.Event, seconds: float = 30.0, name: str = "slow-gu") -> None:
        super().__init__(make_pack(name, layer="district").info)
        self.release = release
        self.seconds = seconds
        self.finished = threading.Event()

    @hookimpl
    def employkit_parameters(self) -> list[Parameter]:
        self.release.wait(self.seconds)
        self.finished.set()
        return [_param("slow.late.value")]


class SlowMidway(TestPack):
    """A generator hook: one good parameter at once, the next after ``release``."""

    def __init__(self, release: threading.Event) -> None:
        super().__init__(make_pack("midway-slow-gu", layer="district").info)
        self.release = release

    @hookimpl
    def employkit_parameters(self) -> Iterator[Parameter]:
        yield _param("midway.early.value")
        self.release.wait(30)
        yield _param("midway.late.value")


def test_a_hook_over_the_time_limit_is_abandoned_and_named(release: threading.Event) -> None:
    slow = Slow(release)
    host = _host(Good(), slow, timeout=LIMIT)
    started = time.monotonic()
    system = _build(host)
    assert time.monotonic() - started < 5 * LIMIT + 2  # waited for the limit, not for the hook
    (failure,) = host.failures
    assert (failure.name, failure.stage) == ("slow-gu", "employkit_parameters")
    assert f"took longer than {LIMIT:g} s and was abandoned" in failure.reason
    assert "slow-gu" not in _names(system)
    _assert_others_work(system)
    # the abandoned hook is interrupted at its next Python instruction: it never finishes
    release.set()
    assert not slow.finished.wait(0.5)
    assert "slow.late.value" not in system.parameter_ids()
    assert "slow.late.value" not in _build(host).parameter_ids()  # the pack stays failed


def test_a_generator_hook_is_read_to_its_end_within_the_limit(release: threading.Event) -> None:
    host = _host(Good(), SlowMidway(release), timeout=LIMIT)
    system = _build(host)
    assert [(f.name, f.stage) for f in host.failures] == [("midway-slow-gu", "employkit_parameters")]
    assert not {"midway.early.value", "midway.late.value"} & set(system.parameter_ids())
    _assert_others_work(system)


def test_a_slow_hook_in_strict_mode_stops_cleanly(release: threading.Event) -> None:
    host = _host(Good(), Slow(release), strict=True, timeout=LIMIT)
    started = time.monotonic()
    with pytest.raises(PluginLoadError, match=r"pack 'slow-gu' .* failed at employkit_parameters: took longer"):
        _build(host)
    assert time.monotonic() - started < 5 * LIMIT + 2


def test_a_slow_pack_info_is_refused_at_registration(release: threading.Event) -> None:
    class SlowInfo(TestPack):
        @hookimpl
        def employkit_pack_info(self) -> Any:
            release.wait(30)
            return self.info

    host = _host(timeout=LIMIT)
    assert host.add(SlowInfo(make_pack("slow-info").info)) is None
    (failure,) = host.failures
    assert (failure.name, failure.stage) == ("SlowInfo", "employkit_pack_info")
    assert "took longer" in failure.reason
    assert [p.name for p in host.packs] == ["national"]


def test_a_slow_or_broken_calendar_falls_back_to_the_national_one(release: threading.Event) -> None:
    national = RuleSystem.build(host=_host()).business_calendar("11140")

    class SlowCalendar(TestPack):
        @hookimpl
        def employkit_business_calendar(self, region_code: str | None) -> Any:
            release.wait(30)
            return "not a calendar"

    host = _host(SlowCalendar(make_pack("calendar-gu", layer="district").info), timeout=LIMIT)
    system = _build(host)
    assert type(system.business_calendar("11140")) is type(national)
    assert [(f.name, f.stage) for f in host.failures] == [("calendar-gu", "employkit_business_calendar")]


def test_a_fast_hook_is_not_affected_and_no_limit_means_none() -> None:
    host = _host(Good(), timeout=0)
    assert "good-gu" in _names(_build(host))
    short = Slow(threading.Event(), seconds=0.5, name="short-gu")
    host = _host(short, timeout=0)  # no limit: the slow hook is waited for (it would not be under 0.3 s)
    assert "slow.late.value" in _build(host).parameter_ids()


def test_hooks_called_from_a_forked_child_still_answer() -> None:
    if not hasattr(os, "fork"):
        pytest.skip("needs os.fork")
    host = _host(Good(), timeout=5)
    system = _build(host)
    system.business_calendar("11140")  # the parent's worker thread exists now
    pid = os.fork()
    if pid == 0:  # the child has no threads of its parent: the host must start its own
        try:
            ok = _build(host).parameter("goodgu.visits.target", DAY).value == 7
            system.business_calendar("11140")
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


# ------------------------------------------------------------------ the time limit is configurable


def test_the_centre_configuration_sets_the_time_limit_of_the_rule_system() -> None:
    from employkit.rules import RuleSystem

    host = PluginHost(entry_points=False)
    RuleSystem.build(parse_config({"packs": {"hook_timeout": 9}}), host)
    assert host.hook_timeout == 9.0


def test_the_time_limit_comes_from_the_environment_or_the_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EMPLOYKIT_HOOK_TIMEOUT", raising=False)
    assert PluginHost(entry_points=False).hook_timeout == DEFAULT_HOOK_TIMEOUT
    monkeypatch.setenv("EMPLOYKIT_HOOK_TIMEOUT", "2.5")
    host = PluginHost(entry_points=False)
    assert host.hook_timeout == 2.5
    assert PluginHost(entry_points=False, hook_timeout=7).hook_timeout == 7
    host.apply_config(parse_config({"packs": {"hook_timeout": 12}}))
    assert host.hook_timeout == 12.0 and not host.strict
    host.apply_config(parse_config({"packs": {"strict": True}}))
    assert host.strict and host.hook_timeout == 12.0
    for bad in ("soon", "-1", "inf", "nan"):
        monkeypatch.setenv("EMPLOYKIT_HOOK_TIMEOUT", bad)
        with pytest.raises(ConfigError, match="EMPLOYKIT_HOOK_TIMEOUT must be a number of seconds"):
            PluginHost(entry_points=False)
    for value in ("soon", -1, True, float("inf")):
        with pytest.raises(ConfigError, match=r"packs\.hook_timeout must be a number of seconds"):
            parse_config({"packs": {"hook_timeout": value}})


# ------------------------------------------------------------------ installed packs, through the command line

HANGING_PACK = """
import time
from employkit import hookimpl, PackInfo, Layer, Text

@hookimpl
def employkit_pack_info():
    return PackInfo(name="hanging-gu", version="0.1.0", layer=Layer.DISTRICT, title=Text("멈춤구", "Hanging-gu"),
                    regions=["11680"])

@hookimpl
def employkit_kpis():
    time.sleep(60)
    return []
"""

SYNTAX_ERROR_PACK = """
from employkit import hookimpl
def employkit_pack_info(:
"""


def test_installed_faulty_packs_through_the_cli(site: Site) -> None:
    site.install("employkit-hanging-gu", "hanging_gu", HANGING_PACK, ep_name="hanging-gu")
    site.install("employkit-typo-gu", "typo_gu", SYNTAX_ERROR_PACK, ep_name="typo-gu")
    started = time.monotonic()
    listed = site.run("plugins", "--json", "--centre", "11680", EMPLOYKIT_HOOK_TIMEOUT="0.5")
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr
    failed = {(f["name"], f["stage"]): f["reason"] for f in json.loads(listed.stdout)["failed"]}
    assert "SyntaxError" in failed["typo-gu", "import"]
    assert "took longer than 0.5 s" in failed["hanging-gu", "employkit_kpis"]
    strict = site.run("--strict", "rules", "--as-of", "2016-06-01", EMPLOYKIT_HOOK_TIMEOUT="0.5")
    assert strict.returncode == 2
    assert "employkit: error: pack 'typo-gu'" in strict.stderr and "Traceback" not in strict.stderr
    assert time.monotonic() - started < 40  # neither command waited for the hanging hook
