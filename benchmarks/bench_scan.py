"""Time ``offramp scan`` on the synthetic repository against ripgrep searching it for the same terms.

    python benchmarks/bench_scan.py                       # make the 20,000-file tree if needed, 5 runs each
    python benchmarks/bench_scan.py --runs 3 --tree /tmp/synthetic --regenerate --languages python

Measures, as the median wall time of ``--runs`` runs after one warm-up run each (so every contender reads
from the page cache):

- ``offramp scan TREE --format json``: the whole product, a fresh process each time, run in turn with
  the rg command below (rg, offramp, offramp cached, offramp cold, rg...) so that other load on the machine
  falls on all: with ``--no-cache`` (every file read and analysed: a first scan of the tree, Offramp's
  catalog and rules compiled in the cache folder by earlier runs), with the facts cache of the previous run
  (what a second scan of an unchanged tree does), and cold: ``--no-cache`` with an empty cache folder each
  time (a CI runner that keeps no cache folder between jobs); each with its own ``OFFRAMP_CACHE_DIR``;
- ``rg --files-with-matches --no-require-git --fixed-strings -e TERM ... TREE``: ripgrep looking for exactly
  the terms of the scan's prefilter (``offramp.scan.driver.prefilter_terms(catalog)``), honouring
  .gitignore as offramp does, over every file it would search by default (it skips hidden and binary
  files); and the same restricted
  to the scanner's languages (``--type py``...), the stricter reference;
- the floor: ``discover`` + read + prefilter in this process, on one core and across a fork pool, which
  is what every scan pays before it parses anything.

Reports the ratio offramp/rg (wall and CPU time, children included), files per second, and recall and false
alarms against the manifest the generator wrote; saves it all to ``benchmarks/results/scan-<date>.json``
and prints the lines the README quotes (the command, the load average, the table). Not run in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path

from make_synthetic_repo import generate
from synthetic import LANGUAGES

from offramp.catalog import Catalog
from offramp.scan.driver import prefilter_terms
from offramp.scan.prefilter import Prefilter
from offramp.scan.walk import WalkOptions, discover, filter_candidates

HERE = Path(__file__).parent
FLOOR_BATCH = 400


def timed(run: Callable[[], object], runs: int) -> tuple[list[float], object]:
    """Wall times of ``runs`` calls after one warm-up call, and the last call's result."""
    result = run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return times, result


def children_cpu() -> float:
    """CPU seconds (user and system) used so far by this process's finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Timings:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    """CPU seconds of each run, which other load changes much less than wall time."""
    result: object = None


def timed_in_turn(commands: list[Callable[[], object]], runs: int) -> list[Timings]:
    """Like :func:`timed` for commands run in turn (first, second, first, second...), so that load from
    other work on a shared machine falls on all alike; the ratio of each round's times is comparable."""
    timings = [Timings(result=command()) for command in commands]
    for _ in range(runs):
        for command, timing in zip(commands, timings, strict=True):
            started, cpu = time.perf_counter(), children_cpu()
            timing.result = command()
            timing.wall.append(time.perf_counter() - started)
            timing.cpu.append(children_cpu() - cpu)
    return timings


def rg_command(tree: Path, terms: list[str], types: list[str]) -> list[str]:
    command = ["rg", "--files-with-matches", "--no-require-git", "--fixed-strings", "--no-messages"]
    for rg_type in types:
        command += ["--type", rg_type]
    for term in terms:
        command += ["-e", term]
    return [*command, str(tree)]


