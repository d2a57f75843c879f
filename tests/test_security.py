"""Security review as tests: no code evaluation of inputs, safe loaders only, the plugin allow-list everywhere.

The code of the library and of the packs in this repository is read as syntax trees:
no ``eval``/``exec``/``compile``, no pickle, marshal or shelve, YAML only through
``safe_load``, no shell in subprocesses. Installed packs are found in one place only
(:meth:`employkit.plugins.PluginHost.load_entry_points`), and ``EMPLOYKIT_PLUGINS`` is
obeyed by every way of building a host or a rule system, the command line included.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from employkit.config import parse_config
from employkit.plugins import PluginHost
from employkit.rules import RuleSystem
from employkit.sources import load
from employkit.testing import make_host
from tests.conftest import ROOT, Site

CODE_DIRS = [ROOT / "src" / "employkit", *sorted((ROOT / "plugins").glob("*/src"))]
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "input", "breakpoint"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "jsonpickle"}
UNSAFE_YAML = {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all"}
SHELL_CALLS = {("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execvp"), ("os", "spawnl")}


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for folder in CODE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _findings(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in FORBIDDEN_MODULES:
                    yield node.lineno, f"imports {name}"
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        last = name.rsplit(".", 1)[-1]
        if name in FORBIDDEN_CALLS:
            yield node.lineno, f"calls {name}()"
        if name.startswith("yaml.") and last in UNSAFE_YAML:
            yield node.lineno, f"calls {name}() (use yaml.safe_load)"
        if tuple(name.split(".")[-2:]) in SHELL_CALLS:
            yield node.lineno, f"calls {name}()"
        for keyword in node.keywords:
            if keyword.arg == "shell" and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            ):
                yield node.lineno, f"calls {name}(shell=...)"


def test_the_scan_sees_what_it_looks_for() -> None:
    bad = ast.parse(
        "import pickle\nfrom marshal import loads\nimport yaml\neval(x)\nyaml.load(s)\n"
        "subprocess.run(c, shell=True)\nos.system(c)\nyaml.safe_load(s)\nsubprocess.run(c, shell=False)\n"
    )
    assert [line for line, _ in _findings(bad)] == [1, 2, 4, 5, 6, 7]


def test_no_code_evaluation_no_pickle_safe_yaml_no_shell() -> None:
    scanned, found = 0, []
    for path, tree in _modules():
        scanned += 1
        found += [f"{path.relative_to(ROOT)}:{line}: {what}" for line, what in _findings(tree)]
    assert scanned > 50
    assert not found, "\n".join(found)


def test_toml_and_yaml_are_read_with_safe_loaders_only() -> None:
    loaders = set()
    for _path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _dotted(node.func).split(".")[0] in {"yaml", "tomllib", "toml"}:
                loaders.add(_dotted(node.func))
    assert loaders <= {"tomllib.loads", "tomllib.load", "yaml.safe_load", "yaml.safe_dump", "yaml.dump"}, loaders


def test_installed_packs_are_found_in_one_place_only() -> None:
    callers = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _dotted(node.func).rsplit(".", 1)[-1] == "entry_points":
                callers.append(path.relative_to(ROOT).as_posix())
    assert callers == ["src/employkit/plugins.py"]


def test_a_configuration_value_is_data_never_code() -> None:
    config = parse_config({"parameters": {"metrics.suppression.min_cell": "__import__('os').system('x')"}})
    (param,) = config.parameters
    assert param.values[0].value == "__import__('os').system('x')"


# ------------------------------------------------------------------ the allow-list

PACK = """
from employkit import hookimpl, PackInfo, Layer, Text, Parameter, DatedValue
import datetime as dt

IMPORTED = True

@hookimpl
def employkit_pack_info():
    return PackInfo(name="{name}", version="0.1.0", layer=Layer.DISTRICT, title=Text("{name}", "{name}"),
                    regions=["11680"])

@hookimpl
def employkit_parameters():
    return [Parameter(id="{module}.marker.value", title=Text("x", "x"),
                      values=(DatedValue(value=1, effective_from=dt.date(2016, 1, 1)),))]
"""


@pytest.fixture
def two_packs(site: Site, monkeypatch: pytest.MonkeyPatch) -> Site:
    """Packs ``allowed-gu`` and ``other-gu`` installed; only the first allowed."""
    for name, module in (("allowed-gu", "allowed_gu"), ("other-gu", "other_gu")):
        site.install(f"employkit-{name}", module, PACK.format(name=name, module=module), ep_name=name)
    monkeypatch.setenv("EMPLOYKIT_PLUGINS", "allowed-gu")
    return site


def _loaded(host: PluginHost) -> set[str]:
    return {p.name for p in host.packs} & {"allowed-gu", "other-gu"}


def test_every_way_of_building_a_host_honours_the_allow_list(two_packs: Site) -> None:
    import sys

    assert _loaded(PluginHost()) == {"allowed-gu"}
    assert "other_gu" not in sys.modules  # skipped packs are never imported
    assert _loaded(RuleSystem.build().host) == {"allowed-gu"}
    assert _loaded(PluginHost(allow=["other-gu", "allowed-gu"])) == {"allowed-gu"}  # the setting is a ceiling
    assert _loaded(PluginHost(allow=["other-gu"])) == set()
    assert _loaded(make_host(entry_points=True)) == {"allowed-gu"}
    assert _loaded(PluginHost(deny=["nothing"])) == {"allowed-gu"}
    system = RuleSystem.build(parse_config({"packs": {"enabled": ["national", "allowed-gu", "other-gu"]}}))
    assert {p.name for p in system.active} >= {"national", "allowed-gu"}
    assert "other-gu" not in {p.name for p in system.active}
    assert "other_gu.marker.value" not in system.parameter_ids()
    assert "other_gu" not in sys.modules


def test_the_disable_list_adds_to_any_deny_list(two_packs: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EMPLOYKIT_PLUGINS")
    monkeypatch.setenv("EMPLOYKIT_DISABLE_PLUGINS", "other-gu")
    assert _loaded(PluginHost(deny=())) == {"allowed-gu"}
    assert _loaded(PluginHost(deny=["allowed-gu"])) == set()


def test_loading_data_uses_only_allowed_packs(two_packs: Site, tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    folder.mkdir()
    (folder / "seekers.csv").write_text(
        "seeker_id,birth_year,residence_code,registered_on\nS1,1960,11140,2015-03-02\n", encoding="utf-8"
    )
    import sys

    data = load(folder)  # builds the rule system itself, from the installed packs allowed
    assert len(data.seekers) == 1
    assert "allowed_gu" in sys.modules and "other_gu" not in sys.modules


def test_the_command_line_honours_the_allow_list(two_packs: Site) -> None:
    listed = two_packs.run("plugins", "--json", EMPLOYKIT_PLUGINS="allowed-gu")
    assert listed.returncode == 0, listed.stderr
    names = {p["name"] for p in json.loads(listed.stdout)["packs"]}
    assert "allowed-gu" in names and "other-gu" not in names
    day = dt.date(2016, 6, 1).isoformat()
    rules = two_packs.run("rules", "--as-of", day, "--centre", "11680", "--json", EMPLOYKIT_PLUGINS="allowed-gu")
    assert rules.returncode == 0, rules.stderr
    assert "allowed_gu.marker.value" in rules.stdout and "other_gu.marker.value" not in rules.stdout
