"""The main job: one centre's records in, a full report folder out (``employkit run``).

:func:`run_centre` loads nothing itself: it takes a validated
:class:`~employkit.dataset.Dataset` and a :class:`~employkit.rules.RuleSystem`, then

1. profiles every seeker (the centre's typology) and every employer;
2. ranks matches: the top ``top`` vacancies of every seeker and seekers of every vacancy;
3. schedules follow-ups into the durable store and lists what is due or overdue;
4. computes the KPIs;
5. writes the report folder — ``report.html`` (with the charts), ``report.md``,
   ``kpis.json``, ``profiles.csv``, ``employer_profiles.csv``, ``matches.csv``,
   ``followups.csv`` and ``run.json`` (what produced it) — atomically: an interrupted
   run leaves the previous folder as it was.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from attrs import evolve, field, frozen

from employkit._version import __version__
from employkit.atomic import atomic_folder, check_replaceable
from employkit.errors import OutputError
from employkit.export import csv_text

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.stores.followup import AgendaItem, FollowUpStore
    from employkit.metrics.report import KpiReport
    from employkit.model import Period
    from employkit.rules import RuleSystem

__all__ = ["REPORT_FILES", "RunResult", "Step", "run_centre"]

Lang = Literal["ko", "en"]

#: The files of a report folder; an existing folder is replaced only if it holds nothing else.
REPORT_FILES = frozenset(
    {
        "report.html",
        "report.md",
        "kpis.json",
        "profiles.csv",
        "employer_profiles.csv",
        "matches.csv",
        "followups.csv",
        "run.json",
    }
)

_REPLACEABLE = REPORT_FILES | {f"chart-{i}.png" for i in range(1, 100)}

#: How far ahead the agenda looks from the as-of date (days).
AGENDA_DAYS = 14


@frozen
class Step:
    """One step of the job: its name, what it counted and how long it took."""

    name: str
    count: int
    seconds: float


@frozen(kw_only=True)
class RunResult:
    """What :func:`run_centre` did and wrote."""

    out: Path
    as_of: dt.date
    origin: str
    period: Period | None = None
    centre: str = ""
    notes: tuple[str, ...] = ()
    packs: tuple[tuple[str, str], ...]
    steps: tuple[Step, ...]
    segments: Mapping[str, int] = field(hash=False)
    employer_segments: Mapping[str, int] = field(hash=False)
    matches: int
    due: int
    overdue: int
    kpis: Mapping[str, Any] = field(hash=False)
    store: Path

    def summary(self, lang: Lang = "ko") -> str:
        """A few lines for a terminal."""
        rate = next((k for k in self.kpis.get("kpis", []) if k["id"] == "employment_rate"), None)
        ko = lang == "ko"
        period = f" · {'기간' if ko else 'period'} {self.period.label}" if self.period is not None else ""
        lines = [
            f"{'보고서' if ko else 'report'}: {self.out}",
            f"{self.centre or self.origin}{period} · {'기준일' if ko else 'as of'} {self.as_of.isoformat()}",
            f"{'자료' if ko else 'data'} {self.origin} · " + ", ".join(f"{n} {v}" for n, v in self.packs),
        ]
        for step in self.steps:
            lines.append(f"  {step.name:<10} {step.count:>8,}  {step.seconds:6.1f} s")
        seg = ", ".join(f"{k} {v:,}" for k, v in self.segments.items())
        lines.append(f"{'구직자 유형' if ko else 'seeker segments'}: {seg}")
        lines.append(
            f"{'사후관리' if ko else 'follow-up'}: {self.due:,} {'예정' if ko else 'due'} "
            f"({AGENDA_DAYS} {'일 이내' if ko else 'days'}), {self.overdue:,} {'지연' if ko else 'overdue'}"
        )
        for note in self.notes:
            lines.append(f"{'참고' if ko else 'note'}: {note}")
        if rate is not None and rate["value"] is not None:  # None when suppressed (a small centre)
            lines.append(
                f"{'취업률' if ko else 'employment rate'}: {rate['value']}% "
                f"({rate['numerator']:,} / {rate['denominator']:,})"
            )
        return "\n".join(lines)


@contextmanager
def _timed(steps: list[Step], name: str, counter: list[int]) -> Iterator[None]:
    start = time.perf_counter()
    yield
    steps.append(Step(name, counter[0] if counter else 0, time.perf_counter() - start))


def run_centre(
    data: Dataset,
    system: RuleSystem,
    out: str | Path,
    *,
    as_of: dt.date | None = None,
    store: str | Path | None = None,
    top: int = 10,
    typology: str | None = None,
    employer_typology: str | None = None,
    lang: Lang = "ko",
    progress: bool = False,
    echo: Callable[[str], None] | None = None,
    pseudonym_key: str | None = None,
) -> RunResult:
    """Run the whole job on ``data`` and write the report folder ``out``.

    ``as_of`` is the date rules, parameters and agendas are evaluated on (default: the
    centre's reference date — the end of its reporting period, else the last day its
    records cover; see :func:`employkit.centre.reference_date`). Each seeker is profiled
    with the typology in force on the day it registered. ``store`` is the follow-up
    store (default: the centre's, :attr:`employkit.centre.CentreContext.store_path`, or
    beside ``out`` when there is no configuration file; named after the centre, so two
    centres never share one); scheduling is idempotent,
    so running the job again adds nothing already there. ``typology`` and
    ``employer_typology`` name typologies to apply as of ``as_of`` instead of the
    centre's. A step whose rules are not in force says so in the result's ``notes``
    and the other steps go on. ``echo`` receives a line as each step starts. With
    ``pseudonym_key`` every seeker and placement id in the report is replaced by its
    keyed pseudonym (:func:`employkit.privacy.pseudonymise`).
    """
    from employkit.centre import CentreContext, reference_date
    from employkit.errors import RuleNotFound
    from employkit.followup.api import schedule_dataset
    from employkit.stores.followup import FollowUpStore, agenda_rows
    from employkit.matching.ranking import rank_all
    from employkit.metrics.report import kpi_report
    from employkit.privacy import pseudonymiser
    from employkit.profiling.api import EmployerProfiles, profile_dataset, profile_employers
    from employkit.render.kpis import to_data

    centre = CentreContext(system.config, host=system.host, store=store).use(data)
    if centre.region_code != system.region_code:  # the data's centre.toml gave the region: its packs apply
        system = centre.system
    reference = reference_date(centre.data, centre.centre, as_of)
    day = reference.day
    target = Path(out)
    check_replaceable(target, _REPLACEABLE)  # before any work, so a wrong --out costs nothing
    store_path = centre.store_path
    if store is None and system.config.path is None and not system.config.setting("followup", "store", None):
        store_path = target.parent / store_path.name  # no configuration folder: beside the report folder
    if _same_file(store_path, data.origin):
        raise OutputError(f"the follow-up store {store_path} is the data source itself; give another --store")
    period = centre.period
    notes: list[str] = [f"parameter warning: {w}" for w in system.unset_parameters(day)]
    say = echo or (lambda _line: None)
    steps: list[Step] = []
    pseudo = pseudonymiser(pseudonym_key) if pseudonym_key else None

    say("profiling")
    n: list[int] = [0]
    with _timed(steps, "profile", n):
        profiles = profile_dataset(data, system, day, typology)
        notes.extend(profiles.notes)
        try:
            employers = profile_employers(data, system, day, employer_typology)
        except RuleNotFound as exc:  # no employer typology in force: say so, go on
            notes.append(f"employer profiling: {exc}")
            employers = EmployerProfiles("", day, ())
        n[0] = len(profiles) + len(employers)

    say("matching")
    n = [0]
    with _timed(steps, "match", n):
        rankings = rank_all(data.seekers, data.vacancies, system, top=top, as_of=day, progress=progress)
        match_rows = rankings.to_rows(lang=lang, pseudonymise=pseudo)
        n[0] = len(match_rows)

    say("follow-up")
    n = [0]
    with _timed(steps, "follow-up", n):
        # on a copy: the store itself is written only once every step has succeeded (below)
        with _trial_store(store_path, system, centre.key) as fstore:
            schedule_dataset(data, system, store=fstore, as_of=day)
            overdue = fstore.overdue(day)
            due = fstore.due(day, day + dt.timedelta(days=AGENDA_DAYS))
        agenda = [*overdue, *due]
        if pseudo is not None:
            agenda = [evolve(i, placement_id=pseudo(i.placement_id), seeker_id=pseudo(i.seeker_id)) for i in agenda]
        n[0] = len(agenda)

    say("KPIs")
    n = [0]
    with _timed(steps, "kpi", n):
        segments_by_seeker = {p.seeker_id: p.segment.code for p in profiles.profiles if p.segment is not None}
        report = kpi_report(data, system, day, segments=segments_by_seeker)
        kpis = to_data(report)
        n[0] = len(report.results)

    say("programmes")
    n = [0]
    with _timed(steps, "programmes", n):
        from employkit.programmes import evaluate_centre

        programmes = tuple(evaluate_centre(data, system, day).summary())
        n[0] = len(programmes)

    say("report")
    n = [0]
    packs = tuple((p.name, p.info.version) for p in system.active)
    with _timed(steps, "report", n):
        charts = _charts(data, system, report, lang)
        files = {
            "profiles.csv": csv_text(profiles.to_rows(pseudonym_key=pseudonym_key), bom=True),
            "employer_profiles.csv": csv_text(employers.to_rows(), bom=True),
            "matches.csv": csv_text(match_rows, bom=True),
            "followups.csv": csv_text(agenda_rows(agenda), bom=True),
            "kpis.json": json.dumps(kpis, ensure_ascii=False, indent=2) + "\n",
        }
        context = _Context(
            centre=report.centre or centre.name,
            origin=data.origin,
            as_of=day,
            as_of_origin=reference.describe(lang),
            period=period.label if period is not None else "",
            notes=tuple(notes),
            packs=packs,
            profiles=profiles.summary(),
            labels={
                **{x.code: x.label.get(lang) for x in (*profiles.segments, *employers.segments)},
                "not_profiled": "유형분류 불가 (항목 누락)" if lang == "ko" else "not profiled (answers missing)",
                "not_applicable": "해당 없음" if lang == "ko" else "not applicable",
            },
            typology=profiles.typology_id,
            employers=employers.summary(),
            employer_typology=employers.typology_id,
            seekers=len(data.seekers),
            vacancies=len(data.vacancies),
            top=top,
            match_lists=len(rankings.by_seeker) + len(rankings.by_vacancy),
            agenda=agenda,
            store=store_path,
            programmes=programmes,
        )
        files["report.md"] = _markdown(context, report, charts, lang)
        files["report.html"] = _html(context, report, charts, lang)
        n[0] = len(files) + 1

    result = RunResult(
        out=target,
        as_of=day,
        period=period,
        centre=centre.name,
        notes=tuple(notes),
        origin=data.origin,
        packs=packs,
        steps=tuple(steps),
        segments=profiles.summary(),
        employer_segments=employers.summary(),
        matches=len(match_rows),
        due=len(due),
        overdue=len(overdue),
        kpis=kpis,
        store=store_path,
    )
    files["run.json"] = json.dumps(_run_record(result, system), ensure_ascii=False, indent=2) + "\n"
    with atomic_folder(target, replace_only=_REPLACEABLE) as temp:
        for name, text in files.items():
            (temp / name).write_text(text, encoding="utf-8")
        for i, (_title, png) in enumerate(charts.items(), 1):
            (temp / f"chart-{i}.png").write_bytes(png)
        # every step succeeded and the report is written: now the store (idempotent), then
        # the folder is swapped in; a failure here leaves both as they were before the run
        store_path.parent.mkdir(parents=True, exist_ok=True)
        with FollowUpStore(store_path, system=system, centre=centre.key) as fstore:
            schedule_dataset(data, system, store=fstore, as_of=day)
    return result


def _same_file(store: Path, origin: str) -> bool:
    """Whether the store path names the data source's own file (a ``.sqlite`` source)."""
    try:
        return bool(origin) and Path(origin).is_file() and store.exists() and store.samefile(origin)
    except OSError:
        return False


