"""A real store seeded the way users fill it, and the dashboard serving it as its own process on 127.0.0.1.

Scans are real `offramp scan --record` runs of small git repositories written here (a GitHub remote, a GitLab
one with a hostile file name), plus one older scan recorded through the history API so the trend spans days;
drill runs and gateway telemetry go through the drill and telemetry store APIs.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from offramp.cli import main
from offramp.store import DrillRun, RequestRecord, open_drill_store, open_store
from offramp.store.history import History
from tests.servers import PostgresServer, free_port

REPO = Path(__file__).parents[2]
HOSTILE = '<img src=x onerror="document.title=1">&amp;.py'
"""A file name a repository may really hold: markup, quotes and an entity, to be shown as text."""
EXPOSED = 'from openai import OpenAI\nOpenAI().beta.assistants.create(model="gpt-4o", name="x")\n'
PLAIN = 'from openai import OpenAI\nOpenAI().chat.completions.create(model="gpt-4o", messages=[])\n'
SUPPORT_REMOTE = "https://github.com/acme/support.git"
BILLING_REMOTE = "git@gitlab.com:acme/billing.git"


@dataclass(frozen=True)
class Seeded:
    store: str
    """A SQLite file or a postgresql:// URL."""
    work: Path
    commits: dict[str, str]
    """Commit of each repository key's latest scan."""
    now: datetime


def git(root: Path, *arguments: str) -> str:
    done = subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com",
                           *arguments], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def repository(root: Path, remote: str) -> str:
    git(root, "init", "-q")
    git(root, "remote", "add", "origin", remote)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fixture")
    return git(root, "rev-parse", "HEAD")


def scan(root: Path, store: str, *arguments: str) -> None:
    outcome = CliRunner().invoke(main, ["scan", str(root), "--today", "2026-11-25", "--jobs", "1", "--record",
                                        "--store", store, *arguments])
    assert outcome.exit_code == 0, outcome.output


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    """The store in a SQLite file."""
    work = tmp_path_factory.mktemp("dashboard")
    return seed(str(work / "offramp.sqlite"), work)


@pytest.fixture(scope="session")
def seeded_postgres(tmp_path_factory: pytest.TempPathFactory, postgres: PostgresServer) -> Seeded:
    """The same store in a fresh database on the run's PostgreSQL."""
    return seed(postgres.database(), tmp_path_factory.mktemp("dashboard-postgres"))


def seed(store: str, work: Path) -> Seeded:
    now = datetime.now(UTC)

    support = work / "support"
    shutil.copytree(REPO / "examples" / "acme-support", support)
    first = repository(support, SUPPORT_REMOTE)
    report = work / "support-old.json"
    scan(support, str(work / "scratch.sqlite"), "--format", "json", "-o", str(report))
    with History(store) as history:  # three days ago, before the assistant below was added
        history.record(SUPPORT_REMOTE, first, json.loads(report.read_text(encoding="utf-8")),
                       recorded_at=now - timedelta(days=3))
    (support / "acme_support" / "assistant.py").write_text(EXPOSED)
    git(support, "add", "-A")
    git(support, "commit", "-q", "-m", "assistant")
    scan(support, store)

    billing = work / "billing"
    (billing / "app").mkdir(parents=True)
    (billing / "app" / HOSTILE).write_text(PLAIN)
    (billing / "app" / "invoice.py").write_text(EXPOSED)
    repository(billing, BILLING_REMOTE)
    scan(billing, store)

    drills = open_drill_store(store)
    for name, status, passed, age in (("support-answers", "failed", 5, 30), ("support-answers", "passed", 9, 2),
                                      ("billing-invoices", "failed", 6, 5)):
        started = now - timedelta(hours=age)
        run = drills.start(DrillRun(name, "hash", "chat", ("acme_support/**",), ("openai",), ("vllm:qwen",),
                                    "2026.11", 0.8, 10, started))
        drills.finish(replace(run, status=status, passed=passed, pass_rate=passed / 10,
                              finished_at=started + timedelta(minutes=5)))
    drills.close()

    telemetry = open_store(store)
    telemetry.write([request(now, minutes, provider, exposed, tokens) for minutes, provider, exposed, tokens in (
        (10, "openai", True, 100), (20, "openai", True, 50), (30, "vllm", False, 70),  # within the hour
        (300, "openai", True, 1000), (400, "vllm", False, 10),  # within the day
        (60 * 72, "openai", True, 99999))])  # three days ago: in neither window
    telemetry.close()
    with History(store) as history:
        commits = {scan.repository: scan.commit or "" for scan in history.scans()}
    return Seeded(store, work, commits, now)


def request(now: datetime, minutes_ago: int, provider: str, exposed: bool, tokens: int) -> RequestRecord:
    jurisdiction = "US" if provider == "openai" else None
    return RequestRecord((now - timedelta(minutes=minutes_ago)).timestamp(), "chat", "openai", f"{provider}:m",
                         provider, jurisdiction, provider != "openai", 200, 12.0, tokens - tokens // 2, tokens // 2,
                         False, exposed, f"{provider}:m=ok")


@dataclass
class Dashboard:
    url: str
    process: subprocess.Popen[str]

    def log(self) -> str:
        """What the server wrote (stop it first)."""
        assert self.process.stderr is not None
        return self.process.stderr.read()


def start_dashboard(store: str, *arguments: str) -> Dashboard:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "offramp", "dashboard", "--store", store, "--port",
                                str(port), *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/assets/dashboard.css", timeout=1).close()
            return Dashboard(f"http://127.0.0.1:{port}", process)
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                raise RuntimeError(f"the dashboard did not start: {process.stderr.read() if process.stderr else ''}") from None
            time.sleep(0.1)


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def dashboard(seeded: Seeded) -> Iterator[Dashboard]:
    server = start_dashboard(seeded.store)
    yield server
    stop(server.process)


@pytest.fixture(scope="session")
def dashboard_postgres(seeded_postgres: Seeded) -> Iterator[Dashboard]:
    server = start_dashboard(seeded_postgres.store)
    yield server
    stop(server.process)
