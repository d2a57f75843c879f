"""The shape of the package, read from its source with :mod:`ast` (nothing is imported).

- every error employkit raises on purpose is an :class:`~employkit.errors.EmploykitError`;
- no import cycle between employkit's modules;
- domain packages import no I/O, no command line and no renderer;
- no module over 600 lines.

Each rule has a short list of known exceptions, each with its reason. An exception that no
longer occurs fails too, so the lists only shrink.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import employkit.errors

ROOT = Path(__file__).resolve().parents[1] / "src" / "employkit"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _tree(path: Path) -> ast.Module:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            child.parent = node  # type: ignore[attr-defined]
    return tree


def _type_checking_only(node: ast.AST) -> bool:
    while node is not None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
        node = getattr(node, "parent", None)  # type: ignore[assignment]
    return False


def _function(node: ast.AST) -> str:
    while node is not None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return node.name
        node = getattr(node, "parent", None)  # type: ignore[assignment]
    return "<module>"


def _imports(name: str, path: Path) -> Iterator[str]:
    """Every module ``name`` imports, at any depth, except under ``if TYPE_CHECKING:``."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(_tree(path)):
        if _type_checking_only(node):
            continue
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                yield candidate if candidate in MODULES else module


# ---------------------------------------------------------------------- errors

BUILTIN_ERRORS = {
    "AssertionError",
    "AttributeError",
    "Exception",
    "IndexError",
    "KeyError",
    "LookupError",
    "NotImplementedError",
    "OSError",
    "RuntimeError",
    "TypeError",
    "ValueError",
}

#: (module, function, exception) → why a built-in exception is right there.
RAISE_ALLOWED = {
    ("employkit", "__getattr__", "AttributeError"): "module __getattr__ protocol (lazy attributes)",
    ("employkit.matching", "__getattr__", "AttributeError"): "module __getattr__ protocol",
    ("employkit._moved", "__getattr__", "AttributeError"): "module __getattr__ protocol (old paths of moved modules)",
    ("employkit.national.profiling", "__getattr__", "AttributeError"): "module __getattr__ protocol",
    ("employkit.isolation", "__getattr__", "AttributeError"): "attribute protocol of a proxy object",
    ("employkit.export", "_json_default", "TypeError"): "json.dumps' default= hook must raise TypeError",
    ("employkit.metrics.report", "_compute", "TypeError"): "caught on the next line; recorded as the pack's failure",
    (
        "employkit.accountability.decisions.records",
        "plain_dict",
        "TypeError",
    ): "internal invariant: plain() of a record",
    ("employkit.synth_sampling", "draw", "IndexError"): "internal invariant: the generator plans exact counts",
    ("employkit.synth_sampling", "draw", "AssertionError"): "internal invariant: unreachable",
    ("employkit.synth_sampling", "next", "IndexError"): "internal invariant: the generator plans exact counts",
    ("employkit.problems", "describe", "KeyError"): "below employkit.errors (which imports it): a code unknown "
    "to the catalogue is a programming error of the caller",
}


def _raises() -> Iterator[tuple[str, str, str, int]]:
    for name, path in MODULES.items():
        for node in ast.walk(_tree(path)):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id in BUILTIN_ERRORS:
                yield name, _function(node), exc.id, node.lineno


def test_every_error_raised_on_purpose_is_an_employkit_error() -> None:
    found = {(m, f, e): line for m, f, e, line in _raises()}
    bare = [f"{m}:{line} raise {e} in {f}()" for (m, f, e), line in found.items() if (m, f, e) not in RAISE_ALLOWED]
    assert not bare, (
        "raise an employkit.errors class (InvalidArgument, InvalidValue, NotFound … keep the built-in "
        "as a base), or add the place with its reason to RAISE_ALLOWED:\n" + "\n".join(bare)
    )
    stale = sorted(set(RAISE_ALLOWED) - set(found))
    assert not stale, f"no longer raised; remove from RAISE_ALLOWED: {stale}"


def test_the_error_classes_keep_the_built_in_callers_catch() -> None:
    e = employkit.errors
    assert issubclass(e.InvalidArgument, e.EmploykitError) and issubclass(e.InvalidArgument, ValueError)
    assert issubclass(e.InvalidValue, e.EmploykitError) and issubclass(e.InvalidValue, ValueError)
    assert issubclass(e.UnknownCode, KeyError) and issubclass(e.UnknownCode, ValueError)
    assert issubclass(e.UnsupportedType, TypeError)
    # a KeyError quotes its message; ours read as the sentence they are
    assert str(e.UnknownCode("unknown region code '99999'")) == "unknown region code '99999'"
    assert str(e.NotFound("no component 'wage'")) == "no component 'wage'"


def test_a_bad_argument_is_caught_as_an_employkit_error() -> None:
    from employkit.codes import region_name
    from employkit.errors import EmploykitError, UnknownCode
    from employkit.metrics.numbers import wilson_interval

    with pytest.raises(EmploykitError, match="at least one trial"):
        wilson_interval(1, 0, 1.96)
    with pytest.raises(UnknownCode, match="unknown region code '99999'"):
        region_name("99999")
    with pytest.raises(KeyError):  # what callers caught before
        region_name("99999")


# ---------------------------------------------------------------------- cycles


