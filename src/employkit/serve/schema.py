"""JSON Schemas of employkit's records, generated from the attrs model that validates them.

Requests are validated by :func:`employkit.converter.structure` — the library's one
edge — and this module describes the same classes for OpenAPI 3.1, so the schema and
the validator cannot drift apart: every field with its type, whether it is required,
enums with their codes and Korean and English labels, dates (``format: date``), money
(``x-unit: KRW/month``), hours, and the ranges the validators enforce. Checks that
involve two fields (a contract end before the start) are in the descriptions; the
validator reports them as problems.

>>> from employkit.model import Vacancy
>>> s = model_schema(Vacancy, {})
>>> s["required"][:3], s["properties"]["offered_wage"]["anyOf"][0]["x-unit"]
(['vacancy_id', 'employer_id', 'occupation'], 'KRW/month')
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Mapping
from enum import Enum
from typing import Any

import attrs

from employkit.errors import UnsupportedType
from employkit.labels import CodedEnum

__all__ = ["DESCRIPTIONS", "enum_schema", "model_schema", "schema_of"]

_MONEY = frozenset({"desired_wage", "offered_wage", "monthly_wage"})
_HOURS = frozenset({"desired_hours", "hours_per_week"})
_REGIONS = frozenset({"residence_code", "region_code"})
_OCCUPATIONS = frozenset({"desired_occupation", "occupation"})

#: Field descriptions (Korean — English) shown in the schema.
DESCRIPTIONS: Mapping[str, str] = {
    "seeker_id": "구직자 번호 — the centre's seeker id (never a resident registration number)",
    "employer_id": "구인기업 번호 — the employer's id",
    "vacancy_id": "구인 번호 — the vacancy's id",
    "placement_id": "취업 번호 — the placement's id",
    "residence_code": "거주지 행정구역 코드 — region code of residence (e.g. 11140 Seoul Jung-gu)",
    "region_code": "근무지 행정구역 코드 — region code (e.g. 11680 Seoul Gangnam-gu)",
    "registered_on": "구직 등록일 — registration date",
    "birth_year": "출생 연도 — birth year (give this or birth_date; never a resident number)",
    "birth_date": "생년월일 — birth date",
    "desired_occupation": "희망 직종 (KECO) — desired occupation code",
    "occupation": "직종 (KECO) — occupation code",
    "desired_wage": "희망 임금 (원/월) — desired wage, whole KRW per month",
    "offered_wage": "제시 임금 (원/월) — offered wage, whole KRW per month",
    "monthly_wage": "월 임금 (원/월) — monthly wage, whole KRW",
    "desired_hours": "희망 근로시간 (주당) — desired hours a week",
    "hours_per_week": "주당 근로시간 — hours a week",
    "employment_types": "희망 고용형태 — employment types wanted (none: any)",
    "employment_type": "고용형태 — employment type",
    "skills": "보유 기술 — skills",
    "certificates": "자격증 — certificates",
    "required_skills": "필수 기술 — required skills",
    "required_certificates": "필수 자격증 — required certificates",
    "groups": "대상 집단 — target groups",
    "intake": "유형분류 체크리스트 — intake checklist answers (null: not asked)",
    "extra": "추가 항목 — extra columns kept for packs",
    "employees": "근로자 수 — number of employees",
    "openings": "모집 인원 — openings (at least 1)",
    "posted_on": "구인 등록일 — posting date",
    "closes_on": "마감일 — closing date (not before posted_on)",
    "min_age": "최소 연령 — minimum age",
    "max_age": "최대 연령 — maximum age (not below min_age)",
    "start_date": "취업일 — start date",
    "contract_end": "계약 종료일 — contract end (required for fixed-term types; not before start_date)",
    "ended_on": "퇴직일 — left on (not before start_date)",
    "via_referral": "알선취업 여부 — placed through the centre's referral",
    "partner": "협력업체 — partner firm",
    "mou": "MOU 체결 — MOU signed",
    "sme_fund": "중소기업육성기금 지원 — SME fund",
    "uses_job_board": "워크넷 이용 — uses the public job board",
    "industry": "업종 (KSIC) — industry code",
}


def enum_schema(cls: type[Enum]) -> dict[str, Any]:
    """A string enum of the codes, with each code's Korean and English label."""
    out: dict[str, Any] = {"type": "string", "enum": [m.value for m in cls], "title": cls.__name__}
    if issubclass(cls, CodedEnum):
        labels = {m.code: {"ko": m.label.ko, "en": m.label.en} for m in cls}
        out["x-enum-labels"] = labels
        out["description"] = (
            (cls.__doc__ or "").strip().split("\n")[0]
            + " "
            + "; ".join(f"{code}: {t['ko']} ({t['en']})" for code, t in labels.items())
        )
    return out


