"""The decision log: an append-only JSON Lines file, and replaying what it holds.

:class:`DecisionLog` appends one :class:`~employkit.accountability.decisions.DecisionRecord`
per line. An append takes an exclusive lock, writes the whole line with one ``write``
on a file opened for appending, and ``fsync``\\ s it (and the folder when the file is
new): existing lines are never rewritten. Each record carries ``prev_hash``, the
SHA-256 of the line before it, so :meth:`DecisionLog.verify` detects a line changed,
removed or inserted. A line cut short by a crash is left as it is and reported; the
next append starts on a new line.

:func:`replay` re-runs a logged decision with the rule system at hand. It first checks
that every pack the decision used is active in the same version, that every parameter
value it used is still the value of that date, and that the centre settings it depends
on are the same; otherwise it raises :class:`ReplayMismatch` naming each difference.
Then it re-runs the decision from the logged inputs and compares the result with the
logged one, field by field.

>>> import datetime as dt, pathlib, tempfile
>>> from employkit.model import Intake, Level, Seeker
>>> from employkit.profiling.api import classify_seeker
>>> from employkit.testing import make_system
>>> from employkit.accountability.decisions import segment_decision
>>> system = make_system()
>>> s = Seeker(seeker_id="S1", residence_code="11140", registered_on=dt.date(2022, 3, 2),
...            intake=Intake(job_field_decided=True, employability=Level.HIGH, mobile=True))
>>> log = DecisionLog(pathlib.Path(tempfile.mkdtemp()) / "decisions.jsonl")
>>> _ = log.append(segment_decision(classify_seeker(s, system, dt.date(2022, 3, 2)), s, system, key="k"))
>>> [r.identical for r in replay_log(log, system)]
[True]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from employkit._version import __version__
from employkit.accountability.decisions import (
    SCHEMA,
    SCHEMA_VERSION,
    DecisionKind,
    DecisionRecord,
    action_result,
    dataset_fingerprint,
    from_data,
    kpi_result,
    match_result,
    override_result,
    plain,
    pool_fingerprint,
    profile_result,
    settings_of,
    to_line,
)
from employkit.atomic import write_text_atomic
from employkit.converter import structure
from employkit.errors import ConfigError, DataError, EmploykitError, ParameterError, Problem, RuleNotFound
from employkit.labels import Text
from employkit.model import Placement, Seeker, Vacancy
from employkit.profiling.api import pseudonym

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.rules import RuleSystem

try:  # POSIX: serialise appends from several processes
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

__all__ = ["DecisionLog", "ReplayMismatch", "ReplayResult", "check_replayable", "replay", "replay_log"]


class ReplayMismatch(EmploykitError):
    """A logged decision cannot be replayed with these packs: the message names each difference."""

    def __init__(self, decision_id: str, problems: Sequence[str]) -> None:
        self.decision_id = decision_id
        self.problems = tuple(problems)
        super().__init__(f"decision {decision_id} cannot be replayed here: " + "; ".join(self.problems))


def _line_hash(line: bytes) -> str:
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


class DecisionLog:
    """An append-only JSON Lines file of decision records."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"DecisionLog({str(self.path)!r})"

    # ------------------------------------------------------------------ writing

    def append(self, record: DecisionRecord) -> DecisionRecord:
        """Append ``record`` (with ``prev_hash`` set); returns the record as stored."""
        return self.extend([record])[0]

    def extend(self, records: Sequence[DecisionRecord]) -> list[DecisionRecord]:
        """Append several records under one lock, each line written and synced in turn.

        A record holding a resident registration number anywhere (records built by
        :mod:`~employkit.accountability.decisions` have them masked) is refused before
        anything is written.
        """
        from employkit.accountability.decisions import plain
        from employkit.sources.cells import RRN_REASON, rrn_found

        for record in records:
            found = rrn_found(plain(record))
            if found is not None:
                problem = Problem(RRN_REASON, str(self.path), None, None, found[0], found[1])
                raise DataError([problem], f"decision {record.decision_id} refused")
        created = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        stored: list[DecisionRecord] = []
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            last, torn = _tail(fd)
            if torn:  # a line cut short: end it, so the next record starts on its own line
                os.write(fd, b"\n")
                last = None
            prev = _line_hash(last) if last else None
            for record in records:
                kept = attrs.evolve(record, prev_hash=prev)
                line = (to_line(kept) + "\n").encode("utf-8")
                os.write(fd, line)
                os.fsync(fd)
                prev = _line_hash(line)
                stored.append(kept)
        finally:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        if created:
            _sync_folder(self.path.parent)
        return stored

    def export(self, path: str | Path, kinds: Sequence[str] | None = None) -> Path:
        """Write the lines of the given kinds (all when ``None``) to ``path``, atomically.

        The lines are copied as they are, so their hashes still check line by line;
        a filtered copy's chain is broken where lines were left out (by design).
        """
        wanted = None if kinds is None else {DecisionKind.parse(k).code for k in kinds}
        lines = []
        for _n, raw in self._lines():
            if wanted is not None:
                try:
                    kind = json.loads(raw).get("kind")
                except (ValueError, RecursionError, AttributeError):  # not JSON, not UTF-8, not an object
                    continue
                if kind not in wanted:
                    continue
            lines.append(raw.decode("utf-8").rstrip("\n") + "\n")
        return write_text_atomic(path, "".join(lines))

    # ------------------------------------------------------------------ reading

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        try:
            with open(self.path, "rb") as handle:
                for n, line in enumerate(handle, 1):
                    if line.strip():
                        yield n, line
        except FileNotFoundError:
            raise DataError([Problem("no such decision log", file=str(self.path))], "cannot read the log") from None

    def read(self) -> tuple[list[DecisionRecord], list[Problem]]:
        """Every record, and the problems of the lines that could not be read."""
        records: list[DecisionRecord] = []
        problems: list[Problem] = []
        for n, raw in self._lines():
            try:
                data = json.loads(raw)
            except json.JSONDecodeError as exc:
                problems.append(
                    Problem(f"not valid JSON ({exc.msg}); the line may be cut short", str(self.path), row=n)
                )
                continue
            except UnicodeDecodeError:
                problems.append(Problem("not UTF-8 text: not a decision log line", str(self.path), row=n))
                continue
            except (ValueError, RecursionError):
                problems.append(
                    Problem("not valid JSON (nested too deeply or a number too long)", str(self.path), row=n)
                )
                continue
            schema = data.get("schema") if isinstance(data, dict) else None
            if not isinstance(schema, str) or not schema.startswith("employkit.decision/"):
                problems.append(Problem(f"not a decision record (schema {schema!r})", str(self.path), row=n))
                continue
            version = schema.rpartition("/")[2]
            if version != str(SCHEMA_VERSION):
                problems.append(
                    Problem(f"schema {schema} is not supported; this employkit reads {SCHEMA}", str(self.path), row=n)
                )
                continue
            try:
                records.append(from_data(data, origin=f"{self.path}, line {n}"))
            except DataError as exc:
                problems.extend(attrs.evolve(p, file=str(self.path), row=n) for p in exc.problems)
        return records, problems

    def records(self) -> list[DecisionRecord]:
        """Every record; raises :class:`~employkit.errors.DataError` listing each unreadable line."""
        records, problems = self.read()
        if problems:
            raise DataError(problems, f"{self.path}: unreadable decision records")
        return records

    def __iter__(self) -> Iterator[DecisionRecord]:
        return iter(self.records())

    def verify(self) -> list[Problem]:
        """Check every line and the hash chain; an empty list means the log is intact."""
        problems = list(self.read()[1])
        prev: str | None = None
        for n, raw in self._lines():
            try:
                data = json.loads(raw)
            except (ValueError, RecursionError):  # not JSON or not UTF-8
                prev = None
                continue
            logged = data.get("prev_hash") if isinstance(data, dict) else None
            if logged != prev:
                problems.append(
                    Problem(
                        "the chain is broken: prev_hash does not match the line before "
                        "(a line was changed, removed or inserted)",
                        str(self.path),
                        row=n,
                        column="prev_hash",
                    )
                )
            prev = _line_hash(raw)
        return sorted(problems, key=lambda p: p.row or 0)


