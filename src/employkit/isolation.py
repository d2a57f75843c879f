"""Running pack code so that it cannot take the host down.

Three pieces, used by :class:`employkit.plugins.PluginHost`:

* :class:`WorkerPool` — reusable worker threads that run hook calls and pack imports
  under a time limit. A call over the limit is abandoned: the caller gets
  :class:`HookTimeout`, and the worker is interrupted (an asynchronous exception raised
  in it at its next Python instruction) so an endless loop or generator stops instead of
  running on. Idle workers are reused by every calling thread and end after
  :data:`IDLE_SECONDS`, or when the host is closed.
* :func:`pack_output` — while pack code runs, ``print()`` and ``sys.stdout`` go to
  standard error, so a pack cannot corrupt machine-readable output. It is per thread:
  other threads keep writing to standard output.
* :func:`guard` — a proxy around an object a pack's hook returned (a KPI, a match
  component, a data source, a calendar…): each public method runs under
  :func:`pack_output`, and any exception it raises, ``SystemExit``,
  ``KeyboardInterrupt`` and other ``BaseException`` subclasses included, is handed to a
  callback that records the pack as failed and raises
  :class:`~employkit.errors.PackFailure`. Errors employkit defines
  (:class:`~employkit.errors.EmploykitError`) pass through unchanged: they are how a
  rule reports bad input.

What the time limit guarantees: the caller regains control within the limit whenever the
hook releases the GIL (Python code does so every few milliseconds; sleeping, waiting and
I/O release it too), and the hook's Python code is stopped at its next instruction. C
code that holds the GIL (one huge arithmetic or regular-expression operation) cannot be
interrupted by anything inside the process: the caller regains control only when that
operation returns, and the call is then abandoned all the same. Methods of returned
objects are not time-limited (they run in the calling thread: a match component's
``explain`` is called once per pair explained); their exceptions are isolated.
"""

from __future__ import annotations

import functools
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, TextIO, TypeVar, cast

from employkit.errors import EmploykitError

__all__ = ["IDLE_SECONDS", "HookTimeout", "PackRaised", "WorkerPool", "guard", "pack_output", "unguarded"]

T = TypeVar("T")

#: Seconds an idle worker thread waits for another call before it ends.
IDLE_SECONDS = 5.0
#: Idle worker threads a pool keeps at most (more end at once).
MAX_IDLE = 2

_state = threading.local()  # .pack: depth of pack code on this thread; .worker: a pool's worker thread


class HookTimeout(Exception):
    """A hook call took longer than the host's limit and was abandoned."""

    def __init__(self, limit: float) -> None:
        super().__init__(
            f"took longer than {limit:g} s and was abandoned; its result is ignored "
            "(limit: EMPLOYKIT_HOOK_TIMEOUT or [packs] hook_timeout)"
        )
        self.limit = limit


class PackRaised(Exception):
    """Pack code raised a ``BaseException`` that is not an ``Exception`` (``SystemExit``…)."""

    def __init__(self, error: BaseException) -> None:
        if isinstance(error, SystemExit):
            what = f"called sys.exit({error.code!r})"
        else:
            what = f"raised {type(error).__name__}" + (f": {error}" if str(error) else "")
        super().__init__(what)
        self.error = error


class _Abandoned(BaseException):
    """Raised asynchronously in a worker whose call was abandoned (not for pack code to catch)."""


def isolate(error: BaseException) -> Exception:
    """``error`` as an ``Exception`` a caller can catch without catching Ctrl-C of its own."""
    return error if isinstance(error, Exception) else PackRaised(error)


# ----------------------------------------------------------------- standard output


class _PackStdout:
    """``sys.stdout`` stand-in: writes of pack code go to standard error, others go through."""

    def __init__(self, target: TextIO) -> None:
        self._target = target

    def _current(self) -> TextIO:
        return sys.stderr if getattr(_state, "pack", 0) else self._target

    def write(self, text: str) -> int:
        return self._current().write(text)

    def flush(self) -> None:
        self._current().flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._current(), name)


_stdout_lock = threading.Lock()


