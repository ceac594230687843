"""Real PostgreSQL and Redis servers for the tests: Debian's packages, started on 127.0.0.1 on a free port with
their data in a temporary folder, and stopped by PID when the tests are done.

PostgreSQL refuses to run as root, so when the tests run as root (CI) the server runs as the ``postgres`` user
that Debian's package creates.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

POSTGRES_BIN = Path(os.environ.get("OFFRAMP_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = os.environ.get("OFFRAMP_TEST_REDIS_SERVER", "redis-server")


class ServerUnavailable(RuntimeError):
    """A server the tests need is not installed; scripts/test.sh installs it."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode} before listening on {port}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {timeout} s")


def _stop(process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)  # PostgreSQL's fast shutdown; Redis saves nothing (no persistence here)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


FAST_UNSAFE = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")
"""Settings that make a test cluster fast and would lose data on a crash: the tests' default."""


class PostgresServer:
    """A throwaway PostgreSQL cluster; :meth:`database` creates a fresh, empty database and returns its URL.
    ``settings`` (``name=value``) replace :data:`FAST_UNSAFE`: ``()`` runs with PostgreSQL's durable defaults."""

    def __init__(self, settings: tuple[str, ...] = FAST_UNSAFE) -> None:
        if not (POSTGRES_BIN / "postgres").exists():
            raise ServerUnavailable(f"PostgreSQL is not installed ({POSTGRES_BIN}); run scripts/test.sh")
        self.port = free_port()
        self._folder = Path(tempfile.mkdtemp(prefix="offramp-pg-"))
        # As root, the server runs as Debian's postgres user: set on the process itself (not through runuser), so
        # the PID the tests hold is the server's and a signal to it stops the server.
        self._as: dict[str, str] = {}
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self._folder, account.pw_uid, account.pw_gid)
            self._as = {"user": "postgres", "group": "postgres"}
        self._data = self._folder / "data"
        subprocess.run([str(POSTGRES_BIN / "initdb"), "-D", str(self._data), "-U", "offramp",
                        "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                       check=True, capture_output=True, cwd=self._folder, **self._as)
        self._log = open(self._folder / "server.log", "wb")  # noqa: SIM115  (closed in stop())
        self._process = subprocess.Popen(
            [str(POSTGRES_BIN / "postgres"), "-D", str(self._data), "-h", "127.0.0.1",
             "-p", str(self.port), "-k", str(self._folder), "-c", "max_connections=200",
             *(part for setting in settings for part in ("-c", setting))],
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True, cwd=self._folder, **self._as)
        try:
            _wait_for_port(self.port, self._process, "PostgreSQL")
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        self._databases = 0

    @property
    def pid(self) -> int:
        return self._process.pid

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://offramp@127.0.0.1:{self.port}/{database}"

    def _wait_ready(self, timeout: float = 30.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:  # "the database system is starting up"
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def database(self) -> str:
        import psycopg

        self._databases += 1
        name = f"test_{os.getpid()}_{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        _stop(self._process)
        self._log.close()
        shutil.rmtree(self._folder, ignore_errors=True)


class RedisServer:
    """A throwaway Redis without persistence; it can be stopped and started again on the same port."""

    def __init__(self) -> None:
        if shutil.which(REDIS_SERVER) is None:
            raise ServerUnavailable(f"{REDIS_SERVER} is not installed; run scripts/test.sh")
        self.port = free_port()
        self._folder = Path(tempfile.mkdtemp(prefix="offramp-redis-"))
        self._process: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process and self._process.poll() is None else None

    def start(self) -> None:
        self._process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self._folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        _wait_for_port(self.port, self._process, "redis-server")

    def stop(self) -> None:
        if self._process is not None:
            _stop(self._process)
            self._process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self._folder, ignore_errors=True)


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    try:
        yield server
    finally:
        server.close()
