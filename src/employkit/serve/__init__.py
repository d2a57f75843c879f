"""``employkit serve``: the library as an HTTP/JSON service for centre systems in any language.

Install with ``pip install 'employkit[serve]'`` (FastAPI, Starlette, uvicorn). One process
serves several centres under ``/centres/{centre}/…``, each with its own configuration,
region-scoped packs, vacancy pool, follow-up store and keys (:mod:`employkit.serve.config`
describes the server's configuration file). :func:`create_app` builds the ASGI app;
the web framework is imported only then, never by ``import employkit``.

Modules: :mod:`~employkit.serve.config` (centres, tokens, limits),
:mod:`~employkit.serve.centres` (one centre's answers, without HTTP),
:mod:`~employkit.serve.app` (routes, authentication, limits, access log),
:mod:`~employkit.serve.schema` (JSON Schemas from the attrs model),
:mod:`~employkit.serve.problems` (RFC 9457 problem details).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from employkit.serve.config import ServerConfig

__all__ = ["create_app", "from_environment"]

#: The environment variable carrying the server configuration to worker processes (JSON;
#: token digests only, never tokens).
STATE_ENV = "EMPLOYKIT_SERVE_STATE"


def create_app(config: ServerConfig, *, host: Any = None) -> FastAPI:
    """The ASGI app for ``config`` (see :func:`employkit.serve.app.create_app`).

    Raises :class:`~employkit.errors.ConfigError` when the ``serve`` extra is not installed.
    """
    try:
        import fastapi  # noqa: F401
    except ImportError:
        from employkit.errors import ConfigError

        raise ConfigError("the HTTP service needs the serve extra: pip install 'employkit[serve]'") from None
    from employkit.serve.app import create_app as build

    return build(config, host=host)


def from_environment() -> FastAPI:
    """The app of a worker process: its configuration from :data:`STATE_ENV` (uvicorn ``--factory``)."""
    import json
    import os

    from employkit.errors import ConfigError
    from employkit.serve.config import parse_server_config

    text = os.environ.get(STATE_ENV)
    if not text:
        raise ConfigError(f"{STATE_ENV} is not set; start the server with `employkit serve`")
    return create_app(parse_server_config(json.loads(text), None, environ={}))
