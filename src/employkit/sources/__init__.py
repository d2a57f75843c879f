"""Data sources: readers of a centre's records, registered through ``employkit_data_sources``."""

from employkit.sources.base import DataSource

__all__ = ["DataSource"]
