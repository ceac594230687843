"""Running a web server from a command (`offramp serve`, `offramp dashboard`) until Ctrl-C."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Coroutine
from typing import Any

import click


def serve_until_interrupted(server: Coroutine[Any, Any, None], host: str, port: int) -> None:
    """Run ``server`` with the log on standard error; a store or address it cannot use is a click error that
    says what to do, and Ctrl-C is a normal stop."""
    from offramp.store import StoreError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    try:
        asyncio.run(server)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}; choose another port with "
                                   "--port") from None
    except KeyboardInterrupt:
        pass
