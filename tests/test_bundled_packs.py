"""Every bundled pack in ``plugins/`` is wired in as the others are: an installable package
with its entry point, data files and type marker, tests of its own, type-checked, listed
in the README — and it loads cleanly, taking part only in the regions it declares."""

from __future__ import annotations

import importlib
import tomllib
from pathlib import Path
from typing import Any

import pytest

from employkit.testing import make_system

ROOT = Path(__file__).resolve().parents[1]
PACKS = sorted(p.parent for p in (ROOT / "plugins").glob("*/pyproject.toml"))


def _project(folder: Path) -> dict[str, Any]:
    return tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))


def _entry(folder: Path) -> tuple[str, str]:
    ((name, module),) = _project(folder)["project"]["entry-points"]["employkit"].items()
    return name, module


def test_the_bundled_packs_are_the_four_known_ones() -> None:
    assert [p.name for p in PACKS] == [
        "employkit-chungnam",
        "employkit-guro",
        "employkit-junggu",
        "employkit-logit-example",
    ]


@pytest.mark.parametrize("folder", PACKS, ids=lambda p: p.name)
def test_a_bundled_pack_is_a_complete_package(folder: Path) -> None:
    project = _project(folder)
    name, module = _entry(folder)
    package = folder / "src" / module
    assert project["project"]["name"] == folder.name and module == f"employkit_{name}"
    assert (package / "__init__.py").is_file() and (package / "py.typed").is_file()
    assert set(project["tool"]["setuptools"]["package-data"][module]) == {"*.toml", "py.typed"}
    assert (folder / "README.md").is_file()
    assert list((folder / "tests").glob("test_*.py")), f"{folder.name} has no tests"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{folder.name}`" in readme, f"README.md does not list {folder.name}"


@pytest.mark.parametrize("folder", PACKS, ids=lambda p: p.name)
def test_a_bundled_pack_with_python_rules_is_type_checked(folder: Path) -> None:
    checked = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]["files"]
    assert f"plugins/{folder.name}/src" in checked


@pytest.mark.parametrize("folder", PACKS, ids=lambda p: p.name)
def test_a_bundled_pack_loads_cleanly_and_only_where_it_applies(folder: Path) -> None:
    name, module = _entry(folder)
    pack = importlib.import_module(module)
    system = make_system(pack, strict=True)
    assert [p.name for p in system.active] == ["national", name]
    assert system.conflicts == ()
    regions = pack.PACK.regions
    elsewhere = make_system(pack, region="11680")  # Gangnam-gu: no bundled pack's region
    assert [p.name for p in elsewhere.active] == ["national"]
    assert name not in _contributors(elsewhere)
    for region in regions:
        there = make_system(pack, region=region)
        assert name in [p.name for p in there.active]
        assert name in _contributors(there)


def _contributors(system: Any) -> set[str]:
    """The packs whose rules or parameters are in force in ``system``."""
    rules = {system.resolved_rule(rid).top.origin.name for rid in system.rule_ids()}
    return rules | {system.resolved_parameter(pid).top.origin.name for pid in system.parameter_ids()}
