"""``employkit serve``: the HTTP/JSON service (needs ``employkit[serve]``)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import click

from employkit.cli.app import State, cli, friendly_errors
from employkit.errors import ConfigError


@cli.command("serve")
@click.option(
    "--config",
    "server_config",
    type=click.Path(dir_okay=False),
    default=None,
    envvar="EMPLOYKIT_SERVE_CONFIG",
    help="The server configuration (TOML): centres, tokens, limits. See the docs page 'serve'.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--demo", is_flag=True, help="Serve the bundled sample centre as 'demo' with a token printed once.")
@click.option("--new-token", is_flag=True, help="Print a new token and the [[tokens]] line to store its hash; exit.")
@click.pass_obj
@friendly_errors
def serve_command(
    state: State, server_config: str | None, host: str, port: int, workers: int, demo: bool, new_token: bool
) -> None:
    """Serve profiling, matching, follow-up and KPIs over HTTP/JSON for the centres of --config.

    The schema is at /openapi.json and the interactive documentation at /docs.
    """
    from employkit.serve.config import hash_token, load_server_config
    from employkit.serve.config import new_token as make_token

    if new_token:
        token = make_token()
        click.echo(f"token (give it to the centre's system; it is not stored): {token}")
        click.echo(f'[[tokens]]\nname = "…"\nsha256 = "{hash_token(token)}"\ncentres = ["…"]')
        return
    try:
        import uvicorn
    except ImportError:
        raise ConfigError("employkit serve needs the serve extra: pip install 'employkit[serve]'") from None
    if demo:
        from employkit.serve.config import demo_config

        token = make_token()
        folder = Path(tempfile.mkdtemp(prefix="employkit-serve-demo-"))
        config = demo_config(folder, token)
        click.echo(f"demo centre 'demo' (the bundled sample, Jung-gu 2015); its store: {folder}", err=True)
        click.echo(f"token (shown once): {token}", err=True)
        click.echo(f'try: curl -H "Authorization: Bearer $TOKEN" http://{host}:{port}/centres/demo/packs', err=True)
    elif server_config is not None:
        config = load_server_config(server_config)
    else:
        raise click.UsageError("give --config FILE (or EMPLOYKIT_SERVE_CONFIG), or --demo")
    from employkit.config import load_config
    from employkit.serve import STATE_ENV

    for entry in config.centres.values():  # a broken centre configuration stops here, with its message
        if entry.config is not None:
            load_config(entry.config)
    # Worker processes read the configuration from the environment (token hashes only).
    before = os.environ.get(STATE_ENV)
    os.environ[STATE_ENV] = json.dumps(config.to_data())
    try:
        if workers == 1:  # built here, so bad records are reported as any command reports them
            from employkit.serve import create_app

            target: object = create_app(config)
        else:
            target = "employkit.serve:from_environment"
        click.echo(f"employkit serve: http://{host}:{port}/docs ({workers} worker(s))", err=True)
        uvicorn.run(
            target,  # type: ignore[arg-type]
            factory=workers > 1,
            host=host,
            port=port,
            workers=workers,
            access_log=False,
            server_header=False,
            log_level="warning",
        )
    finally:
        if before is None:
            os.environ.pop(STATE_ENV, None)
        else:
            os.environ[STATE_ENV] = before
