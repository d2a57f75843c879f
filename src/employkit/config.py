"""Centre configuration: ``employkit.toml``.

::

    [centre]
    name = "중구 일자리플러스센터"
    level = "district"            # national | province | district | county
    region_code = "11140"
    counsellors = 3
    officials = 4

    [centre.targets]              # placements per year
    2015 = 2300
    2016 = 2000

    [centre.budget_krw]
    2016 = 99_482_000

    [packs]
    enabled = ["national", "junggu"]   # default: every pack that loads
    strict = false                     # true: a failing pack stops the run
    hook_timeout = 60                  # seconds a pack's hook may take (default 60; 0 = no limit)

    [privacy]
    pseudonym_key_file = "/etc/employkit/pseudonym.key"   # or pseudonym_key, or EMPLOYKIT_PSEUDONYM_KEY

    [parameters]                       # centre overrides, always explicit
    "metrics.suppression.min_cell" = 10
    [[parameters."metrics.quality_job.min_monthly_wage"]]
    from = 2016-01-01
    value = 1_500_000
    source = "centre decision 2016-01"

    [profiling]                        # settings read by the domain packages
    seeker_typology = "profiling.seeker.junggu"

Every error names the file and the key.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from attrs import field, frozen

from employkit.errors import ConfigError, ParameterError
from employkit.labels import Text
from employkit.model import Centre, CentreLevel
from employkit.params import DatedValue, Parameter, parse_parameters

__all__ = ["SETTINGS_SECTIONS", "CentreConfig", "load_config"]

#: Free-form sections read by the domain packages and the CLI.
SETTINGS_SECTIONS = frozenset({"profiling", "matching", "followup", "metrics", "data", "privacy", "report"})
_TOP = frozenset({"centre", "packs", "parameters"}) | SETTINGS_SECTIONS


@frozen(kw_only=True)
class CentreConfig:
    """A centre's configuration. ``CentreConfig()`` is the empty default."""

    centre: Centre | None = None
    enabled_packs: tuple[str, ...] | None = None
    strict: bool = False
    hook_timeout: float | None = None  # seconds; 0 = no limit; None = the host's default
    parameters: tuple[Parameter, ...] = ()
    settings: Mapping[str, Mapping[str, Any]] = field(factory=dict, hash=False)
    path: str | None = None

    def setting(self, section: str, key: str, default: Any = None) -> Any:
        """A value from a settings section (``profiling``, ``followup``…)."""
        return self.settings.get(section, {}).get(key, default)

    @property
    def origin(self) -> str:
        """How explanations name this configuration."""
        return f"centre config {self.path}" if self.path else "centre config"


def _year_table(raw: Any, where: str) -> dict[int, int]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: expected a table of year = number")
    out: dict[int, int] = {}
    for key, value in raw.items():
        try:
            year = int(key)
        except ValueError:
            raise ConfigError(f"{where}: {key!r} is not a year") from None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"{where}.{key}: expected a whole number ≥ 0, got {value!r}")
        out[year] = value
    return out


def _centre(raw: Any, where: str) -> Centre:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: [centre] must be a table")
    unknown = set(raw) - {"name", "level", "region_code", "targets", "budget_krw", "counsellors", "officials"}
    if unknown:
        raise ConfigError(f"{where}: [centre] has unknown key(s) {', '.join(sorted(unknown))}")
    if not isinstance(raw.get("name"), str):
        raise ConfigError(f"{where}: [centre] needs a name")
    for key in ("level", "region_code"):
        if key in raw and not isinstance(raw[key], str):
            raise ConfigError(f"{where}: centre.{key} must be a string, got {raw[key]!r}")
    for key in ("counsellors", "officials"):
        if key in raw and (not isinstance(raw[key], int) or isinstance(raw[key], bool)):
            raise ConfigError(f"{where}: centre.{key} must be a whole number, got {raw[key]!r}")
    try:
        level = CentreLevel.parse(str(raw.get("level", "district")))
        return Centre(
            name=raw["name"],
            level=level,
            region_code=raw.get("region_code"),
            targets=_year_table(raw.get("targets", {}), f"{where}: centre.targets"),
            budget_krw=_year_table(raw.get("budget_krw", {}), f"{where}: centre.budget_krw"),
            counsellors=raw.get("counsellors"),
            officials=raw.get("officials"),
        )
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: [centre]: {exc}") from None


