"""employkit.toml: centre facts, packs, parameter overrides, settings; errors name the key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from employkit.config import load_config
from employkit.errors import ConfigError
from employkit.model import CentreLevel
from employkit.testing import config_from_toml

JUNGGU = """
[centre]
name = "중구 일자리플러스센터"
level = "district"
region_code = "11140"
counsellors = 3
officials = 4

[centre.targets]
2015 = 2300
2016 = 2000

[centre.budget_krw]
2016 = 99_482_000

[packs]
enabled = ["national", "junggu"]

[parameters]
"metrics.suppression.min_cell" = 10
[[parameters."labour.minimum_wage.hourly"]]
from = 2016-01-01
to = 2016-12-31
value = 7000
source = "centre decision"

[profiling]
seeker_typology = "profiling.seeker.junggu"
"""


def test_full_configuration(tmp_path: Path) -> None:
    path = tmp_path / "employkit.toml"
    path.write_text(JUNGGU, encoding="utf-8")
    cfg = load_config(path)
    assert cfg.centre is not None
    assert cfg.centre.level is CentreLevel.DISTRICT
    assert cfg.centre.targets == {2015: 2300, 2016: 2000}
    assert cfg.centre.budget_krw[2016] == 99_482_000
    assert cfg.enabled_packs == ("national", "junggu")
    params = {p.id: p for p in cfg.parameters}
    assert params["metrics.suppression.min_cell"].at(dt.date(1990, 1, 1)).value == 10  # type: ignore[union-attr]
    assert params["labour.minimum_wage.hourly"].at(dt.date(2017, 1, 1)) is None
    assert all(p.override for p in cfg.parameters)
    assert cfg.setting("profiling", "seeker_typology") == "profiling.seeker.junggu"
    assert cfg.setting("followup", "policy", "default") == "default"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[centr]\nname='x'", "unknown section(s) centr"),
        ("[centre]\nlevel='district'", "needs a name"),
        ("[centre]\nname='x'\ncolour=1", "unknown key(s) colour"),
        ("[centre]\nname='x'\n[centre.targets]\ntwenty=1", "'twenty' is not a year"),
        ("[centre]\nname='x'\n[centre.targets]\n2015=-1", "expected a whole number"),
        ("[centre]\nname='x'\nregion_code='Seoul'", "region_code: 'Seoul' is not a region code"),
        ("[packs]\nenabled='national'", "packs.enabled must be a list"),
        ('[parameters]\n"flat" = 1', "not namespaced"),
    ],
)
def test_configuration_errors_name_the_key(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=r"employkit\.toml") as err:
        config_from_toml(text, "employkit.toml")
    assert message in str(err.value)


def test_missing_file() -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config("/nonexistent/employkit.toml")
