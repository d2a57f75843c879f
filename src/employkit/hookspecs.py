"""Every hook a rule pack can implement.

A pack is a module (or object) whose functions are marked with
:data:`employkit.hookimpl` and named after the specifications below. The built-in
national pack uses exactly these hooks; so does every district pack.

Two families:

*Collect-all* hooks register things. employkit calls each pack's implementation on its
own, so every registered item is attributed to the pack that returned it, a pack whose
hook raises or returns the wrong type is reported by name without stopping the others,
and the loader can check layers and overrides.

*First-result* hooks answer a question that has exactly one answer. Implementations are
asked from the highest layer down (district, regional, national) and the first answer
that is not ``None`` is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from employkit.followup.base import FollowUpPolicy
    from employkit.followup.calendar import BusinessCalendar
    from employkit.matching.base import MatchComponent
    from employkit.metrics.base import KpiDefinition
    from employkit.packs import PackInfo
    from employkit.params import Parameter
    from employkit.profiling.base import EmployerTypology, SeekerTypology
    from employkit.programmes.base import Programme
    from employkit.sources.base import DataSource

PROJECT = "employkit"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

#: Hooks whose answer is the first non-``None`` one, highest layer first.
FIRST_RESULT_HOOKS = frozenset({"employkit_business_calendar"})


@hookspec
def employkit_pack_info() -> PackInfo:  # type: ignore[empty-body]
    """Say who this pack is: name, version, layer, title and declared overrides.

    Called once per pack when it is loaded. Every pack must implement it; a plugin that
    does not is reported as failed. Collect-all.
    """


@hookspec
def employkit_parameters() -> Iterable[Parameter]:  # type: ignore[empty-body]
    """Return the pack's dated parameters, usually read from a file beside it.

    Called once per pack when the rule system is built. Use
    :func:`employkit.params.load_parameters`. A parameter id that a lower layer already
    defines is an override and must be declared (``override = true`` in the file, or in
    :attr:`PackInfo.overrides`). Collect-all.
    """


@hookspec
def employkit_seeker_typologies() -> Iterable[SeekerTypology]:  # type: ignore[empty-body]
    """Return the jobseeker typologies the pack provides.

    Called once per pack when the rule system is built. Each item satisfies
    :class:`employkit.profiling.base.SeekerTypology`. Collect-all.
    """


@hookspec
def employkit_employer_typologies() -> Iterable[EmployerTypology]:  # type: ignore[empty-body]
    """Return the employer (hiring firm) typologies the pack provides.

    Called once per pack when the rule system is built. Each item satisfies
    :class:`employkit.profiling.base.EmployerTypology`. Collect-all.
    """


@hookspec
def employkit_match_components() -> Iterable[MatchComponent]:  # type: ignore[empty-body]
    """Return the seeker–vacancy match components the pack provides.

    Called once per pack when the rule system is built. Each item satisfies
    :class:`employkit.matching.base.MatchComponent`; its weight is a parameter.
    Collect-all.
    """


@hookspec
def employkit_followup_policies() -> Iterable[FollowUpPolicy]:  # type: ignore[empty-body]
    """Return the follow-up policies (contact schedules and outcome rules) of the pack.

    Called once per pack when the rule system is built. Each item satisfies
    :class:`employkit.followup.base.FollowUpPolicy`. Collect-all.
    """


@hookspec
def employkit_kpis() -> Iterable[KpiDefinition]:  # type: ignore[empty-body]
    """Return the KPI definitions of the pack.

    Called once per pack when the rule system is built. Each item satisfies
    :class:`employkit.metrics.base.KpiDefinition`. Collect-all.
    """


@hookspec
def employkit_programmes() -> Iterable[Programme]:  # type: ignore[empty-body]
    """Return the programmes (지원 사업) whose eligibility the pack decides.

    Called once per pack when the rule system is built. Each item satisfies
    :class:`employkit.programmes.base.Programme`: usually a decision table read from
    the pack's TOML by :func:`employkit.programmes.load_programmes`, or a
    :class:`employkit.programmes.ScalarProgramme`. Its amounts and periods are dated
    parameters. Collect-all.
    """


@hookspec
def employkit_data_sources() -> Iterable[DataSource]:  # type: ignore[empty-body]
    """Return the data sources (readers of centre records) of the pack.

    Called once per pack when the rule system is built. Each item satisfies
    :class:`employkit.sources.base.DataSource`. When a location is opened, the sources
    that can open it are tried from the highest layer down. Collect-all.
    """


@hookspec
def employkit_cli_commands() -> Iterable[click.Command]:  # type: ignore[empty-body]
    """Return extra ``click`` commands to add to the ``employkit`` command line.

    Called once per pack when the CLI starts. A command whose name is already taken is
    reported and left out. Collect-all.
    """


@hookspec(firstresult=True)
def employkit_business_calendar(region_code: str | None) -> BusinessCalendar | None:
    """Return the calendar of business days for a region, or ``None`` to pass.

    Called when a schedule needs working days (follow-up due dates). ``region_code`` is
    the centre's region, so a district can add its own closing days. First-result:
    asked from the highest layer down; the national pack answers with Korean public
    holidays.
    """