def _parameters(raw: Any, where: str) -> tuple[Parameter, ...]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: [parameters] must be a table")
    entries = []
    for pid, value in raw.items():
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            values = value
        elif isinstance(value, Mapping) and "value" in value:
            values = [value]
        else:
            values = [{"from": dt.date.min, "value": value}]
        entries.append({"id": pid, "ko": pid, "en": pid, "override": True, "value": values})
    try:
        return tuple(parse_parameters({"parameter": entries}, where))
    except ParameterError as exc:
        raise ConfigError(str(exc)) from None


def _refuse_rrn(value: Any, where: str, key: str) -> None:
    """A :class:`ConfigError` when a key or value holds a resident registration number (never shown)."""
    from employkit.sources.cells import RRN_REASON, mask_rrn, rrn_found

    found = rrn_found(value, key or "$")
    if found is not None:
        path, shown = found
        raise ConfigError(f"{where}: {mask_rrn(path.removeprefix('$.'))} {RRN_REASON} (value {shown!r})")


def parse_config(data: Mapping[str, Any], path: str | None = None) -> CentreConfig:
    """Build a configuration from parsed TOML; ``path`` names the file in errors."""
    where = path or "employkit.toml"
    _refuse_rrn(data, where, "")
    unknown = set(data) - _TOP
    if unknown:
        raise ConfigError(
            f"{where}: unknown section(s) {', '.join(sorted(unknown))}; expected {', '.join(sorted(_TOP))}"
        )
    packs = data.get("packs", {})
    if not isinstance(packs, Mapping) or set(packs) - {"enabled", "strict", "hook_timeout"}:
        raise ConfigError(
            f"{where}: [packs] takes only 'enabled' (a list of names), 'strict' (true or false) "
            "and 'hook_timeout' (seconds)"
        )
    enabled = packs.get("enabled")
    if enabled is not None and not (isinstance(enabled, list) and all(isinstance(n, str) for n in enabled)):
        raise ConfigError(f"{where}: packs.enabled must be a list of pack names")
    if not isinstance(packs.get("strict", False), bool):
        raise ConfigError(f"{where}: packs.strict must be true or false, got {packs['strict']!r}")
    timeout = packs.get("hook_timeout")
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 <= timeout < float("inf")
    ):
        raise ConfigError(f"{where}: packs.hook_timeout must be a number of seconds ≥ 0, got {timeout!r}")
    settings: dict[str, Mapping[str, Any]] = {}
    for section in SETTINGS_SECTIONS & set(data):
        if not isinstance(data[section], Mapping):
            raise ConfigError(f"{where}: [{section}] must be a table")
        settings[section] = MappingProxyType(dict(data[section]))
    for key in ("pseudonym_key", "pseudonym_key_file"):
        value = settings.get("privacy", {}).get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{where}: privacy.{key} must be a string")
    return CentreConfig(
        centre=_centre(data["centre"], where) if "centre" in data else None,
        enabled_packs=tuple(enabled) if enabled is not None else None,
        strict=bool(packs.get("strict", False)),
        hook_timeout=float(timeout) if timeout is not None else None,
        parameters=_parameters(data.get("parameters", {}), where),
        settings=MappingProxyType(settings),
        path=path,
    )


def load_config(path: str | Path) -> CentreConfig:
    """Read ``employkit.toml``. Raises :class:`~employkit.errors.ConfigError`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        line = p.read_bytes()[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{p}: line {line}: not UTF-8 text; save the file as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{p}: not valid TOML: arrays or tables nested too deeply") from None
    return parse_config(data, str(p))


def centre_parameter(pid: str, value: Any, since: dt.date = dt.date.min) -> Parameter:
    """A centre-level override of one parameter, for what-if scenarios."""
    return Parameter(
        id=pid, title=Text(pid, pid), values=(DatedValue(value=value, effective_from=since),), override=True
    )