def run_rg(command: list[str]) -> list[str]:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):  # 1 means "no match"
        raise SystemExit(f"rg failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout.splitlines()


INSTALLED = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
"""offramp runs as installed, with its bytecode compiled (pip compiles it at install); a checkout run with
PYTHONDONTWRITEBYTECODE=1 compiles some 80 modules on every start, 0.7 s of CPU."""


def scan_command(tree: Path, report: Path, facts: bool) -> list[str]:
    return [sys.executable, "-m", "offramp", "scan", str(tree), "--format", "json", "--output", str(report),
            *(() if facts else ("--no-cache",))]


def run_offramp(tree: Path, report: Path, cache: Path, facts: bool) -> dict:
    """One scan with its cache folder at ``cache``: with ``facts`` False, every file is read and analysed
    afresh (``--no-cache``; the folder still holds Offramp's compiled catalog and rules, unless it is
    empty), else with the facts cache of the previous scan (a second scan of the same tree)."""
    command = scan_command(tree, report, facts)
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env={**INSTALLED, "OFFRAMP_CACHE_DIR": str(cache)})
    if done.returncode not in (0, 1) or not report.exists():  # 1: the exposure gate, if a policy sets one
        raise SystemExit(f"offramp scan failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return json.loads(report.read_text())


def floor(tree: Path, suffixes: frozenset[str], prefilter: Prefilter, workers: int) -> dict:
    """Discover, read and prefilter, split into phases: what a scan costs before any parsing."""
    started = time.perf_counter()
    discovery = discover(tree, WalkOptions(suffixes=suffixes))
    walked = time.perf_counter()
    relpaths = [f.relpath for f in discovery.files]
    batches = [relpaths[i : i + FLOOR_BATCH] for i in range(0, len(relpaths), FLOOR_BATCH)]
    root = str(tree.resolve())
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            results = list(pool.map(filter_candidates, [root] * len(batches), batches, [prefilter] * len(batches)))
    else:
        results = [filter_candidates(root, batch, prefilter) for batch in batches]
    done = time.perf_counter()
    return {
        "files": len(relpaths),
        "candidates": sum(len(r.texts) for r in results),
        "discover_seconds": walked - started,
        "read_and_prefilter_seconds": done - walked,
        "total_seconds": done - started,
    }


def read_versus_match(tree: Path, suffixes: frozenset[str], prefilter: Prefilter) -> dict:
    """One core: how the read-and-prefilter time splits between open/read/close and matching, with the scan's
    engine and, for comparison, RE2 (the engine without the ``hyperscan`` extra)."""
    paths = [f.abspath for f in discover(tree, WalkOptions(suffixes=suffixes)).files]
    started = time.perf_counter()
    contents = []
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            contents.append(os.read(fd, os.fstat(fd).st_size + 1))
        finally:
            os.close(fd)
    read = time.perf_counter()
    matched = sum(prefilter.matches(data) for data in contents)
    done = time.perf_counter()
    size = sum(map(len, contents))
    re2 = Prefilter(prefilter.terms, "re2")
    re2_started = time.perf_counter()
    assert sum(re2.matches(data) for data in contents) == matched, "both engines must find the same files"
    re2_seconds = time.perf_counter() - re2_started
    return {
        "bytes": size,
        "open_read_close_seconds": read - started,
        "engine": prefilter.engine,
        "match_seconds": done - read,
        "match_mb_per_second": size / (done - read) / 1e6,
        "re2_match_mb_per_second": size / re2_seconds / 1e6,
        "matched_files": matched,
    }


def recall(report: dict, manifest: dict) -> dict:
    """Planted calls found at their line (``recall``) or anywhere in their function (``recall_in_function``)."""
    reported = {(p["file"], p["line"]) for p in report["paths"]}
    files_reported = {p["file"] for p in report["paths"]}
    plants = manifest["plants"]
    at_line = [p for p in plants if (p["file"], p["line"]) in reported]
    in_function = [
        p
        for p in plants
        if any((p["file"], line) in reported for line in range(p["function"][0], p["function"][1] + 1))
    ]
    missed = [p for p in plants if p not in in_function]
    decoys = set(manifest["decoy_files"])
    planted_files = {p["file"] for p in plants}
    by_style: dict[str, list[int]] = {}
    for plant in plants:
        counts = by_style.setdefault(f"{plant['language']}/{plant['style']}", [0, 0])
        counts[0] += plant in at_line
        counts[1] += 1
    return {
        "planted": len(plants),
        "found_at_the_line": len(at_line),
        "recall": len(at_line) / len(plants) if plants else None,
        "recall_in_function": len(in_function) / len(plants) if plants else None,
        "found_per_style": {style: f"{found}/{total}" for style, (found, total) in sorted(by_style.items())},
        "missed": [f"{p['file']}:{p['line']} ({p['language']}/{p['style']})" for p in missed][:50],
        "false_alarms_in_look_alikes": sorted(f for f in files_reported if f in decoys),
        "paths_elsewhere": sorted(
            f"{p['file']}:{p['line']}" for p in report["paths"] if p["file"] not in planted_files | decoys
        )[:50],
    }


def tree_facts(tree: Path) -> dict:
    files = lines = size = 0
    for folder, _, names in os.walk(tree):
        for name in names:
            data = Path(folder, name).read_bytes()
            files, lines, size = files + 1, lines + data.count(b"\n"), size + len(data)
    return {"files": files, "lines": lines, "bytes": size}


def readme_lines(results: dict, args: argparse.Namespace, out: Path) -> str:
    """What the README quotes: the command, the load, and each scan's median wall and CPU time beside rg's."""
    seconds, cpu, machine = results["seconds"], results["cpu_seconds"], results["machine"]
    rg, rg_cpu = seconds["rg"]["median"], cpu["rg"]["median"]
    load = f"{machine['load_average_before'][0]:.1f} before, {machine['load_average_after_scans'][0]:.1f} after"
    rows = [
        ("first scan (`--no-cache`)", "offramp_scan"),
        ("first scan, empty cache folder (nothing compiled yet)", "offramp_scan_cold"),
        ("repeated scan (facts cache of the previous scan)", "offramp_scan_cached"),
    ]
    lines = [
        f"python benchmarks/bench_scan.py --runs {args.runs}   # {results['date']}, {machine['cpus']} CPUs, "
        f"load average {load}, {results['tree']['source_files_scanned']:,} files, {results['terms']} terms "
        f"({results['prefilter_engine']} prefilter)",
        "",
        "| scan | load average | offramp | rg | ratio | CPU: offramp / rg | recall |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, key in rows:
        wall, used = seconds[key]["median"], cpu[key]["median"]
        lines.append(f"| {label} | {load} | {wall:.2f} s | {rg:.2f} s | **{wall / rg:.1f}x** | "
                     f"{used:.2f} s / {rg_cpu:.2f} s, {used / rg_cpu:.1f}x | {results['recall']['recall']:.1%} |")
    help_seconds = results["offramp_help_seconds"]
    lines += ["", f"offramp --help: {help_seconds['median']:.2f} s ({help_seconds['cpu_mean']:.2f} s CPU); floor "
              f"(discover + read + prefilter, {args.workers} processes): {seconds['floor_parallel']['median']:.2f} s; "
              f"median of pairs {results['ratio_offramp_to_rg_median_of_pairs']:.1f}x; {out}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=HERE / "out" / "synthetic")
    parser.add_argument("--regenerate", action="store_true", help="write the tree even if it exists")
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--languages", default="python")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for the floor")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    languages = [name.strip() for name in args.languages.split(",") if name.strip()]
    manifest_path = args.tree / "manifest.json"
    if args.regenerate or not manifest_path.exists():
        generate(args.tree, args.files, args.seed, languages, 0.01, 0.005)
    manifest = json.loads(manifest_path.read_text())
    suffixes = frozenset(LANGUAGES[name].suffix for name in manifest["languages"])
    rg_types = [LANGUAGES[name].rg_type for name in manifest["languages"]]

    terms = sorted(prefilter_terms(Catalog.load()))  # exactly what offramp scan's prefilter looks for
    prefilter = Prefilter(terms)
    load_before = os.getloadavg()

    rg_all_cmd = rg_command(args.tree, terms, [])
    with tempfile.TemporaryDirectory() as scratch:
        report_path, cache = Path(scratch) / "scan.json", Path(scratch) / "cache"
        rg_timings, scan_timings, cached_timings, cold_timings = timed_in_turn(
            [lambda: run_rg(rg_all_cmd), lambda: run_offramp(args.tree, report_path, cache, facts=False),
             lambda: run_offramp(args.tree, report_path, cache, facts=True),
             lambda: run_offramp(args.tree, report_path, Path(tempfile.mkdtemp(dir=scratch)), facts=False)],
            args.runs)
        load_after_scans = os.getloadavg()
        help_command = [sys.executable, "-m", "offramp", "--help"]
        help_cpu = children_cpu()
        help_times, _ = timed(lambda: subprocess.run(help_command, capture_output=True, check=True,
                                                     env={**INSTALLED, "OFFRAMP_CACHE_DIR": str(cache)}), args.runs)
        help_cpu = (children_cpu() - help_cpu) / (args.runs + 1)
    rg_all_times, rg_cpu, rg_all = rg_timings.wall, rg_timings.cpu, rg_timings.result
    scan_times, scan_cpu, report = scan_timings.wall, scan_timings.cpu, scan_timings.result
    cached_times, cached_cpu = cached_timings.wall, cached_timings.cpu
    cold_times, cold_cpu = cold_timings.wall, cold_timings.cpu
    assert isinstance(report, dict) and isinstance(rg_all, list) and isinstance(cached_timings.result, dict)
    assert cached_timings.result["paths"] == report["paths"], "the cached scan must report what the full one does"
    assert cold_timings.result["paths"] == report["paths"], "a cold start must report what a warm one does"
    rg_typed_times, rg_typed = timed(lambda: run_rg(rg_command(args.tree, terms, rg_types)), args.runs)
    floor_runs = [floor(args.tree, suffixes, prefilter, args.workers) for _ in range(args.runs + 1)][1:]
    floor_one = [floor(args.tree, suffixes, prefilter, 1) for _ in range(args.runs + 1)][1:]
    split = read_versus_match(args.tree, suffixes, prefilter)

    scan = statistics.median(scan_times)
    rg_all_median, rg_typed_median = statistics.median(rg_all_times), statistics.median(rg_typed_times)
    best_ratio = min(scan_times) / min(rg_all_times)  # less sensitive to other load on a shared machine
    floor_median = statistics.median(r["total_seconds"] for r in floor_runs)
    files_scanned = floor_runs[0]["files"]
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "rg": subprocess.run(["rg", "--version"], capture_output=True, text=True).stdout.splitlines()[0],
            "load_average_before": load_before,
            "load_average_after_scans": load_after_scans,
            "load_average_after": os.getloadavg(),
        },
        "tree": {
            "path": str(args.tree),
            "seed": manifest["seed"],
            "languages": manifest["languages"],
            **tree_facts(args.tree),
            "source_files_scanned": files_scanned,
        },
        "terms": len(terms),
        "prefilter_engine": prefilter.engine,
        "rg_command": " ".join(rg_all_cmd[:5]) + f" -e TERM x{len(terms)} TREE",
        "seconds": {
            "offramp_scan": {"median": scan, "runs": scan_times},
            "offramp_scan_cached": {"median": statistics.median(cached_times), "runs": cached_times},
            "offramp_scan_cold": {"median": statistics.median(cold_times), "runs": cold_times},
            "rg": {"median": rg_all_median, "runs": rg_all_times, "files_matched": len(rg_all)},
            "rg_same_types": {
                "median": rg_typed_median,
                "runs": rg_typed_times,
                "files_matched": len(rg_typed),
                "types": rg_types,
            },
            "floor_parallel": {"median": floor_median, "workers": args.workers, "runs": floor_runs},
            "floor_one_core": {"median": statistics.median(r["total_seconds"] for r in floor_one), "runs": floor_one},
            "floor_one_core_split": split,
        },
        "offramp_help_seconds": {"median": statistics.median(help_times), "runs": help_times,
                                 "cpu_mean": help_cpu},
        "cpu_seconds": {"offramp_scan": {"median": statistics.median(scan_cpu), "runs": scan_cpu},
                        "offramp_scan_cached": {"median": statistics.median(cached_cpu), "runs": cached_cpu},
                        "offramp_scan_cold": {"median": statistics.median(cold_cpu), "runs": cold_cpu},
                        "rg": {"median": statistics.median(rg_cpu), "runs": rg_cpu}},
        "ratio_offramp_to_rg_cpu": statistics.median(scan_cpu) / statistics.median(rg_cpu),
        "ratio_offramp_cached_to_rg": statistics.median(cached_times) / rg_all_median,
        "ratio_offramp_cached_to_rg_cpu": statistics.median(cached_cpu) / statistics.median(rg_cpu),
        "ratio_offramp_cold_to_rg": statistics.median(cold_times) / rg_all_median,
        "ratio_offramp_cold_to_rg_cpu": statistics.median(cold_cpu) / statistics.median(rg_cpu),
        "ratio_offramp_to_rg": scan / rg_all_median,
        "ratio_offramp_to_rg_same_types": scan / rg_typed_median,
        "ratio_offramp_to_rg_best_runs": best_ratio,
        "ratio_offramp_to_rg_median_of_pairs": statistics.median(o / r for o, r in zip(scan_times, rg_all_times,
                                                                                           strict=True)),
        "ratio_floor_to_rg": floor_median / rg_all_median,
        "files_per_second": files_scanned / scan,
        "scan_summary": {"paths": len(report["paths"]), "skipped": len(report["skipped"]), **report["summary"]},
        "recall": recall(report, manifest),
    }
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"scan-{datetime.now(UTC):%Y-%m-%d-%H%M}-{manifest['files']}-files.json"  # one file per run
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(readme_lines(results, args, out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
