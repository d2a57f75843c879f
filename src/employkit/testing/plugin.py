"""The employkit pytest plugin: fixtures for pack authors and data test cases.

Registered through the ``pytest11`` entry point, so it is active wherever employkit is
installed. Fixtures:

``make_pack``
    :func:`employkit.testing.make_pack`.
``make_system``
    :func:`employkit.testing.make_system`, with the ``EMPLOYKIT_*`` environment settings
    cleared for the test.

Files named ``*.cases.yaml`` / ``*.cases.toml`` are collected, one test item per case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

_ENV = ("EMPLOYKIT_PLUGINS", "EMPLOYKIT_DISABLE_PLUGINS", "EMPLOYKIT_STRICT", "EMPLOYKIT_TRACE", "EMPLOYKIT_CONFIG")


@pytest.fixture
def make_pack() -> Callable[..., Any]:
    """Build an in-memory pack: ``make_pack("name", layer="district", parameters=[...])``."""
    from employkit.testing import make_pack as factory

    return factory


@pytest.fixture
def make_system(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Any]]:
    """Build a rule system from in-memory packs, without loading installed ones."""
    from employkit.testing import make_system as factory

    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    yield factory


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """Collect ``*.cases.yaml`` and ``*.cases.toml`` files."""
    if file_path.name.endswith((".cases.yaml", ".cases.yml", ".cases.toml")):
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFile(pytest.File):
    """A file of rule-pack test cases."""

    def collect(self) -> Iterator[pytest.Item]:
        from employkit.testing.cases import load_case_file

        data = load_case_file(self.path)
        for n, case in enumerate(data.get("cases", []), 1):
            name = str(case.get("name", f"case {n}"))
            yield CaseItem.from_parent(self, name=name, case=case, data=data)


class CaseItem(pytest.Item):
    """One data test case."""

    def __init__(self, *, case: dict[str, Any], data: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.data = data

    def runtest(self) -> None:
        from employkit.testing.cases import run_case, system_for

        run_case(system_for(self.path, self.data), self.case)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        from employkit.testing.cases import CaseFailure

        if isinstance(excinfo.value, CaseFailure):
            return f"{self.path.name} :: {self.name}: {excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"case: {self.name}"
