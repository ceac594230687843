"""Phase one: one Python file, alone. Finds inference calls and records what every name may hold.

The result, :class:`ModuleFacts`, is plain picklable data; phase two (:mod:`.resolve`) joins the facts of
all files to resolve imports, settings objects and environment variables.
"""

from __future__ import annotations

import ast
import sys
from bisect import bisect_left, bisect_right
from dataclasses import replace
from typing import Literal

from offramp.scan.detect import CallSite, Detector
from offramp.scan.facts import CallFact, ClassFacts, ModuleFacts, RawPath, module_name
from offramp.scan.python.scopes import KEYWORDS, ScopeBuilder
from offramp.scan.rules import LanguageRules
from offramp.scan.scopes import Binder, Memo, Scope, release
from offramp.scan.templates import format_template, percent_template
from offramp.scan.values import (
    SPREAD,
    Attr,
    Binding,
    CallResult,
    Choice,
    Client,
    Concat,
    DictVal,
    Env,
    HttpClient,
    Instance,
    Item,
    ListVal,
    Lit,
    MappedFields,
    Member,
    ModelHandle,
    ModuleRef,
    Param,
    Pieces,
    Ref,
    Router,
    Unknown,
    Value,
    at_key,
    choice,
    dotted,
    named,
    replaced,
    spread_into,
)

MAX_DEPTH = 40
_MEMBER_OWNERS = frozenset({Client, Router, Binding, HttpClient, ModelHandle})
"""Values whose attributes are members: ``client.chat`` is the chain 'chat' on that client."""
_FUNCTION_NODES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda})
_LITERAL_TYPES = frozenset({str, int, float, bool})
"""The constants a literal value holds (bytes, complex numbers and ``...`` hold none)."""
MAX_RETURNS = 8
"""A function with more return statements than this is a dispatcher; what it returns stays unknown."""