@contextmanager
def _trial_store(path: Path, system: RuleSystem, centre: str) -> Iterator[FollowUpStore]:
    """A copy of the follow-up store at ``path`` (an empty store if there is none), in a
    temporary folder: the run schedules and reads its agenda there, so nothing reaches the
    store before the whole run has succeeded. The copy is checked like the store: one
    that belongs to another centre is refused before any work.
    """
    import shutil
    import sqlite3
    import tempfile

    from employkit.stores.followup import FollowUpStore, StoreError

    folder = Path(tempfile.mkdtemp(prefix="employkit-run-"))
    try:
        copy = folder / "store.sqlite"
        if path.exists():
            try:
                with (
                    sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as source,
                    sqlite3.connect(copy) as target,
                ):
                    source.backup(target)
            except sqlite3.Error as exc:
                raise StoreError(f"{path}: cannot read the follow-up store: {exc}") from None
        with FollowUpStore(copy, system=system, centre=centre) as store:
            yield store
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _charts(data: Dataset, system: RuleSystem, report: KpiReport, lang: Lang) -> dict[str, bytes]:
    from employkit.render.charts import PlotUnavailable, report_charts

    try:
        return report_charts(data, system, report, lang)
    except PlotUnavailable:
        return {}


def _run_record(result: RunResult, system: RuleSystem) -> dict[str, Any]:
    """What produced the report: versions, packs, date, source, steps (``run.json``)."""
    return {
        "employkit": __version__,
        "as_of": result.as_of.isoformat(),
        "centre": result.centre,
        "period": (
            {"start": result.period.start.isoformat(), "end": result.period.end.isoformat()}
            if result.period is not None
            else None
        ),
        "notes": list(result.notes),
        "source": result.origin,
        "packs": [{"name": n, "version": v} for n, v in result.packs],
        "config": system.config.path,
        "store": str(result.store),
        "steps": [{"name": s.name, "count": s.count, "seconds": round(s.seconds, 3)} for s in result.steps],
        "segments": dict(result.segments),
        "employer_segments": dict(result.employer_segments),
        "matches": result.matches,
        "followups": {"due": result.due, "overdue": result.overdue},
    }


