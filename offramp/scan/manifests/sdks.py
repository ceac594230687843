"""Which packages are AI SDKs, and for which providers: the catalog's ``sdks`` plus ``libraries.toml``."""

import fnmatch
import re
from functools import cache, lru_cache
from typing import Literal

from offramp.catalog import Catalog
from offramp.datafiles import DATA_MODEL, bundled_model
from offramp.records import Field, Record

Ecosystem = Literal["pypi", "npm", "go", "maven"]
_GO_MAJOR = re.compile(r"/v\d+$")


class _Libraries(Record):
    model_config = DATA_MODEL
    schema_version: Literal[1]
    multi_provider: dict[Ecosystem, tuple[str, ...]]
    wrapper_suffixes: dict[Ecosystem, tuple[str, ...]] = Field(default_factory=dict)
    go_modules: dict[str, str]


class LibrariesError(ValueError):
    """``libraries.toml`` is invalid; the message names the field."""


def normalise(ecosystem: str, package: str) -> str:
    """The form packages are compared in: PEP 503 names for PyPI, Go module paths without /vN."""
    if ecosystem == "pypi":
        return re.sub(r"[-_.]+", "-", package).lower()
    if ecosystem == "go":
        return _GO_MAJOR.sub("", package)
    return package


class SdkIndex:
    def __init__(self, catalog: Catalog) -> None:
        libraries = _libraries()
        self._multi = libraries.multi_provider
        self._wrapper_suffixes = libraries.wrapper_suffixes
        self._owners: dict[tuple[str, str], list[str]] = {}
        for provider in catalog.providers.values():
            for ecosystem, packages in provider.sdks.items():
                for package in packages:
                    if ecosystem == "go":
                        package = libraries.go_modules.get(package, package)
                    owners = self._owners.setdefault((ecosystem, normalise(ecosystem, package)), [])
                    if provider.id not in owners:
                        owners.append(provider.id)

    def providers(self, ecosystem: Ecosystem, package: str) -> tuple[str, ...] | None:
        """The providers whose SDK ``package`` is; () for a multi-provider library; None when it is not
        an AI SDK at all."""
        name = normalise(ecosystem, package)
        if owners := self._owners.get((ecosystem, name)):
            return tuple(owners)
        for suffix in self._wrapper_suffixes.get(ecosystem, ()):
            if name.endswith(suffix) and (owners := self._owners.get((ecosystem, name.removesuffix(suffix)))):
                return tuple(owners)
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in self._multi.get(ecosystem, ())):
            return ()
        return None


@lru_cache(maxsize=8)
def sdk_index(catalog: Catalog) -> SdkIndex:
    """One index per catalog (catalogs hash by identity)."""
    return SdkIndex(catalog)


@cache
def _libraries() -> _Libraries:
    return bundled_model("offramp.scan.manifests", "libraries.toml", _Libraries, LibrariesError)
