"""CycloneDX 1.6 ML-BOM: the AI SDKs, models and providers a product depends on, with Offramp's findings.

Built with cyclonedx-python-lib's model alone. SDKs are library components with purls (one per package and
pinned version; a declared range is a property, never part of the purl), models are machine-learning-model
components, providers are services with their endpoints. Offramp's findings, and what the catalog knows of a
model (task, modalities, context window), ride along as ``offramp:*`` properties. The same scan gives the
same bytes apart from the timestamp: every bom-ref is named, and the serial number is derived from the content.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import groupby
from pathlib import PurePosixPath
from typing import Any
from uuid import UUID, uuid5

from cyclonedx.model import Property, XsUri
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.contact import OrganizationalEntity
from cyclonedx.model.license import DisjunctiveLicense
from cyclonedx.model.service import Service
from cyclonedx.output import make_outputter
from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.spdx import is_supported_id
from packageurl import PackageURL

from offramp import __version__
from offramp.assess import AssessedPath, Assessment
from offramp.assess.risk import TargetRisk
from offramp.catalog.schema import Model, Provider
from offramp.scan.findings import Dependency

_PURL_TYPES = {"pypi": "pypi", "npm": "npm", "go": "golang", "maven": "maven"}
_TASKS = {"chat": "text-generation", "embedding": "feature-extraction", "image": "text-to-image",
          "audio": "automatic-speech-recognition", "moderation": "text-classification", "rerank": "text-ranking",
          "video": "text-to-video"}


def to_cyclonedx(assessment: Assessment, *, generated_at: datetime | None = None) -> dict[str, Any]:
    """The ML-BOM as plain data (CycloneDX 1.6 JSON), ready for ``json.dumps``."""
    bom = _bom(assessment)
    bom.serial_number = _serial_number(bom)
    bom.metadata.timestamp = generated_at or datetime.now(UTC)
    return json.loads(_serialise(bom))


def _bom(assessment: Assessment) -> Bom:
    models = _models(assessment)
    providers = _providers(assessment)
    application = Component(name=PurePosixPath(assessment.result.root).name or "scanned-repository",
                            type=ComponentType.APPLICATION, bom_ref="application")
    bom = Bom(metadata=BomMetaData(component=application, properties=_numbers(assessment)))
    bom.metadata.tools.components.add(Component(name="offramp", version=__version__, type=ComponentType.APPLICATION,
                                                bom_ref="offramp"))
    libraries = _libraries(assessment.result.dependencies)
    services = {provider_id: _service(provider_id, *usage) for provider_id, usage in providers.items()}
    model_components = [_model(model_id, *usage) for model_id, usage in models.items()]
    bom.components.update(libraries + model_components)
    bom.services.update(services.values())
    bom.register_dependency(application, [*libraries, *model_components])
    for component, (_model_entry, risks, _paths) in zip(model_components, models.values(), strict=True):
        # a model depends on the providers that serve it to this product
        bom.register_dependency(component, [services[p] for p in sorted({r.provider for r in risks if r.provider})])
    for service in services.values():
        bom.register_dependency(service, [])
    return bom


_SERIAL_NAMESPACE = UUID("6f1c2d0e-7a55-4f0b-9a52-0ff4a3b1c9e1")
_NO_TIME = datetime(1970, 1, 1, tzinfo=UTC)


def _serial_number(bom: Bom) -> UUID:
    """A serial number named by the BOM's content: the same findings always give the same document."""
    bom.serial_number, bom.metadata.timestamp = UUID(int=0), _NO_TIME
    return uuid5(_SERIAL_NAMESPACE, _serialise(bom))


def _serialise(bom: Bom) -> str:
    return make_outputter(bom, OutputFormat.JSON, SchemaVersion.V1_6).output_as_string()


Usage = tuple[Any, list[TargetRisk], list[AssessedPath]]


def _models(assessment: Assessment) -> dict[str, Usage]:
    """Each model the paths or their fallbacks reach, by catalog id (or as written when the catalog lacks it)."""
    found: dict[str, Usage] = {}
    for assessed in assessment.paths:
        for risk in (*assessed.targets, *assessed.fallbacks):
            key = risk.model.id if risk.model else risk.target.model
            if key:
                entry = found.setdefault(key, (risk.model, [], []))
                entry[1].append(risk)
                entry[2].append(assessed)
    return dict(sorted(found.items()))


def _providers(assessment: Assessment) -> dict[str, Usage]:
    found: dict[str, Usage] = {}
    for assessed in assessment.paths:
        for risk in (*assessed.targets, *assessed.fallbacks):
            if risk.provider:
                entry = found.setdefault(risk.provider, (assessment.catalog.provider(risk.provider), [], []))
                entry[1].append(risk)
                entry[2].append(assessed)
    return dict(sorted(found.items()))


_PINNED = re.compile(r"(?:==?)?(v?\d+(?:\.\d+)*(?:[-+.]?[0-9A-Za-z][0-9A-Za-z.+-]*)?)")
_WILDCARD = re.compile(r"(?:^|\.)[xX*](?:\.|$)")


def _pinned(version: str | None) -> str | None:
    """The one version a declaration pins (``1.54.0``, ``==1.54.0``, ``v1.30.0``), or None for a range."""
    match = _PINNED.fullmatch(version.strip()) if version else None
    return match.group(1) if match and not _WILDCARD.search(match.group(1)) else None


