"""Programmes written as decision tables in a pack's TOML (no Python needed).

A pack declares each programme as a ``[[programme]]`` table in any ``*.toml`` file
beside its module and returns them from its hook::

    @hookimpl
    def employkit_programmes():
        return load_programmes(__package__)

A programme has its rule metadata — ``id``, ``ko``/``en`` names, ``source`` (document
and line), ``effective_from``/``effective_to`` — the ``subject`` it decides about
(``seeker``, ``employer`` or ``hire``), optional ``regions`` it is limited to,
``parameters`` its explanation cites (quotas, allowances), ``[[programme.outcome]]``
answers (``code``, ``status``, ``ko``/``en``, and the ``amount``/``period`` parameters
they grant), and a decision table: ``hit_policy``, ``[[programme.input]]`` columns
(each a ``field`` — a fact of the subject, :data:`~employkit.programmes.fields.FACTS`)
and ``[[programme.row]]`` rows whose ``output`` is an outcome code or whose ``missing``
names the facts it stops for. The table is checked when it loads (see
:mod:`employkit.decision`): a gap, an overlap under ``unique`` or a row that never fires
raises :class:`~employkit.decision.DecisionTableError` naming the file, the programme, the
row and an example, and the pack is reported as failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import field, frozen

from employkit.decision import CompiledTable, DecisionTable, DecisionTableError
from employkit.decision.packfiles import PackTables, table_meta
from employkit.decision.packfiles import text as _text
from employkit.labels import Text
from employkit.packs import RuleMeta
from employkit.programmes.base import Outcome, ProgrammeBase, ProgrammeColumns, Verdict
from employkit.programmes.fields import FACTS, Facts, fact

if TYPE_CHECKING:
    from employkit.rules import EvalContext

__all__ = ["TableProgramme", "load_programmes", "parse_programmes", "table_programme"]

_SECTION = "programme"


def _outcomes(raw: Any, where: str) -> tuple[Outcome, ...]:
    out = []
    for k, o in enumerate(raw or (), 1):
        here = f"{where}, outcome #{k}"
        if not isinstance(o, Mapping) or not isinstance(o.get("code"), str):
            raise DecisionTableError(f"{here}: needs a 'code'")
        try:
            out.append(Outcome(o["code"], str(o.get("status", "")), _text(o, here), o.get("amount"), o.get("period")))
        except ValueError as exc:
            raise DecisionTableError(f"{here}: {exc}") from None
    if not out:
        raise DecisionTableError(f"{where}: needs at least one [[{_SECTION}.outcome]]")
    return tuple(out)


def table_programme(raw: Mapping[str, Any], origin: str) -> TableProgramme:
    """One ``[[programme]]``, parsed and checked (raises :class:`DecisionTableError`)."""
    where = f"{origin}: programme {raw.get('id', '?')}"
    subject = str(raw.get("subject"))
    if subject not in FACTS:
        raise DecisionTableError(f"{where}: 'subject' must be one of {', '.join(FACTS)}, not {raw.get('subject')!r}")

    def domain(name: str) -> Any:
        return fact(str(subject), name).domain

    for k, inp in enumerate(raw.get("input") or (), 1):
        if not isinstance(inp, Mapping) or not isinstance(inp.get("field"), str):
            raise DecisionTableError(
                f"{where}: input #{k} needs a 'field' (a {subject} fact: {', '.join(FACTS[subject])})"
            )
    table = DecisionTable.from_mapping(raw, origin=origin, field_domain=domain)
    outcomes = _outcomes(raw.get("outcome"), where)
    codes = [o.code for o in outcomes]
    if len(set(codes)) != len(codes):
        raise DecisionTableError(f"{where}: an outcome code is declared twice")
    for row in table.rows:
        if row.output is not None and row.output not in codes:
            raise DecisionTableError(
                f"{table.where(row)}: output {row.output!r} is not an outcome ({', '.join(codes)})"
            )
    grants = [p for o in outcomes for p in (o.amount, o.period) if p]
    cited = [str(p) for p in raw.get("parameters", ())]
    meta = table_meta(raw, where, table.id, (*cited, *grants))
    regions = tuple(str(r) for r in raw.get("regions", ()))
    return TableProgramme(meta, str(subject), outcomes, regions, table.compile(), tuple(cited))


_TABLES = PackTables(_SECTION, table_programme)


def parse_programmes(data: Mapping[str, Any], origin: str) -> list[TableProgramme]:
    """Every ``[[programme]]`` of one parsed TOML file."""
    return _TABLES.parse(data, origin)


def load_programmes(package: str | None) -> list[TableProgramme]:
    """Every programme in the ``*.toml`` files beside a pack's module, in file name order.

    Raises :class:`DecisionTableError` for the first malformed or refused table. Read and
    checked once per package and process.
    """
    return _TABLES.load(package)


@frozen(eq=False)
class TableProgramme(ProgrammeBase):
    """A programme decided by a checked decision table (see the module docs)."""

    meta: RuleMeta
    subject: str
    outcomes: tuple[Outcome, ...]
    regions: tuple[str, ...]
    compiled: CompiledTable
    cited: tuple[str, ...] = ()
    _verdicts: tuple[Verdict, ...] = field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        verdicts = []
        inputs = self.compiled.table.inputs
        first = self.compiled.table.hit_policy == "first"
        seen: set[str] = set()  # under "first", earlier rows' conditions matter too
        for row in self.compiled.table.rows:
            src = f" [{row.source}]" if row.source else ""
            conditions = row.conditions(inputs)
            here = {str(i.field) for i, c in zip(inputs, row.cells, strict=True) if not c.any}
            seen |= here
            used = tuple(str(i.field) for i in inputs if str(i.field) in (seen if first else here))
            missing = tuple(str(next(i.field for i in inputs if i.name == m)) for m in row.missing)
            verdicts.append(
                Verdict(
                    row.output,
                    missing,
                    row.reason,
                    Text(
                        f"결정표 {row.number}행: {conditions}{src}",
                        f"decision table row {row.number}: {conditions}{src}",
                    ),
                    used,
                )
            )
        object.__setattr__(self, "_verdicts", tuple(verdicts))

    @property
    def facts(self) -> tuple[str, ...]:  # type: ignore[override]
        """The facts the table reads."""
        return tuple(str(i.field) for i in self.compiled.table.inputs)

    def decide(self, facts: Facts, ctx: EvalContext) -> ProgrammeColumns:
        """Every subject's matched row, by the table's numpy lookup."""
        columns = {i.name: facts.columns[str(i.field)] for i in self.compiled.table.inputs}
        rows = self.compiled.evaluate(columns, len(facts)).rows.astype(np.int32)
        if len(rows) and int(rows.min()) < 0:  # pragma: no cover - a compiled table covers every case
            raise DecisionTableError(f"{self.compiled.table.where()}: a case matched no row")
        return self._columns(facts, self._verdicts, rows, ctx)
