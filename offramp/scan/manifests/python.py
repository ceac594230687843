"""PyPI manifests: requirements files, pyproject.toml (PEP 621, PEP 735 groups, Poetry, uv), Pipfile,
and the lock files Pipfile.lock, poetry.lock and uv.lock."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from offramp.scan.config.structured import json_data, load_toml, toml_data
from offramp.scan.config.tree import Node, Scalar
from offramp.scan.manifests.declared import Declared, Wanted, find_line

if TYPE_CHECKING:
    from packaging.requirements import Requirement

_COMMENT = re.compile(r"(?:^|\s)#.*$")


def requirements_txt(text: str, wanted: Wanted) -> list[Declared]:
    """pip's format: one PEP 508 requirement a line, ``\\`` continuations, ``#`` comments, options
    (``-r``, ``-e``, ``--hash``) ignored. A line pip itself could not read is passed over."""
    found = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        start = index
        logical = lines[index]
        index += 1
        while logical.endswith("\\") and index < len(lines):
            logical = logical[:-1] + " " + lines[index]
            index += 1
        logical = _COMMENT.sub("", logical).split(" --", 1)[0].strip()
        if not logical or logical.startswith("-"):
            continue
        if (requirement := _requirement(logical)) and wanted(requirement.name):
            found.append(Declared(requirement.name, str(requirement.specifier) or None, start + 1))
    return found


def pyproject_toml(text: str, wanted: Wanted) -> list[Declared]:
    tree = load_toml(text)
    project = _table(tree, "project")
    poetry = _table(_table(tree, "tool"), "poetry")
    found = _pep508_list(project.get("dependencies"), wanted)
    for group in _table(project, "optional-dependencies").values():
        found += _pep508_list(group, wanted)
    for group in _table(tree, "dependency-groups").values():
        found += _pep508_list(group, wanted)
    found += _pep508_list(_table(_table(tree, "tool"), "uv").get("dev-dependencies"), wanted)
    found += _name_tables([_table(poetry, "dependencies"), _table(poetry, "dev-dependencies"),
                           *(_table(g, "dependencies") for g in _table(poetry, "group").values())], wanted)
    return found


def pipfile(text: str, wanted: Wanted) -> list[Declared]:
    tree = load_toml(text)
    return _name_tables([_table(tree, "packages"), _table(tree, "dev-packages")], wanted)


def pipfile_lock(text: str, wanted: Wanted) -> list[Declared]:
    data = json_data(text)
    found = []
    for section in ("default", "develop"):
        packages = data.get(section) if isinstance(data, dict) else None
        for name, entry in packages.items() if isinstance(packages, dict) else ():
            if wanted(name) and isinstance(entry, dict):
                version = entry.get("version")
                found.append(Declared(name, version.lstrip("=") if isinstance(version, str) else None,
                                      find_line(text, [json.dumps(name) + ":"])))
    return found


def package_lock_toml(text: str, wanted: Wanted) -> list[Declared]:
    """poetry.lock and uv.lock: ``[[package]]`` tables with a name and a version."""
    data = toml_data(text)
    found = []
    cursor = 0
    for package in data.get("package", []):
        name = package.get("name") if isinstance(package, dict) else None
        if isinstance(name, str) and wanted(name):
            needle = f"name = {json.dumps(name)}"
            position = text.find(needle, cursor)
            cursor = max(cursor, position)
            line = text.count("\n", 0, position) + 1 if position >= 0 else find_line(text, [needle])
            version = package.get("version")
            found.append(Declared(name, version if isinstance(version, str) else None, line))
    return found


def _requirement(text: str) -> Requirement | None:
    from packaging.requirements import InvalidRequirement, Requirement  # only for trees with Python manifests

    try:
        return Requirement(text)
    except InvalidRequirement:
        return None


def _table(node: Node | dict[str, Any], key: str) -> dict[str, Node]:
    child = node.get(key) if isinstance(node, dict) else None
    return child if isinstance(child, dict) else {}


def _pep508_list(node: Node | None, wanted: Wanted) -> list[Declared]:
    found = []
    for item in node if isinstance(node, list) else ():
        if isinstance(item, Scalar) and (requirement := _requirement(item.text)) and wanted(requirement.name):
            found.append(Declared(requirement.name, str(requirement.specifier) or None, item.line))
    return found


def _name_tables(tables: list[dict[str, Node]], wanted: Wanted) -> list[Declared]:
    """Poetry's and Pipfile's ``name = "^1.0"`` or ``name = { version = "^1.0", ... }`` tables."""
    found = []
    for table in tables:
        for name, spec in table.items():
            if name == "python" or not wanted(name):
                continue
            version = spec if isinstance(spec, Scalar) else (spec.get("version") if isinstance(spec, dict) else None)
            located = version if isinstance(version, Scalar) else _first_scalar(spec)
            text = version.text if isinstance(version, Scalar) and version.text not in ("", "*") else None
            found.append(Declared(name, text, located.line if located else 1))
    return found


def _first_scalar(node: Node) -> Scalar | None:
    if isinstance(node, Scalar):
        return node if node.line else None
    children = node.values() if isinstance(node, dict) else node
    return next((s for child in children if (s := _first_scalar(child))), None)
