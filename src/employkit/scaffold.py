"""``employkit new-plugin``: write the skeleton of a rule pack that passes its own tests.

The skeleton is a complete, installable pack: a ``pyproject.toml`` declaring the
``employkit`` entry point, a package with its identity, a seeker typology written as a
decision table in ``profiling.toml`` (no Python: the table is checked when the pack
loads), a programme's eligibility as a decision table in ``programmes.toml`` with the
amount and period it grants as dated parameters, one dated parameter with its source
and a KPI that reads it, and tests written with :mod:`employkit.testing`. A district
starts from it and replaces the example rows and rules with its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from string import Template

from employkit._version import __version__
from employkit.atomic import atomic_folder
from employkit.errors import EmploykitError
from employkit.packs import Layer, region_codes

__all__ = ["PackSkeleton", "skeleton", "write_skeleton"]

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class ScaffoldError(EmploykitError):
    """The pack name or target folder cannot be used."""


PYPROJECT = Template("""\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "employkit-$dist"
version = "0.1.0"
description = "$title rules for employkit."
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["employkit>=$employkit_version"]

[project.optional-dependencies]
test = ["pytest>=8"]

# The entry point is how employkit finds the pack: group "employkit", name = pack name.
[project.entry-points.employkit]
$name = "$package"

[tool.setuptools.packages.find]
where = ["src"]

[tool.setuptools.package-data]
$package = ["*.toml", "py.typed"]

[tool.pytest.ini_options]
testpaths = ["tests"]
""")

INIT = Template('''\
"""$title: an employkit rule pack ($layer layer).

Hooks are plain functions marked with ``hookimpl``; employkit calls each one and
attributes what it returns to this pack. The seeker typology and the programme are
data: decision tables in ``profiling.toml`` and ``programmes.toml``. Add match
components, follow-up policies or data sources with the other hooks (see the plugin
author guide).
"""

from __future__ import annotations

from collections.abc import Iterable
from employkit.hookspecs import hookimpl
from employkit.labels import Text
from employkit.metrics.base import KpiDefinition
from employkit.metrics.kpis import FormulaKpi
from employkit.metrics.measures import Count, Param, Where
from employkit.packs import Layer, PackInfo, RuleMeta
from employkit.params import Parameter, load_pack_parameters
from employkit.profiling.base import SeekerTypology
from employkit.profiling.tables import load_decision_tables
from employkit.programmes import Programme, load_programmes

__version__ = "0.1.0"

PACK = PackInfo(
    name="$name",
    version=__version__,
    layer=Layer.$layer_member,
    title=Text("$title", "$title"),
    regions=$regions,  # where the pack applies: district (5 digits) or province (2 digits) codes
)

#: The example rule: placements of older seekers, the age limit a dated parameter.
OLDER_PLACEMENTS = FormulaKpi(
    meta=RuleMeta(
        rule_id="metrics.$name.older_placements",
        title=Text("고령 구직자 취업 건수", "placements of older seekers"),
        parameters=("$name.kpi.older_age",),
    ),
    key="${name}_older_placements",
    numerator=Count("placements", where=(Where("age", "ge", Param("$name.kpi.older_age")),)),
    unit="people",
)


@hookimpl
def employkit_pack_info() -> PackInfo:
    """Who this pack is."""
    return PACK


@hookimpl
def employkit_seeker_typologies() -> Iterable[SeekerTypology]:
    """The pack's seeker typologies: the decision tables of every ``*.toml`` file beside this module."""
    return load_decision_tables(__package__)


@hookimpl
def employkit_parameters() -> Iterable[Parameter]:
    """The pack's dated parameters: every ``*.toml`` file beside this module."""
    return load_pack_parameters(__package__)


@hookimpl
def employkit_programmes() -> Iterable[Programme]:
    """The pack's programmes: the ``[[programme]]`` tables of every ``*.toml`` file beside this module."""
    return load_programmes(__package__)


@hookimpl
def employkit_kpis() -> Iterable[KpiDefinition]:
    """The pack's KPIs."""
    return [OLDER_PLACEMENTS]
