"""Many CI jobs recording at once lose nothing: 8 processes start on one fresh store together (so they also race
to migrate it) and each records several scans."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier

from offramp.store.history import History

PROCESSES, SCANS, PATHS = 8, 5, 3


def _record_scans(location: str, job: int, start: Barrier) -> None:
    start.wait()
    with History(location) as history:
        for scan in range(SCANS):
            paths = [{"fingerprint": f"{job}-{scan}-{n}", "file": f"job{job}.py", "line": n + 1,
                      "exposed_no_fallback": True, "exposed_48h": n == 0} for n in range(PATHS)]
            summary = {"paths": PATHS, "critical_paths": PATHS, "at_risk_paths": PATHS, "exposed_no_fallback": PATHS,
                       "exposed_48h": 1, "waived_paths": 0}
            history.record(f"repo-{job}", f"commit-{scan}", {"summary": summary, "paths": paths})


def test_eight_processes_recording_at_once_lose_nothing(store_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(PROCESSES)
    jobs = [context.Process(target=_record_scans, args=(store_url, job, start)) for job in range(PROCESSES)]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(120)
    assert [job.exitcode for job in jobs] == [0] * PROCESSES
    with History(store_url) as history:
        scans = history.scans()
        assert len(scans) == PROCESSES * SCANS
        assert {(s.repository, s.commit) for s in scans} == {
            (f"repo-{job}", f"commit-{scan}") for job in range(PROCESSES) for scan in range(SCANS)}
        for job in range(PROCESSES):
            assert set(history.fingerprints(f"repo-{job}")) == {f"{job}-{SCANS - 1}-{n}" for n in range(PATHS)}
        assert sum(g.paths for g in history.exposure_by("provider")) == PROCESSES * PATHS  # latest scans only
