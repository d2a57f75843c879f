"""Moved to :mod:`employkit.render.plots` (renderers live outside the domain packages); warns until 0.3."""

from employkit._moved import forward

__getattr__ = forward(__name__, "employkit.render.plots")
