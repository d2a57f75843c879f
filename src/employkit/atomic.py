"""Atomic writes: a file or a folder appears whole, or the previous one stays.

Everything employkit writes for a user (reports, datasets, exports) goes through these
helpers: the content is written to a temporary file or folder beside the target and
renamed into place, so an interrupted run never leaves a half-written output and never
destroys the previous one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from employkit.errors import OutputError

__all__ = ["atomic_file", "atomic_folder", "check_replaceable", "write_text_atomic"]


def check_replaceable(path: str | Path, replace_only: frozenset[str] | None = None) -> None:
    """Raise :class:`~employkit.errors.OutputError` unless ``path`` may be replaced by a folder.

    It may when it does not exist, or is a folder holding only files named in
    ``replace_only`` (any files when ``replace_only`` is ``None``).
    """
    target = Path(path)
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputError(f"{target} exists and is not a folder; not overwritten")
    if replace_only is not None:
        entries = list(target.iterdir())
        others = sorted(p.name for p in entries if p.name not in replace_only)
        if others:
            raise OutputError(f"{target} holds other files ({', '.join(others[:3])}); not overwritten")
        # a name employkit writes, but not as a plain file (a folder, a link): the user's, kept
        odd = sorted(p.name for p in entries if p.is_symlink() or not p.is_file())
        if odd:
            raise OutputError(
                f"{target} holds {', '.join(odd[:3])}, which is not a file employkit wrote; not overwritten"
            )


@contextmanager
def atomic_folder(path: str | Path, *, replace_only: frozenset[str] | None = None) -> Iterator[Path]:
    """A temporary folder beside ``path``, renamed to ``path`` when the block succeeds.

    When the block raises, the temporary folder is removed and ``path`` is untouched.
    An existing folder at ``path`` is replaced; with ``replace_only`` given, it is
    replaced only if every file in it has one of those names (so a mistyped ``--out``
    never wipes a folder of other files).

    >>> import tempfile, pathlib
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_folder(base / "out") as tmp:
    ...     _ = (tmp / "a.txt").write_text("hello")
    >>> (base / "out" / "a.txt").read_text()
    'hello'
    """
    target = Path(path)
    check_replaceable(target, replace_only)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=".employkit-", suffix=".tmp", dir=target.parent))
    try:
        yield temp
        if target.exists():
            if _exchange(temp, target):  # one atomic step: never a moment with nothing at ``path``
                shutil.rmtree(temp, ignore_errors=True)  # now the previous folder
            else:
                old = Path(tempfile.mkdtemp(prefix=".employkit-", suffix=".old", dir=target.parent))
                os.replace(target, old / "previous")
                os.replace(temp, target)
                shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temp, target)
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)


_RENAME_EXCHANGE = 2  # renameat2(2) flag (Linux 3.15+)
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``).

    ``False`` where the system or the file system cannot (then the caller falls back on
    two renames).
    """
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(done == 0)


@contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """A temporary file path beside ``path``, renamed to ``path`` when the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".employkit-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def write_text_atomic(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically; returns the path."""
    with atomic_file(path) as temp:
        temp.write_text(text, encoding=encoding)
    return Path(path)
