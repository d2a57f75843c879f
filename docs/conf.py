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
html_theme = "alabaster"
html_title = f"employkit {release}"
exclude_patterns = ["_build"]
suppress_warnings = ["ref.python"]

# Docstring examples (>>> blocks pulled in by autodoc) run under pytest --doctest-modules,
# where they see their module; the doctest builder runs the pages' own doctest directives.
doctest_test_doctest_blocks = ""