''')

PARAMETERS = Template("""\
# Parameters of the $name pack. Each value has the period it is in force (both ends
# inclusive) and a source: a document and a place in it. Change values here, not in code.

[[parameter]]
id = "$name.kpi.older_age"
ko = "고령 구직자 기준 연령"
en = "age from which a seeker counts as older"
unit = "years"
description = "Used by the KPI metrics.$name.older_placements."
  [[parameter.value]]
  from = 2015-01-01
  value = 60
  source = "the centre's employment plan#the page that defines older seekers"
""")

PROFILING = Template("""\
# The $name pack's seeker typology, as a decision table (no Python needed). employkit
# checks it when the pack loads: every combination of the inputs must be covered by
# exactly one row (hit policy "unique"), or the pack is refused with the row and an
# example of the case. Cells: "any", "missing", "present", a value ("low"), several
# ("mid|high"), a comparison (">= mid", "< 35") or a range ("[18, 34]").
# Replace the rows and segments with your plan's, each row with the line it comes from.

[[seeker_typology]]
id = "profiling.seeker.$name"
ko = "$title 구직자 유형분류"
en = "$title seeker types"
source = "the centre's employment plan#the page that defines the types"
effective_from = 2015-01-01
hit_policy = "unique"

  [[seeker_typology.input]]
  name = "motivation"
  field = "intake.motivation"

  [[seeker_typology.input]]
  name = "ability"
  field = "intake.ability"

  [[seeker_typology.segment]]
  code = "ready"
  ko = "즉시 취업알선"
  en = "ready for referral"
  group = "ready"
  services = [{ code = "job_referral", ko = "취업알선", en = "job referral" }]

  [[seeker_typology.segment]]
  code = "motivation"
  ko = "취업의욕 부족"
  en = "motivation lacking"
  group = "needs_preparation"
  services = [{ code = "in_depth_counselling", ko = "심층상담", en = "in-depth counselling" }]

  [[seeker_typology.segment]]
  code = "ability"
  ko = "취업능력 부족"
  en = "ability lacking"
  group = "needs_preparation"
  services = [{ code = "training", ko = "직업훈련", en = "vocational training" }]

  [[seeker_typology.segment]]
  code = "counsellor_review"
  ko = "상담사 판단 필요"
  en = "needs counsellor review"
  services = [{ code = "counsellor_decision", ko = "상담사가 유형 결정", en = "the counsellor decides" }]

  [[seeker_typology.row]]
  when = { motivation = "missing" }
  missing = ["motivation"]

  [[seeker_typology.row]]
  when = { motivation = "present", ability = "missing" }
  missing = ["ability"]

  [[seeker_typology.row]]
  when = { motivation = ">= mid", ability = ">= mid" }
  output = "ready"
  ko = "취업의욕·능력 충분"
  en = "motivation and ability sufficient"

  [[seeker_typology.row]]
  when = { motivation = "low", ability = ">= mid" }
  output = "motivation"
  ko = "취업의욕 부족"
  en = "motivation lacking"

  [[seeker_typology.row]]
  when = { motivation = ">= mid", ability = "low" }
  output = "ability"
  ko = "취업능력 부족"
  en = "ability lacking"

  [[seeker_typology.row]]
  when = { motivation = "low", ability = "low" }
  output = "counsellor_review"
  ko = "둘 다 부족: 계획에 기준 없음 → 상담사 판단"
  en = "both lacking: the plan sets no rule → counsellor review"
""")

PROGRAMMES = Template("""\
# The $name pack's programmes (지원 사업), as decision tables: who is eligible, who is not
# and why, and what is missing to decide. employkit checks each table when the pack
# loads: under hit policy "first" the rows are read in order and the first match wins;
# a combination no row covers, or a row that can never fire, refuses the pack with the
# row and an example. An outcome may grant an amount and a period, both dated parameters
# (below), so a change of amount is a new dated value, not a new table.
# Replace the rows, outcomes and figures with your plan's, each with the line it comes from.

[[programme]]
id = "programmes.$name.youth_allowance"
ko = "$title 청년 구직수당"
en = "$title youth job-seeking allowance"
subject = "seeker"
source = "the centre's employment plan#the page that defines the allowance"
effective_from = 2015-01-01
hit_policy = "first"

  [[programme.input]]
  name = "age"
  field = "age"
  [[programme.input]]
  name = "unemployed"
  field = "unemployed"

  [[programme.outcome]]
  code = "eligible"
  status = "eligible"
  ko = "대상"
  en = "eligible"
  amount = "programmes.$name.youth_allowance.monthly_amount"
  period = "programmes.$name.youth_allowance.months"
  [[programme.outcome]]
  code = "under_18"
  status = "not_eligible"
  ko = "비대상: 만 18세 미만"
  en = "not eligible: under 18"
  [[programme.outcome]]
  code = "over_34"
  status = "not_eligible"
  ko = "비대상: 만 34세 초과"
  en = "not eligible: over 34"
  [[programme.outcome]]
  code = "employed"
  status = "not_eligible"
  ko = "비대상: 실업 상태 아님"
  en = "not eligible: not unemployed"

  [[programme.row]]
  when = { age = "missing" }
  missing = ["age"]
  [[programme.row]]
  when = { age = "< 18" }
  output = "under_18"
  [[programme.row]]
  when = { age = "> 34" }
  output = "over_34"
  [[programme.row]]
  when = { unemployed = "missing" }
  missing = ["unemployed"]
  [[programme.row]]
  when = { unemployed = false }
  output = "employed"
  [[programme.row]]
  when = { unemployed = true }
  output = "eligible"

[[parameter]]
id = "programmes.$name.youth_allowance.monthly_amount"
ko = "청년 구직수당 월 지급액"
en = "youth allowance per month"
unit = "KRW/month"
  [[parameter.value]]
  from = 2015-01-01
  value = 500_000
  source = "the centre's employment plan#the page that gives the amount"

[[parameter]]
id = "programmes.$name.youth_allowance.months"
ko = "청년 구직수당 지급 기간"
en = "youth allowance months"
unit = "months"
  [[parameter.value]]
  from = 2015-01-01
  value = 6
  source = "the centre's employment plan#the page that gives the period"
""")

TESTS = Template('''\
"""Tests of the $name pack, written with employkit's test kit."""

