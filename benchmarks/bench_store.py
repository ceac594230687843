"""Time the store at organisation scale on PostgreSQL: 1,000 recorded scans, 1,000,000 gateway requests.

    python benchmarks/bench_store.py                        # the full size, 7 runs per query (about 10 minutes)
    python benchmarks/bench_store.py --scans 100 --requests 50000 --runs 3    # a quick look

Starts a throwaway PostgreSQL (Debian's package, as the tests do: ``tests/servers.py``) with its durable
defaults (fsync on), and stops it by PID at the end. Then, through the store's own write methods:

- records ``--scans`` scan results, one transaction each as ``offramp scan --record`` does from CI, oldest
  first over 90 days, of ``--repositories`` repositories (some scanned far more often than others), each
  with 20 to 200 paths (providers, jurisdictions, models, critical or not, exposed or not);
- writes ``--requests`` gateway requests over the same 90 days in batches of ``--batch`` rows, as the
  gateway's telemetry flusher does.

Each ingest rate is the rows written over the seconds spent in the store's write calls (making the rows is
not counted). After ``ANALYZE`` (autovacuum does the same soon after a bulk load), each dashboard query runs
once to warm up and then ``--runs`` times; the median is compared with the 300 ms target. The queries are
the history's read methods, the telemetry's series and live exposure, and, when it is installed, the
dashboard's own ``collect`` that gathers everything one page shows. The result, with the machine's load
average before and after, goes to ``benchmarks/results/store-<date>.json``. Not run in CI.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))  # the tests' throwaway servers, and this checkout's offramp

from offramp.store import RequestRecord, StoreError, open_store  # noqa: E402
from offramp.store.history import History  # noqa: E402
from tests.servers import PostgresServer  # noqa: E402

TARGET_SECONDS = 0.3
"""What each dashboard query must answer in (median), on PostgreSQL on the benchmark's machine."""
DAYS = 90
PROVIDERS = (  # (provider, jurisdiction, open weights, models, share of paths)
    ("openai", "US", False, ("gpt-4o", "gpt-4o-mini", "gpt-4.1", "o3-mini", "text-embedding-3-small"), 0.38),
    ("anthropic", "US", False, ("claude-sonnet-4-5", "claude-3-5-haiku-latest"), 0.22),
    ("google", "US", False, ("gemini-2.5-pro", "gemini-2.0-flash"), 0.10),
    ("deepseek", "CN", False, ("deepseek-chat", "deepseek-reasoner"), 0.06),
    ("mistral", "FR", False, ("mistral-large-latest",), 0.05),
    ("vllm", None, True, ("Qwen/Qwen2.5-72B-Instruct", "meta-llama/Llama-3.3-70B-Instruct"), 0.12),
    (None, None, None, (None,), 0.07),  # unresolved: the scanner says unknown
)
AT_RISK = {"US", "CN"}


def repository_paths(rng: random.Random, repository: str) -> list[dict[str, Any]]:
    """A repository's inference paths as the JSON report lists them (only the fields the store keeps)."""
    paths = []
    for number in range(rng.randint(20, 200)):
        provider, jurisdiction, open_weights, models, _ = rng.choices(PROVIDERS, [p[-1] for p in PROVIDERS])[0]
        critical = rng.random() < 0.7
        at_risk = critical and jurisdiction in AT_RISK
        no_fallback = at_risk and rng.random() < 0.6
        file = f"src/{rng.choice(('api', 'chat', 'search', 'agents', 'billing', 'support'))}/module_{number}.py"
        paths.append({
            "fingerprint": hashlib.sha256(f"{repository}:{file}:{number}".encode()).hexdigest()[:16],
            "file": file, "line": rng.randint(1, 900), "model": rng.choice(models), "critical": critical,
            "at_risk": at_risk, "exposed_no_fallback": no_fallback, "exposed_48h": no_fallback and rng.random() < 0.4,
            "targets": [{"provider": provider, "jurisdiction": jurisdiction, "open_weights": open_weights}],
        })
    return paths


def scan_reports(rng: random.Random, scans: int, repositories: int,
                 now: datetime) -> Iterator[tuple[str, str, str, datetime, dict[str, Any]]]:
    """(repository, commit, branch, time, report) of ``scans`` scans, oldest first."""
    names = [f"https://git.example.com/acme/{rng.choice(('svc', 'app', 'web', 'ml'))}-{n:03d}.git"
             for n in range(repositories)]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(repositories)]  # a few busy repositories, a long tail
    chosen = names[:scans] + rng.choices(names, weights, k=max(0, scans - repositories))  # each at least once
    rng.shuffle(chosen)
    times = sorted(now - timedelta(seconds=rng.uniform(0, DAYS * 86400)) for _ in range(scans))
    known = {name: repository_paths(rng, name) for name in names}
    for repository, when in zip(chosen, times, strict=True):
        paths = [p for p in known[repository] if rng.random() < 0.95]  # each scan sees most of them
        critical = [p for p in paths if p["critical"]]
        summary = {"paths": len(paths), "critical_paths": len(critical),
                   "at_risk_paths": sum(p["at_risk"] for p in critical),
                   "exposed_no_fallback": sum(p["exposed_no_fallback"] for p in critical),
                   "exposed_48h": sum(p["exposed_48h"] for p in critical), "waived_paths": 0}
        commit = hashlib.sha1(f"{repository}{when}".encode()).hexdigest()  # a made-up commit id
        branch = "main" if rng.random() < 0.7 else f"feature/{rng.randint(1, 400)}"
        yield repository, commit, branch, when, {"summary": summary, "paths": paths}


