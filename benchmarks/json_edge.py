"""The JSON edge against its peers: one record, and a whole dataset object, in the same run.

Times :func:`employkit.converter.structure` (every check of the file readers, problems
with paths and codes) on the sample centre's seekers as JSON, against plain cattrs
(``converter.converter.structure``: no codes, ranges or resident-number checks) and
against the CSV reader on the same records; then
:func:`employkit.converter.structure_dataset` on the whole sample centre against reading
the same data from a CSV folder. Prints figures and ratios.

    python benchmarks/json_edge.py [--records N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable

from employkit.converter import converter, structure, structure_dataset, unstructure
from employkit.model import Seeker
from employkit.sources.readers import CsvFolderSource, write_csv_folder
from employkit.synth import sample_centre


def best(run: Callable[[], object], repeat: int = 3) -> float:
    """The best wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=2000)
    args = parser.parse_args()
    data = sample_centre()
    seekers = [unstructure(s) for s in data.seekers[: args.records]]
    n = len(seekers)
    edge = best(lambda: [structure(s, Seeker) for s in seekers])
    plain = best(lambda: [converter.structure(s, Seeker) for s in seekers])
    print(f"one record at a time, {n:,} seekers:")
    print(f"  employkit.converter.structure   {edge / n * 1e6:8.1f} µs/record")
    print(f"  cattrs alone (no checks)        {plain / n * 1e6:8.1f} µs/record   edge/cattrs {edge / plain:.1f}x")
    body = {
        "seekers": [unstructure(s) for s in data.seekers],
        "employers": [unstructure(e) for e in data.employers],
        "vacancies": [unstructure(v) for v in data.vacancies],
        "placements": [unstructure(p) for p in data.placements],
        "followups": [unstructure(f) for f in data.followups],
    }
    records = sum(len(v) for v in body.values())
    whole = best(lambda: structure_dataset(body))
    with tempfile.TemporaryDirectory() as folder:
        write_csv_folder(data, folder)
        csv = best(lambda: CsvFolderSource().open(folder))
    print(f"a whole dataset object, {records:,} records (the sample centre):")
    print(f"  structure_dataset               {whole * 1000:8.0f} ms")
    print(f"  the CSV folder reader           {csv * 1000:8.0f} ms   json/csv {whole / csv:.2f}x")
    print(f"  per record                      {statistics.fmean([whole / records * 1e6]):8.1f} µs")


if __name__ == "__main__":
    main()
