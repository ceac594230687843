"""What the dashboard shows, collected from the stores in one pass: the page and ``/api/summary`` both render
one :class:`Summary`, so the numbers on the page are the API's.

The organisation's numbers are the sum of each repository's latest recorded scan, made into
:class:`~offramp.assess.Numbers`, whose properties define the exposures; nothing here re-derives them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from offramp.assess import Numbers
from offramp.assess.assess import COUNTS
from offramp.dashboard.links import source_link
from offramp.dashboard.sources import Stores
from offramp.gateway.exposure import LiveExposure, summarise
from offramp.store import DrillRun, ExposureGroup, TopPath
from offramp.store.history import RecordedScan

PATH_LIMIT = 50
LIVE_WINDOWS = {"hour": 3600.0, "day": 86400.0}
_FILTER_LIMIT = 2000
"""Longest filter value accepted from a query string: longer ones match nothing anyway."""


@dataclass(frozen=True)
class Filters:
    """What the page is narrowed to; from the query string, so a filtered view is a link to share."""

    repository: str | None = None
    provider: str | None = None
    jurisdiction: str | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        return cls(**{f.name: (query.get(f.name) or "").strip()[:_FILTER_LIMIT] or None for f in fields(cls)})

    def as_dict(self) -> dict[str, str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def keeps(self, provider: str | None, jurisdiction: str | None) -> bool:
        return (self.provider in (None, provider)) and (self.jurisdiction in (None, jurisdiction))


@dataclass(frozen=True)
class Group:
    """The exposure numbers of one repository (its latest scan), provider or jurisdiction (None: unknown)."""

    name: str | None
    numbers: Numbers | ExposureGroup
    scan: RecordedScan | None = None


@dataclass(frozen=True)
class ExposedPath:
    row: TopPath
    link: str | None
    """A web link to the line, when the repository is a hosted remote and the commit is known."""


@dataclass(frozen=True)
class TrendPoint:
    """The organisation's numbers at the end of a day on which scans were recorded."""

    date: str
    repositories: int
    numbers: Numbers


@dataclass(frozen=True)
class Summary:
    generated_at: datetime
    filters: Filters
    totals: Numbers
    repositories: list[Group]
    providers: list[Group]
    jurisdictions: list[Group]
    trend: list[TrendPoint]
    paths: list[ExposedPath]
    drills: list[DrillRun]
    """The latest finished run of each prompt set."""
    live: dict[str, LiveExposure]
    choices: dict[str, list[str]]
    """The values each filter offers."""

    def to_json(self) -> dict[str, Any]:
        return {
            "generated_at": _stamp(self.generated_at),
            "filters": self.filters.as_dict(),
            "totals": _numbers(self.totals),
            "repositories": [_group(g) for g in self.repositories],
            "providers": [_group(g) for g in self.providers],
            "jurisdictions": [_group(g) for g in self.jurisdictions],
            "trend": [{"date": p.date, "repositories": p.repositories, **_numbers(p.numbers)} for p in self.trend],
            "paths": [{**{f.name: getattr(p.row, f.name) for f in fields(p.row)}, "link": p.link} for p in self.paths],
            "drills": [{"set": run.set_name, "route": run.route, "status": run.status, "passed": run.passed,
                        "prompts": run.prompts, "pass_rate": run.pass_rate,
                        "finished_at": _stamp(run.finished_at or run.started_at)} for run in self.drills],
            "live": {name: live.as_dict() for name, live in self.live.items()},
        }


def collect(stores: Stores, filters: Filters, now: datetime | None = None) -> Summary:
    """Everything the page shows, narrowed by ``filters``: the repository filter narrows every number; provider
    and jurisdiction narrow the groups, the paths and the gateways' traffic (a repository's totals have no
    provider)."""
    now = now or datetime.now(UTC)
    history = stores.history
    latest = history.latest_scans()
    chosen = [scan for scan in latest if filters.repository in (None, scan.repository)]
    live = {name: stores.telemetry.exposure(now.timestamp() - seconds) for name, seconds in LIVE_WINDOWS.items()}
    providers = history.exposure_by("provider", filters.repository)
    jurisdictions = history.exposure_by("jurisdiction", filters.repository)
    paths = history.top_paths(PATH_LIMIT, filters.repository, filters.provider, filters.jurisdiction)
    return Summary(
        generated_at=now,
        filters=filters,
        totals=Numbers.total(chosen),
        repositories=sorted((Group(s.repository, s, s) for s in chosen), key=_worst_first),
        providers=sorted((Group(g.key, g) for g in providers if filters.provider in (None, g.key)), key=_worst_first),
        jurisdictions=sorted((Group(g.key, g) for g in jurisdictions if filters.jurisdiction in (None, g.key)),
                             key=_worst_first),
        trend=trend(history.scans(filters.repository)),
        paths=[ExposedPath(row, source_link(row.repository, row.commit, row.file, row.line))
               for row in paths if row.exposure_level > 0],
        drills=latest_drills(stores.drills.runs()),
        live={name: summarise([r for r in rows if filters.keeps(r.provider, r.jurisdiction)], LIVE_WINDOWS[name])
              for name, rows in live.items()},
        choices={"repository": sorted(s.repository for s in latest),
                 "provider": _names((g.key for g in providers), (r.provider for r in live["day"])),
                 "jurisdiction": _names((g.key for g in jurisdictions), (r.jurisdiction for r in live["day"]))},
    )


def trend(scans: Iterable[RecordedScan]) -> list[TrendPoint]:
    """The organisation's numbers at the end of each day a scan was recorded: the sum of each repository's
    latest scan so far (kept as a running sum: a new scan of a repository replaces its previous one's counts)."""
    latest: dict[str, RecordedScan] = {}
    counts = dict.fromkeys(COUNTS, 0)
    points: dict[str, TrendPoint] = {}
    for scan in sorted(scans, key=lambda s: s.recorded_at):
        previous = latest.get(scan.repository)
        for name in counts:
            counts[name] += getattr(scan, name) - (getattr(previous, name) if previous else 0)
        latest[scan.repository] = scan
        day = scan.recorded_at.date().isoformat()
        points[day] = TrendPoint(day, len(latest), Numbers(**counts))
    return list(points.values())


def latest_drills(runs: Iterable[DrillRun]) -> list[DrillRun]:
    """The newest run of each prompt set (``runs`` come newest first)."""
    latest: dict[str, DrillRun] = {}
    for run in runs:
        latest.setdefault(run.set_name, run)
    return list(latest.values())


def _worst_first(group: Group) -> tuple[float, float, bool, str]:
    return -group.numbers.exposure_48h, -group.numbers.exposure_no_fallback, group.name is None, group.name or ""


def _names(*sources: Iterable[str | None]) -> list[str]:
    return sorted({name for source in sources for name in source if name})


def _numbers(numbers: Numbers | ExposureGroup) -> dict[str, Any]:
    """A repository's :class:`Numbers`, or a provider's or jurisdiction's group (fewer counts), as JSON."""
    counts = {f.name: getattr(numbers, f.name) for f in fields(numbers) if f.name in COUNTS}
    return {**counts, "exposure_48h": numbers.exposure_48h, "exposure_no_fallback": numbers.exposure_no_fallback}


def _group(group: Group) -> dict[str, Any]:
    scan = {"commit": group.scan.commit, "branch": group.scan.branch,
            "recorded_at": _stamp(group.scan.recorded_at)} if group.scan else {}
    return {"name": group.name, **scan, **_numbers(group.numbers)}


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")