def _tail(fd: int) -> tuple[bytes | None, bool]:
    """The last complete line of the file (``None`` if empty) and whether the file ends mid-line."""
    size = os.fstat(fd).st_size
    if size == 0:
        return None, False
    if os.pread(fd, 1, size - 1) != b"\n":
        return None, True
    start = size - 1  # the final newline; ``buf`` holds the bytes before it, back to ``start``
    buf = b""
    while start > 0:
        step = min(1 << 16, start)
        start -= step
        buf = os.pread(fd, step, start) + buf
        cut = buf.rfind(b"\n")
        if cut >= 0:
            return buf[cut + 1 :], False
    return buf, False


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - folders cannot be opened on some systems
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------- replay


@frozen(kw_only=True)
class ReplayResult:
    """The outcome of replaying one decision: ``identical`` when every field of the result matches."""

    record: DecisionRecord
    result: Mapping[str, Any] = attrs.field(hash=False)
    differences: tuple[str, ...] = ()
    notes: tuple[Text, ...] = ()

    @property
    def identical(self) -> bool:
        """Whether the replay reproduced the logged result exactly."""
        return not self.differences


def check_replayable(record: DecisionRecord, system: RuleSystem) -> None:
    """Raise :class:`ReplayMismatch` unless ``system`` has the packs, parameter values
    and settings ``record`` was decided with."""
    problems: list[str] = []
    if record.schema != SCHEMA:
        problems.append(f"schema {record.schema}, this employkit replays {SCHEMA}")
    active = {p.info.name: p.info.version for p in system.active}
    active["employkit"] = __version__
    for ref in record.packs:
        if ref.name == "centre":  # the centre's configuration: its values are checked below
            continue
        have = active.get(ref.name)
        if have is None:
            problems.append(f"pack {ref.name} {ref.version} is not active")
        elif have != ref.version:
            problems.append(f"pack {ref.name}: logged version {ref.version}, active version {have}")
    for p in record.parameters:
        try:
            use = system.parameter(p.parameter_id, p.effective_from)
        except (RuleNotFound, ParameterError, EmploykitError) as exc:
            problems.append(f"parameter {p.parameter_id} ({p.effective_from}): {exc}")
            continue
        if use.pack != p.pack or plain(use.value) != p.value:
            problems.append(
                f"parameter {p.parameter_id} on {p.effective_from}: logged {p.value!r} from {p.pack}, "
                f"now {plain(use.value)!r} from {use.pack}"
            )
    now = settings_of(system, record.kind)
    for section in sorted(set(now) | set(record.settings)):
        logged, current = record.settings.get(section, {}), now.get(section, {})
        for key in sorted(set(logged) | set(current)):
            if logged.get(key) != current.get(key):
                problems.append(
                    f"setting [{section}] {key}: logged {logged.get(key)!r}, configured {current.get(key)!r}"
                )
    if problems:
        raise ReplayMismatch(record.decision_id, problems)


