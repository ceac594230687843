"""Dead-primary benchmark: the primary starts failing in the middle of a load run, by 500, by refusing
connections, or by hanging; the gateway must drop it fast and lose no client request.

    python benchmarks/gateway/dead_primary.py [--requests 6000] [--runs 1]

For each way of failing, 32 concurrent clients send ``--requests`` requests through the gateway (primary,
then a self-hosted fallback); a third of the way in, the primary starts failing. Reported: failed client
requests; requests that arrived after the primary started failing and were still sent to it (attempts in
the gateway's own telemetry: a refused connection never reaches a server); everything the primary received
after it started failing, including the requests already in flight then (counted by the primary), p99 overall
and in the second after the switch, requests that waited the primary's full first-byte timeout, and the
gateway's CPU per request next to the minimal aiohttp pass-through's, measured in the same run.
Writes benchmarks/gateway/dead-primary-results.json. Not run in CI.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).parent))
from bench import (  # a script beside its helpers, not a package
    CONCURRENCY,
    HERE,
    cpu_seconds,
    free_port,
    load,
    percentile,
    spawn,
    start_floor,
    stop,
)

MODES = ("500", "refused", "hang")
FIRST_BYTE = 2.0
CONFIG = """
[server]
port = {port}
[telemetry]
store = "{store}"
[routes.bench]
[[routes.bench.targets]]
provider = "openai"
model = "bench"
base_url = "http://127.0.0.1:{primary}/v1"
timeouts = {{ connect = 2, first_byte = {first_byte}, idle = 10, total = 30 }}
[[routes.bench.targets]]
provider = "vllm"
model = "bench"
base_url = "http://127.0.0.1:{fallback}/v1"
"""


def fake(port: int, control: int) -> object:
    return spawn([sys.executable, str(HERE / "fake_upstream.py"), "--port", str(port), "--control-port",
                  str(control)], f"http://127.0.0.1:{control}/control/stats")[0]


def primary_attempts(store: Path, since: float) -> int:
    """Requests since ``since`` whose chain tried the primary (not skipped it), from the gateway's telemetry."""
    with sqlite3.connect(store) as db:
        chains = [row[0] for row in db.execute("SELECT chain FROM gateway_requests WHERE ts >= ?", (since,))]
    return sum(1 for chain in chains if chain.startswith("openai:bench=") and not chain.startswith(
        "openai:bench=skipped"))


def scenario(tmp: Path, mode: str, n: int) -> dict[str, float]:
    primary, primary_control, fallback, fallback_control = (free_port() for _ in range(4))
    fakes = [fake(primary, primary_control), fake(fallback, fallback_control)]
    port = free_port()
    store = tmp / f"telemetry-{port}.sqlite"
    config = tmp / f"gateway-{port}.toml"
    config.write_text(CONFIG.format(port=port, store=store, primary=primary, fallback=fallback,
                                    first_byte=FIRST_BYTE))
    gateway, _ = spawn([sys.executable, str(HERE / "run_gateway.py"), "--config", str(config)],
                       f"http://127.0.0.1:{port}/healthz")
    switch_at = n // 3
    switched: dict[str, float] = {}

    async def progress(index: int) -> None:
        if index == switch_at and not switched:
            switched["pending"] = True
            async with aiohttp.ClientSession() as session:
                await session.post(f"http://127.0.0.1:{primary_control}/control/fail?mode={mode}")
            # From here the primary fails: requests arriving later are the ones that must avoid it.
            switched["at"], switched["wall"] = time.perf_counter(), time.time()

    try:
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        asyncio.run(load(url, 300, False))  # warm up
        before = cpu_seconds(gateway.pid)
        results, failed = asyncio.run(load(url, n, False, on_progress=progress))
        cpu = cpu_seconds(gateway.pid) - before

        async def stats() -> dict[str, int]:
            async with aiohttp.ClientSession() as session, \
                    session.get(f"http://127.0.0.1:{primary_control}/control/stats") as response:
                return await response.json()
        reached = asyncio.run(stats())["after_failure"]
    finally:
        stop(gateway)  # SIGTERM: the gateway flushes its telemetry
        for process in fakes:
            stop(process)
    later = [(started, latency) for started, latency in results if started >= switched["at"]]
    window = [latency for started, latency in later if started <= switched["at"] + 1.0]
    attempts = primary_attempts(store, switched["wall"])
    return {
        "requests": n, "requests_after_switch": len(later), "failed_client_requests": failed,
        "reached_primary_after_switch": reached, "primary_attempts_after_switch": attempts,
        "primary_attempts_share": attempts / max(1, len(later)),
        "waited_full_first_byte_timeout": sum(1 for _, latency in results if latency >= FIRST_BYTE),
        "p99_ms": percentile([latency for _, latency in results], 0.99) * 1000,
        "p99_ms_second_after_switch": percentile(window, 0.99) * 1000 if window else 0.0,
        "cpu_ms_per_request": cpu / n * 1000,
    }


def floor_cpu(tmp: Path, n: int) -> float:
    upstream, control = free_port(), free_port()
    upstream_process = fake(upstream, control)
    process, port, _ = start_floor(tmp, upstream)
    try:
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        asyncio.run(load(url, 300, False))
        before = cpu_seconds(process.pid)
        asyncio.run(load(url, n, False))
        return (cpu_seconds(process.pid) - before) / n * 1000
    finally:
        stop(process)
        stop(upstream_process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--out", default=str(HERE / "dead-primary-results.json"))
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="offramp-dead-primary-"))
    runs: dict[str, list[dict[str, float]]] = {}
    for run in range(args.runs):
        print(f"run {run + 1}/{args.runs}", flush=True)
        runs.setdefault("aiohttp_floor", []).append({"cpu_ms_per_request": floor_cpu(tmp, args.requests)})
        print(f"  floor: {runs['aiohttp_floor'][-1]}", flush=True)
        for mode in MODES:
            result = scenario(tmp, mode, args.requests)
            runs.setdefault(mode, []).append(result)
            print(f"  {mode}: {json.dumps({k: round(v, 4) for k, v in result.items()})}", flush=True)
    median = {name: {key: statistics.median(r[key] for r in values) for key in values[0]}
              for name, values in runs.items()}
    Path(args.out).write_text(json.dumps({
        "command": " ".join(["python", "benchmarks/gateway/dead_primary.py", *sys.argv[1:]]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "concurrency": CONCURRENCY, "first_byte_timeout_s": FIRST_BYTE, "consecutive_failures": 3,
        "median": median, "all_runs": runs,
    }, indent=2) + "\n")
    print(json.dumps(median, indent=2))


if __name__ == "__main__":
    main()
