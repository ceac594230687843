"""Who may read the dashboard: anyone on this machine by default; with access keys, only who presents one.

Keys are the gateway's (``offramp gateway-key`` makes one and its hash); the dashboard is given the hashes only.
A browser signs in once on ``/login`` and gets a session cookie (a random token, never the key); scripts send
``Authorization: Bearer <key>``. Neither the key nor the token is ever logged.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
import time
from collections.abc import Mapping, Sequence

from offramp.gateway.auth import KeyRing, presented_key
from offramp.gateway.config import LOOPBACK_HOSTS, ClientKey

SESSION_COOKIE = "offramp_dashboard"
SESSION_SECONDS = 12 * 3600
_HASH = re.compile(r"^sha256:[0-9a-f]{32}:[0-9a-f]{64}$")


class AccessError(ValueError):
    """The access configuration is unsafe or malformed; the message says what to do."""


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Access:
    """Verifies bearer keys and session cookies against the configured key hashes."""

    def __init__(self, key_hashes: Sequence[str], host: str) -> None:
        malformed = [h for h in key_hashes if not _HASH.match(h)]
        if malformed:
            raise AccessError(f"{len(malformed)} key hash(es) are not of the form sha256:<salt>:<digest>: "
                              "make them with `offramp gateway-key`")
        if not key_hashes and not is_loopback(host):
            raise AccessError(f"--host {host} is reachable from other machines and no access key is configured: "
                              "give --key-hash (from `offramp gateway-key`) or bind 127.0.0.1")
        self._keys = KeyRing([ClientKey(f"dashboard-{n}", h, frozenset(), False) for n, h in enumerate(key_hashes)])
        self._sessions: dict[str, float] = {}

    @property
    def required(self) -> bool:
        return self._keys.required

    def allows(self, headers: Mapping[str, str], cookies: Mapping[str, str]) -> bool:
        if not self.required:
            return True
        if self._keys.verify(presented_key(headers)) is not None:
            return True
        expires = self._sessions.get(cookies.get(SESSION_COOKIE, ""))
        return expires is not None and expires > time.monotonic()

    def sign_in(self, key: str) -> str | None:
        """A new session token for a valid key, else None."""
        if self._keys.verify(key) is None:
            return None
        now = time.monotonic()
        self._sessions = {token: expires for token, expires in self._sessions.items() if expires > now}
        token = secrets.token_urlsafe(32)
        self._sessions[token] = now + SESSION_SECONDS
        return token