def _differences(logged: Any, now: Any, path: str = "$") -> list[str]:
    if isinstance(logged, Mapping) and isinstance(now, Mapping):
        out: list[str] = []
        for k in sorted(set(logged) | set(now)):
            if k not in logged or k not in now:
                out.append(f"{path}.{k}: logged {logged.get(k)!r}, replayed {now.get(k)!r}")
            else:
                out += _differences(logged[k], now[k], f"{path}.{k}")
        return out
    if isinstance(logged, list) and isinstance(now, list):
        if len(logged) != len(now):
            return [f"{path}: logged {len(logged)} item(s), replayed {len(now)}"]
        found: list[str] = []
        for n, (a, b) in enumerate(zip(logged, now, strict=True)):
            found += _differences(a, b, f"{path}[{n}]")
        return found
    return [] if logged == now and type(logged) is type(now) else [f"{path}: logged {logged!r}, replayed {now!r}"]


def replay(
    record: DecisionRecord,
    system: RuleSystem,
    *,
    data: Dataset | None = None,
    key: str | None = None,
    fingerprint: str | None = None,
) -> ReplayResult:
    """Re-run ``record`` with ``system`` and compare the result with the logged one.

    A KPI value needs ``data`` (the same dataset: its fingerprint is checked). A match
    list is re-scored from its logged records; with ``data`` it is also re-ranked over
    the dataset's pool (its fingerprint is checked), which for a vacancy's list of
    seekers needs the pseudonym ``key``. ``fingerprint`` is ``data``'s
    :func:`~employkit.accountability.decisions.dataset_fingerprint`, when already
    computed (replaying many KPI values of one dataset). Raises :class:`ReplayMismatch` when the packs,
    parameters, settings or data differ.
    """
    check_replayable(record, system)
    kind = record.kind
    notes: list[Text] = []
    if kind is DecisionKind.SEGMENT:
        result = _replay_segment(record, system)
    elif kind is DecisionKind.OVERRIDE:
        result = _replay_override(record, system)
    elif kind is DecisionKind.MATCH_LIST:
        result = _replay_match(record, system, data, key, notes)
    elif kind is DecisionKind.FOLLOWUP_ACTION:
        result = _replay_followup(record, system)
    else:
        result = _replay_kpi(record, system, data, fingerprint)
    logged = plain(dict(record.result))
    return ReplayResult(
        record=record, result=result, differences=tuple(_differences(logged, result)), notes=tuple(notes)
    )