def _graph() -> dict[str, set[str]]:
    return {name: {m for m in _imports(name, path) if m in MODULES and m != name} for name, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == v:
                            break
                    if len(component) > 1:
                        out.append(sorted(component))
    return out


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    cycles = _cycles(_graph())
    assert not cycles, "import cycles (lazy imports count):\n" + "\n".join(" ".join(c) for c in cycles)


# ---------------------------------------------------------------------- layers

DOMAIN = (
    "employkit.accountability",
    "employkit.decision",
    "employkit.followup",
    "employkit.matching",
    "employkit.metrics",
    "employkit.model",
    "employkit.profiling",
    "employkit.programmes",
    "employkit.rules",
)
#: What a domain module must not import: the command line, renderers, readers, writers and stores.
FORBIDDEN = (
    "employkit.cli",
    "employkit.render",
    "employkit.export",
    "employkit.sources.readers",
    "employkit.sources.folders",
    "employkit.sources.sqlite",
    "employkit.sources.raw",
    "employkit.sources.writers",
    "employkit.sources.excel",
    "employkit.stores",
    "sqlite3",
    "matplotlib",
    "openpyxl",
)
#: (module, what it imports) → why it still does (none left; a new entry needs its reason).
LAYER_ALLOWED: dict[tuple[str, str], str] = {}


def _is_domain(name: str) -> bool:
    return any(name == d or name.startswith(d + ".") for d in DOMAIN)


def _forbidden(imported: str) -> str | None:
    return next((f for f in FORBIDDEN if imported == f or imported.startswith(f + ".")), None)


def test_domain_packages_import_no_io_cli_or_renderer() -> None:
    found: dict[tuple[str, str], str] = {}
    for name, path in MODULES.items():
        if _is_domain(name):
            for imported in _imports(name, path):
                if (rule := _forbidden(imported)) is not None:
                    found[(name, rule)] = imported
    wrong = [f"{m} imports {imp}" for (m, rule), imp in sorted(found.items()) if (m, rule) not in LAYER_ALLOWED]
    assert not wrong, "a domain module imports I/O, the CLI or a renderer:\n" + "\n".join(wrong)
    stale = sorted(set(LAYER_ALLOWED) - set(found))
    assert not stale, f"no longer imported; remove from LAYER_ALLOWED: {stale}"


# ---------------------------------------------------------------------- sizes

MAX_LINES = 600
#: Modules over MAX_LINES → why they are not split yet (none left; a new entry needs its reason).
SIZE_ALLOWED: dict[str, str] = {}


def test_no_module_is_over_600_lines() -> None:
    big = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    over = [f"{name}: {n} lines" for name, n in sorted(big.items()) if n > MAX_LINES and name not in SIZE_ALLOWED]
    assert not over, "split these along their seams (at most about 500 lines):\n" + "\n".join(over)


# ---------------------------------------------------------------------- packs

#: The engines: they run the rules packs register and name no pack.
ENGINES = (
    "employkit.decision",
    "employkit.followup",
    "employkit.matching",
    "employkit.metrics",
    "employkit.profiling",
    "employkit.programmes",
)
#: (module, what names the national pack) → why it still does.
PACK_ALLOWED = {}


def _docstrings(tree: ast.Module) -> set[int]:
    nodes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef))]
    return {
        id(n.body[0].value)
        for n in nodes
        if n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)
    }


def _names_the_national_pack(name: str, path: Path) -> Iterator[str]:
    """What in ``name`` names the national pack: an import of it, a rule id of it, a def or class named for it.

    A rule id is a dotted string (or an f-string's dotted part) with a ``national`` segment;
    docstrings, where examples run the built pack, do not count.
    """
    for imported in _imports(name, path):
        if imported == "employkit.national" or imported.startswith("employkit.national."):
            yield f"import {imported}"
    tree = _tree(path)
    docs = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            text = node.value
            if "." in text and all(c.isalnum() or c in "._" for c in text) and "national" in text.split("."):
                yield repr(text)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef) and "national" in node.name.lower():
            yield f"{'class' if isinstance(node, ast.ClassDef) else 'def'} {node.name}"


def test_the_pack_finder_finds_each_way_of_naming_a_pack(tmp_path: Path) -> None:
    path = tmp_path / "engine.py"
    path.write_text(
        '"""Doc: national.followup.default runs here."""\n'
        "def f():\n"
        "    from employkit.national.followup import DEFAULT_POLICY\n"
        '    return f"national.matching.{DEFAULT_POLICY}", "nationality", "the national figure"\n'
        "class NationalThing: ...\n",
        encoding="utf-8",
    )
    found = set(_names_the_national_pack("employkit.followup.engine", path))
    assert found == {"import employkit.national.followup", "'national.matching.'", "class NationalThing"}


def test_engines_name_no_pack() -> None:
    found = {
        (name, what)
        for name, path in MODULES.items()
        if any(name == e or name.startswith(e + ".") for e in ENGINES)
        for what in _names_the_national_pack(name, path)
    }
    wrong = [f"{m}: {what}" for m, what in sorted(found - set(PACK_ALLOWED))]
    assert not wrong, (
        "an engine names the national pack; move the national rule into employkit.national and take "
        "defaults from a dated parameter or the pack's hooks:\n" + "\n".join(wrong)
    )
    stale = sorted(set(PACK_ALLOWED) - found)
    assert not stale, f"no longer found; remove from PACK_ALLOWED: {stale}"
