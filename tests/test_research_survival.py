"""Kaplan–Meier curves of placement and retention: equal to lifelines, consistent with the retention feed."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from employkit.errors import ConfigError
from employkit.followup.retention import retention_feed
from employkit.metrics.survival import (
    MONTH_DAYS,
    kaplan_meier,
    placement_curves,
    retention_curves,
    retention_spell,
)
from employkit.synth import JUNGGU_2015, build

lifelines = pytest.importorskip("lifelines")
END = dt.date(2015, 12, 31)


@pytest.fixture(scope="module")
def centre():  # type: ignore[no-untyped-def]
    return build(JUNGGU_2015.scaled(6_000, 2_000, seed=9).over(dt.date(2013, 1, 1), END))


def _check(curve, durations, events) -> None:  # type: ignore[no-untyped-def]
    fitted = lifelines.KaplanMeierFitter().fit(np.asarray(durations), np.asarray(events, dtype=bool))
    expected = fitted.survival_function_["KM_estimate"].loc[curve.times].to_numpy()
    bounds = fitted.confidence_interval_.loc[curve.times].to_numpy()
    assert np.max(np.abs(expected - curve.survival)) < 1e-9
    known = ~np.isnan(bounds[:, 0])
    assert np.max(np.abs(bounds[known, 0] - curve.lower[known])) < 1e-9
    assert np.max(np.abs(bounds[known, 1] - curve.upper[known])) < 1e-9
    assert int(fitted.event_table["observed"].sum()) == int(curve.events.sum())


def _spells(data, by_group: bool):  # type: ignore[no-untyped-def]
    seekers = {s.seeker_id: s for s in data.seekers}
    first: dict[str, dt.date] = {}
    for p in data.placements:
        if p.start_date <= END and p.start_date >= seekers[p.seeker_id].registered_on:
            first[p.seeker_id] = min(first.get(p.seeker_id, p.start_date), p.start_date)
    out: dict[str, tuple[list[float], list[bool]]] = {}
    for s in data.seekers:
        key = s.gender.code if by_group and s.gender else ""
        placed = first.get(s.seeker_id)
        durations, events = out.setdefault(key, ([], []))
        durations.append(float(((placed or END) - s.registered_on).days))
        events.append(placed is not None)
    return out


def test_placement_curves_equal_lifelines_overall_and_by_group(centre) -> None:  # type: ignore[no-untyped-def]
    curves = placement_curves(centre, END, by="gender")
    everyone = _spells(centre, by_group=False)[""]
    _check(curves.overall, *everyone)
    groups = _spells(centre, by_group=True)
    assert set(curves.groups) == set(groups) == {"F", "M"}
    for key, curve in curves.groups.items():
        _check(curve, *groups[key])
    # the censoring-aware share placed within 6 months exceeds the naive share of everyone registered
    six = next(r for r in curves.table((6,)) if r["group"] is None)
    naive = sum(everyone[1]) / len(everyone[1])
    assert six["lower"] <= six["value"] <= six["upper"] and six["value"] > naive * 0.8


def test_retention_curves_equal_lifelines_and_agree_with_the_retention_feed(centre) -> None:  # type: ignore[no-untyped-def]
    curves = retention_curves(centre, END, by="age_band")
    contacts: dict[str, list] = {}  # type: ignore[type-arg]
    for c in centre.followups:
        contacts.setdefault(c.placement_id, []).append(c)
    spells = [retention_spell(p, contacts.get(p.placement_id, []), END) for p in centre.placements]
    _check(curves.overall, [d for d, _ in spells], [e for _, e in spells])
    assert {"20-30s", "40-50s", "60+"} <= set(curves.groups)
    # one definition: the feed's retained / not retained at each point agrees with the spell
    from employkit.followup.calendar import add_months

    feed = retention_feed(centre.placements, centre.followups, as_of=END)
    by_id = {p.placement_id: p for p in centre.placements}
    checked = 0
    for row, (days, left) in zip(feed, spells, strict=True):
        for months, status in row.retained.items():
            point = float((add_months(by_id[row.placement_id].start_date, months) - row.start_date).days)
            if status is True:  # seen in the job at or after the point, or within the window before it
                assert days >= point - 14, (row.placement_id, months)
                checked += 1
            elif status is False:
                assert left and days <= point, (row.placement_id, months)
                checked += 1
    assert checked > 1000
    # the curve falls: about nine in ten after a month, fewer after a year
    assert curves.overall.at(MONTH_DAYS) > 0.8 > curves.overall.at(12 * MONTH_DAYS)


def test_edges_and_errors() -> None:
    curve = kaplan_meier([3, 3, 3], [1, 1, 1])
    assert curve.survival.tolist() == [0.0] and curve.interval_at(5) == (0.0, 0.0)
    assert kaplan_meier([1, 2], [0, 0]).survival.tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="same length"):
        kaplan_meier([1, 2], [1])
    with pytest.raises(ValueError, match="negative"):
        kaplan_meier([-1], [1])
    with pytest.raises(ConfigError, match="shoe_size"):
        placement_curves(build(JUNGGU_2015.scaled(50, 20)), END, by="shoe_size")
