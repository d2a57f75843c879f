"""The bundled sample centre as a data source: ``--source sample`` (the default)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from employkit.labels import Text
from employkit.packs import RuleMeta

if TYPE_CHECKING:
    from employkit.dataset import Dataset

__all__ = ["SAMPLE", "SampleSource"]

#: The location that names the bundled sample centre.
SAMPLE = "sample"

SAMPLE_META = RuleMeta(
    rule_id="source.sample",
    title=Text("예시 센터 (중구 2015 합성 자료)", "sample centre (synthetic, Jung-gu 2015 totals)"),
    description=Text(
        "내장 합성 센터 자료: 위치 'sample' 또는 'sample:junggu-2015'",
        "The bundled synthetic district centre; location 'sample' or 'sample:junggu-2015'.",
    ),
)


class SampleSource:
    """Opens ``sample`` (or ``sample:junggu-2015``): :func:`employkit.synth.sample_centre`."""

    meta: RuleMeta = SAMPLE_META

    def can_open(self, location: str) -> bool:
        """Whether ``location`` names the bundled sample centre."""
        return location in (SAMPLE, "sample:junggu-2015")

    def open(self, location: str) -> Dataset:
        """The sample centre (built once per process, deterministic)."""
        from employkit.synth import sample_centre

        return sample_centre()
