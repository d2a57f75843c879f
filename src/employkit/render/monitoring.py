"""The override monitoring report as plain-text tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from employkit.labels import Lang
from employkit.profiling.overrides import OverrideReason
from employkit.render.text import table

if TYPE_CHECKING:
    from employkit.accountability.monitoring import OverrideMonitor


__all__ = ["render_table"]


def _rate(x: float | None) -> str:
    return "*" if x is None else f"{100 * x:.2f}%"


def render_table(monitor: OverrideMonitor, lang: Lang = "ko") -> str:
    """The report as plain-text tables, then the flags."""
    ko = lang == "ko"
    share = _rate(monitor.overridden / monitor.profiles if monitor.profiles else None)
    head = (
        f"상담사 유형 변경 점검 · 기준일 {monitor.as_of.isoformat()}"
        if ko
        else f"override monitoring · as of {monitor.as_of.isoformat()}"
    )
    lines = [
        f"{head} · {monitor.overridden:,}/{monitor.profiles:,} ({share})",
        "",
        "상담사별" if ko else "by counsellor",
        table(
            ["counsellor", "profiles", "overridden", "rate", "z", "flags"],
            [
                [
                    r.counsellor,
                    "*" if r.profiles is None else f"{r.profiles:,}",
                    "*" if r.overridden is None else f"{r.overridden:,}",
                    _rate(r.rate),
                    "" if r.z is None else f"{r.z:+.2f}",
                    ", ".join(r.flags),
                ]
                for r in monitor.by_counsellor
            ],
        ),
        "",
        "유형별" if ko else "by segment",
        table(
            ["segment", "counsellor", "profiles", "overridden", "rate"],
            [
                [
                    r.segment,
                    r.counsellor,
                    "*" if r.profiles is None else f"{r.profiles:,}",
                    "*" if r.overridden is None else f"{r.overridden:,}",
                    _rate(r.rate),
                ]
                for r in monitor.by_segment
            ],
        ),
        "",
        "사유별" if ko else "by reason",
        table(
            ["reason", "counsellor", "overrides", "share"],
            [
                [
                    OverrideReason.parse(r.reason_code).label.get(lang),
                    r.counsellor,
                    "*" if r.overrides is None else f"{r.overrides:,}",
                    _rate(r.share),
                ]
                for r in monitor.by_reason
            ],
        ),
        "",
    ]
    if monitor.flags:
        lines.append(f"표시 {len(monitor.flags)}건:" if ko else f"{len(monitor.flags)} flag(s):")
        lines += [f"  ⚑ {f.reason.get(lang)}" for f in monitor.flags]
    else:
        lines.append("표시된 항목 없음" if ko else "nothing flagged")
    return "\n".join(lines) + "\n"
