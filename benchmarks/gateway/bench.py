"""Gateway benchmark: Offramp gateway vs a direct call vs LiteLLM's proxy, same run, same fake upstream.

    python benchmarks/gateway/bench.py [--litellm /tmp/litellm-venv/bin/litellm] [--runs 3]

Measures the proxy process's CPU time per request (from /proc, more robust than requests/second on a shared
machine), p50/p99 added latency at 32 concurrent, peak RSS, start-up time, and a failover scenario where
the primary starts answering 451 in the middle of a load run. Writes benchmarks/gateway/results.json.
Not run in CI.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

HERE = Path(__file__).parent
TICKS = os.sysconf("SC_CLK_TCK")
CONCURRENCY = 32
LITELLM_KEY = f"sk-bench-{secrets.token_hex(16)}"
"""LiteLLM's proxy refuses to start without a master key; the benchmark makes a throwaway one."""
BODY = {"model": "bench", "messages": [{"role": "user", "content": "Hello"}], "max_tokens": 16}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tree(pid: int) -> list[int]:
    """The process and its descendants (LiteLLM may run workers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_seconds(pid: int) -> float:
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def peak_rss_mb(pid: int) -> float:
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def spawn(command: list[str], ready_url: str, timeout: float = 120) -> tuple[subprocess.Popen, float]:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            import urllib.request
            with urllib.request.urlopen(ready_url, timeout=1):
                return process, time.perf_counter() - started
        except OSError:
            if process.poll() is not None or time.perf_counter() - started > timeout:
                raise RuntimeError(f"{command} did not start") from None
            time.sleep(0.01)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def load(url: str, n: int, stream: bool, headers: dict[str, str] | None = None,
               on_progress=None) -> tuple[list[tuple[float, float]], int]:
    """``n`` requests, 32 at a time; returns (start, latency) pairs and the number of failed requests."""
    body = json.dumps({**BODY, "stream": stream}).encode()
    results: list[tuple[float, float]] = []
    failed = 0
    counter = iter(range(n))
    async with aiohttp.ClientSession(headers={"Content-Type": "application/json", **(headers or {})},
                                     connector=aiohttp.TCPConnector(limit=CONCURRENCY)) as session:
        async def worker() -> None:
            nonlocal failed
            for index in counter:
                started = time.perf_counter()
                try:
                    async with session.post(url, data=body) as response:
                        payload = await response.read()
                        ok = response.status == 200 and (not stream or b"[DONE]" in payload)
                except aiohttp.ClientError:
                    ok = False
                results.append((started, time.perf_counter() - started))
                failed += not ok
                if on_progress:
                    await on_progress(index)
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return results, failed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(name: str, url: str, pid: int | None, n: int, stream: bool, headers=None) -> dict[str, float]:
    asyncio.run(load(url, min(300, n), stream, headers))  # warm up
    before = cpu_seconds(pid) if pid else 0.0
    results, failed = asyncio.run(load(url, n, stream, headers))
    after = cpu_seconds(pid) if pid else 0.0
    latencies = [latency for _, latency in results]
    out = {"requests": n, "failed": failed, "p50_ms": percentile(latencies, 0.5) * 1000,
           "p99_ms": percentile(latencies, 0.99) * 1000}
    if pid:
        out["cpu_ms_per_request"] = (after - before) / n * 1000
    print(f"  {name}: {json.dumps({k: round(v, 3) for k, v in out.items()})}", flush=True)
    return out


GATEWAY_CONFIG = """
[server]
port = {port}
[telemetry]
store = "{store}"
[routes.bench]
{extra}
[[routes.bench.targets]]
provider = "{provider}"
model = "bench"
base_url = "http://127.0.0.1:{upstream}/v1"
api = "openai"
{fallback}
"""
FALLBACK = """
[[routes.bench.targets]]
provider = "vllm"
model = "bench"
base_url = "http://127.0.0.1:{upstream}/v1"
"""


def start_gateway(tmp: Path, upstream: int, fallback: int | None = None) -> tuple[subprocess.Popen, int, float]:
    port = free_port()
    config = tmp / f"gateway-{port}.toml"
    config.write_text(GATEWAY_CONFIG.format(
        port=port, store=tmp / f"telemetry-{port}.sqlite", upstream=upstream,
        provider="openai" if fallback else "vllm", extra="cutoff_cooldown = 600" if fallback else "",
        fallback=FALLBACK.format(upstream=fallback) if fallback else ""))
    process, startup = spawn([sys.executable, str(HERE / "run_gateway.py"), "--config", str(config)],
                             f"http://127.0.0.1:{port}/healthz")
    return process, port, startup


def start_floor(tmp: Path, upstream: int) -> tuple[subprocess.Popen, int, float]:
    port = free_port()
    process, startup = spawn([sys.executable, str(HERE / "minimal_proxy.py"), str(port), str(upstream)],
                             f"http://127.0.0.1:{port}/healthz")
    return process, port, startup


def start_litellm(binary: str, tmp: Path, upstream: int,
                  fallback: int | None = None) -> tuple[subprocess.Popen, int, float]:
    port = free_port()
    config = tmp / f"litellm-{port}.yaml"
    models = [f"""  - model_name: bench
    litellm_params:
      model: openai/bench
      api_base: http://127.0.0.1:{upstream}/v1
      api_key: dummy"""]
    settings = ""
    if fallback:
        models.append(f"""  - model_name: bench-fallback
    litellm_params:
      model: openai/bench
      api_base: http://127.0.0.1:{fallback}/v1
      api_key: dummy""")
        settings = "router_settings:\n  num_retries: 0\n  fallbacks: [{\"bench\": [\"bench-fallback\"]}]\n"
    config.write_text("model_list:\n" + "\n".join(models) + "\n" + settings
                      + "litellm_settings:\n  telemetry: false\n"
                      + f"general_settings:\n  master_key: {LITELLM_KEY}\n")
    env_binary = [binary, "--config", str(config), "--port", str(port), "--host", "127.0.0.1", "--num_workers", "1"]
    process, startup = spawn(env_binary, f"http://127.0.0.1:{port}/health/liveliness")
    return process, port, startup


async def failover_run(url: str, upstream_port: int, n: int, switch_at: int,
                       headers: dict[str, str] | None = None) -> dict[str, float]:
    switched: dict[str, float] = {}

    async def progress(index: int) -> None:
        if index == switch_at and not switched:
            switched["at"] = time.perf_counter()
            async with aiohttp.ClientSession() as session:
                await session.post(f"http://127.0.0.1:{upstream_port}/control/fail")

    results, failed = await load(url, n, False, headers, on_progress=progress)
    async with aiohttp.ClientSession() as session, \
            session.get(f"http://127.0.0.1:{upstream_port}/control/stats") as response:
        stats = await response.json()
    window = [latency for started, latency in results if switched["at"] <= started <= switched["at"] + 1.0]
    return {"requests": n, "failed_client_requests": failed,
            "primary_attempts_after_first_451": stats["after_failure"],
            "primary_attempts_after_first_451_share": stats["after_failure"] / n,
            "p99_ms_during_switch": percentile(window, 0.99) * 1000 if window else 0.0}


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--litellm", default=None, help="Path of the `litellm` command (in its own venv).")
    parser.add_argument("--out", default=str(HERE / "results.json"))
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="offramp-bench-"))
    ports = [free_port(), free_port()]
    upstreams = [spawn([sys.executable, str(HERE / "fake_upstream.py"), "--port", str(p)],
                       f"http://127.0.0.1:{p}/control/stats")[0] for p in ports]
    runs: dict[str, list[dict[str, float]]] = {}
    try:
        for run in range(args.runs):
            print(f"run {run + 1}/{args.runs}", flush=True)
            direct_url = f"http://127.0.0.1:{ports[0]}/v1/chat/completions"
            runs.setdefault("direct_json", []).append(measure("direct json", direct_url, None, args.requests, False))
            runs.setdefault("direct_stream", []).append(measure("direct stream", direct_url, None, args.requests, True))
            proxies = [("aiohttp_floor", start_floor), ("offramp", start_gateway)]
            if args.litellm:
                proxies.append(("litellm", lambda t, u: start_litellm(args.litellm, t, u)))
            for name, start in proxies:
                process, port, startup = start(tmp, ports[0])
                try:
                    url = f"http://127.0.0.1:{port}/v1/chat/completions"
                    n = max(500, args.requests // 3) if name == "litellm" else args.requests
                    headers = {"Authorization": f"Bearer {LITELLM_KEY}"} if name == "litellm" else None
                    json_run = measure(f"{name} json", url, process.pid, n, False, headers)
                    stream_run = measure(f"{name} stream", url, process.pid, n, True, headers)
                    rss = peak_rss_mb(process.pid)
                finally:
                    stop(process)
                direct_json, direct_stream = runs["direct_json"][-1], runs["direct_stream"][-1]
                runs.setdefault(name, []).append({
                    "startup_s": startup, "peak_rss_mb": rss,
                    "cpu_ms_per_json_request": json_run["cpu_ms_per_request"],
                    "cpu_ms_per_10_event_stream": stream_run["cpu_ms_per_request"],
                    "p50_ms_json": json_run["p50_ms"], "p99_ms_json": json_run["p99_ms"],
                    "added_p50_ms_json": json_run["p50_ms"] - direct_json["p50_ms"],
                    "added_p99_ms_json": json_run["p99_ms"] - direct_json["p99_ms"],
                    "added_p50_ms_stream": stream_run["p50_ms"] - direct_stream["p50_ms"],
                    "failed": json_run["failed"] + stream_run["failed"],
                })
                print(f"  {name}: startup {startup:.2f}s, peak RSS {rss:.0f} MB", flush=True)
            failovers = [("offramp_failover", start_gateway)]
            if args.litellm:
                failovers.append(("litellm_failover", lambda t, u, f: start_litellm(args.litellm, t, u, f)))
            for name, start in failovers:
                fresh = [free_port(), free_port()]
                fakes = [spawn([sys.executable, str(HERE / "fake_upstream.py"), "--port", str(p)],
                               f"http://127.0.0.1:{p}/control/stats")[0] for p in fresh]
                process, port, _ = start(tmp, fresh[0], fresh[1])
                try:
                    n = args.requests if name.startswith("offramp") else max(600, args.requests // 3)
                    headers = {"Authorization": f"Bearer {LITELLM_KEY}"} if name.startswith("litellm") else None
                    result = asyncio.run(failover_run(f"http://127.0.0.1:{port}/v1/chat/completions",
                                                      fresh[0], n, n // 3, headers))
                finally:
                    stop(process)
                    for fake in fakes:
                        stop(fake)
                print(f"  {name}: {json.dumps({k: round(v, 4) for k, v in result.items()})}", flush=True)
                runs.setdefault(name, []).append(result)
    finally:
        for upstream in upstreams:
            stop(upstream)
    results = {
        "command": " ".join(["python", "benchmarks/gateway/bench.py", *sys.argv[1:]]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "concurrency": CONCURRENCY, "runs": args.runs,
        "median": {name: median_of(values) for name, values in runs.items()},
        "all_runs": runs,
    }
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results["median"], indent=2))


if __name__ == "__main__":
    main()
