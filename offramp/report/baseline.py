"""What changed since a previous ``--format json`` report: new, removed and changed paths, and each number.

Paths are matched by fingerprint, so a call that only moved keeps its identity. A change adds exposure when
a path is exposed now and was not before, or went from exposed (no fallback) to exposed beyond 48 hours:
that, and nothing else, is what ``--fail-on-new`` fails on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from offramp.report.json_report import REPORT_SCHEMA_VERSION

NUMBERS = ("paths", "critical_paths", "at_risk_paths", "exposed_no_fallback", "exposed_48h",
           "exposure_no_fallback", "exposure_48h", "waived_paths")
COMPARED = ("critical", "at_risk", "ready_replacement", "exposed_no_fallback", "exposed_48h", "replacement_hours",
            "waiver")
"""The fields whose change makes a path 'changed' (a new line number alone does not)."""


class BaselineError(Exception):
    """The baseline file cannot be used; the message says how to make one that can."""


@dataclass(frozen=True)
class PathChange:
    before: dict[str, Any]
    after: dict[str, Any]
    fields: tuple[str, ...]

    @property
    def adds_exposure(self) -> bool:
        return exposure_level(self.after) > exposure_level(self.before)


@dataclass(frozen=True)
class Diff:
    baseline: str
    """Where the baseline came from (its file name), for the reader."""
    new: tuple[dict[str, Any], ...]
    removed: tuple[dict[str, Any], ...]
    changed: tuple[PathChange, ...]
    numbers: dict[str, tuple[float, float]]
    """Each summary number, before and after."""

    @property
    def new_exposed(self) -> tuple[dict[str, Any], ...]:
        """New paths that are exposed, most work to replace first."""
        exposed = [p for p in self.new if exposure_level(p)]
        return tuple(sorted(exposed, key=lambda p: (-p["replacement_hours"], p["file"], p["line"])))

    @property
    def newly_exposed(self) -> tuple[PathChange, ...]:
        return tuple(c for c in self.changed if c.adds_exposure)

    @property
    def adds_exposure(self) -> bool:
        return bool(self.new_exposed or self.newly_exposed)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.baseline,
            "adds_exposure": self.adds_exposure,
            "numbers": {name: {"before": before, "after": after} for name, (before, after) in self.numbers.items()},
            "new": [p["fingerprint"] for p in self.new],
            "removed": [{"fingerprint": p["fingerprint"], "file": p["file"], "line": p["line"]} for p in self.removed],
            "changed": [{"fingerprint": c.after["fingerprint"], "fields": list(c.fields),
                         "adds_exposure": c.adds_exposure} for c in self.changed],
        }


def exposure_level(path: dict[str, Any]) -> int:
    """0 not exposed, 1 exposed with no fallback, 2 exposed beyond 48 hours."""
    return 2 if path["exposed_48h"] else 1 if path["exposed_no_fallback"] else 0


def load_baseline(file: Path) -> dict[str, Any]:
    """Read a previous JSON report, or say what to do instead."""
    remedy = "make one with `offramp scan --format json -o previous.json` on the base branch"
    try:
        report = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read the baseline {file}: {exc.strerror}; {remedy}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"the baseline {file} is not a JSON report ({exc}); {remedy}") from None
    except RecursionError:
        raise BaselineError(f"the baseline {file} is nested too deeply to be a JSON report; {remedy}") from None
    if not isinstance(report, dict) or report.get("schema_version") != REPORT_SCHEMA_VERSION \
            or not isinstance(report.get("paths"), list) or not isinstance(report.get("summary"), dict):
        raise BaselineError(f"the baseline {file} is not an offramp JSON report of schema version "
                            f"{REPORT_SCHEMA_VERSION}; {remedy}")
    if any(not isinstance(p, dict) or "fingerprint" not in p for p in report["paths"]):
        raise BaselineError(f"the baseline {file} has paths without fingerprints (an older offramp wrote it); "
                            f"{remedy}")
    return report


def diff(previous: dict[str, Any], current: dict[str, Any], baseline: str = "baseline") -> Diff:
    """Compare two JSON reports (``to_json`` output, or one read back by ``load_baseline``)."""
    before = {p["fingerprint"]: p for p in previous["paths"]}
    after = {p["fingerprint"]: p for p in current["paths"]}
    changed = []
    for fingerprint in before.keys() & after.keys():
        fields = tuple(f for f in COMPARED if before[fingerprint].get(f) != after[fingerprint].get(f))
        if fields:
            changed.append(PathChange(before[fingerprint], after[fingerprint], fields))
    return Diff(
        baseline=baseline,
        new=tuple(p for f, p in after.items() if f not in before),
        removed=tuple(p for f, p in before.items() if f not in after),
        changed=tuple(sorted(changed, key=lambda c: (c.after["file"], c.after["line"]))),
        numbers={name: (previous["summary"].get(name, 0), current["summary"][name]) for name in NUMBERS},
    )
