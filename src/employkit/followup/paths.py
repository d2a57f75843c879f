"""Moved to :mod:`employkit.stores.paths` (stores live outside the domain packages); warns until 0.3."""

from employkit._moved import forward

__getattr__ = forward(__name__, "employkit.stores.paths")
