"""``employkit match`` and ``employkit mismatch``: ranked matches with their breakdown, and demand vs supply."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from employkit.cli._output import table
from employkit.cli._source import open_dataset, source_option
from employkit.cli._whatif import compare_lines, param_option, what_if
from employkit.cli.app import State, as_of_option, cli, echo_json, friendly_errors, to_date
from employkit.export import SafeWriter
from employkit.model import EmploymentType

if TYPE_CHECKING:
    import datetime as dt

    from employkit.labels import Lang
    from employkit.matching.mismatches import MismatchReport
    from employkit.matching.scoring import MatchResult


def _value_cell(result: MatchResult, key: str) -> str:
    try:
        c = result.component(key)
    except KeyError:
        return ""
    if c.missing:
        return "—"
    if c.advisory:
        return f"({c.value:.2f})"
    return f"{c.value:.2f}"


def _results_table(results: Sequence[MatchResult], other: str, lang: Lang) -> str:
    keys = list(dict.fromkeys(c.key for r in results for c in r.components))
    headers = ["#", other, "total", *keys, "gates", "flags"]
    rows = [
        [
            str(n),
            r.vacancy_id if other == "vacancy" else r.seeker_id,
            f"{r.total:.3f}",
            *(_value_cell(r, k) for k in keys),
            ",".join(r.gates),
            ",".join(r.flags),
        ]
        for n, r in enumerate(results, 1)
    ]
    return table(headers, rows)


def _breakdown(result: MatchResult, n: int, other: str, lang: Lang) -> list[str]:
    who = result.vacancy_id if other == "vacancy" else result.seeker_id
    state = (
        "" if result.eligible else ("  관문 불통과: " if lang == "ko" else "  gate failed: ") + ", ".join(result.gates)
    )
    lines = [f"#{n} {who}  total {result.total:.3f}{state}"]
    for c in result.components:
        if c.counted:
            head = f"{c.value:.2f} × {c.share:.3f} = {c.contribution:+.3f}"
        else:
            head = (
                ("자료 없음" if lang == "ko" else "missing")
                if c.missing
                else ("참고용" if lang == "ko" else "advisory")
            )
        lines.append(f"    {c.key:<11} {head:<24} {c.reason(lang)}")
        lines += [f"    {'':<11} {'':<24} {r.get(lang)}" for r in c.explanation.reasons[1:]]
    return lines


def _result_json(result: MatchResult, rank: int) -> dict[str, Any]:
    return {
        "rank": rank,
        "seeker_id": result.seeker_id,
        "vacancy_id": result.vacancy_id,
        "total": result.total,
        "eligible": result.eligible,
        "gates": list(result.gates),
        "flags": list(result.flags),
        "components": [
            {
                "key": c.key,
                "value": c.value,
                "weight": c.weight,
                "share": c.share,
                "contribution": c.contribution,
                "status": c.status,
                "gate": c.gate,
                "flags": list(c.flags),
                "rule": c.explanation.rule_id,
                "reasons": [{"ko": t.ko, "en": t.en} for t in c.explanation.reasons],
                "parameters": {u.parameter_id: u.value for u in c.explanation.parameters},
            }
            for c in result.components
        ],
    }


def _csv(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return ""
    fields = list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO()
    writer = SafeWriter(out, fields)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().rstrip("\n")


@cli.command("match")
@source_option
@click.option("--seeker", "seeker_id", default=None, help="Rank vacancies for this seeker id.")
@click.option("--vacancy", "vacancy_id", default=None, help="Rank seekers for this vacancy id.")
@click.option("--all", "everyone", is_flag=True, help="Rank for every seeker and every vacancy.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 1000), help="How many results per list.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True, help="Output."
)
@click.option("--region", default=None, help="Only candidates in this region (code prefix, e.g. 11 or 11140).")
@click.option("--occupation", default=None, help="Only candidates in this KECO occupation group (code prefix).")
@click.option(
    "--type",
    "etype",
    type=click.Choice([t.code for t in EmploymentType]),
    default=None,
    help="Only this employment type.",
)
@click.option("--include-gated", is_flag=True, help="List pairs that fail a gate after the eligible ones.")
@click.option("--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True, help="Language of reasons.")
@as_of_option
@param_option
@click.pass_obj
@friendly_errors
def match_command(
    state: State,
    location: str,
    seeker_id: str | None,
    vacancy_id: str | None,
    everyone: bool,
    top: int,
    fmt: str,
    region: str | None,
    occupation: str | None,
    etype: str | None,
    include_gated: bool,
    lang: Lang,
    as_of: dt.datetime | None,
    params: tuple[str, ...] = (),
) -> None:
    """Rank vacancies for a seeker, seekers for a vacancy, or both for everyone.

    Each result shows its total and every component's value, weight share,
    contribution and reason; pairs that fail a gate are left out unless
    --include-gated.
    """
    from employkit.matching.ranking import Filters, rank, rank_all, to_rows
    from employkit.matching.scoring import Matcher

    if sum((seeker_id is not None, vacancy_id is not None, everyone)) != 1:
        raise click.UsageError("give exactly one of --seeker ID, --vacancy ID or --all")
    try:
        filters = Filters(
            region=region, occupation=occupation, employment_type=EmploymentType.parse(etype) if etype else None
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    dataset = open_dataset(state, location)
    day = to_date(as_of)
    system, overrides = what_if(state.system(), params)
    matcher = Matcher(system, day)
    baseline = Matcher(state.system(), day) if overrides else None

    if everyone:
        rankings = rank_all(dataset.seekers, dataset.vacancies, matcher, top=top, filters=filters)
        if fmt == "csv":
            click.echo(_csv(rankings.to_rows(lang=lang)))
        elif fmt == "json":
            echo_json(
                {
                    "as_of": day.isoformat(),
                    "by_seeker": {
                        k: [_result_json(r, n) for n, r in enumerate(v, 1)] for k, v in rankings.by_seeker.items()
                    },
                    "by_vacancy": {
                        k: [_result_json(r, n) for n, r in enumerate(v, 1)] for k, v in rankings.by_vacancy.items()
                    },
                }
            )
        else:
            for sid, listed in rankings.by_seeker.items():
                click.echo(f"seeker {sid}: top {len(listed)} vacancies")
                click.echo(_results_table(listed, "vacancy", lang))
                click.echo("")
            for vid, listed in rankings.by_vacancy.items():
                click.echo(f"vacancy {vid}: top {len(listed)} seekers")
                click.echo(_results_table(listed, "seeker", lang))
                click.echo("")
            click.echo(
                f"{len(rankings.by_seeker)} seekers and {len(rankings.by_vacancy)} vacancies ranked, as of {day}"
            )
        if baseline is not None:
            before = rank_all(dataset.seekers, dataset.vacancies, baseline, top=top, filters=filters)
            rows = [
                (f"seeker {k}", [r.vacancy_id for r in before.by_seeker.get(k, ())], [r.vacancy_id for r in v])
                for k, v in rankings.by_seeker.items()
            ]
            rows += [
                (f"vacancy {k}", [r.seeker_id for r in before.by_vacancy.get(k, ())], [r.seeker_id for r in v])
                for k, v in rankings.by_vacancy.items()
            ]
            click.echo("\n".join(compare_lines(rows, overrides, lang)), err=fmt != "table")
        return

    results: Sequence[MatchResult]
    if seeker_id is not None:
        seeker = dataset.seekers_by_id.get(seeker_id)
        if seeker is None:
            raise click.BadParameter(f"no seeker {seeker_id!r} in {location}", param_hint="--seeker")
        results = rank(seeker, dataset.vacancies, matcher, top=top, filters=filters, include_gated=include_gated)
        direction, other, target = "seeker", "vacancy", f"seeker {seeker_id}"
    else:
        assert vacancy_id is not None
        vacancy = dataset.vacancies_by_id.get(vacancy_id)
        if vacancy is None:
            raise click.BadParameter(f"no vacancy {vacancy_id!r} in {location}", param_hint="--vacancy")
        results = rank(vacancy, dataset.seekers, matcher, top=top, filters=filters, include_gated=include_gated)
        direction, other, target = "vacancy", "seeker", f"vacancy {vacancy_id}"

    if fmt == "csv":
        click.echo(_csv(to_rows(results, direction=direction, lang=lang)))  # type: ignore[arg-type]
    elif fmt == "json":
        echo_json(
            {"as_of": day.isoformat(), "for": target, "results": [_result_json(r, n) for n, r in enumerate(results, 1)]}
        )
    else:
        click.echo(f"{target}: top {len(results)} {other} matches, as of {day}")
        if not results:
            click.echo("no candidate passes the filters and gates")
            return
        click.echo(_results_table(results, other, lang))
        click.echo("")
        for n, r in enumerate(results, 1):
            click.echo("\n".join(_breakdown(r, n, other, lang)))
    if baseline is not None:
        target_record: Any = seeker if seeker_id is not None else vacancy
        pool: Any = dataset.vacancies if seeker_id is not None else dataset.seekers
        earlier = rank(target_record, pool, baseline, top=top, filters=filters, include_gated=include_gated)

        def who(r: MatchResult) -> str:
            return r.vacancy_id if direction == "seeker" else r.seeker_id

        old = {who(r): (n, r.total) for n, r in enumerate(earlier, 1)}
        new = {who(r): (n, r.total) for n, r in enumerate(results, 1)}
        changes: list[tuple[str, Any, Any]] = [
            (f"{other} {k} rank, total", old.get(k), new.get(k)) for k in dict.fromkeys([*old, *new])
        ]
        click.echo("\n".join(compare_lines(changes, overrides, lang)), err=fmt != "table")


def _count_cell(value: int | None, min_cell: int) -> str:
    return f"<{min_cell}" if value is None else f"{value:,}"


def _mismatch_table(report: MismatchReport, min_cell: int, lang: Lang) -> str:
    lines: list[str] = []
    for t in report.tables:
        lines.append(t.title.get(lang))
        rows = [
            [
                r["label_ko"] if lang == "ko" else r["label_en"],
                _count_cell(r["demand"], min_cell),
                "" if r["demand_rank"] is None else str(r["demand_rank"]),
                _count_cell(r["supply"], min_cell),
                "" if r["supply_rank"] is None else str(r["supply_rank"]),
            ]
            for r in t.published(min_cell)
        ]
        headers = (
            ["구분", "구인인원", "순위", "구직자", "순위"]
            if lang == "ko"
            else [
                "category",
                "openings",
                "rank",
                "seekers",
                "rank",
            ]
        )
        lines.append(table(headers, rows))
        lines.append(t.explanation.reasons[0].get(lang))
        lines.append("")
    e = report.easy_match
    lines += [r.get(lang) for r in e.explanation.reasons]
    if e.referral_share is not None:
        lines.append(
            f"알선 취업 중 비중: {e.referral_share:.1%} ({e.referral_easy}/{e.referral_known})"
            if lang == "ko"
            else f"among referral placements: {e.referral_share:.1%} ({e.referral_easy}/{e.referral_known})"
        )
    return "\n".join(lines)


@cli.command("mismatch")
@source_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True, help="Output."
)
@click.option("--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True, help="Language of labels.")
@as_of_option
@click.pass_obj
@friendly_errors
def mismatch_command(state: State, location: str, fmt: str, lang: Lang, as_of: dt.datetime | None) -> None:
    """Demand vs supply: occupations, ages and wages ranked for vacancies and seekers.

    Also the share of placements in the easy-match occupations (care, security and
    cleaning, simple manufacturing). Counts below metrics.suppression.min_cell are
    suppressed.
    """
    from employkit.matching.mismatches import mismatch

    dataset = open_dataset(state, location)
    day = to_date(as_of)
    system = state.system()
    report = mismatch(dataset, system, as_of=day)
    from employkit.metrics.suppress import min_cell_of

    min_cell = min_cell_of(system, day)
    if fmt == "csv":
        click.echo(_csv(report.to_rows(min_cell)))
    elif fmt == "json":
        e = report.easy_match
        echo_json(
            {
                "as_of": day.isoformat(),
                "min_cell": min_cell,
                "tables": report.to_rows(min_cell),
                "easy_match": {
                    "placements": e.placements,
                    "known": e.known,
                    "easy": _suppress_json(e.easy, min_cell),
                    "share": e.share,
                    "referral_share": e.referral_share,
                    "by_group": {k: _suppress_json(v, min_cell) for k, v in e.by_group.items()},
                    "reference": e.reference,
                },
            }
        )
    else:
        click.echo(_mismatch_table(report, min_cell, lang))


def _suppress_json(count: int, min_cell: int) -> int | None:
    return None if 0 < count < min_cell else count
