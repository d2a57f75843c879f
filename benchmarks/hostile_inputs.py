"""What hostile inputs cost now: time and peak memory to refuse each, against a real load.

Builds the small inputs that used to cost gigabytes (a SQLite file whose seekers are a
recursive view, a view of three million rows, an .xlsx with 16,384 sparse columns, a zip
bomb, a CSV with a million-column header) and reads each in a fresh process with the
default ``[data]`` limits, printing the file size, the wall time, the peak resident
memory and the message's first line. The peer is loading the bundled sample centre
written as the same format, in the same run. Goal: no input under 10 MB costs more than
1 GB or 60 s.

    python benchmarks/hostile_inputs.py
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from contextlib import closing
from pathlib import Path

READ = textwrap.dedent(
    """
    import resource, sys, time
    from employkit.errors import EmploykitError
    from employkit.sources import builtin_sources
    location = sys.argv[1]
    source = next(s for s in builtin_sources() if s.can_open(location))
    started = time.perf_counter()
    try:
        data = source.open(location)
        outcome = f"loaded {len(data.seekers)} seekers"
    except EmploykitError as exc:
        outcome = str(exc).splitlines()[-1].strip()[:110]
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{took:.2f}\\t{peak:.0f}\\t{outcome}")
    """
)

VIEW = """CREATE VIEW seekers AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n{stop})
    SELECT 'S' || i AS seeker_id, 1990 AS birth_year, '11140' AS residence_code,
    '2016-01-04' AS registered_on, zeroblob(1000) AS filler FROM n"""


def _sqlite(path: Path, statement: str) -> Path:
    with closing(sqlite3.connect(path)) as db:
        db.execute(statement)
        db.commit()
    return path


def build(folder: Path) -> dict[str, Path]:
    import openpyxl

    from employkit.sources.excel import write_xlsx
    from employkit.sources.readers import write_csv_folder, write_sqlite
    from employkit.synth import sample_centre

    sample = sample_centre()
    cases = {
        "peer: sample centre (.sqlite)": write_sqlite(sample, folder / "sample.sqlite"),
        "peer: sample centre (.xlsx)": write_xlsx(sample, folder / "sample.xlsx"),
        "peer: sample centre (CSV)": write_csv_folder(sample, folder / "sample-csv"),
        "recursive view (.sqlite)": _sqlite(folder / "recursive.sqlite", VIEW.format(stop="")),
        "view of 3M rows (.sqlite)": _sqlite(folder / "rows.sqlite", VIEW.format(stop=" WHERE i < 3000000")),
    }
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "seekers"
    sheet.append(["seeker_id", "birth_year", "residence_code", "registered_on"])
    for row in range(2, 3000):
        sheet.cell(row=row, column=1, value=f"S{row}")
        sheet.cell(row=row, column=16384, value="x")
    book.save(folder / "sparse.xlsx")
    cases["16,384 sparse columns (.xlsx)"] = folder / "sparse.xlsx"
    bomb = write_xlsx(sample, folder / "bomb.xlsx")
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/media/x.bin", "w") as part:
        for _ in range(1200):
            part.write(bytes(1_000_000))
    cases["zip bomb, 1.2 GB unpacked (.xlsx)"] = bomb
    wide = folder / "wide-csv"
    wide.mkdir()
    (wide / "seekers.csv").write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n" + "1," * 999_999 + "1\n")
    cases["1M-column header (CSV)"] = wide
    return cases


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*")) if path.is_dir() else path.stat().st_size


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        cases = build(Path(temp))
        print(f"{'input':36} {'size':>10} {'time s':>7} {'peak MB':>8}  outcome")
        for name, path in cases.items():
            done = subprocess.run(
                [sys.executable, "-c", READ, str(path)], capture_output=True, text=True, timeout=300, check=False
            )
            took, peak, outcome = (done.stdout.strip() or f"nan\tnan\t{done.stderr.strip()[-100:]}").split("\t", 2)
            print(f"{name:36} {size(path):>10,} {float(took):>7.2f} {float(peak):>8.0f}  {outcome}")


if __name__ == "__main__":
    main()
