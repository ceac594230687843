"""npm manifests: package.json, package-lock.json (and npm-shrinkwrap.json), pnpm-lock.yaml, yarn.lock."""

from __future__ import annotations

import json
import re

from offramp.scan.config.errors import ConfigError
from offramp.scan.config.structured import json_data, load_json
from offramp.scan.config.tree import Scalar
from offramp.scan.manifests.declared import Declared, Wanted, find_line, line_at

DEPENDENCY_SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
_NODE_MODULES = "node_modules/"
_PNPM_PACKAGE = re.compile(r"^  (['\"]?)/?(@?[^@'\"\s(]+)[@/]([^'\"():\s_]+)[^:]*\1:\s*$", re.MULTILINE)
_YARN_VERSION = re.compile(r"^\s+version:?\s+\"?([^\"\s]+)\"?\s*$")


def package_json(text: str, wanted: Wanted) -> list[Declared]:
    tree = load_json(text)
    found = []
    for section in DEPENDENCY_SECTIONS:
        dependencies = tree.get(section) if isinstance(tree, dict) else None
        for name, spec in dependencies.items() if isinstance(dependencies, dict) else ():
            if wanted(name) and isinstance(spec, Scalar):
                found.append(Declared(name, spec.text or None, spec.line))
    return found


def package_lock_json(text: str, wanted: Wanted) -> list[Declared]:
    """Lock files v2 and v3 list ``packages`` by install path; v1 nests ``dependencies``."""
    data = json_data(text)
    if not isinstance(data, dict):
        raise ConfigError("not an npm lock file: the top level is not an object")
    found = []
    packages = data.get("packages")
    if isinstance(packages, dict):
        for path, entry in packages.items():
            name = path.rpartition(_NODE_MODULES)[2] if _NODE_MODULES in path else None
            if name and wanted(name) and isinstance(entry, dict):
                found.append(Declared(name, _text(entry.get("version")), find_line(text, [json.dumps(path) + ":"])))
        return found
    stack = [data.get("dependencies")]
    while stack:
        dependencies = stack.pop()
        for name, entry in dependencies.items() if isinstance(dependencies, dict) else ():
            if isinstance(entry, dict):
                if wanted(name):
                    found.append(Declared(name, _text(entry.get("version")), find_line(text, [json.dumps(name) + ":"])))
                stack.append(entry.get("dependencies"))
    return found


def pnpm_lock(text: str, wanted: Wanted) -> list[Declared]:
    """Package keys of every lock format since pnpm 5: ``/name/1.0.0``, ``/name@1.0.0(peers)``,
    ``name@1.0.0``, ``'@scope/name@1.0.0'``, read line by line (a YAML loader would cost seconds)."""
    if "lockfileVersion" not in text[:200]:
        raise ConfigError("not a pnpm lock file: no lockfileVersion at the top")
    section = re.search(r"^packages:\s*$", text, re.MULTILINE)
    if section is None:
        return []
    end = re.compile(r"^\S", re.MULTILINE).search(text, section.end())
    found = []
    for match in _PNPM_PACKAGE.finditer(text, section.end(), end.start() if end else len(text)):
        if wanted(match.group(2)):
            found.append(Declared(match.group(2), match.group(3), line_at(text, match.start())))
    return found


def yarn_lock(text: str, wanted: Wanted) -> list[Declared]:
    """Classic (v1) and Berry entries: ``"name@^1.0.0", name@^1.1.0:`` then an indented ``version``."""
    found = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if not line or line[0] in " \t#" or not line.rstrip().endswith(":"):
            continue
        first = line.rstrip()[:-1].split(",")[0].strip().strip('"')
        name = first[: first.find("@", 1)] if first.find("@", 1) > 0 else ""
        if not name or not wanted(name):
            continue
        version = None
        for following in lines[index + 1 :]:
            if following and following[0] not in " \t":
                break
            if match := _YARN_VERSION.match(following):
                version = match.group(1)
                break
        found.append(Declared(name, version, index + 1))
    return found


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
