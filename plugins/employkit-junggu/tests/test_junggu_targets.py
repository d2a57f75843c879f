"""The Jung-gu pack's yearly placement targets feed the national target-achievement KPI."""

from __future__ import annotations

import datetime as dt

import attrs
import employkit_junggu

from employkit.metrics.report import kpi_report
from employkit.synth import sample_centre
from employkit.testing import make_system


def test_yearly_targets_feed_target_achievement_when_the_records_give_none() -> None:

    data = sample_centre()
    no_target = attrs.evolve(data, centre=attrs.evolve(data.centre, targets={}))
    national = kpi_report(no_target, make_system(), dt.date(2016, 1, 31), year=2015).get("target_achievement")
    assert national.value.value is None and "metrics.target.placements" in national.value.missing
    junggu = make_system(employkit_junggu)
    value = kpi_report(no_target, junggu, dt.date(2016, 1, 31), year=2015).get("target_achievement").value
    assert (value.numerator, value.denominator, value.rounded, value.display) == (1095, 2300, 47.6, "48%")
    assert junggu.parameter("metrics.target.placements", dt.date(2016, 6, 1)).value == 2000
