"""``offramp org scan``'s output: each repository's numbers and the organisation's totals, as a table or JSON."""

from __future__ import annotations

import json

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from offramp.assess import Numbers
from offramp.org import OrgScan
from offramp.report.words import exposure_cells


def show_org_scan(org: OrgScan, output_format: str, console: Console) -> None:
    if output_format == "json":
        console.print_json(json.dumps(org.to_json(), ensure_ascii=False))
        return
    if org.scanned:
        console.print(_table(org))
    if org.failed:
        console.print(Text(f"Could not scan {len(org.failed)} of {len(org.scanned) + len(org.failed)}:",
                           style="bold"))
        for failed in org.failed:
            console.print(Text(f"  {failed.root}: {failed.reason}"))


def _table(org: OrgScan) -> Table:
    count = len(org.scanned)
    table = Table(title=f"{count} repositor{'y' if count == 1 else 'ies'}", title_justify="left", highlight=False,
                  box=box.SIMPLE_HEAD)
    table.add_column("Repository", overflow="fold", min_width=12)  # a name cut short names no repository
    table.add_column("Branch", overflow="fold", min_width=6)
    table.add_column("Commit", no_wrap=True)
    table.add_column("Paths", justify="right")
    table.add_column("Critical", justify="right")
    for heading in ("Exposure (48 h)", "Exposure (no fallback)"):
        table.add_column(heading, justify="right", min_width=len("53.3% (16)"))  # headings wrap, numbers not
    for scanned in org.scanned:
        identity = scanned.identity
        table.add_row(Text(identity.repository), Text(identity.branch or "—"), (identity.commit or "—")[:8],
                      *_numbers(scanned.numbers))
    table.add_section()
    table.add_row(Text("organisation", style="bold"), "", "", *_numbers(org.totals))
    return table


def _numbers(numbers: Numbers) -> tuple[str, str, str, str]:
    return (str(numbers.paths), str(numbers.critical_paths), *exposure_cells(numbers))
