"""A server command that cannot listen, or cannot open its store, says what to do."""

from __future__ import annotations

import socket

import click
import pytest

from offramp.serving import serve_until_interrupted
from offramp.store import StoreError


async def _listen(port: int) -> None:
    import asyncio

    await asyncio.start_server(lambda r, w: None, "127.0.0.1", port)


def test_a_port_in_use_is_an_error_that_names_it_and_the_option() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(click.ClickException, match=rf"cannot listen on 127.0.0.1:{port}: .*--port"):
            serve_until_interrupted(_listen(port), "127.0.0.1", port)


def test_a_store_error_becomes_the_commands_message() -> None:
    async def unusable_store() -> None:
        raise StoreError("cannot open the store: check the URL")

    with pytest.raises(click.ClickException, match="cannot open the store: check the URL"):
        serve_until_interrupted(unusable_store(), "127.0.0.1", 1)
