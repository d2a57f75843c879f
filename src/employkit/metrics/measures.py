"""The parts a KPI formula is declared with: measures and filters, as data.

A measure says what one side of a formula counts::

    Count("placements", where=(Where("is_resident", "eq", True),))   # resident placements
    Sum("vacancies", "openings")                                      # openings posted
    Input("population")                                               # a figure given by the caller
    CentreFigure("target")                                            # Centre.targets[year]
    FirstOf(Input("placements"), Count("placements"))                 # an input if given, else records

Filters (:mod:`employkit.metrics.filters`) select records: ``Where`` compares a column
with a value (or a dated parameter, ``Param``); ``Within`` keeps records whose date falls
within some months of another date. Every measure describes itself in Korean and English, so the
explanation of a KPI reads like its definition.

>>> Where("monthly_wage", "ge", 2_000_000).describe_value(2_000_000).en
'monthly_wage ≥ 2,000,000'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from attrs import field, frozen

from employkit.errors import ConfigError, InvalidArgument, InvalidValue
from employkit.labels import Text
from employkit.metrics.filters import OPS, Filter, Param, Where, Within, compare, show
from employkit.metrics.frame import POPULATIONS
from employkit.metrics.scope import INPUTS

if TYPE_CHECKING:
    from employkit.metrics.columnar import ColumnFrame

__all__ = [
    "OPS",
    "Amount",
    "CentreFigure",
    "Count",
    "Difference",
    "Filter",
    "FirstOf",
    "Input",
    "Measure",
    "PackFigure",
    "Param",
    "Product",
    "Sum",
    "Where",
    "Within",
    "compare",
]

Number = int | float


@frozen(kw_only=True)
class Amount:
    """A measure's result: the total, one number per breakdown cell, and how it was obtained."""

    total: Number | None
    cells: Mapping[str, Number] | None
    how: Text
    missing: tuple[str, ...] = ()
    disclosive: bool = False  # a count of people: published cells under the threshold are suppressed
    inputs: Mapping[str, Any] = field(factory=dict)


@runtime_checkable
class Measure(Protocol):
    """One side of a KPI formula."""

    def evaluate(self, frame: ColumnFrame, by: str | None) -> Amount:
        """The amount over the frame's period, broken down by ``by`` when given."""
        ...

    def parameters(self) -> tuple[str, ...]:
        """The parameter ids the measure reads."""
        ...


def _conditions(words: Iterable[Text]) -> tuple[str, str]:
    words = list(words)
    cond_ko = f" ({'; '.join(w.ko for w in words)})" if words else ""
    cond_en = f" ({'; '.join(w.en for w in words)})" if words else ""
    return cond_ko, cond_en


#: Columns that need a fact about the centre; a measure reading one gives no value without it.
_CENTRE_FACTS: Mapping[str, tuple[str, Text]] = {
    "is_resident": ("centre.region_code", Text("센터의 관할 지역 코드", "the centre's region code")),
    "resident": ("centre.region_code", Text("센터의 관할 지역 코드", "the centre's region code")),
}


def _without_context(frame: ColumnFrame, population: str, where: Iterable[Filter], by: str | None) -> Amount | None:
    """A missing amount when a filter or the breakdown reads a centre fact the frame lacks.

    Residence needs the centre's region: without it nobody is a resident or not, so
    "resident placements" has no value (not 0).
    """
    columns = [f.column for f in where] + ([by] if by else [])
    for column in columns:
        need = _CENTRE_FACTS.get(column)
        if need is not None and frame.region_code is None:
            name, fact = need
            label = POPULATIONS[population].title if population in POPULATIONS else Text(population, population)
            return Amount(
                total=None,
                cells=None,
                how=Text(f"{label.ko}: {fact.ko} 없음", f"{label.en}: {fact.en} is not known"),
                missing=(name,),
            )
    return None


def _label(population: str, title: Text | None) -> Text:
    if title is not None:
        return title
    return POPULATIONS[population].title if population in POPULATIONS else Text(population, population)


def _absent(population: str, title: Text | None) -> Amount:
    """The missing amount of a population whose table has no records at all.

    A dataset without placement records (a centre that reports totals only) has no
    figure for "placements", not zero placements.
    """
    table = POPULATIONS[population].table
    label = _label(population, title)
    name = f"{table} records"
    return Amount(
        total=None,
        cells=None,
        how=Text(f"{label.ko}: 자료에 {table} 기록 없음", f"{label.en}: the dataset has no {table} records"),
        missing=(name,),
    )


