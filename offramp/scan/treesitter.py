"""What the tree-sitter analysers share."""

from __future__ import annotations

from collections.abc import Callable, Container

from tree_sitter import Node

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


def walk_scopes(root: Node, top: Scope, enter: Callable[[Node, str, Scope], Scope],
                visit: Callable[[Node, str, Scope], None], scope_of: dict[int, Scope], *,
                opens: Container[str], records: Container[str]) -> None:
    """One depth-first pass over the named nodes of a file (those below an unnamed one are not visited).

    ``enter(node, kind, scope)`` returns the scope a node of a kind in ``opens`` opens for its children (a
    class's, a function's); ``visit(node, kind, scope)`` records what a node of a kind in ``records`` binds or
    is, in the scope it is in. ``scope_of`` gets, for each of those nodes, the scope of its children. Most
    nodes are of neither kind: for them the pass only moves on.
    """
    # A cursor moves through the tree without a Node object for each child list; an unnamed node (a token)
    # is passed over with what it holds, as ``named_children`` would leave it out.
    cursor = root.walk()
    scope = top
    outer: list[Scope] = []
    while True:
        node = cursor.node
        if node is not None and node.is_named:
            kind = node.type
            inner = scope
            if kind in opens:
                inner = scope_of[node.id] = enter(node, kind, scope)
                if kind in records:
                    visit(node, kind, scope)
            elif kind in records:
                scope_of[node.id] = scope
                visit(node, kind, scope)
            if cursor.goto_first_child():
                outer.append(scope)
                scope = inner
                continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return
            scope = outer.pop()
