"""What a data source is."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.packs import RuleMeta

__all__ = ["DataSource"]


@runtime_checkable
class DataSource(Protocol):
    """A reader of centre records, registered by ``employkit_data_sources``."""

    @property
    def meta(self) -> RuleMeta:
        """The source's metadata (id such as ``source.csv_folder``)."""
        ...

    def can_open(self, location: str) -> bool:
        """Whether this source reads ``location`` (a path or a URI)."""
        ...

    def open(self, location: str) -> Dataset:
        """Read every table at ``location``; raise :class:`employkit.errors.DataError` if invalid."""
        ...