# ------------------------------------------------------------------ report pages


@frozen(kw_only=True)
class _Context:
    centre: str
    origin: str
    as_of: dt.date
    as_of_origin: str
    period: str
    notes: tuple[str, ...]
    packs: tuple[tuple[str, str], ...]
    profiles: Mapping[str, int] = field(hash=False)
    labels: Mapping[str, str] = field(hash=False)
    typology: str
    employers: Mapping[str, int] = field(hash=False)
    employer_typology: str
    seekers: int
    vacancies: int
    top: int
    match_lists: int
    agenda: Sequence[AgendaItem] = field(hash=False)
    store: Path
    programmes: Sequence[Mapping[str, Any]] = field(default=(), hash=False)


_WORDS: Mapping[str, Mapping[Lang, str]] = {
    "title": {"ko": "센터 보고서", "en": "centre report"},
    "as_of": {"ko": "기준일", "en": "as of"},
    "period": {"ko": "보고 기간", "en": "reporting period"},
    "note": {"ko": "참고", "en": "note"},
    "source": {"ko": "자료", "en": "data"},
    "packs": {"ko": "규칙 팩", "en": "rule packs"},
    "kpis": {"ko": "성과지표", "en": "KPIs"},
    "profiles": {"ko": "구직자 유형분류", "en": "jobseeker profiles"},
    "employers": {"ko": "구인기업 유형분류", "en": "employer profiles"},
    "segment": {"ko": "유형", "en": "segment"},
    "count": {"ko": "인원", "en": "seekers"},
    "employer_count": {"ko": "개소", "en": "employers"},
    "matching": {"ko": "알선 추천", "en": "matching"},
    "followup": {"ko": "사후관리 일정", "en": "follow-up agenda"},
    "due_on": {"ko": "예정일", "en": "due"},
    "what": {"ko": "내용", "en": "what"},
    "placement": {"ko": "취업 건", "en": "placement"},
    "overdue": {"ko": "지연", "en": "overdue"},
    "files": {"ko": "파일", "en": "files"},
    "programmes": {"ko": "지원 사업 대상", "en": "programme eligibility"},
}


