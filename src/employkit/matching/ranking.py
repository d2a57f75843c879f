"""Ranking: the top vacancies for a seeker, the top seekers for a vacancy.

:func:`rank` ranks candidates for one seeker or one vacancy; :func:`rank_all` does it
for everyone (top ``k`` per seeker and per vacancy) and :meth:`Rankings.to_rows` turns
the result into the rows of a ``matches.csv``. Ranking uses the batch path for the
scores and builds full explanations only for the pairs returned; ``method="pairs"``
scores every candidate with the one-pair path instead (the same scores, slower).

Order: higher total first; equal totals keep the order of the candidates given (the
dataset's order), so rankings are deterministic. Pairs that fail a gate are left out
(``include_gated=True`` lists them after the eligible ones, for a counsellor who wants
to see why). :class:`Filters` restrict the candidates by region, occupation group,
employment type, and by default to vacancies open (and seekers registered) on the
evaluation date.

>>> import datetime as dt
>>> from employkit.synth import sample_centre
>>> from employkit.testing import make_system
>>> data = sample_centre()
>>> top = rank(data.seekers[0], data.vacancies, make_system(), as_of=dt.date(2015, 12, 31), top=3)
>>> [r.seeker_id for r in top], len(top)
(['S0000001', 'S0000001', 'S0000001'], 3)
>>> top[0].total >= top[1].total >= top[2].total
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from employkit.errors import InvalidArgument
from employkit.labels import Lang
from employkit.matching.batch import BatchScorer
from employkit.matching.scoring import Matcher, MatchResult
from employkit.model import EmploymentType, Seeker, Vacancy

if TYPE_CHECKING:
    from employkit.rules import EvalContext, RuleSystem

__all__ = ["Filters", "Rankings", "rank", "rank_all", "to_rows"]


def _prefix(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = value.strip()
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise InvalidArgument(f"a region or occupation filter must be a code prefix of digits, got {value!r}")
    return cleaned


@frozen(kw_only=True)
class Filters:
    """Restrictions on the candidates of a ranking.

    * ``region`` — a region code prefix (``"11"`` Seoul, ``"11140"`` Jung-gu): the
      vacancy's workplace, or the seeker's residence;
    * ``occupation`` — a KECO code prefix (``"56"``): the vacancy's occupation, or the
      seeker's desired occupation (seekers without one are left out);
    * ``employment_type`` — the vacancy's type, or a type the seeker wants (seekers
      who list no types accept any);
    * ``open_on`` — vacancies posted on or before and not closed before this date;
      seekers registered on or before it.
    """

    region: str | None = field(default=None, converter=_prefix)
    occupation: str | None = field(default=None, converter=_prefix)
    employment_type: EmploymentType | None = None
    open_on: dt.date | None = None

    def vacancy_ok(self, vacancy: Vacancy) -> bool:
        """Whether ``vacancy`` passes."""
        if self.region is not None and not vacancy.region_code.startswith(self.region):
            return False
        if self.occupation is not None and not vacancy.occupation.startswith(self.occupation):
            return False
        if self.employment_type is not None and vacancy.employment_type is not self.employment_type:
            return False
        if self.open_on is not None:
            if vacancy.posted_on > self.open_on:
                return False
            if vacancy.closes_on is not None and vacancy.closes_on < self.open_on:
                return False
        return True

    def seeker_ok(self, seeker: Seeker) -> bool:
        """Whether ``seeker`` passes."""
        if self.region is not None and not seeker.residence_code.startswith(self.region):
            return False
        if self.occupation is not None and not (seeker.desired_occupation or "").startswith(self.occupation):
            return False
        if (
            self.employment_type is not None
            and seeker.employment_types
            and self.employment_type not in seeker.employment_types
        ):
            return False
        return not (self.open_on is not None and seeker.registered_on > self.open_on)

    def vacancy_mask(self, vacancies: Sequence[Vacancy]) -> NDArray[np.bool_]:
        """One bool per vacancy."""
        return np.array([self.vacancy_ok(v) for v in vacancies], dtype=bool)

    def seeker_mask(self, seekers: Sequence[Seeker]) -> NDArray[np.bool_]:
        """One bool per seeker."""
        return np.array([self.seeker_ok(s) for s in seekers], dtype=bool)


def _filters(filters: Filters | None, matcher: Matcher, open_only: bool) -> Filters:
    base = filters or Filters()
    if open_only and base.open_on is None:
        return Filters(
            region=base.region,
            occupation=base.occupation,
            employment_type=base.employment_type,
            open_on=matcher.as_of,
        )
    return base


def rank(
    target: Seeker | Vacancy,
    candidates: Iterable[Vacancy] | Iterable[Seeker],
    source: Matcher | RuleSystem | EvalContext,
    *,
    top: int = 10,
    filters: Filters | None = None,
    as_of: dt.date | None = None,
    open_only: bool = True,
    include_gated: bool = False,
    method: Literal["batch", "pairs"] = "batch",
) -> list[MatchResult]:
    """The ``top`` best candidates for ``target``, best first.

    ``target`` is a seeker (candidates are vacancies) or a vacancy (candidates are
    seekers). ``source`` is a rule system (evaluated on ``as_of``, default today), a
    context or a :class:`~employkit.matching.scoring.Matcher`. With ``open_only`` the
    candidates must be open on the evaluation date (see :class:`Filters`).
    """
    if top < 1:
        raise InvalidArgument("top must be at least 1")
    matcher = Matcher.of(source, as_of)
    chosen = _filters(filters, matcher, open_only)
    if method not in ("batch", "pairs"):
        raise InvalidArgument(f"method must be 'batch' or 'pairs', not {method!r}")
    if isinstance(target, Seeker):
        vacancies = [v for v in candidates if isinstance(v, Vacancy) and chosen.vacancy_ok(v)]
        return _ranked(BatchScorer(matcher, [target], vacancies), "vacancies", top, include_gated, method)
    seekers = [s for s in candidates if isinstance(s, Seeker) and chosen.seeker_ok(s)]
    return _ranked(BatchScorer(matcher, seekers, [target]), "seekers", top, include_gated, method)


def _ranked(batch: BatchScorer, direction: str, top: int, include_gated: bool, method: str) -> list[MatchResult]:
    """Rank the candidates of a batch with one target (one seeker or one vacancy)."""
    n_s, n_v = batch.shape
    size = n_v if direction == "vacancies" else n_s
    if size == 0:
        return []
    if method == "batch" and not include_gated:
        tk = batch.top_vacancies(top) if direction == "vacancies" else batch.top_seekers(top)
        return batch.results(tk)
    every = np.arange(size, dtype=np.intp)
    zeros = np.zeros(size, dtype=np.intp)
    explained = batch.explain(zeros, every) if direction == "vacancies" else batch.explain(every, zeros)
    scored = [(r, n) for n, r in enumerate(explained)]
    eligible = sorted((p for p in scored if p[0].eligible), key=lambda p: (-p[0].total, p[1]))
    out = [r for r, _ in eligible[:top]]
    if include_gated and len(out) < top:
        gated = sorted((p for p in scored if not p[0].eligible), key=lambda p: (-p[0].total, p[1]))
        out += [r for r, _ in gated[: top - len(out)]]
    return out


@frozen(kw_only=True)
class Rankings:
    """Top-k lists for every seeker and every vacancy (see :func:`rank_all`)."""

    as_of: dt.date
    top: int
    by_seeker: Mapping[str, tuple[MatchResult, ...]] = field(hash=False)
    by_vacancy: Mapping[str, tuple[MatchResult, ...]] = field(hash=False)

    def to_rows(self, *, lang: Lang = "ko", pseudonymise: Callable[[str], str] | None = None) -> list[dict[str, Any]]:
        """Rows for a ``matches.csv``: each seeker's list, then each vacancy's (see :func:`to_rows`)."""
        rows: list[dict[str, Any]] = []
        for results in self.by_seeker.values():
            rows += to_rows(results, direction="seeker", lang=lang, pseudonymise=pseudonymise)
        for results in self.by_vacancy.values():
            rows += to_rows(results, direction="vacancy", lang=lang, pseudonymise=pseudonymise)
        return rows


def rank_all(
    seekers: Sequence[Seeker],
    vacancies: Sequence[Vacancy],
    source: Matcher | RuleSystem | EvalContext,
    *,
    top: int = 10,
    filters: Filters | None = None,
    as_of: dt.date | None = None,
    open_only: bool = True,
    directions: Iterable[Literal["seeker", "vacancy"]] = ("seeker", "vacancy"),
    progress: bool = False,
) -> Rankings:
    """The top ``top`` vacancies of every seeker and the top seekers of every vacancy.

    ``filters`` restrict both sides (vacancies by workplace, seekers by residence…).
    Scores come from the batch path; explanations are built for the returned pairs
    only, once per pair even when it appears in both directions.
    """
    if top < 1:
        raise InvalidArgument("top must be at least 1")
    matcher = Matcher.of(source, as_of)
    chosen = _filters(filters, matcher, open_only)
    s_pool = [s for s in seekers if chosen.seeker_ok(s)]
    v_pool = [v for v in vacancies if chosen.vacancy_ok(v)]
    wanted = set(directions)
    by_seeker: dict[str, tuple[MatchResult, ...]] = {}
    by_vacancy: dict[str, tuple[MatchResult, ...]] = {}
    if s_pool and v_pool:
        batch = BatchScorer(matcher, s_pool, v_pool, progress=progress)
        tops = [batch.top_vacancies(top) if "seeker" in wanted else None]
        tops.append(batch.top_seekers(top) if "vacancy" in wanted else None)
        pairs = list(
            dict.fromkeys(
                (i, j)
                for tk in tops
                if tk is not None
                for i, j in zip(tk.seeker_index.tolist(), tk.vacancy_index.tolist(), strict=True)
            )
        )
        # one explanation per pair, even when it appears in both directions
        explained = dict(zip(pairs, batch.explain([i for i, _ in pairs], [j for _, j in pairs]), strict=True))
        if tops[0] is not None:
            lists: dict[int, list[MatchResult]] = {}
            for i, j in zip(tops[0].seeker_index.tolist(), tops[0].vacancy_index.tolist(), strict=True):
                lists.setdefault(i, []).append(explained[(i, j)])
            by_seeker = {s_pool[i].seeker_id: tuple(rs) for i, rs in sorted(lists.items())}
        if tops[1] is not None:
            vlists: dict[int, list[MatchResult]] = {}
            for i, j in zip(tops[1].seeker_index.tolist(), tops[1].vacancy_index.tolist(), strict=True):
                vlists.setdefault(j, []).append(explained[(i, j)])
            by_vacancy = {v_pool[j].vacancy_id: tuple(rs) for j, rs in sorted(vlists.items())}
    return Rankings(as_of=matcher.as_of, top=top, by_seeker=by_seeker, by_vacancy=by_vacancy)


def to_rows(
    results: Iterable[MatchResult],
    *,
    direction: Literal["seeker", "vacancy"] = "seeker",
    lang: Lang = "ko",
    pseudonymise: Callable[[str], str] | None = None,
) -> list[dict[str, Any]]:
    """One dict per result, numbered by its position (``rank`` 1 = first), for a CSV.

    Columns: ``for`` (``seeker``: the list is a seeker's vacancies; ``vacancy``: a
    vacancy's seekers), ``rank``, ``seeker_id``, ``vacancy_id``, ``total``,
    ``eligible``, ``gates`` and ``flags`` (``;``-separated), then for each component
    ``<key>`` (value), ``<key>_share`` (renormalised weight), ``<key>_contribution``,
    ``<key>_status`` (counted, missing or advisory) and ``<key>_reason`` (in ``lang``).
    ``pseudonymise`` replaces seeker ids (for tables that leave the centre).
    """
    rows: list[dict[str, Any]] = []
    for n, r in enumerate(results, 1):
        row: dict[str, Any] = {
            "for": direction,
            "rank": n,
            "seeker_id": pseudonymise(r.seeker_id) if pseudonymise else r.seeker_id,
            "vacancy_id": r.vacancy_id,
            "total": round(r.total, 6),
            "eligible": r.eligible,
            "gates": ";".join(r.gates),
            "flags": ";".join(r.flags),
        }
        for c in r.components:
            row[c.key] = round(c.value, 6)
            row[f"{c.key}_share"] = round(c.share, 6)
            row[f"{c.key}_contribution"] = round(c.contribution, 6)
            row[f"{c.key}_status"] = c.status
            row[f"{c.key}_reason"] = c.reason(lang)
        rows.append(row)
    return rows