class Analyzer:
    """Evaluates expressions of one module to symbolic values and collects inference calls."""

    def __init__(self, tree: ast.Module, source: str, relpath: str, rules: LanguageRules) -> None:
        self.rules = rules
        self.lines = source.splitlines()
        self.facts = ModuleFacts(module_name(relpath), relpath, "python")
        self.detector = Detector(rules, self.facts)
        self.is_package = relpath.endswith("__init__.py")
        self.scopes = ScopeBuilder(tree)
        self._stored_fields = {key for cls in self.scopes.classes.values() for key in cls.field_stores}
        """(field, attribute) of every ``self.field.attribute = ...`` in the module's classes."""
        self._memo: Memo[Value] = Memo()
        self._raw_at: dict[tuple[int, int], RawPath] = {}
        self._secret = rules.secret_regex
        self._unknowns: dict[str, Unknown] = {}
        self._unknown_nodes: dict[int, Unknown] = {}
        self._unbound: dict[str, Value] = {}
        """What a name no scope binds is (a function of this module, else unknown): most calls read one."""
        self._tree = tree

    # -- entry point ---------------------------------------------------------------------------------

    def run(self, *, eager: bool = True) -> ModuleFacts:
        """Find the calls; with ``eager=False``, evaluate the module's names only if it has any."""
        module = self.scopes.module_scope
        self._record_sdk_imports(module)
        for call in self.scopes.calls:
            self._visit_call(call)
        for constant in self.scopes.long_strings:
            if match := self._secret.search(constant.value):
                self.facts.literal_secrets.append((constant.lineno, match.group()))
        self._link_try_fallbacks()
        if not eager and not self.facts.paths and not self.facts.links:
            self.facts.complete = False
            for name, scope in self.scopes.classes.items():  # the class tree, for whose constructor runs
                self.facts.classes[name] = self._class_outline(scope)
            return self.facts
        for name in module.bindings:
            value = self._name(name, module)
            if not isinstance(value, Unknown):
                self.facts.names[name] = value
        for name, scope in self.scopes.classes.items():
            self.facts.classes[name] = self._class_facts(scope)
        for node in self._tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):  # known by name even when its return is not
                self.facts.functions[node.name] = self._returns(node) or Unknown(f"{node.name}()")
        return self.facts

    def _loaded_module(self, name: str) -> ModuleRef:
        """The module an import function loads by name (a lazy import): imported as ``import name`` is."""
        if not self.rules.is_library_module(name):
            self.facts.imports.add(name)
        self.facts.sdk_imports |= self.rules.rules_imported_by(name)
        return ModuleRef(name)

    def _record_sdk_imports(self, module: Scope) -> None:
        for node in self.scopes.imports:
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.ImportFrom):  # relative: always the product's own
                absolute = self._absolute(node.module, node.level)
                self.facts.imports.update([absolute, *(f"{absolute}.{a.name}" for a in node.names)])
                continue
            else:
                continue
            if not self.rules.is_library_module(names[0]):
                self.facts.imports.update(names)
            found = frozenset().union(*map(self.rules.rules_imported_by, names))
            if isinstance(node, ast.ImportFrom):
                found = self.rules.used_by_members(found, {a.name for a in node.names})
            self.facts.sdk_imports |= found

    # -- evaluation ----------------------------------------------------------------------------------

    def evaluate(self, node: ast.AST | None, scope: Scope, depth: int = 0) -> Value:
        if node is None:
            return Unknown("None")
        if depth > MAX_DEPTH:
            return Unknown(self._source(node))
        # Names and attributes are most of what is evaluated: straight to them, past the patterns below.
        kind = type(node)
        if kind is ast.Name:
            return self._name(node.id, scope, depth + 1)  # type: ignore[attr-defined]
        if kind is ast.Attribute:
            return self._attribute(node, node.value, node.attr, scope, depth)  # type: ignore[attr-defined,arg-type]
        if kind is ast.Call:
            return self._call_value(node, scope, depth)  # type: ignore[arg-type]
        if kind is ast.Constant:  # an argument's literal, as often as a name: past the patterns below too
            value = node.value  # type: ignore[attr-defined]
            return Lit(value) if value is None or type(value) in _LITERAL_TYPES else Unknown(self._source(node))
        match node:
            case ast.JoinedStr(values=values):
                return Concat(tuple(self.evaluate(v, scope, depth + 1) for v in values))
            case ast.FormattedValue(value=inner, format_spec=None, conversion=-1):
                return self.evaluate(inner, scope, depth + 1)
            case ast.BinOp(left=left, op=ast.Add(), right=right):
                return Concat((self.evaluate(left, scope, depth + 1), self.evaluate(right, scope, depth + 1)))
            case ast.BinOp(left=ast.Constant(value=str() as template), op=ast.Mod(), right=right):
                values = right.elts if isinstance(right, ast.Tuple) else [right]
                return percent_template(template, [self.evaluate(v, scope, depth + 1) for v in values])
            case ast.Name(id=name):
                return self._name(name, scope, depth + 1)
            case ast.Attribute(value=base, attr=attr):
                return self._attribute(node, base, attr, scope, depth)
            case ast.Subscript(value=base, slice=key):
                return self._subscript(base, key, scope, depth)
            case ast.Call():
                return self._call_value(node, scope, depth)
            case ast.IfExp(body=body, orelse=orelse):
                return choice([self.evaluate(body, scope, depth + 1), self.evaluate(orelse, scope, depth + 1)])
            case ast.BoolOp(op=ast.Or(), values=values):
                return choice([self.evaluate(v, scope, depth + 1) for v in values])
            case ast.Dict(keys=keys, values=values):
                items: list[tuple[Value, Value]] = []
                for k, v in zip(keys, values, strict=True):
                    if k is None:
                        spread_into(items, self.evaluate(v, scope, depth + 1))
                    else:
                        items.append((self.evaluate(k, scope, depth + 1), self.evaluate(v, scope, depth + 1)))
                return DictVal(tuple(items))
            case ast.List(elts=elts) | ast.Tuple(elts=elts) | ast.Set(elts=elts):
                return ListVal(tuple(self.evaluate(e, scope, depth + 1) for e in elts))
            case ast.Await(value=inner) | ast.Starred(value=inner) | ast.NamedExpr(value=inner):
                return self.evaluate(inner, scope, depth + 1)
            case ast.Lambda(body=body):
                return self.evaluate(body, self.scopes.scope_of.get(id(node), scope), depth + 1)
        return Unknown(self._source(node))

    def _name(self, name: str, scope: Scope, depth: int = 0) -> Value:
        found = scope.lookup(name)
        if found is None:  # a function or class of this module (defined, not assigned), or unknown
            unbound = self._unbound.get(name)
            if unbound is None:
                unbound = self._unbound[name] = Ref(self.facts.module, name) \
                    if name in self.scopes.module_scope.defs else self._unknown_name(name)
            return unbound
        owner, binders = found
        # A name's value is memoised, so it must not depend on how deep its first reader was (a long chain
        # would leave `client` cut off for every later call): it starts from depth 0; the memo stops cycles.
        key = (id(owner), name)
        value = self._memo.known(key)
        if value is None:
            value = self._memo.get(key, lambda: self._bound_value(binders, name), self._unknown_name(name))
        return named(value, name) if type(value) is Lit else value

    def _bound_value(self, binders: list[Binder], name: str) -> Value:
        """What the binders of a name give it: any of its values, with the entries stored into it (a module-level
        registry) added to each mapping it may be."""
        value = choice([self._binder(b, name, 0) for b in binders if b.kind != "entry"])
        entries: list[tuple[Value, Value]] = []
        for binder in binders:
            if binder.kind != "entry":
                continue
            stored = self.evaluate(binder.node, binder.scope, 1)
            if binder.payload is not None:  # registry[key] = value
                entries.append((self.evaluate(binder.payload, binder.scope, 1), stored))
            elif isinstance(stored, DictVal):  # registry.update({...})
                entries.extend(stored.items)
            else:  # registry.update(mapping made elsewhere): read like {**mapping}
                spread_into(entries, stored)
        if not entries:
            return value
        options = value.options if isinstance(value, Choice) else (value,)
        return choice([DictVal(o.items + tuple(entries)) if isinstance(o, DictVal) else o for o in options])

    # An Unknown is immutable: one per name (or expression) serves every read of it, and building a frozen
    # dataclass costs more than the lookup.

    def _unknown_name(self, name: str) -> Unknown:
        made = self._unknowns.get(name)
        if made is None:
            made = self._unknowns[name] = Unknown(name)
        return made

    def _unknown_expression(self, node: ast.AST) -> Unknown:
        made = self._unknown_nodes.get(id(node))
        if made is None:
            made = self._unknown_nodes[id(node)] = Unknown(self._source(node))
        return made

    def _binder(self, binder: Binder, name: str, depth: int) -> Value:
        match binder.kind:
            case "expr":
                return self.evaluate(binder.node, binder.scope, depth + 1)
            case "element":
                return Item(self.evaluate(binder.node, binder.scope, depth + 1), Unknown(f"element of {name}"))
            case "unpacked" if isinstance(binder.payload, int):
                return Item(self.evaluate(binder.node, binder.scope, depth + 1), Lit(binder.payload))
            case "import":
                return self._import(binder.payload)
            case "param":
                return self._param(binder, name, depth)
        return Unknown(name)

    def _param(self, binder: Binder, name: str, depth: int) -> Value:
        scope = binder.scope
        function = scope.node
        if type(function) not in _FUNCTION_NODES:
            return Unknown(f"parameter '{name}'")
        positional = [*function.args.posonlyargs, *function.args.args]
        is_method = scope.owner_class is not None and not any(
            isinstance(d, ast.Name) and d.id == "staticmethod" for d in getattr(function, "decorator_list", ()))
        if is_method and positional and positional[0] is binder.node:
            return Instance(self.facts.module, scope.owner_class.name)  # type: ignore[union-attr]
        qualname = scope.qualname() or name
        if binder.payload == KEYWORDS:
            declared = tuple(a.arg for a in [*positional, *function.args.kwonlyargs])
            return Param(self.facts.module, qualname, name, None, kind="**", declared=declared)
        default = binder.payload
        default_value = self.evaluate(default, scope.parent or scope, depth + 1) if isinstance(default, ast.expr) \
            else None
        annotation = getattr(binder.node, "annotation", None)
        if default_value is None and annotation is not None:
            typed = self.evaluate(annotation, scope.parent or scope, depth + 1)
            if (path := dotted(typed)) and (client := self.detector.client_for_type(
                    path, f"parameter '{name}' ({path}) built by the caller")):
                return client
        if isinstance(function, ast.Lambda):
            return default_value or Unknown(f"parameter '{name}'")
        index = next((i for i, a in enumerate(positional) if a is binder.node), None)
        position = None if index is None else index - (1 if is_method else 0)  # callers do not write self
        return Param(self.facts.module, qualname, name, position, default_value)

    def _import(self, payload: object) -> Value:
        match payload:
            case ("module", module):
                return ModuleRef(module)
            case ("from", module, level, name):
                absolute = self._absolute(module, level)
                if self.rules.is_library_module(absolute):
                    return Attr(ModuleRef(absolute), name)
                return Ref(absolute, name)
        return Unknown("import")

    def _absolute(self, module: str | None, level: int) -> str:
        if level == 0:
            return module or ""
        package = self.facts.module.split(".")
        if not self.is_package:
            package = package[:-1]
        base = package[: len(package) - (level - 1)] if level > 1 else package
        return ".".join([*base, module] if module else base)

    def _attribute(self, node: ast.Attribute, base: ast.expr, attr: str, scope: Scope, depth: int) -> Value:
        owner = self.evaluate(base, scope, depth + 1)
        kind = type(owner)
        if kind is Unknown:
            return self._unknown_expression(node)
        if kind is Instance and owner.module == self.facts.module:  # type: ignore[union-attr]
            cls = self.scopes.classes.get(owner.cls)  # type: ignore[union-attr]
            if cls is not None and attr in cls.self_attrs:
                return self._class_attr(cls, attr, depth)
        if (kind is Instance or kind is Ref) and owner.module == self.facts.module and \
                (inherited := self._sdk_member(owner, attr)) is not None:  # type: ignore[union-attr,arg-type]
            return inherited
        if kind in _MEMBER_OWNERS:
            return Member(owner, attr)
        if kind is Member:
            return Member(owner.owner, f"{owner.chain}.{attr}")  # type: ignore[union-attr]
        value = Attr(owner, attr)
        if (path := dotted(value)) and (instance := self.detector.instance_for(path)):
            return instance
        if type(base) is ast.Attribute and (base.attr, attr) in self._stored_fields and \
                (stores := self._field_stores(base, attr, scope, depth)):
            # `if not self.config.model: self.config.model = "gpt-4o-mini"`: what the field held, or what a
            # method of the class wrote into it
            return choice([value, *(self.evaluate(b.node, b.scope, depth + 1) for b in stores)])
        return value

    def _field_stores(self, field: ast.Attribute, attr: str, scope: Scope, depth: int) -> list[Binder]:
        """The writes of ``attr`` into the object a field of this module's class holds (``self.config.model = x``)."""
        owner = self.evaluate(field.value, scope, depth + 1)
        if type(owner) is not Instance or owner.module != self.facts.module:
            return []
        cls = self.scopes.classes.get(owner.cls)
        return cls.field_stores.get((field.attr, attr), []) if cls is not None else []

    def _sdk_member(self, owner: Instance | Ref, attr: str, seen: frozenset[str] = frozenset()) -> Value | None:
        """``attr`` of a product class that extends an SDK class (``class Api(ZhipuAI)``, ``class Gen(Generation)``),
        on the class itself or on an instance (when the class keeps the SDK's constructor): the SDK's member, where
        the product class leaves it to the SDK or overrides one of its operations (an override wraps the SDK's
        request)."""
        name = owner.cls if isinstance(owner, Instance) else owner.name
        cls = self.scopes.classes.get(name)
        if cls is None or name in seen or not isinstance(cls.node, ast.ClassDef) or not self._library_bases(cls):
            return None
        methods = {d.name for d in cls.node.body if isinstance(d, ast.FunctionDef | ast.AsyncFunctionDef)}
        if isinstance(owner, Instance) and "__init__" in methods:  # its own constructor: not the SDK's client
            return None
        defined = attr in cls.self_attrs or attr in methods
        for base in cls.node.bases:
            value = self.evaluate(base, cls.parent or self.scopes.module_scope, 1)
            if isinstance(value, Ref) and value.module == self.facts.module:
                parent = Instance(value.module, value.name) if isinstance(owner, Instance) else value
                if (found := self._sdk_member(parent, attr, seen | {name})) is not None:
                    return found
                continue
            path = dotted(value)
            if path is None or not self.rules.is_library_module(path):
                continue
            if isinstance(owner, Instance):
                client = self.detector.client_for_type(path, f"{name}, a subclass of {path}, built by the product")
                if client is not None and (not defined or self.detector.is_operation(client, attr)):
                    return Member(client, attr)
            elif not defined or self.detector.is_module_operation(f"{path}.{attr}"):
                return Attr(value, attr)
        return None

    def _library_bases(self, cls: Scope) -> bool:
        """Whether a class of this module extends, itself or through its bases here, a class of a known library."""
        def compute() -> bool:
            for base in getattr(cls.node, "bases", ()):
                value = self.evaluate(base, cls.parent or self.scopes.module_scope, 1)
                parent = self.scopes.classes.get(value.name) if isinstance(value, Ref) and \
                    value.module == self.facts.module else None
                if parent is not None and self._library_bases(parent):  # the memo cuts a cycle of bases
                    return True
                if (path := dotted(value)) is not None and self.rules.is_library_module(path):
                    return True
            return False

        return self._memo.get((id(cls), "library bases"), compute, False)

    def _class_attr(self, cls: Scope, attr: str, depth: int) -> Value:
        def compute() -> Value:
            # `llm: LLMConfig` declared with no value: an LLMConfig, built by whoever fills the field
            values = [made if b.node is None and (made := self._declared_instance(b.payload, cls)) is not None
                      else self._binder(b, attr, depth) for b in cls.self_attrs[attr]]
            return choice([v for v in values if not _is_none(v)] or values)

        return self._memo.get((id(cls), f"self.{attr}"), compute, Unknown(f"self.{attr}"))

    def _subscript(self, base: ast.expr, key: ast.expr, scope: Scope, depth: int) -> Value:
        owner = self.evaluate(base, scope, depth + 1)
        key_value = self.evaluate(key, scope, depth + 1)
        if dotted(owner) in self.rules.env_objects and isinstance(key_value, Lit) and isinstance(key_value.value, str):
            return Env(key_value.value)
        return Item(owner, key_value)

    # -- calls -------------------------------------------------------------------------------------

    def _site(self, node: ast.Call, scope: Scope, depth: int) -> CallSite:
        return CallSite(
            self.evaluate(node.func, scope, depth + 1), node.lineno, node.col_offset, _end(node),
            lambda: [self.evaluate(a, scope, depth + 1) for a in node.args],
            lambda: self._kwargs(node, scope, depth),
            describe=lambda: (self._snippet(node), self._source(node)), function=scope.qualname(),
            awaited=id(node) in self.scopes.awaited,
        )

    def _call_value(self, node: ast.Call, scope: Scope, depth: int) -> Value:
        site = self._site(node, scope, depth)
        func = site.func
        if site.path in self.rules.url_join_functions and len(site.args) >= 2:
            return Concat(tuple(site.args[:2]))
        if site.path in self.rules.module_loaders and site.args and isinstance(site.args[0], Lit) and \
                isinstance(site.args[0].value, str):
            return self._loaded_module(site.args[0].value)
        if (value := self.detector.call_value(site)) is not None:
            return value
        if isinstance(node.func, ast.Name) and scope.lookup(node.func.id) is None:
            if (value := self._builtin_call(node.func.id, site, scope)) is not None:
                return value
        elif isinstance(node.func, ast.Attribute) and (value := self._method_value(node.func.attr, func, site)):
            return value
        if isinstance(func, Ref) and func.module == self.facts.module and (made := self._sdk_subclass(func.name, site)):
            return made
        if type(func) is Ref or type(func) is Attr:
            if not self._may_be_product_code(func):
                return CallResult(func)
            return CallResult(func, tuple(site.args), tuple(site.kwargs.items()))
        return Unknown(site.source)

    def _sdk_subclass(self, name: str, site: CallSite, seen: frozenset[str] = frozenset()) -> Value | None:
        """A product class that extends an SDK client or binding and keeps its constructor: building one builds
        that SDK object, from the same arguments (a subclass that only adds methods is still the client)."""
        cls = self.scopes.classes.get(name)
        if cls is None or name in seen or not isinstance(cls.node, ast.ClassDef) or any(
                isinstance(d, ast.FunctionDef | ast.AsyncFunctionDef) and d.name == "__init__" for d in cls.node.body):
            return None
        for base in cls.node.bases:
            value = self.evaluate(base, cls.parent or self.scopes.module_scope, 1)
            if isinstance(value, Ref) and value.module == self.facts.module:
                made = self._sdk_subclass(value.name, site, seen | {name})
            else:
                made = self.detector.call_value(replace(site, func=value)) if dotted(value) else None
            if isinstance(made, Client | Binding):
                return made
        return None

    def _builtin_call(self, name: str, site: CallSite, scope: Scope) -> Value | None:
        method = scope.enclosing_function()
        if name == "super" and method is not None and method.owner_class is not None:
            # super().__init__(x) calls a base's method on this instance: it passes x to the base's parameters
            return Instance(self.facts.module, method.owner_class.name)
        args = site.args
        if name == "getattr" and len(args) >= 2:
            return Item(args[0], args[1], args[2] if len(args) > 2 else None, read="attr")
        if name == "dict":  # dict(base, key=value): the base's items, then the keywords
            items = tuple((Lit(k), v) for k, v in site.kwargs.items())
            if not args:
                return DictVal(items)
            if isinstance(args[0], DictVal):
                return DictVal(args[0].items + items)
            return args[0] if not items else None
        if name == "str" and len(args) == 1:
            return args[0]
        if name == "__import__" and args and isinstance(args[0], Lit) and isinstance(args[0].value, str):
            return ModuleRef(args[0].value.split(".")[0])  # without a fromlist, the top package
        return None

    def _method_value(self, method: str, func: Value, site: CallSite) -> Value | None:
        """What a setting read or a string method gives: ``conf().get("model", "gpt-4o")``, ``url.rstrip("/")``."""
        owner = func.base if isinstance(func, Attr) else None
        args = site.args
        if method in self.rules.setting_methods and args and not isinstance(func, Member):
            return Item(owner or func, args[0], args[1] if len(args) > 1 else None, read="get")
        kind = self.rules.value_methods.get(method)
        if kind == "same" and owner is not None:
            return owner
        if kind == "format" and isinstance(owner, Lit) and isinstance(owner.value, str):
            return format_template(owner.value, args, site.kwargs)
        if kind == "options":
            return self._declared_options()
        if kind in ("split", "partition") and owner is not None:
            return _cut(owner, method, args, site.kwargs)
        if kind == "replace" and owner is not None:
            return replaced(owner, args)
        return None

    def _declared_options(self) -> DictVal:
        """The parsed command line: each option the file declares, holding its default (the value it has when the
        option is not given). Options of all the file's parsers and argument groups count: a group or a
        subcommand's parser declares options that the main parser's result holds."""
        def compute() -> Value:
            items: list[tuple[Value, Value]] = []
            for call in self.scopes.calls:
                if not (isinstance(call.func, ast.Attribute) and call.func.attr in self.rules.option_methods):
                    continue
                keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
                dest = _option_dest(call.args, keywords.get("dest"))
                if dest is not None and "default" in keywords:
                    scope = self.scopes.scope_of.get(id(call), self.scopes.module_scope)
                    items.append((Lit(dest), self.evaluate(keywords["default"], scope, 1)))
            return DictVal(tuple(items))

        value = self._memo.get((id(self.scopes), "parsed options"), compute, DictVal(()))
        return value if isinstance(value, DictVal) else DictVal(())

    def _kwargs(self, node: ast.Call, scope: Scope, depth: int) -> dict[str, Value]:
        kwargs: dict[str, Value] = {}
        for keyword in node.keywords:
            value = self.evaluate(keyword.value, scope, depth + 1)
            if keyword.arg is not None:
                kwargs[keyword.arg] = value
            elif isinstance(value, DictVal):  # **params
                kwargs.update({k.value: v for k, v in value.items if isinstance(k, Lit) and isinstance(k.value, str)})
            else:  # a mapping built elsewhere (self._payload()): phase two reads its keys
                kwargs[SPREAD] = choice([kwargs[SPREAD], value]) if SPREAD in kwargs else value
        return kwargs

    def _visit_call(self, node: ast.Call) -> None:
        scope = self.scopes.scope_of.get(id(node), self.scopes.module_scope)
        site = self.detector.unwrap(self._site(node, scope, 0), lambda: _last_name(node.func),
                                    may_pass_operation=ast.Attribute in map(type, node.args))
        if raw := self.detector.detect(site):
            self._raw_at[(raw.line, raw.column)] = raw
        elif (callee := _last_name(node.func)) and self._may_be_product_code(site.func):
            self.facts.calls.setdefault(callee, []).append(
                CallFact(site.func, node.lineno, tuple(site.args), tuple(site.kwargs.items()), caller=scope.qualname()))
        elif isinstance(site.func, Item) and isinstance(site.func.base, DictVal):
            self._dispatched_calls(site, node.lineno)

    def _dispatched_calls(self, site: CallSite, line: int) -> None:
        """``factories[name](base_url=bases[name])``: a call of each product class or function a mapping holds,
        with the arguments read from other mappings by the same key taken at that key."""
        key = site.func.key  # type: ignore[union-attr]
        for entry, callee in site.func.base.items:  # type: ignore[union-attr]
            if not (isinstance(entry, Lit) and isinstance(callee, Ref) and self._may_be_product_code(callee)):
                continue
            args = tuple(at_key(a, key, entry) for a in site.args)
            kwargs = tuple((k, at_key(v, key, entry)) for k, v in site.kwargs.items())
            self.facts.calls.setdefault(callee.name, []).append(CallFact(callee, line, args, kwargs))

    def _may_be_product_code(self, func: Value) -> bool:
        """A call of a function or method the product may define: not a builtin's, the standard library's or a
        known SDK's (``logging.getLogger(...).info`` is not)."""
        while (kind := type(func)) is Attr or kind is CallResult:
            func = func.base if kind is Attr else func.func  # type: ignore[union-attr]
        if kind is ModuleRef:
            return func.module.split(".")[0] not in sys.stdlib_module_names and \
                not self.rules.is_library_module(func.module)  # type: ignore[union-attr]
        return kind is Ref or kind is Instance or kind is Param

    def _snippet(self, node: ast.AST) -> str:
        line = self.lines[node.lineno - 1].strip() if 0 < node.lineno <= len(self.lines) else ""
        return self.rules.redacted(line)[:160]

    def _source(self, node: ast.AST) -> str:
        """The expression as written (first 120 characters), for 'what hid this value' in reports."""
        line, end = getattr(node, "lineno", 0), getattr(node, "end_lineno", 0)
        if not 0 < line <= end <= len(self.lines):
            return type(node).__name__
        if line == end:
            # Columns count UTF-8 bytes: the same as characters in an ASCII line, which needs no encoding.
            written = self.lines[line - 1]
            text = written[node.col_offset : node.end_col_offset] if written.isascii() else \
                written.encode()[node.col_offset : node.end_col_offset].decode(errors="replace")
        else:
            text = " ".join(part.strip() for part in self.lines[line - 1 : min(end, line + 3)])
        return self.rules.redacted(text)[:120]

    def _link_try_fallbacks(self) -> None:
        """A call in ``try:`` whose ``except`` branch asks another model has that model as its fallback."""
        lines = sorted(line for line, _ in self._raw_at)
        for node in self.scopes.tries:
            # A fallback links two paths inside one try statement: most files have none, and walking every
            # try body to find that out was an eighth of the analysis.
            if bisect_right(lines, node.end_lineno or node.lineno) - bisect_left(lines, node.lineno) < 2:
                continue
            primaries = _calls_in(node.body, self._raw_at)
            backups = [p for handler in node.handlers for p in _calls_in(handler.body, self._raw_at)]
            if node.handlers:
                self.facts.link_try_fallbacks(
                    primaries, backups, f"except branch at line {node.handlers[0].lineno} calls another model")

    # -- facts for other modules ---------------------------------------------------------------------

    def _class_outline(self, scope: Scope) -> ClassFacts:
        """A class's bases and method names, without evaluating what its fields and methods hold."""
        node = scope.node
        bases = tuple(
            b for b in (_class_path(self.evaluate(base, scope.parent or scope)) or _last_name(base)
                        for base in getattr(node, "bases", ())) if b
        )
        defs = [s for s in getattr(node, "body", ()) if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)]
        return ClassFacts({}, bases, {d.name: Unknown(f"{scope.name}.{d.name}()") for d in defs})

    def _class_facts(self, scope: Scope) -> ClassFacts:
        node = scope.node
        bases = self._class_outline(scope).bases
        settings = any(b.endswith("BaseSettings") for b in bases)
        prefix = self._env_prefix(scope) if settings else ""
        attrs: dict[str, Value] = {}
        for attr in scope.self_attrs:
            value = self._field_default(scope, attr) or self._class_attr(scope, attr, 0)
            attrs[attr] = Env(f"{prefix}{attr}".upper(), value) if settings else value
        defs = [s for s in getattr(node, "body", ()) if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)]
        methods = {d.name: self._returns(d) or Unknown(f"{scope.name}.{d.name}()") for d in defs}
        methods |= {attr: self._returns(d) or Unknown(f"{scope.name}.{attr}()")
                    for attr, d in self.scopes.attached.get(id(scope), [])}
        stores = self.scopes.mapped_stores.get(id(scope), [])
        mapped = tuple(m for call, loop, method in stores if (m := self._mapped_fields(call, loop, method)))
        delegate = next((self._delegate(d) for d in defs if d.name == "__getattr__"), None)
        return ClassFacts(attrs, bases, methods, mapped, delegate)

    def _delegate(self, method: ast.FunctionDef | ast.AsyncFunctionDef) -> Value | None:
        """What ``__getattr__(self, name)`` returns the attributes of: ``X`` in ``return getattr(X, name)``."""
        scope = self.scopes.scope_of.get(id(method))
        params = method.args.args
        if scope is None or len(params) != 2:
            return None
        calls = [r.value for r in self.scopes.returns.get(id(method), []) if isinstance(r.value, ast.Call)]
        found = [self.evaluate(call.args[0], scope) for call in calls
                 if isinstance(call.func, ast.Name) and call.func.id == "getattr" and len(call.args) == 2
                 and isinstance(call.args[1], ast.Name) and call.args[1].id == params[1].arg]
        return choice(found) if found else None

    def _mapped_fields(self, call: ast.Call, loop: ast.For | ast.AsyncFor | None, scope: Scope) -> Value | None:
        """``self.__dict__.update(mapping)``, or ``setattr(self, key, value)`` in ``for key, value in
        mapping.items()`` (the key as it is, or its ``lower()``/``upper()``): fields named by the mapping's keys."""
        if len(call.args) == 1:
            return MappedFields(self.evaluate(call.args[0], scope))
        if loop is None or not (isinstance(loop.iter, ast.Call) and isinstance(loop.iter.func, ast.Attribute)
                                and loop.iter.func.attr == "items" and not loop.iter.args):
            return None
        names = loop.target.elts if isinstance(loop.target, ast.Tuple) else []
        if len(names) != 2 or not all(isinstance(n, ast.Name) for n in names):
            return None
        key, value = (n.id for n in names)  # type: ignore[attr-defined]
        case = _key_case(call.args[1], key)
        if case is None or not (isinstance(call.args[2], ast.Name) and call.args[2].id == value):
            return None
        # Other assignments to the value's name in the method override the mapping's value (an env variable).
        found = scope.lookup(value)
        overrides = [self._binder(b, value, 0) for b in (found[1] if found else []) if b.node is not loop.iter]
        return MappedFields(self.evaluate(loop.iter.func.value, scope), case, tuple(overrides))

    def _field_default(self, scope: Scope, attr: str) -> Value | None:
        """``x: str = Field(default=X)``, ``field(default=X)``, ``Field(X)`` and default factories hold X; a stored
        column (``models.URLField(default=None)``) holds its default or what is stored, and one declared with a
        product class (``models.ForeignKey(AiModelApi, ...)``) a row of that class."""
        for binder in scope.self_attrs[attr]:
            node = binder.node
            if not isinstance(node, ast.Call):
                continue
            if _last_name(node.func) not in ("Field", "field"):
                if (column := self._column(node, binder.scope)) is not None:
                    return column
                continue
            for keyword in node.keywords:
                if keyword.arg == "default":
                    return self.evaluate(keyword.value, binder.scope)
                if keyword.arg == "default_factory":
                    factory = keyword.value
                    return self.evaluate(factory.body if isinstance(factory, ast.Lambda) else factory, binder.scope)
            if node.args and not (isinstance(node.args[0], ast.Constant) and node.args[0].value is Ellipsis):
                return self.evaluate(node.args[0], binder.scope)
        return None

    def _column(self, node: ast.Call, scope: Scope) -> Value | None:
        """A field declared by a library call (not one of this module's functions) with a default, or with a
        product class as its first argument."""
        callee = self.evaluate(node.func, scope)
        if isinstance(callee, Ref) and callee.module == self.facts.module:
            return None
        first = self.evaluate(node.args[0], scope) if node.args else None
        default = next((self.evaluate(k.value, scope) for k in node.keywords if k.arg == "default"), None)
        held = CallResult(first, ()) if isinstance(first, Ref) else None  # a row of the related model
        if held is None and default is None:
            return None
        stored = held or Unknown(f"the value stored in {self._source(node)}")
        return choice([stored, default]) if default is not None else stored

    def _env_prefix(self, scope: Scope) -> str:
        config = scope.self_attrs.get("model_config")
        if config:
            value = self.evaluate(config[0].node, scope)
            if isinstance(value, CallResult | Attr | Unknown):
                call = config[0].node
                if isinstance(call, ast.Call):
                    for keyword in call.keywords:
                        if keyword.arg == "env_prefix" and isinstance(keyword.value, ast.Constant):
                            return str(keyword.value.value)
        return ""

    def _returns(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Value | None:
        scope = self.scopes.scope_of.get(id(node))
        if scope is None:
            return None
        returns = self.scopes.returns.get(id(node), [])
        declared = self._declared_instance(node.returns, scope.parent or scope)  # -> "Config": a Config
        if not returns or len(returns) > MAX_RETURNS:
            return declared
        values = [v for v in (self.evaluate(r.value, scope) for r in returns) if not isinstance(v, Unknown)]
        values += [declared] if declared is not None else []
        return choice(values) if values else None

    def _declared_instance(self, annotation: object, scope: Scope) -> Value | None:
        """An instance of the product class a type annotation names (``LLMConfig``, ``"Config"``), else None."""
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str) and \
                annotation.value.isidentifier():
            named = self._name(annotation.value, scope)
        elif isinstance(annotation, ast.Name | ast.Attribute):
            named = self.evaluate(annotation, scope)
        else:
            return None
        return CallResult(named) if isinstance(named, Ref) else None