_PROGRAMME_HEAD: Mapping[Lang, tuple[str, ...]] = {
    "ko": ("사업", "대상자 구분", "대상", "비대상", "검토", "정보 누락", "지원액 합계(원)"),
    "en": ("programme", "subject", "eligible", "not eligible", "review", "missing facts", "total KRW"),
}


def _programme_rows(c: _Context, lang: Lang) -> list[tuple[str, ...]]:
    """One row per programme in force: counts by status and the total granted (employkit eligibility)."""
    rows = []
    for p in c.programmes:
        st = p["status"]
        total = "–" if p["total_krw"] is None else f"{p['total_krw']:,}"
        name = p["programme_ko"] if lang == "ko" else p["programme_en"]
        counts = (f"{st[k]:,}" for k in ("eligible", "not_eligible", "review", "missing"))
        rows.append((name, p["subject"], *counts, total))
    return rows


def _w(key: str, lang: Lang) -> str:
    return _WORDS[key][lang]


def _matching_text(c: _Context, lang: Lang) -> str:
    if lang == "ko":
        return (
            f"구직자 {c.seekers:,}명과 구인 {c.vacancies:,}건의 모든 쌍을 점수화하여 "
            f"구직자별·구인별 상위 {c.top}건씩 {c.match_lists:,}개 목록을 matches.csv에 기록했습니다."
        )
    return (
        f"Every pair of {c.seekers:,} seekers and {c.vacancies:,} vacancies was scored; "
        f"the top {c.top} per seeker and per vacancy ({c.match_lists:,} lists) are in matches.csv."
    )