def replay_log(
    log: DecisionLog | str | Path,
    system: RuleSystem,
    *,
    data: Dataset | None = None,
    key: str | None = None,
    kinds: Sequence[str] | None = None,
) -> list[ReplayResult]:
    """Replay every record of a log (of the given kinds); stops at the first :class:`ReplayMismatch`."""
    found = log if isinstance(log, DecisionLog) else DecisionLog(log)
    wanted = None if kinds is None else {DecisionKind.parse(k) for k in kinds}
    chosen = [r for r in found.records() if wanted is None or r.kind in wanted]
    needs = data is not None and any(r.kind is DecisionKind.KPI_VALUE for r in chosen)
    fingerprint = dataset_fingerprint(data) if needs and data is not None else None
    return [replay(r, system, data=data, key=key, fingerprint=fingerprint) for r in chosen]


def _seeker(record: DecisionRecord, data: Any) -> Seeker:
    return structure(data, Seeker, origin=f"decision {record.decision_id}")


def _replay_segment(record: DecisionRecord, system: RuleSystem) -> dict[str, Any]:
    from employkit.profiling.api import classify_seeker

    seeker = _seeker(record, record.inputs["seeker"])
    return profile_result(classify_seeker(seeker, system, record.as_of, record.inputs["typology_id"]))


def _replay_override(record: DecisionRecord, system: RuleSystem) -> dict[str, Any]:
    from employkit.profiling.api import classify_seeker, seeker_typology
    from employkit.profiling.base import Segment
    from employkit.profiling.overrides import override

    seeker = _seeker(record, record.inputs["seeker"])
    tid = record.inputs["typology_id"]
    original = classify_seeker(seeker, system, record.as_of, tid)
    given = record.inputs["override"]
    segments = getattr(seeker_typology(system, record.as_of, tid), "segments", None)
    chosen: Any = given["segment"]
    if segments is None:
        label = record.result.get("segment_label") or {"ko": chosen, "en": chosen}
        chosen = Segment(chosen, Text(label["ko"], label["en"]), group=record.result.get("group"))
    done = override(
        original,
        chosen,
        reason_code=given["reason_code"],
        reason=given["reason"],
        counsellor=record.counsellor,
        on=dt.date.fromisoformat(given["on"]),
        segments=segments,
    )
    return override_result(done)


