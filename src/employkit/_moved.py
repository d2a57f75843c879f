"""Old import paths of moved modules: they still work, with a :class:`DeprecationWarning`.

When a module moves (a store out of a domain package, renderers into
:mod:`employkit.render`…), its old path keeps a three-line module whose ``__getattr__``
is :func:`forward`: ``from employkit.followup.store import FollowUpStore`` still works in
the next minor release and warns with the new path, as ``docs/versioning.rst`` promises.
The new module is imported only when an old name is used, by name, so the old package
does not depend on it.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["forward"]


def forward(
    old: str, new: str, removed_in: str = "0.3", elsewhere: Mapping[str, str] | None = None
) -> Callable[[str], Any]:
    """A module ``__getattr__`` that serves the names of ``new`` at ``old``, with a warning.

    ``elsewhere`` names the few that went to another module (name → module).
    """

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        module = (elsewhere or {}).get(name, new)
        target = importlib.import_module(module)
        if not hasattr(target, name):
            raise AttributeError(f"module {old!r} has no attribute {name!r} (its moved names are in {new!r})")
        warnings.warn(
            f"{old}.{name} moved to {module}.{name}; the old path goes in employkit {removed_in}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(target, name)

    return __getattr__