def _install_stdout() -> None:
    if not isinstance(sys.stdout, _PackStdout):
        with _stdout_lock:
            if not isinstance(sys.stdout, _PackStdout) and sys.stdout is not None:
                sys.stdout = cast(TextIO, _PackStdout(sys.stdout))


class pack_output:
    """Within this block, this thread's writes to ``sys.stdout`` go to standard error."""

    def __enter__(self) -> None:
        _install_stdout()
        _state.pack = getattr(_state, "pack", 0) + 1

    def __exit__(self, *exc: object) -> None:
        _state.pack -= 1


# ----------------------------------------------------------------- workers

_RUNNING, _DONE, _ABANDONED = 0, 1, 2


def _interrupt(thread_id: int | None, error: type[BaseException] | None) -> None:
    """Raise ``error`` in the thread at its next Python instruction (``None``: cancel that)."""
    if thread_id is None:
        return
    import ctypes  # only when a call is abandoned

    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(error) if error else None)


class _Job:
    """One call handed to a worker."""

    def __init__(self, function: Callable[[], Any]) -> None:
        self.function = function
        self.lock = threading.Lock()
        self.state = _RUNNING
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        self.took = 0.0

    def run(self) -> None:
        try:
            result, error = None, None
            started = time.monotonic()
            try:
                with pack_output():
                    result = self.function()
            except BaseException as exc:  # handed to the caller, which decides
                error = exc
            took = time.monotonic() - started
            with self.lock:
                if self.state == _ABANDONED:
                    _interrupt(threading.get_ident(), None)  # not delivered yet: cancel it
                    return
                self.state = _DONE
                self.result, self.error, self.took = result, error, took
                self.done.set()
        except _Abandoned:  # delivered after the call itself had ended: the caller has left
            return


class _Worker:
    def __init__(self, pool: WorkerPool) -> None:
        self.pool = pool
        self.jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._loop, name="employkit-hook", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        _state.worker = True
        while True:
            try:
                job = self.jobs.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                if self.pool.retire(self):
                    return
                continue  # taken just now: its job is on the way
            if job is None:
                return
            job.run()
            if not self.pool.release(self):
                return