def _replay_match(
    record: DecisionRecord, system: RuleSystem, data: Dataset | None, key: str | None, notes: list[Text]
) -> dict[str, Any]:
    from employkit.matching.ranking import Filters, rank
    from employkit.matching.scoring import Matcher

    inputs = record.inputs
    matcher = Matcher(system, record.as_of)
    direction = inputs["direction"]
    origin = f"decision {record.decision_id}"
    target: Seeker | Vacancy
    if direction == "vacancies":
        seeker = structure(inputs["target"], Seeker, origin=origin)
        results = [matcher.score(seeker, structure(v, Vacancy, origin=origin)) for v in inputs["listed"]]
        target = seeker
    else:
        vacancy = structure(inputs["target"], Vacancy, origin=origin)
        results = [matcher.score(structure(s, Seeker, origin=origin), vacancy) for s in inputs["listed"]]
        target = vacancy
    rescored = match_result(results)
    if data is None:
        notes.append(
            Text(
                "목록의 각 쌍을 다시 채점함 (후보 전체 재순위는 --source 자료가 있을 때)",
                "each listed pair re-scored; re-ranking the whole pool needs the dataset",
            )
        )
        return rescored
    pool: Sequence[Any] = data.vacancies if direction == "vacancies" else data.seekers
    pool_info = inputs["pool"]
    if pool_fingerprint(pool) != pool_info["fingerprint"]:
        raise ReplayMismatch(
            record.decision_id,
            [f"the dataset's {direction} are not the pool the list was ranked from ({pool_info['size']} records)"],
        )
    if direction == "seekers" and key is None:
        raise ConfigError("re-ranking a vacancy's list of seekers needs the pseudonym key (EMPLOYKIT_PSEUDONYM_KEY)")
    f = inputs.get("filters")
    filters = None
    if f:
        from employkit.model import EmploymentType

        filters = Filters(
            region=f.get("region"),
            occupation=f.get("occupation"),
            employment_type=EmploymentType.parse(f["employment_type"]) if f.get("employment_type") else None,
            open_on=dt.date.fromisoformat(f["open_on"]) if f.get("open_on") else None,
        )
    ranked = rank(target, pool, matcher, top=int(inputs["top"]), filters=filters, open_only=bool(inputs["open_only"]))
    reranked = match_result(ranked)
    if direction == "seekers":  # the pool holds the centre's ids; the log holds pseudonyms
        assert key is not None
        for pair in reranked["pairs"]:
            pair["seeker"] = pseudonym(pair["seeker"], key)
    diff = _differences(rescored, reranked)
    if diff:
        notes.append(
            Text(
                "후보 전체를 다시 순위 매긴 결과가 기록된 목록과 다름: " + "; ".join(diff[:3]),
                "re-ranking the whole pool gives another list: " + "; ".join(diff[:3]),
            )
        )
        return reranked
    notes.append(Text("후보 전체를 다시 순위 매겨 같은 목록을 얻음", "re-ranking the whole pool gives the same list"))
    return rescored


def _replay_followup(record: DecisionRecord, system: RuleSystem) -> dict[str, Any]:
    from employkit.followup.api import actions_for

    inputs = record.inputs
    placement = structure(inputs["placement"], Placement, origin=f"decision {record.decision_id}")
    actions = actions_for(
        placement,
        inputs["contact_kind"],
        inputs["outcome"],
        dt.date.fromisoformat(inputs["on"]),
        system,
        as_of=record.as_of,
        policy_id=inputs["policy_id"],
    )
    return action_result(actions)


def _replay_kpi(
    record: DecisionRecord, system: RuleSystem, data: Dataset | None, fingerprint: str | None
) -> dict[str, Any]:
    from employkit.metrics.report import kpi_report
    from employkit.metrics.scope import Period

    inputs = record.inputs
    if data is None:
        raise ReplayMismatch(record.decision_id, ["a KPI value is replayed on its dataset: give the data (--source)"])
    logged = inputs["dataset"]["fingerprint"]
    if (fingerprint or dataset_fingerprint(data)) != logged:
        raise ReplayMismatch(
            record.decision_id,
            [f"the dataset ({data.origin}) is not the one the KPI was computed on (fingerprint {logged[:12]}…)"],
        )
    period = Period(dt.date.fromisoformat(inputs["period"]["start"]), dt.date.fromisoformat(inputs["period"]["end"]))
    report = kpi_report(
        data,
        system,
        record.as_of,
        period=period,
        by=inputs["by"],
        inputs=inputs["inputs"],
        ci=bool(inputs["ci"]),
        only=[inputs["rule_id"]],
        publish=bool(inputs["publish"]),
    )
    return kpi_result(report.get(inputs["rule_id"]))
