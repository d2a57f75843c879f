"""The national batch engine: the exact top-k by default, blocked candidates on request.

A Korean month brings some 392,000 seekers and 158,000 vacancies: 6.2×10¹⁰ pairs.
:class:`BlockedScorer` returns by default the **exact** top-k of the score function —
what scoring every pair would give, ties broken by index — by exact pruning
(:mod:`employkit.matching.topk`, bounds in :mod:`employkit.matching.bounds`): vacancies
are grouped by province and KECO group, each group's best possible score for a seeker
is bounded, groups are scored in order of their bound and a seeker's search stops when
no group left can beat its k-th best. A pair is left out only by a gate of the score
function (it is then not eligible on every path, one-pair scoring included).

``mode="blocked"`` is the older approximation, kept as an explicit option: it scores
only the pairs inside a block, by two rules read from ``national/scale.toml`` (dated
parameters):

* **region (commute reach)** — a seeker who cannot move is offered vacancies in their own
  province (``matching.block.reach``, ``local``; or their district); a mobile seeker
  (``intake.mobile``) in their wide area (광역권, ``matching.block.wide_areas``) — the
  2021 plan's 지역 내 알선 and 광역 알선 (``seeds/001_9743a8cda015755e.txt#L483-486``);
* **occupation proximity** — the vacancy's KECO code shares the first
  ``matching.block.occupation_digits`` digits with the desired occupation, or the pair
  is in the related-occupation table (``matching.block.related``).

**What blocking leaves out.** A pair outside every block is never scored: it cannot be
recommended, ranked or allocated, whatever its score would have been — a vacancy
scoring 0.9 can be left out while one scoring 0.5 is shown. Each blocked run therefore
measures its recall against the exact lists on a seeded sample of seekers
(:attr:`BlockedScorer.recall`). Within the blocks the blocked mode gives for each seeker
exactly the top ``k`` of the unblocked engine restricted to the seeker's in-block
vacancies — the same scores (the same kernels), ties broken the same way.

The blocked engine groups seekers that share a block (reach, region and the set of
occupations they admit), scores each group against its candidate vacancies as a dense
numpy block of at most ``chunk_cells`` pairs and keeps the top ``k`` per row
(:func:`~employkit.matching.batch.top_k_rows`). Both modes build explanations only for
the pairs asked for (:meth:`BlockedScorer.results`).

>>> import datetime as dt
>>> from employkit.synth import sample_centre
>>> from employkit.testing import make_system
>>> from employkit.matching.scoring import Matcher
>>> data = sample_centre()
>>> matcher = Matcher(make_system(), dt.date(2015, 12, 31))
>>> engine = BlockedScorer(matcher, data.seekers[:200], data.vacancies)
>>> engine.rules.local, engine.rules.mobile, engine.rules.occupation_digits
('province', 'wide_area', 2)
>>> engine.blocks.pairs < 200 * len(data.vacancies)
True
>>> top = engine.top_vacancies(5)
>>> first = engine.results(top)[0]
>>> abs(first.total - float(top.total[0])) < 1e-9
True
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from employkit._version import __version__
from employkit.errors import InvalidArgument, ParameterError
from employkit.explain import Explanation, ParameterUse
from employkit.labels import Text
from employkit.matching.base import ArrayScores, Columns, PairKernel
from employkit.matching.batch import DEFAULT_CHUNK_CELLS, BatchScorer, TopK, top_k_rows
from employkit.matching.bounds import GroupBounds, group_codes
from employkit.matching.columns import SeekerTable, VacancyTable, as_seeker_table, as_vacancy_table
from employkit.matching.kernels import SpreadKernel, distinct_rows, prepare_kernels
from employkit.matching.scoring import Matcher
from employkit.matching.topk import Recall, Search, exact_top, recall_of

if TYPE_CHECKING:
    from employkit.matching.scoring import MatchResult
    from employkit.rules import EvalContext, RuleSystem

__all__ = [
    "BLOCK_RULE",
    "MODES",
    "REACHES",
    "BlockRules",
    "BlockedScorer",
    "Blocks",
    "KernelPlan",
    "NationalScorer",
    "PlanSide",
    "best_seekers",
    "best_vacancies",
    "show_progress",
]

#: The rule id blocking explanations carry (the engine is employkit's, its rules the pack's parameters).
BLOCK_RULE = "matching.block"

#: Reaches, narrowest first.
REACHES = ("district", "province", "wide_area", "national")

_REACH_TEXT = {
    "district": Text("같은 시군구", "the same district"),
    "province": Text("같은 시도", "the same province"),
    "wide_area": Text("같은 광역권", "the same wide area"),
    "national": Text("전국", "the whole country"),
}


def show_progress(progress: bool | None) -> bool:
    """Whether to show a progress bar: ``progress`` if given, else when standard error is a terminal."""
    if progress is not None:
        return progress
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


# --------------------------------------------------------------------------- rules


def _areas(value: Any, pid: str) -> dict[str, str]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ParameterError(f"parameter {pid}: expected a list of areas with a code and provinces")
    out: dict[str, str] = {}
    for n, entry in enumerate(value, 1):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("code"), str) or "provinces" not in entry:
            raise ParameterError(f"parameter {pid}, area {n}: needs a code and provinces")
        for province in entry["provinces"]:
            code = str(province)
            if not (code.isdigit() and len(code) == 2):
                raise ParameterError(f"parameter {pid}, area {entry['code']}: {code!r} is not a 2-digit province code")
            if code in out:
                raise ParameterError(f"parameter {pid}: province {code} is in two areas ({out[code]}, {entry['code']})")
            out[code] = str(entry["code"])
    return out


@functools.lru_cache(maxsize=4096)
def _current(code: str) -> str:
    """The region code in force now for ``code`` (the code itself where the table does not know it)."""
    from employkit.codes import current_region

    try:
        return current_region(code)
    except ValueError:
        return code


@frozen(kw_only=True)
class BlockRules:
    """Which pairs are candidates: the reach of each kind of seeker and occupation proximity.

    ``local`` and ``mobile`` are reaches (:data:`REACHES`); ``wide_areas`` maps a
    province code to its wide area; ``occupation_digits`` (0–4) is how many leading
    KECO digits a candidate shares with the desired occupation; ``related`` lists the
    related-occupation prefix pairs also admitted. Build it from the parameters with
    :meth:`of`; ``explanation`` cites them.
    """

    local: str = field()
    mobile: str = field()
    wide_areas: Mapping[str, str] = field(factory=dict, hash=False)
    occupation_digits: int = 2
    related: tuple[tuple[str, str], ...] = ()
    explanation: Explanation | None = field(default=None, eq=False, hash=False, repr=False)

    @local.validator
    @mobile.validator
    def _reach(self, attribute: Any, value: str) -> None:
        if value not in REACHES:
            raise InvalidArgument(f"{attribute.name} must be one of {', '.join(REACHES)}, not {value!r}")

    @classmethod
    def of(cls, source: Matcher | RuleSystem | EvalContext, as_of: dt.date | None = None) -> BlockRules:
        """The rules in force: from a matcher (its date), a rule system or a context.

        Raises :class:`~employkit.errors.ParameterError` when a parameter is malformed.
        """
        matcher = Matcher.of(source, as_of)
        system, day = matcher.system, matcher.as_of
        uses: list[ParameterUse] = []

        def param(pid: str) -> Any:
            use = system.parameter(pid, day)
            uses.append(use)
            return use.value

        pid = "matching.block.reach"
        reach = param(pid)
        if not isinstance(reach, Mapping) or set(reach) != {"local", "mobile"}:
            raise ParameterError(f"parameter {pid}: expected a table with exactly the keys local and mobile")
        for key in ("local", "mobile"):
            if reach[key] not in REACHES:
                raise ParameterError(f"parameter {pid}.{key}: expected one of {', '.join(REACHES)}, got {reach[key]!r}")
        areas = _areas(param("matching.block.wide_areas"), "matching.block.wide_areas")
        pid = "matching.block.occupation_digits"
        digits = param(pid)
        if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 4:
            raise ParameterError(f"parameter {pid}: expected a whole number from 0 to 4, got {digits!r}")
        pid = "matching.block.related"
        use_related = param(pid)
        if not isinstance(use_related, bool):
            raise ParameterError(f"parameter {pid}: expected true or false, got {use_related!r}")
        related: list[tuple[str, str]] = []
        if use_related and digits > 0:
            for entry in param("matching.occupation.related"):
                if isinstance(entry, Mapping) and "a" in entry and "b" in entry:
                    related.append((str(entry["a"]), str(entry["b"])))
        local, mobile = str(reach["local"]), str(reach["mobile"])
        occupation = (
            Text("직종으로 제한하지 않음", "not restricted by occupation")
            if digits == 0
            else Text(
                f"희망 직종과 KECO 앞 {digits}자리가 같은 구인" + (" 또는 관련 직종 표의 쌍" if related else ""),
                f"vacancies sharing the first {digits} KECO digits with the desired occupation"
                + (", or a pair of the related-occupation table" if related else ""),
            )
        )
        reasons = (
            Text(
                f"지역이동이 어려운 구직자: {_REACH_TEXT[local].ko} 안의 구인이 후보",
                f"seekers who cannot move: candidates in {_REACH_TEXT[local].en}",
            ),
            Text(
                f"지역이동 가능 구직자: {_REACH_TEXT[mobile].ko} 안의 구인이 후보 (광역 알선)",
                f"mobile seekers: candidates in {_REACH_TEXT[mobile].en} (wide-area placement)",
            ),
            occupation,
            Text(
                "어느 블록에도 속하지 않는 쌍은 점수를 매기지 않음 — 추천·배정 대상이 아님",
                "a pair outside every block is never scored — it cannot be recommended or allocated",
            ),
        )
        explanation = Explanation(
            rule_id=BLOCK_RULE,
            pack="employkit",
            pack_version=__version__,
            reasons=reasons,
            as_of=day,
            parameters=tuple(uses),
            inputs={"local": local, "mobile": mobile, "occupation_digits": digits},
        )
        return cls(
            local=local,
            mobile=mobile,
            wide_areas=areas,
            occupation_digits=digits,
            related=tuple(related),
            explanation=explanation,
        )

    def region_key(self, code: str, reach: str) -> str | None:
        """The block key of a region code at ``reach`` (``None``: the code has no district).

        >>> rules = BlockRules(local="province", mobile="wide_area", wide_areas={"11": "capital", "41": "capital"})
        >>> [rules.region_key(code, reach) for code, reach in [("11140", "district"), ("41110", "wide_area")]]
        ['11140', 'capital']
        >>> rules.region_key("26", "wide_area"), rules.region_key("26", "district")
        ('26', None)
        """
        code = _current(code)  # an old code (45710) blocks with its successor (52710)
        if reach == "district":
            return code[:5] if len(code) >= 5 else None
        if reach == "province":
            return code[:2]
        if reach == "wide_area":
            return self.wide_areas.get(code[:2], code[:2])
        return "KR"

    def admits_occupation(self, desired: str | None, occupation: str) -> bool:
        """Whether a seeker wanting ``desired`` may be offered a vacancy in ``occupation``.

        >>> rules = BlockRules(local="province", mobile="wide_area", related=(("542", "5623"),))
        >>> [rules.admits_occupation(d, "5623") for d in ("5611", "5", "5420", "0295", None)]
        [True, True, True, False, True]
        """
        d = self.occupation_digits
        if desired is None or d == 0:
            return True
        m = min(d, len(desired), len(occupation))
        if desired[:m] == occupation[:m]:
            return True
        return any(
            (desired.startswith(a) and occupation.startswith(b)) or (desired.startswith(b) and occupation.startswith(a))
            for a, b in self.related
        )


# --------------------------------------------------------------------------- blocks


def _factorize(values: Sequence[Any]) -> tuple[NDArray[np.intp], list[Any]]:
    seen: dict[Any, int] = {}
    out = np.empty(len(values), dtype=np.intp)
    for i, v in enumerate(values):
        code = seen.get(v)
        if code is None:
            code = seen[v] = len(seen)
        out[i] = code
    return out, list(seen)


class Blocks:
    """The candidate pairs: groups of seekers, each with the vacancies it may be offered.

    Group ``g`` holds the seekers :meth:`seekers` (ascending) that share a reach, a
    region key and the set of occupations they admit; every one of them is offered the
    vacancies :meth:`candidates` (ascending). A seeker is in exactly one group. Build
    with :meth:`build`.
    """

    def __init__(
        self,
        rules: BlockRules,
        n_seekers: int,
        n_vacancies: int,
        group_seekers: Sequence[NDArray[np.intp]],
        group_keys: Sequence[tuple[str, str | None, tuple[str, ...] | None]],
        group_slices: Sequence[tuple[NDArray[np.intp], NDArray[np.intp]]],
        vacancy_order: Mapping[str, NDArray[np.intp]],
    ) -> None:
        self.rules = rules
        self.n_seekers = n_seekers
        self.n_vacancies = n_vacancies
        self._seekers = list(group_seekers)
        self._keys = list(group_keys)
        self._slices = list(group_slices)
        self._order = dict(vacancy_order)

    @classmethod
    def build(cls, seekers: SeekerTable, vacancies: VacancyTable, rules: BlockRules) -> Blocks:
        """Group the seekers of ``seekers`` and find each group's candidates in ``vacancies``."""
        n_s, n_v = len(seekers), len(vacancies)
        # occupations: which vacancy codes each desired code admits (distinct codes only)
        v_occ, v_codes = _factorize(vacancies.occupation.tolist())
        s_occ, s_codes = _factorize(seekers.desired_occupation.tolist())
        classes: dict[tuple[int, ...] | None, int] = {}
        class_codes: list[tuple[int, ...] | None] = []
        code_class = np.empty(len(s_codes), dtype=np.intp)
        for i, desired in enumerate(s_codes):
            if desired is None or rules.occupation_digits == 0:
                admitted: tuple[int, ...] | None = None
            else:
                admitted = tuple(j for j, occ in enumerate(v_codes) if rules.admits_occupation(desired, occ))
            found = classes.get(admitted)
            if found is None:
                found = classes[admitted] = len(class_codes)
                class_codes.append(admitted)
            code_class[i] = found
        s_class = code_class[s_occ] if n_s else np.zeros(0, dtype=np.intp)
        # regions: each seeker's reach and key; the district reach falls back to the province
        reach = np.where(seekers.mobile == 1, rules.mobile, rules.local).astype(object)
        residence = seekers.residence_code.tolist()
        keys = np.empty(n_s, dtype=object)
        for i, (code, r) in enumerate(zip(residence, reach.tolist(), strict=True)):
            if r == "district" and len(code) < 5:
                reach[i] = r = "province"
            keys[i] = rules.region_key(code, r)
        # vacancies of each reach, sorted by (region key, occupation code, index)
        vacancy_order: dict[str, NDArray[np.intp]] = {}
        composite: dict[str, NDArray[np.int64]] = {}
        key_ids: dict[str, dict[str | None, int]] = {}
        regions = vacancies.region_code.tolist()
        for r in sorted(set(reach.tolist())):
            v_keys, names = _factorize([rules.region_key(code, r) for code in regions])
            key_ids[r] = {name: i for i, name in enumerate(names)}
            comp = v_keys.astype(np.int64) * max(len(v_codes), 1) + v_occ
            order = np.argsort(comp, kind="stable").astype(np.intp)
            vacancy_order[r] = order
            composite[r] = comp[order]
        # groups of seekers sharing (reach, key, occupation class)
        first, inverse = distinct_rows([reach, keys, s_class], n_s)
        order = np.argsort(inverse, kind="stable")
        bounds = np.searchsorted(inverse[order], np.arange(len(first) + 1))
        group_seekers: list[NDArray[np.intp]] = []
        group_keys: list[tuple[str, str | None, tuple[str, ...] | None]] = []
        group_slices: list[tuple[NDArray[np.intp], NDArray[np.intp]]] = []
        width = max(len(v_codes), 1)
        for g, row in enumerate(first.tolist()):
            members = order[bounds[g] : bounds[g + 1]].astype(np.intp)
            r, key, cls_id = str(reach[row]), keys[row], int(s_class[row])
            admitted = class_codes[cls_id]
            group_seekers.append(members)
            group_keys.append((r, key, None if admitted is None else tuple(v_codes[j] for j in admitted)))
            kid = key_ids[r].get(key) if key is not None else None
            if kid is None:
                empty = np.zeros(0, dtype=np.intp)
                group_slices.append((empty, empty))
                continue
            if admitted is None:
                lo_keys = np.array([kid * width], dtype=np.int64)
                hi_keys = lo_keys + width
            else:
                lo_keys = kid * width + np.asarray(admitted, dtype=np.int64)
                hi_keys = lo_keys + 1
            comp = composite[r]
            lo = np.searchsorted(comp, lo_keys, side="left").astype(np.intp)
            hi = np.searchsorted(comp, hi_keys, side="left").astype(np.intp)
            keep = hi > lo
            group_slices.append((lo[keep], hi[keep]))
        return cls(rules, n_s, n_v, group_seekers, group_keys, group_slices, vacancy_order)

    def __len__(self) -> int:
        return len(self._seekers)

    def seekers(self, g: int) -> NDArray[np.intp]:
        """The seekers of group ``g``, ascending."""
        return self._seekers[g]

    def key(self, g: int) -> tuple[str, str | None, tuple[str, ...] | None]:
        """Group ``g``'s reach, region key and admitted occupation codes (``None``: all)."""
        return self._keys[g]

    def size(self, g: int) -> int:
        """How many candidate vacancies group ``g`` has."""
        lo, hi = self._slices[g]
        return int((hi - lo).sum())

    def candidates(self, g: int, mask: NDArray[np.bool_] | None = None) -> NDArray[np.intp]:
        """The candidate vacancies of group ``g``, ascending (only those ``mask`` keeps)."""
        lo, hi = self._slices[g]
        if lo.size == 0:
            return np.zeros(0, dtype=np.intp)
        order = self._order[self._keys[g][0]]
        parts = [order[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True)]
        found = np.sort(np.concatenate(parts))  # a slice runs by occupation, then index: sort by index
        return found[mask[found]] if mask is not None else found

    @property
    def pairs(self) -> int:
        """How many pairs are in a block (and will be scored)."""
        return sum(len(s) * self.size(g) for g, s in enumerate(self._seekers))

    def group_of(self) -> NDArray[np.intp]:
        """The group of every seeker."""
        out = np.empty(self.n_seekers, dtype=np.intp)
        for g, members in enumerate(self._seekers):
            out[members] = g
        return out

    def mask(self) -> NDArray[np.bool_]:
        """The dense seekers × vacancies matrix of in-block pairs (for small data and tests)."""
        out = np.zeros((self.n_seekers, self.n_vacancies), dtype=bool)
        for g, members in enumerate(self._seekers):
            out[np.ix_(members, self.candidates(g))] = True
        return out

    def partition_keys(self) -> list[tuple[str, str | None]]:
        """Each group's (reach, region key): the key a distributed run partitions by."""
        return [(r, key) for r, key, _ in self._keys]


