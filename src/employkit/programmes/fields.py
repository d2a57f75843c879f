"""The facts a programme rule may read, by subject and name, as numpy columns.

A programme decides about one *subject*:

``seeker``
    a registered jobseeker (:class:`~employkit.model.Seeker`);
``employer``
    a hiring firm (:class:`~employkit.model.Employer`);
``hire``
    one placement (:class:`~employkit.model.Placement`) seen from the firm that hired,
    joined with the seeker hired and the firm — what a hiring subsidy is paid for.

Each :class:`Fact` has a :class:`~employkit.decision.Domain`, Korean and English labels
and a reader of one record. :class:`Facts` reads the facts a set of rules needs into
columns (numbers as ``float64`` with ``NaN`` missing, yes/no and codes as integers with
``-1`` missing), once per subject: a centre is a table of many rows, one record a table
of one row, and both are decided by the same code.

A missing fact is never guessed: a reader returns ``None`` when the record does not
say, and the rule decides "missing facts", naming them.

>>> FACTS["seeker"]["insured_days"].label.ko
'피보험단위기간(일)'
>>> months_between(dt.date(2021, 1, 31), dt.date(2021, 2, 28))
0
>>> months_between(dt.date(2021, 1, 15), dt.date(2021, 7, 15))
6
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import field, frozen

from employkit.decision import BOOL, Domain
from employkit.errors import EmploykitError
from employkit.labels import Text
from employkit.model import Employer, Placement, Seeker, SeekerGroup

__all__ = ["FACTS", "SUBJECTS", "Fact", "Facts", "World", "fact", "months_between"]

#: The subjects a programme can decide about, with their labels.
SUBJECTS: Mapping[str, Text] = {
    "seeker": Text("구직자", "jobseeker"),
    "employer": Text("구인기업", "employer"),
    "hire": Text("채용(취업자 1인)", "hire (one person hired)"),
}


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and end.day < start.day:
        months -= 1
    elif months < 0 and end.day > start.day:
        months += 1
    return months


@frozen
class World:
    """What readers may look up beside the record: the centre's region and the linked records."""

    region_code: str | None = None
    seekers: Mapping[str, Seeker] = field(factory=dict)
    employers: Mapping[str, Employer] = field(factory=dict)


Reader = Callable[[Any, dt.date, World], Any]


@frozen
class Fact:
    """One fact of a subject: its domain, labels, and how to read it from a record."""

    subject: str
    name: str
    domain: Domain
    label: Text
    read: Reader
    plain: bool = False  # a number shown as written (a year), without thousands separators

    def column(self, records: Sequence[Any], as_of: dt.date, world: World) -> npt.NDArray[Any]:
        """The fact of every record as one column (``NaN`` or ``-1`` where missing)."""
        values = [self.read(r, as_of, world) for r in records]
        if self.domain.kind == "number":
            return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
        if self.domain.kind == "bool":
            return np.array([-1 if v is None else int(bool(v)) for v in values], dtype=np.int8)
        return np.array([-1 if v is None else self.domain.code(str(v)) for v in values], dtype=np.int16)

    def value(self, raw: Any) -> Any:
        """A column value as a Python value: a number, a bool, a code, or ``None`` when missing."""
        if self.domain.kind == "number":
            x = float(raw)
            return None if np.isnan(x) else (int(x) if x == int(x) else x)
        code = int(raw)
        if code < 0:
            return None
        return bool(code) if self.domain.kind == "bool" else self.domain.values[code]

    def shown(self, raw: Any) -> Any:
        """A column value as explanations show it (a year as written)."""
        value = self.value(raw)
        return str(value) if self.plain and value is not None else value


_NUMBER = Domain("number")
_COUNT = Domain("number", minimum=0)
_MONTH = Domain("number", minimum=1, maximum=12)


def _seeker_facts() -> list[Fact]:
    def age(s: Seeker, day: dt.date, _w: World) -> int | None:
        return s.age_on(day)

    def unemployed_months(s: Seeker, day: dt.date, _w: World) -> int | None:
        return None if s.unemployed_since is None else months_between(s.unemployed_since, day)

    def unemployed(s: Seeker, day: dt.date, _w: World) -> bool | None:
        # the record says when unemployment began; without that date, we do not know
        return None if s.unemployed_since is None else s.unemployed_since <= day

    def resident(s: Seeker, day: dt.date, w: World) -> bool | None:
        if w.region_code is None:
            return None
        from employkit.codes import in_region

        return in_region(s.residence_code, w.region_code)

    def attr(name: str) -> Reader:
        return lambda s, _d, _w: getattr(s, name)

    def group(g: SeekerGroup) -> Reader:
        return lambda s, _d, _w: g in s.groups

    out = [
        Fact("seeker", "age", Domain("number", minimum=0, maximum=150), Text("연령(만)", "age (full years)"), age),
        Fact(
            "seeker",
            "birth_month",
            _MONTH,
            Text("출생 월", "birth month"),
            lambda s, _d, _w: None if s.birth_date is None else s.birth_date.month,
        ),
        Fact(
            "seeker",
            "unemployed",
            BOOL,
            Text("실업 상태(실업 시작일 기록)", "unemployed (start date recorded)"),
            unemployed,
        ),
        Fact("seeker", "unemployed_months", _NUMBER, Text("실업 기간(개월)", "months unemployed"), unemployed_months),
        Fact("seeker", "insured_days", _COUNT, Text("피보험단위기간(일)", "insured days"), attr("insured_days")),
        Fact(
            "seeker",
            "involuntary_leaving",
            BOOL,
            Text("비자발적 이직", "left the last job involuntarily"),
            attr("involuntary_leaving"),
        ),
        Fact("seeker", "regular_income", BOOL, Text("정기 소득 있음", "has a regular income"), attr("regular_income")),
        Fact(
            "seeker",
            "employment_support_participant",
            BOOL,
            Text("국민취업지원제도 참여", "participant of the national employment support programme"),
            attr("employment_support_participant"),
        ),
        Fact("seeker", "resident", BOOL, Text("센터 관할 지역 주민", "resident of the centre's region"), resident),
    ]
    out += [Fact("seeker", f"groups.{g.code}", BOOL, g.label, group(g)) for g in SeekerGroup]
    return out


