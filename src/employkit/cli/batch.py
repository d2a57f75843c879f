"""``employkit batch-match``: the exact top-k for every seeker (or blocked on request), exposure, allocation."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from employkit.cli._output import check_output_path, table
from employkit.cli._source import open_dataset, source_option
from employkit.cli.app import State, as_of_option, cli, echo_json, friendly_errors, to_date
from employkit.export import SafeWriter

if TYPE_CHECKING:
    import datetime as dt

    from employkit.labels import Lang
    from employkit.matching.allocation import Allocation
    from employkit.matching.batch import TopK
    from employkit.matching.blocking import BlockedScorer
    from employkit.matching.exposure import ExposureMetrics


def _write_csv(
    path: str,
    engine: BlockedScorer,
    top: TopK,
    allocation: Allocation | None,
    explain: bool,
    lang: Lang,
) -> int:
    from employkit.matching.ranking import to_rows

    seekers, vacancies = engine.seeker_table, engine.vacancy_table
    chosen = set() if allocation is None else set(allocation.pairs())
    fields = ["seeker_id", "rank", "vacancy_id", "total"] + (["allocated"] if allocation is not None else [])
    rows: list[dict[str, Any]] = []
    for s, v, r, t in zip(
        top.seeker_index.tolist(), top.vacancy_index.tolist(), top.rank.tolist(), top.total.tolist(), strict=True
    ):
        row: dict[str, Any] = {
            "seeker_id": seekers.seeker_id[s],
            "rank": r,
            "vacancy_id": vacancies.vacancy_id[v],
            "total": round(t, 6),
        }
        if allocation is not None:
            row["allocated"] = (s, v) in chosen
        rows.append(row)
    if explain:
        detail = to_rows(engine.results(top), lang=lang)
        for row, more in zip(rows, detail, strict=True):
            row.update({k: val for k, val in more.items() if k not in row and k not in ("for", "seeker_id")})
        fields = list(dict.fromkeys([*fields, *(k for row in rows[:1] for k in row)]))
    try:
        with Path(path).open("w", encoding="utf-8", newline="") as handle:
            writer = SafeWriter(handle, fields)
            writer.writeheader()
            writer.writerows(rows)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(rows)


def _metrics_table(before: ExposureMetrics, after: ExposureMetrics | None, lang: Lang) -> str:
    headers = ["지표" if lang == "ko" else "metric", "상한 전" if lang == "ko" else "before cap"]
    if after is not None:
        headers.append("상한 후" if lang == "ko" else "after cap")
    later = after.rows(lang) if after is not None else None
    rows = []
    for n, (_key, label, value) in enumerate(before.rows(lang)):
        rows.append([label, value] + ([later[n][2]] if later is not None else []))
    return table(headers, rows)


@cli.command("batch-match")
@source_option
@click.option("--top", default=30, show_default=True, type=click.IntRange(1, 1000), help="Vacancies per seeker.")
@click.option(
    "--allocate",
    "method",
    type=click.Choice(["optimal", "stable", "greedy"]),
    default=None,
    help="Also allocate seekers to vacancies within their openings (optimal needs scipy).",
)
@click.option(
    "--cap",
    type=click.IntRange(1, None),
    default=None,
    help="Recommend no vacancy more than N times (re-ranks the lists).",
)
@click.option(
    "--slack",
    type=click.IntRange(0, 1000),
    default=None,
    help="Extra candidates per seeker for the cap to choose from (default: as many as --top).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Run on this machine, or on Dask (its default scheduler; needs employkit[dask]).",
)
@click.option(
    "--approximate",
    is_flag=True,
    help="Score only the in-block pairs (matching.block.*): faster, not the true top-k; prints its measured recall.",
)
@click.option(
    "--recall-sample",
    type=click.IntRange(0, None),
    default=2000,
    show_default=True,
    help="With --approximate: seekers (drawn at random, seed --recall-seed) whose lists are compared with exact ones.",
)
@click.option("--recall-seed", type=int, default=0, show_default=True, help="Seed of the recall sample.")
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None, help="Write the lists to this CSV file.")
@click.option("--explain", is_flag=True, help="In the CSV, add every component's value and reason (slower).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Summary output."
)
@click.option("--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True, help="Language of labels.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when the terminal shows it).")
@click.option("--workers", type=click.IntRange(1, 256), default=1, show_default=True, help="Threads scoring at once.")
@as_of_option
@click.pass_obj
@friendly_errors
def batch_match_command(
    state: State,
    location: str,
    top: int,
    method: str | None,
    cap: int | None,
    slack: int | None,
    engine: str,
    approximate: bool,
    recall_sample: int,
    recall_seed: int,
    out: str | None,
    explain: bool,
    fmt: str,
    lang: Lang,
    progress: bool | None,
    workers: int,
    as_of: dt.datetime | None,
) -> None:
    """Rank the best vacancies of every seeker at national scale: the true top-k.

    By default the lists are exact — what scoring every pair would give, ties broken by
    index — found by exact pruning (groups of vacancies scored in order of an upper
    bound of their scores). With --approximate only the in-block pairs are scored
    (region reach and occupation proximity, parameters matching.block.*): a pair outside
    every block is never recommended; the recall against exact lists on a random sample
    of seekers is measured and printed. Prints the pairs scored, the timings, the
    exposure of vacancies (before and after --cap) and, with --allocate, the allocation
    within the openings.
    """
    import numpy as np

    from employkit.matching.allocation import allocate, blocking_pairs
    from employkit.matching.blocking import BlockedScorer
    from employkit.matching.exposure import cap_exposure, exposure_metrics, truncate
    from employkit.matching.ranking import Filters
    from employkit.matching.scoring import Matcher

    if out:
        check_output_path(out, "--out")
    timings: dict[str, float] = {}
    start = time.perf_counter()
    dataset = open_dataset(state, location)
    timings["load"] = time.perf_counter() - start
    day = to_date(as_of)
    filters = Filters(open_on=day)
    seekers = [s for s in dataset.seekers if filters.seeker_ok(s)]
    vacancies = [v for v in dataset.vacancies if filters.vacancy_ok(v)]
    start = time.perf_counter()
    scorer = BlockedScorer(
        Matcher(state.system(), day),
        seekers,
        vacancies,
        mode="blocked" if approximate else "exact",
        progress=progress,
        workers=workers,
        recall_sample=recall_sample,
        recall_seed=recall_seed,
    )
    timings["prepare"] = time.perf_counter() - start
    wanted = top + (top if slack is None else slack) if cap is not None else top
    start = time.perf_counter()
    if engine == "dask":
        from employkit.matching.distributed import dask_top_vacancies

        lists = dask_top_vacancies(scorer, wanted)
    else:
        lists = scorer.top_vacancies(wanted)
    timings["score"] = time.perf_counter() - start
    n_v = len(vacancies)
    plain = truncate(lists, top)
    before = exposure_metrics(plain.vacancy_index, n_v)
    after = None
    final = plain
    if cap is not None:
        start = time.perf_counter()
        final = cap_exposure(lists, k=top, cap=cap)
        timings["cap"] = time.perf_counter() - start
        after = exposure_metrics(final.vacancy_index, n_v)
    summary: dict[str, Any] = {
        "as_of": day.isoformat(),
        "seekers": len(seekers),
        "vacancies": n_v,
        "pairs": len(seekers) * n_v,
        "mode": scorer.mode,
        "scored_pairs": scorer.scored_pairs,
        "in_block_pairs": scorer.blocks.pairs if approximate else None,
        "recall": None,
        "rows": len(final),
        "engine": engine,
        "exposure_before": before.as_dict(),
        "exposure_after": None if after is None else after.as_dict(),
    }
    if approximate and engine == "dask" and recall_sample > 0 and seekers:
        scorer.recall = scorer.measure_recall(wanted, (*_dense(lists, len(seekers), wanted),), None)
    if scorer.recall is not None:
        summary["recall"] = {
            "sample": scorer.recall.sample,
            "seed": scorer.recall.seed,
            "k": scorer.recall.k,
            "recall": scorer.recall.recall,
            "best_missed": scorer.recall.best_missed,
            "kth_gap": scorer.recall.kth_gap,
        }
    allocation = None
    if method is not None:
        openings = scorer.vacancy_table.openings
        args = (final.seeker_index, final.vacancy_index, final.total, openings)
        start = time.perf_counter()
        allocation = allocate(*args, method=method)  # type: ignore[arg-type]
        timings["allocate"] = time.perf_counter() - start
        greedy = allocation if method == "greedy" else allocate(*args, method="greedy")
        load = allocation.load(n_v)
        summary["allocation"] = {
            "method": method,
            "assigned": len(allocation),
            "total_score": allocation.total_score,
            "greedy_assigned": len(greedy),
            "greedy_total_score": greedy.total_score,
            "over_capacity": int(np.count_nonzero(load > openings)),
            "blocking_pairs": int(blocking_pairs(allocation, *args).shape[0]),
        }
    if out is not None:
        start = time.perf_counter()
        summary["written"] = _write_csv(out, scorer, final, allocation, explain, lang)
        timings["write"] = time.perf_counter() - start
    summary["seconds"] = {k: round(v, 3) for k, v in timings.items()}
    if fmt == "json":
        echo_json(summary)
        return
    ko = lang == "ko"
    share = summary["scored_pairs"] / summary["pairs"] if summary["pairs"] else 0.0
    mode_text = (
        ("블록 안 쌍만 (근사)" if ko else "in-block pairs only (approximate)")
        if approximate
        else ("정확한 상위 k (가지치기)" if ko else "exact top-k (pruning)")
    )
    click.echo(
        (
            f"기준일 {day}: 구직자 {len(seekers):,}명 × 구인 {n_v:,}건 = {summary['pairs']:,}쌍, "
            f"{mode_text}: 점수 계산 {summary['scored_pairs']:,}쌍 ({share:.2%})"
        )
        if ko
        else (
            f"as of {day}: {len(seekers):,} seekers x {n_v:,} vacancies = {summary['pairs']:,} pairs, "
            f"{mode_text}: {summary['scored_pairs']:,} pairs scored ({share:.2%})"
        )
    )
    r = summary["recall"]
    if r is not None:
        click.echo(
            (
                f"근사 재현율: 무작위 구직자 {r['sample']:,}명(시드 {r['seed']})의 정확한 상위 {r['k']}개 중 "
                f"{r['recall']:.1%}를 찾음; 최선의 구인을 놓친 구직자 {r['best_missed']:.1%}"
            )
            if ko
            else (
                f"recall of the approximation: {r['recall']:.1%} of the exact top-{r['k']} of {r['sample']:,} "
                f"random seekers (seed {r['seed']}); best vacancy missed for {r['best_missed']:.1%} of them"
            )
        )
    click.echo(f"상위 {top}개 목록: {len(final):,}행" if ko else f"top-{top} lists: {len(final):,} rows")
    click.echo(_metrics_table(before, after, lang))
    if allocation is not None:
        a = summary["allocation"]
        click.echo(
            (
                f"배정({method}): {a['assigned']:,}명, 총점 {a['total_score']:.3f} "
                f"(탐욕 배정 {a['greedy_assigned']:,}명, 총점 {a['greedy_total_score']:.3f}); "
                f"구인인원 초과 {a['over_capacity']}건, 불안정 쌍 {a['blocking_pairs']:,}개"
            )
            if ko
            else (
                f"allocation ({method}): {a['assigned']:,} seekers, total score {a['total_score']:.3f} "
                f"(greedy {a['greedy_assigned']:,}, total {a['greedy_total_score']:.3f}); "
                f"over capacity {a['over_capacity']}, blocking pairs {a['blocking_pairs']:,}"
            )
        )
    if out is not None:
        click.echo(f"{out}: {summary['written']:,}행 기록" if ko else f"{out}: {summary['written']:,} rows written")
    click.echo(("소요 시간: " if ko else "seconds: ") + ", ".join(f"{k} {v:.2f}" for k, v in timings.items()))


def _dense(top: TopK, n: int, k: int) -> tuple[Any, Any]:
    """A TopK's lists as ``(n, k)`` arrays of candidates and totals (``-1`` / ``-inf`` where short)."""
    import numpy as np

    best_i = np.full((n, k), -1, dtype=np.intp)
    best_t = np.full((n, k), -np.inf)
    best_i[top.query, top.rank - 1] = top.candidate
    best_t[top.query, top.rank - 1] = top.total
    return best_i, best_t
