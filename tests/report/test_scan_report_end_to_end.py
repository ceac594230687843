"""`offramp scan --format json` on the bundled example produces a report that the published schema accepts."""

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from offramp.cli import main

REPO = Path(__file__).parents[2]
SCHEMA = json.loads((REPO / "schemas" / "scan-report.schema.json").read_text(encoding="utf-8"))


def test_the_json_of_a_real_scan_matches_the_schema() -> None:
    outcome = CliRunner().invoke(main, ["scan", str(REPO / "examples" / "acme-support"), "--format", "json",
                                        "--today", "2026-11-25"])
    assert outcome.exit_code == 0, outcome.output
    report = json.loads(outcome.output)
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    assert [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(report)] == []
    assert report["paths"], "the example has inference paths"
    assert all(not Path(p["file"]).is_absolute() for p in report["paths"])
    assert report["policy"]["file"].endswith("offramp.toml")
