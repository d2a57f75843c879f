"""The top-level API as a user sees it: static names, typed, one way to call each task."""

from __future__ import annotations

import datetime as dt
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

import employkit
from employkit import sdk

SRC = Path(employkit.__file__).resolve().parent.parent

# Typed uses of the task functions, as the tutorial writes them; the rest of the script
# touches every other public name.
USES = """
import datetime as dt
import employkit
from employkit import RuleSystem, load, load_config

data: employkit.Dataset = load("sample")
system: RuleSystem = RuleSystem.build()
day: dt.date = employkit.reference_date(data)
profiles: employkit.DatasetProfiles = employkit.profile(data, system, as_of=day)
rankings: employkit.Rankings = employkit.match(data, system, top=3)
run: employkit.ScheduleRun = employkit.schedule(data, system)
report: employkit.KpiReport = employkit.kpis(data, system, as_of=None, year=2015)
audit: employkit.FairnessAudit = employkit.audit(data, system, by=["gender"])
ranked = employkit.matching.rank(data.seekers[0], data.vacancies, system, top=3)
kind: type[employkit.sdk.PackInfo] = employkit.sdk.PackInfo
"""


def _script() -> str:
    lines = [USES]
    lines += [f"from employkit import {name} as _{name}" for name in employkit.__all__]
    lines += [f"print(employkit.{name})" for name in employkit.__all__]
    lines += [f"from employkit.sdk import {name} as _sdk_{name}" for name in sdk.__all__]
    return "\n".join(lines) + "\n"


def test_a_user_script_touching_every_public_name_passes_mypy_strict(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    script = tmp_path / "user_script.py"
    script.write_text(_script(), encoding="utf-8")
    env = {**os.environ, "MYPYPATH": str(SRC)}
    args = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "cache")]
    done = subprocess.run([*args, str(script)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_rejects_a_name_that_is_not_public(tmp_path: Path) -> None:
    """The check above can fail: a misspelt name is an error, not an ``Any``."""
    pytest.importorskip("mypy")
    script = tmp_path / "typo.py"
    script.write_text("import employkit\nemploykit.RuleSystm\nfrom employkit import hookimpl\n", encoding="utf-8")
    env = {**os.environ, "MYPYPATH": str(SRC)}
    args = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), str(script)]
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert done.returncode == 1
    assert 'has no attribute "RuleSystm"' in done.stdout
    assert "hookimpl" in done.stdout  # moved to employkit.sdk: not public at the top any more


def test_every_public_name_and_subpackage_resolves() -> None:
    for name in employkit.__all__:
        assert getattr(employkit, name) is not None, name
    assert employkit.matching.rank is not None
    assert sorted(dir(employkit)) == sorted(employkit.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = employkit.nonsense  # type: ignore[attr-defined]


def test_pack_author_names_live_in_the_sdk_and_still_resolve_from_the_top() -> None:
    for name in ("hookimpl", "PackInfo", "Layer", "RuleMeta", "Parameter", "Text"):
        assert name in sdk.__all__
        assert name not in employkit.__all__
        assert getattr(employkit, name) is getattr(sdk, name)


def test_task_functions_take_the_same_arguments_in_the_same_way() -> None:
    for task in (employkit.profile, employkit.match, employkit.schedule, employkit.kpis, employkit.audit):
        params = list(inspect.signature(task).parameters.values())
        assert [p.name for p in params[:2]] == ["data", "system"], task.__name__
        assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in params[:2]), task.__name__
        assert all(p.kind is p.KEYWORD_ONLY for p in params[2:]), task.__name__
        as_of = inspect.signature(task).parameters["as_of"]
        assert as_of.default is None, task.__name__


def test_as_of_defaults_to_the_centres_reference_date() -> None:
    data = employkit.load("sample")
    system = employkit.RuleSystem.build()
    latest = max(
        [s.registered_on for s in data.seekers]
        + [v.posted_on for v in data.vacancies]
        + [p.start_date for p in data.placements]
    )
    assert employkit.reference_date(data) == dt.date(2015, 12, 31) >= latest  # the sample's reporting period
    with pytest.raises(employkit.ConfigError, match="no evaluation date"):  # never today by default
        employkit.reference_date(employkit.Dataset())
    on_default = employkit.kpis(data, system, only=["employment_rate"])
    on_given = employkit.kpis(data, system, as_of=employkit.reference_date(data), only=["employment_rate"])
    assert on_default.as_of == on_given.as_of == employkit.reference_date(data)


def test_help_starts_with_a_page_for_users() -> None:
    code = "import employkit, pydoc; print(pydoc.render_doc(employkit, renderer=pydoc.plaintext))"
    page = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    head = page[:2500]
    assert "employkit.profile(data, system)" in head
    assert "employkit.sdk" in head
    assert "hookimpl" not in head
    assert page.index("employkit.profile(data, system)") < page.index("CLASSES")
