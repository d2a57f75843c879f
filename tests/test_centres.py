"""A centre is explicit: packs scoped to their regions, the centre's own settings and
dates, missing context named, one follow-up store per centre, the centre's own keys."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from employkit.centre import CentreContext, records_period, reference_date
from employkit.config import parse_config
from employkit.dataset import Dataset
from employkit.errors import ConfigError
from employkit.metrics.report import kpi_report
from employkit.plugins import PluginHost
from employkit.render.kpis import render_table, to_data
from employkit.synth import sample_centre

Run = Callable[..., CompletedProcess[str]]

GANGNAM = {"centre": {"name": "강남구 일자리센터", "region_code": "11680"}}
JUNGGU = {"centre": {"name": "중구 일자리플러스센터", "region_code": "11140"}}
CHEONAN = {"centre": {"name": "천안시 일자리센터", "level": "county", "region_code": "44131"}}


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost()  # the installed packs: junggu (11140), chungnam (44), guro (11530), logit_example (no region)


def _centre(host: PluginHost, raw: dict[str, object]) -> CentreContext:
    return CentreContext(parse_config(raw), host=host)


def _has_parameter(ctx: CentreContext, pid: str) -> bool:
    return pid in ctx.system.parameter_ids()


def test_three_centres_in_one_process_each_get_their_own_packs(host: PluginHost) -> None:
    gangnam, junggu, cheonan = (_centre(host, raw) for raw in (GANGNAM, JUNGGU, CHEONAN))
    assert [p.name for p in gangnam.system.active] == ["national"]
    assert [p.name for p in junggu.system.active] == ["national", "junggu"]
    assert [p.name for p in cheonan.system.active] == ["national", "chungnam"]

    # Gangnam: no Jung-gu target, parameter or typology; no Chungnam KPI or component
    g = gangnam.system
    assert not _has_parameter(gangnam, "metrics.target.placements")
    assert "profiling.seeker.junggu" not in g.rule_ids()
    assert not any(rid.startswith("chungnam.") for rid in g.rule_ids())
    assert not any(p.startswith("chungnam.") for p in g.parameter_ids())

    # Jung-gu: its target and its A/B/C typology, from the date the plan applies
    j = junggu.system
    assert j.parameter("metrics.target.placements", dt.date(2016, 6, 1)).value == 2000
    assert j.parameter("metrics.target.placements", dt.date(2016, 6, 1)).pack == "junggu"
    assert "profiling.seeker.junggu" in j.rule_ids()
    assert j.parameter("profiling.seeker.default_typology", dt.date(2016, 6, 1)).value == "profiling.seeker.junggu"
    assert j.parameter("profiling.seeker.default_typology", dt.date(2023, 1, 1)).value == "profiling.seeker.junggu"
    assert g.parameter("profiling.seeker.default_typology", dt.date(2023, 1, 1)).value == "profiling.seeker.national"

    # Cheonan (a county of 충청남도 44): the Chungnam component and KPIs
    c = cheonan.system
    assert "chungnam.matching.time_selective" in {m.meta.rule_id for m in c.match_components()}
    assert {"chungnam.kpi.cbw_time_selective", "chungnam.kpi.partner_share"} <= {k.meta.rule_id for k in c.kpis()}
    assert not _has_parameter(cheonan, "metrics.target.placements")


def test_each_pack_says_why_it_takes_part_or_not(host: PluginHost) -> None:
    system = _centre(host, GANGNAM).system
    why = {name: a.reason.en for name, a in system.activation.items()}
    assert why["national"] == "national pack: applies to every centre"
    assert why["junggu"] == "applies to 11140, not to the centre's 11680"
    assert why["chungnam"] == "applies to 44, not to the centre's 11680"
    assert why["logit_example"] == "declares no region: enable it by name ([packs] enabled)"
    enabled = _centre(host, {**GANGNAM, "packs": {"enabled": ["logit_example"], "disabled": ["junggu"]}}).system
    assert enabled.activation["logit_example"].active
    assert "enabled by name" in enabled.activation["logit_example"].reason.en
    assert "disabled in" in enabled.activation["junggu"].reason.en


def test_a_district_override_reaches_only_its_own_centres(make_pack: Callable[..., object]) -> None:
    from employkit.testing import make_system, parameters_from_toml

    heavier_wage = parameters_from_toml(
        """
