"""Dated parameters: values with effective dates and a source, kept as data.

A pack keeps its parameters in a TOML file beside its code::

    [[parameter]]
    id = "metrics.quality_job.min_monthly_wage"
    ko = "양질의 일자리 최저 월임금"
    en = "minimum monthly wage of a quality job"
    unit = "KRW/month"

      [[parameter.value]]
      from = 2016-01-01
      to = 2016-12-31
      value = 1_260_270
      source = "Minimum Wage Notice 2015-1#6,030 KRW/h x 209 h"

Evaluating "as of" a date takes the value whose period holds that date. Periods of one
parameter may not overlap; ``to`` is inclusive and may be left out for "until changed".
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from attrs import field, frozen

from employkit.errors import InvalidValue, ParameterError
from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.packs import check_rule_id

__all__ = ["DatedValue", "Parameter", "load_pack_parameters", "load_parameters", "parse_parameters"]


@frozen(kw_only=True)
class DatedValue:
    """One value of a parameter and the period it is in force (both ends inclusive)."""

    value: Any = field(hash=False)
    effective_from: dt.date
    effective_to: dt.date | None = None
    source: SourceRef | None = None

    def in_force(self, day: dt.date) -> bool:
        """Whether this value applies on ``day``."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


def _ordered(values: Iterable[DatedValue]) -> tuple[DatedValue, ...]:
    return tuple(sorted(values, key=lambda v: v.effective_from))


@frozen(kw_only=True)
class Parameter:
    """A named, dated parameter owned by a pack."""

    id: str
    title: Text
    values: tuple[DatedValue, ...] = field(converter=_ordered)
    unit: str | None = None
    description: str | None = None
    override: bool = False  # the pack declares that it replaces a lower layer's parameter

    def __attrs_post_init__(self) -> None:
        check_rule_id(self.id)
        if not self.values:
            raise InvalidValue(f"parameter {self.id} has no values")
        for before, after in zip(self.values, self.values[1:], strict=False):
            if before.effective_to is None or before.effective_to >= after.effective_from:
                raise InvalidValue(
                    f"parameter {self.id}: the period starting {before.effective_from} overlaps "
                    f"the one starting {after.effective_from}"
                )
        for v in self.values:
            if v.effective_to is not None and v.effective_to < v.effective_from:
                raise InvalidValue(f"parameter {self.id}: period ends before it starts ({v.effective_from})")

    def at(self, day: dt.date) -> DatedValue | None:
        """The value in force on ``day``, or ``None`` if there is none."""
        for v in self.values:
            if v.in_force(day):
                return v
        return None


def _date(raw: Any, where: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise ParameterError(f"{where}: expected a date such as 2016-01-01, got {raw!r}")


def _source(raw: Any, where: str) -> SourceRef | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return SourceRef.parse(raw)
    if isinstance(raw, Mapping) and isinstance(raw.get("document"), str):
        return SourceRef(raw["document"], raw.get("locator"), raw.get("note"))
    raise ParameterError(f"{where}: source must be 'document#locator' or a table with 'document'")


def parse_parameters(data: Mapping[str, Any], origin: str) -> list[Parameter]:
    """Build parameters from the parsed content of a parameter file.

    ``origin`` names the file in error messages. Raises :class:`ParameterError`.
    """
    entries = data.get("parameter", [])
    if not isinstance(entries, list):
        raise ParameterError(f"{origin}: 'parameter' must be an array of tables ([[parameter]])")
    params: list[Parameter] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, 1):
        where = f"{origin}: parameter #{n}"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str):
            raise ParameterError(f"{where}: needs a string 'id'")
        pid = entry["id"]
        where = f"{origin}: parameter {pid}"
        if pid in seen:
            raise ParameterError(f"{where}: defined twice in the same file")
        seen.add(pid)
        unknown = set(entry) - {"id", "ko", "en", "unit", "description", "override", "value"}
        if unknown:
            raise ParameterError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        raw_values = entry.get("value")
        if not isinstance(raw_values, list) or not raw_values:
            raise ParameterError(f"{where}: needs at least one [[parameter.value]] table")
        values = []
        for k, raw in enumerate(raw_values, 1):
            vwhere = f"{where}, value #{k}"
            if not isinstance(raw, Mapping) or "value" not in raw or "from" not in raw:
                raise ParameterError(f"{vwhere}: needs 'from' and 'value'")
            extra = set(raw) - {"from", "to", "value", "source"}
            if extra:
                raise ParameterError(f"{vwhere}: unknown key(s) {', '.join(sorted(extra))}")
            values.append(
                DatedValue(
                    value=_freeze(raw["value"]),
                    effective_from=_date(raw["from"], vwhere),
                    effective_to=_date(raw["to"], vwhere) if "to" in raw else None,
                    source=_source(raw.get("source"), vwhere),
                )
            )
        try:
            params.append(
                Parameter(
                    id=pid,
                    title=Text(str(entry.get("ko", pid)), str(entry.get("en", pid))),
                    values=tuple(values),
                    unit=entry.get("unit"),
                    description=entry.get("description"),
                    override=bool(entry.get("override", False)),
                )
            )
        except ValueError as exc:
            raise ParameterError(f"{origin}: {exc}") from None
    return params


def _freeze(value: Any) -> Any:
    """Make TOML lists and tables immutable, so a rule cannot change a shared value."""
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        from types import MappingProxyType

        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    return value


def load_parameters(path: str | Path | Traversable) -> list[Parameter]:
    """Read a pack's parameter file (TOML). Raises :class:`ParameterError`.

    ``path`` may be a :class:`pathlib.Path` or an :mod:`importlib.resources` file, so a
    pack can ship its parameters as package data::

        load_parameters(importlib.resources.files(__package__) / "parameters.toml")
    """
    origin = str(path)
    try:
        data = (
            tomllib.loads(path.read_text(encoding="utf-8"))
            if not isinstance(path, str)
            else tomllib.loads(Path(path).read_text(encoding="utf-8"))
        )
    except OSError as exc:
        raise ParameterError(f"{origin}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ParameterError(f"{origin}: not UTF-8 text; save the file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"{origin}: not valid TOML: {exc}") from None
    return parse_parameters(data, origin)


def load_pack_parameters(package: str | None) -> list[Parameter]:
    """Every ``*.toml`` parameter file beside a pack's module, in name order.

    A pack keeps one file per area (``profiling.toml``, ``followup.toml``…) next to its
    ``__init__.py`` and returns them all from its ``employkit_parameters`` hook::

        @hookimpl
        def employkit_parameters():
            return load_pack_parameters(__package__)
    """
    if not package:
        raise ParameterError("load_pack_parameters needs the pack's package name (pass __package__)")
    from importlib.resources import files

    found: list[Parameter] = []
    for entry in sorted(files(package).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            found.extend(load_parameters(entry))
    return found
