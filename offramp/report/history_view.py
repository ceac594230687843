"""``offramp history``: the recorded numbers over time, per repository, as a table or as JSON."""

from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from offramp.report.i18n import _
from offramp.report.words import exposure_cells
from offramp.store.database import describe
from offramp.store.history import History, RecordedScan, identify
from offramp.storelocation import exists


def show_history(location: str | Path, root: Path | None, output_format: str, console: Console) -> None:
    """Print the scans recorded at ``location``: of the repository at ``root``, or of every repository."""
    file = describe(str(location))
    if not exists(location):
        scans: list[RecordedScan] = []
    else:
        with History(location) as history:
            scans = history.scans(identify(root).repository if root else None)
    if output_format == "json":
        repositories = [{"repository": name, "scans": [s.to_json() for s in group]}
                        for name, group in groupby(scans, key=lambda s: s.repository)]
        console.print_json(json.dumps({"file": file, "repositories": repositories}, ensure_ascii=False))
        return
    if not scans:
        console.print(_("No scans recorded in {file} yet: run `offramp scan --record`.").format(file=file),
                      markup=False, highlight=False)
        return
    for repository, group in groupby(scans, key=lambda s: s.repository):
        console.print(_table(repository, list(group)))


def _table(repository: str, scans: list[RecordedScan]) -> Table:
    table = Table(title=Text(repository), title_justify="left", highlight=False)
    table.add_column(_("Recorded"), no_wrap=True)
    table.add_column(_("Commit"), no_wrap=True)
    table.add_column(_("Exposure (48 h)"), justify="right")
    table.add_column(_("Exposure (no fallback)"), justify="right")
    table.add_column(_("Critical paths"), justify="right")
    table.add_column(_("Change"), justify="right")
    previous = None
    for scan in scans:
        change = "" if previous is None else _("{delta} pts").format(
            delta=f"{(scan.exposure_48h - previous.exposure_48h) * 100:+.1f}")
        table.add_row(scan.recorded_at.strftime("%Y-%m-%d %H:%M"), (scan.commit or "—")[:8], *exposure_cells(scan),
                      str(scan.critical_paths), change)
        previous = scan
    return table
