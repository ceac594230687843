"""SARIF 2.1.0 for code scanning: one result per critical at-risk path, tracked across commits by fingerprint.

Rules are the three ways a path can count: exposed beyond 48 hours (error), exposed without a fallback but
replaceable within 48 hours (warning), at risk with a ready replacement (note). Waived paths keep their rule
and level and carry a suppression with the waiver's owner and reason, so code scanning shows them dismissed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from offramp import __version__
from offramp.assess import HOURS_THRESHOLD, AssessedPath, Assessment
from offramp.assess.drills import drill_counts
from offramp.report.fingerprint import FINGERPRINT_VERSION, fingerprints
from offramp.report.json_report import substitutes

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
ROOT_BASE_ID = "SRCROOT"


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    level: str
    security_severity: str
    """GitHub code scanning's 0-10 severity, which it shows as critical/high/medium/low."""
    short: str
    help: str


RULES = (
    Rule("OFR001", "exposed-48h", "error", "8.0",
         f"Critical inference path at risk, with no ready replacement, that takes more than {HOURS_THRESHOLD} h "
         "to move",
         "This path reaches a closed-weight model served under an at-risk jurisdiction. If access is cut off, "
         f"nothing takes over and moving it is estimated at more than {HOURS_THRESHOLD} hours. Wire in a fallback "
         "that is not at risk (LiteLLM fallbacks, LangChain with_fallbacks, a try/except that switches client, or "
         "an Offramp gateway route ending in a self-hosted model), or declare one in offramp.toml. The result "
         "lists the open-weight substitutes the catalog knows; `offramp explain MODEL` shows what each keeps and "
         "loses."),
    Rule("OFR002", "exposed-no-fallback", "warning", "5.0",
         "Critical inference path at risk with no ready replacement",
         "This path reaches a closed-weight model served under an at-risk jurisdiction and nothing takes over if "
         f"access is cut off, although the move is estimated at {HOURS_THRESHOLD} hours or less. Wire in a fallback "
         "that is not at risk, or declare one in offramp.toml; the result lists the open-weight substitutes."),
    Rule("OFR003", "at-risk-with-replacement", "note", "2.0",
         "Critical inference path at risk, with a ready replacement",
         "This path reaches a closed-weight model served under an at-risk jurisdiction, and a ready replacement "
         "takes over if access is cut off. Keep the replacement tested: a drill verifies it."),
)
_RULE_INDEX = {rule.id: index for index, rule in enumerate(RULES)}


def to_sarif(assessment: Assessment) -> dict[str, Any]:
    """The SARIF log as plain data, ready for ``json.dumps``."""
    prints = fingerprints([p.path for p in assessment.paths])
    results = [_result(assessed, fingerprint, assessment)
               for assessed, fingerprint in zip(assessment.paths, prints, strict=True)
               if assessed.critical and assessed.at_risk]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "offramp",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(rule) for rule in RULES],
            }},
            "originalUriBaseIds": {ROOT_BASE_ID: {"uri": Path(assessment.result.root).resolve().as_uri() + "/"}},
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "note", "message": {"text": f"skipped: {skipped.reason}"},
                     "locations": [{"physicalLocation": {"artifactLocation": _artifact(skipped.file)}}]}
                    for skipped in assessment.result.skipped
                ] + [
                    {"level": "note", "message": {"text": f"AI SDK {entry.sdk} is {_HOW[entry.source]} here, but no "
                                                          "inference path through it was found"},
                     "locations": [{"physicalLocation": {"artifactLocation": _artifact(file)}} for file in entry.files]}
                    for entry in assessment.result.uncovered_sdks
                ],
            }],
            "results": results,
            "properties": {"summary": _summary(assessment)},
        }],
    }


_HOW = {"import": "imported", "manifest": "declared"}


def rule_for(assessed: AssessedPath) -> Rule:
    if assessed.ready_replacement:
        return RULES[2]
    return RULES[0] if assessed.replacement_hours > HOURS_THRESHOLD else RULES[1]


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.short},
        "fullDescription": {"text": rule.help},
        "help": {"text": rule.help, "markdown": rule.help},
        "defaultConfiguration": {"level": rule.level},
        "properties": {"tags": ["security", "ai-supply-chain"], "precision": "high",
                       "security-severity": rule.security_severity},
    }


def _result(assessed: AssessedPath, fingerprint: str, assessment: Assessment) -> dict[str, Any]:
    rule = rule_for(assessed)
    path = assessed.path
    location: dict[str, Any] = {"physicalLocation": {
        "artifactLocation": _artifact(path.file),
        "region": {"startLine": path.line, "startColumn": path.column + 1, "endLine": max(path.end_line, path.line)},
    }}
    if path.function:
        location["logicalLocations"] = [{"fullyQualifiedName": path.function, "kind": "function"}]
    subs = substitutes(assessed, assessment.catalog)
    result: dict[str, Any] = {
        "ruleId": rule.id,
        "ruleIndex": _RULE_INDEX[rule.id],
        "level": rule.level,
        "message": {"text": _message(assessed, subs)},
        "locations": [location],
        "partialFingerprints": {f"offrampPath/{FINGERPRINT_VERSION}": fingerprint},
        "properties": {
            "replacement_hours": assessed.replacement_hours,
            "providers": sorted({t.provider for t in assessed.at_risk_targets if t.provider}),
            "models": [t.target.model for t in assessed.at_risk_targets if t.target.model],
            "jurisdictions": assessed.jurisdictions,
            "substitutes": [s["model"] for s in subs],
            "drill": assessed.drill.state if assessed.drill else None,
            "reasons": assessed.reasons,
        },
    }
    if assessed.waived and assessed.waiver:
        waiver = assessed.waiver.waiver
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": f"{waiver.reason} (owner {waiver.owner}, until "
                                                    f"{waiver.expires.isoformat()})"}]
    return result


def _message(assessed: AssessedPath, subs: list[dict[str, Any]]) -> str:
    targets = ", ".join(t.label + (f" ({t.jurisdiction})" if t.jurisdiction else "") for t in assessed.at_risk_targets)
    if assessed.ready_replacement:
        text = f"{targets} is at risk; {assessed.replacement.why}."
    else:
        text = f"{targets} can be cut off and nothing takes over; {assessed.estimate}."
    if subs:
        text += " Open-weight substitutes: " + "; ".join(
            f"{s['name']} ({s['licence']}"
            + (f"; keeps {', '.join(s['keeps'])}" if s["keeps"] else "")
            + (f"; loses {', '.join(s['loses'])}" if s["loses"] else "") + ")"
            for s in subs) + "."
    else:
        text += " The catalog knows no open-weight substitute."
    return text


def _artifact(file: str) -> dict[str, str]:
    return {"uri": quote(file, safe="/"), "uriBaseId": ROOT_BASE_ID}


def _summary(assessment: Assessment) -> dict[str, Any]:
    numbers = assessment.numbers
    return {"critical_paths": numbers.critical_paths, "exposed_48h": numbers.exposed_48h,
            "exposed_no_fallback": numbers.exposed_no_fallback, "exposure_48h": numbers.exposure_48h,
            "exposure_no_fallback": numbers.exposure_no_fallback,
            "drills": drill_counts([p.drill for p in assessment.paths if p.critical and p.at_risk])}
