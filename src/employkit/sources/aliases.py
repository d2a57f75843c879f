"""A source's own names: the headers and spellings a data source or centre declares.

:func:`source_map` reads ``[columns.<table>]`` and ``[values.<column>]`` from a centre's
``centre.toml``; the readers then report problems under the file's own headers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from employkit.errors import Problem
from employkit.sources import cells
from employkit.sources.schema import TABLE_ORDER, TABLES

__all__ = ["SourceMap", "source_map"]


@attrs.frozen
class SourceMap:
    """A source's own names: headers for the schema's columns, spellings for accepted values.

    ``columns`` maps a table to ``{the source's header: schema column}``; ``values`` maps
    a schema column to ``{the source's spelling: an accepted spelling}``. Declared in a
    centre's ``centre.toml`` beside the data as ``[columns.seekers] "구직자번호" = "seeker_id"``
    and ``[values.gender] "남자" = "M"`` (:func:`source_map`; TOML quotes keys that are not
    ASCII).
    """

    columns: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    values: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)


def source_map(raw: Mapping[str, Any], where: str) -> tuple[SourceMap, list[Problem]]:
    """The :class:`SourceMap` of a settings file's ``[columns.<table>]`` and ``[values.<column>]``.

    Every table, column and text is checked: problems (code ``bad_setting``) name the key.

    >>> found, problems = source_map({"columns": {"seekers": {"구직자번호": "seeker_id"}},
    ...                               "values": {"gender": {"남자": "M"}}}, "centre.toml")
    >>> dict(found.columns["seekers"]), dict(found.values["gender"]), problems
    ({'구직자번호': 'seeker_id'}, {'남자': 'M'}, [])
    """
    problems: list[Problem] = []
    known = {c.name for cols in TABLES.values() for c in cols}

    def bad(reason: str) -> None:
        problems.append(Problem(reason, where, code="bad_setting"))

    def pairs(section: str, key: str, table: object) -> dict[str, str]:
        if not isinstance(table, Mapping):
            bad(f"[{section}.{key}] must be a table of texts")
            return {}
        out: dict[str, str] = {}
        for name, target in table.items():
            if not isinstance(target, str) or not target.strip():
                bad(f"[{section}.{key}] {name}: expected a text, found {target!r}")
            elif cells.find_rrn(str(name)) or cells.find_rrn(target):
                bad(f"[{section}.{key}] {cells.RRN_REASON}")
            else:
                out[str(name).strip()] = target.strip()
        return out

    for section in ("columns", "values"):
        if not isinstance(raw.get(section) or {}, Mapping):
            bad(f"[{section}] must be a table of tables")
    columns: dict[str, dict[str, str]] = {}
    section_columns = raw.get("columns")
    section_values = raw.get("values")
    for table, names in (section_columns if isinstance(section_columns, Mapping) else {}).items():
        if table not in TABLES:
            bad(f"[columns.{table}]: unknown table; expected {', '.join(TABLE_ORDER)}")
            continue
        found = pairs("columns", table, names)
        own = {c.name for c in TABLES[table]}
        for header, column in list(found.items()):
            if column not in own:
                bad(f"[columns.{table}] {header} = {column!r}: {table} has no such column")
                del found[header]
        columns[table] = found
    values: dict[str, dict[str, str]] = {}
    for column, spellings in (section_values if isinstance(section_values, Mapping) else {}).items():
        if column not in known:
            bad(f"[values.{column}]: no table has such a column")
            continue
        values[column] = pairs("values", column, spellings)
    return SourceMap(columns, values), problems
