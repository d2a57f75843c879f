"""Data sources: readers of a centre's records, registered through ``employkit_data_sources``.

:func:`load` opens a location (a folder of CSV or JSON Lines files, a SQLite database, an
Excel workbook, ``sample``, or whatever a pack's source reads) with the first data source
that can open it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from employkit.errors import DataError, PackFailure, Problem
from employkit.sources.base import DataSource

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.rules import RuleSystem

__all__ = ["DataSource", "builtin_sources", "find_source", "load"]


def builtin_sources() -> list[DataSource]:
    """The sources shipped with employkit: CSV folder, JSON Lines folder, SQLite, Excel, the sample centre.

    The Excel source needs openpyxl (the ``excel`` extra) only when a workbook is opened.
    """
    from employkit.sources.excel import ExcelSource
    from employkit.sources.folders import CsvFolderSource, JsonlFolderSource
    from employkit.sources.sample import SampleSource
    from employkit.sources.sqlite import SqliteSource

    return [CsvFolderSource(), JsonlFolderSource(), SqliteSource(), ExcelSource(), SampleSource()]


def find_source(location: str | Path, system: RuleSystem | None = None) -> DataSource:
    """The first source that can open ``location``: the rule system's, highest layer first.

    The built-in formats come from the national pack's ``employkit_data_sources``
    hook, like any pack's. Raises :class:`DataError` naming the location and
    the formats known when none can.
    """
    if system is None:
        from employkit.rules import RuleSystem

        system = RuleSystem.build()
    where = str(location)
    sources = list(system.data_sources())
    broken: list[str] = []
    for source in sources:
        try:
            if source.can_open(where):
                return source
        except PackFailure as exc:  # a pack's broken source does not stop the others (recorded)
            broken.append(f"{exc.pack}: {exc.stage}")
    formats = "; ".join(f"{s.meta.title.en} ({s.meta.rule_id})" for s in sources)
    reason = "does not exist" if not location or not Path(where).exists() else "no data source can open it"
    if broken:
        reason += f" (failed: {'; '.join(broken)})"
    from employkit.sources.folders import location_hint

    hint = location_hint(where) if location else None
    if hint is not None:
        reason = f"{reason}: {hint}"
    raise DataError(
        [Problem(f"{reason}; formats known: {formats}", file=where, code="unreadable")],
        f"cannot open {where}",
    )


def load(location: str | Path, system: RuleSystem | None = None) -> Dataset:
    """Read the dataset at ``location`` with the first data source that can open it.

    ``system`` gives the data sources (``system.data_sources()``, highest layer first);
    when ``None``, :meth:`RuleSystem.build` is used with the default configuration.
    Reading is bounded by the configuration's ``[data]`` limits
    (:mod:`employkit.sources.limits`).
    Raises :class:`DataError` listing every problem, or naming the location and the
    formats known if no source can open it.
    """
    from employkit.dataset import Dataset
    from employkit.sources.limits import DataLimits, using

    if system is None:
        from employkit.rules import RuleSystem

        system = RuleSystem.build()
    source = find_source(location, system)
    with using(DataLimits.from_config(getattr(system, "config", None))):
        data = source.open(str(location))
    if not isinstance(data, Dataset):
        raise DataError(
            [
                Problem(
                    f"the data source {source.meta.rule_id} returned {type(data).__name__}, not a Dataset",
                    file=str(location),
                    code="unreadable",
                )
            ],
            f"cannot load {location}",
        )
    return data