def _calls_in(body: list[ast.stmt], by_position: dict[tuple[int, int], RawPath]) -> list[RawPath]:
    found = []
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and (path := by_position.get((node.lineno, node.col_offset))):
                found.append(path)
    return found


def _class_path(value: Value) -> str | None:
    """'acme.llm.Base' for a base class imported from the product or an SDK."""
    if isinstance(value, Ref):
        return f"{value.module}.{value.name}"
    return dotted(value)


def _cut(text: Value, method: str, args: list[Value], kwargs: dict[str, Value]) -> Value | None:
    """``s.split(":", 1)``, ``s.rsplit("/")``, ``s.partition(":")``: the pieces, cut once ``s`` is known. Without a
    separator, split cuts at runs of whitespace, which a single separator cannot say: left unknown."""
    separator = args[0] if args else kwargs.get("sep")
    limit = args[1] if len(args) > 1 else kwargs.get("maxsplit", Lit(-1))
    if not (isinstance(separator, Lit) and isinstance(separator.value, str) and separator.value):
        return None
    if not (isinstance(limit, Lit) and isinstance(limit.value, int)):
        return None
    if method.endswith("partition"):
        return Pieces(text, separator.value, 1, method.startswith("r"), keep_separator=True)
    return Pieces(text, separator.value, limit.value, method.startswith("r"))


