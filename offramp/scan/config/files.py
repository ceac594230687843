"""Which files hold configuration, and in which format: decided by name (and, for JSON, by folder)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Literal

from offramp.scan.config.rules import config_rules
from offramp.scan.envfiles import ENV_FILE_PREFIX, is_env_file

Family = Literal["dotenv", "compose", "yaml", "json", "toml", "properties", "terraform"]

SUFFIX_FAMILIES: dict[str, Family] = {
    ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml", ".properties": "properties",
    ".tf": "terraform",
}


def config_suffixes() -> frozenset[str]:
    """File suffixes the walker must collect for :func:`config_family` to choose from."""
    return frozenset(SUFFIX_FAMILIES)


def config_name_prefixes() -> tuple[str, ...]:
    """File-name prefixes the walker must collect: ``.env``, ``.env.local``, ``.env.production``..."""
    return (ENV_FILE_PREFIX,)


def config_family(relpath: str) -> Family | None:
    """The format of a configuration file, or None when the file is not configuration (a lock file, a
    manifest, JSON data)."""
    folder, _, name = relpath.rpartition("/")
    if is_env_file(name):
        return "dotenv"
    files = config_rules().files
    if name in files.not_config:
        return None
    dot = name.rfind(".")
    family = SUFFIX_FAMILIES.get(name[dot:].lower()) if dot > 0 else None
    if family == "yaml" and _matches(name, files.compose):
        return "compose"
    if family == "json" and not (_matches(name.lower(), files.json_names)
                                 or files.json_folders.intersection(folder.split("/"))):
        return None
    return family


def is_helm_values(relpath: str) -> bool:
    return _matches(relpath.rpartition("/")[2], config_rules().files.helm_values)


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    return _any_of(patterns)(name) is not None


@lru_cache(maxsize=16)
def _any_of(patterns: tuple[str, ...]) -> Callable[[str], re.Match[str] | None]:
    """One regex for all of ``patterns`` (fnmatch's, case-sensitive): every JSON and YAML file of the tree is
    asked, and one ``fnmatchcase`` per pattern cost more than reading the file's name deserves."""
    return re.compile("|".join(map(fnmatch.translate, patterns)) or "(?!)").match
