"""Rule-pack test cases written as data, run by pytest.

A file named ``*.cases.yaml`` (needs PyYAML) or ``*.cases.toml`` holds::

    packs: [national, junggu]        # installed packs to load (default: national only)
    modules: [my_pack]               # importable modules to add as packs (optional)
    config: employkit.toml           # a centre configuration, relative to the file (optional)
    cases:
      - name: minimum wage in 2016
        kind: parameter
        as_of: 2016-01-01
        input: {id: labour.minimum_wage.hourly}
        expect: {value: 6030, pack: national}

``kind`` names a case runner; each returns a dict of outputs and every key of
``expect`` must equal the output of the same name. Domain packages add kinds with
:func:`case_kind`.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from employkit.config import load_config
from employkit.converter import unstructure
from employkit.errors import ConfigError, EmploykitError
from employkit.plugins import PluginHost
from employkit.rules import RuleSystem

__all__ = ["CASE_KINDS", "CaseFailure", "case_kind", "load_case_file", "run_case"]

CaseRunner = Callable[[RuleSystem, dt.date, Mapping[str, Any]], Mapping[str, Any]]

#: Case runners by kind.
CASE_KINDS: dict[str, CaseRunner] = {}


class CaseFailure(AssertionError):
    """A data test case whose outputs differ from what it expects."""


def case_kind(name: str) -> Callable[[CaseRunner], CaseRunner]:
    """Register a case runner under ``name``."""

    def register(func: CaseRunner) -> CaseRunner:
        CASE_KINDS[name] = func
        return func

    return register


@case_kind("parameter")
def _parameter(system: RuleSystem, as_of: dt.date, inputs: Mapping[str, Any]) -> Mapping[str, Any]:
    use = system.parameter(str(inputs["id"]), as_of)
    return {
        "value": unstructure(use.value),
        "pack": use.pack,
        "pack_version": use.pack_version,
        "effective_from": use.effective_from,
        "effective_to": use.effective_to,
        "overrides": list(use.overrides),
    }


@case_kind("rule")
def _rule(system: RuleSystem, as_of: dt.date, inputs: Mapping[str, Any]) -> Mapping[str, Any]:
    rid = str(inputs["id"])
    res = system.resolved_rule(rid)
    in_force = any(c.item.meta.in_force(as_of) for c in res.chain)
    origin, overrides = system.provenance(rid)
    return {"in_force": in_force, "pack": origin.name, "overrides": list(overrides)}


def load_case_file(path: Path) -> dict[str, Any]:
    """Parse a case file (YAML or TOML) into a dict."""
    text = path.read_text(encoding="utf-8")
    if path.name.endswith(".toml"):
        return tomllib.loads(text)
    try:
        import yaml
    except ImportError:
        raise ConfigError(
            f"{path}: YAML 사례 파일을 읽으려면 PyYAML이 필요합니다: pip install 'employkit[yaml]' "
            "(reading YAML case files needs PyYAML; or write the cases as TOML)"
        ) from None
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise CaseFailure(f"{path}: expected a mapping with 'cases'")
    return data


def system_for(path: Path, data: Mapping[str, Any]) -> RuleSystem:
    """The rule system a case file asks for."""
    names = [str(n) for n in data.get("packs", ["national"])]
    host = PluginHost(
        builtins="national" in names,
        entry_points=bool(set(names) - {"national"}),
        allow=names,
        deny=(),
        strict=True,
    )
    for module in data.get("modules", []):
        host.add_module(str(module), origin=f"case file {path.name}")
    config = load_config(path.parent / str(data["config"])) if "config" in data else None
    return RuleSystem.build(config, host, strict=True)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _normal(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float | int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, tuple | list):
        return [_normal(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _normal(v) for k, v in value.items()}
    return value


def run_case(system: RuleSystem, case: Mapping[str, Any]) -> None:
    """Run one case; raise :class:`CaseFailure` listing every output that differs."""
    kind = case.get("kind")
    if kind not in CASE_KINDS:
        raise CaseFailure(f"unknown case kind {kind!r}; known: {', '.join(sorted(CASE_KINDS))}")
    as_of = _as_date(case.get("as_of", dt.date.today()))
    expect = case.get("expect", {})
    try:
        outputs = CASE_KINDS[kind](system, as_of, case.get("input", {}))
    except EmploykitError as exc:
        if "error" in expect and str(expect["error"]) in str(exc):
            return
        raise CaseFailure(f"raised {type(exc).__name__}: {exc}") from None
    diffs = []
    for key, wanted in expect.items():
        if key not in outputs:
            diffs.append(f"{key}: no such output (outputs: {', '.join(sorted(outputs))})")
        elif _normal(outputs[key]) != _normal(wanted):
            diffs.append(f"{key}: expected {wanted!r}, got {outputs[key]!r}")
    if not expect:
        diffs.append("the case expects nothing; give it an 'expect' table")
    if diffs:
        raise CaseFailure("; ".join(diffs))
