"""The evaluation context: what a rule sees while deciding (the date, the parameters in force).

It records each parameter value a rule reads, so that the explanation it builds cites every
value with its pack, dates and source. It needs a rule system to ask, but imports none: the
rule system hands itself in (:meth:`employkit.rules.RuleSystem.context`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from employkit.errors import (
    EmploykitError,
    RuleNotFound,
)
from employkit.explain import Explanation, ParameterUse
from employkit.labels import Text

if TYPE_CHECKING:
    from employkit.rules import RuleSystem


__all__ = ["EvalContext"]


class EvalContext:
    """What a rule sees while deciding: the date, and the parameters then in force.

    :meth:`param` returns a value and records its use; :meth:`explain` builds the
    decision's :class:`~employkit.explain.Explanation` from the rule's provenance and
    the values recorded since the previous :meth:`explain`.
    """

    def __init__(self, system: RuleSystem, as_of: dt.date) -> None:
        self.system = system
        self.as_of = as_of
        self._uses: dict[str, ParameterUse] = {}

    def param(self, pid: str) -> Any:
        """The value of parameter ``pid`` on :attr:`as_of`."""
        use = self.system.parameter(pid, self.as_of)
        self._uses[pid] = use
        return use.value

    def cite(self, uses: Iterable[ParameterUse]) -> None:
        """Record parameter uses already looked up (as :meth:`param` records each value it returns)."""
        for use in uses:
            self._uses[use.parameter_id] = use

    def setting(self, section: str, key: str, default: Any = None) -> Any:
        """A value from the centre configuration's ``[section]``."""
        return self.system.config.setting(section, key, default)

    def fork(self) -> EvalContext:
        """A context for the same date with no recorded uses (for nested decisions)."""
        return EvalContext(self.system, self.as_of)

    def explain(
        self,
        rule_id: str,
        *,
        reasons: Iterable[Text] = (),
        inputs: Mapping[str, Any] | None = None,
        details: Iterable[Explanation] = (),
    ) -> Explanation:
        """The explanation of a decision made by ``rule_id`` (consumes recorded uses)."""
        try:
            origin, overrides = self.system.provenance(rule_id)
        except EmploykitError:
            raise RuleNotFound(f"explain() names rule {rule_id!r}, which no active pack provides") from None
        uses = tuple(self._uses.values())
        self._uses = {}
        return Explanation(
            rule_id=rule_id,
            pack=origin.name,
            pack_version=origin.version,
            reasons=tuple(reasons),
            as_of=self.as_of,
            parameters=uses,
            inputs=dict(inputs or {}),
            overrides=overrides,
            details=tuple(details),
        )
