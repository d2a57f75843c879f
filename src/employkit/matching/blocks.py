"""Blocking rules: which seeker–vacancy pairs the approximate blocked mode scores.

:class:`~employkit.matching.blocking.BlockedScorer` returns the exact top-k by default;
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
(:attr:`BlockedScorer.recall <employkit.matching.blocking.BlockedScorer.recall>`).

:class:`BlockRules` reads the rules from the parameters in force and explains them;
:class:`Blocks` groups the seekers that share a block (reach, region and the set of
occupations they admit) and finds each group's candidate vacancies. The groups are
scored by :func:`~employkit.matching.plan.best_vacancies` and
:func:`~employkit.matching.plan.best_seekers`.

>>> rules = BlockRules(local="province", mobile="wide_area", wide_areas={"11": "capital", "41": "capital"})
>>> rules.region_key("41110", "wide_area"), rules.admits_occupation("5611", "5623")
('capital', True)
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from employkit._version import __version__
from employkit.errors import InvalidArgument, ParameterError
from employkit.explain import Explanation, ParameterUse
from employkit.labels import Text
from employkit.matching.columns import SeekerTable, VacancyTable, distinct_rows
from employkit.matching.scoring import Matcher

if TYPE_CHECKING:
    from employkit.rules import EvalContext, RuleSystem

__all__ = ["BLOCK_RULE", "REACHES", "BlockRules", "Blocks"]

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
