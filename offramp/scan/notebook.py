"""Jupyter notebooks: their code cells, analysed as one Python module, reported where they are written.

Cells run in order in one namespace, so they are joined into one module (a client made in cell 2 is
called in cell 5). A cell that is not Python (``%%bash``, a ``!pip`` line the shell runs) is left out, or
the line is; the rest of the notebook is still read. Each finding keeps the notebook's own line, in the
``.ipynb`` file, and names its cell.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass

from offramp.scan.config.errors import ConfigError
from offramp.scan.findings import InferencePath

_SHELL_PREFIXES = ("%", "!", "?")


@dataclass(frozen=True)
class Notebook:
    source: str
    """The code cells as one Python module."""
    origin: list[tuple[int, int]]
    """For each line of ``source`` (0-based): (cell number from 1, line in the .ipynb file)."""

    def place(self, line: int) -> tuple[int, int]:
        """(cell, line in the .ipynb file) of a line of ``source`` (1-based)."""
        return self.origin[line - 1] if 0 < line <= len(self.origin) else (0, line)


def place_in_notebook(paths: list[InferencePath], notebook: Notebook) -> None:
    """Paths found in ``notebook.source`` point into the .ipynb file, and their function names the cell."""
    for path in paths:
        cell, path.line = notebook.place(path.line)
        path.end_line = max(path.line, notebook.place(path.end_line)[1])
        path.function = f"cell {cell}" + (f": {path.function}" if path.function else "")


def notebook_code(text: str) -> Notebook:
    """The code of a notebook; raises :class:`ConfigError` when the file is not a notebook."""
    try:
        cells = json.loads(text).get("cells")
    except (json.JSONDecodeError, AttributeError, RecursionError):
        raise ConfigError("not a Jupyter notebook (invalid JSON or no cells)") from None
    if not isinstance(cells, list):
        raise ConfigError("not a Jupyter notebook (no list of cells)")
    finder = _LineFinder(text)
    lines: list[str] = []
    origin: list[tuple[int, int]] = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        pieces = cell.get("source", [])
        pieces = [pieces] if isinstance(pieces, str) else [p for p in pieces if isinstance(p, str)]
        cell_lines: list[tuple[str, int]] = []
        for piece in pieces:
            written_at = finder.line_of(piece)
            cell_lines += [(line, written_at) for line in piece.splitlines()]
        code = [("" if line.lstrip().startswith(_SHELL_PREFIXES) else line) for line, _ in cell_lines]
        if not _parses("\n".join(code)):
            code = [""] * len(code)
        lines += code
        origin += [(number, written_at) for _, written_at in cell_lines]
    return Notebook("\n".join(lines) + "\n", origin)


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


class _LineFinder:
    """The line of each source string in the notebook's JSON, searched forward in document order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = 0
        self.line = 1

    def line_of(self, piece: str) -> int:
        forms = {json.dumps(piece, ensure_ascii=False), json.dumps(piece)}
        found = [p for form in forms if (p := self.text.find(form, self.cursor)) >= 0]
        if not found:
            return self.line
        position = min(found)
        self.line += self.text.count("\n", self.cursor, position)
        self.cursor = position
        return self.line
