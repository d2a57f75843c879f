"""Matching: explainable seeker–vacancy scores and ranking (알선·매칭).

Components are rules registered through ``employkit_match_components``; the interface
is in :mod:`employkit.matching.base`.
"""

from employkit.matching.base import ComponentScore, MatchComponent

__all__ = ["ComponentScore", "MatchComponent"]
