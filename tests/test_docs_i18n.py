"""The Korean documentation: every catalogue has its English page, the required pages are fully translated.

The Korean pages are built from gettext catalogues (``docs/locale/ko/LC_MESSAGES/<page>.po``)
by ``make docs`` (``sphinx-build -W -D language=ko``). A page without a catalogue is shown
in English; the pages below must not be.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

babel = pytest.importorskip("babel.messages.pofile")

DOCS = Path(__file__).resolve().parent.parent / "docs"
LOCALE = DOCS / "locale" / "ko" / "LC_MESSAGES"

#: Pages a Korean reader (a district official, a developer) needs first.
REQUIRED = ("index", "install", "tutorial", "concepts", "plugin-guide", "migration")


def _catalogue(page: str):  # type: ignore[no-untyped-def]
    with (LOCALE / f"{page}.po").open("rb") as f:
        return babel.read_po(f, locale="ko")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_korean_catalogue_has_its_english_page() -> None:
    catalogues = sorted(LOCALE.glob("**/*.po"))
    assert catalogues, f"no catalogues in {LOCALE}"
    for po in catalogues:
        page = po.relative_to(LOCALE).with_suffix(".rst")
        assert (DOCS / page).is_file(), f"{po.name} translates {page}, which is not a page"


@pytest.mark.parametrize("page", REQUIRED)
def test_every_required_page_has_a_complete_korean_catalogue(page: str) -> None:
    assert (DOCS / f"{page}.rst").is_file()
    assert (LOCALE / f"{page}.po").is_file(), f"{page}.rst has no Korean catalogue"
    catalogue = _catalogue(page)
    messages = [m for m in catalogue if m.id]
    assert messages
    untranslated = [m.id for m in messages if not m.string]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, f"{page}: untranslated: {untranslated[:3]}"
    assert not fuzzy, f"{page}: fuzzy: {fuzzy[:3]}"
    assert not catalogue.obsolete, f"{page}: obsolete entries: {list(catalogue.obsolete)[:3]}"


@pytest.mark.parametrize("page", REQUIRED)
def test_the_catalogue_matches_the_english_page_as_it_is(page: str) -> None:
    """Each English text the catalogue translates is still on the page (an edited paragraph is caught)."""
    english = _flat((DOCS / f"{page}.rst").read_text(encoding="utf-8"))
    stale = [m.id for m in _catalogue(page) if m.id and _flat(m.id) not in english]
    assert not stale, f"{page}: the English page changed; refresh the catalogue (CONTRIBUTING.md): {stale[:2]}"


@pytest.mark.parametrize("page", REQUIRED)
def test_translations_keep_the_roles_and_literals_of_the_original(page: str) -> None:
    """A cross-reference or a literal lost in translation would break the Korean page's links."""
    marks = re.compile(r":[a-z:]+:`[^`]+`|``[^`]+``")
    for m in _catalogue(page):
        if m.id:
            assert sorted(marks.findall(m.id)) == sorted(marks.findall(m.string)), m.id[:80]
            assert re.search(r"[가-힣]", m.string) or m.string == m.id or not re.search(r"[a-z]{4}", m.id), m.id[:80]
