"""A centre dataset: the tables one centre keeps, as model records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import Any

from attrs import field, frozen

from employkit.model import Centre, Employer, FollowUpContact, Placement, Seeker, Vacancy

__all__ = ["Dataset"]


# Typed converters: a caller may pass any iterable, the dataset keeps tuples.
def _seekers(values: Iterable[Seeker]) -> tuple[Seeker, ...]:
    return tuple(values)


def _employers(values: Iterable[Employer]) -> tuple[Employer, ...]:
    return tuple(values)


def _vacancies(values: Iterable[Vacancy]) -> tuple[Vacancy, ...]:
    return tuple(values)


def _placements(values: Iterable[Placement]) -> tuple[Placement, ...]:
    return tuple(values)


def _followups(values: Iterable[FollowUpContact]) -> tuple[FollowUpContact, ...]:
    return tuple(values)


@frozen(kw_only=True)
class Dataset:
    """The records of one centre. Built by a data source; never half-loaded.

    ``origin`` says where it was read from (a path or a source's description).
    """

    seekers: tuple[Seeker, ...] = field(default=(), converter=_seekers)
    employers: tuple[Employer, ...] = field(default=(), converter=_employers)
    vacancies: tuple[Vacancy, ...] = field(default=(), converter=_vacancies)
    placements: tuple[Placement, ...] = field(default=(), converter=_placements)
    followups: tuple[FollowUpContact, ...] = field(default=(), converter=_followups)
    centre: Centre | None = None
    origin: str = field(default="", eq=False)

    @classmethod
    def from_tables(
        cls, records: Mapping[str, Sequence[Any]], centre: Centre | None = None, origin: str = ""
    ) -> Dataset:
        """The dataset of checked records by table name (``seekers``, ``employers``…; a missing table is empty)."""
        return cls(
            seekers=records.get("seekers", ()),
            employers=records.get("employers", ()),
            vacancies=records.get("vacancies", ()),
            placements=records.get("placements", ()),
            followups=records.get("followups", ()),
            centre=centre,
            origin=origin,
        )

    @cached_property
    def seekers_by_id(self) -> Mapping[str, Seeker]:
        """Seekers keyed by ``seeker_id``."""
        return {s.seeker_id: s for s in self.seekers}

    @cached_property
    def employers_by_id(self) -> Mapping[str, Employer]:
        """Employers keyed by ``employer_id``."""
        return {e.employer_id: e for e in self.employers}

    @cached_property
    def vacancies_by_id(self) -> Mapping[str, Vacancy]:
        """Vacancies keyed by ``vacancy_id``."""
        return {v.vacancy_id: v for v in self.vacancies}
