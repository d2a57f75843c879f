"""Skills and certificates: the essential and optional skills and the required certificates held."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.matching.base import ArrayScores, Columns, ComponentScore, Kernel, Pair
from employkit.national.matching.common import FLAG_LABELS, memo, meta, positive_parts, switch
from employkit.packs import RuleMeta

if TYPE_CHECKING:
    from employkit.rules import EvalContext

__all__ = ["SKILLS_META", "SkillsComponent"]


def _norm(text: str) -> str:
    return text.strip().casefold()


@frozen
class _SkillsParams:
    essential: float
    optional: float
    certificates: float
    gate: bool


@memo("matching.skills.parts", "matching.gate.licence")
def _skills_params(ctx: EvalContext) -> _SkillsParams:
    parts = positive_parts(ctx, "matching.skills.parts", ("essential", "optional", "certificates"))
    return _SkillsParams(
        parts["essential"], parts["optional"], parts["certificates"], switch(ctx, "matching.gate.licence")
    )


def _listing(names: Iterable[str]) -> str:
    return ", ".join(sorted(names)) or "-"


SKILLS_META = meta(
    "skills",
    "기술·자격 적합도",
    "skills and certificates fit",
    ["matching.weight.skills", "matching.skills.parts", "matching.gate.licence"],
    SourceRef("seeds/003_cafe3b9757853c08.txt", "L151-152", "관련 전문기술을 소지한 경우가 적어 연계에 어려움"),
    Text("필수·우대 기술과 자격 보유", "essential and optional skills and certificates held"),
)

#: The three parts: (what the vacancy asks, what the seeker holds, its label, is it the certificates).
_PARTS = (
    ("required_skills", "skills", Text("필수 기술", "essential skills")),
    ("optional_skills", "skills", Text("우대 기술", "optional skills")),
    ("required_certificates", "certificates", Text("필수 자격", "required certificates")),
)


def _vectors(sets: Sequence[Iterable[str]], index: Mapping[str, int]) -> NDArray[np.float64]:
    out = np.zeros((len(sets), len(index)))
    for row, names in enumerate(sets):
        for name in names:
            col = index.get(_norm(name))
            if col is not None:
                out[row, col] = 1.0
    return out


@frozen
class SkillsComponent:
    """Skills and certificates: essential and optional skills and required certificates held.

    A part counts only when the vacancy asks for something of its kind and the seeker's
    record lists any of that kind (an empty list is "not recorded", never "none held");
    the value is the parts' weighted mean (``matching.skills.parts``) of the share held.
    A required certificate the seeker's recorded certificates lack fails the gate
    ``matching.gate.licence`` (when switched on); when the seeker has no certificates
    recorded, the pair is flagged ``certificates_unverified`` instead.
    """

    meta: RuleMeta = SKILLS_META
    key: str = "skills"
    seeker_fields: tuple[str, ...] = ("skills", "certificates")
    vacancy_fields: tuple[str, ...] = ("required_skills", "required_certificates", "optional_skills")
    flag_labels: Mapping[str, Text] = FLAG_LABELS

    def kernel(self, seekers: Columns, vacancies: Columns, ctx: EvalContext) -> Kernel:
        """Columns: 0/1 vectors over the skills and certificates the vacancies ask for."""
        p = _skills_params(ctx)
        essential, optional = vacancies["required_skills"].tolist(), vacancies["optional_skills"].tolist()
        certs = vacancies["required_certificates"].tolist()
        sk = {n: i for i, n in enumerate(sorted({_norm(x) for s in (*essential, *optional) for x in s}))}
        ck = {n: i for i, n in enumerate(sorted({_norm(x) for s in certs for x in s}))}
        skills, held_certs = seekers["skills"].tolist(), seekers["certificates"].tolist()
        s_cols = {
            "skills": _vectors(skills, sk),
            "skills_n": np.array([len(s) for s in skills], dtype=np.float64),
            "certs": _vectors(held_certs, ck),
            "certs_n": np.array([len(s) for s in held_certs], dtype=np.float64),
        }
        v_cols = {
            "essential": _vectors(essential, sk),
            "essential_n": np.array([len(s) for s in essential], dtype=np.float64),
            "optional": _vectors(optional, sk),
            "optional_n": np.array([len(s) for s in optional], dtype=np.float64),
            "certs": _vectors(certs, ck),
            "certs_n": np.array([len(s) for s in certs], dtype=np.float64),
        }

        def function(s: Columns, v: Columns) -> ArrayScores:
            num: Any = 0.0
            den: Any = 0.0
            gate: Any = np.False_
            for held, held_n, asked, asked_n, weight, is_cert in (
                ("skills", "skills_n", "essential", "essential_n", p.essential, False),
                ("skills", "skills_n", "optional", "optional_n", p.optional, False),
                ("certs", "certs_n", "certs", "certs_n", p.certificates, True),
            ):
                n_asked = v[asked_n]
                present = (n_asked > 0) & (s[held_n] > 0)
                if not np.any(present):
                    continue
                have = _count_held(s[held], v[asked])
                share = have / np.where(present, n_asked, 1.0)
                num = num + np.where(present, weight * share, 0.0)
                den = den + np.where(present, weight, 0.0)
                if is_cert and p.gate:
                    gate = gate | (present & (have < n_asked))
            counted = np.asarray(den) > 0.0
            value = np.where(counted, num / np.where(counted, den, 1.0), 0.0)
            return ArrayScores(values=value, counted=counted, gate=gate)

        return Kernel(s_cols, v_cols, function)

    def explain(self, pair: Pair, ctx: EvalContext) -> ComponentScore:
        """Per part, how many of the items asked the seeker holds, and which are missing."""
        _skills_params(ctx)
        inputs: dict[str, Any] = {
            "skills": pair.seeker["skills"],
            "certificates": pair.seeker["certificates"],
            "required_skills": pair.vacancy["required_skills"],
            "optional_skills": pair.vacancy["optional_skills"],
            "required_certificates": pair.vacancy["required_certificates"],
        }
        if not any(inputs[asked] for asked, _, _ in _PARTS):
            lead = Text("요구 기술·자격 없음", "the vacancy asks for no skills or certificates")
            return pair.result(self, ctx, [lead], inputs)
        reasons: list[Text] = []
        flags: list[str] = []
        for asked, holds, kind in _PARTS:
            names: frozenset[str] = inputs[asked]
            if not names:
                continue
            if not inputs[holds]:
                reasons.append(
                    Text(
                        f"{kind.ko} {len(names)}개 요구, 구직자 기록 없음(부분 제외): {_listing(names)}",
                        f"{kind.en}: {len(names)} asked, none recorded for the seeker (part left out): "
                        f"{_listing(names)}",
                    )
                )
                if holds == "certificates":
                    flags.append("certificates_unverified")
                continue
            held = {_norm(x) for x in inputs[holds]}
            lacking = [n for n in names if _norm(n) not in held]
            reasons.append(
                Text(
                    f"{kind.ko} {len(names)}개 중 {len(names) - len(lacking)}개 보유; 부족: {_listing(lacking)}",
                    f"{kind.en}: holds {len(names) - len(lacking)} of {len(names)}; missing: {_listing(lacking)}",
                )
            )
            if holds == "certificates" and pair.gate:
                reasons.append(
                    Text(
                        "필수 자격(면허) 미보유 — 관문 불통과(추천 제외)",
                        "required licence missing — gate failed (not recommended)",
                    )
                )
        if not pair.counted:
            lead = Text("구직자의 기술·자격 미기록", "the seeker's skills and certificates are not recorded")
            return pair.result(self, ctx, [lead, *reasons], inputs, flags=flags)
        return pair.result(self, ctx, reasons, inputs, flags=flags)


def _count_held(held: NDArray[np.float64], asked: NDArray[np.float64]) -> NDArray[np.float64]:
    """Per pair, how many of the asked items are held (0/1 vectors on the last axis)."""
    if held.shape[-1] == 0:
        return np.zeros(np.broadcast_shapes(held.shape[:-1], asked.shape[:-1]))
    if held.ndim == 3 and asked.ndim == 3:
        if held.shape[1] == 1 and asked.shape[0] == 1:  # seekers down, vacancies across
            result: NDArray[np.float64] = held[:, 0, :] @ asked[0].T
            return result
        if held.shape[0] == 1 and asked.shape[1] == 1:  # vacancies down, seekers across
            result = asked[:, 0, :] @ held[0].T
            return result
    result = np.einsum("...k,...k->...", held, asked)
    return result
