"""Profiling, the Python interface: classify one seeker or employer, or a whole dataset.

>>> import datetime as dt
>>> from employkit.model import Intake, Level, Seeker
>>> from employkit.rules import RuleSystem
>>> system = RuleSystem.build()
>>> s = Seeker(seeker_id="S1", residence_code="11140", registered_on=dt.date(2022, 3, 2),
...            intake=Intake(job_field_decided=True, employability=Level.HIGH, mobile=True))
>>> classify_seeker(s, system, dt.date(2022, 3, 2)).segment.code
'ready_mobile'

The typology used when none is named is the centre's (``[profiling] seeker_typology``
or ``typology`` in ``employkit.toml``; ``employer_typology`` for firms), else the
one the dated parameter ``profiling.seeker.default_typology`` names (the national pack
sets it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from attrs import frozen

from employkit.errors import InvalidArgument, RuleNotFound
from employkit.explain import Explanation
from employkit.privacy import pseudonymise
from employkit.profiling.base import EmployerProfile, EmployerTypology, SeekerProfile, SeekerTypology, Segment
from employkit.profiling.batch import ColumnProfiles, SeekerColumns, VectorisedSeekerTypology

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.model import Employer, Seeker, Vacancy
    from employkit.rules import RuleSystem

__all__ = [
    "EMPLOYER_ROW_FIELDS",
    "ROW_FIELDS",
    "DatasetProfiles",
    "EmployerProfiles",
    "classify_employer",
    "classify_seeker",
    "counsellors_of",
    "default_typology_id",
    "employer_typology",
    "explain_column",
    "explanation_summary",
    "profile_columns",
    "profile_dataset",
    "profile_employers",
    "pseudonym",
    "seeker_typology",
]

#: The columns of :meth:`DatasetProfiles.to_rows` (and of a ``profiles.csv``).
ROW_FIELDS: tuple[str, ...] = (
    "seeker_id",
    "typology",
    "as_of",
    "status",
    "segment",
    "segment_ko",
    "segment_en",
    "group",
    "pathway",
    "pathway_ko",
    "missing",
    "protected_used",
    "score",
    "band",
    "rule",
    "explanation_ko",
    "explanation_en",
)

#: The columns of :meth:`EmployerProfiles.to_rows`.
EMPLOYER_ROW_FIELDS: tuple[str, ...] = (
    "employer_id",
    "vacancy_id",
    "typology",
    "as_of",
    "status",
    "segment",
    "segment_ko",
    "segment_en",
    "intervention_level",
    "stage1",
    "stage1_ko",
    "stage2",
    "stage2_ko",
    "missing",
    "rule",
    "explanation_ko",
    "explanation_en",
)


# ---------------------------------------------------------------- resolving typologies


_IN_FORCE = re.compile(r"\(in force: .*\)")

#: The dated parameters naming a centre's typologies; a district pack overrides them for its centres.
DEFAULT_TYPOLOGY_PARAMETERS: Mapping[str, str] = {
    "seeker": "profiling.seeker.default_typology",
    "employer": "profiling.employer.default_typology",
}


def default_typology_id(system: RuleSystem, kind: str = "seeker", on: dt.date | None = None) -> str:
    """The typology a centre uses when none is named, on the day ``on``.

    The centre's setting (``[profiling] seeker_typology`` or ``typology``, or
    ``employer_typology``) if it has one; else the dated parameter
    ``profiling.seeker.default_typology`` (``profiling.employer.default_typology``) in
    force on ``on`` — the national pack names its typologies from the dates they came
    into force, and a district pack overrides the parameter for its own centres. Without
    ``on``, the latest value.

    Raises :class:`~employkit.errors.RuleNotFound` naming the dates a typology is in
    force when none is on ``on``, or the setting to make when no active pack defines
    the parameter.
    """
    cfg = system.config
    if kind == "employer":
        chosen = cfg.setting("profiling", "employer_typology", None)
    else:
        chosen = cfg.setting("profiling", "seeker_typology", None) or cfg.setting("profiling", "typology", None)
    if chosen:
        return str(chosen)
    setting = "employer_typology" if kind == "employer" else "seeker_typology"
    return system.rule_named_by(
        DEFAULT_TYPOLOGY_PARAMETERS[kind], on, what=f"{kind} typology", setting=f"[profiling] {setting}"
    )


def _resolve(system: RuleSystem, as_of: dt.date, typology_id: str, kind: str) -> Any:
    family = f"{kind}_typology"
    try:
        res = system.resolved_rule(typology_id)
    except RuleNotFound:
        known = ", ".join(t.meta.rule_id for t in system.rules(family)) or "none"
        raise RuleNotFound(f"no active pack provides {kind} typology {typology_id!r}; known: {known}") from None
    if res.kind != family:
        raise RuleNotFound(f"{typology_id} is a {res.kind.replace('_', ' ')}, not a {kind} typology")
    try:
        return system.rule(typology_id, as_of)
    except RuleNotFound:
        metas = [c.item.meta for c in res.chain]
        spans = "; ".join(f"{m.effective_from or '…'} to {m.effective_to or '…'}" for m in metas)
        raise RuleNotFound(
            f"{kind} typology {typology_id} is not in force on {as_of.isoformat()} (in force: {spans}); "
            "choose another --as-of date or typology"
        ) from None


def seeker_typology(system: RuleSystem, as_of: dt.date, typology_id: str | None = None) -> SeekerTypology:
    """The seeker typology ``typology_id`` (default: the centre's) in force on ``as_of``.

    Raises :class:`~employkit.errors.RuleNotFound` naming the known typologies, or the
    dates the typology is in force.
    """
    found: SeekerTypology = _resolve(system, as_of, typology_id or default_typology_id(system, on=as_of), "seeker")
    return found


def employer_typology(system: RuleSystem, as_of: dt.date, typology_id: str | None = None) -> EmployerTypology:
    """The employer typology ``typology_id`` (default: the centre's) in force on ``as_of``."""
    found: EmployerTypology = _resolve(
        system, as_of, typology_id or default_typology_id(system, "employer", as_of), "employer"
    )
    return found


# ---------------------------------------------------------------- one at a time


def classify_seeker(
    seeker: Seeker, system: RuleSystem, as_of: dt.date, typology_id: str | None = None
) -> SeekerProfile:
    """Class one seeker as of ``as_of`` with ``typology_id`` (default: the centre's typology)."""
    typology = seeker_typology(system, as_of, typology_id)
    return typology.classify(seeker, system.context(as_of))


def classify_employer(
    employer: Employer,
    system: RuleSystem,
    as_of: dt.date,
    typology_id: str | None = None,
    vacancy: Vacancy | None = None,
) -> EmployerProfile:
    """Class one employer (or one of its vacancies) as of ``as_of``."""
    typology = employer_typology(system, as_of, typology_id)
    return typology.classify(employer, vacancy, system.context(as_of))


# ---------------------------------------------------------------- rows


def pseudonym(identifier: str, key: str) -> str:
    """A stable pseudonym of ``identifier`` under a secret ``key`` (HMAC-SHA256, 16 hex digits).

    The same as :func:`employkit.privacy.pseudonymise`.

    >>> pseudonym("S0000001", "centre-secret")
    'P9839150898588e41'
    """
    return pseudonymise(identifier, key)


def _show(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def explanation_summary(explanation: Explanation, lang: str = "ko") -> str:
    """One line: the reasons, then the inputs that decided (for tables and CSV files)."""
    reasons = "; ".join(r.ko if lang == "ko" else r.en for r in explanation.reasons)
    inputs = ", ".join(f"{k}={_show(v)}" for k, v in explanation.inputs.items())
    return f"{reasons} [{inputs}]" if inputs else reasons


def _pathway(services: Iterable[Any], lang: str | None = None) -> str:
    if lang is None:
        return ";".join(s.code for s in services)
    return " → ".join(s.label.ko for s in services)


@frozen
class DatasetProfiles:
    """Every seeker of a dataset profiled, each with the typology in force on its date.

    ``typology_id`` names the typologies used (joined by ", " when registrations span a
    change of typology); ``notes`` say which seekers no typology was in force for.
    """

    typology_id: str
    as_of: dt.date
    profiles: tuple[SeekerProfile, ...]
    segments: tuple[Segment, ...] = ()
    notes: tuple[str, ...] = ()
    no_typology: tuple[str, ...] = ()  # ids of seekers no typology was in force for

    def __len__(self) -> int:
        return len(self.profiles)

    def get(self, seeker_id: str) -> SeekerProfile | None:
        """The profile of one seeker, or ``None``."""
        for p in self.profiles:
            if p.seeker_id == seeker_id:
                return p
        return None

    def summary(self) -> dict[str, int]:
        """Seekers per segment code (every segment of the typology, zeros included), then
        ``not_profiled`` and ``not_applicable``."""
        found = Counter(p.segment.code if p.segment else p.status for p in self.profiles)
        out = {s.code: found.pop(s.code, 0) for s in self.segments}
        for code in sorted(k for k in found if k not in ("not_profiled", "not_applicable")):
            out[code] = found.pop(code)
        out["not_profiled"] = found.get("not_profiled", 0)
        out["not_applicable"] = found.get("not_applicable", 0)
        if self.no_typology:
            out["no_typology"] = len(self.no_typology)
        return out

    def to_rows(self, pseudonym_key: str | None = None) -> list[dict[str, str]]:
        """One dict per seeker with the keys of :data:`ROW_FIELDS`, every value a string.

        With ``pseudonym_key`` the seeker id is replaced by :func:`pseudonym` (for
        anything published).
        """
        rows = []
        for p in self.profiles:
            seg = p.segment
            e = p.explanation
            rows.append(
                {
                    "seeker_id": pseudonym(p.seeker_id, pseudonym_key) if pseudonym_key else p.seeker_id,
                    "typology": p.typology_id,
                    "as_of": p.as_of.isoformat(),
                    "status": p.status,
                    "segment": seg.code if seg else "",
                    "segment_ko": seg.label.ko if seg else "",
                    "segment_en": seg.label.en if seg else "",
                    "group": (seg.group or "") if seg else "",
                    "pathway": _pathway(seg.pathway) if seg else "",
                    "pathway_ko": _pathway(seg.pathway, "ko") if seg else "",
                    "missing": ";".join(p.missing),
                    "protected_used": ";".join(p.protected_used),
                    "score": "" if p.score is None else repr(p.score),
                    "band": p.band or "",
                    "rule": f"{e.rule_id} ({e.pack} {e.pack_version})",
                    "explanation_ko": explanation_summary(e, "ko"),
                    "explanation_en": explanation_summary(e, "en"),
                }
            )
        return rows


@frozen
class EmployerProfiles:
    """Every employer (or vacancy) of a dataset profiled with one typology."""

    typology_id: str
    as_of: dt.date
    profiles: tuple[EmployerProfile, ...]
    segments: tuple[Segment, ...] = ()

    def __len__(self) -> int:
        return len(self.profiles)

    def summary(self) -> dict[str, int]:
        """Employers per segment code, then ``not_profiled``."""
        found = Counter(p.segment.code if p.segment else "not_profiled" for p in self.profiles)
        out = {s.code: found.pop(s.code, 0) for s in self.segments}
        for code in sorted(k for k in found if k != "not_profiled"):
            out[code] = found.pop(code)
        out["not_profiled"] = found.get("not_profiled", 0)
        return out

    def to_rows(self) -> list[dict[str, str]]:
        """One dict per profile with the keys of :data:`EMPLOYER_ROW_FIELDS`."""
        rows = []
        for p in self.profiles:
            seg = p.segment
            e = p.explanation
            rows.append(
                {
                    "employer_id": p.employer_id,
                    "vacancy_id": p.vacancy_id or "",
                    "typology": p.typology_id,
                    "as_of": p.as_of.isoformat(),
                    "status": "profiled" if seg else "not_profiled",
                    "segment": seg.code if seg else "",
                    "segment_ko": seg.label.ko if seg else "",
                    "segment_en": seg.label.en if seg else "",
                    "intervention_level": "" if p.intervention_level is None else str(p.intervention_level),
                    "stage1": _pathway(seg.pathway) if seg else "",
                    "stage1_ko": _pathway(seg.pathway, "ko") if seg else "",
                    "stage2": _pathway(p.stage2),
                    "stage2_ko": _pathway(p.stage2, "ko"),
                    "missing": ";".join(p.missing),
                    "rule": f"{e.rule_id} ({e.pack} {e.pack_version})",
                    "explanation_ko": explanation_summary(e, "ko"),
                    "explanation_en": explanation_summary(e, "en"),
                }
            )
        return rows


# ---------------------------------------------------------------- datasets


def _segments(typology: Any) -> tuple[Segment, ...]:
    found = getattr(typology, "segments", ())
    return tuple(s for s in found if isinstance(s, Segment))


def profile_dataset(
    data: Dataset | Iterable[Seeker],
    system: RuleSystem,
    as_of: dt.date,
    typology_id: str | None = None,
) -> DatasetProfiles:
    """Profile every seeker of ``data`` (a :class:`~employkit.dataset.Dataset` or seekers).

    Each seeker is classed by the centre's typology in force on the day it registered
    (:func:`default_typology_id`), with the parameters of that day. A named
    ``typology_id`` is applied to everyone as of ``as_of`` instead (a what-if). Seekers
    for whom no typology was in force are left unprofiled, and ``notes`` says so in one
    line naming the dates and the typologies in force.

    Each seeker gets a full :class:`SeekerProfile` with its explanation;
    :meth:`DatasetProfiles.to_rows` gives the rows of a ``profiles.csv`` and
    :meth:`DatasetProfiles.summary` the count per segment. For millions of seekers use
    :func:`profile_columns`.
    """
    seekers = data.seekers if hasattr(data, "seekers") else tuple(data)
    if typology_id is not None:
        typology = seeker_typology(system, as_of, typology_id)
        ctx = system.context(as_of)
        profiles = tuple(typology.classify(s, ctx) for s in seekers)
        return DatasetProfiles(typology.meta.rule_id, as_of, profiles, _segments(typology))
    chosen: dict[dt.date, tuple[Any, Any] | str] = {}
    out: list[SeekerProfile] = []
    left: list[str] = []
    skipped: dict[str, list[dt.date]] = {}
    used: dict[str, Any] = {}
    for seeker in seekers:
        day = seeker.registered_on
        if day not in chosen:
            try:
                typology = seeker_typology(system, day)
                chosen[day] = (typology, system.context(day))
            except RuleNotFound as exc:
                found = _IN_FORCE.search(str(exc))
                chosen[day] = found.group(0) if found else str(exc)
        choice = chosen[day]
        if isinstance(choice, str):
            skipped.setdefault(choice, []).append(day)
            left.append(seeker.seeker_id)
            continue
        typology, ctx = choice
        used.setdefault(typology.meta.rule_id, typology)
        out.append(typology.classify(seeker, ctx))
    notes = tuple(
        f"{len(days):,} seeker(s) registered {min(days)}–{max(days)} not profiled: "
        f"no seeker typology in force on their registration days {why}"
        for why, days in skipped.items()
    )
    segments = tuple(seg for t in used.values() for seg in _segments(t))
    return DatasetProfiles(", ".join(used), as_of, tuple(out), segments, notes, tuple(left))


def profile_employers(
    data: Dataset,
    system: RuleSystem,
    as_of: dt.date,
    typology_id: str | None = None,
    *,
    by_vacancy: bool = False,
) -> EmployerProfiles:
    """Profile every employer of ``data`` (or, with ``by_vacancy``, every vacancy)."""
    typology = employer_typology(system, as_of, typology_id)
    ctx = system.context(as_of)
    if by_vacancy:
        employers = data.employers_by_id
        found = tuple(
            typology.classify(employers[v.employer_id], v, ctx) for v in data.vacancies if v.employer_id in employers
        )
    else:
        found = tuple(typology.classify(e, None, ctx) for e in data.employers)
    return EmployerProfiles(typology.meta.rule_id, as_of, found, _segments(typology))


def profile_columns(
    columns: SeekerColumns, system: RuleSystem, as_of: dt.date | None = None, typology_id: str | None = None
) -> ColumnProfiles:
    """Profile seekers held as columns (the vectorised path), as of the columns' date.

    Raises :class:`~employkit.errors.RuleNotFound` when the typology has no vectorised
    path (use :func:`profile_dataset`).
    """
    day = as_of or columns.as_of
    if day != columns.as_of:
        raise InvalidArgument(f"the columns are as of {columns.as_of}, not {day}")
    typology = seeker_typology(system, day, typology_id)
    if not isinstance(typology, VectorisedSeekerTypology):
        raise RuleNotFound(f"{typology.meta.rule_id} has no vectorised path; use profile_dataset")
    return typology.classify_columns(columns, system.context(day))


def explain_column(
    columns: SeekerColumns, index: int, system: RuleSystem, typology_id: str | None = None
) -> SeekerProfile:
    """The full profile (with explanation) of seeker ``index`` of ``columns``."""
    return classify_seeker(columns.seeker(index), system, columns.as_of, typology_id)


def counsellors_of(data: Dataset) -> Mapping[str, str]:
    """Seeker id → counsellor in charge, from a ``counsellor`` column when the data has one."""
    return {s.seeker_id: str(s.extra["counsellor"]) for s in data.seekers if s.extra.get("counsellor")}
