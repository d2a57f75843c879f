"""``employkit new-plugin``: the generated pack installs, shows up and passes its own tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import employkit
from employkit.errors import EmploykitError
from employkit.scaffold import skeleton, write_skeleton


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMPLOYKIT_")}
    env.update(extra)
    return env


def test_generated_pack_installs_shows_up_and_passes_its_tests(tmp_path: Path) -> None:
    made = subprocess.run(
        [
            *(sys.executable, "-m", "employkit", "new-plugin", "gangnam"),
            *("--dir", str(tmp_path), "--title", "강남구", "--region", "11680"),
        ],
        capture_output=True,
        text=True,
        env=_env(),
    )
    assert made.returncode == 0, made.stderr
    folder = tmp_path / "employkit-gangnam"
    site = tmp_path / "site"
    # A real install (no build isolation: the machine may be offline) into a folder of its own.
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(folder),
        ],
        capture_output=True,
        text=True,
        env=_env(),
    )
    assert install.returncode == 0, install.stderr
    here = Path(employkit.__file__).resolve().parents[1]  # the employkit under test, not another install
    env = _env(PYTHONPATH=os.pathsep.join((str(site), str(here))))
    command = [sys.executable, "-m", "employkit", "plugins", "--centre", "11680"]  # a Gangnam-gu centre
    listed = subprocess.run(command, capture_output=True, text=True, env=env)
    assert listed.returncode == 0, listed.stderr
    line = next(line for line in listed.stdout.splitlines() if line.startswith("gangnam "))
    assert "district" in line and "yes" in line and "kpis" in line and "seeker_typologies" in line
    assert "programmes" in line
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder / "tests")],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "7 passed" in tests.stdout


def test_bad_name_and_existing_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(EmploykitError, match="lower-case"):
        skeleton("Gang-Nam")
    with pytest.raises(EmploykitError, match="regional or district"):
        skeleton("gangnam", layer="national")
    write_skeleton("gangnam", tmp_path)
    with pytest.raises(EmploykitError, match="already exists"):
        write_skeleton("gangnam", tmp_path)


def test_cli_reports_a_bad_name_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "employkit", "new-plugin", "Bad Name", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=_env(),
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr and "lower-case" in result.stderr
    assert list(tmp_path.iterdir()) == []