def _employer_facts() -> list[Fact]:
    def attr(name: str) -> Reader:
        return lambda e, _d, _w: getattr(e, name)

    return [
        Fact("employer", "employees", _COUNT, Text("근로자 수", "employees"), attr("employees")),
        Fact("employer", "sme", BOOL, Text("중소기업", "small or medium-sized enterprise"), attr("sme")),
        Fact(
            "employer",
            "special_industry",
            BOOL,
            Text("특별고용지원업종", "special employment-support industry"),
            attr("special_industry"),
        ),
        Fact(
            "employer",
            "paid_support_days_left",
            _NUMBER,
            Text("유급 고용유지지원금 잔여 지원일수", "days of paid job-retention support left"),
            attr("paid_support_days_left"),
        ),
    ]


def _hire_facts() -> list[Fact]:
    def seeker(p: Placement, w: World) -> Seeker | None:
        return w.seekers.get(p.seeker_id)

    def employer(p: Placement, w: World) -> Employer | None:
        return w.employers.get(p.employer_id)

    def unemployed_before(p: Placement, _d: dt.date, w: World) -> int | None:
        s = seeker(p, w)
        return None if s is None or s.unemployed_since is None else months_between(s.unemployed_since, p.start_date)

    def kept(p: Placement, day: dt.date, _w: World) -> int:
        end = p.ended_on if p.ended_on is not None and p.ended_on < day else day
        return months_between(p.start_date, end)

    def sme(p: Placement, _d: dt.date, w: World) -> bool | None:
        e = employer(p, w)
        return None if e is None else e.sme

    def group(g: SeekerGroup) -> Reader:
        def read(p: Placement, _d: dt.date, w: World) -> bool | None:
            s = seeker(p, w)
            return None if s is None else g in s.groups

        return read

    out = [
        Fact(
            "hire",
            "unemployed_months_before",
            _NUMBER,
            Text("채용 전 실업 기간(개월)", "months unemployed before the hire"),
            unemployed_before,
        ),
        Fact("hire", "months_kept", _NUMBER, Text("고용 유지 기간(개월)", "months employed since the hire"), kept),
        Fact(
            "hire",
            "start_year",
            _NUMBER,
            Text("채용 연도", "year of the hire"),
            lambda p, _d, _w: p.start_date.year,
            True,
        ),
        Fact("hire", "employer.sme", BOOL, Text("채용 기업: 중소기업", "hiring firm is an SME"), sme),
    ]
    out += [
        Fact(
            "hire",
            f"seeker.groups.{g.code}",
            BOOL,
            Text(f"채용된 사람: {g.label.ko}", f"person hired: {g.label.en}"),
            group(g),
        )
        for g in SeekerGroup
    ]
    return out


#: Every fact a programme may read, by subject and name.
FACTS: Mapping[str, Mapping[str, Fact]] = {
    subject: {f.name: f for f in facts}
    for subject, facts in (("seeker", _seeker_facts()), ("employer", _employer_facts()), ("hire", _hire_facts()))
}


def fact(subject: str, name: str) -> Fact:
    """The fact ``name`` of ``subject``; raises :class:`EmploykitError` naming the known ones."""
    if subject not in FACTS:
        raise EmploykitError(f"unknown programme subject {subject!r}; known: {', '.join(FACTS)}")
    try:
        return FACTS[subject][name]
    except KeyError:
        raise EmploykitError(f"unknown {subject} fact {name!r}; known: {', '.join(FACTS[subject])}") from None


def _record_id(subject: str, record: Any) -> str:
    return str(
        record.seeker_id
        if subject == "seeker"
        else record.employer_id
        if subject == "employer"
        else record.placement_id
    )


@frozen(eq=False)
class Facts:
    """The facts of many subjects as columns, as of one date. Build with :meth:`read`."""

    subject: str
    as_of: dt.date
    ids: tuple[str, ...]
    columns: Mapping[str, npt.NDArray[Any]]
    owners: tuple[str, ...] = ()  # hire: the hiring employer of each row

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def read(
        cls, subject: str, records: Sequence[Any], as_of: dt.date, names: Iterable[str], world: World | None = None
    ) -> Facts:
        """Read the facts ``names`` of ``records`` (all of one ``subject``)."""
        world = world or World()
        wanted = sorted(set(names))
        columns = {n: fact(subject, n).column(records, as_of, world) for n in wanted}
        owners = tuple(str(r.employer_id) for r in records) if subject == "hire" else ()
        return cls(subject, as_of, tuple(_record_id(subject, r) for r in records), columns, owners)

    def row(self, i: int, names: Iterable[str]) -> dict[str, Any]:
        """Row ``i`` of the columns ``names``, as explanations show them."""
        return {n: fact(self.subject, n).shown(self.columns[n][i]) for n in names}