def _option_dest(names: list[ast.expr], dest: ast.expr | None) -> str | None:
    """Where argparse stores an option: ``dest=``, else its first long name ('--grader-model' -> 'grader_model'),
    else its first name (a short option or a positional)."""
    if isinstance(dest, ast.Constant) and isinstance(dest.value, str):
        return dest.value
    spelled = [n.value for n in names if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    chosen = next((n for n in spelled if n.startswith("--")), spelled[0] if spelled else None)
    return chosen.lstrip("-").replace("-", "_") if chosen else None


def _key_case(name: ast.expr, key: str) -> Literal["", "lower", "upper"] | None:
    """How a field name is made from a loop's key: the key itself, ``key.lower()`` or ``key.upper()``."""
    if isinstance(name, ast.Name) and name.id == key:
        return ""
    if isinstance(name, ast.Call) and not name.args and isinstance(name.func, ast.Attribute) and \
            isinstance(name.func.value, ast.Name) and name.func.value.id == key:
        return "lower" if name.func.attr == "lower" else "upper" if name.func.attr == "upper" else None
    return None


def _is_none(value: Value) -> bool:
    return isinstance(value, Lit) and value.value is None


def _last_name(node: ast.expr) -> str | None:
    kind = type(node)
    if kind is ast.Name:
        return node.id  # type: ignore[attr-defined]
    if kind is ast.Attribute:
        return node.attr  # type: ignore[attr-defined]
    return None


def _end(node: ast.AST) -> int:
    return getattr(node, "end_lineno", None) or getattr(node, "lineno", 0)


def analyze_source(source: str, relpath: str, rules: LanguageRules, *, eager: bool = True) -> ModuleFacts:
    """Parse and analyse one file. Raises SyntaxError, RecursionError or ValueError on bad input."""
    analyzer = Analyzer(ast.parse(source, filename=relpath), source, relpath, rules)
    try:
        return analyzer.run(eager=eager)
    finally:
        release((analyzer.scopes.module_scope, *analyzer.scopes.scope_of.values()))
