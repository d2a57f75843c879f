"""Moved to :mod:`employkit.stores.schema` (stores live outside the domain packages); warns until 0.3."""

from employkit._moved import forward

__getattr__ = forward(__name__, "employkit.stores.schema")