# --------------------------------------------------------------------------- scoring


@frozen(eq=False)
class _Columned:
    """A kernel's scoring function with other columns (a slice of the seekers, say)."""

    seeker_columns: Columns
    vacancy_columns: Columns
    inner: PairKernel

    def score(self, seeker: Columns, vacancy: Columns) -> ArrayScores:
        """The inner kernel's scores of the columns given."""
        return self.inner.score(seeker, vacancy)


#: A component whose value depends on fewer distinct combinations than this is tabulated.
TABLE_CELLS = 1 << 22


@frozen(eq=False)
class _Table:
    """One component tabulated over the distinct combinations of its fields.

    ``num`` holds, per (seeker combination, vacancy combination), the component's term
    of the weighted mean's numerator (``w·v`` when counted, else 0); ``den`` its term of
    the denominator (``w`` or 0) — a number when it is the same everywhere, one column
    when it depends on the seeker only, else a table; ``gate`` whether the gate fails
    (``None`` when it never does). Scoring a block is a row lookup and a column take.
    """

    seeker_code: NDArray[np.intp]
    vacancy_code: NDArray[np.intp]
    num: NDArray[np.float64]
    den: float | NDArray[np.float64]
    gate: NDArray[np.bool_] | None

    @classmethod
    def build(cls, kernel: SpreadKernel, weight: float) -> _Table | None:
        inner = kernel.inner
        n_sc = int(kernel.seeker_code.max(initial=-1)) + 1
        n_vc = int(kernel.vacancy_code.max(initial=-1)) + 1
        if n_sc * n_vc > TABLE_CELLS or n_sc == 0 or n_vc == 0:
            return None
        sc = {k: np.asarray(a)[:, None] for k, a in inner.seeker_columns.items()}
        vc = {k: np.asarray(a)[None] for k, a in inner.vacancy_columns.items()}
        r = inner.score(sc, vc)
        shape = (n_sc, n_vc)
        counted = np.broadcast_to(r.counted, shape)
        num = np.ascontiguousarray(np.where(counted, weight * np.broadcast_to(r.values, shape), 0.0))
        den_full = np.where(counted, weight, 0.0)
        den: float | NDArray[np.float64]
        if (den_full == den_full[0, 0]).all():
            den = float(den_full[0, 0])
        elif (den_full == den_full[:, :1]).all():
            den = np.ascontiguousarray(den_full[:, 0])
        else:
            den = np.ascontiguousarray(den_full)
        gate = np.broadcast_to(r.gate, shape)
        return cls(
            kernel.seeker_code,
            kernel.vacancy_code,
            num,
            den,
            np.ascontiguousarray(gate) if gate.any() else None,
        )

    @property
    def inert(self) -> bool:
        """Never counted and never a gate (an advisory component): it adds nothing to any pair."""
        return self.gate is None and isinstance(self.den, float) and self.den == 0.0 and not self.num.any()

    def terms(
        self, seeker_index: NDArray[np.intp], vacancy_index: NDArray[np.intp]
    ) -> tuple[NDArray[np.float64], float | NDArray[np.float64], NDArray[np.bool_] | None]:
        """The numerator terms, denominator terms and gates of a dense block."""
        s = self.seeker_code[seeker_index]
        v = self.vacancy_code[vacancy_index]
        num = np.take(self.num[s], v, axis=1)
        if isinstance(self.den, float):
            den: float | NDArray[np.float64] = self.den
        elif self.den.ndim == 1:
            den = self.den[s][:, None]
        else:
            den = np.take(self.den[s], v, axis=1)
        gate = None if self.gate is None else np.take(self.gate[s], v, axis=1)
        return num, den, gate


