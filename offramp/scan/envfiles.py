"""Env variables as the product's configuration sets them: ``.env`` files, docker-compose and Kubernetes
env blocks, Spring properties. Code that reads a variable takes these values; each remembers whether a
code path read it, so that the rest can be reported as configuration no code was linked to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

ENV_FILE_PREFIX = ".env"


def is_env_file(name: str) -> bool:
    """``.env``, ``.env.example``, ``.env.production``... but not ``.envrc`` (a shell script)."""
    return name == ENV_FILE_PREFIX or name.startswith(ENV_FILE_PREFIX + ".")


@dataclass(frozen=True)
class EnvValue:
    value: str
    file: str
    line: int


@dataclass
class EnvValues:
    """Every value each variable takes in the tree's configuration."""

    by_name: dict[str, list[EnvValue]] = field(default_factory=dict)
    read: set[str] = field(default_factory=set)
    """Variables some code path read."""

    def add(self, name: str, value: str, file: str, line: int) -> None:
        if value:
            self.by_name.setdefault(name, []).append(EnvValue(value, file, line))

    def get(self, name: str) -> list[EnvValue]:
        self.read.add(name)
        return self.by_name.get(name, [])

    def items(self) -> Iterable[tuple[str, list[EnvValue]]]:
        return self.by_name.items()
