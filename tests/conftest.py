"""Shared fixtures: packs installed into a temporary folder through real entry points."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


class Site:
    """A folder on ``sys.path`` holding packs with dist-info metadata and entry points."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def install(self, dist: str, module: str, code: str, version: str = "0.1.0", ep_name: str | None = None) -> None:
        """Write ``module.py`` and a dist-info declaring ``[employkit] ep_name = module``."""
        (self.path / f"{module}.py").write_text(textwrap.dedent(code), encoding="utf-8")
        info = self.path / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8")
        (info / "entry_points.txt").write_text(f"[employkit]\n{ep_name or module} = {module}\n", encoding="utf-8")

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a subprocess that sees this folder's packs."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("EMPLOYKIT_")}
        env["PYTHONPATH"] = os.pathsep.join([str(self.path), env.get("PYTHONPATH", "")])
        env.update(extra)
        return env

    def run(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        """Run the ``employkit`` CLI in a subprocess that sees this folder's packs."""
        return subprocess.run(
            [sys.executable, "-m", "employkit", *args],
            capture_output=True,
            text=True,
            env=self.env(**extra_env),
            cwd=self.path,
            timeout=120,
        )


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """A temporary site folder, also put on this process's ``sys.path``."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    for name in list(os.environ):
        if name.startswith("EMPLOYKIT_"):
            monkeypatch.delenv(name)
    yield Site(folder)


@pytest.fixture
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the CLI in-process with click's runner; returns a CompletedProcess-like result."""
    from click.testing import CliRunner

    from employkit.cli import (
        cli,
        commands,  # noqa: F401
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)

    return run