def _validator_ranges(attribute: attrs.Attribute[Any]) -> dict[str, Any]:
    """Bounds enforced by attrs' own validators (``ge``, ``min_len``…)."""
    found: dict[str, Any] = {}
    pending: list[Any] = [attribute.validator] if attribute.validator is not None else []
    while pending:
        v = pending.pop()
        inner = getattr(v, "_validators", None)
        if inner:
            pending.extend(inner)
            continue
        wrapped = getattr(v, "validator", None)
        if wrapped is not None and type(v).__name__ == "_OptionalValidator":
            pending.append(wrapped)
            continue
        name = type(v).__name__
        if name == "_NumberValidator":
            key = {">=": "minimum", ">": "exclusiveMinimum", "<=": "maximum", "<": "exclusiveMaximum"}.get(
                getattr(v, "compare_op", "")
            )
            if key:
                found[key] = v.bound
        elif name == "_MinLengthValidator":
            found["minLength"] = v.min_length
        elif name == "_MaxLengthValidator":
            found["maxLength"] = v.max_length
    return found


def _field_extras(name: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if name in _MONEY:
        out.update({"minimum": 0, "x-unit": "KRW/month"})
    if name in _HOURS:
        out.update({"exclusiveMinimum": 0, "maximum": 168, "x-unit": "hours/week"})
    if name in _REGIONS:
        out.update({"pattern": "^[0-9]{2,10}$", "x-code-list": "Korean administrative region codes (행정구역 코드)"})
    if name in _OCCUPATIONS:
        out.update({"pattern": "^[0-9]{1,6}$", "x-code-list": "KECO occupation codes (한국고용직업분류)"})
    if name == "employees":
        out["minimum"] = 0
    if name == "birth_year":
        out.update({"minimum": 1900, "maximum": 2100})
    return out


def schema_of(tp: Any, components: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a type hint; attrs classes and enums go to ``components``, by reference."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        inner = (
            schema_of(options[0], components)
            if len(options) == 1
            else {"anyOf": [schema_of(a, components) for a in options]}
        )
        return {"anyOf": [inner, {"type": "null"}]} if type(None) in args else inner
    if origin in (frozenset, set, tuple, list) or (
        origin is not None and origin.__name__ in ("AbstractSet", "Sequence")
    ):
        return {
            "type": "array",
            "items": schema_of(args[0], components) if args else {},
            **({"uniqueItems": True} if origin in (frozenset, set) else {}),
        }
    if origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
        return {"type": "object", "additionalProperties": schema_of(args[1], components) if len(args) == 2 else {}}
    if tp is Any:
        return {}
    if isinstance(tp, type):
        if issubclass(tp, Enum):
            components.setdefault(tp.__name__, enum_schema(tp))
            return {"$ref": f"#/components/schemas/{tp.__name__}"}
        if attrs.has(tp):
            if tp.__name__ not in components:
                components[tp.__name__] = {}  # a placeholder against cycles
                components[tp.__name__] = model_schema(tp, components)
            return {"$ref": f"#/components/schemas/{tp.__name__}"}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is float:
            return {"type": "number"}
        if tp is str:
            return {"type": "string"}
        if tp is dt.date:
            return {"type": "string", "format": "date"}
    raise UnsupportedType(f"no JSON Schema for {tp!r}")


def model_schema(cls: type, components: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of an attrs record class (its nested records and enums into ``components``)."""
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    required: list[str] = []
    for a in attrs.fields(cls):
        schema = schema_of(hints[a.name], components)
        extras = {**_validator_ranges(a), **_field_extras(a.name)}
        if extras:
            if "anyOf" in schema and schema["anyOf"][-1] == {"type": "null"}:
                schema["anyOf"][0] = {**schema["anyOf"][0], **extras}
            elif "$ref" not in schema:
                schema = {**schema, **extras}
        if a.name in DESCRIPTIONS:
            schema = {**schema, "description": DESCRIPTIONS[a.name]}
        props[a.name] = schema
        if a.default is attrs.NOTHING:
            required.append(a.name)
    doc = (cls.__doc__ or "").strip()
    out: dict[str, Any] = {
        "title": cls.__name__,
        "type": "object",
        "properties": props,
        "additionalProperties": False,
    }
    if doc:
        out["description"] = doc
    if required:
        out["required"] = required
    return out
