"""The request path: pick the allowed targets, try them in order, relay or translate the answer, record it."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
from aiohttp import web

from offramp.gateway.breaker import Breaker
from offramp.gateway.config import ClientKey, Route, Target
from offramp.gateway.errors import GatewayError, error_body, error_response
from offramp.gateway.health import Health
from offramp.gateway.responses import ResponsesWriter, chat_to_response
from offramp.gateway.schema import schema_violation
from offramp.gateway.sse import SSEParser
from offramp.gateway.streams import CONTENT, OpenAIReader, Reader, Writer, reader_for, resuming_writer, writer_for
from offramp.gateway.telemetry import Telemetry
from offramp.gateway.translate import (
    TranslationError,
    json_schema_of,
    schema_tool,
    translate_request,
    translate_response,
    usage_of,
)
from offramp.gateway.upstream import (
    ABANDONED,
    CONNECT,
    LEGAL,
    RATE_LIMITED,
    STREAM_CUT,
    STREAM_ERROR,
    TIMEOUT_CONNECT,
    TIMEOUT_FIRST_BYTE,
    TIMEOUT_IDLE,
    TIMEOUT_TOTAL,
    UpstreamFailure,
    UpstreamRejected,
    client_timeout,
    post,
    read_json,
    request_headers,
)
from offramp.store import RequestRecord

SCHEMA_MISMATCH = "schema_mismatch"
"""Outcome of a target whose answer does not follow the JSON schema the request asked for: the next one tries."""
UNSUPPORTED = "unsupported"
"""Outcome of a target that cannot express the request (a translation or capability gap): not a failure."""
INCOMPATIBLE = "incompatible_embeddings"
"""Outcome of an embeddings target outside the first target's embedding space: never asked, not a failure."""


class Call:
    """One client request on its way through the chain."""

    __slots__ = ("alias", "attempts", "body", "client_api", "exposed", "held", "input_tokens", "key", "output_tokens",
                 "responses", "route", "served", "started", "status", "stream", "ts", "untranslated")

    def __init__(self, client_api: str, route: Route, key: ClientKey | None, body: dict[str, Any]) -> None:
        self.client_api = client_api
        self.route = route
        self.alias = route.alias
        self.key = key
        self.body = body
        self.stream = bool(body.get("stream"))
        self.attempts: list[tuple[str, str]] = []
        self.served: Target | None = None
        self.status = 200
        self.input_tokens = 0
        self.output_tokens = 0
        self.exposed = False
        self.responses = False
        self.held: tuple[web.StreamResponse, bytes] | None = None
        """A stream's last bytes, held back until its row is committed (synchronous telemetry)."""
        """The client called the Responses API; ``body`` is its Chat Completions form."""
        self.untranslated: list[str] = []
        """Request options the serving target's protocol has no equivalent for (dropped, and said so)."""
        self.ts = time.time()
        self.started = time.perf_counter()


