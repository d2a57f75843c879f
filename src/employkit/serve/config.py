"""The server's configuration: its centres, its tokens and its limits (no web framework here).

A server configuration is a TOML file::

    [server]
    max_body_bytes = 1048576        # larger requests get 413
    rate_per_minute = 1200          # per token and per worker process; more gets 429
    cors_origins = []               # CORS is off unless origins are listed
    access_log = "-"                # JSON lines: "-" for standard error, or a file

    [centres.junggu]
    config = "junggu/employkit.toml"   # the centre's own configuration (packs, keys, store)
    data = "junggu/data"               # its records: the pool to match against, the KPIs
    store = "junggu/followup.sqlite"   # optional; else the centre's [followup] store

    [[tokens]]
    name = "junggu-casework"           # shown in the access log, never the token
    sha256 = "9f86d0…"                 # the token's SHA-256, hex: tokens are stored hashed
    centres = ["junggu"]

    [[tokens]]
    name = "gangnam-casework"
    env = "GANGNAM_TOKEN"              # or the token itself from the environment
    centres = ["gangnam"]
    rate_per_minute = 60               # this token's own limit (default: the server's)

Paths are relative to the file. A token is a random secret of at least
:data:`MIN_TOKEN_LENGTH` characters (``employkit serve --new-token`` makes one and
prints the line to put here); the server keeps only its SHA-256 and compares digests
in constant time (:meth:`ServerConfig.authorise`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import field, frozen

from employkit.errors import ConfigError

__all__ = [
    "MIN_TOKEN_LENGTH",
    "CentreEntry",
    "ServerConfig",
    "TokenEntry",
    "hash_token",
    "load_server_config",
    "new_token",
    "parse_server_config",
    "token_digest",
]

#: The shortest token accepted (a token is a random secret, not a password).
MIN_TOKEN_LENGTH = 24

_CENTRE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_HEX = re.compile(r"^[0-9a-f]{64}$")


def hash_token(token: str) -> str:
    """The SHA-256 of a token, hex: what a configuration stores.

    >>> hash_token("x" * 24)[:12]
    'a649dbb05965'
    """
    return token_digest(token).hex()


def token_digest(token: str) -> bytes:
    """The SHA-256 of a token: the one form tokens are kept and compared in."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def new_token() -> str:
    """A fresh random token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


@frozen(kw_only=True)
class CentreEntry:
    """One centre the server serves: its id in URLs, its configuration, data and store."""

    centre_id: str
    config: Path | None = None
    data: str | None = None  # a folder or file of records, or "sample"
    store: Path | None = None


@frozen(kw_only=True)
class TokenEntry:
    """A token's name, its SHA-256 and the centres it may use."""

    name: str
    digest: bytes = field(repr=False)
    centres: frozenset[str]
    rate_per_minute: int | None = None  # None: the server's


@frozen(kw_only=True)
class ServerConfig:
    """What :func:`employkit.serve.create_app` serves (see the module documentation)."""

    centres: Mapping[str, CentreEntry]
    tokens: tuple[TokenEntry, ...] = ()
    max_body_bytes: int = 1 << 20
    rate_per_minute: int = 1200
    cors_origins: tuple[str, ...] = ()
    access_log: str | None = "-"
    path: str | None = None

    def authorise(self, token: str) -> TokenEntry | None:
        """The entry of ``token``, or ``None``; every stored digest is compared in constant time."""
        digest = token_digest(token)
        found: TokenEntry | None = None
        for entry in self.tokens:
            if hmac.compare_digest(entry.digest, digest):
                found = entry
        return found

    def to_data(self) -> dict[str, Any]:
        """Plain data (token digests, never tokens) to hand the configuration to worker processes."""
        return {
            "server": {
                "max_body_bytes": self.max_body_bytes,
                "rate_per_minute": self.rate_per_minute,
                "cors_origins": list(self.cors_origins),
                "access_log": self.access_log if self.access_log is not None else "",
            },
            "centres": {
                c.centre_id: {
                    k: str(v) for k, v in (("config", c.config), ("data", c.data), ("store", c.store)) if v is not None
                }
                for c in self.centres.values()
            },
            "tokens": [
                {
                    "name": t.name,
                    "sha256": t.digest.hex(),
                    "centres": sorted(t.centres),
                    **({"rate_per_minute": t.rate_per_minute} if t.rate_per_minute is not None else {}),
                }
                for t in self.tokens
            ],
        }


def _int(raw: Mapping[str, Any], key: str, default: int, where: str, low: int) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ConfigError(f"{where}: server.{key} must be a whole number ≥ {low}, got {value!r}")
    return value


