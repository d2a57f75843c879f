"""pandas DataFrames in and out, for researchers. Needs the ``pandas`` extra.

:func:`to_frames` gives one DataFrame per table of a :class:`~employkit.dataset.Dataset`,
columns named as in the schema (:mod:`employkit.sources.schema`), in schema order, the
record's extra columns after them. Column dtypes follow the schema's cell types:

- ``int`` and ``wage``: ``Int64`` (nullable integers); ``float``: ``Float64``;
- ``date``: ``datetime64[ns]`` (``NaT`` when missing);
- ``bool``: ``boolean`` (nullable);
- ``level``: an ordered ``category`` (``low`` < ``mid`` < ``high``); ``gender``,
  ``employment_type`` and ``outcome``: a ``category`` whose categories are every code of
  the enumeration;
- ``list``, ``employment_types`` and ``groups``: ``string``, the items ``;``-joined and
  sorted, ``""`` when there are none (``frame["groups"].str.split(";")`` gives lists);
- ``id``, ``text``, ``region``, ``occupation`` and extra columns: ``string`` (nullable).

Every table is present, with its columns, even when it has no rows.

:func:`from_frames` goes the other way through the same checks as the file readers
(:func:`employkit.sources.tables.build_dataset`): it accepts those dtypes and also plain
text, numbers, Python dates and lists; columns may have English or Korean names; and it
raises :class:`~employkit.errors.DataError` listing every problem with its table, row
(1 = the frame's first row) and column. :func:`from_arrow` does the same for Arrow tables.

>>> from employkit.synth import sample_centre
>>> frames = to_frames(sample_centre())
>>> len(frames["seekers"]), str(frames["placements"]["start_date"].dtype)
(3110, 'datetime64[ns]')
>>> from_frames(frames, centre=sample_centre().centre) == sample_centre()
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

import numpy as np

from employkit.dataset import Dataset
from employkit.errors import DataError, NotFound, Problem, UnsupportedType
from employkit.sources.schema import ENUM_CELLS, INTAKE_COLUMNS, SET_CELLS, TABLE_ORDER, TABLES, CellType
from employkit.sources.tables import RawRow, build_dataset

if TYPE_CHECKING:
    import pandas as pd

    from employkit.model import Centre

__all__ = [
    "RecordTable",
    "audit_rows",
    "from_arrow",
    "from_frames",
    "match_rows",
    "profile_rows",
    "read_parquet",
    "record_tables",
    "report_rows",
    "tidy_frame",
    "to_frame",
    "to_frames",
    "to_parquet",
    "value_rows",
]

INSTALL_HINT = "pip install 'employkit[pandas]'"

_CATEGORIES: Mapping[CellType, type[Enum]] = ENUM_CELLS
_JOINED: frozenset[CellType] = frozenset(SET_CELLS)


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise DataError(
            [Problem(f"DataFrames need pandas: {INSTALL_HINT}", code="missing_extra")],
            "cannot convert to or from DataFrames",
        ) from None
    return pandas


def _records(dataset: Dataset) -> Mapping[str, Sequence[Any]]:
    return {
        "seekers": dataset.seekers,
        "employers": dataset.employers,
        "vacancies": dataset.vacancies,
        "placements": dataset.placements,
        "followups": dataset.followups,
    }


def _code(value: Any) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def _series(pd: Any, kind: CellType, values: list[Any]) -> Any:
    if kind in ("int", "wage"):
        return pd.array(values, dtype="Int64")
    if kind == "float":
        return pd.array(values, dtype="Float64")
    if kind == "bool":
        return pd.array(values, dtype="boolean")
    if kind == "date":
        return pd.Series(np.array(values, dtype="datetime64[D]").astype("datetime64[ns]"))  # None → NaT
    if kind in _CATEGORIES:  # codes by a lookup of each member (and of its code), not a call per cell
        members = list(_CATEGORIES[kind])
        index: dict[Any, int] = {None: -1, **{m: n for n, m in enumerate(members)}}
        index.update({m.value: n for n, m in enumerate(members)})
        codes = np.fromiter((index[v] for v in values), dtype=np.int64, count=len(values))
        return pd.Categorical.from_codes(codes, categories=[m.value for m in members], ordered=kind == "level")
    if kind in _JOINED:  # the same few sets repeat: join each distinct one once
        joined: dict[Any, str] = {}
        out = []
        for v in values:
            text = joined.get(v)
            if text is None:
                text = joined[v] = ";".join(sorted(_code(x) for x in v))
            out.append(text)
        return pd.array(out, dtype="string")
    return pd.array(values, dtype="string")


def to_frames(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """One DataFrame per table of ``dataset`` (all five), with the dtypes listed above.

    The centre (``dataset.centre``) is not a table; pass it to :func:`from_frames`
    to get it back.
    """
    pd = _pandas()
    frames: dict[str, Any] = {}
    for table, records in _records(dataset).items():
        view = RecordTable(table, records)
        data = {name: view.array(name) for name in view.columns}
        frames[table] = pd.DataFrame(data, index=pd.RangeIndex(len(records)))
    return frames


class RecordTable:
    """The records of one table read as columns on demand: ``len``, ``columns`` and ``table[name]``.

    Each column is built (with :func:`to_frames`'s dtypes) the first time it is asked
    for, so a computation that reads a few columns of wide records converts only those.
    """

    def __init__(self, table: str, records: Sequence[Any]) -> None:
        self.table = table
        self.records = records
        self._types = {c.name: c.type for c in TABLES[table]}
        extras = sorted({k for r in records for k in getattr(r, "extra", {})})
        self.columns = [*self._types, *(k for k in extras if k not in self._types)]
        self._built: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self.records)

    def array(self, name: str) -> Any:
        """The column ``name`` as a pandas array; :class:`~employkit.errors.NotFound` if there is none."""
        if name not in self._built:
            pd = _pandas()
            kind = self._types.get(name)
            if kind is not None:
                sources = [r.intake for r in self.records] if name in INTAKE_COLUMNS else self.records
                self._built[name] = _series(pd, kind, [getattr(s, name) for s in sources])
            elif name in self.columns:
                self._built[name] = pd.array([getattr(r, "extra", {}).get(name) for r in self.records], dtype="string")
            else:
                raise NotFound(f"the table has no column {name!r}")
        return self._built[name]

    def __getitem__(self, name: str) -> Any:
        return _pandas().Series(self.array(name), index=_pandas().RangeIndex(len(self.records)), name=name)


def record_tables(dataset: Dataset) -> dict[str, RecordTable]:
    """:class:`RecordTable` views of the five tables of ``dataset`` (nothing converted yet)."""
    return {table: RecordTable(table, records) for table, records in _records(dataset).items()}


def _text(pd: Any, value: Any) -> str | None:
    """A frame cell as the text the schema's parsers read."""
    if isinstance(value, str):
        return value
    if pd.api.types.is_list_like(value):  # lists, sets, tuples, arrays
        items = [_text(pd, x) for x in value]
        return ";".join(sorted(x for x in items if x is not None))
    if value is None or bool(pd.isna(value)):
        return None
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "true" if value else "false"
    if isinstance(value, dt.datetime):  # pandas Timestamps too
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(float(value))
    if isinstance(value, Enum):
        return _code(value)
    return str(value)


def _rows(pd: Any, frame: Any) -> Iterable[RawRow]:
    names = [str(c) for c in frame.columns]
    for values in frame.itertuples(index=False, name=None):
        yield {name: _text(pd, v) for name, v in zip(names, values, strict=True)}


def from_frames(
    frames: Mapping[str, pd.DataFrame],
    origin: str = "pandas",
    *,
    centre: Centre | None = None,
) -> Dataset:
    """A :class:`Dataset` from DataFrames keyed by table name; validated like a file.

    Only ``seekers`` is required. Raises :class:`DataError` listing every problem (row 1 =
    the frame's first row, whatever its index); nothing is half-loaded.
    """
    pd = _pandas()
    tables = {table: list(_rows(pd, frame)) for table, frame in frames.items()}
    files = {table: f"frames[{table!r}]" for table in frames}
    order = [t for t in TABLE_ORDER if t in tables] + [t for t in tables if t not in TABLE_ORDER]
    return build_dataset({t: tables[t] for t in order}, origin, files, centre=centre)


def from_arrow(
    tables: Mapping[str, Any],
    origin: str = "arrow",
    *,
    centre: Centre | None = None,
) -> Dataset:
    """A :class:`Dataset` from Arrow tables keyed by table name (needs pandas and pyarrow).

    Each table goes through ``table.to_pandas()`` and :func:`from_frames`: the same checks,
    spellings and problem codes as a file, rows numbered from 1.
    """
    _pandas()
    _pyarrow()
    frames = {name: table.to_pandas() for name, table in tables.items()}
    return from_frames(frames, origin, centre=centre)


# ---------------------------------------------------------------------- tidy results

PARQUET_HINT = "pip install 'employkit[parquet]'"

#: The columns every KPI row has, in order (then the ``by`` column named after it).
KPI_COLUMNS: tuple[str, ...] = (
    "kpi_id",
    "rule_id",
    "pack",
    "pack_version",
    "period_start",
    "period_end",
    "as_of",
    "by",
    "cell",
    "step",
    "label_ko",
    "label_en",
    "unit",
    "value",
    "numerator",
    "denominator",
    "interval_low",
    "interval_high",
    "interval_level",
    "interval_method",
    "interval_note",
    "suppressed",
    "missing",
    "error",
)


def value_rows(value: Any, *, by: str | None = None, **extra: Any) -> list[dict[str, Any]]:
    """Tidy rows of one :class:`~employkit.metrics.base.KpiValue`: the total, each step of a
    funnel and each cell of its breakdown, unrounded.

    ``cell`` is ``None`` for the total; the cell's key also goes in a column named after
    ``by`` (``age_band`` …). ``interval_note`` says why a proportion has no interval
    when intervals were asked for (census and labour-force-survey inputs).
    """
    from employkit.metrics.kpis import NO_INTERVAL

    note = NO_INTERVAL.en if NO_INTERVAL in value.explanation.reasons else None

    def row(v: Any, cell: str | None, step: str | None) -> dict[str, Any]:
        i = v.interval
        label = v.label if v.label is not None else v.title
        out = {
            **extra,
            "kpi_id": value.kpi_id,
            "by": by if cell is not None else None,
            "cell": cell,
            "step": step,
            "label_ko": label.ko,
            "label_en": label.en,
            "unit": v.unit,
            "value": v.value,
            "numerator": v.numerator,
            "denominator": v.denominator,
            "interval_low": i.low if i is not None else None,
            "interval_high": i.high if i is not None else None,
            "interval_level": i.level if i is not None else None,
            "interval_method": i.method if i is not None else None,
            "interval_note": note,
            "suppressed": v.suppressed,
            "missing": ";".join(v.missing) or None,
        }
        if by is not None:
            out[by] = cell
        return out

    rows = [row(value, None, None)]
    rows += [row(s, None, s.kpi_id if s.kpi_id != value.kpi_id else str(n)) for n, s in enumerate(value.steps, 1)]
    rows += [row(c, key, None) for key, c in value.breakdown.items()]
    return rows


def report_rows(report: Any) -> list[dict[str, Any]]:
    """Tidy rows of a :class:`~employkit.metrics.report.KpiReport` (every KPI, see :func:`value_rows`)."""
    rows: list[dict[str, Any]] = []
    for r in report.results:
        rows += value_rows(
            r.value,
            by=report.by,
            rule_id=r.rule_id,
            pack=r.pack,
            pack_version=r.pack_version,
            period_start=report.period.start,
            period_end=report.period.end,
            as_of=report.as_of,
            error=r.error,
        )
    return rows


def audit_rows(audit: Any) -> list[dict[str, Any]]:
    """Tidy rows of a :class:`~employkit.accountability.audit.FairnessAudit`: one per section,
    grouping column, group and measure (``value`` the rate or exposure, ``ratio`` to the
    most favoured group, ``flagged`` under the four-fifths threshold)."""
    common = {"as_of": audit.as_of, "threshold": audit.threshold}
    rows: list[dict[str, Any]] = []

    def add(section: str, attribute: str, row: Any, measure: str, value: Any, num: Any, den: Any, **more: Any) -> None:
        rows.append(
            {
                **common,
                "section": section,
                "by": attribute,
                "group": row.group,
                attribute: row.group,
                "label_ko": row.label.ko,
                "label_en": row.label.en,
                "measure": measure,
                "value": value,
                "numerator": num,
                "denominator": den,
                "suppressed": getattr(row, "suppressed", False),
                **more,
            }
        )

    for p in audit.profiling:
        for r in p.rows:
            add("profiling", p.attribute, r, "selection_rate", r.rate, r.selected, r.profiled, ratio=r.ratio,
                judged=r.judged, flagged=r.flagged, reference=r.reference, typology_id=p.typology_id)  # fmt: skip
    for m in audit.matching:
        for r in m.rows:
            add("matching", m.attribute, r, "exposure", r.exposure, r.appearances, r.seekers, ratio=r.ratio,
                judged=r.judged, flagged=r.flagged, reference=r.reference)  # fmt: skip
    for pa in getattr(audit, "placement", ()):
        for r in pa.rows:
            add("placement", pa.attribute, r, pa.kpi, r.rate, r.placed, r.seekers, ratio=r.ratio,
                judged=r.judged, flagged=r.flagged, reference=r.reference, period=pa.period)  # fmt: skip
    for t in audit.retention:
        for r in t.rows:
            for c in r.cells:
                add("followup", t.attribute, r, f"retention_{c.months}m", c.rate, c.retained, c.known,
                    ratio=c.ratio, judged=c.judged, flagged=c.flagged, reference=c.reference)  # fmt: skip
    return rows


def match_rows(results: Any) -> list[dict[str, Any]]:
    """Tidy rows of match results (:class:`~employkit.matching.ranking.Rankings` or a sequence
    of :class:`~employkit.matching.base.MatchResult`): one per pair and component, unrounded."""
    lists: list[tuple[str, Sequence[Any]]] = []
    if hasattr(results, "by_seeker"):
        lists += [("seeker", rs) for rs in results.by_seeker.values()]
        lists += [("vacancy", rs) for rs in results.by_vacancy.values()]
    else:
        lists.append(("seeker", list(results)))
    rows: list[dict[str, Any]] = []
    for direction, rs in lists:
        for rank, r in enumerate(rs, 1):
            base = {"for": direction, "rank": rank, "seeker_id": r.seeker_id, "vacancy_id": r.vacancy_id,
                    "total": r.total, "eligible": r.eligible, "gates": ";".join(r.gates) or None}  # fmt: skip
            for c in r.components:
                rows.append({**base, "component": c.key, "value": c.value, "share": c.share,
                             "contribution": c.contribution, "status": c.status})  # fmt: skip
            if not r.components:
                rows.append({**base, "component": None, "value": None, "share": None, "contribution": None,
                             "status": None})  # fmt: skip
    return rows


def profile_rows(profiles: Any) -> list[dict[str, Any]]:
    """Tidy rows of profiles (:class:`~employkit.profiling.api.DatasetProfiles` or a sequence
    of :class:`~employkit.profiling.base.SeekerProfile`): one per seeker."""
    items = getattr(profiles, "profiles", profiles)
    return [
        {
            "seeker_id": p.seeker_id,
            "typology_id": p.typology_id,
            "as_of": p.as_of,
            "segment": p.segment.code if p.segment else None,
            "segment_group": p.segment.group if p.segment else None,
            "status": p.status,
            "score": p.score,
            "band": p.band,
            "missing": ";".join(p.missing) or None,
            "protected_used": ";".join(p.protected_used) or None,
        }
        for p in items
    ]


def tidy_frame(rows: Sequence[Mapping[str, Any]], first: Sequence[str] = ()) -> pd.DataFrame:
    """A DataFrame of ``rows`` with ``first`` columns first, dates as ``datetime64`` and pandas'
    nullable dtypes (``Int64``, ``Float64``, ``string``, ``boolean``), which Parquet keeps."""
    pandas = _pandas()
    frame: pd.DataFrame = pandas.DataFrame(list(rows))
    if frame.empty:
        empty: pd.DataFrame = pandas.DataFrame(columns=list(first))
        return empty
    order = [c for c in first if c in frame.columns] + [c for c in frame.columns if c not in first]
    frame = frame[order]
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, dt.date)).any():
            frame[column] = pandas.to_datetime(frame[column])
    converted: pd.DataFrame = frame.convert_dtypes()  # nullable dtypes: a missing figure is <NA>, not None or NaN
    return converted


