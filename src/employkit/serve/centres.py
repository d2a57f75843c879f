"""One served centre: its context, its records and pool, its follow-up store — and the answers.

:class:`CentreRuntime` is what an HTTP request reaches after authentication; it holds no
web framework, so the load benchmark calls the same methods in process as its peer.
Each method takes validated records and returns JSON-ready data.

**Concurrency model.** A runtime is shared by the threads of one worker process:

* the records and the :class:`~employkit.matching.pool.MatchPool` never change once
  built; a reload builds new ones beside them and swaps one reference, so a request
  always sees one consistent pool (the old one until the swap);
* one :class:`~employkit.stores.followup.FollowUpStore` per centre and process, shared by
  its threads (the store serialises its calls with a lock, and every write is one
  ``BEGIN IMMEDIATE`` transaction); worker processes each open their own and SQLite's
  WAL mode and busy timeout serialise their writes — a writer waits instead of failing;
* rule systems, matchers and typologies are read-only after they are built.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from employkit.centre import CentreContext
from employkit.config import CentreConfig, load_config
from employkit.converter import unstructure

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.explain import Explanation
    from employkit.stores.followup import FollowUpStore
    from employkit.matching.pool import MatchPool
    from employkit.matching.ranking import Filters
    from employkit.matching.scoring import Matcher, MatchResult
    from employkit.model import Employer, Placement, Seeker, Vacancy
    from employkit.plugins import PluginHost
    from employkit.serve.config import CentreEntry

__all__ = ["CentreRuntime", "UnknownPlacement", "explanation_data"]

#: Seconds between two checks of whether a centre's records changed on disk.
CHECK_EVERY = 2.0


class UnknownPlacement(LookupError):
    """A placement id the centre's store does not hold (an HTTP layer answers 404)."""


class NoRecords(LookupError):
    """The centre is served without records (no ``data``): nothing to rank or count."""


def explanation_data(explanation: Explanation) -> dict[str, Any]:
    """An explanation as data, with its text rendered in Korean and English."""
    from employkit.sources.cells import mask_data

    data: dict[str, Any] = mask_data(unstructure(explanation))
    data["text"] = {"ko": explanation.render("ko"), "en": explanation.render("en")}
    return data


def _text(t: Any) -> dict[str, str]:
    return {"ko": t.ko, "en": t.en}


def _first_reason(explanation: Explanation) -> dict[str, str]:
    reasons = explanation.reasons
    return _text(reasons[0]) if reasons else {"ko": "", "en": ""}


def _signature(location: str) -> tuple[tuple[str, int, int], ...]:
    """What changes when the records at ``location`` change: names, sizes and times of its files."""
    path = Path(location)
    try:
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        return tuple((p.name, st.st_size, st.st_mtime_ns) for p in files for st in (p.stat(),))
    except OSError:
        return ()


class _Records:
    """The records and the pool of one loading, swapped whole."""

    def __init__(self, data: Dataset, pool: MatchPool, signature: tuple[Any, ...]) -> None:
        self.data = data
        self.pool = pool
        self.signature = signature
        self.loaded_at = dt.datetime.now(dt.UTC)
        self.placements = {p.placement_id: p for p in data.placements}


