"""Seeker typologies written as decision tables in a pack's TOML (no Python needed).

A pack declares each typology as a ``[[seeker_typology]]`` table in any ``*.toml`` file
beside its module (the same files :func:`~employkit.params.load_pack_parameters`
reads), and returns them from its hook::

    @hookimpl
    def employkit_seeker_typologies():
        return load_decision_tables(__package__)

A table has its rule metadata (``id``, ``ko``/``en``, ``source``, ``effective_from``),
a ``hit_policy``, ``[[seeker_typology.input]]`` columns (a seeker ``field`` from
:data:`~employkit.profiling.fields.FIELDS`, or a dated ``parameter`` such as a
centre's option), ``[[seeker_typology.segment]]`` outputs with their services, named
``[seeker_typology.reasons]``, and ``[[seeker_typology.row]]`` rows (see
:mod:`employkit.decision` for the cells). Every table is checked when it loads: a gap,
an overlap under ``unique`` or a row that never fires raises
:class:`~employkit.decision.DecisionTableError` naming the file, the table, the row and
an example — the plugin host then reports the pack as failed (fatal in strict mode),
so an unchecked table never runs.

:class:`TableTypology` meets :class:`~employkit.profiling.base.SeekerTypology`:
``classify_columns`` classes a table of seekers, ``classify`` one seeker through the
same checked lookup (its answers encoded as the columns encode them, without building
arrays), and :meth:`TableTypology.explain` renders the explanation of the rows asked for
only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from attrs import field, frozen

from employkit.decision import CompiledTable, DecisionTable, DecisionTableError, Input, Row
from employkit.decision.packfiles import PackTables, table_meta
from employkit.decision.packfiles import text as _text
from employkit.explain import Explanation
from employkit.labels import Text
from employkit.packs import RuleMeta
from employkit.profiling.base import NOT_PROTECTED, SeekerProfile, Segment, Service, missing_reason
from employkit.profiling.batch import NOT_PROFILED, ColumnProfiles, SeekerColumns, missing_mask
from employkit.profiling.fields import FIELDS, field_domain, python_value, record_values, shown_value

if TYPE_CHECKING:
    from employkit.model import Seeker
    from employkit.rules import EvalContext

__all__ = ["TableTypology", "load_decision_tables", "parse_seeker_typologies", "table_typology"]

_SECTION = "seeker_typology"


def _service(raw: Any, where: str) -> Service:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("code"), str):
        raise DecisionTableError(f"{where}: a service is {{ code, ko, en }}")
    return Service(raw["code"], _text(raw, where))


@frozen
class _SegmentSpec:
    segment: Segment
    services_parameter: str | None = None  # services listed by a dated parameter, before the fixed ones


def _segments(raw: Any, where: str) -> tuple[_SegmentSpec, ...]:
    out = []
    for k, s in enumerate(raw or (), 1):
        here = f"{where}, segment #{k}"
        if not isinstance(s, Mapping) or not isinstance(s.get("code"), str):
            raise DecisionTableError(f"{here}: needs a 'code'")
        services = tuple(_service(x, f"{here} ({s['code']}) service") for x in s.get("services", ()))
        group = s.get("group")
        seg = Segment(s["code"], _text(s, f"{here} ({s['code']})"), services, None if group is None else str(group))
        out.append(_SegmentSpec(seg, s.get("services_parameter")))
    if not out:
        raise DecisionTableError(f"{where}: needs at least one [[{_SECTION}.segment]]")
    return tuple(out)


def table_typology(raw: Mapping[str, Any], origin: str) -> TableTypology:
    """One ``[[seeker_typology]]`` table, parsed and checked (raises :class:`DecisionTableError`)."""
    reasons_raw = raw.get("reasons") or {}
    where = f"{origin}: table {raw.get('id', '?')}"
    reasons = {str(k): _text(v, f"{where}, reason {k}") for k, v in reasons_raw.items()}
    table = DecisionTable.from_mapping(raw, origin=origin, field_domain=field_domain, reasons=reasons)
    specs = _segments(raw.get("segment"), where)
    codes = [s.segment.code for s in specs]
    for row in table.rows:
        if row.output is not None and row.output not in codes:
            raise DecisionTableError(f"{table.where(row)}: output {row.output!r} is not a segment ({', '.join(codes)})")
    for inp in table.inputs:
        if inp.field is None and inp.parameter is None:
            raise DecisionTableError(f"{where}: input {inp.name} needs a 'field' of the seeker or a 'parameter'")
        if inp.field is not None and inp.field not in FIELDS:
            raise DecisionTableError(f"{where}: input {inp.name}: unknown field {inp.field!r}")
    params = [i.parameter for i in table.inputs if i.parameter] + [s.services_parameter for s in specs]
    meta = table_meta(raw, where, table.id, [p for p in params if p])
    return TableTypology(meta, table.compile(), specs)


_TABLES = PackTables(_SECTION, table_typology)


def parse_seeker_typologies(data: Mapping[str, Any], origin: str) -> list[TableTypology]:
    """Every ``[[seeker_typology]]`` of one parsed TOML file."""
    return _TABLES.parse(data, origin)


def load_decision_tables(package: str | None) -> list[TableTypology]:
    """Every seeker typology table in the ``*.toml`` files beside a pack's module, in name order.

    Raises :class:`DecisionTableError` for the first file with a malformed or refused
    table. Tables are read and checked once per package and process (they are immutable).
    """
    return _TABLES.load(package)


@frozen(eq=False)
class TableTypology:
    """A seeker typology run by a checked decision table (see the module docs)."""

    meta: RuleMeta
    compiled: CompiledTable
    specs: tuple[_SegmentSpec, ...]
    _row_code: npt.NDArray[np.int16] = field(init=False, repr=False)
    _row_missing: npt.NDArray[np.int32] = field(init=False, repr=False)
    _missing: tuple[tuple[str, ...], ...] = field(init=False, repr=False)
    _fields: tuple[str, ...] = field(init=False, repr=False)
    _reasons: tuple[tuple[Text, ...], ...] = field(init=False, repr=False)  # per row: why, which row, protected
    _protected: tuple[tuple[str, ...], ...] = field(init=False, repr=False)  # per row
    _codes: dict[tuple[str, Any], Any] = field(init=False, repr=False, factory=dict)  # parameter value → code

    def __attrs_post_init__(self) -> None:
        by_name = {i.name: i for i in self.table.inputs}
        index = {s.segment.code: k for k, s in enumerate(self.specs)}
        missing = tuple(
            tuple((FIELDS[f].missing_name if (f := by_name[m].field) else None) or m for m in row.missing)
            for row in self.table.rows
        )
        codes = [index[r.output] if r.output else NOT_PROFILED for r in self.table.rows]
        object.__setattr__(self, "_missing", missing)
        object.__setattr__(self, "_row_code", np.array(codes, dtype=np.int16))
        object.__setattr__(self, "_row_missing", np.array([missing_mask(m) for m in missing], dtype=np.int32))
        object.__setattr__(self, "_fields", tuple(i.field for i in self.table.inputs if i.field))
        reads_protected = any(FIELDS[f].protected for f in self._fields)
        reasons = []
        protected = []
        for r, row in enumerate(self.table.rows):
            why = row.reason or (missing_reason(missing[r]) if row.missing else _row_text(row))
            src = f" [{row.source}]" if row.source else ""
            conditions = row.conditions(self.table.inputs)
            which = Text(
                f"결정표 {row.number}행: {conditions}{src}", f"decision table row {row.number}: {conditions}{src}"
            )
            reasons.append((why, which) if reads_protected else (why, which, NOT_PROTECTED))
            pairs = zip(self.table.inputs, row.cells, strict=True)
            found = {FIELDS[i.field].protected for i, c in pairs if i.field and not c.any}
            protected.append(tuple(sorted(p for p in found if p)))
        object.__setattr__(self, "_reasons", tuple(reasons))
        object.__setattr__(self, "_protected", tuple(protected))

    @property
    def table(self) -> DecisionTable:
        """The table as written."""
        return self.compiled.table

    @property
    def segments(self) -> tuple[Segment, ...]:
        """The segments, in the order declared (services from parameters left out)."""
        return tuple(s.segment for s in self.specs)

    # ----------------------------------------------------------------- evaluation

    def _params(self, ctx: EvalContext) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for inp in self.table.inputs:
            if inp.parameter is not None:
                value = ctx.system.parameter(inp.parameter, ctx.as_of).value
                key = (inp.name, value)
                if key not in self._codes:
                    self._codes[key] = _param_code(inp, value, self.table.where())
                out[inp.name] = self._codes[key]
        return out

    def _resolved(self, ctx: EvalContext) -> tuple[Segment, ...]:
        out = []
        for spec in self.specs:
            seg = spec.segment
            if spec.services_parameter:
                where = f"{self.table.where()}: segment {seg.code}"
                listed = tuple(
                    _service(s, f"{where}: parameter {spec.services_parameter}")
                    for s in ctx.param(spec.services_parameter)
                )
                seg = Segment(seg.code, seg.label, (*listed, *seg.pathway), seg.group)
            out.append(seg)
        return tuple(out)

    def classify_columns(self, columns: SeekerColumns, ctx: EvalContext) -> ColumnProfiles:
        """Class every seeker of ``columns`` at once: segment, missing fields and matched row."""
        values = self._params(ctx)
        for inp in self.table.inputs:
            if inp.field is not None:
                values[inp.name] = FIELDS[inp.field].read(columns)
        rows = self.compiled.evaluate(values, len(columns)).rows
        segments = self._resolved(ctx.fork())
        return ColumnProfiles(
            self.meta.rule_id,
            ctx.as_of,
            segments,
            columns.ids,
            self._row_code[rows],
            self._row_missing[rows],
            rows=rows,
        )

    def classify(self, seeker: Seeker, ctx: EvalContext) -> SeekerProfile:
        """Class one seeker: its answers index the same checked lookup as :meth:`classify_columns`."""
        values = self._params(ctx)
        fields = record_values(seeker, ctx.as_of, self._fields)
        for inp in self.table.inputs:
            if inp.field is not None:
                values[inp.name] = fields[inp.field]
        r = self.compiled.row_of(values)
        return self._profile(seeker.seeker_id, r, values, ctx, self._resolved(ctx.fork()))

    # ----------------------------------------------------------------- explanations

    def protected(self) -> tuple[str, ...]:
        """The protected attributes the table reads (normally none)."""
        found = {FIELDS[f].protected for f in self._fields}
        return tuple(sorted(p for p in found if p))

    def explain(
        self, columns: SeekerColumns, result: ColumnProfiles, rows: Iterable[int], ctx: EvalContext
    ) -> list[SeekerProfile]:
        """Full profiles, with explanations, of the seekers ``rows`` of ``result`` only."""
        assert result.rows is not None
        read = {inp.name: FIELDS[inp.field].read(columns) for inp in self.table.inputs if inp.field}
        out = []
        for i in rows:
            values = {name: column[i] for name, column in read.items()}
            out.append(self._profile(str(columns.ids[i]), int(result.rows[i]), values, ctx, result.segments))
        return out

    def _profile(
        self, seeker_id: str, r: int, values: Mapping[str, Any], ctx: EvalContext, segments: Sequence[Segment]
    ) -> SeekerProfile:
        code = int(self._row_code[r])
        return SeekerProfile(
            seeker_id=seeker_id,
            typology_id=self.meta.rule_id,
            as_of=ctx.as_of,
            segment=segments[code] if code >= 0 else None,
            missing=self._missing[r],
            protected_used=self._protected[r],
            explanation=self._explanation(r, values, ctx),
        )

    def _explanation(self, r: int, values: Mapping[str, Any], ctx: EvalContext) -> Explanation:
        row = self.table.rows[r]
        inputs: dict[str, Any] = {}
        for inp, cell in zip(self.table.inputs, row.cells, strict=True):
            if cell.any:
                continue
            if inp.field is not None:
                inputs[inp.name] = shown_value(python_value(inp.domain, values[inp.name]))
            else:
                assert inp.parameter is not None
                ctx.param(inp.parameter)  # cited with its dates and source
        if row.output:
            spec = next(s for s in self.specs if s.segment.code == row.output)
            if spec.services_parameter:
                ctx.param(spec.services_parameter)
        inputs["row"] = row.number
        return ctx.explain(self.meta.rule_id, reasons=self._reasons[r], inputs=inputs)


def _row_text(row: Row) -> Text:
    return Text(f"→ {row.output}", f"→ {row.output}")


def _param_code(inp: Input, value: Any, where: str) -> Any:
    """A parameter value as the input's column code (a number, or a code's index)."""
    if inp.domain.kind == "number":
        return float(value)
    token = str(value).lower() if isinstance(value, bool) else str(value)
    try:
        return inp.domain.code(token)
    except ValueError as exc:
        raise DecisionTableError(f"{where}: parameter {inp.parameter}: {exc}") from None