def _check_population(_inst: object, _attribute: Any, value: str) -> None:
    if value not in POPULATIONS:
        raise InvalidValue(f"unknown population {value!r}; expected one of {', '.join(POPULATIONS)}")


def _filters(values: Iterable[Filter]) -> tuple[Filter, ...]:
    return tuple(values)


@frozen
class Count:
    """The number of records of a population in the period, after filters."""

    population: str = field(validator=_check_population)
    where: tuple[Filter, ...] = field(default=(), converter=_filters)
    title: Text | None = None

    def evaluate(self, frame: ColumnFrame, by: str | None) -> Amount:
        """Count the rows; per cell when ``by`` is given. ``missing`` when the dataset has no such records at all."""
        if not frame.has_records(POPULATIONS[self.population].table):
            return _absent(self.population, self.title)
        unknown = _without_context(frame, self.population, self.where, by)
        if unknown is not None:
            return unknown
        rows, words = frame.filtered(self.population, self.where)
        cells = frame.count_cells(self.population, rows, by) if by else None
        return self.amount(len(rows), cells, words)

    def amount(self, total: int, cells: Mapping[str, Number] | None, words: Iterable[Text]) -> Amount:
        """The amount of ``total`` rows (``cells`` per breakdown cell) selected by filters described by ``words``."""
        pop = POPULATIONS[self.population]
        label = _label(self.population, self.title)
        cond_ko, cond_en = _conditions(words)
        how = Text(
            f"{label.ko} {total:,}: {pop.rule.ko}{cond_ko}",
            f"{label.en} {total:,}: {pop.rule.en}{cond_en}",
        )
        return Amount(total=total, cells=cells, how=how, disclosive=pop.table in ("seekers", "placements"))

    def parameters(self) -> tuple[str, ...]:
        """The parameter ids of the filters."""
        return tuple(p for f in self.where for p in f.parameters())


@frozen
class Sum:
    """The sum of a numeric column over a population in the period (empty values skipped)."""

    population: str = field(validator=_check_population)
    column: str
    where: tuple[Filter, ...] = field(default=(), converter=_filters)
    title: Text | None = None

    def evaluate(self, frame: ColumnFrame, by: str | None) -> Amount:
        """Sum the numbers of the column, per cell when ``by`` is given; ``missing`` without such records."""
        if not frame.has_records(POPULATIONS[self.population].table):
            return _absent(self.population, self.title)
        unknown = _without_context(frame, self.population, self.where, by)
        if unknown is not None:
            return unknown
        rows, words = frame.filtered(self.population, self.where)
        total, cells = frame.sum_cells(self.population, rows, self.column, by)
        return self.amount(total, cells, words)

    def amount(self, total: Number, cells: Mapping[str, Number] | None, words: Iterable[Text]) -> Amount:
        """The amount of a sum ``total`` (``cells`` per breakdown cell) over rows selected by filters ``words``."""
        label = _label(self.population, self.title)
        pop = POPULATIONS[self.population]
        cond_ko, cond_en = _conditions(words)
        how = Text(
            f"{label.ko} {show(total)}: {pop.title.ko}의 {self.column} 합계, {pop.rule.ko}{cond_ko}",
            f"{label.en} {show(total)}: sum of {self.column} over {pop.title.en} {pop.rule.en}{cond_en}",
        )
        return Amount(total=total, cells=cells, how=how)

    def parameters(self) -> tuple[str, ...]:
        """The parameter ids of the filters."""
        return tuple(p for f in self.where for p in f.parameters())


def _figure(key: str, value: Number | None, found: Text, absent: Text) -> Amount:
    """A single figure that is not counted from records: ``missing`` (named ``key``) when absent."""
    if value is None:
        return Amount(total=None, cells=None, how=absent, missing=(key,))
    return Amount(total=value, cells=None, how=found, inputs={key: value})