def requests(rng: random.Random, count: int, now: float) -> Iterator[RequestRecord]:
    """``count`` gateway requests over the last 90 days, oldest first."""
    routes = [(p, j, w, m) for p, j, w, models, _ in PROVIDERS if p for m in models]
    stamps = sorted(rng.uniform(now - DAYS * 86400, now) for _ in range(count))
    for ts in stamps:
        provider, jurisdiction, open_weights, model = rng.choice(routes)
        failed = rng.random() < 0.02
        yield RequestRecord(
            ts=ts, alias=rng.choice(("chat", "summarise", "embed", "agent")), client_api=rng.choice(("openai",
                                                                                                     "anthropic")),
            target=None if failed else f"{provider}:{model}", provider=None if failed else provider,
            jurisdiction=None if failed else jurisdiction, open_weights=None if failed else open_weights,
            status=503 if failed else 200, latency_ms=rng.lognormvariate(6, 0.8), input_tokens=rng.randint(20, 4000),
            output_tokens=rng.randint(1, 1500), stream=rng.random() < 0.5,
            exposed=not failed and jurisdiction in AT_RISK and not open_weights,
            chain=f"{provider}:{model}={'503' if failed else 'ok'}", client_key=rng.choice(("web", "batch", None)))


def ingest_scans(location: str, reports: Iterator[tuple[str, str, str, datetime, dict[str, Any]]]) -> dict[str, Any]:
    seconds, scans, paths = 0.0, 0, 0
    with History(location) as history:
        for repository, commit, branch, when, report in reports:
            started = time.perf_counter()
            history.record(repository, commit, report, when, branch=branch)
            seconds += time.perf_counter() - started
            scans, paths = scans + 1, paths + len(report["paths"])
    return {"scans": scans, "paths": paths, "seconds": round(seconds, 3), "scans_per_second": round(scans / seconds, 1),
            "paths_per_second": round(paths / seconds)}


def ingest_requests(location: str, rows: Iterator[RequestRecord], batch: int) -> dict[str, Any]:
    store = open_store(location)
    seconds, written, pending = 0.0, 0, []
    try:
        for row in rows:
            pending.append(row)
            if len(pending) == batch:
                seconds += _timed_write(store, pending)
                written, pending = written + len(pending), []
        if pending:
            seconds += _timed_write(store, pending)
            written += len(pending)
    finally:
        store.close()
    return {"rows": written, "batch": batch, "seconds": round(seconds, 3),
            "rows_per_second": round(written / seconds)}


def _timed_write(store: Any, rows: list[RequestRecord]) -> float:
    started = time.perf_counter()
    store.write(rows)
    return time.perf_counter() - started


def dashboard_queries(location: str, now: float, repository: str,
                      skipped: dict[str, str]) -> tuple[dict[str, Callable[[], object]], Callable[[], None]]:
    """The queries a dashboard page makes, by name, and what closes the stores they use; a query that cannot run
    here goes into ``skipped`` with why."""
    history, telemetry = History(location), open_store(location)
    queries: dict[str, Callable[[], object]] = {
        "history.latest_scans()": history.latest_scans,
        "history.scans() (every scan: the trend)": history.scans,
        "history.exposure_by('repository')": lambda: history.exposure_by("repository"),
        "history.exposure_by('provider')": lambda: history.exposure_by("provider"),
        "history.exposure_by('jurisdiction')": lambda: history.exposure_by("jurisdiction"),
        "history.top_paths(50)": lambda: history.top_paths(50),
        "history.top_paths(50, provider='openai')": lambda: history.top_paths(50, provider="openai"),
        "history.top_paths(50, jurisdiction='CN')": lambda: history.top_paths(50, jurisdiction="CN"),
        "history.top_paths(50, repository=<busiest>)": lambda: history.top_paths(50, repository=repository),
        "telemetry.exposure(last hour)": lambda: telemetry.exposure(now - 3600),
        "telemetry.exposure(last day)": lambda: telemetry.exposure(now - 86400),
        "telemetry.exposure_series(last day, 5 min)": lambda: telemetry.exposure_series(now - 86400, 300),
        "telemetry.exposure_series(last 7 days, 1 h)": lambda: telemetry.exposure_series(now - 7 * 86400, 3600),
        "telemetry.exposure_series(last 90 days, 1 day)": lambda: telemetry.exposure_series(now - DAYS * 86400,
                                                                                             86400),
        "telemetry.recent(100)": lambda: telemetry.recent(100),
    }
    closers: list[Callable[[], None]] = [history.close, telemetry.close]
    try:
        from offramp.dashboard.data import Filters, collect
        from offramp.dashboard.sources import Stores
    except ImportError as exc:
        skipped["dashboard collect()"] = f"not in this checkout ({exc})"
    else:
        try:
            stores = Stores.open(location)
        except StoreError as exc:  # a dashboard that cannot read this engine yet
            skipped["dashboard collect()"] = str(exc)
        else:
            queries["dashboard collect() (the whole page)"] = lambda: collect(stores, Filters())
            queries["dashboard collect(repository=<busiest>)"] = lambda: collect(stores, Filters(repository))
            closers.append(stores.close)

    def close() -> None:
        for closer in closers:
            closer()

    return queries, close


