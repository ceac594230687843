"""What the tree-sitter analysers share."""

from __future__ import annotations

from collections.abc import Callable, Set
from functools import cache

from tree_sitter import Language, Node, Query, QueryCursor

from offramp.scan.scopes import Scope

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


def walk_scopes(root: Node, language: Language, top: Scope, enter: Callable[[Node, str, Scope], Scope],
                visit: Callable[[Node, str, Scope], None], scope_of: dict[int, Scope], *,
                opens: Set[str], records: Set[str]) -> None:
    """One pass, in source order, over the nodes of a file of the kinds that open a scope (``opens``) or
    that a front end records (``records``); named nodes of other kinds are not visited.

    ``enter(node, kind, scope)`` returns the scope a node of ``opens`` opens for its children (a class's, a
    function's); ``visit(node, kind, scope)`` records what a node of ``records`` binds or is, in the scope it is
    in. ``scope_of`` gets, for each of those nodes, the scope of its children.
    """
    # Tree-sitter finds the nodes of those kinds in C (most nodes are of neither, and stepping through each one
    # from Python was most of the pass); nesting follows from byte ranges, as a node lies inside an opener
    # exactly when it starts before the opener ends.
    scope = top
    outer: list[tuple[int, Scope]] = []  # (where an enclosing opener ends, the scope around it)
    for node in _nodes_of_kinds(root, language, opens | records):
        start = node.start_byte
        while outer and start >= outer[-1][0]:
            scope = outer.pop()[1]
        kind = node.type
        if kind in opens:
            inner = enter(node, kind, scope)
            scope_of[node.id] = inner
            if kind in records:
                visit(node, kind, scope)
            outer.append((node.end_byte, scope))
            scope = inner
        else:
            scope_of[node.id] = scope
            visit(node, kind, scope)


def _nodes_of_kinds(root: Node, language: Language, kinds: Set[str]) -> list[Node]:
    """The named nodes of these kinds under ``root`` (itself included), parents before their children and
    otherwise in source order."""
    found = QueryCursor(_query(language, frozenset(kinds))).captures(root).get("node", [])
    found.sort(key=lambda node: (node.start_byte, -node.end_byte))
    if any(found[i].byte_range == found[i - 1].byte_range for i in range(1, len(found))):
        found.sort(key=lambda node: (node.start_byte, -node.end_byte, _depth(node)))  # a parent spanning just its child
    return found


def _depth(node: Node) -> int:
    depth = 0
    while (parent := node.parent) is not None:
        depth, node = depth + 1, parent
    return depth


@cache
def _query(language: Language, kinds: frozenset[str]) -> Query:
    known = sorted(kind for kind in kinds if language.id_for_node_kind(kind, True) is not None)
    return Query(language, "[" + " ".join(f"({kind})" for kind in known) + "] @node")
