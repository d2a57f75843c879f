"""Accountability: decision log and replay, fairness audit, counterfactuals, override monitoring.

Profiling and matching decide who gets which public service. This package makes each
decision checkable: :mod:`employkit.accountability.decisions` and
:mod:`employkit.accountability.log` write every decision to an append-only, versioned
JSON Lines log an auditor can replay with the same packs;
:mod:`employkit.accountability.audit` measures whether a group is treated worse (the
four-fifths rule on segments, exposure in match lists, retention after placement);
:mod:`employkit.accountability.counterfactual` tells a seeker the smallest change of
their own answers that would change their segment, and which match components would
raise a match most; :mod:`employkit.accountability.monitoring` watches counsellors'
overrides for rubber-stamping and outliers.
"""