def to_frame(result: Any) -> pd.DataFrame:
    """Any employkit result as one tidy DataFrame, unrounded: KPI reports and values, series,
    survival curves, audits, match results and profiles. Needs pandas.

    >>> import datetime as dt
    >>> from employkit.metrics.report import kpi_report
    >>> from employkit.rules import RuleSystem
    >>> from employkit.synth import sample_centre
    >>> report = kpi_report(sample_centre(), RuleSystem.build(), dt.date(2016, 6, 30), by="age_band",
    ...                     only=["employment_rate"], publish=False)
    >>> frame = to_frame(report)
    >>> frame.loc[frame["cell"].isna(), ["numerator", "denominator"]].astype(int).values.tolist()
    [[1095, 3110]]
    >>> sorted(frame["age_band"].dropna())
    ['20-30s', '40-50s', '60+']
    """
    from employkit.metrics.base import KpiValue

    if hasattr(result, "to_frame"):
        frame: pd.DataFrame = result.to_frame()
        return frame
    name = type(result).__name__
    if name == "KpiReport":
        return tidy_frame(report_rows(result), KPI_COLUMNS)
    if isinstance(result, KpiValue):
        return tidy_frame(value_rows(result), KPI_COLUMNS)
    if name == "FairnessAudit":
        return tidy_frame(audit_rows(result))
    if name in ("Rankings", "MatchResult") or (isinstance(result, Sequence) and _all(result, "MatchResult")):
        return tidy_frame(match_rows([result] if name == "MatchResult" else result))
    if name in ("DatasetProfiles", "SeekerProfile") or (isinstance(result, Sequence) and _all(result, "SeekerProfile")):
        return tidy_frame(profile_rows([result] if name == "SeekerProfile" else result))
    raise UnsupportedType(f"no tidy frame for {name}")


def _all(items: Sequence[Any], name: str) -> bool:
    return bool(items) and all(type(i).__name__ == name for i in items)


def _pyarrow() -> Any:
    import importlib

    try:
        pyarrow = importlib.import_module("pyarrow")
    except ImportError:
        raise DataError(
            [Problem(f"Parquet needs pyarrow: {PARQUET_HINT}", code="missing_extra")], "cannot write or read Parquet"
        ) from None
    return pyarrow


def to_parquet(result: Any, path: str | Any) -> Any:
    """Write :func:`to_frame` of ``result`` (or a DataFrame) to a Parquet file (needs the
    ``parquet`` extra); returns the path."""
    _pyarrow()
    pd = _pandas()
    frame = result if isinstance(result, pd.DataFrame) else to_frame(result)
    frame.to_parquet(path, engine="pyarrow", index=False)
    return path


def read_parquet(path: str | Any) -> pd.DataFrame:
    """A tidy frame back from :func:`to_parquet`."""
    _pyarrow()
    frame: pd.DataFrame = _pandas().read_parquet(path, engine="pyarrow")
    return frame
