"""The scan report as JSON, shaped by schemas/scan-report.schema.json (and validated against it in tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from offramp import __version__
from offramp.assess import HOURS_THRESHOLD, AssessedPath, Assessment, WaiverStatus
from offramp.assess.drills import DrillStatus, drill_counts
from offramp.assess.risk import TargetRisk
from offramp.catalog import Catalog
from offramp.report.fingerprint import fingerprints
from offramp.scan.findings import ConfigValue, redact
from offramp.scan.rules import secret_rules

REPORT_SCHEMA_VERSION = 1


def to_json(assessment: Assessment, *, policy_file: Path | None = None,
            generated_at: datetime | None = None) -> dict[str, Any]:
    """The whole report as plain data, ready for ``json.dumps``. Source snippets are left out: they may hold keys."""
    result, numbers, policy = assessment.result, assessment.numbers, assessment.policy
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "tool": {"name": "offramp", "version": __version__},
        "generated_at": (generated_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "root": result.root,
        "policy": {
            "file": str(policy_file) if policy_file else None,
            "home": policy.home,
            "at_risk": list(policy.at_risk),
        },
        "catalog": {"sources": list(assessment.catalog.sources)},
        "scan": {"files_seen": result.files_seen, "files_parsed": result.files_parsed,
                 "seconds": round(result.seconds, 3)},
        "summary": {
            "paths": numbers.paths,
            "critical_paths": numbers.critical_paths,
            "at_risk_paths": numbers.at_risk_paths,
            "exposed_no_fallback": numbers.exposed_no_fallback,
            "exposed_48h": numbers.exposed_48h,
            "exposure_no_fallback": numbers.exposure_no_fallback,
            "exposure_48h": numbers.exposure_48h,
            "waived_paths": numbers.waived_paths,
            "hours_threshold": HOURS_THRESHOLD,
            "note": numbers.note,
            "drills": drill_counts([p.drill for p in assessment.paths if p.critical and p.at_risk]),
        },
        "paths": [_path(assessed, fingerprint, assessment.catalog) for assessed, fingerprint
                  in zip(assessment.paths, fingerprints([p.path for p in assessment.paths]), strict=True)],
        "waivers": [_waiver(w) | {"paths": list(w.paths)} for w in assessment.waivers],
        "skipped": [{"file": s.file, "reason": s.reason} for s in result.skipped],
        "secrets": [{"file": s.file, "line": s.line, "provider": s.provider, "redacted": s.redacted}
                    for s in result.secrets],
        "config": [_config(value) for value in result.config],
        "dependencies": [{"ecosystem": d.ecosystem, "package": d.package, "version": d.version, "file": d.file,
                          "line": d.line, "providers": list(d.providers)} for d in result.dependencies],
        "uncovered_sdks": [{"sdk": u.sdk, "source": u.source, "files": list(u.files), "file_count": u.file_count}
                           for u in result.uncovered_sdks],
    }


def _config(value: ConfigValue) -> dict[str, Any]:
    # An env value may be a credential: a key-shaped value is never written out.
    shown = value.value if not secret_rules().regex.search(value.value) else redact(value.value)
    return {"file": value.file, "line": value.line, "key": value.key, "value": shown, "kind": value.kind,
            "source": value.source, "provider": value.provider, "model": value.model}


def _path(assessed: AssessedPath, fingerprint: str, catalog: Catalog) -> dict[str, Any]:
    path = assessed.path
    return {
        "fingerprint": fingerprint,
        "file": path.file,
        "line": path.line,
        "column": path.column,
        "end_line": path.end_line,
        "kind": path.kind,
        "sdk": path.sdk,
        "operation": path.operation,
        "operation_kind": path.operation_kind,
        "function": path.function,
        "streaming": path.streaming,
        "is_async": path.is_async,
        "providers": sorted({t.provider for t in assessed.targets if t.provider}),
        "model": path.models[0] if path.models else None,
        "models": path.models,
        "critical": assessed.critical,
        "critical_why": assessed.criticality.why,
        "at_risk": assessed.at_risk,
        "ready_replacement": assessed.ready_replacement,
        "ready_replacement_why": assessed.replacement.why,
        "replacement_source": assessed.replacement.source,
        "verified": assessed.verified,
        "drill": _drill(assessed.drill) if assessed.drill else None,
        "replacement_hours": assessed.replacement_hours,
        "exposed_no_fallback": assessed.exposed_no_fallback,
        "exposed_48h": assessed.exposed_48h,
        "jurisdictions": assessed.jurisdictions,
        "open_weights": assessed.open_weights,
        "targets": [_target(t) for t in assessed.targets],
        "fallbacks": [_target(t) for t in assessed.fallbacks],
        "fallback_why": path.fallback_why or None,
        "backs_up": path.backs_up,
        "lockin": [{"rule": h.rule, "feature": h.feature, "hours": h.hours, "why": h.why, "evidence": h.evidence}
                   for h in assessed.lockin],
        "waiver": _waiver(assessed.waiver) if assessed.waiver else None,
        "substitutes": substitutes(assessed, catalog),
        "reasons": assessed.reasons,
    }


def _target(risk: TargetRisk) -> dict[str, Any]:
    target = risk.target
    return {
        "provider": risk.provider,
        "model": target.model,
        "catalog_model": risk.model.id if risk.model else None,
        "jurisdiction": risk.jurisdiction,
        "self_hosted": risk.self_hosted,
        "open_weights": risk.open_weights,
        "at_risk": risk.at_risk,
        "provider_why": target.provider_why or None,
        "model_why": target.model_why or None,
        "unresolved": target.unresolved,
        "unknown": {"provider": target.provider_unknown if risk.provider is None else None,
                    "model": target.model_unknown if target.model is None else None},
        "reasons": list(risk.reasons),
    }


def _drill(status: DrillStatus) -> dict[str, Any]:
    run = status.run
    return {"state": status.state, "set": run.set_name, "route": run.route, "verdict": run.status,
            "pass_rate": run.pass_rate, "passed": run.passed, "prompts": run.prompts, "threshold": run.threshold,
            "finished_at": run.finished_at.isoformat(timespec="seconds") if run.finished_at else None,
            "fallbacks": list(run.fallbacks), "why": status.why}


def _waiver(status: WaiverStatus) -> dict[str, Any]:
    waiver = status.waiver
    return {"path": waiver.path, "reason": waiver.reason, "owner": waiver.owner,
            "expires": waiver.expires.isoformat(), "expired": status.expired}


def substitutes(assessed: AssessedPath, catalog: Catalog) -> list[dict[str, Any]]:
    """The open-weight models that can replace each closed model the path reaches."""
    return [
        {"for_model": model.id, "model": sub.model, "name": catalog.models[sub.model].name,
         "licence": catalog.models[sub.model].licence, "keeps": list(sub.keeps), "loses": list(sub.loses)}
        for model in assessed.models if not model.open_weights
        for sub in model.substitutes
    ]