def parse_server_config(
    data: Mapping[str, Any], path: str | None = None, environ: Mapping[str, str] | None = None
) -> ServerConfig:
    """A :class:`ServerConfig` from parsed TOML; ``path`` anchors relative paths and names errors."""
    env = os.environ if environ is None else environ
    where = path or "server configuration"
    base = Path(path).parent if path else Path.cwd()
    unknown = set(data) - {"server", "centres", "tokens"}
    if unknown:
        raise ConfigError(f"{where}: unknown section(s) {', '.join(sorted(unknown))}; expected server, centres, tokens")
    server = data.get("server", {})
    if not isinstance(server, Mapping):
        raise ConfigError(f"{where}: [server] must be a table")
    extra = set(server) - {"max_body_bytes", "rate_per_minute", "cors_origins", "access_log"}
    if extra:
        raise ConfigError(f"{where}: unknown key(s) in [server]: {', '.join(sorted(extra))}")
    origins = server.get("cors_origins", [])
    if not (isinstance(origins, list) and all(isinstance(o, str) for o in origins)):
        raise ConfigError(f"{where}: server.cors_origins must be a list of origins")
    log = server.get("access_log", "-")
    if not isinstance(log, str):
        raise ConfigError(f"{where}: server.access_log must be a path, '-' (standard error) or '' (off)")
    raw_centres = data.get("centres", {})
    if not isinstance(raw_centres, Mapping) or not raw_centres:
        raise ConfigError(f"{where}: [centres] must list at least one centre, e.g. [centres.junggu]")
    centres: dict[str, CentreEntry] = {}
    for cid, raw in raw_centres.items():
        if not _CENTRE_ID.match(cid):
            raise ConfigError(f"{where}: centre id {cid!r} must be lower-case letters, digits, '-' or '_'")
        if not isinstance(raw, Mapping) or set(raw) - {"config", "data", "store"}:
            raise ConfigError(f"{where}: [centres.{cid}] takes only config, data and store")
        for key in ("config", "data", "store"):
            if key in raw and not isinstance(raw[key], str):
                raise ConfigError(f"{where}: centres.{cid}.{key} must be a path")
        data_at = raw.get("data")
        centres[cid] = CentreEntry(
            centre_id=cid,
            config=base / raw["config"] if "config" in raw else None,
            data=None if data_at is None else data_at if data_at == "sample" else str(base / data_at),
            store=base / raw["store"] if "store" in raw else None,
        )
    raw_tokens = data.get("tokens", [])
    if not isinstance(raw_tokens, list):
        raise ConfigError(f"{where}: tokens must be an array of tables ([[tokens]])")
    tokens: list[TokenEntry] = []
    for n, raw in enumerate(raw_tokens, 1):
        if not isinstance(raw, Mapping) or set(raw) - {"name", "sha256", "env", "centres", "rate_per_minute"}:
            raise ConfigError(f"{where}: token {n} takes only name, sha256 or env, centres and rate_per_minute")
        name = raw.get("name", f"token-{n}")
        scope = raw.get("centres")
        if not (isinstance(scope, list) and scope and all(isinstance(c, str) for c in scope)):
            raise ConfigError(f"{where}: token {name!r}: centres must list the centre ids it may use")
        unknown_c = sorted(set(scope) - set(centres))
        if unknown_c:
            raise ConfigError(f"{where}: token {name!r} names unknown centre(s) {', '.join(unknown_c)}")
        if ("sha256" in raw) == ("env" in raw):
            raise ConfigError(f"{where}: token {name!r}: give sha256 (the token's hash) or env (a variable), one")
        if "sha256" in raw:
            digest = str(raw["sha256"]).lower()
            if not _HEX.match(digest):
                raise ConfigError(f"{where}: token {name!r}: sha256 must be 64 hex digits")
            raw_digest = bytes.fromhex(digest)
        else:
            value = env.get(str(raw["env"]), "")
            if len(value.strip()) < MIN_TOKEN_LENGTH:
                raise ConfigError(
                    f"{where}: token {name!r}: the environment variable {raw['env']} is unset or shorter than "
                    f"{MIN_TOKEN_LENGTH} characters"
                )
            raw_digest = token_digest(value.strip())
        rate = raw.get("rate_per_minute")
        if rate is not None and (isinstance(rate, bool) or not isinstance(rate, int) or rate < 1):
            raise ConfigError(f"{where}: token {name!r}: rate_per_minute must be a whole number ≥ 1")
        if any(t.name == str(name) for t in tokens):
            raise ConfigError(f"{where}: two tokens are named {name!r}; names must be unique")
        tokens.append(TokenEntry(name=str(name), digest=raw_digest, centres=frozenset(scope), rate_per_minute=rate))
    return ServerConfig(
        centres=centres,
        tokens=tuple(tokens),
        max_body_bytes=_int(server, "max_body_bytes", 1 << 20, where, 1024),
        rate_per_minute=_int(server, "rate_per_minute", 1200, where, 1),
        cors_origins=tuple(origins),
        access_log=log or None,
        path=path,
    )


def load_server_config(path: str | Path) -> ServerConfig:
    """Read a server configuration file. Raises :class:`~employkit.errors.ConfigError`."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{p}: not UTF-8 text; save the file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}") from None
    return parse_server_config(data, str(p))


def demo_config(store_folder: Path, token: str) -> ServerConfig:
    """The bundled sample centre as centre ``demo``, with one token for it."""
    return ServerConfig(
        centres={"demo": CentreEntry(centre_id="demo", data="sample", store=store_folder / "demo-followup.sqlite")},
        tokens=(TokenEntry(name="demo", digest=token_digest(token), centres=frozenset({"demo"})),),
    )
