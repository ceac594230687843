"""Errors in each client's own protocol, so that SDKs raise their usual exception types."""

from __future__ import annotations

import json

from aiohttp import web

# HTTP status -> (OpenAI error type, Anthropic error type), as each API documents them.
_TYPES: dict[int, tuple[str, str]] = {
    400: ("invalid_request_error", "invalid_request_error"),
    401: ("authentication_error", "authentication_error"),
    403: ("permission_error", "permission_error"),
    404: ("not_found_error", "not_found_error"),
    413: ("invalid_request_error", "request_too_large"),
    429: ("rate_limit_error", "rate_limit_error"),
    500: ("server_error", "api_error"),
    502: ("server_error", "api_error"),
    503: ("server_error", "overloaded_error"),
    529: ("server_error", "overloaded_error"),
}


class GatewayError(Exception):
    """A request the gateway answers with an error in the client's protocol."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


def error_body(client_api: str, status: int, message: str, code: str | None = None) -> dict[str, object]:
    openai_type, anthropic_type = _TYPES.get(status, ("server_error", "api_error"))
    if client_api == "anthropic":
        return {"type": "error", "error": {"type": anthropic_type, "message": message}}
    return {"error": {"message": message, "type": openai_type, "param": None, "code": code}}


def error_response(client_api: str, error: GatewayError, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        status=error.status,
        body=json.dumps(error_body(client_api, error.status, error.message, error.code)).encode(),
        content_type="application/json",
        headers=headers,
    )