class Proxy:
    def __init__(self, health: Health, telemetry: Telemetry) -> None:
        self.health = health
        self.telemetry = telemetry
        self.session: aiohttp.ClientSession | None = None
        self._timeouts: dict[int, aiohttp.ClientTimeout] = {}

    # -- shared ------------------------------------------------------------------------------------------

    def exposed(self, route: Route, candidates: tuple[Target, ...]) -> bool:
        """Only an at-risk closed model could serve this request now: no other allowed target is ready."""
        if not any(t.at_risk_closed for t in candidates):
            return False
        now = time.monotonic()
        return not any(not t.at_risk_closed and self.health.breaker(route, t).ready(now) for t in candidates)

    def _timeout(self, target: Target) -> aiohttp.ClientTimeout:
        timeout = self._timeouts.get(id(target))
        if timeout is None:
            timeout = self._timeouts[id(target)] = client_timeout(target)
        return timeout

    def _admit(self, call: Call, target: Target) -> tuple[Breaker, int, float] | None:
        """The target's breaker, the ticket :meth:`Breaker.release` takes and when the request was sent (which
        orders its outcome among the others'), or None when the target is skipped."""
        breaker = self.health.breaker(call.route, target)
        now = time.monotonic()
        if breaker.allows(now):
            return breaker, breaker.trials, now
        call.attempts.append((target.id, f"skipped_{breaker.state.value}"))
        return None

    def _failed(self, call: Call, target: Target, breaker: Breaker, failure: UpstreamFailure, sent: float) -> None:
        call.attempts.append((target.id, failure.outcome))
        now = time.monotonic()
        if failure.outcome == LEGAL:
            self.health.legal_refusal(target, f"HTTP {failure.status} legal or region refusal")
        elif failure.outcome == RATE_LIMITED:
            breaker.rate_limited(now, failure.retry_after if failure.retry_after is not None else 1.0)
        elif failure.outcome != ABANDONED:  # the breaker that abandoned it has already opened
            breaker.failure(now, sent, conclusive=failure.outcome in (CONNECT, TIMEOUT_CONNECT))

    def _headers(self, call: Call, target: Target) -> dict[str, str]:
        headers = {"x-offramp-target": target.id, "x-offramp-provider": target.provider,
                   "x-offramp-jurisdiction": target.jurisdiction_label,
                   "x-offramp-failovers": str(sum(1 for _, o in call.attempts if _is_failure(o)))}
        if call.untranslated:
            headers["x-offramp-untranslated"] = ", ".join(call.untranslated)
        return headers

    def _exhausted(self, call: Call, unsupported: TranslationError | None) -> GatewayError:
        tried = "; ".join(f"{t}={o}" for t, o in call.attempts)
        if unsupported and all(o == UNSUPPORTED for _, o in call.attempts):
            return GatewayError(400, f"no target of model {call.alias!r} can serve this request: {unsupported}")
        if call.attempts and all(o == RATE_LIMITED or o.startswith("skipped") for _, o in call.attempts):
            return GatewayError(429, f"every target of model {call.alias!r} is rate limited ({tried})")
        return GatewayError(503, f"no target of model {call.alias!r} could answer ({tried})", "no_target_available")

    def finish(self, call: Call) -> None:
        target = call.served
        self.telemetry.record(RequestRecord(
            ts=call.ts, alias=call.alias, client_api="responses" if call.responses else call.client_api,
            target=target.id if target else None, provider=target.provider if target else None,
            jurisdiction=target.jurisdiction if target else None,
            open_weights=target.open_weights if target else None, status=call.status,
            latency_ms=(time.perf_counter() - call.started) * 1000, input_tokens=call.input_tokens,
            output_tokens=call.output_tokens, stream=call.stream, exposed=call.exposed,
            chain=";".join(f"{t}={o}" for t, o in call.attempts),
            client_key=call.key.name if call.key else None, untranslated=", ".join(call.untranslated),
        ), ((t, o) for t, o in call.attempts if _is_failure(o)))

    def _rejection(self, call: Call, target: Target, rejected: UpstreamRejected) -> web.Response:
        """The target refused the request itself: hand its error to the client in the client's protocol."""
        call.attempts.append((target.id, f"rejected_{rejected.status}"))
        call.status = rejected.status
        body = rejected.body
        if not (isinstance(body, dict) and target.api == call.client_api):
            error = body.get("error") if isinstance(body, dict) else None
            message = error.get("message") if isinstance(error, dict) else None
            body = error_body(call.client_api, rejected.status, message or f"the target answered {rejected.status}")
        text = json.dumps(body)
        if target.secret:
            text = text.replace(target.secret, "[redacted]")
        return web.Response(status=rejected.status, text=text, content_type="application/json",
                            headers=self._headers(call, target))

    # -- whole answers -------------------------------------------------------------------------------

    async def complete(self, call: Call, candidates: tuple[Target, ...], client_headers: Any,
                       embeddings: bool = False) -> web.Response:
        unsupported: TranslationError | None = None
        for target in candidates:
            if embeddings and target.embedding_space != candidates[0].embedding_space:
                call.attempts.append((target.id, INCOMPATIBLE))
                continue
            admitted = self._admit(call, target)
            if admitted is None:
                continue
            breaker, ticket, sent = admitted
            notes: list[str] = []
            try:
                try:
                    if embeddings:
                        if target.api != "openai":
                            raise TranslationError(f"{target.id} speaks the Anthropic API, which has no embeddings")
                        body, url = dict(call.body, model=target.model), f"{target.base_url}/embeddings"
                    else:
                        body = self._translated(call, target, call.body, notes)
                        url = target.url
                except TranslationError as exc:
                    call.attempts.append((target.id, UNSUPPORTED))
                    unsupported = exc
                    continue
                try:
                    response = await post(self.session, target, url, json.dumps(body).encode(),  # type: ignore[arg-type]
                                          request_headers(target, client_headers), self._timeout(target),
                                          breaker, sent)
                    raw, answer = await read_json(response)
                except UpstreamFailure as failure:
                    self._failed(call, target, breaker, failure, sent)
                    continue
                except UpstreamRejected as rejected:
                    return self._rejection(call, target, rejected)
                breaker.success(time.monotonic(), sent)
            finally:
                breaker.release(ticket)
            usage = usage_of(target.api, answer)
            if target.api != call.client_api and not embeddings:
                answer = translate_response(call.client_api, target.api, answer, call.body)
                raw = json.dumps(answer).encode()
            if (schema := json_schema_of(call.body)) and (why := schema_violation(_content_of(answer), schema)):
                call.attempts.append((target.id, SCHEMA_MISMATCH))
                unsupported = unsupported or TranslationError(why)
                continue  # the target is healthy; its answer is not what was asked for
            call.attempts.append((target.id, "ok"))
            call.served = target
            call.input_tokens, call.output_tokens = usage
            call.untranslated = notes
            if call.responses:
                raw = json.dumps(chat_to_response(answer, target.model)).encode()
            return web.Response(body=raw, content_type="application/json", headers=self._headers(call, target))
        error = self._exhausted(call, unsupported)
        call.status = error.status
        return error_response(call.client_api, error)

    @staticmethod
    def _translated(call: Call, target: Target, body: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        """The request in the target's protocol; a shape validation missed is the client's error, not ours."""
        try:
            return translate_request(call.client_api, target, body, notes)
        except TranslationError:
            raise
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise GatewayError(400, f"the request is malformed ({type(exc).__name__}: {exc}); "
                                    "check it against the API reference") from None

    # -- streams -------------------------------------------------------------------------------------

    async def stream(self, request: web.Request, call: Call, candidates: tuple[Target, ...]) -> web.StreamResponse:
        client_api = call.client_api
        include_usage = bool((call.body.get("stream_options") or {}).get("include_usage"))
        response: web.StreamResponse | None = None
        writer: Writer | None = None
        unsupported: TranslationError | None = None
        body = call.body
        schema = json_schema_of(body)
        for target in candidates:
            admitted = self._admit(call, target)
            if admitted is None:
                continue
            breaker, ticket, sent = admitted
            try:
                notes: list[str] = []
                try:
                    payload = self._translated(call, target, body, notes)
                except TranslationError as exc:
                    call.attempts.append((target.id, UNSUPPORTED))
                    unsupported = exc
                    continue
                if response is not None and target.continue_final_message:
                    payload.update(continue_final_message=True, add_generation_prompt=False)
                # Time to first token counts from the request, so a server that accepts and stalls is left too.
                deadline = (None if response is not None
                            else asyncio.get_running_loop().time() + target.timeouts.first_byte)
                try:
                    upstream = await post(self.session, target, target.url,  # type: ignore[arg-type]
                                          json.dumps(payload).encode(), request_headers(target, request.headers),
                                          self._timeout(target), breaker, sent, stream=True)
                except UpstreamFailure as failure:
                    self._failed(call, target, breaker, failure, sent)
                    continue
                except UpstreamRejected as rejected:
                    if response is None:
                        return self._rejection(call, target, rejected)
                    call.attempts.append((target.id, f"rejected_{rejected.status}"))
                    continue
                reader = reader_for(target.api)
                if target.api == "anthropic" and client_api == "openai" and not body.get("tools"):
                    reader.answer_tool = schema_tool(body)
                passthrough = response is None and target.api == client_api and not call.responses
                if response is None:
                    writer = (None if passthrough else ResponsesWriter(target.model) if call.responses
                              else writer_for(client_api, target.model, include_usage))
                    call.untranslated = notes  # in the headers if this target's stream starts
                try:
                    response = await self._relay(request, call, target, upstream, reader, writer, response,
                                                 include_usage, deadline, breaker, sent, schema)
                except SchemaMismatch as mismatch:
                    upstream.release()
                    breaker.success(time.monotonic(), sent)
                    call.attempts.append((target.id, SCHEMA_MISMATCH))
                    unsupported = unsupported or TranslationError(str(mismatch))
                    continue  # the target is healthy; its answer is not what was asked for
                except StreamBroken as failure:
                    upstream.close()
                    self._failed(call, target, breaker, failure, sent)
                    if failure.response is None:
                        continue  # nothing reached the client: failing over is free
                    response = failure.response
                    if writer is None:
                        writer = resuming_writer(client_api, reader, include_usage)
                    if call.route.continue_stream and not writer.used_tools:
                        body = _continuation(call.body, writer.text)
                        continue
                    return await self._abort(call, response, writer, f"{target.id} failed mid-answer")
                except ConnectionError:
                    upstream.close()
                    call.status = 499  # the client went away
                    return response or web.StreamResponse()
                except BaseException:
                    upstream.close()
                    raise
                upstream.release()
                breaker.success(time.monotonic(), sent)
            finally:
                breaker.release(ticket)
            call.attempts.append((target.id, "ok"))
            usage = writer or reader
            # Some servers (llama-cpp-python) stream no usage: estimate it, so that live exposure by
            # tokens does not undercount self-hosted traffic.
            call.input_tokens = usage.input_tokens or _estimated_tokens(json.dumps(call.body.get("messages")))
            call.output_tokens = usage.output_tokens or _estimated_tokens(usage.text)
            return response
        if response is not None:
            assert writer is not None
            return await self._abort(call, response, writer, "no further target could continue the answer")
        error = self._exhausted(call, unsupported)
        call.status = error.status
        return error_response(client_api, error)

    async def _relay(self, request: web.Request, call: Call, target: Target, upstream: aiohttp.ClientResponse,
                     reader: Reader, writer: Writer | None, response: web.StreamResponse | None,
                     include_usage: bool, deadline: float | None, breaker: Breaker, sent: float,
                     schema: dict[str, Any] | None) -> web.StreamResponse:
        """Relay one target's stream to the client; raises :class:`StreamBroken` when it fails.

        Until ``deadline`` (the time-to-first-token limit) the client has been sent nothing, so a failure
        costs it nothing; after, the caller resumes the answer elsewhere or ends it with an error event.
        An answer that must follow a JSON ``schema`` is held back until it is whole and checked, as a
        non-streamed one is: one that does not match raises :class:`SchemaMismatch`, and the client never
        sees it.
        """
        parser = SSEParser()
        pending: list[bytes] = []
        drop_usage = isinstance(reader, OpenAIReader) and not include_usage
        ended = False
        content = upstream.content
        while not ended:
            try:
                if deadline is not None:
                    async with asyncio.timeout_at(deadline) as first_token:
                        with breaker.awaiting_first_byte(first_token, sent):
                            chunk = await content.readany()
                else:
                    chunk = await content.readany()
            except TimeoutError as exc:
                if deadline is not None:
                    kind = ABANDONED if first_token.when() == 0 else TIMEOUT_FIRST_BYTE
                else:
                    kind = TIMEOUT_IDLE if isinstance(exc, aiohttp.SocketTimeoutError) else TIMEOUT_TOTAL
                raise StreamBroken(kind, response) from None
            except aiohttp.ClientError:
                raise StreamBroken(STREAM_CUT, response) from None
            if not chunk:
                raise StreamBroken(STREAM_CUT, response)
            started = deadline is None
            for event, data, raw in parser.feed(chunk):
                try:
                    events = reader.read(event, data)
                except (ValueError, KeyError, TypeError, AttributeError):
                    raise StreamBroken(STREAM_ERROR, response) from None
                for ev in events:
                    kind = ev[0]
                    if kind == "error":
                        raise StreamBroken(STREAM_ERROR, response)
                    if kind == "end":
                        ended = True
                    if kind in CONTENT:
                        started = True
                if writer is None:
                    if not (drop_usage and reader.usage_only):  # type: ignore[attr-defined]
                        pending.append(raw)
                else:
                    pending.append(writer.write(events))
                if ended:
                    break
            if ended and writer is not None:
                pending.append(writer.close())
            if started:
                deadline = None  # the first token came: from here the idle timeout watches the target
                if response is None and schema is not None:
                    if not ended:
                        continue
                    if why := schema_violation(reader.text, schema):
                        raise SchemaMismatch(why)
                if response is None:
                    call.served = target
                    response = web.StreamResponse(headers={
                        "Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                        **self._headers(call, target)})
                    await response.prepare(request)
                if ended and self.telemetry.synchronous:
                    call.held = (response, b"".join(pending))  # the end reaches the client after the commit
                elif pending:
                    await response.write(b"".join(pending))
                    pending.clear()
        # The server ends the stream once the handler returns, after the request is recorded.
        return response  # type: ignore[return-value]

    async def _abort(self, call: Call, response: web.StreamResponse, writer: Writer, why: str) -> web.StreamResponse:
        """End a started stream with an error event the client's SDK raises on, never a silent cut."""
        call.status = 502
        call.input_tokens, call.output_tokens = writer.input_tokens or 0, writer.output_tokens or 0
        try:
            await response.write(writer.error(f"the answer broke off: {why}"))
        except ConnectionError:
            call.status = 499
        return response


def _content_of(answer: dict[str, Any]) -> str | None:
    """The text of an OpenAI Chat Completions answer."""
    choices = answer.get("choices") or [{}]
    return (choices[0].get("message") or {}).get("content")


def _estimated_tokens(text: str) -> int:
    """About four characters a token, the usual rule of thumb for English with BPE tokenizers."""
    return (len(text) + 3) // 4


def _is_failure(outcome: str) -> bool:
    """The target was tried and could not answer (not: it answered, was skipped, or could not be asked)."""
    return outcome not in ("ok", UNSUPPORTED, INCOMPATIBLE) and not outcome.startswith(("skipped", "rejected"))


class SchemaMismatch(Exception):
    """A target's whole streamed answer does not follow the JSON schema its request asked for."""


class StreamBroken(UpstreamFailure):
    """A target's stream failed; ``response`` is the client's stream if it had started, else None."""

    def __init__(self, outcome: str, response: web.StreamResponse | None) -> None:
        super().__init__(outcome)
        self.response = response


def _continuation(body: dict[str, Any], text: str) -> dict[str, Any]:
    """The request again, with the answer so far as a trailing assistant message for the next target."""
    if not text.strip():
        return body
    return {**body, "messages": [*body.get("messages", ()), {"role": "assistant", "content": text.rstrip()}]}
