"""Loading packs: entry points, failures reported not fatal, strict mode, allow/deny, trace."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

import pytest

from employkit.errors import PluginLoadError
from employkit.hookspecs import hookimpl
from employkit.plugins import PluginHost
from employkit.rules import RuleSystem
from employkit.testing import TestPack, config_from_toml, make_host
from tests.conftest import Site

# Packs installed in this environment (e.g. the bundled district packs), not by a test.
INSTALLED = {ep.name for ep in entry_points(group="employkit")}

GOOD_PACK = '''
"""A district pack written against the public SDK only."""
import datetime as dt
from employkit import hookimpl, PackInfo, Layer, Text, Parameter, DatedValue

@hookimpl
def employkit_pack_info():
    return PackInfo(name="sample-gu", version="1.2.3", layer=Layer.DISTRICT, title=Text("샘플구", "Sample-gu"),
                    regions=["11680"])

@hookimpl
def employkit_parameters():
    return [Parameter(id="samplegu.visit.target", title=Text("방문 목표", "visit target"),
                      values=(DatedValue(value=1953, effective_from=dt.date(2016, 1, 1)),))]
'''

BROKEN_PACK = """
import employkit
raise ImportError("deliberately broken: no module named 'nonexistent_dependency'")
"""


def test_builtin_national_pack_is_registered_through_hooks() -> None:
    host = PluginHost(entry_points=False)
    (national,) = host.packs
    assert national.info.name == "national"
    assert national.origin == "built-in"
    assert "employkit_pack_info" in national.hooks
    assert "employkit_parameters" in national.hooks


def test_pack_found_through_its_entry_point(site: Site) -> None:
    site.install("employkit-sample-gu", "sample_gu_pack", GOOD_PACK, ep_name="sample-gu")
    host = PluginHost()
    pack = host.pack("sample-gu")
    assert pack.info.version == "1.2.3"
    assert "employkit-sample-gu 0.1.0" in pack.origin
    system = RuleSystem.build(config_from_toml('[centre]\nname = "샘플구"\nregion_code = "11680"\n'), host=host)
    assert system.parameter("samplegu.visit.target", __import__("datetime").date(2016, 5, 1)).value == 1953


def test_broken_pack_is_reported_and_others_keep_working(site: Site) -> None:
    site.install("employkit-broken", "broken_pack", BROKEN_PACK)
    site.install("employkit-sample-gu", "sample_gu_pack", GOOD_PACK)
    host = PluginHost()
    (failure,) = host.failures
    assert (failure.name, failure.stage) == ("broken_pack", "import")
    assert "deliberately broken" in failure.reason
    assert {p.name for p in host.packs} - INSTALLED == {"national", "sample-gu"}


def test_broken_pack_is_fatal_in_strict_mode(site: Site) -> None:
    site.install("employkit-broken", "broken_pack", BROKEN_PACK)
    with pytest.raises(PluginLoadError, match=r"broken_pack.*deliberately broken"):
        PluginHost(strict=True)


def test_allow_and_deny_lists(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    site.install("employkit-broken", "broken_pack", BROKEN_PACK)
    site.install("employkit-sample-gu", "sample_gu_pack", GOOD_PACK, ep_name="sample-gu")
    monkeypatch.setenv("EMPLOYKIT_PLUGINS", "sample-gu")
    host = PluginHost()
    assert host.failures == [] and "broken_pack" in host.skipped
    monkeypatch.delenv("EMPLOYKIT_PLUGINS")
    monkeypatch.setenv("EMPLOYKIT_DISABLE_PLUGINS", "sample-gu, broken_pack")
    host = PluginHost()
    assert [p.name for p in host.packs if p.name not in INSTALLED] == ["national"]
    assert sorted(host.skipped) == ["broken_pack", "sample-gu"]


class NoInfo:
    @staticmethod
    def employkit_parameters() -> list[Any]:
        return []


def test_plugin_without_pack_info_or_with_unknown_hook_fails() -> None:
    import types

    from employkit.hookspecs import hookimpl

    typo = types.ModuleType("typo_pack")

    @hookimpl
    def employkit_parameterz() -> list[Any]:
        return []

    typo.employkit_parameterz = employkit_parameterz  # type: ignore[attr-defined]
    host = make_host()
    assert host.add(typo) is None
    assert "employkit_parameterz" in host.failures[-1].reason
    empty = types.ModuleType("empty_pack")
    assert host.add(empty) is None
    assert host.failures[-1].stage == "employkit_pack_info"
    assert [p.name for p in host.packs] == ["national"]  # nothing half-registered


def test_hook_that_raises_or_returns_wrong_type_drops_the_whole_pack(
    make_pack: Callable[..., Any], make_system: Callable[..., Any]
) -> None:
    bad_type = make_pack("wrong", kpis=["not a kpi"])
    system = make_system(bad_type)
    (failure,) = system.host.failures
    assert (failure.name, failure.stage) == ("wrong", "employkit_kpis")
    assert "expected an object with meta and the kpi interface" in failure.reason
    assert [p.name for p in system.active] == ["national"]

    class Explodes(TestPack):
        @hookimpl
        def employkit_kpis(self) -> list[Any]:
            raise RuntimeError("boom")

    host = make_host(Explodes(make_pack("explodes").info))
    system = RuleSystem.build(config_from_toml('[packs]\nenabled = ["explodes"]\n'), host=host)
    assert any(f.name == "explodes" and "RuntimeError: boom" in f.reason for f in host.failures)
    assert "explodes" not in {p.name for p in system.active}


def test_duplicate_pack_names_are_refused(make_pack: Callable[..., Any]) -> None:
    host = make_host(make_pack("gu"), make_pack("gu"))
    assert [p.name for p in host.packs] == ["national", "gu"]
    assert "already loaded" in host.failures[0].reason


def test_trace_logs_every_hook_call(make_pack: Callable[..., Any], caplog: pytest.LogCaptureFixture) -> None:
    host = make_host(make_pack("gu"))
    host.trace = True
    with caplog.at_level(logging.DEBUG, logger="employkit.hooks"):
        RuleSystem.build(config_from_toml('[packs]\nenabled = ["gu"]\n'), host=host)
    messages = [r.getMessage() for r in caplog.records if r.name == "employkit.hooks"]
    assert any(m.startswith("employkit_parameters [national]") for m in messages)
    assert any(m.startswith("employkit_kpis [gu]") for m in messages)


def test_cli_plugins_json_lists_national_and_failed_pack(site: Site) -> None:
    site.install("employkit-broken", "broken_pack", BROKEN_PACK)
    site.install("employkit-sample-gu", "sample_gu_pack", GOOD_PACK, ep_name="sample-gu")
    result = site.run("plugins", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    national = next(p for p in data["packs"] if p["name"] == "national")
    assert national["version"] == "0.1.0" and national["layer"] == "national"
    assert {"employkit_pack_info", "employkit_parameters", "employkit_business_calendar"} <= set(national["hooks"])
    gu = next(p for p in data["packs"] if p["name"] == "sample-gu")
    assert gu["version"] == "1.2.3" and gu["regions"] == ["11680"]
    # no centre configured: the district pack applies to none, and says why
    assert not gu["active"] and "11680" in gu["why"]["en"]
    assert any(w.startswith("sample-gu: installed but applies to no configured centre") for w in data["warnings"])
    (failed,) = data["failed"]
    assert failed["name"] == "broken_pack" and "deliberately broken" in failed["reason"]
    # the CLI keeps working for other commands too
    rules = site.run("rules", "--as-of", "2016-06-01", "--json", "--centre", "11680")
    assert rules.returncode == 0 and "samplegu.visit.target" in rules.stdout
    elsewhere = site.run("rules", "--as-of", "2016-06-01", "--json", "--centre", "11140")
    assert elsewhere.returncode == 0 and "samplegu.visit.target" not in elsewhere.stdout


def test_cli_strict_mode_stops_cleanly(site: Site) -> None:
    site.install("employkit-broken", "broken_pack", BROKEN_PACK)
    result = site.run("--strict", "plugins")
    assert result.returncode == 2
    assert "employkit: error:" in result.stderr and "Traceback" not in result.stderr
