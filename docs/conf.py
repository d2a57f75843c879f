"""Sphinx configuration for the employkit documentation."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from employkit import __version__

project = "employkit"
author = "employkit developers"
copyright = "2026, employkit developers"
release = version = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.doctest",
    "sphinx_click",
]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_type_aliases = {}
nitpicky = False
intersphinx_mapping: dict[str, tuple[str, None]] = {}
language = "en"
# Translations: docs/locale/<lang>/LC_MESSAGES/<page>.po (one catalogue per page), built
# with ``-D language=ko`` into docs/_build/html/ko (``make docs``). A page without a
# catalogue is shown in English.
locale_dirs = ["locale/"]
gettext_compact = False
gettext_uuid = False
gettext_location = False
templates_path = ["_templates"]
html_theme = "alabaster"
html_title = f"employkit {release}"
exclude_patterns = ["_build"]
suppress_warnings = ["ref.python"]

# Docstring examples (>>> blocks pulled in by autodoc) run under pytest --doctest-modules,
# where they see their module; the doctest builder runs the pages' own doctest directives.
doctest_test_doctest_blocks = ""


# --------------------------------------------------------------------------- rules catalogue
# docs/_generated/rules.rst is written at every build from the packs installed with the
# docs (the national pack and the bundled district packs), so it cannot drift from them.


def _cell(text: object) -> str:
    return str(text).replace("\n", " ").replace("|", "/") if text not in (None, "") else "—"


def _rows(header: list[str], rows: list[list[str]]) -> list[str]:
    out = [".. list-table::", "   :header-rows: 1", "", "   * - " + "\n     - ".join(header)]
    out += ["   * - " + "\n     - ".join(_cell(c) for c in row) for row in rows]
    return [*out, ""]


def write_rules_catalogue(app: object) -> None:
    """Write every pack's rules and dated parameters, with their sources, as reST."""
    from employkit.rules import RuleSystem

    system = RuleSystem.build()
    lines = [
        "Rules catalogue",
        "===============",
        "",
        "Generated from the packs at documentation build time. Each rule and each dated value",
        "names its pack and its source (a document and a place in it). ``employkit rules``",
        "prints the same catalogue for one date and one centre's configuration.",
        "",
    ]
    for pack in system.active:
        info = pack.info
        title = f"Pack {info.name} {info.version} ({info.layer.code})"
        lines += [title, "-" * len(title), "", f"{info.title.ko} — {info.title.en}", ""]
        rules = [
            [
                f"``{rid}``",
                res.kind,
                c.item.meta.title.ko,
                c.item.meta.title.en,
                f"{c.item.meta.effective_from or '—'} – {c.item.meta.effective_to or ''}",
                c.item.meta.source,
            ]
            for rid in system.rule_ids()
            for res in [system.resolved_rule(rid)]
            for c in res.chain
            if c.origin.name == info.name
        ]
        if rules:
            lines += ["Rules", "~~~~~", ""]
            lines += _rows(["id", "kind", "이름", "name", "in force", "source"], rules)
        params = [
            [
                f"``{pid}``",
                p.title.ko,
                p.title.en,
                f"{v.value!r} {p.unit or ''}",
                f"{v.effective_from} – {v.effective_to or ''}",
                v.source,
            ]
            for pid in system.parameter_ids()
            for c in system.resolved_parameter(pid).chain
            if c.origin.name == info.name
            for p in [c.item]
            for v in p.values
        ]
        if params:
            lines += ["Parameters", "~~~~~~~~~~", ""]
            lines += _rows(["id", "이름", "name", "value", "in force", "source"], params)
    target = Path(__file__).resolve().parent / "_generated" / "rules.rst"
    target.parent.mkdir(exist_ok=True)
    text = "\n".join(lines) + "\n"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- language switch
# Each page links to the same page in the other language: the English site is the root of
# docs/_build/html and the Korean one its ko/ folder.

LANGUAGES = {"en": "English", "ko": "한국어"}


def language_switch(app: object, pagename: str, templatename: str, context: dict[str, object], doctree: object) -> None:
    """Put ``lang_switch`` (label, relative URL of this page in the other language) in the page context."""
    language = getattr(getattr(app, "config", None), "language", "en") or "en"
    up = "../" * pagename.count("/")
    if language == "ko":
        context["lang_switch"] = (LANGUAGES["en"], f"{up}../{pagename}.html")
    else:
        context["lang_switch"] = (LANGUAGES["ko"], f"{up}ko/{pagename}.html")


def setup(app: object) -> None:
    app.connect("builder-inited", write_rules_catalogue)  # type: ignore[attr-defined]
    app.connect("html-page-context", language_switch)  # type: ignore[attr-defined]
