"""Builds the scopes (:mod:`offramp.scan.scopes`) of a Python module in one pass over its AST."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import ClassVar, Literal

from offramp.scan.scopes import LONG_STRING, Binder, BinderKind, Scope

KEYWORDS = "**"
"""The payload of a ``**kwargs`` parameter's binder."""


class ScopeBuilder(ast.NodeVisitor):
    """One pass over a module that records every binder and the scope of every node that needs one."""

    def __init__(self, tree: ast.Module) -> None:
        self.module_scope = Scope("module", "<module>", None, tree)
        self.scope_of: dict[int, Scope] = {}
        self.classes: dict[str, Scope] = {}
        # Collected on the same pass, so that the analyser never walks the tree again.
        self.calls: list[ast.Call] = []
        self.long_strings: list[ast.Constant] = []
        self.imports: list[ast.Import | ast.ImportFrom] = []
        self.tries: list[ast.Try | ast.TryStar] = []
        self.awaited: set[int] = set()
        """ids of calls that are awaited or entered with ``async with``."""
        self.returns: dict[int, list[ast.Return]] = {}
        """Return statements with a value, by the id of their function's node."""
        self.mapped_stores: dict[int, list[tuple[ast.Call, ast.For | ast.AsyncFor | None, Scope]]] = {}
        """Calls that set fields by a computed name (``setattr(self, key, value)``, ``self.__dict__.update(m)``),
        by the id of their class's scope, with the loop they are in."""
        self._loops: list[ast.For | ast.AsyncFor] = []
        self.attached: dict[int, list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]] = {}
        """Module functions assigned to a class's attribute (``Bot.reply = _reply``), by the id of the class's
        scope: methods of that class, defined outside it."""
        self._functions: dict[str, Scope] = {}
        self._attachments: list[tuple[str, str, str]] = []
        self._entries: list[tuple[str, Binder]] = []
        self._scope = self.module_scope
        self.visit(tree)
        self._attach_methods()
        self._add_entries()

    def _add_entries(self) -> None:
        """Stores into a mapping held by a module-level name (a registry filled at import time or by a setup
        function) add to that name's mapping: each reader sees every entry. A local mapping keeps only what it is
        built with, since the scanner does not follow the order of statements."""
        for name, binder in self._entries:
            found = binder.scope.lookup(name)
            if found is not None and found[0] is self.module_scope:
                self.module_scope.bind(name, binder)

    def _attach_methods(self) -> None:
        """A module function assigned to a class attribute is a method of that class: its first parameter is the
        instance, and callers reach it as ``obj.attr(...)``."""
        for cls_name, attr, function in self._attachments:
            cls, scope = self.classes.get(cls_name), self._functions.get(function)
            if cls is None or scope is None or scope.owner_class is not None:
                continue
            scope.owner_class = cls
            scope.name = f"{cls_name}.{attr}"
            self.attached.setdefault(id(cls), []).append((attr, scope.node))  # type: ignore[arg-type]

    # -- scopes --------------------------------------------------------------------------------------

    def _enter(self, kind: Literal["class", "function"], node: ast.AST, name: str) -> Scope:
        scope = Scope(kind, name, self._scope, node)
        if kind == "function" and self._scope.kind == "class":
            scope.owner_class = self._scope
        elif kind == "function" and self._scope.owner_class is not None and name == "<lambda>":
            scope.owner_class = self._scope.owner_class
        return scope

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        name = getattr(node, "name", "<lambda>")
        if not isinstance(node, ast.Lambda):
            self._scope.defs.add(name)
            for decorator in node.decorator_list:
                self.visit(decorator)
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)
        scope = self._enter("function", node, name)
        self.scope_of[id(node)] = scope
        if self._scope.kind == "module" and not isinstance(node, ast.Lambda):
            self._functions[name] = scope
        self._bind_params(node.args, scope)
        outer, self._scope = self._scope, scope
        for child in [node.body] if isinstance(node, ast.Lambda) else node.body:
            self.visit(child)
        self._scope = outer
        if outer.kind == "class" and not isinstance(node, ast.Lambda) and _is_getter(node):
            # self.api_base reads what the property returns.
            for returned in self.returns.get(id(node), []):
                outer.self_attrs.setdefault(name, []).append(Binder("expr", returned.value, scope))

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _visit_function

    def _bind_params(self, args: ast.arguments, scope: Scope) -> None:
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        pairs = [*zip(positional, defaults, strict=True), *zip(args.kwonlyargs, args.kw_defaults, strict=True)]
        bindings = scope.bindings
        for arg, default in pairs:
            bindings.setdefault(arg.arg, []).append(Binder("param", arg, scope, default))
        if args.kwarg is not None:  # **kwargs: the keywords callers pass that no other parameter takes
            scope.bind(args.kwarg.arg, Binder("param", args.kwarg, scope, KEYWORDS))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._scope.defs.add(node.name)
        for expr in [*node.bases, *node.keywords, *node.decorator_list]:
            self.visit(expr)
        scope = self._enter("class", node, node.name)
        self.scope_of[id(node)] = scope
        if self._scope.kind == "module":
            self.classes[node.name] = scope
        outer, self._scope = self._scope, scope
        for child in node.body:
            self.visit(child)
        self._scope = outer

    # -- binders -------------------------------------------------------------------------------------

    def _bind_target(self, target: ast.expr, value: ast.expr | None, kind: BinderKind = "expr") -> None:
        if isinstance(target, ast.Name):
            self._scope.bind(target.id, Binder(kind, value, self._scope))
        elif isinstance(target, ast.Tuple | ast.List):
            values = value.elts if isinstance(value, ast.Tuple | ast.List) and kind == "expr" else None
            for index, element in enumerate(target.elts):
                if values is None and kind == "expr" and isinstance(element, ast.Name | ast.Attribute) and not any(
                        isinstance(e, ast.Starred) for e in target.elts[:index]):
                    # provider, model = spec.split(":", 1) (or self.provider, self.model = ...): each name
                    # holds its item of the value
                    if isinstance(element, ast.Name):
                        self._scope.bind(element.id, Binder("unpacked", value, self._scope, index))
                    else:
                        self._bind_self_attr(element, value, "unpacked", index)
                    continue
                self._bind_target(element, values[index] if values and index < len(values) else None, kind)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            self._bind_self_attr(target, value, kind)
        elif isinstance(target, ast.Attribute) and isinstance(field := target.value, ast.Attribute) and \
                isinstance(field.value, ast.Name) and (owner := self._scope.owner_class) is not None and \
                field.value.id == _first_param(self._scope.node):  # self.config.model = "gpt-4o-mini"
            owner.field_stores.setdefault((field.attr, target.attr), []).append(Binder(kind, value, self._scope))
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, None, kind)

    def _bind_self_attr(self, target: ast.Attribute, value: ast.expr | None, kind: BinderKind,
                        payload: object = None) -> None:
        owner = self._scope.owner_class
        if owner is None or not isinstance(target.value, ast.Name):
            return
        method = self._scope
        first_param = _first_param(method.node)
        if target.value.id == first_param:
            owner.self_attrs.setdefault(target.attr, []).append(Binder(kind, value, self._scope, payload))

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        target = node.targets[0]
        if self._scope.kind == "module" and len(node.targets) == 1 and isinstance(node.value, ast.Name) and \
                isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            self._attachments.append((target.value.id, target.attr, node.value.id))
        for target in node.targets:
            if type(target) is ast.Name:  # most assignments: straight to the binding
                self._scope.bindings.setdefault(target.id, []).append(Binder("expr", node.value, self._scope))
            else:
                self._bind_target(target, node.value)
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    self._entries.append((target.value.id, Binder("entry", node.value, self._scope, target.slice)))
            if self._scope.kind == "class" and isinstance(target, ast.Name):
                self._scope.self_attrs.setdefault(target.id, []).append(Binder("expr", node.value, self._scope))

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        self._bind_target(node.target, node.value)
        if self._scope.kind == "class" and isinstance(node.target, ast.Name):  # the payload: its declared type
            self._scope.self_attrs.setdefault(node.target.id, []).append(
                Binder("expr", node.value, self._scope, node.annotation))

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self._bind_target(node.target, node.value)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self._bind_target(node.target, node.iter, "element")
        self._loops.append(node)
        for child in node.body:
            self.visit(child)
        self._loops.pop()
        for child in node.orelse:
            self.visit(child)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        if isinstance(node, ast.AsyncWith):
            self.awaited.update(id(item.context_expr) for item in node.items)
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self._bind_target(item.optional_vars, item.context_expr)
        for child in node.body:
            self.visit(child)

    visit_AsyncWith = visit_With

    def visit_Call(self, node: ast.Call) -> None:
        self.scope_of[id(node)] = self._scope
        self.calls.append(node)
        owner = self._scope.owner_class
        if owner is not None and (target := _field_store_target(node)) is not None and \
                target == _first_param(self._scope.node):
            name = node.args[1] if len(node.args) == 3 else None
            if isinstance(name, ast.Constant) and isinstance(name.value, str):  # setattr(self, "model", m)
                owner.self_attrs.setdefault(name.value, []).append(Binder("expr", node.args[2], self._scope))
            else:
                loop = self._loops[-1] if self._loops else None
                self.mapped_stores.setdefault(id(owner), []).append((node, loop, self._scope))
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "update" and isinstance(func.value, ast.Name) and \
                len(node.args) == 1 and not node.keywords:
            self._entries.append((func.value.id, Binder("entry", node.args[0], self._scope)))
        # The children as generic_visit would visit them, without a call for each: a callee's attribute chain
        # down to its root, the arguments, the keywords' values.
        handlers = self._handlers
        while type(func) is ast.Attribute:
            func = func.value  # type: ignore[attr-defined]
        if (visit := handlers.get(type(func))) is not None:
            visit(self, func)
        for item in node.args + [keyword.value for keyword in node.keywords]:
            if (kind := type(item)) is ast.Constant:
                if type(item.value) is str and len(item.value) >= LONG_STRING:
                    self.long_strings.append(item)
            elif (visit := handlers.get(kind)) is not None:
                visit(self, item)

    def visit_Import(self, node: ast.Import) -> None:
        self.imports.append(node)
        for alias in node.names:
            if alias.asname:
                self._scope.bind(alias.asname, Binder("import", node, self._scope, ("module", alias.name)))
            else:
                root = alias.name.split(".")[0]
                self._scope.bind(root, Binder("import", node, self._scope, ("module", root)))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.imports.append(node)
        for alias in node.names:
            if alias.name == "*":
                continue
            name = alias.asname or alias.name
            self._scope.bind(name, Binder("import", node, self._scope, ("from", node.module, node.level, alias.name)))

    def visit(self, node: ast.AST) -> None:
        if (visit := self._handlers.get(type(node))) is not None:
            visit(self, node)

    # The visitors below run for most nodes of every file: each looks only at the children that can hold a
    # node it records something for, and a name (a quarter of all nodes) records nothing, so it has none.

    def visit_Constant(self, node: ast.Constant) -> None:
        if type(node.value) is str and len(node.value) >= LONG_STRING:
            self.long_strings.append(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        value = node.value
        while type(value) is ast.Attribute:  # a chain a.b.c: one call, not one per link
            value = value.value  # type: ignore[attr-defined]
        if (visit := self._handlers.get(type(value))) is not None:
            visit(self, value)

    def visit_keyword(self, node: ast.keyword) -> None:
        if (visit := self._handlers.get(type(node.value))) is not None:
            visit(self, node.value)

    visit_Expr = visit_keyword

    def visit_Await(self, node: ast.Await) -> None:
        if type(node.value) is ast.Call:
            self.awaited.add(id(node.value))
        self.generic_visit(node)

    def visit_Try(self, node: ast.Try | ast.TryStar) -> None:
        self.tries.append(node)
        self.generic_visit(node)

    visit_TryStar = visit_Try

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None and self._scope.kind == "function":
            self.returns.setdefault(id(self._scope.node), []).append(node)
        self.generic_visit(node)

    def generic_visit(self, node: ast.AST) -> None:
        handlers = self._handlers
        for name in _CHILD_FIELDS[type(node)]:
            value = getattr(node, name, None)
            for item in value if type(value) is list else (value,):
                if (kind := type(item)) is ast.Constant:  # a fifth of the nodes visited: no call for them
                    if type(item.value) is str and len(item.value) >= LONG_STRING:
                        self.long_strings.append(item)
                elif (visit := handlers.get(kind)) is not None:
                    visit(self, item)

    _handlers: ClassVar[dict[type, Callable[[ScopeBuilder, ast.AST], None]]]
    """The visitor of each node type, looked up once per class instead of by name for every node; none for a
    node that holds nothing to record (a name, a marker such as Load or Add)."""


def _node_types(base: type = ast.AST) -> list[type]:
    found = []
    for kind in base.__subclasses__():
        found += [kind, *_node_types(kind)]
    return found


_MARKERS = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {
    kind: tuple(f for f in kind._fields if f not in ("ctx", "op", "ops")) for kind in _node_types()}
"""The fields of each node type that may hold nodes: 'ctx', 'op' and 'ops' hold only markers (a third of all nodes)."""
ScopeBuilder._handlers = {
    kind: getattr(ScopeBuilder, f"visit_{kind.__name__}", ScopeBuilder.generic_visit)
    for kind in _CHILD_FIELDS if kind is not ast.Name and not issubclass(kind, _MARKERS)}


GETTER_DECORATORS = frozenset({"property", "cached_property"})


def _is_getter(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``@property``, ``@functools.cached_property``: read as an attribute, evaluated as a call."""
    for decorator in node.decorator_list:
        name = decorator.attr if isinstance(decorator, ast.Attribute) else getattr(decorator, "id", None)
        if name in GETTER_DECORATORS:
            return True
    return False


def _field_store_target(call: ast.Call) -> str | None:
    """The name of the object whose fields ``setattr(obj, name, value)`` or ``obj.__dict__.update(mapping)`` sets."""
    func = call.func
    if isinstance(func, ast.Name) and func.id == "setattr" and len(call.args) == 3:
        target = call.args[0]
    elif isinstance(func, ast.Attribute) and func.attr == "update" and len(call.args) == 1 and \
            isinstance(func.value, ast.Attribute) and func.value.attr == "__dict__":
        target = func.value.value
    else:
        return None
    return target.id if isinstance(target, ast.Name) else None


def _first_param(node: ast.AST) -> str | None:
    args = getattr(node, "args", None)
    if isinstance(args, ast.arguments):
        positional = [*args.posonlyargs, *args.args]
        return positional[0].arg if positional else None
    return None