@frozen
class Input:
    """A figure that is not a record: given by the caller or the centre's ``[metrics.inputs]``."""

    name: str
    title: Text | None = None

    def evaluate(self, frame: ColumnFrame, by: str | None) -> Amount:
        """The input's value (``missing`` names it when it was not given)."""
        label = self.title or INPUTS.get(self.name) or Text(self.name, self.name)
        value = frame.scope.inputs.get(self.name)
        origin = frame.scope.input_origins.get(self.name, "caller")
        return _figure(
            self.name,
            value,
            Text(f"{label.ko} {show(value)} (입력값, {origin})", f"{label.en} {show(value)} (input, {origin})"),
            Text(f"{label.ko}: 입력값 '{self.name}' 없음", f"{label.en}: input '{self.name}' not given"),
        )

    def parameters(self) -> tuple[str, ...]:
        """Inputs read no parameters."""
        return ()


@frozen
class PackFigure:
    """A figure a pack gives as a dated parameter (e.g. a district's yearly placement target).

    Read as of the KPI's date; ``missing`` when no active pack defines the parameter or
    none of its values is in force, so a national KPI can fall back to it without every
    centre having to define it.
    """

    parameter_id: str
    title: Text | None = None

    def evaluate(self, frame: ColumnFrame, by: str | None) -> Amount:
        """The parameter's value, or ``missing``."""
        from employkit.errors import ParameterError, RuleNotFound

        label = self.title or Text(self.parameter_id, self.parameter_id)
        try:
            value = frame.ctx.param(self.parameter_id)
        except (RuleNotFound, ParameterError):
            value = None
        return _figure(
            self.parameter_id,
            value,
            Text(f"{label.ko} {show(value)} (매개변수)", f"{label.en} {show(value)} (parameter)"),
            Text(
                f"{label.ko}: 팩 매개변수 {self.parameter_id} 없음",
                f"{label.en}: no pack gives parameter {self.parameter_id}",
            ),
        )

    def parameters(self) -> tuple[str, ...]:
        """None declared: the parameter is optional (a pack may or may not give it)."""
        return ()


_CENTRE_FIGURES: Mapping[str, Text] = {
    "target": Text("취업 목표", "placement target"),
    "budget_krw": Text("예산", "budget (KRW)"),
    "counsellors": Text("상담사 수", "counsellors"),
    "officials": Text("공무원 수", "officials"),
}


def _centre_figure(_inst: object, _attribute: Any, value: str) -> None:
    if value not in _CENTRE_FIGURES:
        raise InvalidValue(f"unknown centre figure {value!r}; expected one of {', '.join(_CENTRE_FIGURES)}")


@frozen
class CentreFigure:
    """A figure of the dataset's centre: ``target`` and ``budget_krw`` for the period's year, staff counts."""

    name: str = field(validator=_centre_figure)

    def evaluate(self, frame: ColumnFrame, by: str | None) -> Amount:
        """The figure, or ``missing`` when the centre does not give it."""
        label = _CENTRE_FIGURES[self.name]
        centre = frame.centre
        year = frame.scope.period.start.year
        value: int | None = None
        if centre is not None:
            if self.name == "target":
                value = centre.targets.get(year)
            elif self.name == "budget_krw":
                value = centre.budget_krw.get(year)
            else:
                value = getattr(centre, self.name)
        name = centre.name if centre is not None else ""
        return _figure(
            self.name,
            value,
            Text(f"{label.ko} {show(value)} ({name}, {year})", f"{label.en} {show(value)} ({name}, {year})"),
            Text(f"{label.ko}: 센터 자료에 {year}년 값 없음", f"{label.en}: the centre gives none for {year}"),
        )

    def parameters(self) -> tuple[str, ...]:
        """Centre figures read no parameters."""
        return ()


def _measures(values: Iterable[Measure]) -> tuple[Measure, ...]:
    return tuple(values)


@frozen(init=False)
class FirstOf:
    """The first of several measures that has a value (e.g. an input, else the records)."""

    options: tuple[Measure, ...] = field(converter=_measures)

    def __init__(self, *options: Measure) -> None:
        if not options:
            raise InvalidArgument("FirstOf needs at least one measure")
        self.__attrs_init__(options)

    def evaluate(self, frame: ColumnFrame, by: str | None) -> Amount:
        """The first option whose total is known; else all the missing names."""
        missing: list[str] = []
        last: Amount | None = None
        for option in self.options:
            amount = option.evaluate(frame, by)
            if amount.total is not None:
                return amount
            missing.extend(amount.missing)
            last = amount
        assert last is not None
        return Amount(total=None, cells=None, how=last.how, missing=tuple(dict.fromkeys(missing)))

    def parameters(self) -> tuple[str, ...]:
        """The parameter ids of every option."""
        return tuple(p for m in self.options for p in m.parameters())


