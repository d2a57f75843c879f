"""What a reader of a KPI report sees: values that exist, units in their language, sources by title."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from employkit.documents import DOCUMENTS, cite
from employkit.explain import Explanation, SourceRef
from employkit.labels import Text
from employkit.metrics.base import KpiValue
from employkit.metrics.report import KpiReport, kpi_report
from employkit.render.kpis import (
    render_csv,
    render_html,
    render_markdown,
    render_table,
    shown,
    title,
    to_data,
    why_missing,
)
from employkit.rules import RuleSystem
from employkit.synth import sample_centre

AS_OF = dt.date(2016, 1, 31)


@pytest.fixture(scope="module")
def report() -> KpiReport:
    return kpi_report(sample_centre(), RuleSystem.build(), AS_OF)


def _value(**kw: object) -> KpiValue:
    base: dict[str, object] = {
        "kpi_id": "demo",
        "title": Text("데모", "demo"),
        "numerator": 0,
        "denominator": None,
        "unit": "people",
        "value": 0.0,
        "explanation": Explanation(rule_id="metrics.test.demo", pack="test", pack_version="0"),
    }
    base.update(kw)
    return KpiValue(**base)  # type: ignore[arg-type]


def _kpi_row(text: str, name: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"| {name} |"))


def test_a_value_that_does_not_exist_has_no_numerator_denominator_or_interval(report: KpiReport) -> None:
    referral = report.get("referral_placement_rate").value
    assert referral.value is None and referral.numerator == 945 and referral.missing == ("referrals",)
    data = next(k for k in to_data(report)["kpis"] if k["id"] == "referral_placement_rate")
    assert (data["value"], data["numerator"], data["denominator"], data["interval"]) == (None, None, None, None)
    assert data["reason"] == {"ko": "입력값 없음: 알선 인원", "en": "input missing: referrals"}

    md_row = _kpi_row(render_markdown(report, "ko"), "알선취업률")
    assert "945" not in md_row and "| – | – |  |  |" in md_row and "입력값 없음: 알선 인원" in md_row
    table_row = next(line for line in render_table(report, "en").splitlines() if line.startswith("referral"))
    assert "945" not in table_row and "input missing: referrals" in table_row
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(render_csv(report))) if not r["cell"]}
    row = rows["referral_placement_rate"]
    assert (row["value"], row["numerator"], row["denominator"]) == ("", "", "")
    assert row["reason_ko"] == "입력값 없음: 알선 인원"
    page = render_html(report, "ko")
    html_row = re.search(r'<tr data-kpi="referral_placement_rate">.*?</tr>', page)
    assert html_row is not None and "945" not in html_row[0] and "입력값 없음" in html_row[0]


def test_retention_with_no_records_says_why_and_shows_no_counts() -> None:
    late = kpi_report(sample_centre(), RuleSystem.build(), dt.date(2026, 1, 1), year=2015)
    data = next(k for k in to_data(late)["kpis"] if k["id"] == "retention_12m")
    assert data["value"] is None and data["numerator"] is None and data["denominator"] is None
    assert data["reason"] is not None and "12개월" in data["reason"]["ko"] and "12 months" in data["reason"]["en"]
    assert "1,095" not in _kpi_row(render_markdown(late, "ko"), "12개월 고용유지율")
    hidden = _value(numerator=None, value=None, suppressed=True)
    assert (shown(hidden), why_missing(hidden, 5)) == ("*", Text("비공개 (5명 미만)", "suppressed (under 5)"))


def test_one_month_is_singular_in_english(report: KpiReport) -> None:
    data = next(k for k in to_data(report)["kpis"] if k["id"] == "retention_1m")
    assert data["names"]["en"] == "still employed at 1 month"
    assert "1 months" not in render_markdown(report, "en")


def test_counts_are_whole_numbers() -> None:
    count = _value(precision=1)
    assert count.shown == "0.0"  # the raw form a decimal KPI would give
    assert shown(count) == "0"
    assert shown(_value(numerator=1234, value=1234.0, unit="employers")) == "1,234"
    assert shown(_value(numerator=3110, denominator=3, value=1036.67, unit="seekers/counsellor")) == "1,036.7"


def test_units_and_labels_are_korean_in_korean_output(report: KpiReport) -> None:
    md = render_markdown(report, "ko")
    table = md.split("\n\n*")[0]
    units = [line.split(" | ")[5] for line in table.splitlines()[4:]]
    assert set(units) <= {"%", "명", "개소", "비율", "구직자/상담사", "원"}, units
    for english in ("people", "employers", "ratio", "seekers/counsellor", "KRW", "| note |"):
        assert english not in table, english
    assert "| 구인처 수 | 1,302 | 1,302 | 1,302 |  | 개소 |" in table
    assert "| 구직자/상담사 |" in table
    assert "people" in render_markdown(report, "en").split("\n\n*")[0]


def test_sources_are_shown_by_document_title_and_line(report: KpiReport) -> None:
    md = render_markdown(report, "ko")
    body, _, documents = md.partition("## 근거 문서")
    assert "seeds/" not in body  # every citation in the text names the document
    assert "「2016년 중구일자리플러스센터 운영활성화 추진계획」 L11" in body
    assert "(「공공 고용서비스 강화 방안」 L63)" in body  # a source quoting a document inside parentheses
    assert "| 공공 고용서비스 강화 방안 | Plan to strengthen public employment services |" in documents
    assert "seeds/001_9743a8cda015755e.txt" in documents
    page = render_html(report, "en")
    assert "«Plan to strengthen public employment services» L63" in page and 'id="documents"' in page
    data = to_data(report)
    files = [d["file"] for d in data["documents"]]
    assert "seeds/000_743a0a447e219bca.txt" in files and len(files) == len(set(files))
    rate = next(k for k in data["kpis"] if k["id"] == "employment_rate")
    assert rate["citation"]["ko"].startswith("「2016년 중구일자리플러스센터 운영활성화 추진계획」 L11")


def test_every_seed_document_has_a_korean_and_an_english_title() -> None:
    assert len({d.file for d in DOCUMENTS}) == 5
    for d in DOCUMENTS:
        assert d.title.ko and d.title.en and d.title.ko != d.title.en
        assert cite(f"seeds/{d.file}#L3", "ko") == f"「{d.title.ko}」 L3"
    assert cite("행정표준코드관리시스템 법정동코드#44 충청남도") == "행정표준코드관리시스템 법정동코드#44 충청남도"


def test_a_source_is_split_at_its_own_hash_not_one_in_parentheses() -> None:
    ref = SourceRef.parse("employkit default: one decimal (seeds/001_9743a8cda015755e.txt#L63)")
    assert ref.locator is None and ref.document.endswith("#L63)")
    assert SourceRef.parse("seeds/000_743a0a447e219bca.txt#L11 (취업률 35%)").locator == "L11 (취업률 35%)"
    assert (
        SourceRef.parse("행정표준코드관리시스템 법정동코드#44 충청남도").document == "행정표준코드관리시스템 법정동코드"
    )


def test_a_funnel_is_titled_with_the_stages_it_shows(report: KpiReport) -> None:
    funnel = report.get("funnel").value
    assert funnel.title.ko == "상담 → 서비스 → 취업"  # the declared three stages
    assert len(funnel.steps) == 2  # 'served' needs the referrals input, not given
    assert title(funnel, "ko") == "상담 → 취업" and title(funnel, "en") == "counselled → placed"
    assert "| 상담 → 취업 |" in render_markdown(report, "ko")


def test_skipped_charts_say_why(monkeypatch: pytest.MonkeyPatch, report: KpiReport) -> None:
    import importlib.util

    from employkit.render import charts

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    note = charts.chart_note("ko", 0)
    assert note is not None and "matplotlib" in note and "employkit[plot]" in note
    assert note in render_markdown(report, "ko", charts={}, chart_note=note)
    assert "chart-note" in render_html(report, "ko", charts={}, chart_note=note)


def test_suppressed_months_are_marked_in_the_line_chart() -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from employkit.render.charts import _draw_breakdown

    months = {
        f"2015-{m:02d}": _value(
            kpi_id=f"placements.2015-{m:02d}",
            numerator=None if m < 3 else 40 + m,
            value=None if m < 3 else 40.0 + m,
            suppressed=m < 3,
            label=Text(f"{m}월", f"2015-{m:02d}"),
        )
        for m in range(1, 7)
    }
    value = _value(numerator=300, value=300.0, breakdown=months)
    ax = Figure().add_subplot()
    _draw_breakdown(ax, value, Text("월별 취업자 추이", "placements by month"), "en", trend=True)
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["2015-01", "2015-02"]  # the months stay on the axis
    marks = [line for line in ax.get_lines() if line.get_marker() == "x"]
    assert len(marks) == 1 and list(marks[0].get_xdata()) == [0, 1]
    assert any("suppressed" in t.get_text() for t in ax.texts)
