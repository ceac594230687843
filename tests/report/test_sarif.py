"""SARIF 2.1.0 output: valid against the official schema, one result per critical at-risk path."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema

from offramp.assess import Assessment, assess
from offramp.report.json_report import to_json
from offramp.report.sarif import to_sarif
from tests.report.conftest import SECRET

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def sarif(assessment: Assessment) -> dict[str, Any]:
    return json.loads(json.dumps(to_sarif(assessment)))


def results_by_file(log: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r for r in log["runs"][0]["results"]}


def test_the_log_is_valid_sarif_2_1_0(assessment: Assessment) -> None:
    assert SCHEMA["id"].endswith("/sarif-schema-2.1.0.json")
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    assert [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(sarif(assessment))] == []


def test_one_result_per_critical_at_risk_path_with_rule_and_level_from_the_estimate(assessment: Assessment) -> None:
    log = sarif(assessment)
    results = results_by_file(log)
    assert len(results) == assessment.numbers.at_risk_paths == 3  # not the safe, nor the test path
    assert {uri: (r["ruleId"], r["level"]) for uri, r in results.items()} == {
        "app/%5Btenant%5D/embed.py": ("OFR001", "error"),  # 70 h, no replacement
        "app/chat.py": ("OFR002", "warning"),  # 14 h, no replacement
        "app/fallback.py": ("OFR003", "note"),  # ready replacement
    }
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in results.values()] == [r["ruleId"] for r in results.values()]
    assert all(rule["help"]["text"] and rule["properties"]["security-severity"] for rule in rules)


def test_regions_are_precise_and_fingerprints_match_the_json_report(assessment: Assessment) -> None:
    result = results_by_file(sarif(assessment))["app/chat.py"]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 12, "startColumn": 5, "endLine": 14}
    [path] = [p for p in to_json(assessment)["paths"] if p["file"] == "app/chat.py"]
    assert result["partialFingerprints"] == {"offrampPath/v1": path["fingerprint"]}


def test_the_message_names_the_target_and_the_substitutes(assessment: Assessment) -> None:
    results = results_by_file(sarif(assessment))
    chat = results["app/chat.py"]["message"]["text"]
    assert "gpt-4o on openai (US)" in chat and "Qwen3 32B (Apache-2.0; keeps chat, tools; loses vision)" in chat
    assert "catalog knows no open-weight substitute" in results["app/%5Btenant%5D/embed.py"]["message"]["text"]
    assert "llama3.1:8b on ollama" in results["app/fallback.py"]["message"]["text"]


def test_a_waived_path_is_reported_suppressed_with_the_waiver(assessment: Assessment) -> None:
    still_valid = assess(assessment.result, assessment.policy, assessment.catalog, date(2026, 9, 1))
    embed = results_by_file(sarif(still_valid))["app/%5Btenant%5D/embed.py"]
    assert embed["suppressions"] == [{"kind": "external", "status": "accepted",
                                      "justification": "tenant feature sunset (owner search-team, until 2026-10-01)"}]
    # on 2026-11-25 the waiver has expired: the same path is reported without a suppression
    assert "suppressions" not in results_by_file(sarif(assessment))["app/%5Btenant%5D/embed.py"]


def test_no_secret_reaches_the_log(assessment: Assessment) -> None:
    assert SECRET not in json.dumps(to_sarif(assessment))


def test_skipped_files_are_tool_notifications(assessment: Assessment) -> None:
    notes = sarif(assessment)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes
            if n["message"]["text"].startswith("skipped: ")] == ["vendor/big.min.js", "app/broken.py"]