class WorkerPool:
    """Worker threads shared by every thread calling one host; see the module notes."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.idle: list[_Worker] = []

    def _acquire(self) -> _Worker:
        if self.pid != os.getpid():
            self._reset()  # a forked child has none of its parent's threads
        with self.lock:
            while self.idle:
                worker = self.idle.pop()
                if worker.thread.is_alive():
                    return worker
        return _Worker(self)

    def release(self, worker: _Worker) -> bool:
        """Take ``worker`` back as idle; ``False`` when enough are idle (it ends)."""
        with self.lock:
            if self.pid != os.getpid() or len(self.idle) >= MAX_IDLE:
                return False
            self.idle.append(worker)
            return True

    def retire(self, worker: _Worker) -> bool:
        """Remove an idle ``worker`` that waited long enough; ``False`` if it was just taken."""
        with self.lock:
            if worker in self.idle:
                self.idle.remove(worker)
                return True
            return False

    def close(self) -> None:
        """End the idle workers (a worker still running an abandoned call ends when it returns)."""
        with self.lock:
            idle, self.idle = self.idle, []
        for worker in idle:
            worker.jobs.put(None)
        for worker in idle:
            worker.thread.join(1.0)

    def run(self, function: Callable[[], T], limit: float) -> T:
        """``function()`` in a worker, waiting at most ``limit`` seconds (``0``: no limit).

        Raises :class:`HookTimeout` when the limit passes, the function's own exception
        otherwise (a ``BaseException`` that is not an ``Exception`` as :class:`PackRaised`).
        Called from inside a worker (a hook calling the host), it runs directly, under the
        outer call's limit.
        """
        if getattr(_state, "worker", False):
            try:
                return function()
            except Exception:
                raise
            except BaseException as exc:
                if isinstance(exc, _Abandoned):
                    raise
                raise PackRaised(exc) from None
        worker = self._acquire()
        job = _Job(function)
        worker.jobs.put(job)
        try:
            finished = job.done.wait(limit or None)
        except BaseException:  # Ctrl-C of the caller: stop the call too, then go on unwinding
            self._abandon(job, worker)
            raise
        if not finished and self._abandon(job, worker):
            raise HookTimeout(limit)
        if limit and job.took > limit:  # it held the GIL past the limit, so the caller could not leave
            raise HookTimeout(limit)
        if job.error is not None:
            raise isolate(job.error)
        return cast(T, job.result)

    @staticmethod
    def _abandon(job: _Job, worker: _Worker) -> bool:
        """Stop ``job`` if it is still running; ``False`` if it finished meanwhile."""
        with job.lock:
            if job.state != _RUNNING:
                return False
            job.state = _ABANDONED
            _interrupt(worker.thread.ident, _Abandoned)
            return True


# ----------------------------------------------------------------- guarded objects

_proxy_classes: dict[type, type] = {}


def _unguarded_copy(target: T) -> T:
    return target


class _Guarded:
    """A proxy whose public methods run isolated; attributes that are not methods pass through."""

    __slots__ = ("_ek_checks", "_ek_failed", "_ek_methods", "_ek_target")

    _ek_target: Any
    _ek_failed: Callable[[str, BaseException], EmploykitError]
    _ek_methods: dict[str, Callable[..., Any]]
    _ek_checks: Mapping[str, ResultCheck]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_ek_"):
            raise AttributeError(name)
        cached = self._ek_methods.get(name)
        if cached is not None:
            return cached
        value = getattr(self._ek_target, name)
        if name.startswith("_") or not callable(value) or isinstance(value, type):
            return value
        wrapped = _isolated(value, name, self._ek_failed, self._ek_checks.get(name))
        self._ek_methods[name] = wrapped
        return wrapped

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._ek_target, name, value)

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # isinstance() sees the pack's class
        return type(self._ek_target)

    def __repr__(self) -> str:
        return repr(self._ek_target)

    def __eq__(self, other: object) -> bool:
        return bool(self._ek_target == unguarded(other))

    def __hash__(self) -> int:
        return hash(self._ek_target)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unguarded_copy, (self._ek_target,))


#: A check of a method's result: ``None`` when it is right, else what is wrong with it.
ResultCheck = Callable[[Any], "str | None"]


def _isolated(
    method: Callable[..., Any],
    name: str,
    failed: Callable[[str, BaseException], EmploykitError],
    check: ResultCheck | None,
) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            with pack_output():
                result = method(*args, **kwargs)
        except EmploykitError:
            raise
        except BaseException as exc:
            if isinstance(exc, _Abandoned):
                raise
            raise failed(name, exc) from (exc if isinstance(exc, Exception) else None)
        wrong = check(result) if check is not None else None
        if wrong is not None:
            raise failed(name, TypeError(wrong))
        return result

    return call


def guard(
    target: T, failed: Callable[[str, BaseException], EmploykitError], checks: Mapping[str, ResultCheck] | None = None
) -> T:
    """``target`` behind a proxy whose public methods are isolated.

    ``checks`` maps method names to a check of their result (a data source's ``open``
    must return a ``Dataset``); a result that fails its check is a failure of the method.

    ``failed(method_name, error)`` is called when a method raises anything but an
    :class:`~employkit.errors.EmploykitError`; it records the failure and returns the
    error to raise instead. ``isinstance`` and ``type(...).__name__`` see the target's class.
    """
    cls = type(target)
    proxy_cls = _proxy_classes.get(cls)
    if proxy_cls is None:
        proxy_cls = _proxy_classes[cls] = type(cls.__name__, (_Guarded,), {"__slots__": ()})
    proxy: Any = object.__new__(proxy_cls)
    object.__setattr__(proxy, "_ek_target", target)
    object.__setattr__(proxy, "_ek_failed", failed)
    object.__setattr__(proxy, "_ek_methods", {})
    object.__setattr__(proxy, "_ek_checks", checks or {})
    return cast(T, proxy)


def unguarded(value: T) -> T:
    """The object behind a :func:`guard` proxy (``value`` itself otherwise)."""
    if issubclass(type(value), _Guarded):
        return cast(T, object.__getattribute__(value, "_ek_target"))
    return value
