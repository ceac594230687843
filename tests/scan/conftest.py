from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from offramp.catalog import Catalog
from offramp.scan.driver import ScanOptions, scan_tree
from offramp.scan.findings import InferencePath, ScanResult

ScanFiles = Callable[..., ScanResult]


@pytest.fixture
def scan_files(tmp_path: Path) -> ScanFiles:
    """Write ``{relpath: source}`` under a fresh root and scan it as a user would."""

    def scan(files: dict[str, str], **options: object) -> ScanResult:
        for relpath, text in files.items():
            target = tmp_path / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=1, **options))  # type: ignore[arg-type]

    return scan


def only(result: ScanResult) -> InferencePath:
    assert len(result.paths) == 1, [(p.file, p.line, p.operation) for p in result.paths]
    return result.paths[0]


def targets(path: InferencePath) -> set[tuple[str | None, str | None]]:
    return {(t.provider, t.model) for t in path.targets}