[[parameter]]
id = "matching.weight.wage"
override = true
[[parameter.value]]
from = 2000-01-01
value = 9.0
"""
    )
    gu = make_pack("gangnam_gu", regions=["11680"], parameters=heavier_wage)
    day = dt.date(2016, 6, 1)
    national = make_system(region="11140").parameter("matching.weight.wage", day).value
    assert make_system(gu, region="11140").parameter("matching.weight.wage", day).value == national
    mine = make_system(gu, region="11680")
    assert mine.parameter("matching.weight.wage", day).value == 9.0
    (override,) = mine.overrides_of("gangnam_gu")
    assert (override.id, override.value, override.replaced_value) == ("matching.weight.wage", 9.0, national)
    assert override.replaces.startswith("national@")


def test_two_district_packs_of_one_region_conflict_and_the_conflict_names_both(
    make_pack: Callable[..., object],
) -> None:
    from employkit.testing import make_system, parameters_from_toml

    def target(name: str) -> object:
        text = '[[parameter]]\nid = "x.target"\n[[parameter.value]]\nfrom = 2016-01-01\nvalue = 1\n'
        return make_pack(name, regions=["11680"], parameters=parameters_from_toml(text))

    system = make_system(target("first_gu"), target("second_gu"), region="11680")
    (conflict,) = system.conflicts
    assert "first_gu" in conflict.reason and "second_gu" in conflict.reason
    elsewhere = make_system(target("first_gu"), target("second_gu"), region="11140")
    assert not elsewhere.conflicts


def test_province_code_changes_match_both_forms(make_pack: Callable[..., object]) -> None:
    from employkit.testing import make_system

    jeonbuk = make_pack("jeonbuk", layer="regional", regions=["52"])  # 전북특별자치도 since 2024-01-18
    assert "jeonbuk" in {p.name for p in make_system(jeonbuk, region="45710").active}  # 완주군, old code
    assert "jeonbuk" in {p.name for p in make_system(jeonbuk, region="52710").active}


def test_a_national_pack_declares_no_regions() -> None:
    from employkit.labels import Text
    from employkit.packs import Layer, PackInfo

    with pytest.raises(ValueError, match="applies everywhere"):
        PackInfo(name="n", version="1", layer=Layer.NATIONAL, title=Text("n", "n"), regions=["11"])
    with pytest.raises(ValueError, match="province code of 2 digits"):
        PackInfo(name="d", version="1", layer=Layer.DISTRICT, title=Text("d", "d"), regions=["1114"])


# ------------------------------------------------------------------ the centre's own facts


def test_the_configuration_gives_the_centre_when_the_data_has_none(host: PluginHost) -> None:
    data = Dataset(seekers=sample_centre().seekers, placements=sample_centre().placements, origin="folder")
    ctx = _centre(host, {"centre": {**JUNGGU["centre"], "targets": {"2015": 2300}}}).use(data)
    assert ctx.centre is not None and ctx.centre.name == "중구 일자리플러스센터"
    report = kpi_report(ctx.data, ctx.system, dt.date(2015, 12, 31))  # type: ignore[arg-type]
    assert report.centre == "중구 일자리플러스센터"
    values = {r.value.kpi_id: r.value for r in report.results}
    assert values["resident_share"].value is not None
    assert values["target_achievement"].denominator == 2300


def test_no_region_gives_no_resident_share_and_names_what_is_missing() -> None:
    data = Dataset(
        seekers=sample_centre().seekers, placements=sample_centre().placements, origin="a folder without centre.toml"
    )
    ctx = CentreContext(parse_config({}), host=PluginHost(entry_points=False)).use(data)
    report = kpi_report(ctx.data, ctx.system, dt.date(2015, 12, 31))  # type: ignore[arg-type]
    share = next(k for k in to_data(report)["kpis"] if k["id"] == "resident_share")
    assert share["value"] is None and share["exact"] is None
    assert share["numerator"] is None and share["interval"] is None
    assert share["missing"] == ["centre.region_code"]
    target = next(k for k in to_data(report)["kpis"] if k["id"] == "target_achievement")
    assert target["value"] is None and target["missing"]
    line = next(line for line in render_table(report, "en").splitlines() if line.startswith("residents among"))
    assert "0.0" not in line and "–" in line


def test_the_pseudonym_key_is_the_centres_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMPLOYKIT_PSEUDONYM_KEY", "process-wide-key-0123456789")
    own = CentreContext(parse_config({**JUNGGU, "privacy": {"pseudonym_key": "junggu-own-key-0123456789"}}))
    other = CentreContext(parse_config(GANGNAM))
    assert own.pseudonym_key == "junggu-own-key-0123456789"
    assert other.pseudonym_key == "process-wide-key-0123456789"


# ------------------------------------------------------------------ dates


def test_the_reference_date_is_the_period_end_else_the_records_end() -> None:
    data = sample_centre()
    assert reference_date(data).day == dt.date(2015, 12, 31)
    assert reference_date(data).origin == "reporting period"
    bare = Dataset(seekers=data.seekers, placements=data.placements)
    covered = records_period(bare)
    assert covered is not None and covered.start.year == covered.end.year == 2015
    assert reference_date(bare).day == covered.end and reference_date(bare).origin == "records"
    assert reference_date(bare, as_of=dt.date(2016, 1, 4)).origin == "given"
    with pytest.raises(ConfigError, match="no evaluation date"):
        reference_date(Dataset())


def test_config_period_is_read_and_checked() -> None:
    config = parse_config({"centre": {**GANGNAM["centre"], "period_start": "2016-01-01", "period_end": "2016-06-30"}})
    assert config.centre is not None and config.centre.period is not None
    assert config.centre.period.label == "2016-01-01–2016-06-30"
    with pytest.raises(ConfigError, match="add period_end"):
        parse_config({"centre": {**GANGNAM["centre"], "period_start": "2016-01-01"}})
    with pytest.raises(ConfigError, match="is before"):
        parse_config({"centre": {**GANGNAM["centre"], "period_start": "2016-02-01", "period_end": "2016-01-01"}})


# ------------------------------------------------------------------ the command line


def _config(folder: Path, raw: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "employkit.toml"
    path.write_text(raw, encoding="utf-8")
    return str(path)


def test_three_configurations_from_the_command_line(run_cli: Run, tmp_path: Path) -> None:
    found = {}
    for name, region in (("gangnam", "11680"), ("junggu", "11140"), ("cheonan", "44131")):
        cfg = _config(tmp_path / name, f'[centre]\nname = "{name}"\nregion_code = "{region}"\n')
        out = run_cli("--config", cfg, "plugins", "--json")
        assert out.returncode == 0, out.stderr
        found[name] = {p["name"] for p in json.loads(out.stdout)["packs"] if p["active"]}
        rules = run_cli("--config", cfg, "rules", "--json", "--as-of", "2016-06-01")
        ids = {e["id"] for e in json.loads(rules.stdout)["entries"]}
        assert ("metrics.target.placements" in ids) == (name == "junggu")
        assert ("chungnam.kpi.partner_share" in ids) == (name == "cheonan")
    assert found == {"gangnam": {"national"}, "junggu": {"national", "junggu"}, "cheonan": {"national", "chungnam"}}
    table = run_cli("plugins", "--centre", "11680")
    assert "applies to 11140" in table.stdout or "11140" in table.stdout


def test_run_on_the_sample_evaluates_as_of_its_period_end(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = run_cli("run", "--out", str(tmp_path / "report"))
    assert out.returncode == 0, out.stderr
    assert "기준일 2015-12-31" in out.stdout and "기간 2015" in out.stdout
    run = json.loads((tmp_path / "report" / "run.json").read_text(encoding="utf-8"))
    assert run["as_of"] == "2015-12-31" and run["period"] == {"start": "2015-01-01", "end": "2015-12-31"}
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "2015-12-31 (보고 기간의 끝)" in html
    # `followup due` finds the store `run` left here (the only one in the folder)
    due = run_cli("followup", "due", "--from", "2015-12-01", "--to", "2015-12-31", "--format", "json")
    assert due.returncode == 0, due.stderr
    assert json.loads(due.stdout)
    later = run_cli("run", "--as-of", "2016-01-04", "--out", str(tmp_path / "later"))
    assert later.returncode == 0, later.stderr
    assert json.loads((tmp_path / "later" / "run.json").read_text(encoding="utf-8"))["as_of"] == "2016-01-04"


def test_two_centres_in_one_folder_keep_two_stores(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    from attrs import evolve

    from employkit.model import Centre, CentreLevel
    from employkit.sources.readers import write_csv_folder

    other = evolve(
        sample_centre(), centre=Centre(name="강남구 일자리센터", level=CentreLevel.DISTRICT, region_code="11680")
    )
    folder = write_csv_folder(other, tmp_path / "gangnam-data")
    first = run_cli("run", "--out", str(tmp_path / "r1"))
    second = run_cli("run", "--source", str(folder), "--out", str(tmp_path / "r2"))
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    stores = sorted(p.name for p in tmp_path.glob("employkit-followup-*.sqlite"))
    assert stores == [
        "employkit-followup-11140-중구-일자리플러스센터-sample.sqlite",
        "employkit-followup-11680-강남구-일자리센터.sqlite",
    ]
    for name in stores:
        with sqlite3.connect(tmp_path / name) as db:
            assert db.execute("SELECT count(*) FROM placements").fetchone()[0] == 1095
    # a store refuses another centre: point the second centre at the first one's store
    refused = run_cli(
        "run",
        "--source",
        str(folder),
        "--store",
        str(tmp_path / stores[0]),
        "--out",
        str(tmp_path / "r3"),
    )
    assert refused.returncode == 2 and "belongs to" in refused.stderr and "Traceback" not in refused.stderr
    assert not (tmp_path / "r3").exists()
    # two stores here: naming no centre is refused, listing them
    unnamed = run_cli("followup", "due", "--from", "2015-12-01", "--to", "2016-01-31")
    assert unnamed.returncode == 2 and "several centres" in unnamed.stderr
    # `followup due` finds the store `run` wrote for the configured centre
    cfg = _config(tmp_path, '[centre]\nname = "중구 일자리플러스센터 (sample)"\nregion_code = "11140"\n')
    due = run_cli("--config", cfg, "followup", "due", "--from", "2015-12-01", "--to", "2016-01-31")
    assert due.returncode == 0, due.stderr


# ------------------------------------------------------------------ all or nothing


def test_a_run_that_fails_writes_no_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import employkit.pipeline as pipeline
    from employkit.pipeline import run_centre
    from employkit.rules import RuleSystem

    store = tmp_path / "store.sqlite"

    def broken(*_args: object, **_kw: object) -> str:
        raise RuntimeError("interrupted while writing the report")

    monkeypatch.setattr(pipeline, "_html", broken)
    with pytest.raises(RuntimeError, match="interrupted"):
        run_centre(sample_centre(), RuleSystem.build(), tmp_path / "report", store=store, top=2)
    assert not store.exists() and not (tmp_path / "report").exists()
    assert not list(tmp_path.iterdir())  # no temporary folder left behind either


def test_the_store_cannot_be_the_source_and_a_users_folder_is_kept(tmp_path: Path) -> None:
    from employkit.errors import OutputError
    from employkit.pipeline import run_centre
    from employkit.rules import RuleSystem
    from employkit.sources import load
    from employkit.sources.readers import write_sqlite

    source = write_sqlite(sample_centre(), tmp_path / "centre.sqlite")
    before = source.read_bytes()
    with pytest.raises(OutputError, match="is the data source itself"):
        run_centre(load(source), RuleSystem.build(), tmp_path / "report", store=source)
    assert source.read_bytes() == before and not (tmp_path / "report").exists()
    # a report folder whose report.html is the user's folder: refused, the folder kept
    (tmp_path / "mine" / "report.html").mkdir(parents=True)
    (tmp_path / "mine" / "report.html" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="not a file employkit wrote"):
        run_centre(sample_centre(), RuleSystem.build(), tmp_path / "mine", store=tmp_path / "s.sqlite")
    assert (tmp_path / "mine" / "report.html" / "notes.txt").read_text(encoding="utf-8") == "mine"