def _agenda_head(c: _Context, lang: Lang) -> str:
    late = sum(1 for i in c.agenda if i.overdue)
    if lang == "ko":
        return f"{late:,}건 지연, {len(c.agenda) - late:,}건 {AGENDA_DAYS}일 이내 예정 (저장소 {c.store.name})."
    return f"{late:,} overdue, {len(c.agenda) - late:,} due within {AGENDA_DAYS} days (store {c.store.name})."


def _markdown(c: _Context, report: KpiReport, charts: Mapping[str, bytes], lang: Lang) -> str:
    from employkit.export import md_text as md  # names from data and packs, inert in Markdown
    from employkit.render.charts import chart_note
    from employkit.render.kpis import render_markdown

    names = {title: f"chart-{i}.png" for i, title in enumerate(charts, 1)}
    lines = [
        f"# {md(c.centre)} — {_w('title', lang)}",
        "",
        f"- {_w('period', lang)}: {c.period or '–'}",
        f"- {_w('as_of', lang)}: {c.as_of_origin}",
        f"- {_w('source', lang)}: {md(c.origin)}",
        f"- {_w('packs', lang)}: " + ", ".join(f"{md(n)} {md(v)}" for n, v in c.packs),
        *(f"- {_w('note', lang)}: {md(note)}" for note in c.notes),
        "",
        f"## {_w('kpis', lang)}",
        "",
        render_markdown(report, lang, charts=names, chart_note=chart_note(lang, len(charts))).strip(),
        "",
        f"## {_w('profiles', lang)} ({md(c.typology)})",
        "",
        f"| {_w('segment', lang)} | | {_w('count', lang)} |",
        "|---|---|---:|",
        *(f"| {md(k)} | {md(c.labels.get(k, ''))} | {v:,} |" for k, v in c.profiles.items()),
        "",
        f"## {_w('employers', lang)} ({md(c.employer_typology)})",
        "",
        f"| {_w('segment', lang)} | | {_w('employer_count', lang)} |",
        "|---|---|---:|",
        *(f"| {md(k)} | {md(c.labels.get(k, ''))} | {v:,} |" for k, v in c.employers.items()),
        "",
        f"## {_w('matching', lang)}",
        "",
        _matching_text(c, lang),
        "",
        f"## {_w('followup', lang)}",
        "",
        md(_agenda_head(c, lang)),
        "",
        f"## {_w('programmes', lang)}",
        "",
        "| " + " | ".join(_PROGRAMME_HEAD[lang]) + " |",
        "|---|---|---:|---:|---:|---:|---:|",
        *("| " + " | ".join(md(x) for x in row) + " |" for row in _programme_rows(c, lang)),
        "",
    ]
    return "\n".join(lines)