from __future__ import annotations

import datetime as dt

import $package as pack
from employkit.metrics.report import kpi_report
from employkit.model import Intake, Level, Seeker
from employkit.profiling.api import classify_seeker
from employkit.programmes import eligibility
from employkit.synth import sample_centre
from employkit.testing import make_system

AS_OF = dt.date(2015, 12, 31)
TYPOLOGY = "profiling.seeker.$name"
ALLOWANCE = "programmes.$name.youth_allowance"


def seeker(**answers: Level) -> Seeker:
    return Seeker(seeker_id="S1", residence_code="11140", registered_on=AS_OF, intake=Intake(**answers))


def test_typology_table_classes_seekers_and_names_its_row() -> None:
    system = make_system(pack, strict=True)  # a table with a gap or an overlap would fail here
    p = classify_seeker(seeker(motivation=Level.LOW, ability=Level.HIGH), system, AS_OF, TYPOLOGY)
    assert p.segment is not None and p.segment.code == "motivation"
    assert p.explanation.pack == "$name" and p.explanation.inputs["row"] == 4
    missing = classify_seeker(seeker(motivation=Level.HIGH), system, AS_OF, TYPOLOGY)
    assert missing.segment is None and missing.missing == ("ability",)


def test_programme_table_decides_eligibility_and_the_grant() -> None:
    system = make_system(pack, strict=True)  # a table with a gap or a dead row would fail here

    def decide(**facts: object) -> tuple[str, str | None, tuple[str, ...], int | None]:
        person = Seeker(seeker_id="S1", residence_code="11140", registered_on=AS_OF, **facts)  # type: ignore[arg-type]
        (found,) = eligibility(person, system, AS_OF, programme=ALLOWANCE)
        return found.status, found.outcome, found.missing, found.grant.total

    unemployed = dt.date(2015, 6, 1)
    grant = 500_000 * 6
    assert decide(birth_date=dt.date(1990, 5, 1), unemployed_since=unemployed) == ("eligible", "eligible", (), grant)
    assert decide(birth_date=dt.date(1998, 1, 1), unemployed_since=unemployed)[1] == "under_18"  # 17 on AS_OF
    assert decide(birth_date=dt.date(1980, 12, 31), unemployed_since=unemployed)[1] == "over_34"  # 35 on AS_OF
    assert decide(birth_date=dt.date(1990, 5, 1)) == ("missing", None, ("unemployed",), None)


def test_programme_amount_is_a_dated_parameter_a_centre_can_vary() -> None:
    system = make_system(pack).with_parameters({"programmes.$name.youth_allowance.monthly_amount": 400_000})
    person = Seeker(
        seeker_id="S1",
        residence_code="11140",
        registered_on=AS_OF,
        birth_date=dt.date(1990, 5, 1),
        unemployed_since=dt.date(2015, 6, 1),
    )
    (found,) = eligibility(person, system, AS_OF, programme=ALLOWANCE)
    assert (found.grant.amount, found.grant.period) == (400_000, 6) and found.explanation.pack == "$name"


def test_pack_loads_without_failures_or_conflicts() -> None:
    system = make_system(pack, strict=True)
    assert [p.name for p in system.active] == ["national", "$name"]
    assert system.conflicts == () and system.gaps == ()


def test_parameter_is_in_force_with_its_source() -> None:
    use = make_system(pack).parameter("$name.kpi.older_age", AS_OF)
    assert use.value == 60 and use.pack == "$name" and use.source is not None


def test_kpi_counts_placements_of_older_seekers_on_the_sample_centre() -> None:
    data = sample_centre()
    result = kpi_report(data, make_system(pack), AS_OF).get("${name}_older_placements")
    assert result.error is None and result.pack == "$name"
    seekers = data.seekers_by_id
    expected = sum(
        1
        for p in data.placements
        if p.start_date.year == 2015 and seekers[p.seeker_id].age_on(p.start_date) >= 60
    )
    assert result.value is not None and result.value.numerator == expected > 0