def _combine(a: Amount, b: Amount, op: Callable[[Number, Number], Number], sign: str) -> Amount:
    missing = tuple(dict.fromkeys((*a.missing, *b.missing)))
    how = Text(f"{a.how.ko} {sign} {b.how.ko}", f"{a.how.en} {sign} {b.how.en}")
    if a.total is None or b.total is None:
        return Amount(total=None, cells=None, how=how, missing=missing)
    cells = None
    if a.cells is not None and b.cells is not None:
        cells = {k: op(a.cells.get(k, 0), b.cells.get(k, 0)) for k in {*a.cells, *b.cells}}
    return Amount(
        total=op(a.total, b.total),
        cells=cells,
        how=how,
        disclosive=a.disclosive and b.disclosive,
        inputs={**a.inputs, **b.inputs},
    )


def _minus(x: Number, y: Number) -> Number:
    return x - y


def _times(x: Number, y: Number) -> Number:
    product = x * y
    return round(product) if isinstance(product, float) and product.is_integer() else product


@frozen
class Difference:
    """``minuend − subtrahend``, cell by cell (e.g. openings − hires)."""

    minuend: Measure
    subtrahend: Measure

    def evaluate(self, frame: ColumnFrame, by: str | None) -> Amount:
        """The difference of the two amounts."""
        return _combine(self.minuend.evaluate(frame, by), self.subtrahend.evaluate(frame, by), _minus, "−")

    def parameters(self) -> tuple[str, ...]:
        """The parameter ids of both sides."""
        return (*self.minuend.parameters(), *self.subtrahend.parameters())


@frozen
class Product:
    """``left × right`` (e.g. jobs under an agreement × the share promised to residents)."""

    left: Measure
    right: Measure

    def evaluate(self, frame: ColumnFrame, by: str | None) -> Amount:
        """The product of the two amounts (whole numbers stay whole)."""
        return _combine(self.left.evaluate(frame, by), self.right.evaluate(frame, by), _times, "×")

    def parameters(self) -> tuple[str, ...]:
        """The parameter ids of both sides."""
        return (*self.left.parameters(), *self.right.parameters())


def measure_from_mapping(spec: Any, where: str) -> Measure:
    """A measure from a table of a centre's ``[[metrics.kpis]]`` (see :mod:`employkit.metrics.kpis`).

    ``{count = "placements", where = [["is_resident", "eq", true]]}``,
    ``{sum = "vacancies", column = "openings"}``, ``{input = "population"}``,
    ``{centre = "target"}``, or ``{first = [ … ]}``. A filter value may be
    ``{param = "metrics.quality_job.min_monthly_wage"}``. Raises :class:`ConfigError`.
    """
    if not isinstance(spec, Mapping):
        raise ConfigError(f'{where}: a measure must be a table such as {{count = "placements"}}')
    try:
        if "count" in spec:
            return Count(str(spec["count"]), where=_where_from(spec.get("where", []), where))
        if "sum" in spec:
            return Sum(str(spec["sum"]), str(spec["column"]), where=_where_from(spec.get("where", []), where))
        if "input" in spec:
            return Input(str(spec["input"]))
        if "centre" in spec:
            return CentreFigure(str(spec["centre"]))
        if "first" in spec:
            return FirstOf(*(measure_from_mapping(s, where) for s in spec["first"]))
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: {exc}") from None
    raise ConfigError(f"{where}: a measure needs one of count, sum, input, centre, first")


def _where_from(items: Any, where: str) -> tuple[Filter, ...]:
    if not isinstance(items, list):
        raise ConfigError(f"{where}: 'where' must be a list of [column, operator, value] lists")
    out: list[Filter] = []
    for item in items:
        if not isinstance(item, list) or len(item) not in (2, 3):
            raise ConfigError(f"{where}: each filter is [column, operator] or [column, operator, value], got {item!r}")
        value = item[2] if len(item) == 3 else True
        if isinstance(value, Mapping) and "param" in value:
            value = Param(str(value["param"]))
        elif isinstance(value, list):
            value = tuple(value)
        out.append(Where(str(item[0]), str(item[1]), value))
    return tuple(out)
