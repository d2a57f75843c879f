"""JSON Schemas of the answers (what :class:`~employkit.serve.centres.CentreRuntime` returns)."""

from __future__ import annotations

from typing import Any

__all__ = ["RESPONSE_SCHEMAS"]

_TEXT = {"type": "object", "required": ["ko", "en"], "properties": {"ko": {"type": "string"}, "en": {"type": "string"}}}
_DATE = {"type": "string", "format": "date"}
_NDATE = {"type": ["string", "null"], "format": "date"}
_NSTR = {"type": ["string", "null"]}
_STRS = {"type": "array", "items": {"type": "string"}}
_CODED = {"type": "object", "required": ["code", "label"], "properties": {"code": {"type": "string"}, "label": _TEXT}}
_SEGMENT = {
    "anyOf": [
        {
            "type": "object",
            "required": ["code", "label"],
            "properties": {"code": {"type": "string"}, "label": _TEXT, "group": _NSTR},
        },
        {"type": "null"},
    ]
}
_EXPLANATION = {
    "type": "object",
    "description": "the rule, its pack and version, the parameters used with their dates and sources, the inputs",
    "required": ["rule_id", "pack", "pack_version", "text"],
    "properties": {
        "rule_id": {"type": "string"},
        "pack": {"type": "string"},
        "pack_version": {"type": "string"},
        "as_of": _NDATE,
        "reasons": {"type": "array", "items": _TEXT},
        "parameters": {"type": "array", "items": {"type": "object"}},
        "inputs": {"type": "object"},
        "details": {"type": "array", "items": {"type": "object"}},
        "text": _TEXT,
    },
}


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