def test_raising_the_age_limit_lowers_the_count() -> None:
    system = make_system(pack)
    base = kpi_report(sample_centre(), system, AS_OF).get("${name}_older_placements").value
    what_if = system.with_parameters({"$name.kpi.older_age": 70})
    later = kpi_report(sample_centre(), what_if, AS_OF).get("${name}_older_placements").value
    assert base is not None and later is not None and later.numerator < base.numerator
''')

README = Template("""\
# employkit-$dist

$title rules for [employkit](https://pypi.org/project/employkit/), as a $layer pack.

    pip install -e .            # install the pack (employkit finds it by its entry point)
    employkit plugins           # the pack is listed, with its hooks
    python -m pytest            # its tests, written with employkit.testing

What is inside:

- `src/$package/profiling.toml` — the seeker typology as a decision table, checked when
  the pack loads (no Python needed).
- `src/$package/programmes.toml` — a programme's eligibility as a decision table, with
  the amount and period it grants as dated parameters (`employkit eligibility` decides it).
- `src/$package/__init__.py` — the pack's identity and its hooks; the typology loader and
  one example rule in Python, a KPI counting placements of older seekers.
- `src/$package/parameters.toml` — dated parameters, each value with its source.
- `tests/` — tests that the pack loads cleanly and that its rule gives the right answer.

Enable it in a centre's `employkit.toml` (by default every installed pack is active):

    [packs]
    enabled = ["national", "$name"]
""")


class PackSkeleton:
    """The files of a new pack, by path relative to the pack folder."""

    def __init__(self, name: str, files: dict[str, str]) -> None:
        self.name = name
        self.files = files


def skeleton(
    name: str, *, layer: Layer | str = Layer.DISTRICT, title: str | None = None, regions: Sequence[str] = ()
) -> PackSkeleton:
    """The files of a pack called ``name`` (lower-case letters, digits, ``_``).

    ``regions`` are the district or province codes the pack applies to; a pack with none
    applies only where a centre enables it by name.

    >>> sorted(skeleton("gangnam").files)  # doctest: +NORMALIZE_WHITESPACE
    ['README.md', 'pyproject.toml', 'src/employkit_gangnam/__init__.py',
     'src/employkit_gangnam/parameters.toml', 'src/employkit_gangnam/profiling.toml',
     'src/employkit_gangnam/programmes.toml', 'src/employkit_gangnam/py.typed',
     'tests/test_gangnam.py']
    """
    if not _NAME.match(name):
        shown = name if len(name) <= 70 else f"{name[:60]}… ({len(name)} characters)"
        raise ScaffoldError(
            f"pack name {shown!r}: use at most 64 lower-case letters, digits and '_', starting with a letter"
        )
    level = Layer.parse(layer) if isinstance(layer, str) else layer
    if level not in (Layer.REGIONAL, Layer.DISTRICT):
        raise ScaffoldError(f"layer {level.code!r}: a new pack is regional or district")
    try:
        codes = region_codes(regions)
    except ValueError as exc:
        raise ScaffoldError(str(exc)) from None
    package = f"employkit_{name}"
    fields = {
        "regions": repr(codes),
        "name": name,
        "dist": name.replace("_", "-"),
        "package": package,
        "title": title or f"{name} job centre",
        "layer": level.code,
        "layer_member": level.name,
        "employkit_version": __version__,
    }
    files = {
        "pyproject.toml": PYPROJECT.substitute(fields),
        "README.md": README.substitute(fields),
        f"src/{package}/__init__.py": INIT.substitute(fields),
        f"src/{package}/parameters.toml": PARAMETERS.substitute(fields),
        f"src/{package}/profiling.toml": PROFILING.substitute(fields),
        f"src/{package}/programmes.toml": PROGRAMMES.substitute(fields),
        f"src/{package}/py.typed": "",
        f"tests/test_{name}.py": TESTS.substitute(fields),
    }
    return PackSkeleton(name, files)


def write_skeleton(
    name: str,
    directory: str | Path = ".",
    *,
    layer: Layer | str = Layer.DISTRICT,
    title: str | None = None,
    regions: Sequence[str] = (),
) -> Path:
    """Write the pack ``name`` into ``directory/employkit-<name>`` and return that folder.

    Refuses to overwrite an existing folder.
    """
    pack = skeleton(name, layer=layer, title=title, regions=regions)
    target = Path(directory) / f"employkit-{name.replace('_', '-')}"
    if target.exists():
        raise ScaffoldError(f"{target} already exists; choose another --dir or remove it")
    with atomic_folder(target) as temp:
        for rel, text in pack.files.items():
            path = temp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return target
