"""Projects in a tree: the folders that hold a build manifest (pom.xml, package.json, pyproject.toml, go.mod...).

A repository of many applications (a monorepo, a folder of examples) configures each one on its own: the
settings and the declared dependencies of one project say nothing about its sibling's code. Code sees what its
own project and the projects that enclose it declare; a file outside every project belongs to the tree's root.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PROJECT_MANIFESTS = frozenset({
    "pyproject.toml", "Pipfile", "setup.py", "package.json", "go.mod", "pom.xml", "build.gradle", "build.gradle.kts",
})
"""Files that make their folder a project of its own (lock files and requirements lists sit beside one)."""
_MANIFEST_ENDINGS = tuple(PROJECT_MANIFESTS)


@dataclass(frozen=True)
class Projects:
    folders: frozenset[str] = frozenset()
    """Relative paths of the folders that hold a project manifest; '' is the tree's root."""

    @classmethod
    def of(cls, relpaths: Iterable[str]) -> Projects:
        """The projects that these files of a tree (relative paths) make."""
        # endswith first: one test in C per file of a large tree, where few files are manifests
        found = (relpath.rpartition("/") for relpath in relpaths if relpath.endswith(_MANIFEST_ENDINGS))
        return cls(frozenset(folder for folder, _, name in found if name in PROJECT_MANIFESTS))

    def project_of(self, relpath: str) -> str:
        """The nearest folder above a file that holds a project manifest; '' (the tree) when none does."""
        folder = relpath.rpartition("/")[0]
        while folder and folder not in self.folders:
            folder = folder.rpartition("/")[0]
        return folder

    def sees(self, code: str, declared_in: str) -> bool:
        """Whether code at ``code`` belongs to the project of a file at ``declared_in`` (or to one inside it)."""
        project = self.project_of(declared_in)
        return not project or code.startswith(project + "/")


ONE_PROJECT = Projects()
"""A tree read as a single project: every file sees all of its configuration."""
