"""What the tree-sitter analysers share."""

from __future__ import annotations

from tree_sitter import Node

MAX_ERROR_SHARE = 0.2
"""A file more of which tree-sitter cannot parse is not of its language (or not yet): reported as skipped."""


def node_text(node: Node | None) -> str:
    """The source text of a node (empty for none)."""
    return node.text.decode(errors="replace") if node is not None and node.text is not None else ""


def error_share(root: Node) -> float:
    """How much of the file tree-sitter could not parse (TypeScript it does not know yet is tolerated)."""
    errors = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            errors += node.end_byte - node.start_byte
            continue
        if node.has_error:
            stack.extend(node.children)
    return errors / max(root.end_byte, 1)
