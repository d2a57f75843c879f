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

    period_start = 2015-01-01     # the reporting period; its end is the reference date
    period_end = 2015-12-31

    [packs]                       # the national pack and the packs of the centre's region apply
    enabled = ["logit_example"]   # packs enabled by name besides those (any layer, any region)
    disabled = ["chungnam"]       # packs never used by this centre
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

from attrs import evolve, field, frozen

from employkit.errors import ConfigError, ParameterError
from employkit.labels import Text
from employkit.model import Centre, CentreLevel, Period
from employkit.params import DatedValue, Parameter, parse_parameters

__all__ = ["SETTINGS_SECTIONS", "CentreConfig", "load_config", "merge_centres"]

#: Free-form sections read by the domain packages and the CLI.
SETTINGS_SECTIONS = frozenset({"profiling", "matching", "followup", "metrics", "data", "privacy", "report"})
_TOP = frozenset({"centre", "packs", "parameters"}) | SETTINGS_SECTIONS


@frozen(kw_only=True)
class CentreConfig:
    """A centre's configuration. ``CentreConfig()`` is the empty default."""

    centre: Centre | None = None
    enabled_packs: tuple[str, ...] | None = None
    disabled_packs: tuple[str, ...] = ()
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

    @property
    def region_code(self) -> str | None:
        """The centre's region code, if the configuration gives one."""
        return self.centre.region_code if self.centre is not None else None

    def with_centre(self, centre: Centre | None) -> CentreConfig:
        """This configuration for ``centre`` (the facts of the configuration win, the rest fill in)."""
        return evolve(self, centre=merge_centres(self.centre, centre))


def merge_centres(first: Centre | None, second: Centre | None) -> Centre | None:
    """One centre from two descriptions: ``first`` wins where both give a fact.

    Used to combine ``employkit.toml``'s ``[centre]`` with the data's ``centre.toml``.

    >>> from employkit.model import CentreLevel
    >>> a = Centre(name="강남구 일자리센터", level=CentreLevel.DISTRICT, region_code="11680")
    >>> b = Centre(name="data", level=CentreLevel.DISTRICT, region_code="11140", targets={2015: 10})
    >>> m = merge_centres(a, b)
    >>> m.name, m.region_code, dict(m.targets)
    ('강남구 일자리센터', '11680', {2015: 10})
    """
    if first is None or second is None:
        return first or second
    return Centre(
        name=first.name,
        level=first.level,
        region_code=first.region_code if first.region_code is not None else second.region_code,
        targets={**second.targets, **first.targets},
        budget_krw={**second.budget_krw, **first.budget_krw},
        counsellors=first.counsellors if first.counsellors is not None else second.counsellors,
        officials=first.officials if first.officials is not None else second.officials,
        period=first.period if first.period is not None else second.period,
    )


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
    unknown = set(raw) - {
        "name",
        "level",
        "region_code",
        "targets",
        "budget_krw",
        "counsellors",
        "officials",
        "period_start",
        "period_end",
    }
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
    period = _period(raw.get("period_start"), raw.get("period_end"), where)
    try:
        level = CentreLevel.parse(str(raw.get("level", "district")))
        return Centre(
            period=period,
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


def _date(value: Any, where: str, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"{where}: centre.{key} must be a date such as 2015-12-31, got {value!r}")


def _period(start: Any, end: Any, where: str) -> Period | None:
    if start is None and end is None:
        return None
    if start is None or end is None:
        missing = "period_start" if start is None else "period_end"
        raise ConfigError(f"{where}: [centre] gives one end of its reporting period; add {missing}")
    first, last = _date(start, where, "period_start"), _date(end, where, "period_end")
    if last < first:
        raise ConfigError(f"{where}: centre.period_end ({last}) is before centre.period_start ({first})")
    return Period(first, last)


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
    if not isinstance(packs, Mapping) or set(packs) - {"enabled", "disabled", "strict", "hook_timeout"}:
        raise ConfigError(
            f"{where}: [packs] takes only 'enabled' and 'disabled' (lists of pack names), "
            "'strict' (true or false) and 'hook_timeout' (seconds)"
        )
    enabled = packs.get("enabled")
    for key in ("enabled", "disabled"):
        names = packs.get(key)
        if names is not None and not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
            raise ConfigError(f"{where}: packs.{key} must be a list of pack names")
    disabled = tuple(packs.get("disabled", ()))
    both = sorted(set(enabled or ()) & set(disabled))
    if both:
        raise ConfigError(f"{where}: packs {', '.join(both)} are both enabled and disabled")
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
        disabled_packs=disabled,
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
