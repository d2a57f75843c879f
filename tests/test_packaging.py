"""The distribution as a user gets it: the sdist ships no tests it cannot run, the wheel works alone.

Builds offline (``--no-isolation``, with the setuptools installed here) from a copy of the
project's files, then installs the wheel without dependencies into a fresh virtual
environment that borrows only the dependencies' folders, and runs the command line there.
"""

from __future__ import annotations

import email
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = (
    "src",
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
    "CONTRIBUTING.md",
    "SECURITY.md",
    "MANIFEST.in",
)
DEPENDENCIES = ("attrs", "cattrs", "pluggy", "numpy", "click", "holidays", "tqdm", "dateutil", "typing_extensions")


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "EMPLOYKIT_"))}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("build")
    setuptools_version = int(importlib.metadata.version("setuptools").split(".")[0])
    if setuptools_version < 77:
        pytest.skip("the build needs setuptools>=77 (license = 'MIT')")
    work = tmp_path_factory.mktemp("project")
    for name in SHIPPED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, work / name)
    out = work / "dist"
    args = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(work)]
    done = subprocess.run(args, capture_output=True, text=True, env=_clean_env(), timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return out


def test_the_sdist_ships_the_library_and_no_tests(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = [n.split("/", 1)[1] for n in tar.getnames() if "/" in n]
    assert "LICENSE" in names and "CHANGELOG.md" in names and "src/employkit/py.typed" in names
    assert not [n for n in names if n.startswith(("tests/", "plugins/", "docs/", "benchmarks/"))]


def test_the_wheel_declares_its_license_and_types(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        meta = email.message_from_bytes(z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))))
    assert "employkit/py.typed" in names and "employkit/synth.py" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert meta["License-Expression"] == "MIT"
    assert not [n for n in names if n.startswith("tests/")]


def test_the_wheel_alone_runs_in_a_fresh_environment(dist: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)]
    done = subprocess.run(install, capture_output=True, text=True, env=_clean_env(), timeout=300)
    assert done.returncode == 0, done.stderr
    # the dependencies come from this environment's folders, employkit only from the wheel
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    folders = set()
    for name in DEPENDENCIES:
        try:
            module = __import__(name)
        except ImportError:
            continue
        path = Path(module.__file__ or "").resolve()
        folders.add(str(path.parent.parent if path.name == "__init__.py" else path.parent))
    Path(purelib, "borrowed-dependencies.pth").write_text("\n".join(sorted(folders)) + "\n", encoding="utf-8")

    where = subprocess.run(
        [str(python), "-c", "import employkit; print(employkit.__file__)"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        cwd=tmp_path,
        timeout=120,
    )
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv)
    kpi = subprocess.run(
        [str(venv / "bin" / "employkit"), "kpi", "--source", "sample", "--kpi", "employment_rate"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        cwd=tmp_path,
        timeout=300,
    )
    assert kpi.returncode == 0, kpi.stderr
    assert "35.2%" in kpi.stdout and "1,095" in kpi.stdout and "3,110" in kpi.stdout
