"""The escape hatch: a programme rule written as a Python function of a few facts.

When a rule does not fit a decision table, write it as a function that receives the
facts it declares (Python values, ``None`` when missing) and returns a
:class:`~employkit.programmes.base.Verdict`. It is called once per distinct combination
of those facts, not once per record, and the combination's verdict is spread back over
the rows — the same columns, explanations and summaries as a table::

    def rule(f):
        if f["insured_days"] is None:
            return Verdict(None, ("insured_days",))
        return Verdict("eligible" if f["insured_days"] >= 180 else "refused")

    ScalarProgramme(meta, "seeker", outcomes, rule, facts=("insured_days",))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import field, frozen

from employkit.errors import EmploykitError
from employkit.packs import RuleMeta
from employkit.programmes.base import Outcome, ProgrammeBase, ProgrammeColumns, Verdict
from employkit.programmes.fields import Facts, fact

if TYPE_CHECKING:
    from employkit.rules import EvalContext

__all__ = ["ScalarProgramme"]


@frozen(eq=False)
class ScalarProgramme(ProgrammeBase):
    """A programme decided by ``rule(facts) -> Verdict`` over the declared ``facts``."""

    meta: RuleMeta
    subject: str
    outcomes: tuple[Outcome, ...]
    rule: Callable[[Mapping[str, Any]], Verdict]
    facts: tuple[str, ...] = field(converter=tuple)
    regions: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        for name in self.facts:
            fact(self.subject, name)  # unknown facts fail when the pack loads

    def decide(self, facts: Facts, ctx: EvalContext) -> ProgrammeColumns:
        """One call of the rule per distinct combination of the facts it reads."""
        codes = {o.code for o in self.outcomes}
        if self.facts:
            stacked = np.stack([facts.columns[n].astype(np.float64) for n in self.facts], axis=1)
            missing = np.isnan(stacked)  # NaN never equals NaN: key missing values apart
            key = np.concatenate([np.where(missing, 0.0, stacked), missing], axis=1)
            _, first, rows = np.unique(key, axis=0, return_index=True, return_inverse=True)
            combos = stacked[first]
        else:
            combos, rows = np.zeros((1, 0)), np.zeros(len(facts), dtype=np.int64)
        verdicts = []
        for combo in combos:
            values = {n: fact(self.subject, n).value(v) for n, v in zip(self.facts, combo, strict=True)}
            v = self.rule(values)
            if not isinstance(v, Verdict) or (v.outcome is None) == (not v.missing):
                raise EmploykitError(
                    f"programme {self.meta.rule_id}: the rule must return a Verdict "
                    f"with an outcome or missing facts, got {v!r}"
                )
            if v.outcome is not None and v.outcome not in codes:
                raise EmploykitError(
                    f"programme {self.meta.rule_id}: outcome {v.outcome!r} is not declared ({', '.join(sorted(codes))})"
                )
            verdicts.append(Verdict(v.outcome, v.missing, v.reason, v.rule, v.inputs or self.facts))
        return self._columns(facts, verdicts, np.asarray(rows).reshape(-1), ctx)
