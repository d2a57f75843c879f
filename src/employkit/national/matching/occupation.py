"""Occupation: the KECO distance between the wanted and the offered occupation, raised by related pairs."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import frozen

from employkit.codes import keco_distance
from employkit.errors import ParameterError
from employkit.labels import Text
from employkit.matching.base import ArrayScores, Columns, ComponentScore, Kernel, Pair
from employkit.national.matching.common import DOC_MISMATCH, FLAG_LABELS, memo, meta, number, occupation_text
from employkit.packs import RuleMeta

if TYPE_CHECKING:
    from employkit.rules import EvalContext

__all__ = ["OCCUPATION_META", "OccupationComponent"]


@frozen
class _Related:
    a: str
    b: str
    value: float
    note: str

    def applies(self, seeker: str, vacancy: str) -> bool:
        return (seeker.startswith(self.a) and vacancy.startswith(self.b)) or (
            seeker.startswith(self.b) and vacancy.startswith(self.a)
        )


@memo("matching.occupation.by_distance", "matching.occupation.related")
def _occupation_params(ctx: EvalContext) -> tuple[tuple[float, ...], tuple[_Related, ...]]:
    pid = "matching.occupation.by_distance"
    raw = ctx.param(pid)
    if not isinstance(raw, Sequence) or isinstance(raw, str) or len(raw) != 5:
        raise ParameterError(f"parameter {pid}: expected five values (KECO distance 0 to 4)")
    values = tuple(number(v, pid, 0.0, 1.0) for v in raw)
    if any(later > earlier for earlier, later in itertools.pairwise(values)):
        raise ParameterError(f"parameter {pid}: values must not increase with distance, got {list(values)}")
    rid = "matching.occupation.related"
    related = []
    for n, entry in enumerate(ctx.param(rid), 1):
        if not isinstance(entry, Mapping) or not {"a", "b", "value"} <= set(entry):
            raise ParameterError(f"parameter {rid}, entry {n}: needs a, b and value")
        a, b = str(entry["a"]), str(entry["b"])
        if not (a.isdigit() and b.isdigit()):
            raise ParameterError(f"parameter {rid}, entry {n}: a and b must be KECO code prefixes (digits)")
        related.append(
            _Related(a, b, number(entry["value"], f"{rid}[{n}].value", 0.0, 1.0), str(entry.get("note", "")))
        )
    return values, tuple(related)


def _occupation_value(
    seeker: str, vacancy: str, by_distance: Sequence[float], related: Sequence[_Related]
) -> tuple[float, int, int]:
    """The value, the KECO distance and the related pair that raised it (-1: none)."""
    distance = 0 if seeker == vacancy else max(1, keco_distance(seeker[:4], vacancy[:4]))
    value = by_distance[distance]
    used = -1
    for n, rel in enumerate(related):
        if rel.value > value and rel.applies(seeker, vacancy):
            value, used = rel.value, n
    return value, distance, used


_LEVEL_TEXT = (
    Text("같은 직종", "the same occupation"),
    Text("같은 소분류(3자리)", "the same minor group (3 digits)"),
    Text("같은 중분류(2자리)", "the same middle group (2 digits)"),
    Text("같은 대분류(1자리)", "the same major group (1 digit)"),
    Text("다른 대분류", "different major groups"),
)


OCCUPATION_META = meta(
    "occupation",
    "직종 적합도",
    "occupation fit",
    ["matching.weight.occupation", "matching.occupation.by_distance", "matching.occupation.related"],
    DOC_MISMATCH,
    Text("희망 직종과 구인 직종의 KECO 거리", "KECO distance between the wanted and the offered occupation"),
)


@frozen
class OccupationComponent:
    """Occupation: distance in the KECO hierarchy, raised by related-occupation pairs."""

    meta: RuleMeta = OCCUPATION_META
    key: str = "occupation"
    seeker_fields: tuple[str, ...] = ("desired_occupation",)
    vacancy_fields: tuple[str, ...] = ("occupation",)
    flag_labels: Mapping[str, Text] = FLAG_LABELS

    def kernel(self, seekers: Columns, vacancies: Columns, ctx: EvalContext) -> Kernel:
        """Columns: indexes into the distinct codes; the value, distance and related pair of every code pair."""
        by_distance, related = _occupation_params(ctx)
        wanted: list[Any] = seekers["desired_occupation"].tolist()
        offered: list[Any] = vacancies["occupation"].tolist()
        s_codes = sorted({c for c in wanted if c is not None})
        v_codes = sorted(set(offered))
        s_pos = {c: i for i, c in enumerate(s_codes)}
        v_pos = {c: i for i, c in enumerate(v_codes)}
        shape = (len(s_codes) + 1, max(len(v_codes), 1))
        value, distance, used = np.zeros(shape), np.zeros(shape, dtype=np.int8), np.full(shape, -1, dtype=np.int16)
        for i, a in enumerate(s_codes):
            for j, b in enumerate(v_codes):
                value[i, j], distance[i, j], used[i, j] = _occupation_value(a, b, by_distance, related)
        missing = len(s_codes)
        s_idx = np.array([missing if c is None else s_pos[c] for c in wanted], dtype=np.intp)
        v_idx = np.array([v_pos[c] for c in offered], dtype=np.intp)

        def function(s: Columns, v: Columns) -> ArrayScores:
            si, vi = s["occupation"], v["occupation"]
            return ArrayScores(
                values=value[si, vi],
                counted=si != missing,
                gate=np.False_,
                details={"distance": distance[si, vi], "related": used[si, vi]},
            )

        return Kernel({"occupation": s_idx}, {"occupation": v_idx}, function)

    def explain(self, pair: Pair, ctx: EvalContext) -> ComponentScore:
        """The KECO levels of the two codes, and the related pair that raised the value."""
        by_distance, related = _occupation_params(ctx)
        wanted, offered = pair.seeker["desired_occupation"], pair.vacancy["occupation"]
        inputs = {"desired_occupation": wanted, "occupation": offered}
        if wanted is None:
            return pair.result(self, ctx, [Text("희망 직종 미기록", "desired occupation not recorded")], inputs)
        distance, used = int(pair.detail("distance")), int(pair.detail("related"))
        want, offer, level = occupation_text(wanted), occupation_text(offered), _LEVEL_TEXT[distance]
        reasons = [
            Text(
                f"희망 {want.ko}, 구인 {offer.ko}: {level.ko} (KECO 거리 {distance}/4)",
                f"wants {want.en}, vacancy is {offer.en}: {level.en} (KECO distance {distance} of 4)",
            )
        ]
        if used >= 0:
            rel, value = related[used], pair.value
            reasons.append(
                Text(
                    f"관련 직종 표({rel.a}↔{rel.b}, {rel.note}): {by_distance[distance]:.2f} → {value:.2f}",
                    f"related occupations ({rel.a}↔{rel.b}, {rel.note}): {by_distance[distance]:.2f} → {value:.2f}",
                )
            )
        return pair.result(self, ctx, reasons, {**inputs, "keco_distance": distance})
