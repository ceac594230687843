"""Client API keys: stored as salted SHA-256 hashes, checked in constant time, never kept in config."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence

from offramp.gateway.config import ClientKey


def hash_key(key: str, salt: bytes | None = None) -> str:
    """The ``sha256:<salt>:<digest>`` form that goes into ``[[keys]] hash``."""
    salt = salt or secrets.token_bytes(16)
    return f"sha256:{salt.hex()}:{hashlib.sha256(salt + key.encode()).hexdigest()}"


def matches(key: str, stored: str) -> bool:
    _, salt, digest = stored.split(":")
    return hmac.compare_digest(hashlib.sha256(bytes.fromhex(salt) + key.encode()).hexdigest(), digest)


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key as the openai SDK (``Authorization: Bearer``) or the anthropic SDK (``x-api-key``) sends it."""
    if key := headers.get("x-api-key"):
        return key
    authorization = headers.get("Authorization", "")
    return authorization[7:] if authorization[:7].lower() == "bearer " else None


class KeyRing:
    """Verifies presented keys; remembers verdicts by the key's digest so each key is hashed once."""

    _CACHE_LIMIT = 4096

    def __init__(self, keys: Sequence[ClientKey]) -> None:
        self.keys = tuple(keys)
        self._verdicts: dict[bytes, ClientKey | None] = {}

    @property
    def required(self) -> bool:
        return bool(self.keys)

    def verify(self, key: str | None) -> ClientKey | None:
        if not key:
            return None
        digest = hashlib.sha256(key.encode()).digest()
        try:
            return self._verdicts[digest]
        except KeyError:
            pass
        found = next((k for k in self.keys if matches(key, k.hash)), None)
        if len(self._verdicts) >= self._CACHE_LIMIT:
            self._verdicts.clear()  # a flood of wrong keys must not grow memory
        self._verdicts[digest] = found
        return found
