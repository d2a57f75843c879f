"""Which protected attributes the active rules declare and read, and whether the centre allows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from employkit.accountability.audit.records import Flag, ProtectedUse
from employkit.errors import EmploykitError
from employkit.labels import Text
from employkit.profiling.base import PROTECTED_ATTRIBUTES, SeekerProfile

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.rules import EvalContext, RuleSystem


def _declared(typology: Any, system: RuleSystem, as_of: dt.date) -> tuple[str, ...]:
    """The protected attributes a scored typology's model names (whether or not allowed)."""
    from employkit.profiling.scorers import FEATURES, LinearModel, ScoredTypology

    if not isinstance(typology, ScoredTypology):
        return ()
    try:
        model = LinearModel.parse(typology.scorer.model, system.parameter(typology.scorer.model, as_of).value)
    except EmploykitError:
        return ()
    return tuple(sorted({p for name, _ in model.weights if (p := FEATURES[name].protected)}))


def _protected(
    data: Dataset,
    system: RuleSystem,
    ctx: EvalContext,
    audited: Mapping[str, Sequence[SeekerProfile]],
    flags: list[Flag],
    notes: list[Text],
) -> list[ProtectedUse]:
    from employkit.profiling.api import profile_dataset
    from employkit.profiling.scorers import allowed_protected

    allowed = tuple(sorted(allowed_protected(ctx)))
    out: list[ProtectedUse] = []
    for typology in system.seeker_typologies(ctx.as_of):
        rid = typology.meta.rule_id
        origin, _ = system.provenance(rid)
        declared = _declared(typology, system, ctx.as_of)
        profiles = audited.get(rid)
        if profiles is None:
            try:
                profiles = profile_dataset(data, system, ctx.as_of, rid).profiles
            except EmploykitError as exc:
                notes.append(
                    Text(f"{rid}: 보호 속성 점검 실패 — {exc}", f"{rid}: protected-attribute check failed — {exc}")
                )
                profiles = ()
        used = tuple(sorted({a for p in profiles for a in p.protected_used}))
        out.append(_typology_statement(rid, origin.name, origin.version, declared, used, allowed, flags))
    for c in system.match_components(ctx.as_of):
        origin, _ = system.provenance(c.meta.rule_id)
        if c.key in PROTECTED_ATTRIBUTES:
            on = bool(ctx.setting("matching", f"use_{c.key}"))
            statement = (
                Text(
                    f"{c.key} 점수 반영: 센터 설정 [matching] use_{c.key} = true 로 허용",
                    f"{c.key} counted: allowed by the centre's [matching] use_{c.key} = true",
                )
                if on
                else Text(
                    f"{c.key}: 상담사에게 표시만 하고 점수에 반영하지 않음 ([matching] use_{c.key} 미설정)",
                    f"{c.key}: shown to the counsellor, not counted ([matching] use_{c.key} not set)",
                )
            )
            out.append(
                ProtectedUse(
                    family="match_component",
                    rule_id=c.meta.rule_id,
                    pack=origin.name,
                    pack_version=origin.version,
                    declared=(c.key,),
                    used=(c.key,) if on else (),
                    allowed=(c.key,) if on else (),
                    evaluated=True,
                    statement=statement,
                )
            )
        else:
            out.append(
                ProtectedUse(
                    family="match_component",
                    rule_id=c.meta.rule_id,
                    pack=origin.name,
                    pack_version=origin.version,
                    declared=(),
                    used=(),
                    allowed=(),
                    evaluated=True,
                    statement=Text("보호 속성을 읽지 않음", "reads no protected attribute"),
                )
            )
    return out


def _typology_statement(
    rid: str,
    pack: str,
    version: str,
    declared: tuple[str, ...],
    used: tuple[str, ...],
    allowed: tuple[str, ...],
    flags: list[Flag],
) -> ProtectedUse:
    parts_ko: list[str] = []
    parts_en: list[str] = []
    without = sorted(set(used) - set(allowed))
    with_permission = sorted(set(used) & set(allowed))
    left_out = sorted(set(declared) - set(used))
    if with_permission:
        parts_ko.append(f"사용: {', '.join(with_permission)} — 센터 설정 [profiling] allow_protected 에서 허용")
        parts_en.append(f"uses {', '.join(with_permission)} — allowed by the centre's [profiling] allow_protected")
    if without:
        parts_ko.append(f"사용: {', '.join(without)} — 센터 설정에서 허용하지 않았음")
        parts_en.append(f"uses {', '.join(without)} although the configuration does not allow it")
        for a in without:
            flags.append(
                Flag(
                    section="protected",
                    attribute=a,
                    group="*",
                    measure="protected_without_permission",
                    value=None,
                    threshold=None,
                    reference=None,
                    rule_reads_attribute=True,
                    reason=Text(
                        f"{rid} ({pack} {version}) 이(가) 허용되지 않은 보호 속성 {a} 을(를) 사용함",
                        f"{rid} ({pack} {version}) uses the protected attribute {a}, "
                        "which the configuration does not allow",
                    ),
                )
            )
    if left_out:
        parts_ko.append(f"모형에 있으나 제외: {', '.join(left_out)} (허용되지 않음)")
        parts_en.append(f"named by its model but left out: {', '.join(left_out)} (not allowed)")
    if not parts_en:
        parts_ko.append("보호 속성을 사용하지 않음")
        parts_en.append("uses no protected attribute")
    return ProtectedUse(
        family="seeker_typology",
        rule_id=rid,
        pack=pack,
        pack_version=version,
        declared=declared,
        used=used,
        allowed=allowed,
        evaluated=True,
        statement=Text("; ".join(parts_ko), "; ".join(parts_en)),
    )
