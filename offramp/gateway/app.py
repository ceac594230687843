"""The HTTP server: the OpenAI and Anthropic fronts, models, metrics and the admin endpoints."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import signal
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, Gauge

from offramp.drill.capture import PromptCapture
from offramp.gateway.auth import KeyRing, matches, presented_key
from offramp.gateway.config import ClientKey, GatewayConfig, Route, Target
from offramp.gateway.errors import GatewayError, error_response
from offramp.gateway.health import Health
from offramp.gateway.policy import allowed, refusal
from offramp.gateway.proxy import Call, Proxy
from offramp.gateway.responses import responses_to_chat
from offramp.gateway.shared import shared_state
from offramp.gateway.telemetry import Telemetry
from offramp.gateway.validate import check_anthropic_messages, check_embeddings, check_openai_chat, check_responses
from offramp.store import TelemetryStore, open_store

log = logging.getLogger("offramp.gateway")
_PROVIDER_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class Gateway:
    def __init__(self, config: GatewayConfig, store: TelemetryStore | None = None) -> None:
        self.config = config
        self.shared = shared_state(config.shared_state)
        self.health = Health(config, self.shared)
        self.telemetry = Telemetry(store or open_store(config.store), config.flush_interval,
                                   config.synchronous_telemetry)
        self.inflight = 0
        self.telemetry.watch(self.health, lambda: self.inflight)
        if self.shared.up is not None:
            Gauge("offramp_shared_state_up", "1 while the replicas' shared state (Redis) answers; 0: this replica "
                  "serves on its own state.", registry=self.telemetry.registry).set_function(
                lambda: 1 if self.shared.up else 0)
        self.proxy = Proxy(self.health, self.telemetry)
        self.keys = KeyRing(config.keys)
        self._allowed: dict[tuple[str, str | None], tuple[Target, ...]] = {}
        self.captures = {alias: PromptCapture(Path(route.capture.file), route.capture.sample, alias)
                         for alias, route in config.routes.items() if route.capture is not None}
        self.providers = frozenset(t.provider for route in config.routes.values() for t in route.targets)
        for provider, reason in self.telemetry.store.cutoffs().items():
            if provider in self.providers:  # a decision taken by hand lasts until it is undone by hand
                self.health.cut_off_provider(provider, reason)
                self.shared.decided(provider, reason, at=0.0)  # of unknown age: any decision the peers hold is newer

    def runner(self) -> web.AppRunner:
        """The server, with the header timeout: a connection that sends no complete request headers within
        ``server.header_timeout`` seconds (slowloris) is closed."""
        return web.AppRunner(self.app(), access_log=None, handle_signals=False,
                             keepalive_timeout=self.config.server.header_timeout)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=self.config.server.max_request_bytes)
        app.add_routes([
            web.post("/v1/chat/completions", self.openai_chat),
            web.post("/v1/messages", self.anthropic_messages),
            web.post("/v1/embeddings", self.embeddings),
            web.post("/v1/responses", self.openai_responses),
            web.get("/v1/models", self.models),
            web.get("/metrics", self.metrics),
            web.get("/healthz", self.healthz),
            web.get("/admin/state", self.admin_state),
            web.post("/admin/cutoff/{provider}", self.admin_cutoff),
            web.delete("/admin/cutoff/{provider}", self.admin_restore),
        ])
        app.cleanup_ctx.append(self._lifecycle)
        return app

    async def _lifecycle(self, app: web.Application) -> AsyncIterator[None]:
        limit = self.config.server.max_concurrent
        self.proxy.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=limit, limit_per_host=limit, ttl_dns_cache=300),
            auto_decompress=True, trust_env=False)
        tasks = [asyncio.create_task(self.telemetry.flush_forever()),
                 asyncio.create_task(self.health.probe_forever(self.proxy.session)),
                 asyncio.create_task(self.shared.run(self.health, self.telemetry.store))]
        yield
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.telemetry.flush()
        await self.proxy.session.close()
        self.telemetry.store.close()

    # -- model fronts --------------------------------------------------------------------------------

    async def openai_chat(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, "openai", check_openai_chat)

    async def anthropic_messages(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, "anthropic", check_anthropic_messages)

    async def embeddings(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, "openai", check_embeddings, embeddings=True)

    async def openai_responses(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, "openai", check_responses, responses=True)

    async def _serve(self, request: web.Request, client_api: str, check: Callable[[Mapping[str, Any]], None],
                     embeddings: bool = False, responses: bool = False) -> web.StreamResponse:
        try:
            key = self._client_key(request)
            body, route = self._parse(await self._read(request))
        except GatewayError as error:
            return error_response(client_api, error)
        # The body is in: a slow upload never holds one of the max_concurrent slots.
        if self.inflight >= self.config.server.max_concurrent:
            return error_response(client_api, GatewayError(
                529 if client_api == "anthropic" else 429,
                f"the gateway is answering {self.inflight} requests, its limit (server.max_concurrent); retry shortly"))
        self.inflight += 1
        call = Call(client_api, route, key, body)
        try:
            check(body)
            if responses:
                call.body, call.responses = responses_to_chat(body), True
            candidates = self._candidates(route, key)
            call.exposed = self.proxy.exposed(route, candidates)
            if call.stream and not embeddings:
                response = await self.proxy.stream(request, call, candidates)
            else:
                response = await self.proxy.complete(call, candidates, request.headers, embeddings)
            if (capture := self.captures.get(route.alias)) and call.served and call.status == 200 \
                    and not embeddings:  # the primary's answer is the reference a fallback is held to
                capture.record(call.client_api, call.body, getattr(response, "body", None)
                               if call.served.at_risk_closed else None)
            return response
        except GatewayError as error:
            call.status = error.status
            return error_response(client_api, error)
        except Exception as exc:  # a bug must still answer in the client's protocol, and be recorded
            call.status = 500
            where = exc.__traceback__
            while where is not None and where.tb_next is not None:
                where = where.tb_next
            log.error("internal error on a request to %s: %s at %s:%s", route.alias, type(exc).__name__,
                      where.tb_frame.f_code.co_filename if where else "?", where.tb_lineno if where else "?")
            return error_response(client_api, GatewayError(500, "the gateway failed on this request (a bug); "
                                                                "its log names the place"))
        finally:
            self.inflight -= 1
            self.proxy.finish(call)
            if self.telemetry.synchronous:
                await self.telemetry.flush()
                if call.held:
                    response, tail = call.held
                    with contextlib.suppress(ConnectionError):
                        await response.write(tail)

    def _client_key(self, request: web.Request) -> ClientKey | None:
        if not self.keys.required:
            return None
        key = self.keys.verify(presented_key(request.headers))
        if key is None:
            raise GatewayError(401, "missing or unknown API key: this gateway requires one of its client keys "
                                    "(Authorization: Bearer ... or x-api-key)", "invalid_api_key")
        return key

    async def _read(self, request: web.Request) -> bytes:
        server = self.config.server
        too_large = GatewayError(413, f"the request is larger than the gateway's limit of {server.max_request_bytes} "
                                      "bytes (server.max_request_bytes)")
        if (request.content_length or 0) > server.max_request_bytes:
            raise too_large  # refused before a byte of the body is waited for
        try:
            async with asyncio.timeout(server.body_timeout):
                return await request.read()
        except web.HTTPRequestEntityTooLarge:
            raise too_large from None
        except TimeoutError:
            raise GatewayError(408, f"the request body did not arrive within {server.body_timeout} s "
                                    "(server.body_timeout)") from None

    def _parse(self, raw: bytes) -> tuple[dict[str, Any], Route]:
        try:
            body = json.loads(raw)
        except ValueError:
            raise GatewayError(400, "the request body is not valid JSON") from None
        if not isinstance(body, dict) or not isinstance(body.get("model"), str):
            raise GatewayError(400, "the request needs a \"model\": one of this gateway's model aliases")
        route = self.config.routes.get(body["model"])
        if route is None:
            raise GatewayError(404, f"model {body['model']!r} is not configured in this gateway; it serves "
                                    f"{', '.join(sorted(self.config.routes))}", "model_not_found")
        return body, route

    def _candidates(self, route: Route, key: ClientKey | None) -> tuple[Target, ...]:
        cache_key = (route.alias, key.name if key else None)
        candidates = self._allowed.get(cache_key)
        if candidates is None:
            candidates = self._allowed[cache_key] = allowed(route, key)
        if not candidates:
            raise GatewayError(403, refusal(route, key), "policy_forbids_all_targets")
        return candidates

    async def models(self, request: web.Request) -> web.Response:
        if self.keys.required and self.keys.verify(presented_key(request.headers)) is None:
            client_api = "anthropic" if "anthropic-version" in request.headers else "openai"
            return error_response(client_api, GatewayError(401, "missing or unknown API key"))
        aliases = sorted(self.config.routes)
        if "anthropic-version" in request.headers:
            data = [{"type": "model", "id": a, "display_name": a, "created_at": "1970-01-01T00:00:00Z"}
                    for a in aliases]
            return web.json_response({"data": data, "has_more": False,
                                      "first_id": aliases[0] if aliases else None,
                                      "last_id": aliases[-1] if aliases else None})
        return web.json_response({"object": "list", "data": [
            {"id": a, "object": "model", "created": 0, "owned_by": "offramp"} for a in aliases]})

    # -- operations ----------------------------------------------------------------------------------

    async def healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def metrics(self, request: web.Request) -> web.Response:
        self._require_admin(request)
        return web.Response(body=self.telemetry.prometheus(), headers={
            "Content-Type": CONTENT_TYPE_LATEST, "X-Content-Type-Options": "nosniff"})

    async def admin_state(self, request: web.Request) -> web.Response:
        self._require_admin(request)
        return web.json_response({"targets": self.health.snapshot(), "inflight": self.inflight})

    async def admin_cutoff(self, request: web.Request) -> web.Response:
        self._require_admin(request)
        provider = self._provider(request)
        reason = "cut off by hand"
        if request.can_read_body:
            with contextlib.suppress(ValueError, AttributeError):
                reason = str((await request.json()).get("reason") or reason)
        reason = "".join(ch for ch in reason if ch.isprintable())[:200]  # it goes into the log
        count = self.health.cut_off_provider(provider, reason)
        self.shared.decided(provider, reason)
        await asyncio.to_thread(self.telemetry.store.save_cutoff, provider, reason)
        return web.json_response({"provider": provider, "state": "cut_off", "targets": count})

    async def admin_restore(self, request: web.Request) -> web.Response:
        self._require_admin(request)
        provider = self._provider(request)
        count = self.health.restore_provider(provider)
        self.shared.decided(provider, None)
        await asyncio.to_thread(self.telemetry.store.save_cutoff, provider, None)
        return web.json_response({"provider": provider, "state": "closed", "targets": count})

    def _provider(self, request: web.Request) -> str:
        """The provider the admin path names: one of the config's, or a 400/404 (never logged)."""
        provider = request.match_info["provider"]
        if not _PROVIDER_NAME.match(provider):
            raise web.HTTPBadRequest(text=json.dumps({"error": "a provider id is lower-case letters, digits, '.', "
                                                               "'_' or '-' (at most 64)"}),
                                     content_type="application/json")
        if provider not in self.providers:
            raise web.HTTPNotFound(text=json.dumps({"error": f"no route uses provider {provider!r}; this gateway's "
                                                             f"providers: {', '.join(sorted(self.providers))}"}),
                                   content_type="application/json")
        return provider

    def _require_admin(self, request: web.Request) -> None:
        stored = self.config.server.admin_key_hash
        if stored is None:
            if self.config.on_loopback:
                return
            raise web.HTTPForbidden(text=json.dumps({"error": "admin endpoints are off: the gateway is not on "
                                                              "loopback and server.admin_key_hash is not set"}),
                                    content_type="application/json")
        key = presented_key(request.headers)
        if not key or not matches(key, stored):
            raise web.HTTPUnauthorized(text=json.dumps({"error": "admin key required"}),
                                       content_type="application/json")


async def serve(config: GatewayConfig, ready: asyncio.Event | None = None) -> None:
    """Run the gateway until SIGINT or SIGTERM, then flush telemetry and close connections."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows event loops
            loop.add_signal_handler(signum, stop.set)
    gateway = Gateway(config)
    runner = gateway.runner()
    await runner.setup()
    site = web.TCPSite(runner, config.server.host, config.server.port, backlog=1024)
    await site.start()
    log.info("offramp gateway listening on http://%s:%s (%d routes)", config.server.host, config.server.port,
             len(config.routes))
    if ready is not None:
        ready.set()
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
