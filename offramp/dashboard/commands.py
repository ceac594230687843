"""``offramp dashboard``: the click command; offramp.cli registers it."""

from __future__ import annotations

import click

from offramp.options import store_option
from offramp.report.i18n import LANGUAGES

DEFAULT_PORT = 8788
KEYS_ENV = "OFFRAMP_DASHBOARD_KEY_HASHES"


@click.command("dashboard")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any other than loopback needs --key-hash.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True)
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of the page (default: from LANG, else en).")
@click.option("--key-hash", "key_hashes", multiple=True, envvar=KEYS_ENV, metavar="HASH",
              help="An access key's hash from `offramp gateway-key` (repeatable; default: $" + KEYS_ENV
                   + ", space-separated); readers then sign in with the key.")
def dashboard(store: str | None, host: str, port: int, lang: str | None, key_hashes: tuple[str, ...]) -> None:
    """Serve the organisation's exposure as a web page, read-only, from the recorded scans, drills and telemetry
    (the gateways' telemetry is read from the same store)."""
    from offramp.dashboard.access import Access, AccessError
    from offramp.dashboard.server import serve
    from offramp.report.i18n import MissingCatalogue, resolve_language, translations
    from offramp.serving import serve_until_interrupted
    from offramp.storelocation import store_location

    try:
        access = Access(key_hashes, host)
    except AccessError as exc:
        raise click.UsageError(str(exc)) from None
    language = resolve_language(lang)
    try:
        translations(language)
    except MissingCatalogue as exc:
        raise click.ClickException(str(exc)) from None
    serve_until_interrupted(serve(store_location(store), host, port, language, access), host, port)