@frozen(eq=False)
class KernelPlan:
    """What scoring needs, without the rule system: the kernels and the weights.

    A component prepared from columns (:class:`~employkit.matching.kernels.SpreadKernel`)
    whose fields take few distinct combinations is tabulated once over them; a pair is
    then scored by lookups. The arithmetic is
    :func:`~employkit.matching.batch.combine`'s, term by term in the same order, so the
    totals are the same to the last bit. A component that is never counted and never
    gates (the advisory age) adds exactly nothing and is skipped.

    :meth:`seeker_part` keeps the rows of some seekers only (a partition); the vacancy
    side is shared, so a distributed run sends it once to every worker.
    """

    kernels: tuple[PairKernel | None, ...]
    weights: tuple[float, ...]
    tables: tuple[_Table | None, ...]

    @classmethod
    def of(cls, batch: BatchScorer, tabulate: bool = True) -> KernelPlan:
        """The plan of a batch scorer (``tabulate=False``: score every pair through the kernels)."""
        kernels: list[PairKernel | None] = []
        tables: list[_Table | None] = []
        weights: list[float] = []
        for kernel, w in zip(batch.kernels, batch.weights, strict=True):
            table = _Table.build(kernel, w) if tabulate and isinstance(kernel, SpreadKernel) else None
            if table is not None and table.inert:
                continue
            kernels.append(None if table is not None else kernel)
            tables.append(table)
            weights.append(w)
        return cls(tuple(kernels), tuple(weights), tuple(tables))

    def score_block(
        self, seeker_index: NDArray[np.intp], vacancy_index: NDArray[np.intp]
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """Totals and eligibility of the dense block seekers × vacancies."""
        shape = (seeker_index.shape[0], vacancy_index.shape[0])
        # 0 + x is x exactly (every term is >= 0), so the first terms are taken as they are
        num: NDArray[np.float64] | None = None
        den: NDArray[np.float64] | None = None  # in its own shape (a column when every term is per seeker)
        gate: NDArray[np.bool_] | None = None
        for w, kernel, table in zip(self.weights, self.kernels, self.tables, strict=True):
            if table is not None:
                n_part, d_part, g_part = table.terms(seeker_index, vacancy_index)
            else:
                assert kernel is not None
                sc = {k: a[seeker_index][:, None] for k, a in kernel.seeker_columns.items()}
                vc = {k: a[vacancy_index][None] for k, a in kernel.vacancy_columns.items()}
                r = kernel.score(sc, vc)
                counted = np.broadcast_to(r.counted, shape)
                n_part = np.where(counted, w * np.broadcast_to(r.values, shape), 0.0)
                d_part = np.where(counted, w, 0.0)
                g_part = np.broadcast_to(r.gate, shape)
            if num is None:
                num = n_part if n_part.shape == shape else np.array(np.broadcast_to(n_part, shape))
            else:
                num += n_part
            # the same additions in the same order, element by element, on fewer elements
            den = np.array(d_part, dtype=np.float64) if den is None else den + d_part
            if g_part is not None:
                if gate is None:
                    gate = np.array(np.broadcast_to(g_part, shape))
                else:
                    gate |= g_part
        if num is None or den is None:
            return np.zeros(shape), np.ones(shape, dtype=bool)
        has = den > 0.0
        total = np.where(has, np.minimum(1.0, num / np.where(has, den, 1.0)), 0.0)
        return total, np.ones(shape, dtype=bool) if gate is None else ~gate

    def score_pairs(
        self, seeker_index: NDArray[np.intp], vacancy_index: NDArray[np.intp]
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """Totals and eligibility of the pairs ``(seeker_index[i], vacancy_index[i])``.

        The arithmetic of :meth:`score_block`, element by element: the same totals. The
        two index arrays may be of any shapes that broadcast (one seeker per row against
        a row of vacancies, say); the result has the broadcast shape.
        """
        shape = np.broadcast_shapes(seeker_index.shape, vacancy_index.shape)
        num: NDArray[np.float64] | None = None
        den: NDArray[np.float64] | None = None  # in its own shape (a column when every term is per seeker)
        gate: NDArray[np.bool_] | None = None
        for w, kernel, table in zip(self.weights, self.kernels, self.tables, strict=True):
            if table is not None:
                s = table.seeker_code[seeker_index]
                flat = table.vacancy_code[vacancy_index]  # one take, not a 2-D index
                if flat.shape == shape:
                    flat += s * table.num.shape[1]
                else:
                    flat = s * table.num.shape[1] + flat
                n_part = np.take(table.num, flat)
                t_den = table.den
                d_part: float | NDArray[np.float64] = (
                    t_den if isinstance(t_den, float) else t_den[s] if t_den.ndim == 1 else np.take(t_den, flat)
                )
                g_part = None if table.gate is None else np.take(table.gate, flat)
            else:
                assert kernel is not None
                sc = {k: a[seeker_index] for k, a in kernel.seeker_columns.items()}
                vc = {k: a[vacancy_index] for k, a in kernel.vacancy_columns.items()}
                r = kernel.score(sc, vc)
                counted = np.broadcast_to(r.counted, shape)
                n_part = np.where(counted, w * np.broadcast_to(r.values, shape), 0.0)
                d_part = np.where(counted, w, 0.0)
                g_part = np.broadcast_to(r.gate, shape)
            if num is None:
                fresh = n_part.shape == shape and n_part.dtype == np.float64
                num = n_part if fresh else np.array(np.broadcast_to(n_part, shape), dtype=np.float64)
            else:
                num += n_part
            # the same additions in the same order, element by element, on fewer elements
            den = np.array(d_part, dtype=np.float64) if den is None else den + d_part
            if g_part is not None:
                gate = np.array(np.broadcast_to(g_part, shape)) if gate is None else gate | g_part
        if num is None or den is None:
            return np.zeros(shape), np.ones(shape, dtype=bool)
        has = den > 0.0
        total = np.where(has, np.minimum(1.0, num / np.where(has, den, 1.0)), 0.0)
        return total, np.ones(shape, dtype=bool) if gate is None else ~gate

    def seeker_side(self, index: NDArray[np.intp] | None = None) -> PlanSide:
        """The seekers' half of the plan (only the rows ``index``, when given)."""
        parts: list[Any] = []
        for kernel, table in zip(self.kernels, self.tables, strict=True):
            if table is not None:
                parts.append(table.seeker_code if index is None else table.seeker_code[index])
            else:
                assert kernel is not None
                parts.append(
                    {
                        k: np.asarray(a) if index is None else np.asarray(a)[index]
                        for k, a in kernel.seeker_columns.items()
                    }
                )
        return PlanSide("seekers", self.weights, tuple(parts))

    def vacancy_side(self, index: NDArray[np.intp] | None = None) -> PlanSide:
        """The vacancies' half of the plan, with the scoring functions and tables (rows ``index`` when given)."""
        parts: list[Any] = []
        for kernel, table in zip(self.kernels, self.tables, strict=True):
            if table is not None:
                code = table.vacancy_code if index is None else table.vacancy_code[index]
                parts.append(_Table(np.zeros(0, dtype=np.intp), code, table.num, table.den, table.gate))
            else:
                assert kernel is not None
                columns = {
                    k: np.asarray(a) if index is None else np.asarray(a)[index]
                    for k, a in kernel.vacancy_columns.items()
                }
                parts.append((kernel.inner if isinstance(kernel, _Columned) else kernel, columns))
        return PlanSide("vacancies", self.weights, tuple(parts))

    @classmethod
    def join(cls, seekers: PlanSide, vacancies: PlanSide) -> KernelPlan:
        """The plan of a seekers' half and a vacancies' half (of the same plan)."""
        kernels: list[PairKernel | None] = []
        tables: list[_Table | None] = []
        for s_part, v_part in zip(seekers.parts, vacancies.parts, strict=True):
            if isinstance(v_part, _Table):
                kernels.append(None)
                tables.append(_Table(s_part, v_part.vacancy_code, v_part.num, v_part.den, v_part.gate))
            else:
                inner, columns = v_part
                kernels.append(_Columned(s_part, columns, inner))
                tables.append(None)
        return cls(tuple(kernels), seekers.weights, tuple(tables))

    def seeker_part(self, index: NDArray[np.intp]) -> KernelPlan:
        """The plan for the seekers ``index`` only (row ``i`` of the part is seeker ``index[i]``)."""
        return KernelPlan.join(self.seeker_side(index), self.vacancy_side())


@frozen(eq=False)
class PlanSide:
    """One half of a :class:`KernelPlan`: what a distributed run sends for the seekers or the vacancies."""

    side: str
    weights: tuple[float, ...]
    parts: tuple[Any, ...]


def _ranked(vals: NDArray[np.float64], idx: NDArray[np.intp], k: int) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Per row, the ``k`` best (value descending, index ascending) of the given entries."""
    order = np.lexsort((idx, -vals), axis=-1)[..., :k]
    return np.take_along_axis(idx, order, axis=-1), np.take_along_axis(vals, order, axis=-1)


def best_vacancies(
    plan: KernelPlan,
    seekers: NDArray[np.intp],
    candidates: NDArray[np.intp],
    k: int,
    chunk_cells: int = DEFAULT_CHUNK_CELLS,
    tick: Callable[[int], object] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """For each of ``seekers``, the ``k`` best eligible vacancies among ``candidates`` (ascending).

    Returns ``(vacancies, totals)`` of shape ``(len(seekers), min(k, len(candidates)))``,
    best first, ties by vacancy index; unused places hold ``-1`` and ``-inf``. At most
    ``chunk_cells`` pairs are scored at once.
    """
    width = int(candidates.shape[0])
    kk = min(k, width)
    out_v = np.full((seekers.shape[0], kk), -1, dtype=np.intp)
    out_t = np.full((seekers.shape[0], kk), -np.inf)
    if kk == 0 or seekers.shape[0] == 0:
        return out_v, out_t
    if width <= chunk_cells:
        step = max(1, chunk_cells // width)
        for lo in range(0, seekers.shape[0], step):
            rows = seekers[lo : lo + step]
            total, eligible = plan.score_block(rows, candidates)
            cols, vals = top_k_rows(np.where(eligible, total, -np.inf), kk)
            out_v[lo : lo + rows.shape[0]] = np.where(np.isfinite(vals), candidates[cols], -1)
            out_t[lo : lo + rows.shape[0]] = vals
            if tick is not None:
                tick(rows.shape[0] * width)
        return out_v, out_t
    for r in range(seekers.shape[0]):  # a very wide block: one seeker at a time, columns in pieces
        best_i = np.zeros(0, dtype=np.intp)
        best_t = np.zeros(0)
        for lo in range(0, width, chunk_cells):
            piece = candidates[lo : lo + chunk_cells]
            total, eligible = plan.score_block(seekers[r : r + 1], piece)
            cols, vals = top_k_rows(np.where(eligible, total, -np.inf), kk)
            best_i, best_t = _ranked(np.concatenate([best_t, vals[0]]), np.concatenate([best_i, piece[cols[0]]]), kk)
            if tick is not None:
                tick(piece.shape[0])
        out_v[r, : best_i.shape[0]] = np.where(np.isfinite(best_t), best_i, -1)
        out_t[r, : best_t.shape[0]] = best_t
    return out_v, out_t


def best_seekers(
    plan: KernelPlan,
    seekers: NDArray[np.intp],
    candidates: NDArray[np.intp],
    k: int,
    best: tuple[NDArray[np.intp], NDArray[np.float64]],
    chunk_cells: int = DEFAULT_CHUNK_CELLS,
    tick: Callable[[int], object] | None = None,
) -> None:
    """Merge ``seekers`` (ascending) into the running best ``k`` seekers of each vacancy of ``candidates``.

    ``best`` is ``(seekers, totals)``, one row per vacancy of the whole batch, updated in
    place; ties are broken by seeker index.
    """
    best_i, best_t = best
    width = int(candidates.shape[0])
    if width == 0 or seekers.shape[0] == 0:
        return
    for v_lo in range(0, width, chunk_cells):
        cols = candidates[v_lo : v_lo + chunk_cells]
        step = max(1, chunk_cells // cols.shape[0])
        for lo in range(0, seekers.shape[0], step):
            rows = seekers[lo : lo + step]
            total, eligible = plan.score_block(rows, cols)
            pos, vals = top_k_rows(np.where(eligible, total, -np.inf).T, k)
            found = np.where(np.isfinite(vals), rows[pos], -1)
            merged_i, merged_t = _ranked(
                np.concatenate([best_t[cols], vals], axis=1), np.concatenate([best_i[cols], found], axis=1), k
            )
            best_i[cols, : merged_i.shape[1]] = merged_i
            best_t[cols, : merged_t.shape[1]] = merged_t
            if tick is not None:
                tick(rows.shape[0] * cols.shape[0])


def _topk(direction: str, best_i: NDArray[np.intp], best_t: NDArray[np.float64], rows: NDArray[np.intp]) -> TopK:
    valid = np.isfinite(best_t)
    shape = best_t.shape
    query = np.broadcast_to(rows[:, None], shape)[valid]
    rank = np.broadcast_to(np.arange(1, shape[1] + 1, dtype=np.intp), shape)[valid]
    return TopK(
        direction="vacancies" if direction == "vacancies" else "seekers",
        query=query,
        candidate=best_i[valid],
        rank=rank,
        total=best_t[valid],
    )


@frozen(eq=False)
class _ByVacancy:
    """A plan's dense blocks with the vacancies as rows (the search for top seekers per vacancy)."""

    plan: KernelPlan

    def __call__(self, q: NDArray[np.intp], c: NDArray[np.intp]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        total, eligible = self.plan.score_block(c, q)
        return np.ascontiguousarray(total.T), np.ascontiguousarray(eligible.T)


@frozen(eq=False)
class _PairsByVacancy:
    """A plan's pair scores with the vacancy first."""

    plan: KernelPlan

    def __call__(self, q: NDArray[np.intp], c: NDArray[np.intp]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        return self.plan.score_pairs(c, q)


#: The modes of :class:`BlockedScorer`: the true top-k, or the in-block pairs only.
MODES = ("exact", "blocked")

#: Seekers whose blocked lists are compared with the exact ones when the blocked mode runs.
RECALL_SAMPLE = 2000


class BlockedScorer:
    """Top-k matching of many seekers and vacancies: exact by default, blocked on request.

    ``seekers`` and ``vacancies`` are tables, DataFrames, Arrow tables, mappings of
    columns or records (see :mod:`employkit.matching.columns`); indexes in results are
    their rows.

    ``mode="exact"`` (the default) returns the true top-k of the score function — the
    lists exhaustive scoring would give, ties broken by index — by exact pruning
    (:mod:`employkit.matching.topk`): candidates are grouped by province and the first
    ``group_digits`` KECO digits, groups are scored in order of their bound, and a
    seeker's search stops when no group left can beat its k-th best. ``mode="blocked"``
    scores only the in-block pairs of ``rules`` (default: the parameters in force on the
    matcher's date) — an approximation; each blocked run measures its recall against
    the exact lists on ``recall_sample`` seekers drawn with ``recall_seed``
    (:attr:`recall`, a :class:`~employkit.matching.topk.Recall`; 0 skips it).

    ``progress`` shows a tqdm bar counting pairs (default: when standard error is a
    terminal). ``workers`` score at once — in the exact mode forked processes (threads
    where the platform cannot fork or another thread runs; see
    :func:`~employkit.matching.topk.exact_top`), in the blocked mode threads (numpy
    releases the interpreter lock on its large blocks); the result does not depend on
    it. :attr:`scored_pairs` is the number of pairs the last top-k call scored.
    """

    def __init__(
        self,
        matcher: Matcher,
        seekers: Any,
        vacancies: Any,
        *,
        mode: str = "exact",
        rules: BlockRules | None = None,
        chunk_cells: int = DEFAULT_CHUNK_CELLS,
        progress: bool | None = None,
        workers: int = 1,
        group_digits: int = 2,
        recall_sample: int = RECALL_SAMPLE,
        recall_seed: int = 0,
    ) -> None:
        if mode not in MODES:
            raise InvalidArgument(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if chunk_cells < 1:
            raise InvalidArgument("chunk_cells must be at least 1")
        if workers < 1:
            raise InvalidArgument("workers must be at least 1")
        if not 0 <= group_digits <= 4:
            raise InvalidArgument("group_digits must be from 0 to 4")
        self.mode = mode
        self.workers = workers
        self.matcher = matcher
        self.seeker_table = as_seeker_table(seekers)
        self.vacancy_table = as_vacancy_table(vacancies)
        self._rules = rules
        self.chunk_cells = chunk_cells
        self.progress = progress
        self.group_digits = group_digits
        self.recall_sample = recall_sample
        self.recall_seed = recall_seed
        kernels = prepare_kernels(matcher, self.seeker_table, self.vacancy_table)
        self.batch = BatchScorer(
            matcher, self.seeker_table, self.vacancy_table, chunk_cells=chunk_cells, kernels=kernels
        )
        self.plan = KernelPlan.of(self.batch)
        self._blocks: Blocks | None = None
        self._group_cache: dict[tuple[str, bool], tuple[NDArray[np.intp], int]] = {}
        self.scored_pairs = 0
        self.recall: Recall | None = None

    @property
    def rules(self) -> BlockRules:
        """The blocking rules of the blocked mode (read from the parameters when first asked)."""
        if self._rules is None:
            self._rules = BlockRules.of(self.matcher)
        return self._rules

    @property
    def blocks(self) -> Blocks:
        """The blocks of the blocked mode (built when first asked)."""
        if self._blocks is None:
            self._blocks = Blocks.build(self.seeker_table, self.vacancy_table, self.rules)
        return self._blocks

    @property
    def shape(self) -> tuple[int, int]:
        """(number of seekers, number of vacancies)."""
        return len(self.seeker_table), len(self.vacancy_table)

    def _bar(self, total: int, what: str) -> tuple[Callable[[int], object] | None, Callable[[], object]]:
        if not show_progress(self.progress):
            return None, lambda: None
        from tqdm import tqdm

        bar = tqdm(total=total, desc=what, unit="pair", unit_scale=True, file=sys.stderr)
        return bar.update, bar.close

    def _groups(self, wanted: NDArray[np.bool_] | None) -> Iterator[tuple[int, NDArray[np.intp]]]:
        for g in range(len(self.blocks)):
            members = self.blocks.seekers(g)
            if wanted is not None:
                members = members[wanted[members]]
            if members.size:
                yield g, members

    # ------------------------------------------------------------------ exact

    def candidate_groups(self, direction: str, fine: bool = False) -> tuple[NDArray[np.intp], int]:
        """The group of every candidate: vacancies (``"vacancies"``) or seekers (``"seekers"``).

        Coarse groups: vacancies by province and the first ``group_digits`` KECO digits of
        the occupation; seekers by province of residence, the digits of the desired
        occupation and mobility. Fine groups (``fine=True``) split them by district and
        one more KECO digit. Any grouping gives the same (exact) result; this one makes
        the bounds of occupation and place tight.
        """
        key = ("vacancies" if direction == "vacancies" else "seekers", fine)
        if key not in self._group_cache:  # the search and the query keys both ask
            self._group_cache[key] = self._candidate_groups(direction, fine)
        return self._group_cache[key]

    def _candidate_groups(self, direction: str, fine: bool) -> tuple[NDArray[np.intp], int]:
        d = self.group_digits + (1 if fine else 0)
        r = 5 if fine else 2
        if direction == "vacancies":
            v = self.vacancy_table
            keys = [
                np.array([str(c)[:r] for c in v.region_code.tolist()], dtype=object),
                np.array([None if c is None else str(c)[:d] for c in v.occupation.tolist()], dtype=object),
            ]
            return group_codes(keys, len(v))
        s = self.seeker_table
        keys = [
            np.array([str(c)[:r] for c in s.residence_code.tolist()], dtype=object),
            np.array([None if c is None else str(c)[:d] for c in s.desired_occupation.tolist()], dtype=object),
            np.asarray(s.mobile),
        ]
        return group_codes(keys, len(s))

    def search(self, direction: str, mask: NDArray[np.bool_] | None = None) -> Search:
        """The exact search for one direction, its candidates restricted to ``mask``."""
        side: Literal["vacancies", "seekers"] = "vacancies" if direction == "vacancies" else "seekers"
        groups = []
        for fine in (False, True):
            group, n_groups = self.candidate_groups(side, fine)
            groups.append((group if mask is None else np.where(mask, group, -1), n_groups))
        (c_group, n_coarse), (f_group, n_fine) = groups
        parent = np.full(n_fine, -1, dtype=np.intp)  # a fine group lies inside one coarse group
        parent[f_group[f_group >= 0]] = c_group[f_group >= 0]
        # fine groups numbered coarse group by coarse group: the bounds of the fine groups a
        # coarse group holds are then side by side in every table (read as runs, not scattered)
        by_parent = np.argsort(parent, kind="stable")
        number = np.empty(n_fine, dtype=np.intp)
        number[by_parent] = np.arange(n_fine, dtype=np.intp)
        f_group = np.where(f_group >= 0, number[np.maximum(f_group, 0)], -1)
        parent = parent[by_parent]
        c_bounds, f_bounds = GroupBounds.levels(self.plan, side, f_group, n_fine, (parent, n_coarse))
        levels = [(c_group, c_bounds), (f_group, f_bounds)]
        if side == "vacancies":
            return Search.build(
                self.plan.score_block, self.plan.score_pairs, levels[0], levels[1], self.query_key(side)
            )
        return Search.build(
            _ByVacancy(self.plan), _PairsByVacancy(self.plan), levels[0], levels[1], self.query_key(side)
        )

    def query_key(self, direction: str) -> NDArray[np.int64]:
        """Keys that put similar queries side by side: per query its coarse and its fine group.

        Queries are seekers for ``"vacancies"`` and vacancies for ``"seekers"``: the
        groups :meth:`candidate_groups` gives the other side.
        """
        other = "seekers" if direction == "vacancies" else "vacancies"
        coarse, _ = self.candidate_groups(other, False)
        fine, _ = self.candidate_groups(other, True)
        return np.stack([coarse.astype(np.int64), fine.astype(np.int64)], axis=1)

    def _exact(self, search: Search, queries: NDArray[np.intp], k: int) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        tick, close = self._bar(0, "matching (exact)")
        try:
            best_i, best_t, scored = exact_top(
                search, queries, k, chunk_cells=self.chunk_cells, workers=self.workers, tick=tick
            )
        finally:
            close()
        self.scored_pairs = scored
        return best_i, best_t

    def measure_recall(
        self, k: int, lists: tuple[NDArray[np.intp], NDArray[np.float64]], vacancy_mask: NDArray[np.bool_] | None
    ) -> Recall:
        """The recall of blocked lists (one row per seeker) against the exact ones on a seeded sample."""
        n_s = self.shape[0]
        rng = np.random.default_rng(self.recall_seed)
        pick = np.sort(rng.choice(n_s, size=min(self.recall_sample, n_s), replace=False)).astype(np.intp)
        scored = self.scored_pairs
        exact = self._exact(self.search("vacancies", vacancy_mask), pick, k)
        self.scored_pairs = scored
        return recall_of((lists[0][pick], lists[1][pick]), exact, k=k, seed=self.recall_seed)

    # ------------------------------------------------------------------ top-k

    def top_vacancies(
        self,
        k: int,
        *,
        vacancy_mask: NDArray[np.bool_] | None = None,
        seekers: Sequence[int] | NDArray[np.intp] | None = None,
    ) -> TopK:
        """For each seeker (or the ``seekers`` given), the ``k`` best eligible vacancies.

        Exact mode: the true top ``k``; blocked mode: the best in-block ones (and
        :attr:`recall` measured). ``vacancy_mask`` (one bool per vacancy) removes
        candidates (filters). Rows are ordered by seeker, then rank; ties are broken by
        vacancy index.
        """
        if k < 1:
            raise InvalidArgument("k must be at least 1")
        n_s, n_v = self.shape
        mask = _mask(vacancy_mask, n_v)
        wanted = _wanted(seekers, n_s)
        rows = np.arange(n_s, dtype=np.intp)
        if wanted is not None:
            rows = rows[wanted]
        if self.mode == "exact":
            best_i, best_t = self._exact(self.search("vacancies", mask), rows, k)
            return _topk("vacancies", best_i, best_t, rows)
        best_i = np.full((n_s, k), -1, dtype=np.intp)
        best_t = np.full((n_s, k), -np.inf)
        tick, close = self._bar(self.blocks.pairs, "matching (blocked)")
        scored = [0]

        def run(item: tuple[int, NDArray[np.intp]]) -> None:
            g, members = item
            cands = self.blocks.candidates(g, mask)
            found_i, found_t = best_vacancies(self.plan, members, cands, k, self.chunk_cells, tick)
            best_i[members, : found_i.shape[1]] = found_i  # groups hold different seekers: no overlap
            best_t[members, : found_t.shape[1]] = found_t
            scored[0] += members.shape[0] * cands.shape[0]

        try:
            if self.workers == 1:
                for item in self._groups(wanted):
                    run(item)
            else:
                from concurrent.futures import ThreadPoolExecutor

                items = sorted(self._groups(wanted), key=lambda gm: -gm[1].shape[0] * self.blocks.size(gm[0]))
                with ThreadPoolExecutor(self.workers) as pool:
                    for _ in pool.map(run, items):
                        pass
        finally:
            close()
        self.scored_pairs = scored[0]
        if self.recall_sample > 0 and wanted is None and n_s:
            self.recall = self.measure_recall(k, (best_i, best_t), mask)
        if wanted is not None:
            best_i, best_t = best_i[wanted], best_t[wanted]
        return _topk("vacancies", best_i, best_t, rows)

    def top_seekers(
        self,
        k: int,
        *,
        seeker_mask: NDArray[np.bool_] | None = None,
        vacancy_mask: NDArray[np.bool_] | None = None,
    ) -> TopK:
        """For each vacancy, the ``k`` best eligible seekers (exact, or among those whose blocks reach it).

        ``seeker_mask`` removes candidates, ``vacancy_mask`` vacancies (they get no list).
        Ties are broken by seeker index.
        """
        if k < 1:
            raise InvalidArgument("k must be at least 1")
        n_s, n_v = self.shape
        mask = _mask(vacancy_mask, n_v)
        wanted = _mask(seeker_mask, n_s)
        if self.mode == "exact":
            rows = np.arange(n_v, dtype=np.intp)
            if mask is not None:
                rows = rows[mask]
            best_i, best_t = self._exact(self.search("seekers", wanted), rows, k)
            return _topk("seekers", best_i, best_t, rows)
        best_i = np.full((n_v, k), -1, dtype=np.intp)
        best_t = np.full((n_v, k), -np.inf)
        tick, close = self._bar(self.blocks.pairs, "matching (blocked)")
        scored = 0
        try:
            for g, members in self._groups(wanted):
                cands = self.blocks.candidates(g, mask)
                best_seekers(self.plan, members, cands, k, (best_i, best_t), self.chunk_cells, tick)
                scored += members.shape[0] * cands.shape[0]
        finally:
            close()
        self.scored_pairs = scored
        return _topk("seekers", best_i, best_t, np.arange(n_v, dtype=np.intp))

    def results(self, top: TopK) -> list[MatchResult]:
        """The full :class:`~employkit.matching.scoring.MatchResult` of each returned pair, in order.

        Records are built for these pairs only.
        """
        return self.batch.results(top)


#: The engine under the name of what it does by default.
NationalScorer = BlockedScorer


def _mask(mask: NDArray[np.bool_] | None, n: int) -> NDArray[np.bool_] | None:
    if mask is None:
        return None
    out = np.asarray(mask, dtype=bool)
    if out.shape != (n,):
        raise InvalidArgument(f"the mask must have one entry per row ({n})")
    return out


def _wanted(rows: Sequence[int] | NDArray[np.intp] | None, n: int) -> NDArray[np.bool_] | None:
    if rows is None:
        return None
    out = np.zeros(n, dtype=bool)
    out[np.asarray(rows, dtype=np.intp)] = True
    return out