class CentreRuntime:
    """A centre as the server serves it (see the module documentation)."""

    #: Seconds a write waits for another process's write before giving up (then
    #: :class:`~employkit.stores.followup.StoreBusy`, answered 503 with Retry-After).
    store_timeout: float = 30.0

    def __init__(self, entry: CentreEntry, host: PluginHost | None = None) -> None:
        self.entry = entry
        self.centre_id = entry.centre_id
        config = load_config(entry.config) if entry.config is not None else CentreConfig()
        self.ctx = CentreContext(config, host=host, store=entry.store)
        self._lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self._records: _Records | None = None
        self._checked = 0.0
        self._store: FollowUpStore | None = None
        self._matchers: dict[dt.date, Matcher] = {}
        if entry.data is not None:
            self._records = self._load()

    # ------------------------------------------------------------------ records and pool

    def _load(self) -> _Records:
        from employkit.matching.pool import MatchPool

        location = self.entry.data
        assert location is not None
        signature = _signature(location) if location != "sample" else ()
        data = self.ctx.load(location)
        pool = MatchPool(self.matcher(self.ctx.reference_date), seekers=data.seekers, vacancies=data.vacancies)
        return _Records(data, pool, signature)

    def records(self) -> _Records:
        """The current records; reloaded first when their files changed (checked every few seconds)."""
        current = self._records
        if current is None:
            raise NoRecords(f"centre {self.centre_id} is served without records (no data in the server configuration)")
        location = self.entry.data
        now = time.monotonic()
        if location is not None and location != "sample" and now - self._checked > CHECK_EVERY:
            self._checked = now
            if _signature(location) != current.signature and self._reload_lock.acquire(blocking=False):
                try:
                    self._records = current = self._load()
                finally:
                    self._reload_lock.release()
        return current

    def reload(self) -> dict[str, Any]:
        """Read the records again and rebuild the pool, now."""
        if self.entry.data is None:
            raise NoRecords(f"centre {self.centre_id} is served without records")
        with self._reload_lock:
            self._records = self._load()
        return self.pool_info()

    def pool_info(self) -> dict[str, Any]:
        """The pool's size and when it was loaded."""
        rec = self.records()
        return {
            "seekers": len(rec.pool.seekers),
            "vacancies": len(rec.pool.vacancies),
            "as_of": rec.pool.matcher.as_of.isoformat(),
            "loaded_at": rec.loaded_at.isoformat(timespec="seconds"),
        }

    def matcher(self, day: dt.date) -> Matcher:
        """The matcher of the centre's rules on ``day`` (built once per day)."""
        found = self._matchers.get(day)
        if found is None:
            from employkit.matching.scoring import Matcher

            with self._lock:
                found = self._matchers.get(day)
                if found is None:
                    if len(self._matchers) > 32:
                        self._matchers.clear()
                    found = self._matchers[day] = Matcher(self.ctx.system, day)
        return found

    # ------------------------------------------------------------------ facts

    def describe(self) -> dict[str, Any]:
        """The centre's name, region, reference date and what it serves."""
        return {
            "id": self.centre_id,
            "name": self.ctx.name,
            "region_code": self.ctx.region_code,
            "reference_date": self.reference().isoformat(),
            "records": self._records is not None,
        }

    def reference(self) -> dt.date:
        """The centre's reference date (today for a centre with neither period nor records)."""
        try:
            return self.ctx.reference_date
        except Exception:  # a centre without period or records: today
            return dt.date.today()

    # ------------------------------------------------------------------ profiling

    def profile_seeker(self, seeker: Seeker, as_of: dt.date | None, typology: str | None) -> dict[str, Any]:
        """The decision, its services and its explanation for one seeker.

        Without ``as_of`` the seeker is profiled on the day it registered, with the
        typology and parameters in force then (as :func:`~employkit.profiling.api.profile_dataset` does).
        """
        from employkit.profiling.api import classify_seeker

        day = as_of or seeker.registered_on
        p = classify_seeker(seeker, self.ctx.system, day, typology)
        seg = p.segment
        return {
            "seeker_id": p.seeker_id,
            "typology": p.typology_id,
            "as_of": p.as_of.isoformat(),
            "status": p.status,
            "segment": None if seg is None else {"code": seg.code, "label": _text(seg.label), "group": seg.group},
            "services": [] if seg is None else [{"code": s.code, "label": _text(s.label)} for s in seg.pathway],
            "missing": list(p.missing),
            "protected_used": list(p.protected_used),
            "score": p.score,
            "band": p.band,
            "explanation": explanation_data(p.explanation),
        }

    def profile_employer(
        self, employer: Employer, vacancy: Vacancy | None, as_of: dt.date | None, typology: str | None
    ) -> dict[str, Any]:
        """The decision, its services (stage 1 and 2) and its explanation for one employer.

        Without ``as_of``: the vacancy's posting day, else the centre's reference date.
        """
        from employkit.profiling.api import classify_employer

        day = as_of or (vacancy.posted_on if vacancy is not None else self.reference())
        p = classify_employer(employer, self.ctx.system, day, typology, vacancy)
        seg = p.segment
        return {
            "employer_id": p.employer_id,
            "vacancy_id": p.vacancy_id,
            "typology": p.typology_id,
            "as_of": p.as_of.isoformat(),
            "status": "profiled" if seg is not None else ("not_profiled" if p.missing else "not_applicable"),
            "segment": None if seg is None else {"code": seg.code, "label": _text(seg.label), "group": seg.group},
            "intervention_level": p.intervention_level,
            "services": [] if seg is None else [{"code": s.code, "label": _text(s.label)} for s in seg.pathway],
            "stage2": [{"code": s.code, "label": _text(s.label)} for s in p.stage2],
            "missing": list(p.missing),
            "explanation": explanation_data(p.explanation),
        }

    # ------------------------------------------------------------------ matching

    def _results(self, results: list[MatchResult], pool: MatchPool, pseudonymise: bool, full: bool) -> dict[str, Any]:
        key = self.ctx.pseudonym_key if pseudonymise else None
        rows = []
        for n, r in enumerate(results, 1):
            scored = [c for c in r.components if not c.advisory]
            had = [c.key for c in scored if not c.missing]
            seeker_id = r.seeker_id
            if key is not None:
                from employkit.privacy import pseudonymise as pseudo

                seeker_id = pseudo(seeker_id, key)
            row: dict[str, Any] = {
                "rank": n,
                "seeker_id": seeker_id,
                "vacancy_id": r.vacancy_id,
                "total": r.total,
                "eligible": r.eligible,
                "gates": list(r.gates),
                "flags": list(r.flags),
                "coverage": {
                    "share": len(had) / len(scored) if scored else 0.0,
                    "with_data": had,
                    "missing": [c.key for c in scored if c.missing],
                    "advisory": [c.key for c in r.components if c.advisory],
                },
                "components": [
                    {
                        "key": c.key,
                        "status": c.status,
                        "value": c.value,
                        "weight": c.weight,
                        "share": c.share,
                        "contribution": c.contribution,
                        "gate": c.gate,
                        "flags": list(c.flags),
                        "reason": _first_reason(c.explanation),
                        "rule": c.explanation.rule_id,
                        "pack": c.explanation.pack,
                        "pack_version": c.explanation.pack_version,
                    }
                    for c in r.components
                ],
            }
            if full:
                row["explanation"] = {"ko": r.render("ko"), "en": r.render("en")}
            rows.append(row)
        return {
            "as_of": pool.matcher.as_of.isoformat(),
            "pool": {"seekers": len(pool.seekers), "vacancies": len(pool.vacancies)},
            "results": rows,
        }

    def rank_vacancies(self, seeker: Seeker, top: int, filters: Filters | None, full: bool = False) -> dict[str, Any]:
        """The ``top`` best open vacancies of the centre's pool for ``seeker``.

        Each result carries its components with their reasons; ``full`` adds the whole
        rendered explanation in Korean and English.
        """
        pool = self.records().pool
        return self._results(pool.top_vacancies(seeker, top, filters=filters), pool, False, full)

    def rank_seekers(
        self, vacancy: Vacancy, top: int, filters: Filters | None, pseudonymise: bool, full: bool = False
    ) -> dict[str, Any]:
        """The ``top`` best seekers of the centre's pool for ``vacancy``."""
        pool = self.records().pool
        return self._results(pool.top_seekers(vacancy, top, filters=filters), pool, pseudonymise, full)

    # ------------------------------------------------------------------ follow-up

    @property
    def store(self) -> FollowUpStore:
        """The centre's follow-up store, opened once and shared by this process's threads."""
        if self._store is None:
            from employkit.stores.followup import FollowUpStore

            with self._lock:
                if self._store is None:
                    path = self.ctx.store_path
                    path.parent.mkdir(parents=True, exist_ok=True)
                    self._store = FollowUpStore(
                        path, system=self.ctx.system, centre=self.ctx.key, timeout=self.store_timeout
                    )
        return self._store

    def close(self) -> None:
        """Close the store (the server's shutdown)."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def schedule(self, placement: Placement, counsellor: str | None, as_of: dt.date | None) -> dict[str, Any]:
        """Plan a placement's follow-up contacts and keep them in the store (idempotent)."""
        from employkit.followup.api import schedule

        day = as_of or dt.date.today()
        sched = schedule(placement, self.ctx.system, day)
        added = self.store.add_schedules([(placement, sched)], centre=self.ctx.name, counsellor=counsellor, as_of=day)
        return {
            "placement_id": placement.placement_id,
            "policy": sched.policy_id,
            "added": added,
            "contacts": [
                {
                    "kind": c.kind,
                    "due_on": c.due_on.isoformat(),
                    "nominal_on": c.nominal_on.isoformat(),
                    "label": _text(c.label),
                    "before_end": c.before_end,
                    "moved_because": None if c.moved_because is None else _text(c.moved_because),
                }
                for c in sched.contacts
            ],
            "explanation": explanation_data(sched.explanation),
        }

    def agenda(self, start: dt.date, end: dt.date, counsellor: str | None, overdue: bool) -> dict[str, Any]:
        """Contacts and actions due from ``start`` to ``end`` (and those overdue before it)."""
        items = self.store.agenda(start, end, counsellor=counsellor, overdue=overdue)
        return {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "counsellor": counsellor,
            "items": [
                {
                    "item": i.item,
                    "ref": i.ref,
                    "placement_id": i.placement_id,
                    "seeker_id": i.seeker_id,
                    "employment_type": i.employment_type,
                    "counsellor": i.counsellor,
                    "code": i.code,
                    "label": _text(i.label),
                    "due_on": i.due_on.isoformat(),
                    "overdue": i.overdue,
                }
                for i in items
            ],
        }

    def record(self, placement_id: str, request: Mapping[str, Any], key: str | None) -> dict[str, Any]:
        """Record an outcome of a placement's contact; with ``key``, at most once per key and placement.

        Raises :class:`UnknownPlacement`, and the store's
        :class:`~employkit.stores.followup.IdempotencyConflict`,
        :class:`~employkit.stores.followup.OutcomeDateError` and
        :class:`~employkit.stores.followup.StoreError`.
        """
        from employkit.stores.followup import StoreError

        store = self.store
        try:
            store.status(placement_id)  # the only error it raises: the placement is not stored
        except StoreError:
            raise UnknownPlacement(f"placement {placement_id!r} is not scheduled in centre {self.centre_id}") from None
        done = store.record(
            placement_id,
            request["outcome"],
            on=request.get("contacted_on"),
            contact_kind=request.get("contact"),
            counsellor=request.get("counsellor"),
            note=request.get("note"),
            key=key,
        )
        status, result = store.status(placement_id)
        return {
            "outcome_id": done.outcome_id,
            "placement_id": done.placement_id,
            "contact": done.contact_kind,
            "outcome": {"code": done.outcome.code, "label": _text(done.outcome.label)},
            "contacted_on": done.contacted_on.isoformat(),
            "repeated": done.repeated,
            "status": status,
            "result": result,
            "actions": [
                {
                    "code": a.code,
                    "label": _text(a.label),
                    "due_on": None if a.due_on is None else a.due_on.isoformat(),
                    "closes": a.closes,
                    "result": a.result,
                }
                for a in done.actions
            ],
        }

    def contacts(self, placement_id: str) -> dict[str, Any]:
        """A placement's contacts with their outcomes, and its follow-up status."""
        from employkit.stores.followup import StoreError

        try:
            status, result = self.store.status(placement_id)
        except StoreError:
            raise UnknownPlacement(f"placement {placement_id!r} is not scheduled in centre {self.centre_id}") from None
        return {
            "placement_id": placement_id,
            "status": status,
            "result": result,
            "contacts": [
                {k: (v if v is None or isinstance(v, int | str) else str(v)) for k, v in row.items()}
                for row in self.store.contacts(placement_id)
            ],
        }

    # ------------------------------------------------------------------ KPIs, rules, packs

    def kpis(self, start: dt.date, end: dt.date, by: str | None, ci: bool) -> dict[str, Any]:
        """Every KPI of the centre's packs for the period, with breakdowns and intervals."""
        from employkit.metrics import report as rep
        from employkit.model import Period
        from employkit.render.kpis import to_data
        from employkit.sources.cells import mask_data

        data = self.records().data
        report = rep.kpi_report(data, self.ctx.system, end, period=Period(start, end), by=by, ci=ci)
        out: dict[str, Any] = mask_data(to_data(report))
        return out

    def rules(self, day: dt.date, kind: str | None) -> dict[str, Any]:
        """The rules and parameters in force on ``day``, with their packs, dates and sources."""
        system = self.ctx.system
        entries = [e for e in system.catalogue(day) if kind is None or e.kind == kind]
        out: dict[str, Any] = _plain(
            {
                "as_of": day.isoformat(),
                "region_code": system.region_code,
                "packs": [p.name for p in system.active],
                "entries": [unstructure(e) for e in entries],
                "warnings": list(system.unset_parameters(day)),
            }
        )
        return out

    def packs(self) -> dict[str, Any]:
        """The packs installed, whether each applies to this centre and why, their overrides."""
        from employkit.cli.commands import _pack_record

        system = self.ctx.system
        host = system.host
        out: dict[str, Any] = _plain(
            {
                "region_code": system.region_code,
                "packs": [_pack_record(p, system) for p in host.packs if p.name not in host.failed_names()],
                "failed": [{"name": f.name, "stage": f.stage, "reason": f.reason} for f in host.failures],
                "conflicts": [{"id": c.id, "kind": c.kind, "packs": list(c.packs)} for c in system.conflicts],
            }
        )
        return out


def _plain(data: Any) -> Any:
    """JSON-ready: dates as ISO text, sets and tuples as lists, other objects as text."""
    if isinstance(data, Mapping):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list | tuple | set | frozenset):
        return [_plain(v) for v in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    if data is None or isinstance(data, bool | int | float | str):
        return data
    plain = unstructure(data)
    return _plain(plain) if isinstance(plain, dict | list) else str(plain)


def store_folder_default() -> Path:
    """Where ``--demo`` keeps its store: a folder under the user's cache."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "employkit-serve"