def analyze(location: str) -> str:
    """Update the planner's statistics after the bulk load; the engine and its version."""
    if not location.startswith("postgresql://"):
        with sqlite3.connect(location) as connection:
            connection.execute("ANALYZE")
        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(location, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        row = connection.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0] if row else '?'}"


@contextmanager
def fresh_store(engine: str, keep: bool) -> Iterator[str]:
    """The location of an empty store on ``engine``, removed afterwards (a PostgreSQL server stopped by PID)."""
    if engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="offramp-bench-") as folder:
            yield str(Path(folder) / "store.sqlite")
        return
    server = PostgresServer(settings=())
    try:
        location = server.database()
        print(f"PostgreSQL on 127.0.0.1:{server.port} (pid {server.pid}), {location}", flush=True)
        yield location
        if keep:
            input(f"The server stays up for EXPLAIN ANALYZE: psql {location}\nPress Enter to stop it. ")
    finally:
        server.stop()


def measure(queries: dict[str, Callable[[], object]], runs: int) -> dict[str, dict[str, Any]]:
    timings = {}
    for name, query in queries.items():
        query()  # warm: connections, plans, caches
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            query()
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        timings[name] = {"median_ms": round(median * 1000, 1), "min_ms": round(min(times) * 1000, 1),
                         "max_ms": round(max(times) * 1000, 1), "meets_target": median < TARGET_SECONDS}
        print(f"  {median * 1000:8.1f} ms  {name}", flush=True)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=int, default=1000)
    parser.add_argument("--repositories", type=int, default=120)
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1000, help="Telemetry rows per write (the flusher's batch).")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--engine", choices=("postgresql", "sqlite"), default="postgresql",
                        help="sqlite: the one-machine default, in a temporary file (no server).")
    parser.add_argument("--keep", action="store_true",
                        help="Keep the server up, with its data, until Enter is pressed (for EXPLAIN ANALYZE).")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    now = datetime.now(UTC).replace(microsecond=0)
    load_before = os.getloadavg()
    with fresh_store(args.engine, args.keep) as location:
        started = time.perf_counter()
        reports = list(scan_reports(rng, args.scans, args.repositories, now))
        busiest = max({r[0] for r in reports}, key=[r[0] for r in reports].count)
        scans = ingest_scans(location, iter(reports))
        print(f"scans: {scans['scans']} ({scans['paths']:,} paths) in {scans['seconds']} s: "
              f"{scans['scans_per_second']} scans/s", flush=True)
        telemetry = ingest_requests(location, requests(rng, args.requests, now.timestamp()), args.batch)
        print(f"telemetry: {telemetry['rows']:,} rows in {telemetry['seconds']} s: "
              f"{telemetry['rows_per_second']:,} rows/s", flush=True)
        engine = analyze(location)
        skipped: dict[str, str] = {}
        queries, close = dashboard_queries(location, now.timestamp(), busiest, skipped)
        for name, why in skipped.items():
            print(f"  skipped: {name}: {why}", flush=True)
        try:
            timings = measure(queries, args.runs)
        finally:
            close()
        results = {
            "benchmark": "store", "date": now.isoformat(), "engine": engine,
            "settings": "PostgreSQL defaults (fsync, synchronous_commit and full_page_writes on)"
                        if args.engine == "postgresql" else "offramp's SQLite settings (WAL)",
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                        "load_average_before": load_before, "load_average_after": os.getloadavg()},
            "data": {"scans": args.scans, "repositories": args.repositories, "requests": args.requests,
                     "days": DAYS, "seed": args.seed},
            "ingest": {"scans": scans, "telemetry": telemetry},
            "target_ms": TARGET_SECONDS * 1000, "runs": args.runs, "queries": timings, "skipped": skipped,
            "all_queries_meet_target": all(t["meets_target"] for t in timings.values()),
            "wall_seconds": round(time.perf_counter() - started, 1),
        }
        args.results.mkdir(parents=True, exist_ok=True)
        out = args.results / f"store-{'' if args.engine == 'postgresql' else 'sqlite-'}{now:%Y-%m-%d}.json"
        out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        slow = [name for name, t in timings.items() if not t["meets_target"]]
        print(f"{out}: {'every query' if not slow else f'{len(slow)} queries NOT'} under {TARGET_SECONDS * 1000:.0f} ms"
              + (f" ({', '.join(slow)})" if slow else ""))
    return 0

if __name__ == "__main__":
    raise SystemExit(main())