_PAGE_CSS = """
body{font-family:'NanumGothic','NanumBarunGothic','Noto Sans CJK KR','Malgun Gothic',sans-serif;margin:2em;color:#222;
max-width:1100px}h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}
th:first-child,td:first-child{text-align:left}tr.part td:first-child{padding-left:2em;color:#555}
.note{color:#666;font-size:.9em}figure{display:inline-block;margin:1em}img{max-width:520px}
td.why,th:last-child{text-align:left}td.why{color:#666;font-size:.85em;max-width:24em}th{white-space:nowrap}
table.documents td,table.documents th{text-align:left}
dl.meta dt{font-weight:bold;float:left;clear:left;width:8em}dl.meta dd{margin-left:9em}
"""

# Marks the page once every chart has loaded, so a browser (and its test) can tell.
_SCRIPT = """
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.querySelectorAll('img.chart'));
  var ok = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
  document.body.setAttribute('data-charts', imgs.length);
  document.body.setAttribute('data-charts-loaded', ok);
});
"""


def _html(c: _Context, report: KpiReport, charts: Mapping[str, bytes], lang: Lang) -> str:
    from employkit.render.charts import chart_note
    from employkit.render.kpis import html_fragment

    e = html.escape
    title = f"{c.centre} — {_w('title', lang)}"

    def counts(rows: Mapping[str, int], word: str = "count") -> str:
        body = "".join(
            f'<tr data-segment="{e(k)}"><td><code>{e(k)}</code></td>'
            f"<td>{e(c.labels.get(k, ''))}</td><td>{v:,}</td></tr>"
            for k, v in rows.items()
        )
        head = f"<thead><tr><th>{_w('segment', lang)}</th><th></th><th>{_w(word, lang)}</th></tr></thead>"
        return f"<table>{head}{body}</table>"

    agenda_rows = "".join(
        f"<tr><td>{i.due_on.isoformat()}</td><td>{e(i.placement_id)}</td><td>{e(i.label.get(lang))}</td>"
        f"<td>{_w('overdue', lang) if i.overdue else ''}</td></tr>"
        for i in c.agenda[:20]
    )
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{e(title)}</title>',
        f"<style>{_PAGE_CSS}</style><script>{_SCRIPT}</script></head><body>",
        f"<h1>{e(title)}</h1>",
        '<dl class="meta">',
        f"<dt>{_w('period', lang)}</dt><dd>{e(c.period or '–')}</dd>",
        f"<dt>{_w('as_of', lang)}</dt><dd>{e(c.as_of_origin)}</dd>",
        f"<dt>{_w('source', lang)}</dt><dd>{e(c.origin)}</dd>",
        f"<dt>{_w('packs', lang)}</dt><dd>{e(', '.join(f'{n} {v}' for n, v in c.packs))}</dd>",
        *(f"<dt>{_w('note', lang)}</dt><dd>{e(note)}</dd>" for note in c.notes),
        "</dl>",
        f'<h2 id="kpis">{_w("kpis", lang)}</h2>',
        html_fragment(report, lang, charts, chart_note(lang, len(charts))),
        f'<h2 id="profiles">{_w("profiles", lang)} <code>{e(c.typology)}</code></h2>',
        counts(c.profiles),
        f'<h2 id="employers">{_w("employers", lang)} <code>{e(c.employer_typology)}</code></h2>',
        counts(c.employers, "employer_count"),
        f'<h2 id="matching">{_w("matching", lang)}</h2>',
        f"<p>{e(_matching_text(c, lang))}</p>",
        f'<h2 id="followup">{_w("followup", lang)}</h2>',
        f"<p>{e(_agenda_head(c, lang))}</p>",
        f"<table><thead><tr><th>{_w('due_on', lang)}</th><th>{_w('placement', lang)}</th>"
        f"<th>{_w('what', lang)}</th><th></th></tr></thead>{agenda_rows}</table>",
        f'<h2 id="programmes">{_w("programmes", lang)}</h2>',
        "<table><thead><tr>"
        + "".join(f"<th>{e(h)}</th>" for h in _PROGRAMME_HEAD[lang])
        + "</tr></thead>"
        + "".join("<tr>" + "".join(f"<td>{e(x)}</td>" for x in row) + "</tr>" for row in _programme_rows(c, lang))
        + "</table>",
        f'<p class="note">{_w("files", lang)}: ' + ", ".join(sorted(REPORT_FILES)) + "</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
