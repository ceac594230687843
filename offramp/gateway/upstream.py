"""Talking to targets: one pooled aiohttp session, timeouts per target, and what each failure means.

Every way a target can fail becomes an :class:`UpstreamFailure` whose ``outcome`` decides what the router
does: fail over (and how the circuit breaker counts it), or hand the error back to the client.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import re
import time
from collections.abc import Mapping
from typing import Any

import aiohttp

from offramp.gateway.breaker import Breaker
from offramp.gateway.config import Target

# Outcomes that move the request to the next target.
LEGAL = "legal_refusal"
AUTH = "auth"
RATE_LIMITED = "rate_limited"
SERVER = "server_error"
MODEL_MISSING = "model_missing"
CONNECT = "connect_error"
CONNECTION_LOST = "connection_lost"
REDIRECT = "redirect"
ABANDONED = "abandoned"
"""The request was waiting for the first byte when the target was judged down: it moved on without waiting."""
TIMEOUT_CONNECT = "timeout_connect"
TIMEOUT_FIRST_BYTE = "timeout_first_byte"
TIMEOUT_IDLE = "timeout_idle"
TIMEOUT_TOTAL = "timeout_total"
STREAM_CUT = "stream_cut"
STREAM_ERROR = "stream_error"

# Region and sanctions refusals as OpenAI, Anthropic, Google and AWS word them.
_REGION_REFUSAL = re.compile(
    r"unsupported_country_region_territory|country, region, or territory not supported"
    r"|unsupported (?:countries|country|region|location)"
    r"|not (?:available|supported|allowed) (?:in|from) (?:your|this|the) (?:country|region|location|territory)"
    r"|user location is not supported|region not supported|supported-countries",
    re.IGNORECASE,
)
_MAX_ERROR_BODY = 64 * 1024


class UpstreamFailure(Exception):
    """The target could not serve this request; the next target might."""

    def __init__(self, outcome: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(outcome if status is None else f"{outcome} (HTTP {status})")
        self.outcome = outcome
        self.status = status
        self.retry_after = retry_after


class UpstreamRejected(Exception):
    """The target refused the request itself (400, 413, 422...): any target would, so the client gets it."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body


def client_timeout(target: Target) -> aiohttp.ClientTimeout:
    t = target.timeouts
    return aiohttp.ClientTimeout(total=t.total, sock_connect=t.connect, sock_read=t.idle)


def request_headers(target: Target, client_headers: Mapping[str, str]) -> dict[str, str]:
    headers = {"Content-Type": "application/json", **target.auth_headers}
    if target.api == "anthropic" and (beta := client_headers.get("anthropic-beta")):
        headers["anthropic-beta"] = beta
    return headers


async def post(session: aiohttp.ClientSession, target: Target, url: str, payload: bytes,
               headers: Mapping[str, str], timeout: aiohttp.ClientTimeout, breaker: Breaker, sent: float,
               stream: bool = False) -> aiohttp.ClientResponse:
    """Send a request (admitted at ``sent``) and wait for the status line within the first-byte timeout.

    While it waits, the target's breaker watches it, so that a target judged down or gone silent ends the
    wait at once. A stream's status line comes before its answer, so it says nothing of how long the
    target takes to answer. Redirects are never followed: a 3xx would send the prompt and the key elsewhere.
    Returns a 2xx response with its body unread; raises :class:`UpstreamFailure` or :class:`UpstreamRejected`.
    """
    try:
        async with asyncio.timeout(target.timeouts.first_byte) as deadline:
            with breaker.awaiting_first_byte(deadline, sent, answers=not stream):
                response = await session.post(url, data=payload, headers=headers, timeout=timeout,
                                              allow_redirects=False)
    except TimeoutError as exc:
        raise UpstreamFailure(ABANDONED if deadline.when() == 0 else _timeout_kind(exc, TIMEOUT_FIRST_BYTE)) from None
    except aiohttp.ClientConnectorError:
        raise UpstreamFailure(CONNECT) from None
    except aiohttp.ClientError:
        raise UpstreamFailure(CONNECTION_LOST) from None
    if response.status < 300:
        return response
    await _raise_for(response)
    raise AssertionError("unreachable")  # _raise_for always raises


def _timeout_kind(exc: BaseException, default: str) -> str:
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return TIMEOUT_CONNECT
    if isinstance(exc, aiohttp.SocketTimeoutError):
        return TIMEOUT_IDLE
    return default


async def read_json(response: aiohttp.ClientResponse) -> tuple[bytes, dict[str, Any]]:
    """The raw and parsed body of a 2xx answer; a cut or stalled body is the target's failure."""
    try:
        data = await response.read()
    except TimeoutError as exc:
        raise UpstreamFailure(_timeout_kind(exc, TIMEOUT_TOTAL)) from None
    except aiohttp.ClientError:
        raise UpstreamFailure(STREAM_CUT) from None
    finally:
        response.release()
    try:
        body = json.loads(data)
    except ValueError:
        raise UpstreamFailure(SERVER, response.status) from None
    if not isinstance(body, dict):
        raise UpstreamFailure(SERVER, response.status)
    return data, body


async def _raise_for(response: aiohttp.ClientResponse) -> None:
    status = response.status
    try:
        raw = await response.content.read(_MAX_ERROR_BODY)
    except (aiohttp.ClientError, TimeoutError):
        raw = b""
    finally:
        response.release()
    text = raw.decode("utf-8", "replace")
    if 300 <= status < 400:
        raise UpstreamFailure(REDIRECT, status)
    if status == 451 or (status in (400, 403) and _REGION_REFUSAL.search(text)):
        raise UpstreamFailure(LEGAL, status)
    if status in (401, 403):
        raise UpstreamFailure(AUTH, status)
    if status == 429:
        raise UpstreamFailure(RATE_LIMITED, status, retry_after_seconds(response.headers))
    if status == 408 or status >= 500:
        raise UpstreamFailure(SERVER, status)
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if status == 404 and re.search(r"model", text, re.IGNORECASE):
        raise UpstreamFailure(MODEL_MISSING, status)  # this target lacks the model; the next may have it
    raise UpstreamRejected(status, body)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    if value := headers.get("retry-after-ms"):
        try:
            return float(value) / 1000
        except ValueError:
            pass
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


async def probe(session: aiohttp.ClientSession, target: Target) -> bool:
    """Whether a cut-off target answers again: a free models listing, never a paid completion."""
    url = f"{target.base_url}/v1/models" if target.api == "anthropic" else f"{target.base_url}/models"
    timeout = aiohttp.ClientTimeout(total=target.timeouts.connect + target.timeouts.first_byte,
                                    sock_connect=target.timeouts.connect)
    try:
        async with session.get(url, headers=dict(target.auth_headers), timeout=timeout,
                               allow_redirects=False) as response:
            await response.read()
            return response.status < 300
    except (aiohttp.ClientError, TimeoutError):
        return False
