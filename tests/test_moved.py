"""Old paths of moved modules keep working for a release, and say where the name went."""

from __future__ import annotations

import pytest

from employkit._moved import forward
from employkit.labels import Text


def test_an_old_path_serves_the_new_name_with_a_warning_naming_it() -> None:
    old = forward("employkit.old_labels", "employkit.labels")
    with pytest.warns(DeprecationWarning, match=r"employkit\.old_labels\.Text moved to employkit\.labels\.Text"):
        assert old("Text") is Text


def test_a_name_the_new_module_lacks_is_an_attribute_error_naming_both() -> None:
    old = forward("employkit.old_labels", "employkit.labels")
    with pytest.raises(AttributeError, match=r"no attribute 'Nothing' \(its moved names are in 'employkit\.labels'\)"):
        old("Nothing")
    with pytest.raises(AttributeError):  # dunder look-ups (copy, pickle, doctest) are not forwarded
        old("__wrapped__")


@pytest.mark.parametrize(
    ("old", "name", "new"),
    [
        ("employkit.metrics.plots", "plot_rates", "employkit.render.plots"),
        ("employkit.metrics.charts", "report_charts", "employkit.render.charts"),
        ("employkit.metrics.report", "render_markdown", "employkit.render.kpis"),
        ("employkit.metrics.report", "aligned", "employkit.render.text"),
        ("employkit.accountability.audit", "render_html", "employkit.render.audit"),
        ("employkit.accountability.monitoring", "render_table", "employkit.render.monitoring"),
        ("employkit.followup.store", "FollowUpStore", "employkit.stores.followup"),
        ("employkit.followup.store_schema", "StoreBusy", "employkit.stores.schema"),
        ("employkit.followup.store_queries", "agenda_rows", "employkit.stores.queries"),
        ("employkit.followup.paths", "default_store_path", "employkit.stores.paths"),
    ],
)
def test_moved_names_answer_at_their_old_paths(old: str, name: str, new: str) -> None:
    import importlib

    with pytest.warns(DeprecationWarning, match=rf"{old}\.{name} moved to {new}\.{name}"):
        found = getattr(importlib.import_module(old), name)
    assert found is getattr(importlib.import_module(new), name)