def _libraries(dependencies: Iterable[Dependency]) -> list[Component]:
    """One component per package and pinned version; declarations of a range join every version of it."""
    components = []
    by_package = sorted(dependencies, key=lambda d: (d.ecosystem, d.package))
    for _package, group in groupby(by_package, key=lambda d: (d.ecosystem, d.package)):
        declarations = list(group)
        pinned = sorted({v for d in declarations if (v := _pinned(d.version))})
        for version in pinned or [None]:
            components.append(_library([d for d in declarations if _pinned(d.version) in (version, None)], version))
    return components


def _library(declarations: list[Dependency], version: str | None) -> Component:
    first = declarations[0]
    namespace, name = _purl_name(first.ecosystem, first.package)
    purl = PackageURL(type=_PURL_TYPES.get(first.ecosystem, "generic"), namespace=namespace, name=name,
                      version=version)
    ranges = {d.version for d in declarations if d.version and _pinned(d.version) is None}
    return Component(
        name=first.package, version=version, type=ComponentType.LIBRARY, purl=purl,
        bom_ref=f"library:{purl.to_string()}",
        properties=[*(Property(name="offramp:declared_in", value=f"{d.file}:{d.line}") for d in declarations),
                    *(Property(name="offramp:version_range", value=r) for r in ranges),
                    *(Property(name="offramp:provider", value=p) for d in declarations for p in d.providers)],
    )


def _purl_name(ecosystem: str, package: str) -> tuple[str | None, str]:
    if ecosystem == "maven" and ":" in package:
        group, artifact = package.split(":", 1)
        return group, artifact
    if "/" in package and (ecosystem == "go" or package.startswith("@")):
        namespace, name = package.rsplit("/", 1)
        return namespace, name
    return None, package


def _model(model_id: str, model: Model | None, risks: list[TargetRisk], paths: list[AssessedPath]) -> Component:
    properties = [*_findings(risks, paths),
                  *(Property(name="offramp:id_as_written", value=written)
                    for written in sorted({r.target.model for r in risks if r.target.model} - {model_id}))]
    if model is None:
        return Component(name=model_id, type=ComponentType.MACHINE_LEARNING_MODEL, bom_ref=f"model:{model_id}",
                         description="not in the Offramp catalog: weights and maker unknown",
                         properties=properties)
    properties += [Property(name="offramp:maker_jurisdiction", value=model.maker_jurisdiction),
                   *(Property(name="offramp:substitute", value=s.model) for s in model.substitutes),
                   Property(name="offramp:task", value=_TASKS[model.kind]),
                   *(Property(name="offramp:modality", value=modality) for modality in model.modalities)]
    if model.context_window:
        properties.append(Property(name="offramp:context_window", value=str(model.context_window)))
    return Component(
        name=model.id, type=ComponentType.MACHINE_LEARNING_MODEL, bom_ref=f"model:{model_id}",
        group=model.maker, description=model.name, manufacturer=OrganizationalEntity(name=model.maker),
        licenses=[_licence(model.licence)], properties=properties,
    )


def _licence(licence: str) -> DisjunctiveLicense:
    return DisjunctiveLicense(id=licence) if is_supported_id(licence) else DisjunctiveLicense(name=licence)


def _service(provider_id: str, provider: Provider | None, risks: list[TargetRisk],
             paths: list[AssessedPath]) -> Service:
    endpoints = [XsUri(f"https://{host}") for host in provider.hosts if "*" not in host] if provider else []
    endpoints += [XsUri(url) for url in provider.base_urls] if provider else []
    return Service(
        name=provider.name if provider else provider_id, bom_ref=f"provider:{provider_id}",
        provider=OrganizationalEntity(name=provider.name if provider else provider_id),
        endpoints=endpoints, authenticated=bool(provider and provider.key_env) or None,
        x_trust_boundary=not (provider and provider.self_hosted),
        properties=[Property(name="offramp:provider", value=provider_id),
                    Property(name="offramp:trust_zone",
                             value="self-hosted" if provider and provider.self_hosted else "third-party"),
                    *_findings(risks, paths)],
    )


def _findings(risks: list[TargetRisk], paths: list[AssessedPath]) -> Iterable[Property]:
    """What Offramp concluded about a model or provider over every path that reaches it."""
    jurisdictions = sorted({r.jurisdiction for r in risks if r.jurisdiction})
    yield Property(name="offramp:jurisdiction", value=",".join(jurisdictions) or "unknown")
    weights = {r.open_weights for r in risks}
    yield Property(name="offramp:open_weights",
                   value="unknown" if weights == {None} else str(False not in weights and None not in weights).lower())
    yield Property(name="offramp:at_risk", value=str(any(r.at_risk for r in risks)).lower())
    critical = [p for p in paths if p.critical]
    yield Property(name="offramp:critical_paths", value=str(len({id(p) for p in critical})))
    yield Property(name="offramp:exposed_paths", value=str(len({id(p) for p in critical if p.exposed_no_fallback})))
    if hours := [p.replacement_hours for p in critical if p.at_risk]:
        yield Property(name="offramp:replacement_hours", value=f"{max(hours):g}")


def _numbers(assessment: Assessment) -> list[Property]:
    numbers = assessment.numbers
    return [Property(name=f"offramp:{name}", value=value) for name, value in (
        ("exposure_48h", f"{numbers.exposure_48h:.4f}"),
        ("exposure_no_fallback", f"{numbers.exposure_no_fallback:.4f}"),
        ("critical_paths", str(numbers.critical_paths)),
        ("exposed_48h", str(numbers.exposed_48h)),
        ("exposed_no_fallback", str(numbers.exposed_no_fallback)),
        ("at_risk", ",".join(assessment.policy.at_risk) or "none"),
    )]