RESPONSE_SCHEMAS: dict[str, Any] = {
    "Health": _obj(["status", "centres"], status={"type": "string", "enum": ["ok"]}, centres=_STRS),
    "Version": _obj(["employkit", "api"], employkit={"type": "string"}, api={"type": "string"}),
    "CentreInfo": _obj(
        ["id", "name", "reference_date", "records"],
        id={"type": "string"},
        name={"type": "string"},
        region_code=_NSTR,
        reference_date=_DATE,
        records={"type": "boolean"},
    ),
    "SeekerProfile": _obj(
        ["seeker_id", "typology", "as_of", "status", "segment", "services", "explanation"],
        seeker_id={"type": "string"},
        typology={"type": "string"},
        as_of=_DATE,
        status={"type": "string", "enum": ["profiled", "not_profiled", "not_applicable"]},
        segment=_SEGMENT,
        services={"type": "array", "items": _CODED},
        missing=_STRS,
        protected_used=_STRS,
        score={"type": ["number", "null"]},
        band=_NSTR,
        explanation=_EXPLANATION,
    ),
    "EmployerProfile": _obj(
        ["employer_id", "typology", "as_of", "status", "segment", "services", "explanation"],
        employer_id={"type": "string"},
        vacancy_id=_NSTR,
        typology={"type": "string"},
        as_of=_DATE,
        status={"type": "string", "enum": ["profiled", "not_profiled", "not_applicable"]},
        segment=_SEGMENT,
        intervention_level={"type": ["integer", "null"], "minimum": 1, "maximum": 5},
        services={"type": "array", "items": _CODED},
        stage2={"type": "array", "items": _CODED},
        missing=_STRS,
        explanation=_EXPLANATION,
    ),
    "Ranking": _obj(
        ["as_of", "pool", "results"],
        as_of=_DATE,
        pool=_obj(["seekers", "vacancies"], seekers={"type": "integer"}, vacancies={"type": "integer"}),
        results={
            "type": "array",
            "items": _obj(
                ["rank", "seeker_id", "vacancy_id", "total", "eligible", "coverage", "components"],
                rank={"type": "integer", "minimum": 1},
                seeker_id={"type": "string"},
                vacancy_id={"type": "string"},
                total={"type": "number", "minimum": 0, "maximum": 1},
                eligible={"type": "boolean"},
                gates=_STRS,
                flags=_STRS,
                coverage=_obj(
                    ["share", "with_data", "missing"],
                    share={
                        "type": "number",
                        "minimum": 0,
                        "maximum": 1,
                        "description": "components with data / scored",
                    },
                    with_data=_STRS,
                    missing=_STRS,
                    advisory=_STRS,
                ),
                components={
                    "type": "array",
                    "items": _obj(
                        ["key", "status", "value", "weight", "share", "contribution", "reason", "rule"],
                        key={"type": "string"},
                        status={"type": "string", "enum": ["counted", "missing", "advisory"]},
                        value={"type": "number"},
                        weight={"type": "number"},
                        share={"type": "number"},
                        contribution={"type": "number"},
                        gate={"type": "boolean"},
                        flags=_STRS,
                        reason=_TEXT,
                        rule={"type": "string"},
                        pack={"type": "string"},
                        pack_version={"type": "string"},
                    ),
                },
                explanation=_TEXT,
            ),
        },
    ),
    "Pool": _obj(
        ["seekers", "vacancies", "as_of", "loaded_at"],
        seekers={"type": "integer"},
        vacancies={"type": "integer"},
        as_of=_DATE,
        loaded_at={"type": "string", "format": "date-time"},
    ),
    "Schedule": _obj(
        ["placement_id", "policy", "added", "contacts", "explanation"],
        placement_id={"type": "string"},
        policy={"type": "string"},
        added={"type": "integer", "description": "contacts new to the store (0 when scheduled before)"},
        contacts={
            "type": "array",
            "items": _obj(
                ["kind", "due_on", "label"],
                kind={"type": "string"},
                due_on=_DATE,
                nominal_on=_DATE,
                label=_TEXT,
                before_end={"type": "boolean"},
                moved_because={"anyOf": [_TEXT, {"type": "null"}]},
            ),
        },
        explanation=_EXPLANATION,
    ),
    "Contacts": _obj(
        ["placement_id", "status", "contacts"],
        placement_id={"type": "string"},
        status={"type": "string", "enum": ["open", "completed", "closed"]},
        result=_NSTR,
        contacts={"type": "array", "items": {"type": "object"}},
    ),
    "Recorded": _obj(
        ["outcome_id", "placement_id", "contact", "outcome", "contacted_on", "repeated", "status", "actions"],
        outcome_id={"type": "integer"},
        placement_id={"type": "string"},
        contact={"type": "string"},
        outcome=_CODED,
        contacted_on=_DATE,
        repeated={"type": "boolean", "description": "the key was recorded before; nothing was written"},
        status={"type": "string", "enum": ["open", "completed", "closed"]},
        result=_NSTR,
        actions={
            "type": "array",
            "items": _obj(
                ["code", "label", "closes"],
                code={"type": "string"},
                label=_TEXT,
                due_on=_NDATE,
                closes={"type": "boolean"},
                result=_NSTR,
            ),
        },
    ),
    "Agenda": _obj(
        ["start", "end", "items"],
        start=_DATE,
        end=_DATE,
        counsellor=_NSTR,
        items={
            "type": "array",
            "items": _obj(
                ["item", "placement_id", "code", "label", "due_on", "overdue"],
                item={"type": "string", "enum": ["contact", "action"]},
                ref={"type": "integer"},
                placement_id={"type": "string"},
                seeker_id={"type": "string"},
                employment_type={"type": "string"},
                counsellor={"type": "string"},
                code={"type": "string"},
                label=_TEXT,
                due_on=_DATE,
                overdue={"type": "boolean"},
            ),
        },
    ),
    "Kpis": {
        "type": "object",
        "description": "employkit.render.kpis.to_data: every KPI with numerator, "
        "denominator, breakdown cells, intervals and sources",
        "required": ["kpis"],
    },
    "Rules": _obj(
        ["as_of", "packs", "entries"],
        as_of=_DATE,
        region_code=_NSTR,
        packs=_STRS,
        entries={"type": "array", "items": {"type": "object"}},
        warnings=_STRS,
    ),
    "Packs": _obj(
        ["packs"],
        region_code=_NSTR,
        packs={
            "type": "array",
            "items": _obj(
                ["name", "version", "active"],
                name={"type": "string"},
                version={"type": "string"},
                active={"type": "boolean"},
            ),
        },
        failed={"type": "array", "items": {"type": "object"}},
        conflicts={"type": "array", "items": {"type": "object"}},
    ),
}
