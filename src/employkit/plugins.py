"""Finding, loading and calling rule packs (a typed facade over pluggy).

:class:`PluginHost` owns the :class:`pluggy.PluginManager`. It registers the built-in
packs, then every pack installed under the entry-point group ``employkit``, each on its
own: a pack that fails to import, to register, or to describe itself is recorded in
:attr:`PluginHost.failures` and the others keep working. With ``strict=True`` the first
failure raises :class:`~employkit.errors.PluginLoadError` instead.

Settings read from the environment:

``EMPLOYKIT_PLUGINS``
    Comma-separated names of installed packs to load; others are skipped (never
    imported). It holds for every host: one given its own ``allow`` list loads only the
    names on both lists.
``EMPLOYKIT_DISABLE_PLUGINS``
    Comma-separated names of installed packs not to load, added to any ``deny`` list.
    Names on both lists are compared without regard to case, with the entry point's name
    and its distribution's name, before anything is imported.
``EMPLOYKIT_STRICT``
    ``1`` makes any pack failure fatal.
``EMPLOYKIT_TRACE``
    ``1`` logs every hook call (pack, arguments, result, time) to the
    ``employkit.hooks`` logger, on standard error.
``EMPLOYKIT_HOOK_TIMEOUT``
    Seconds one hook call or pack import may take (default 60; ``0`` for no limit). The
    centre configuration's ``[packs] hook_timeout`` sets the same
    (:meth:`PluginHost.apply_config`).

Isolation (:mod:`employkit.isolation`): pack imports and hook calls run in a reusable
worker thread under the time limit; anything they raise — ``SystemExit``,
``KeyboardInterrupt`` and other ``BaseException`` subclasses included — makes the pack a
:class:`FailedPack` and the others keep working. A call over the limit is abandoned (its
result, if it ever comes, is thrown away, so no rule is built from a half-run hook) and
interrupted at its next Python instruction. The objects that installed packs' hooks
return (KPIs, match components, typologies, follow-up policies, data sources, calendars)
are handed out behind a proxy: a method that raises records the pack as failed at
``rule_id.method`` and raises :class:`~employkit.errors.PackFailure` (an
:class:`~employkit.errors.EmploykitError`), which engines report per step. While pack code
runs, its ``print()`` goes to standard error. Pack names are unique: a pack declaring a
name that the built-in pack or another installed pack already has is refused.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Generic, TypeVar, cast

import pluggy
from attrs import field, frozen

from employkit import hookspecs
from employkit.errors import ConfigError, EmploykitError, PackFailure, PluginLoadError
from employkit.isolation import HookTimeout, PackRaised, WorkerPool, guard
from employkit.packs import PackInfo

__all__ = [
    "BUILTIN_PACKS",
    "DEFAULT_HOOK_TIMEOUT",
    "ENTRY_POINT_GROUP",
    "Contribution",
    "FailedPack",
    "HookTimeout",
    "LoadedPack",
    "PluginHost",
]

ENTRY_POINT_GROUP = "employkit"

#: Modules registered before any installed pack: the national rules.
BUILTIN_PACKS: tuple[str, ...] = ("employkit.national",)

#: Seconds a hook call may take unless configured otherwise.
DEFAULT_HOOK_TIMEOUT = 60.0

log = logging.getLogger("employkit.plugins")
trace_log = logging.getLogger("employkit.hooks")

T = TypeVar("T")

#: Hooks whose items (rule objects with methods) are handed out behind an isolating proxy.
GUARDED_HOOKS = frozenset(
    {
        "employkit_seeker_typologies",
        "employkit_employer_typologies",
        "employkit_match_components",
        "employkit_followup_policies",
        "employkit_kpis",
        "employkit_data_sources",
        "employkit_business_calendar",
    }
)


@frozen
class LoadedPack:
    """A pack that loaded: its own description, where it came from, its hooks."""

    info: PackInfo
    plugin: object = field(eq=False, repr=False)
    origin: str
    hooks: tuple[str, ...]
    order: int  # registration order, used only to keep listings stable

    @property
    def name(self) -> str:
        """The pack's name."""
        return self.info.name


