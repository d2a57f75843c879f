"""The centre every result belongs to: its facts, packs, period, reference date, store and keys.

A :class:`CentreContext` is what every entry point takes — the command line, the Python
API and the HTTP service. It holds:

* the centre's **facts** (:class:`~employkit.model.Centre`: name, level, region code,
  reporting period, targets, budget, staff), from ``employkit.toml``'s ``[centre]``
  and the data's ``centre.toml`` (the configuration wins where both give a fact);
* its **rule system**, built from the national pack, the packs of its region and the
  packs it enables by name — never from packs of other regions;
* its **reference date**: the date rules are evaluated on when none is given — the end
  of its reporting period, or else the last day its records cover;
* its **follow-up store** and its **pseudonym key**.

Several centres in one process each have their own context; nothing in it is global.

>>> from employkit.config import parse_config
>>> ctx = CentreContext(parse_config({"centre": {"name": "강남구 일자리센터", "region_code": "11680"}}))
>>> ctx.region_code, ctx.key
('11680', '11680-강남구-일자리센터')
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import evolve, frozen

from employkit.config import CentreConfig, load_config, merge_centres
from employkit.errors import ConfigError
from employkit.model import Centre, CentreLevel, Period

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.plugins import PluginHost
    from employkit.rules import RuleSystem

__all__ = ["CentreContext", "ReferenceDate", "records_period", "reference_date"]


@frozen
class ReferenceDate:
    """The date rules are evaluated on, and where it came from (for report headers)."""

    day: dt.date
    origin: str  # "given", "reporting period", "records"

    def describe(self, lang: str = "ko") -> str:
        """``2015-12-31 (보고 기간 끝)``."""
        words = {
            "given": ("지정한 날짜", "given"),
            "reporting period": ("보고 기간의 끝", "end of the reporting period"),
            "records": ("자료의 마지막 날짜", "last day of the records"),
        }[self.origin]
        return f"{self.day.isoformat()} ({words[0] if lang == 'ko' else words[1]})"


def records_period(data: Dataset) -> Period | None:
    """The days a dataset's records cover: registrations, postings and placement starts.

    Follow-up contacts are left out: they come after the period they report on.
    ``None`` for a dataset with none of these records.

    >>> from employkit.synth import sample_centre
    >>> records_period(sample_centre()).start.year
    2015
    """
    days = [s.registered_on for s in data.seekers]
    days += [v.posted_on for v in data.vacancies]
    days += [p.start_date for p in data.placements]
    if not days:
        return None
    return Period(min(days), max(days))


def reference_date(data: Dataset | None, centre: Centre | None = None, as_of: dt.date | None = None) -> ReferenceDate:
    """The date to evaluate on: ``as_of`` if given, else the end of the centre's reporting
    period, else the last day the records cover.

    Raises :class:`~employkit.errors.ConfigError` when none of these is known.
    """
    if as_of is not None:
        return ReferenceDate(as_of, "given")
    centre = centre if centre is not None else (data.centre if data is not None else None)
    if centre is not None and centre.period is not None:
        return ReferenceDate(centre.period.end, "reporting period")
    covered = records_period(data) if data is not None else None
    if covered is not None:
        return ReferenceDate(covered.end, "records")
    raise ConfigError(
        "no evaluation date: give --as-of DATE, or the centre's reporting period "
        "([centre] period_start and period_end), or records with dates"
    )


class CentreContext:
    """One centre and everything its results depend on. See the module documentation.

    ``config`` is the centre's configuration (default: empty). ``host`` is a plugin host
    to share between centres (packs are loaded once per process; each centre resolves
    its own rules from it). ``as_of`` fixes the evaluation date; ``store`` the follow-up
    store's path.
    """

    def __init__(
        self,
        config: CentreConfig | None = None,
        *,
        host: PluginHost | None = None,
        strict: bool | None = None,
        as_of: dt.date | None = None,
        store: str | Path | None = None,
    ) -> None:
        self.config = config or CentreConfig()
        self._host = host
        self.strict = self.config.strict if strict is None else strict
        self.as_of = as_of
        self._store = Path(store) if store is not None else None
        self.data: Dataset | None = None
        self._system: RuleSystem | None = None
        self._system_region: str | None = None

    @classmethod
    def from_file(cls, path: str | Path, **kwargs: object) -> CentreContext:
        """A context from ``employkit.toml`` at ``path``."""
        return cls(load_config(path), **kwargs)  # type: ignore[arg-type]

    # ----------------------------------------------------------------- facts

    @property
    def centre(self) -> Centre | None:
        """The centre's facts: the configuration's, filled in from the data's."""
        return merge_centres(self.config.centre, self.data.centre if self.data is not None else None)

    @property
    def region_code(self) -> str | None:
        """The centre's region code, if the configuration or the data give one."""
        centre = self.centre
        return centre.region_code if centre is not None else None

    @property
    def name(self) -> str:
        """The centre's name, or where its data came from."""
        centre = self.centre
        if centre is not None:
            return centre.name
        if self.data is not None and self.data.origin:
            return Path(self.data.origin.rstrip("/")).name or self.data.origin
        return "centre"

    @property
    def key(self) -> str:
        """A name for the files that belong to this centre (its store): region code and name."""
        centre = self.centre
        if centre is not None:
            return centre.key
        return Centre(name=self.name, level=CentreLevel.DISTRICT).key

    # ----------------------------------------------------------------- rules

    @property
    def host(self) -> PluginHost:
        """The plugin host (packs loaded once, shared by the centres given it)."""
        if self._host is None:
            from employkit.plugins import PluginHost

            self._host = PluginHost(strict=True if self.strict else None)
        return self._host

    @property
    def system(self) -> RuleSystem:
        """The centre's rules: the national pack, its region's packs and those it enables."""
        region = self.region_code
        if self._system is None or region != self._system_region:
            from employkit.rules import RuleSystem

            config = self.config.with_centre(self.centre)
            self._system = RuleSystem.build(config, self.host, strict=self.strict)
            self._system_region = region
        return self._system

    def load(self, location: str | Path) -> Dataset:
        """Read the centre's records at ``location``; the data's ``centre.toml`` fills in the facts.

        Raises :class:`~employkit.errors.DataError` listing every problem.
        """
        from employkit.sources import load

        data = load(location, self.system)
        self.use(data)
        return self.data  # type: ignore[return-value]

    def use(self, data: Dataset) -> CentreContext:
        """Work on ``data`` (already loaded); the result carries the merged centre facts."""
        merged = merge_centres(self.config.centre, data.centre)
        self.data = evolve(data, centre=merged) if merged is not data.centre else data
        return self

    # ----------------------------------------------------------------- dates

    @property
    def period(self) -> Period | None:
        """The reporting period: the centre's, or else the days its records cover."""
        centre = self.centre
        if centre is not None and centre.period is not None:
            return centre.period
        return records_period(self.data) if self.data is not None else None

    @property
    def reference(self) -> ReferenceDate:
        """The evaluation date and where it came from."""
        return reference_date(self.data, self.centre, self.as_of)

    @property
    def reference_date(self) -> dt.date:
        """The date rules are evaluated on (see :func:`reference_date`)."""
        return self.reference.day

    # ----------------------------------------------------------------- store and keys

    @property
    def store_path(self) -> Path:
        """The centre's follow-up store.

        ``store`` if given, else ``[followup] store`` (relative to the configuration's
        folder), else ``employkit-followup-<centre key>.sqlite`` in the configuration's
        folder (the current folder without one) — so two centres never share a store.
        """
        from employkit.stores.paths import default_store_path

        if self._store is not None:
            return self._store
        return default_store_path(self.config, self.key)

    @property
    def pseudonym_key(self) -> str:
        """The centre's own pseudonym key (``[privacy]``), else ``EMPLOYKIT_PSEUDONYM_KEY``.

        A centre's configured key always wins over the process environment, so a process
        serving several centres never pseudonymises one centre with another's key.
        Raises :class:`~employkit.errors.ConfigError` when there is none.
        """
        from employkit.privacy import pseudonym_key

        return pseudonym_key(self.config)
