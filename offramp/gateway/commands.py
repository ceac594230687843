"""Click commands for the gateway: ``serve``, ``cutoff``, ``exposure --live`` and ``gateway-key``.

They are plain :class:`click.Command` objects; ``offramp.cli`` registers them in its group.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

import click

DEFAULT_CONFIG = "gateway.toml"
ADMIN_KEY_ENV = "OFFRAMP_ADMIN_KEY"


def _load(config_path: str, need_secrets: bool = True):  # -> GatewayConfig, imported lazily: `--help` stays fast
    from offramp.gateway.config import ConfigError, load_config

    try:
        return load_config(config_path, need_secrets=need_secrets)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("serve")
@click.option("--config", "config_path", default=DEFAULT_CONFIG, show_default=True, type=click.Path(dir_okay=False),
              help="Gateway config file (TOML).")
@click.option("--host", default=None, help="Override server.host.")
@click.option("--port", type=int, default=None, help="Override server.port.")
@click.option("--redis", default=None, envvar="OFFRAMP_REDIS", show_envvar=True,
              help="Redis URL the replicas share cut-offs and breaker evidence through (overrides "
                   "shared_state.redis).")
def serve(config_path: str, host: str | None, port: int | None, redis: str | None) -> None:
    """Run the OpenAI- and Anthropic-compatible gateway that fails over from cut-off APIs."""
    from pydantic import ValidationError

    from offramp.gateway.app import serve as run
    from offramp.gateway.config import LOOPBACK_HOSTS, SharedStateSettings
    from offramp.serving import serve_until_interrupted

    config = _load(config_path)
    if redis:
        try:
            shared = SharedStateSettings.model_validate({**config.shared_state.model_dump(), "redis": redis})
        except ValidationError as exc:
            raise click.BadParameter(exc.errors(include_url=False)[0]["msg"].removeprefix("Value error, "),
                                     param_hint="--redis / OFFRAMP_REDIS") from None
        config = dataclasses.replace(config, shared_state=shared)
    if host or port is not None:
        server = config.server.model_copy(update={k: v for k, v in (("host", host), ("port", port)) if v is not None})
        if server.host not in LOOPBACK_HOSTS and not config.keys:
            raise click.ClickException(f"--host {server.host} is reachable from other machines: add [[keys]] to "
                                       f"{config_path} (hash one with `offramp gateway-key`) or bind 127.0.0.1")
        config = dataclasses.replace(config, server=server)
    serve_until_interrupted(run(config), config.server.host, config.server.port)


def _admin_url(config_path: str, url: str | None) -> str:
    if url:
        return url.rstrip("/")
    if Path(config_path).is_file():
        server = _load(config_path, need_secrets=False).server
        host = "127.0.0.1" if server.host in ("0.0.0.0", "::") else server.host
        return f"http://{host}:{server.port}"
    from offramp.gateway.config import DEFAULT_PORT

    return f"http://127.0.0.1:{DEFAULT_PORT}"


@click.command("cutoff")
@click.argument("provider")
@click.option("--restore", is_flag=True, help="End a cut-off instead of starting one.")
@click.option("--reason", default="cut off by hand", show_default=True)
@click.option("--config", "config_path", default=DEFAULT_CONFIG, show_default=True,
              help="Gateway config, to find its address.")
@click.option("--url", default=None, help="Gateway address, e.g. http://127.0.0.1:8787.")
def cutoff(provider: str, restore: bool, reason: str, config_path: str, url: str | None) -> None:
    """Cut a provider off in a running gateway (a drill, or a decision); --restore ends it."""
    import urllib.error  # here: urllib.request alone costs `offramp --help` a third of its time
    import urllib.request

    address = f"{_admin_url(config_path, url)}/admin/cutoff/{provider}"
    request = urllib.request.Request(address, method="DELETE" if restore else "POST",
                                     data=None if restore else json.dumps({"reason": reason}).encode(),
                                     headers={"Content-Type": "application/json"})
    if admin_key := os.environ.get(ADMIN_KEY_ENV):
        request.add_header("Authorization", f"Bearer {admin_key}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:300]
        hint = f"; set {ADMIN_KEY_ENV}" if exc.code in (401, 403) else ""
        raise click.ClickException(f"the gateway refused: HTTP {exc.code} {detail}{hint}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise click.ClickException(f"cannot reach the gateway at {address}: {getattr(exc, 'reason', exc)}; "
                                   "is `offramp serve` running? (--url sets its address)") from None
    verb = "restored" if restore else "cut off"
    click.echo(f"{provider}: {verb} ({answer['targets']} targets)")


@click.command("exposure")
@click.option("--live", is_flag=True, help="Measure from the gateway's recorded requests.")
@click.option("--window", default="24h", show_default=True, help="How far back: 15m, 24h, 7d...")
@click.option("--config", "config_path", default=DEFAULT_CONFIG, show_default=True,
              help="Gateway config, to find its telemetry store.")
@click.option("--store", "store_path", default=None, help="Telemetry store path (overrides the config).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def exposure(live: bool, window: str, config_path: str, store_path: str | None, as_json: bool) -> None:
    """Live exposure: the share of real requests that only an at-risk closed model could have served."""
    from offramp.gateway.exposure import live_exposure, parse_window
    from offramp.store import StoreError, open_store

    if not live:
        raise click.UsageError("use --live for exposure measured by the gateway; `offramp scan` measures the code")
    try:
        seconds = parse_window(window)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--window") from None
    location = store_path or _load(config_path, need_secrets=False).store
    if "://" not in location and not Path(location).is_file():
        raise click.ClickException(f"no telemetry store at {location!r}: run `offramp serve` first, "
                                   "or point --store at its file")
    try:
        store = open_store(location)
        result = live_exposure(store, seconds)
        store.close()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
        return
    _print_exposure(result, window)


def _print_exposure(result, window: str) -> None:  # result: LiveExposure
    from rich.console import Console
    from rich.table import Table

    console = Console()

    def share(value: float | None) -> str:
        return "n/a (no traffic)" if value is None else f"{value:.1%}"

    console.print(f"[bold]Live exposure[/bold], last {window}: {result.requests} requests, {result.tokens} tokens")
    console.print(f"  by count:  {share(result.by_count)}  ({result.exposed_requests} requests only an at-risk "
                  "closed model could have served)")
    console.print(f"  by tokens: {share(result.by_tokens)}  ({result.exposed_tokens} tokens)")
    table = Table("provider", "jurisdiction", "exposed", "requests", "tokens", "failed")
    for row in result.rows:
        table.add_row(row.provider or "(none served)", row.jurisdiction or "-", "yes" if row.exposed else "no",
                      str(row.requests), str(row.tokens), str(row.failed))
    console.print(table)


@click.command("gateway-key")
@click.option("--key", default=None, help="Hash this key instead of generating one (prefer stdin: '-').")
def gateway_key(key: str | None) -> None:
    """Make a client or admin key and print the hash that goes into the gateway config."""
    import secrets

    from offramp.gateway.auth import hash_key

    if key == "-":
        key = sys.stdin.readline().strip()
    generated = key is None
    key = key or f"ofr-{secrets.token_urlsafe(32)}"
    if generated:
        click.echo(f"key:  {key}   (give it to the client; it is not stored)")
    click.echo(f"hash: {hash_key(key)}")
