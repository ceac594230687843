import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from offramp import __version__
from offramp.assess import Assessment
from offramp.report.json_report import to_json
from tests.report.conftest import SECRET

SCHEMA = json.loads((Path(__file__).parents[2] / "schemas" / "scan-report.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def report(assessment: Assessment) -> dict[str, Any]:
    data = to_json(assessment, policy_file=Path("/repo/offramp.toml"), generated_at=datetime(2026, 11, 25, tzinfo=UTC))
    return json.loads(json.dumps(data))  # what a consumer reads back


def test_the_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_field_of_the_schema_is_described() -> None:
    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                assert prop.get("description") or "$ref" in prop, f"{where}.{name} has no description"
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)
    walk(SCHEMA, "$")


def test_real_output_validates_against_the_schema(assessment: Assessment) -> None:
    data = report(assessment)
    errors = [f"{list(e.path)}: {e.message}" for e in VALIDATOR.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize(("breakage", "mutate"), [
    ("missing headline", lambda d: d["summary"].pop("exposure_48h")),
    ("ratio out of range", lambda d: d["summary"].update(exposure_no_fallback=1.5)),
    ("unknown path field", lambda d: d["paths"][0].update(surprise=True)),
    ("bad jurisdiction", lambda d: d["paths"][0]["targets"][0].update(jurisdiction="usa")),
])
def test_the_schema_rejects_broken_reports(assessment: Assessment, breakage: str, mutate) -> None:
    data = report(assessment)
    mutate(data)
    assert not VALIDATOR.is_valid(data), breakage


def test_summary_carries_the_numbers(assessment: Assessment) -> None:
    summary = report(assessment)["summary"]
    # 4 critical paths; chat (14 h) and embed (70 h) exposed; embed alone above 48 h.
    assert {k: summary[k] for k in ("critical_paths", "exposed_no_fallback", "exposed_48h",
                                    "exposure_no_fallback", "exposure_48h")} == {
        "critical_paths": 4, "exposed_no_fallback": 2, "exposed_48h": 1,
        "exposure_no_fallback": 0.5, "exposure_48h": 0.25}
    assert summary["hours_threshold"] == 48


def test_paths_carry_file_line_provider_model_and_reasons(assessment: Assessment) -> None:
    paths = {p["file"]: p for p in report(assessment)["paths"]}
    embed = paths["app/[tenant]/embed.py"]
    assert (embed["line"], embed["providers"], embed["model"]) == (40, ["openai"], "text-embedding-3-large")
    assert (embed["critical"], embed["at_risk"], embed["ready_replacement"]) == (True, True, False)
    assert embed["replacement_hours"] == 70
    assert [h["rule"] for h in embed["lockin"]] == ["embeddings", "no-substitute"]
    assert embed["waiver"] == {"path": r"app/\[tenant\]/", "reason": "tenant feature sunset", "owner": "search-team",
                               "expires": "2026-10-01", "expired": True}
    assert "provider openai is in US, an at-risk jurisdiction" in embed["reasons"]
    assert embed["targets"][0]["catalog_model"] == "text-embedding-3-large"
    chat = paths["app/chat.py"]
    assert chat["substitutes"] == [{"for_model": "gpt-4o", "model": "qwen3-32b", "name": "Qwen3 32B",
                                    "licence": "Apache-2.0", "keeps": ["chat", "tools"], "loses": ["vision"]}]
    assert chat["jurisdictions"] == ["US"] and chat["open_weights"] is False
    fallback = paths["app/fallback.py"]
    assert fallback["ready_replacement"] and fallback["replacement_source"] == "code"
    assert fallback["fallbacks"][0]["provider"] == "ollama" and fallback["fallbacks"][0]["self_hosted"]
    assert paths["tests/test_chat.py"]["critical"] is False


def test_context_skipped_and_secrets(assessment: Assessment) -> None:
    data = report(assessment)
    assert data["tool"] == {"name": "offramp", "version": __version__}
    assert data["policy"] == {"file": "/repo/offramp.toml", "home": "TW", "at_risk": ["US"]}
    assert data["catalog"]["sources"] == ["test"]
    assert data["scan"] == {"files_seen": 42, "files_parsed": 7, "seconds": 0.25}
    assert data["skipped"][1] == {"file": "app/broken.py", "reason": "syntax error at line 3"}
    assert data["secrets"] == [{"file": "app/chat.py", "line": 3, "provider": "openai", "redacted": "sk-p…6789"}]
    assert data["waivers"][0]["paths"] == ["app/[tenant]/embed.py:40"]


def test_no_secret_reaches_the_report(assessment: Assessment) -> None:
    assert SECRET not in json.dumps(report(assessment))


def test_configuration_findings_and_declared_sdks_are_in_the_report_with_keys_redacted(tmp_path):
    import subprocess
    import sys

    key = "sk-proj-" + "Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6"
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  app:\n    environment:\n      SUMMARY_MODEL: claude-3-5-haiku-20241022\n"
        f"      OPENAI_API_KEY: {key}\n")
    (tmp_path / "requirements.txt").write_text("openai==1.55.3\nrequests>=2\n")
    report = json.loads(subprocess.run([sys.executable, "-m", "offramp", "scan", str(tmp_path), "--format", "json"],
                                       capture_output=True, text=True, check=True).stdout)
    jsonschema.validate(report, SCHEMA)
    assert [(c["key"], c["model"], c["line"]) for c in report["config"]] == [
        ("SUMMARY_MODEL", "claude-3-5-haiku-20241022", 4)]
    assert [(d["package"], d["version"], d["providers"]) for d in report["dependencies"]] == [
        ("openai", "==1.55.3", ["openai"])]
    assert key not in json.dumps(report)


def test_each_target_says_why_its_provider_and_its_model_stay_unknown(tmp_path):
    import subprocess
    import sys

    (tmp_path / "chat.py").write_text(
        "import os\nfrom openai import OpenAI\n\n"
        "def ask(messages, model):\n"
        "    client = OpenAI(base_url=os.environ['LLM_BASE_URL'])\n"
        "    return client.chat.completions.create(model=model, messages=messages)\n\n"
        "def summarise(messages):\n"
        "    return OpenAI().chat.completions.create(model=os.environ['SUMMARY_MODEL'], messages=messages)\n")
    scan = [sys.executable, "-m", "offramp", "scan", str(tmp_path)]
    report = json.loads(subprocess.run([*scan, "--format", "json"], capture_output=True, text=True).stdout)
    jsonschema.validate(report, SCHEMA)
    unknown = {p["line"]: p["targets"][0]["unknown"] for p in report["paths"]}
    assert unknown == {
        6: {"provider": "$LLM_BASE_URL (no default, not set in any configuration)",
            "model": "parameter 'model' (no caller in the repository)"},
        9: {"provider": None, "model": "$SUMMARY_MODEL (no default, not set in any configuration)"},
    }
    terminal = subprocess.run([*scan, "--format", "terminal"], capture_output=True, text=True).stdout
    assert "provider unresolved: $LLM_BASE_URL" in terminal
    assert "model unresolved: parameter 'model'" in terminal
