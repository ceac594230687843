"""The dashboard's web server: one page, its JSON twin, its style sheets and a sign-in form; nothing writes.

Every request reads the stores afresh on one worker thread (SQLite connections belong to the thread that opened
them; the store queries are short), so the event loop never waits on the database.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from offramp import __version__
from offramp.assess import HOURS_THRESHOLD
from offramp.dashboard.access import SESSION_COOKIE, SESSION_SECONDS, Access
from offramp.dashboard.data import Filters, Summary, collect
from offramp.dashboard.sources import Stores
from offramp.report.html_report import TEMPLATES as REPORT_TEMPLATES
from offramp.report.html_report import environment
from offramp.report.i18n import _, language, ngettext
from offramp.report.words import of_critical

TEMPLATES = Path(__file__).parent / "templates"
STYLE_SHEETS = {"report.css": REPORT_TEMPLATES / "report.css", "dashboard.css": TEMPLATES / "dashboard.css"}
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                           "base-uri 'none'; frame-ancestors 'none'")
"""No script at all, and style sheets only from here: a hostile name in the store cannot run or load anything."""
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Reader:
    """Opens the stores on its own thread and answers every read there."""

    def __init__(self, location: str) -> None:
        self._location = location
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dashboard-store")
        self._stores: Stores | None = None

    async def open(self) -> None:
        await self._run(self._open)

    def _open(self) -> None:
        self._stores = Stores.open(self._location)

    async def summary(self, filters: Filters) -> Summary:
        return await self._run(lambda: collect(self._opened(), filters))

    async def render(self, lang: str, filters: Filters) -> str:
        def page() -> str:
            with language(lang):
                return render_page(collect(self._opened(), filters), lang)
        return await self._run(page)

    async def close(self) -> None:
        if self._stores is not None:
            await self._run(self._opened().close)
        self._thread.shutdown()

    def _opened(self) -> Stores:
        assert self._stores is not None, "Reader.open() runs before the server accepts requests"
        return self._stores

    async def _run(self, work: Callable[[], Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._thread, work)


READER, ACCESS, LANG = web.AppKey("reader", Reader), web.AppKey("access", Access), web.AppKey("lang", str)


def create_app(reader: Reader, access: Access, lang: str) -> web.Application:
    app = web.Application(middlewares=[_security_headers, _signed_in(access)])
    app[READER], app[ACCESS], app[LANG] = reader, access, lang
    app.router.add_get("/", _page)
    app.router.add_get("/api/summary", _api_summary)
    app.router.add_get("/assets/{name}", _style_sheet)
    app.router.add_get("/favicon.ico", _no_icon)
    app.router.add_get("/login", _login_form)
    app.router.add_post("/login", _login)
    app.on_startup.append(lambda app: reader.open())
    app.on_cleanup.append(lambda app: reader.close())
    return app


async def serve(location: str, host: str, port: int, lang: str, access: Access) -> None:
    """Serve until cancelled (Ctrl-C)."""
    runner = web.AppRunner(create_app(Reader(location), access, lang), access_log_format='%a "%r" %s %b')
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        logging.getLogger(__name__).info("offramp dashboard on http://%s:%d/", host, port)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


async def _page(request: web.Request) -> web.Response:
    text = await request.app[READER].render(request.app[LANG], Filters.from_query(request.query))
    return web.Response(text=text, content_type="text/html", charset="utf-8")


async def _api_summary(request: web.Request) -> web.Response:
    summary = await request.app[READER].summary(Filters.from_query(request.query))
    return web.json_response(summary.to_json(), dumps=lambda data: json.dumps(data, ensure_ascii=False))


async def _style_sheet(request: web.Request) -> web.Response:
    file = STYLE_SHEETS.get(request.match_info["name"])
    if file is None:
        raise web.HTTPNotFound()
    return web.Response(text=file.read_text(encoding="utf-8"), content_type="text/css", charset="utf-8",
                        headers={"Cache-Control": "max-age=300"})


async def _no_icon(request: web.Request) -> web.Response:
    """Browsers ask for an icon; the page has none, and a 404 would read as an error in their console."""
    return web.Response(status=204)


async def _login_form(request: web.Request) -> web.Response:
    return _sign_in_page(request, request.query.get("next", "/"), failed=False)


async def _login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    token = request.app[ACCESS].sign_in(str(form.get("key", "")))
    if token is None:
        return _sign_in_page(request, str(form.get("next", "/")), failed=True)
    response = web.HTTPSeeOther(_local(str(form.get("next", "/"))))
    response.set_cookie(SESSION_COOKIE, token, max_age=SESSION_SECONDS, httponly=True, samesite="Strict",
                        secure=request.secure)
    raise response


def _sign_in_page(request: web.Request, next_path: str, failed: bool) -> web.Response:
    with language(request.app[LANG]):
        text = environment(TEMPLATES).get_template("login.html").render(
            lang=request.app[LANG], failed=failed, next=_local(next_path))
    return web.Response(text=text, content_type="text/html", charset="utf-8", status=401 if failed else 200)


def _local(target: str) -> str:
    """Only a path on this server: a sign-in link must not send anyone elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _signed_in(access: Access) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path in ("/login", "/favicon.ico") or request.path.startswith("/assets/"):
            return await handler(request)
        if access.allows(request.headers, request.cookies):
            return await handler(request)
        if request.path.startswith("/api/"):
            raise web.HTTPUnauthorized(text=json.dumps({"error": "send Authorization: Bearer <key>"}),
                                       content_type="application/json")
        raise web.HTTPSeeOther("/login?" + urlencode({"next": request.path_qs}))
    return check


@web.middleware
async def _security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        response = exc
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("Cache-Control", "no-store")
    if isinstance(response, web.HTTPException):
        raise response
    return response


def render_page(summary: Summary, lang: str) -> str:
    """The page in the active language; pass the same ``lang`` for the page's lang attribute."""
    totals = summary.totals
    return environment(TEMPLATES).get_template("dashboard.html").render(
        lang=lang, version=__version__, summary=summary, filters=summary.filters, threshold=HOURS_THRESHOLD,
        cards=[("exposure_48h", _("Exposure (48 h)"), totals.exposure_48h,
                of_critical(totals.exposed_48h, totals.critical_paths), totals.exposed_48h),
               ("exposure_no_fallback", _("Exposure (no fallback)"), totals.exposure_no_fallback,
                of_critical(totals.exposed_no_fallback, totals.critical_paths), totals.exposed_no_fallback)],
        trend=[{"date": point.date, "exposure_48h": point.numbers.exposure_48h,
                "exposure_no_fallback": point.numbers.exposure_no_fallback,
                "label": ngettext("{count} repository", "{count} repositories", point.repositories).format(
                    count=point.repositories)} for point in summary.trend],
        filter_names={"repository": _("Repository"), "provider": _("Provider"), "jurisdiction": _("Jurisdiction")},
        level_names={2: _("Exposed, over {hours} h").format(hours=HOURS_THRESHOLD), 1: _("Exposed, no fallback")},
        windows={"hour": _("Last hour"), "day": _("Last day")},
        filtered=lambda **change: "/" + _query(summary.filters, change),
        api="/api/summary" + _query(summary.filters, {}),
    )


def _query(filters: Filters, change: dict[str, str]) -> str:
    """The query string of ``filters`` with ``change`` made, for a link that keeps the other filters."""
    query = urlencode({k: v for k, v in {**filters.as_dict(), **change}.items() if v})
    return f"?{query}" if query else ""
