"""Dependency manifests: every AI SDK a product declares or locks, with its version, file and line.

``parse_manifest`` reads one file; ``manifest_kind`` says whether (and as what) a file is read; the walker
collects ``MANIFEST_NAMES``, ``MANIFEST_NAME_PREFIXES`` and ``MANIFEST_SUFFIXES``. Which packages are AI
SDKs comes from the catalog (each provider's ``sdks``) and from ``libraries.toml`` (multi-provider
libraries such as LiteLLM, LangChain, the Vercel AI SDK, LangChain4j and Spring AI).

Lock files report every AI SDK they lock, transitive ones included: that is what gets installed.
"""

from __future__ import annotations

from collections.abc import Callable

from offramp.catalog import Catalog
from offramp.scan.config.errors import ConfigError
from offramp.scan.findings import Dependency
from offramp.scan.manifests import go, maven, npm, python
from offramp.scan.manifests.declared import Declared, Wanted
from offramp.scan.manifests.sdks import Ecosystem, sdk_index

Reader = Callable[[str, Wanted], list[Declared]]

READERS: dict[str, tuple[Ecosystem, Reader]] = {
    "pyproject.toml": ("pypi", python.pyproject_toml),
    "Pipfile": ("pypi", python.pipfile),
    "Pipfile.lock": ("pypi", python.pipfile_lock),
    "poetry.lock": ("pypi", python.package_lock_toml),
    "uv.lock": ("pypi", python.package_lock_toml),
    "package.json": ("npm", npm.package_json),
    "package-lock.json": ("npm", npm.package_lock_json),
    "npm-shrinkwrap.json": ("npm", npm.package_lock_json),
    "pnpm-lock.yaml": ("npm", npm.pnpm_lock),
    "yarn.lock": ("npm", npm.yarn_lock),
    "go.mod": ("go", go.go_mod),
    "pom.xml": ("maven", maven.pom_xml),
    "build.gradle": ("maven", maven.build_gradle),
    "build.gradle.kts": ("maven", maven.build_gradle),
    "libs.versions.toml": ("maven", maven.gradle_version_catalog),
}
REQUIREMENTS = "requirements"

MANIFEST_NAMES = frozenset(READERS)
MANIFEST_NAME_PREFIXES = (REQUIREMENTS,)
"""``requirements.txt``, ``requirements-dev.txt``, ``requirements.in``..."""
MANIFEST_SUFFIXES = frozenset({".txt"})
"""For ``requirements/base.txt``-style folders; :func:`manifest_kind` keeps only those."""


def manifest_kind(relpath: str) -> str | None:
    """The manifest format of a file (its reader's name), or None when it is not a dependency manifest."""
    folder, _, name = relpath.rpartition("/")
    if name in READERS:
        return name
    if name.endswith((".txt", ".in")) and (name.startswith(REQUIREMENTS) or folder.endswith(REQUIREMENTS)):
        return "requirements.txt"
    return None


def parse_manifest(relpath: str, text: str, catalog: Catalog) -> list[Dependency]:
    """The AI SDKs a manifest declares or locks. Returns [] for a file that is not a manifest; raises
    :class:`ConfigError` when the file is not valid in its format."""
    kind = manifest_kind(relpath)
    if kind is None:
        return []
    ecosystem, reader = READERS.get(kind, ("pypi", python.requirements_txt))
    index = sdk_index(catalog)
    try:
        declared = reader(text, lambda package: index.providers(ecosystem, package) is not None)
    except RecursionError:
        raise ConfigError("nested too deeply to read") from None
    return [
        Dependency(ecosystem, entry.package, entry.version, relpath, entry.line,
                   index.providers(ecosystem, entry.package) or ())
        for entry in declared
    ]


__all__ = ["MANIFEST_NAMES", "MANIFEST_NAME_PREFIXES", "MANIFEST_SUFFIXES", "ConfigError", "manifest_kind",
           "parse_manifest"]
