"""Drill verdicts in the assessment: a replacement is verified when the latest drill of a path passed recently.

A fresh passed drill also makes a replacement ready: it proved that the gateway route the path goes through
answers well enough with the at-risk providers cut off. A failed or stale drill changes no number; it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from offramp.assess.globs import matches
from offramp.assess.reason import N_, Reason
from offramp.storelocation import exists

if TYPE_CHECKING:
    from offramp.store import DrillRun

DrillState = Literal["verified", "failed", "stale"]


@dataclass(frozen=True)
class DrillStatus:
    state: DrillState
    run: DrillRun

    @property
    def facts(self) -> dict[str, str]:
        run = self.run
        return {"set": run.set_name, "route": run.route, "date": (run.finished_at or run.started_at).date().isoformat(),
                "rate": f"{run.passed}", "prompts": f"{run.prompts}"}

    @property
    def why(self) -> Reason:
        if self.state == "verified":
            return N_("drill {set} through gateway route {route} passed on {date} ({rate} of {prompts} prompts): "
                      "the replacement is verified", **self.facts)
        if self.state == "stale":
            return N_("drill {set} through gateway route {route} passed on {date}, longer ago than drill.max_age_days:"
                      " stale, not verified", **self.facts)
        return N_("drill {set} through gateway route {route} failed on {date} ({rate} of {prompts} prompts "
                  "passed): not verified", **self.facts)


def drill_counts(statuses: Sequence[DrillStatus | None]) -> dict[str, int]:
    """How many of the given paths' drills are verified, failed and stale."""
    return {state: sum(1 for s in statuses if s is not None and s.state == state)
            for state in ("verified", "failed", "stale")}


def state_of(run: DrillRun, max_age_days: float, now: datetime | None = None) -> DrillState:
    if run.status != "passed":
        return "failed"
    age = (now or datetime.now(UTC)) - (run.finished_at or run.started_at)
    return "verified" if age <= timedelta(days=max_age_days) else "stale"


def drill_of(file: str, runs: Sequence[DrillRun], max_age_days: float,
             now: datetime | None = None) -> DrillStatus | None:
    """The status of the latest finished drill that covers ``file``, if any."""
    covering = [r for r in runs if r.finished and any(matches(glob, file) for glob in r.paths)]
    if not covering:
        return None
    latest = max(covering, key=lambda r: (r.finished_at or r.started_at, r.id or 0))
    return DrillStatus(state_of(latest, max_age_days, now), latest)


def recorded_drills(location: Path | str) -> list[DrillRun]:
    """Every finished drill in the store at ``location``; none when there is no store yet (a scan creates none)."""
    if not exists(location):
        return []
    from offramp.store import StoreError, open_drill_store

    try:
        store = open_drill_store(location)
    except StoreError:
        return []
    try:
        return store.runs()
    finally:
        store.close()
