"""Values from ``.env`` files: the defaults a product actually runs with."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from dotenv import dotenv_values

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
    """Every value each variable takes in the tree's env files."""

    by_name: dict[str, list[EnvValue]] = field(default_factory=dict)

    def add_file(self, relpath: str, text: str) -> None:
        values = dotenv_values(stream=io.StringIO(text), interpolate=False)
        lines = text.splitlines()
        for name, value in values.items():
            if not value:
                continue
            line = next((i for i, t in enumerate(lines, 1) if t.lstrip().removeprefix("export ").startswith(name)), 0)
            self.by_name.setdefault(name, []).append(EnvValue(value, relpath, line))

    def get(self, name: str) -> list[EnvValue]:
        return self.by_name.get(name, [])

    def items(self) -> Iterable[tuple[str, list[EnvValue]]]:
        return self.by_name.items()