@frozen
class FailedPack:
    """A pack that did not load, or whose hook failed; ``stage`` says where."""

    name: str
    origin: str
    stage: str
    reason: str


@frozen
class Contribution(Generic[T]):
    """An item a pack returned from a collect-all hook."""

    pack: LoadedPack
    item: T


def _env_names(variable: str) -> frozenset[str] | None:
    raw = os.environ.get(variable)
    if raw is None or not raw.strip():
        return None
    return frozenset(n.strip() for n in raw.split(",") if n.strip())


def _env_flag(variable: str) -> bool:
    return os.environ.get(variable, "").strip().lower() in {"1", "true", "yes", "on"}


def _env_timeout() -> float:
    raw = os.environ.get("EMPLOYKIT_HOOK_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_HOOK_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise ConfigError(f"EMPLOYKIT_HOOK_TIMEOUT must be a number of seconds ≥ 0 (0 = no limit), got {raw!r}")
    return value


def _summary(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def _reason(exc: BaseException) -> str:
    if isinstance(exc, HookTimeout | PackRaised):
        return str(exc)
    frame = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" (at {frame[0].filename}:{frame[0].lineno})" if frame else ""
    return f"{type(exc).__name__}: {exc}{where}"


class PluginHost:
    """Loads packs and calls their hooks.

    Parameters:
        strict: make any pack failure fatal (default: ``EMPLOYKIT_STRICT``).
        trace: log every hook call (default: ``EMPLOYKIT_TRACE``).
        builtins: register the built-in national pack.
        entry_points: load packs installed under the ``employkit`` entry-point group.
        allow / deny: names of installed packs to load / skip, within the
            ``EMPLOYKIT_PLUGINS`` / ``EMPLOYKIT_DISABLE_PLUGINS`` settings (default:
            those settings alone).
        hook_timeout: seconds one hook call may take, ``0`` for no limit (default:
            ``EMPLOYKIT_HOOK_TIMEOUT``, else :data:`DEFAULT_HOOK_TIMEOUT`).
    """

    def __init__(
        self,
        *,
        strict: bool | None = None,
        trace: bool | None = None,
        builtins: bool = True,
        entry_points: bool = True,
        allow: Iterable[str] | None = None,
        deny: Iterable[str] | None = None,
        hook_timeout: float | None = None,
    ) -> None:
        self.strict = _env_flag("EMPLOYKIT_STRICT") if strict is None else strict
        self.hook_timeout = _env_timeout() if hook_timeout is None else hook_timeout
        self._pool = WorkerPool()
        weakref.finalize(self, self._pool.close)  # idle worker threads end with the host
        self.trace = _env_flag("EMPLOYKIT_TRACE") if trace is None else trace
        # The settings are a ceiling: a host given its own lists loads no more than they allow.
        allowed = _env_names("EMPLOYKIT_PLUGINS")
        if allow is None:
            self.allow = allowed
        else:
            self.allow = frozenset(allow) if allowed is None else frozenset(allow) & allowed
        self.deny = frozenset(deny or ()) | (_env_names("EMPLOYKIT_DISABLE_PLUGINS") or frozenset())
        self._allow_keys = None if self.allow is None else frozenset(_key(n) for n in self.allow)
        self._deny_keys = frozenset(_key(n) for n in self.deny)
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self._packs: dict[str, LoadedPack] = {}
        self._by_plugin: dict[int, LoadedPack] = {}
        self._labels: dict[str, str] = {}  # pack name -> the entry point (or label) it came from
        self._broken: set[str] = set()  # loaded packs that failed after loading
        self.failures: list[FailedPack] = []
        self.skipped: list[str] = []
        if self.trace:
            self._enable_trace()
        if builtins:
            for module in BUILTIN_PACKS:
                self.add_module(module, origin="built-in")
        if entry_points:
            self.load_entry_points()

    # ----------------------------------------------------------------- loading

    @property
    def packs(self) -> tuple[LoadedPack, ...]:
        """The loaded packs, lowest layer first, then in registration order."""
        return tuple(sorted(self._packs.values(), key=lambda p: (p.info.layer.rank, p.order)))

    def pack(self, name: str) -> LoadedPack:
        """The loaded pack called ``name`` (raises :class:`KeyError`)."""
        return self._packs[name]

    def add_module(self, module_name: str, *, origin: str) -> LoadedPack | None:
        """Import ``module_name`` and register it as a pack."""
        try:
            module = self._limited(lambda: importlib.import_module(module_name))
        except Exception as exc:  # a broken pack must not stop the host
            self._fail(module_name, origin, "import", _reason(exc))
            return None
        return self.add(module, origin=origin)

    def load_entry_points(self) -> None:
        """Load every pack installed under the ``employkit`` entry-point group."""
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            names = {_key(ep.name)} | ({_key(ep.dist.name)} if ep.dist is not None else set())
            if (self._allow_keys is not None and not names & self._allow_keys) or names & self._deny_keys:
                self.skipped.append(ep.name)  # never imported
                continue
            self.load_entry_point(ep)

    def load_entry_point(self, ep: EntryPoint) -> LoadedPack | None:
        """Load and register one entry point; failures are recorded, not raised."""
        dist = f"{ep.dist.name} {ep.dist.version}" if ep.dist is not None else "unknown distribution"
        origin = f"entry point {ep.name} = {ep.value} ({dist})"
        try:
            plugin = self._limited(ep.load)
        except Exception as exc:  # a broken pack must not stop the host (sys.exit at import included)
            self._fail(ep.name, origin, "import", _reason(exc))
            return None
        return self.add(plugin, origin=origin, fallback_name=ep.name)

    def add(self, plugin: object, *, origin: str = "added", fallback_name: str | None = None) -> LoadedPack | None:
        """Register one plugin object (usually a module) as a pack.

        Returns the loaded pack, or ``None`` when it failed (see :attr:`failures`).
        """
        label = fallback_name or getattr(plugin, "__name__", None) or type(plugin).__name__
        try:
            self.pm.register(plugin)
        except Exception as exc:  # pluggy.PluginValidationError and anything a plugin raises
            self._fail(label, origin, "register", _reason(exc))
            return None
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            self.pm.unregister(plugin)
            self._fail(label, origin, "register", str(exc))
            return None
        impls = [i for i in self.pm.hook.employkit_pack_info.get_hookimpls() if i.plugin is plugin]
        if not impls:
            self.pm.unregister(plugin)
            self._fail(label, origin, "employkit_pack_info", "the pack does not implement employkit_pack_info")
            return None
        try:
            info = self._limited(impls[0].function)
        except Exception as exc:  # a broken pack must not stop the host
            self.pm.unregister(plugin)
            self._fail(label, origin, "employkit_pack_info", _reason(exc))
            return None
        if not isinstance(info, PackInfo):
            self.pm.unregister(plugin)
            self._fail(label, origin, "employkit_pack_info", f"returned {type(info).__name__}, not PackInfo")
            return None
        if origin != "built-in" and _key(info.name) in self._deny_keys:
            self.pm.unregister(plugin)
            self.skipped.append(info.name)
            return None
        taken = next((p for p in self._packs.values() if _key(p.name) == _key(info.name)), None)
        if taken is not None:
            own = _key(label) == _key(info.name)
            if taken.origin == "built-in" or not own or _key(self._labels[taken.name]) == _key(taken.name):
                self.pm.unregister(plugin)
                self._fail(fallback_name or info.name, origin, "register", _name_taken(info.name, taken))
                return None
            # The pack installed under its own name wins over one that took that name first.
            taken_label = self._labels[taken.name]
            self.remove(taken.name)
            self._fail(taken_label, taken.origin, "register", _name_taken(info.name, None, origin))
        hooks = tuple(sorted(h.name for h in self.pm.get_hookcallers(plugin) or ()))
        pack = LoadedPack(info=info, plugin=plugin, origin=origin, hooks=hooks, order=len(self._packs))
        self._packs[info.name] = pack
        self._labels[info.name] = label
        self._by_plugin[id(plugin)] = pack
        log.debug("loaded pack %s %s (%s) from %s", info.name, info.version, info.layer.code, origin)
        return pack

    def remove(self, name: str) -> None:
        """Unregister the pack called ``name``."""
        pack = self._packs.pop(name)
        self._by_plugin.pop(id(pack.plugin), None)
        self._labels.pop(name, None)
        self.pm.unregister(pack.plugin)

    def close(self) -> None:
        """End this host's idle worker threads (also done when the host is garbage-collected)."""
        self._pool.close()

    def __enter__(self) -> PluginHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fail(self, name: str, origin: str, stage: str, reason: str, *, loaded: bool = False) -> None:
        failure = FailedPack(name=name, origin=origin, stage=stage, reason=reason)
        self.failures.append(failure)
        if loaded:
            self._broken.add(name)
        log.warning("pack %s failed at %s: %s", name, stage, reason)
        if self.strict:
            raise PluginLoadError(f"pack {name!r} ({origin}) failed at {stage}: {reason}")

    # ----------------------------------------------------------------- calling

    def apply_config(self, config: Any) -> None:
        """Take the centre configuration's ``[packs]`` settings: ``strict`` and ``hook_timeout``.

        ``config`` is a :class:`~employkit.config.CentreConfig`. Strict mode is only ever
        switched on here, never off.
        """
        if getattr(config, "strict", False):
            self.strict = True
        timeout = getattr(config, "hook_timeout", None)
        if timeout is not None:
            self.hook_timeout = float(timeout)

    def _limited(self, function: Callable[[], T]) -> T:
        """``function()`` (pack code) within :attr:`hook_timeout` seconds, else :class:`HookTimeout`.

        It runs in one of the host's worker threads (:class:`~employkit.isolation.WorkerPool`);
        a call made from inside pack code runs directly, under the outer call's limit. A
        ``BaseException`` that is not an ``Exception`` comes back as
        :class:`~employkit.isolation.PackRaised`.
        """
        return self._pool.run(function, self.hook_timeout)

    def _guard(self, pack: LoadedPack, item: T, hook_name: str) -> T:
        """``item`` (returned by ``pack``) behind the isolating proxy, unless the pack is built in."""
        if pack.origin == "built-in":
            return item
        meta = getattr(item, "meta", None)
        label = getattr(meta, "rule_id", None) or type(item).__name__

        def failed(method: str, error: BaseException) -> EmploykitError:
            stage = f"{label}.{method}"
            reason = _reason(error if isinstance(error, Exception) else PackRaised(error))
            self._fail(pack.name, pack.origin, stage, reason, loaded=True)  # raises in strict mode
            return PackFailure(f"pack {pack.name!r} failed at {stage}: {reason}", pack.name, stage)

        return guard(item, failed, _RESULT_CHECKS.get(hook_name))

    def _enable_trace(self) -> None:
        if not any(getattr(h, "_employkit_trace", False) for h in trace_log.handlers):
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("employkit trace: %(message)s"))
            handler._employkit_trace = True  # type: ignore[attr-defined]
            trace_log.addHandler(handler)
        trace_log.setLevel(logging.DEBUG)

    def _impls(self, hook_name: str, highest_first: bool = False) -> list[tuple[LoadedPack, Any]]:
        caller = getattr(self.pm.hook, hook_name)
        found = []
        for impl in caller.get_hookimpls():
            pack = self._by_plugin.get(id(impl.plugin))
            if pack is not None:
                found.append((pack, impl))
        found.sort(key=lambda pi: (pi[0].info.layer.rank, pi[0].order), reverse=highest_first)
        return found

    def _call(
        self, pack: LoadedPack, hook_name: str, impl: Any, kwargs: Mapping[str, Any], *, collect: bool = False
    ) -> Any:
        """Call one hook implementation within the time limit.

        With ``collect`` an iterable result is read to its end inside the limit (a list).
        """
        args = {name: kwargs[name] for name in impl.argnames}
        left = threading.Event()  # set when the caller stops waiting: a generator is no longer pulled

        def call() -> Any:
            result = impl.function(**args)
            if collect and isinstance(result, Iterable) and not isinstance(result, str | bytes | Mapping):
                items = []
                for item in result:
                    if left.is_set():
                        break
                    items.append(item)
                return items
            return result

        started = time.perf_counter()
        try:
            result = self._limited(call)
        except BaseException:
            left.set()
            raise
        if self.trace:
            took = (time.perf_counter() - started) * 1000
            trace_log.debug("%s [%s] %s -> %s (%.2f ms)", hook_name, pack.name, args or "", _summary(result), took)
        return result

    def collect(
        self,
        hook_name: str,
        item_check: Callable[[Any], bool],
        expected: str,
        skip: Iterable[str] = (),
        **kwargs: Any,
    ) -> list[Contribution[Any]]:
        """Call a collect-all hook on every pack, one pack at a time.

        Each pack's result must be an iterable whose items pass ``item_check``. A pack
        whose hook raises or returns anything else contributes nothing and is recorded
        as failed (fatal in strict mode); the other packs' items are returned, lowest
        layer first.
        """
        skipped = set(skip)
        out: list[Contribution[Any]] = []
        for pack, impl in self._impls(hook_name):
            if pack.name in skipped:
                continue
            try:
                result = self._call(pack, hook_name, impl, kwargs, collect=True)
            except Exception as exc:  # a broken pack must not stop the host
                self._fail(pack.name, pack.origin, hook_name, _reason(exc), loaded=True)
                continue
            if result is None:
                continue
            if isinstance(result, str | bytes) or not isinstance(result, Iterable):
                self._fail(
                    pack.name, pack.origin, hook_name, f"returned {type(result).__name__}, not a list", loaded=True
                )
                continue
            items = list(result)
            wrong = [i for i in items if not item_check(i)]
            if wrong:
                self._fail(
                    pack.name,
                    pack.origin,
                    hook_name,
                    f"returned {type(wrong[0]).__name__}, expected {expected}",
                    loaded=True,
                )
                continue
            if hook_name in GUARDED_HOOKS:
                items = [self._guard(pack, item, hook_name) for item in items]
            out.extend(Contribution(pack, item) for item in items)
        return out

    def first_result(self, hook_name: str, skip: Iterable[str] = (), **kwargs: Any) -> tuple[LoadedPack, Any] | None:
        """Call a first-result hook from the highest layer down; the first non-``None`` answer wins."""
        skipped = set(skip)
        for pack, impl in self._impls(hook_name, highest_first=True):
            if pack.name in skipped:
                continue
            try:
                result = self._call(pack, hook_name, impl, kwargs)
            except Exception as exc:  # a broken pack must not stop the host
                self._fail(pack.name, pack.origin, hook_name, _reason(exc), loaded=True)
                continue
            if result is not None:
                return pack, self._guard(pack, result, hook_name) if hook_name in GUARDED_HOOKS else result
        return None

    def failed_names(self) -> frozenset[str]:
        """Names of packs that failed at any stage.

        A pack refused for taking a name already in use does not count against the pack
        that has it.
        """
        return frozenset(f.name for f in self.failures if f.name not in self._packs) | self._broken

    def hook_names(self) -> list[str]:
        """Every hook specification's name."""
        return sorted(name for name in vars(hookspecs) if name.startswith("employkit_"))


def _dataset_check(result: Any) -> str | None:
    from employkit.dataset import Dataset

    return None if isinstance(result, Dataset) else f"returned {type(result).__name__}, not a Dataset"


#: Checks of what some methods of guarded objects return, by hook.
_RESULT_CHECKS: dict[str, dict[str, Callable[[Any], str | None]]] = {
    "employkit_data_sources": {"open": _dataset_check},
}


def _key(name: str) -> str:
    """A pack or entry-point name compared without regard to case, ``-`` or ``_``."""
    return name.casefold().replace("_", "-").strip()


def _name_taken(name: str, taken: LoadedPack | None, by: str | None = None) -> str:
    if taken is not None:
        return (
            f"declares the pack name {name!r}, but a pack named {taken.name!r} is already loaded "
            f"({taken.origin}); a pack name belongs to one pack (이미 사용 중인 팩 이름)"
        )
    return (
        f"declares the pack name {name!r}, which belongs to {by} (installed under that name); "
        "refused (다른 팩의 이름 사용)"
    )


def instance_check(kind: type[T]) -> Callable[[Any], bool]:
    """An item check for :meth:`PluginHost.collect` accepting instances of ``kind``."""

    def check(item: Any) -> bool:
        return isinstance(item, kind)

    return cast(Callable[[Any], bool], check)
