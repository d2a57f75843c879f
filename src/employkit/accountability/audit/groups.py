"""Grouping seekers for the fairness audit, and the flags of ratios below the threshold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from employkit.accountability.audit.records import AGE_BANDS, Flag
from employkit.errors import ConfigError
from employkit.labels import Text
from employkit.model import Gender, Seeker, SeekerGroup
from employkit.profiling.base import INTAKE_FIELDS

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.rules import EvalContext, RuleSystem


# ---------------------------------------------------------------------- grouping


_SEEKER_FIELDS = {a.name for a in attrs.fields(Seeker)} - {"seeker_id", "extra", "intake"}


def _age_bands(ctx: EvalContext) -> list[tuple[str, int, Text]]:
    raw = ctx.param(AGE_BANDS)
    try:
        bands = [
            (str(b["key"]), int(b["min"]), Text(str(b.get("ko", b["key"])), str(b.get("en", b["key"])))) for b in raw
        ]
    except (KeyError, TypeError, ValueError):
        raise ConfigError(f"parameter {AGE_BANDS}: expected a list of {{key, min}} tables") from None
    return sorted(bands, key=lambda b: b[1])


def group_key(seeker: Seeker, column: str, as_of: dt.date, age_bands: Sequence[tuple[str, int, Text]] = ()) -> str:
    """The group of ``seeker`` by ``column`` (``"unknown"`` when the value is not recorded).

    >>> import datetime as dt
    >>> from employkit.model import Gender, Seeker
    >>> s = Seeker(seeker_id="S1", residence_code="11140", registered_on=dt.date(2016, 1, 4), gender=Gender.FEMALE)
    >>> group_key(s, "gender", dt.date(2016, 1, 4)), group_key(s, "disability", dt.date(2016, 1, 4))
    ('F', 'no')
    """
    if column == "gender":
        return seeker.gender.code if seeker.gender is not None else "unknown"
    if column == "age_band":
        # age when the seeker registered, as the KPIs count it: the decisions audited were made then
        age = seeker.age_on(min(seeker.registered_on, as_of))
        if age is None:
            return "unknown"
        found = "unknown"
        for key, low, _ in age_bands:
            if age >= low:
                found = key
        return found
    if column == "nationality":
        return (seeker.nationality or "unknown").strip() or "unknown"
    if column == "disability":
        return "yes" if SeekerGroup.DISABILITY in seeker.groups else "no"
    if column.startswith("group."):
        return "yes" if SeekerGroup.parse(column.removeprefix("group.")) in seeker.groups else "no"
    if column in INTAKE_FIELDS:
        return _key(getattr(seeker.intake, column))
    if column == "residence":  # the KPIs' residence column: the seeker's region code
        return _key(seeker.residence_code)
    if column == "month":  # the KPIs' month column for seekers: the registration month
        return seeker.registered_on.strftime("%Y-%m")
    if column in _SEEKER_FIELDS:
        return _key(getattr(seeker, column))
    return _key(seeker.extra.get(column))


def _key(value: Any) -> str:
    if value is None or value == "":
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset | set | tuple | list):
        return ";".join(sorted(str(getattr(v, "code", v)) for v in value)) or "none"
    return str(getattr(value, "code", value))


def _kpi_column(data: Dataset, system: RuleSystem, as_of: dt.date, column: str) -> bool:
    """Whether the KPIs accept ``column`` as a breakdown (the placement section groups by it)."""
    from employkit.metrics.columnar import ColumnData, ColumnFrame
    from employkit.metrics.scope import KpiContext, KpiScope, Period

    scope = KpiScope(period=Period(as_of, as_of), observed_on=as_of)
    return ColumnFrame(ColumnData.of(data), KpiContext(system, as_of, scope)).known_column(column)


def _check_column(column: str, seekers: Sequence[Seeker]) -> None:
    if column in ("gender", "age_band", "nationality", "disability", "residence", "month") or column in INTAKE_FIELDS:
        return
    if column.startswith("group."):
        try:
            SeekerGroup.parse(column.removeprefix("group."))
        except ValueError as exc:
            raise ConfigError(f"grouping column {column!r}: {exc}") from None
        return
    if column in _SEEKER_FIELDS or any(column in s.extra for s in seekers):
        return
    known = ", ".join(["gender", "age_band", "nationality", "disability", "group.<code>", *sorted(_SEEKER_FIELDS)])
    raise ConfigError(f"unknown grouping column {column!r}; use one of: {known}, or a column of the data")


def _group_label(column: str, key: str, age_bands: Sequence[tuple[str, int, Text]]) -> Text:
    if key == "unknown":
        return Text("미상", "unknown")
    if column == "gender":
        try:
            return Gender.parse(key).label
        except ValueError:
            return Text(key, key)
    if column == "age_band":
        for k, _, label in age_bands:
            if k == key:
                return label
    if key in ("yes", "no"):
        return Text("예" if key == "yes" else "아니오", key)
    return Text(key, key)


def _order(column: str, keys: Iterable[str], age_bands: Sequence[tuple[str, int, Text]]) -> list[str]:
    found = set(keys)
    if column == "age_band":
        ordered = [k for k, _, _ in age_bands if k in found]
    elif column == "gender":
        ordered = [g.code for g in Gender if g.code in found]
    else:
        ordered = []
    rest = sorted(k for k in found if k not in ordered and k != "unknown")
    return ordered + rest + (["unknown"] if "unknown" in found else [])


# ---------------------------------------------------------------------- helpers


def _ratio_flags(
    rates: Mapping[str, float | None], judged: Iterable[str], threshold: float
) -> tuple[dict[str, float | None], str | None]:
    """Each judged group's rate divided by the highest judged rate, and that group."""
    pool = {g: r for g, r in rates.items() if g in set(judged) and r is not None}
    if not pool:
        return {g: None for g in rates}, None
    ref = max(pool, key=lambda g: (pool[g], g))
    top = pool[ref]
    if top <= 0:
        return {g: None for g in rates}, ref
    return {g: (pool[g] / top if g in pool else None) for g in rates}, ref


def _reads_text(reads: bool, section: str) -> Text:
    if reads:
        return Text(
            "결정 규칙이 이 속성을 사용함 (센터 설정에서 허용)",
            "the deciding rule uses this attribute (allowed by the centre's configuration)",
        )
    if section in ("followup", "placement"):
        return Text("결과 지표: 차이는 자료에 있는 그대로임", "an outcome: the difference is what the data holds")
    return Text(
        "결정 규칙은 이 속성을 읽지 않음: 차이는 자료의 응답·사실에서 옴",
        "the deciding rule does not read this attribute: the difference comes from the answers and facts in the data",
    )


def _flag(
    section: str,
    attribute: str,
    group: str,
    measure: str,
    ratio: float,
    shown: bool,
    threshold: float,
    reference: str,
    what: Text,
    reads: bool | None,
) -> Flag:
    number = f"{ratio:.2f}" if shown else f"< {threshold:g}"
    why = _reads_text(bool(reads), section)
    return Flag(
        section=section,
        attribute=attribute,
        group=group,
        measure=measure,
        value=ratio if shown else None,
        threshold=threshold,
        reference=reference,
        rule_reads_attribute=reads,
        reason=Text(
            f"{attribute}={group}: {what.ko} 비율이 최우대 집단({reference}) 대비 {number} (기준 {threshold:g} 미만) — "
            f"{why.ko}",
            f"{attribute}={group}: {what.en} is {number} of the most favoured group's ({reference}), "
            f"below {threshold:g} — {why.en}",
        ),
    )
