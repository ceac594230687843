"""Phase one: one Python file, alone. Finds inference calls and records what every name may hold.

The result, :class:`ModuleFacts`, is plain picklable data; phase two (:mod:`.resolve`) joins the facts of
all files to resolve imports, settings objects and environment variables.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from offramp.scan.findings import PathKind
from offramp.scan.python.scopes import Binder, Scope, ScopeBuilder
from offramp.scan.python.values import (
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
    Member,
    ModuleRef,
    Ref,
    Router,
    Unknown,
    Value,
    choice,
    dotted,
)
from offramp.scan.rules import BindingRule, FunctionRule, PythonRules, SdkRule

MAX_DEPTH = 40
MAX_STRING_EVIDENCE = 80


@dataclass
class RawPath:
    """An inference call as phase one sees it; phase two resolves its values into targets."""

    line: int
    column: int
    end_line: int
    kind: PathKind
    sdk: str
    operation: str
    operation_kind: str
    provider: str
    """Provider the construct reaches by default; '' when the model id or base URL decides."""
    model: Value | None = None
    base_url: Value | None = None
    receiver: Value | None = None
    """The object called: a client, router, or one phase one cannot see (resolved in phase two)."""
    chain: str = ""
    url: Value | None = None
    body: Value | None = None
    fallbacks: tuple[Value, ...] = ()
    fallback_why: str = ""
    arguments: tuple[str, ...] = ()
    argument_values: tuple[str, ...] = ()
    method: str = ""
    streaming: bool = False
    is_async: bool = False
    snippet: str = ""
    function: str | None = None
    fallback_only: bool = False
    """Part of another path as its fallback (an except branch), not a path of its own."""


@dataclass(frozen=True)
class FallbackLink:
    """``primary.with_fallbacks([...])``: the primary's location gains these fallbacks."""

    primary: Value
    fallbacks: tuple[Value, ...]
    why: str


@dataclass
class ClassFacts:
    attrs: dict[str, Value]
    bases: tuple[str, ...]


@dataclass
class ModuleFacts:
    module: str
    relpath: str
    names: dict[str, Value] = field(default_factory=dict)
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    functions: dict[str, Value] = field(default_factory=dict)
    """What each module-level function returns."""
    sdk_imports: set[str] = field(default_factory=set)
    paths: list[RawPath] = field(default_factory=list)
    links: list[FallbackLink] = field(default_factory=list)
    literal_secrets: list[tuple[int, str]] = field(default_factory=list)
    """(line, literal) of API keys written into the code; redacted before leaving the scanner."""
    complete: bool = True
    """False when names, classes and functions were not evaluated (a file with no inference call);
    phase two analyses it again, fully, if another module imports from it."""


def module_name(relpath: str) -> str:
    """'src/acme/api/chat.py' -> 'src.acme.api.chat'; '__init__.py' names its package."""
    parts = relpath[: -len(".py")].split("/") if relpath.endswith(".py") else relpath.split("/")
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


class Analyzer:
    """Evaluates expressions of one module to symbolic values and collects inference calls."""

    def __init__(self, tree: ast.Module, source: str, relpath: str, rules: PythonRules) -> None:
        self.rules = rules
        self.lines = source.splitlines()
        self.facts = ModuleFacts(module_name(relpath), relpath)
        self.is_package = relpath.endswith("__init__.py")
        self.scopes = ScopeBuilder(tree)
        self._sdk_roots = rules.import_roots()
        self._memo: dict[tuple[int, str], Value] = {}
        self._active: set[tuple[int, str]] = set()
        self._emitted: dict[int, RawPath] = {}
        self._tree = tree

    # -- entry point ---------------------------------------------------------------------------------

    def run(self, *, eager: bool = True) -> ModuleFacts:
        """Find the calls; with ``eager=False``, evaluate the module's names only if it has any."""
        module = self.scopes.module_scope
        self._record_sdk_imports(module)
        for call in self.scopes.calls:
            self._visit_call(call)
        for constant in self.scopes.long_strings:
            if match := self.rules.secret_regex.search(constant.value):
                self.facts.literal_secrets.append((constant.lineno, match.group()))
        self._link_try_fallbacks()
        if not eager and not self.facts.paths and not self.facts.links:
            self.facts.complete = False
            return self.facts
        for name in module.bindings:
            value = self._name(name, module)
            if not isinstance(value, Unknown):
                self.facts.names[name] = value
        for name, scope in self.scopes.classes.items():
            self.facts.classes[name] = self._class_facts(scope)
        for node in self._tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                returned = self._returns(node)
                if returned is not None:
                    self.facts.functions[node.name] = returned
        return self.facts

    def _record_sdk_imports(self, module: Scope) -> None:
        for node in self.scopes.imports:
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            else:
                continue
            for name in names:
                for rule in (*self.rules.sdk, *self.rules.binding, *self.rules.function):
                    if any(name == m or name.startswith(m + ".") for m in rule.modules):
                        self.facts.sdk_imports.add(rule.id)

    # -- evaluation ----------------------------------------------------------------------------------

    def evaluate(self, node: ast.AST | None, scope: Scope, depth: int = 0) -> Value:
        if node is None:
            return Unknown("None")
        if depth > MAX_DEPTH:
            return Unknown(self._source(node))
        match node:
            case ast.Constant(value=value) if isinstance(value, str | int | float | bool) or value is None:
                return Lit(value)
            case ast.JoinedStr(values=values):
                return Concat(tuple(self.evaluate(v, scope, depth + 1) for v in values))
            case ast.FormattedValue(value=inner, format_spec=None, conversion=-1):
                return self.evaluate(inner, scope, depth + 1)
            case ast.BinOp(left=left, op=ast.Add(), right=right):
                return Concat((self.evaluate(left, scope, depth + 1), self.evaluate(right, scope, depth + 1)))
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
                return DictVal(tuple(
                    (self.evaluate(k, scope, depth + 1) if k is not None else Unknown("**"),
                     self.evaluate(v, scope, depth + 1))
                    for k, v in zip(keys, values, strict=True)
                ))
            case ast.List(elts=elts) | ast.Tuple(elts=elts) | ast.Set(elts=elts):
                return ListVal(tuple(self.evaluate(e, scope, depth + 1) for e in elts))
            case ast.Await(value=inner) | ast.Starred(value=inner) | ast.NamedExpr(value=inner):
                return self.evaluate(inner, scope, depth + 1)
            case ast.Lambda(body=body):
                return self.evaluate(body, self.scopes.scope_of.get(id(node), scope), depth + 1)
        return Unknown(self._source(node))

    def _name(self, name: str, scope: Scope, depth: int = 0) -> Value:
        found = scope.lookup(name)
        if found is None:
            module = scope.module()
            if name in module.defs:
                return Ref(self.facts.module, name)
            return Unknown(name)
        owner, binders = found
        key = (id(owner), name)
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            return Unknown(name)
        self._active.add(key)
        try:
            value = choice([self._binder(b, name, depth) for b in binders])
        finally:
            self._active.discard(key)
        self._memo[key] = value
        return value

    def _binder(self, binder: Binder, name: str, depth: int) -> Value:
        match binder.kind:
            case "expr":
                return self.evaluate(binder.node, binder.scope, depth + 1)
            case "element":
                return Item(self.evaluate(binder.node, binder.scope, depth + 1), Unknown(f"element of {name}"))
            case "import":
                return self._import(binder.payload)
            case "param":
                return self._param(binder, name, depth)
        return Unknown(name)

    def _param(self, binder: Binder, name: str, depth: int) -> Value:
        scope = binder.scope
        if scope.owner_class is not None and isinstance(scope.node, ast.FunctionDef | ast.AsyncFunctionDef):
            params = [*scope.node.args.posonlyargs, *scope.node.args.args]
            is_static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in scope.node.decorator_list)
            if params and params[0] is binder.node and not is_static:
                return Instance(self.facts.module, scope.owner_class.name)
        default = binder.payload
        if isinstance(default, ast.expr):
            return self.evaluate(default, scope.parent or scope, depth + 1)
        annotation = getattr(binder.node, "annotation", None)
        if annotation is not None:
            typed = self.evaluate(annotation, scope.parent or scope, depth + 1)
            if (path := dotted(typed)) and (client := self._client_for(path, None, scope, depth)):
                return Client(client.sdk, client.constructor, client.provider,
                              Unknown(f"parameter '{name}' ({path}) built by the caller"), client.module, client.line)
        return Unknown(f"parameter '{name}'")

    def _import(self, payload: object) -> Value:
        match payload:
            case ("module", module):
                return ModuleRef(module)
            case ("from", module, level, name):
                absolute = self._absolute(module, level)
                if absolute.split(".")[0] in self._sdk_roots:
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
        if isinstance(owner, Instance) and owner.module == self.facts.module:
            cls = self.scopes.classes.get(owner.cls)
            if cls is not None and attr in cls.self_attrs:
                return self._class_attr(cls, attr, depth)
        if isinstance(owner, Client | Router | Binding | HttpClient):
            return Member(owner, attr)
        if isinstance(owner, Member):
            return Member(owner.owner, f"{owner.chain}.{attr}")
        if isinstance(owner, Unknown):
            return Unknown(self._source(node))
        return Attr(owner, attr)

    def _class_attr(self, cls: Scope, attr: str, depth: int) -> Value:
        key = (id(cls), f"self.{attr}")
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            return Unknown(f"self.{attr}")
        self._active.add(key)
        try:
            values = [self._binder(b, attr, depth) for b in cls.self_attrs[attr]]
            value = choice([v for v in values if not _is_none(v)] or values)
        finally:
            self._active.discard(key)
        self._memo[key] = value
        return value

    def _subscript(self, base: ast.expr, key: ast.expr, scope: Scope, depth: int) -> Value:
        owner = self.evaluate(base, scope, depth + 1)
        key_value = self.evaluate(key, scope, depth + 1)
        if dotted(owner) == "os.environ" and isinstance(key_value, Lit) and isinstance(key_value.value, str):
            return Env(key_value.value)
        return Item(owner, key_value)

    # -- calls as values -----------------------------------------------------------------------------

    def _call_value(self, node: ast.Call, scope: Scope, depth: int) -> Value:
        func = self.evaluate(node.func, scope, depth + 1)
        path = dotted(func)
        if path in ("os.getenv", "os.environ.get", "os.environ.setdefault"):
            return self._env(node, scope, depth)
        if isinstance(func, Attr) and func.name == "get" and node.args:
            return Item(func.base, self.evaluate(node.args[0], scope, depth + 1),
                        self.evaluate(node.args[1], scope, depth + 1) if len(node.args) > 1 else None)
        if path is not None:
            if client := self._client_for(path, node, scope, depth):
                return client
            if binding := self._binding_for(path, node):
                return binding
            if router := self._router_for(path, node, scope, depth):
                return router
            if http := self._http_client_for(path, node, scope, depth):
                return http
            if path == "dict":
                return DictVal(tuple((Lit(k.arg), self.evaluate(k.value, scope, depth + 1))
                                     for k in node.keywords if k.arg))
            root = path.split(".")[0]
            if root in self._sdk_roots:
                return Attr(func.base, f"{func.name}()") if isinstance(func, Attr) else Unknown(path)
        if isinstance(func, Member) and func.chain.rsplit(".", 1)[-1] in self.rules.call_modifiers:
            return func  # client.with_options(timeout=5) is the same client
        if isinstance(func, Member) and isinstance(func.owner, Binding):
            rule = self._binding_rule_named(func.owner)
            if rule is not None and func.chain == rule.fallback_method:
                return self._with_fallbacks(func.owner, node, scope, depth)
            return func.owner
        if isinstance(func, Ref | Attr):
            return CallResult(func)
        return Unknown(self._source(node))

    def _env(self, node: ast.Call, scope: Scope, depth: int) -> Value:
        args = [self.evaluate(a, scope, depth + 1) for a in node.args]
        kwargs = {k.arg: self.evaluate(k.value, scope, depth + 1) for k in node.keywords if k.arg}
        name = args[0] if args else kwargs.get("key")
        default = args[1] if len(args) > 1 else kwargs.get("default")
        if isinstance(name, Lit) and isinstance(name.value, str):
            return Env(name.value, default)
        return Unknown(self._source(node))

    def _kwargs(self, node: ast.Call, scope: Scope, depth: int) -> dict[str, Value]:
        kwargs: dict[str, Value] = {}
        for keyword in node.keywords:
            value = self.evaluate(keyword.value, scope, depth + 1)
            if keyword.arg is not None:
                kwargs[keyword.arg] = value
            elif isinstance(value, DictVal):
                kwargs.update({k.value: v for k, v in value.items if isinstance(k, Lit) and isinstance(k.value, str)})
        return kwargs

    def _client_for(self, path: str, node: ast.Call | None, scope: Scope, depth: int) -> Client | None:
        for rule in self.rules.sdk:
            for module in rule.modules:
                if not path.startswith(module + "."):
                    continue
                rest = path[len(module) + 1 :]
                if rest in rule.clients:
                    provider = rule.clients[rest] or rule.provider
                    return self._make_client(rule, rest, provider, node, scope, depth)
                for factory in rule.factories:
                    if rest.split(".")[-1] == factory.method and node is not None and node.args:
                        service = self.evaluate(node.args[0], scope, depth + 1)
                        if isinstance(service, Lit) and service.value in factory.service:
                            return self._make_client(rule, rest, rule.provider, node, scope, depth)
        return None

    def _make_client(self, rule: SdkRule, constructor: str, provider: str, node: ast.Call | None,
                     scope: Scope, depth: int) -> Client:
        kwargs = self._kwargs(node, scope, depth) if node is not None else {}
        for switch in rule.provider_switches:
            flag = kwargs.get(switch.argument)
            if flag is not None and not (isinstance(flag, Lit) and not flag.value):
                provider = switch.provider
        base_url = next((kwargs[a] for a in rule.base_url_args if a in kwargs), None)
        line = node.lineno if node is not None else 0
        return Client(rule.id, constructor, provider, base_url, self.facts.module, line)

    def _binding_rule_named(self, binding: Binding) -> BindingRule | None:
        return next((r for r in self.rules.binding if r.id == binding.rule), None)

    def _binding_for(self, path: str, node: ast.Call) -> Binding | None:
        for rule in self.rules.binding:
            if _binding_match(rule, path) is not None:
                return Binding(rule.id, self.facts.module, node.lineno, node.col_offset)
        return None

    def _router_for(self, path: str, node: ast.Call, scope: Scope, depth: int) -> Router | None:
        for rule in self.rules.function:
            if rule.router and any(path == f"{m}.{c}" for m in rule.modules for c in rule.router.classes):
                kwargs = self._kwargs(node, scope, depth)
                model_list = kwargs.get(rule.router.model_list_argument) or (
                    self.evaluate(node.args[0], scope, depth + 1) if node.args else Unknown("model_list"))
                fallbacks = tuple(kwargs[a] for a in rule.router.fallback_arguments if a in kwargs)
                return Router(rule.id, model_list, fallbacks)
        return None

    def _http_client_for(self, path: str, node: ast.Call, scope: Scope, depth: int) -> HttpClient | None:
        http = self.rules.http
        for module in http.modules:
            if path.startswith(module + ".") and path[len(module) + 1 :] in http.clients:
                kwargs = self._kwargs(node, scope, depth)
                base = next((kwargs[a] for a in http.base_url_args if a in kwargs), None)
                return HttpClient(module, base)
        return None

    def _with_fallbacks(self, primary: Binding, node: ast.Call, scope: Scope, depth: int) -> Binding:
        listed = self.evaluate(node.args[0], scope, depth + 1) if node.args else self._kwargs(
            node, scope, depth).get("fallbacks", Unknown("fallbacks"))
        fallbacks = listed.items if isinstance(listed, ListVal) else (listed,)
        return Binding(primary.rule, primary.module, primary.line, primary.column, primary.fallbacks + fallbacks)

    # -- inference calls -----------------------------------------------------------------------------

    def _visit_call(self, node: ast.Call) -> None:
        scope = self.scopes.scope_of.get(id(node), self.scopes.module_scope)
        awaited = self._awaited(node)
        node = self._unwrap(node, scope)
        func = self.evaluate(node.func, scope)
        path = dotted(func)
        raw: RawPath | None = None
        if isinstance(func, Member):
            raw = self._member_call(func, node, scope)
        elif path is not None:
            raw = self._module_call(path, node, scope)
        elif isinstance(func, Attr | Unknown | CallResult | Item):
            raw = self._deferred_call(func, node, scope)
        if raw is not None:
            raw.is_async = awaited
            self._emit(raw, node, scope)

    def _unwrap(self, node: ast.Call, scope: Scope) -> ast.Call:
        """``asyncio.to_thread(f, *args, **kwargs)`` reads as ``f(*args, **kwargs)``, at the wrapper's place."""
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        path = dotted(self.evaluate(func, scope)) or name
        position = next((p for w, p in self.rules.call_wrappers.items()
                         if path is not None and (path == w or path.endswith("." + w) or name == w)), None)
        if position is None or len(node.args) <= position or isinstance(node.args[position], ast.Starred):
            return node
        call = ast.Call(func=node.args[position], args=node.args[position + 1 :], keywords=node.keywords)
        return ast.copy_location(call, node)

    def _member_call(self, func: Member, node: ast.Call, scope: Scope) -> RawPath | None:
        owner, chain = func.owner, self._strip_modifiers(func.chain)
        if isinstance(owner, Client):
            rule = next(r for r in self.rules.sdk if r.id == owner.sdk)
            op = rule.operation(chain)
            if op is None:
                return None
            model = self._model_arg(node, scope, op.model_arguments, positional=False)
            return RawPath(node.lineno, node.col_offset, _end(node), "sdk_call", rule.id, chain, op.kind,
                           owner.provider, model=model, base_url=owner.base_url, receiver=owner,
                           streaming=op.stream or self._streams(node, scope))
        if isinstance(owner, Binding):
            rule = self._binding_rule_named(owner)
            if rule is not None and chain == rule.fallback_method:
                primary = self._with_fallbacks(owner, node, scope, 0)
                self.facts.links.append(FallbackLink(owner, primary.fallbacks, f"{chain}() at line {node.lineno}"))
            return None
        if isinstance(owner, Router):
            return self._router_call(owner, chain, node, scope)
        if isinstance(owner, HttpClient):
            return self._http_call(owner.library, chain, owner.base_url, node, scope)
        return None

    def _module_call(self, path: str, node: ast.Call, scope: Scope) -> RawPath | None:
        for rule in self.rules.sdk:
            for module in rule.modules:
                if rule.module_is_client and path.startswith(module + "."):
                    chain = self._strip_modifiers(path[len(module) + 1 :])
                    if op := rule.operation(chain):
                        model = self._model_arg(node, scope, op.model_arguments, positional=False,
                                               position=rule.model_position)
                        return RawPath(node.lineno, node.col_offset, _end(node), "sdk_call", rule.id, chain,
                                       op.kind, rule.provider, model=model,
                                       base_url=self._kwargs(node, scope, 0).get("api_base"),
                                       streaming=op.stream or self._streams(node, scope))
        for rule in self.rules.function:
            for module in rule.modules:
                if path.startswith(module + ".") and (spec := rule.function(path[len(module) + 1 :])):
                    return self._function_call(rule, spec.name, spec.kind, node, scope)
        for binding_rule in self.rules.binding:
            if raw := self._binding_call(binding_rule, path, node, scope):
                return raw
        http = self.rules.http
        for module in http.modules:
            if path.startswith(module + ".") and path[len(module) + 1 :] in http.request_functions:
                return self._http_call(module, path[len(module) + 1 :], None, node, scope)
        return None

    def _function_call(self, rule: FunctionRule, name: str, kind: str, node: ast.Call, scope: Scope) -> RawPath:
        kwargs = self._kwargs(node, scope, 0)
        fallbacks: list[Value] = []
        for argument in rule.fallback_arguments:
            listed = kwargs.get(argument)
            if listed is not None:
                fallbacks.extend(listed.items if isinstance(listed, ListVal) else (listed,))
        return RawPath(node.lineno, node.col_offset, _end(node), "sdk_call", rule.id, name, kind, rule.provider,
                       model=self._model_arg(node, scope, None, positional=True),
                       base_url=next((kwargs[a] for a in rule.base_url_args if a in kwargs), None),
                       fallbacks=tuple(fallbacks),
                       fallback_why=f"{rule.id} fallbacks= at line {node.lineno}" if fallbacks else "",
                       streaming=self._streams(node, scope))

    def _binding_call(self, rule: BindingRule, path: str, node: ast.Call, scope: Scope) -> RawPath | None:
        match = _binding_match(rule, path)
        if match is None:
            return None
        cls, provider = match
        kwargs = self._kwargs(node, scope, 0)
        kind = "embedding" if cls in rule.embedding_classes.names or ".embeddings." in path else "chat"
        model = self._model_arg(node, scope, None, positional=True)
        if model is None and cls in ("init_chat_model", "init_embeddings"):
            model = Unknown(self._source(node))
        if provider == "" and "model_provider" in kwargs:
            provider_value = kwargs["model_provider"]
            provider = provider_value.value if isinstance(provider_value, Lit) and isinstance(
                provider_value.value, str) else ""
        return RawPath(node.lineno, node.col_offset, _end(node), "binding", rule.id, cls, kind, provider,
                       model=model, base_url=next((kwargs[a] for a in rule.base_url_args if a in kwargs), None),
                       streaming=isinstance(kwargs.get("streaming"), Lit) and bool(kwargs["streaming"].value))

    def _router_call(self, router: Router, method: str, node: ast.Call, scope: Scope) -> RawPath | None:
        rule = next(r for r in self.rules.function if r.id == router.rule)
        if rule.router is None or method not in rule.router.methods:
            return None
        spec = rule.function(method)
        return RawPath(node.lineno, node.col_offset, _end(node), "sdk_call", rule.id, f"Router.{method}",
                       spec.kind if spec else "chat", rule.provider, receiver=router, chain=method,
                       model=self._model_arg(node, scope, None, positional=True),
                       streaming=self._streams(node, scope))

    def _http_call(self, library: str, method: str, base_url: Value | None, node: ast.Call,
                   scope: Scope) -> RawPath | None:
        http = self.rules.http
        if method not in http.request_functions:
            return None
        kwargs = self._kwargs(node, scope, 0)
        args = [self.evaluate(a, scope) for a in node.args]
        url = next((kwargs[a] for a in http.url_arguments if a in kwargs), None)
        if url is None and args:
            url = args[1] if method == "request" and len(args) > 1 else args[0]
        if url is None:
            return None
        if base_url is not None:
            url = Concat((base_url, url))
        body = next((kwargs[a] for a in http.body_arguments if a in kwargs), None)
        return RawPath(node.lineno, node.col_offset, _end(node), "http", library, f"{library}.{method}", "",
                       "", url=url, body=body, chain=method, streaming=self._streams(node, scope))

    def _deferred_call(self, func: Value, node: ast.Call, scope: Scope) -> RawPath | None:
        """A call on an object phase one cannot see: keep it when some SDK has an operation of that shape."""
        names: list[str] = []
        root = func
        while isinstance(root, Attr):
            names.append(root.name)
            root = root.base
        if not names:
            return None
        chain = self._strip_modifiers(".".join(reversed(names)))
        last = chain.rsplit(".", 1)[-1]
        if not self.rules.any_operation(chain) and last not in {"with_fallbacks", *self._router_methods()}:
            return None
        if chain.endswith("with_fallbacks"):
            listed = self.evaluate(node.args[0], scope) if node.args else Unknown("fallbacks")
            fallbacks = listed.items if isinstance(listed, ListVal) else (listed,)
            receiver = func.base if isinstance(func, Attr) else root
            self.facts.links.append(FallbackLink(receiver, fallbacks, f"with_fallbacks() at line {node.lineno}"))
            return None
        return RawPath(node.lineno, node.col_offset, _end(node), "sdk_call", "", chain, "", "", receiver=root,
                       chain=chain, model=self._model_arg(node, scope, None, positional=False),
                       streaming=self._streams(node, scope))

    def _router_methods(self) -> set[str]:
        return {m for rule in self.rules.function if rule.router for m in rule.router.methods}

    def _emit(self, raw: RawPath, node: ast.Call, scope: Scope) -> None:
        raw.arguments, raw.argument_values = self._argument_evidence(node, scope)
        raw.method = raw.operation.rsplit(".", 1)[-1]
        raw.snippet = self._snippet(node)
        raw.function = scope.qualname()
        self._emitted[node.lineno * 100_000 + node.col_offset] = raw
        self.facts.paths.append(raw)

    # -- evidence ------------------------------------------------------------------------------------

    def _strip_modifiers(self, chain: str) -> str:
        parts = [p for p in chain.split(".") if p.removesuffix("()") not in self.rules.call_modifiers]
        return ".".join(p.removesuffix("()") for p in parts)

    def _model_arg(self, node: ast.Call, scope: Scope, names: list[str] | None, *, positional: bool,
                   position: int | None = None) -> Value | None:
        kwargs = self._kwargs(node, scope, 0)
        for name in names or self.rules.model_arguments:
            if name in kwargs:
                return kwargs[name]
        index = 0 if positional else position
        if index is not None and len(node.args) > index and not isinstance(node.args[index], ast.Starred):
            return self.evaluate(node.args[index], scope)
        return None

    def _streams(self, node: ast.Call, scope: Scope) -> bool:
        stream = self._kwargs(node, scope, 0).get("stream")
        return isinstance(stream, Lit) and stream.value is True

    def _argument_evidence(self, node: ast.Call, scope: Scope) -> tuple[tuple[str, ...], tuple[str, ...]]:
        names = [k.arg for k in node.keywords if k.arg]
        values: list[str] = []
        kwargs = self._kwargs(node, scope, 0)
        names.extend(k for k in kwargs if k not in names)
        for value in kwargs.values():
            _collect_strings(value, values, 0)
        for arg in node.args:
            _collect_strings(self.evaluate(arg, scope), values, 0)
        secret = self.rules.secret_regex
        evidence = [v for v in dict.fromkeys(values) if len(v) <= MAX_STRING_EVIDENCE and not secret.search(v)]
        return tuple(names), tuple(evidence)

    def _awaited(self, node: ast.Call) -> bool:
        return id(node) in self.scopes.awaited

    def _snippet(self, node: ast.AST) -> str:
        line = self.lines[node.lineno - 1].strip() if 0 < node.lineno <= len(self.lines) else ""
        return self.rules.secret_regex.sub("[redacted]", line)[:160]

    def _source(self, node: ast.AST) -> str:
        """The expression as written (first 120 characters), for 'what hid this value' in reports."""
        line, end = getattr(node, "lineno", 0), getattr(node, "end_lineno", 0)
        if not 0 < line <= end <= len(self.lines):
            return type(node).__name__
        if line == end:
            text = self.lines[line - 1].encode()[node.col_offset : node.end_col_offset].decode(errors="replace")
        else:
            text = " ".join(part.strip() for part in self.lines[line - 1 : min(end, line + 3)])
        return self.rules.secret_regex.sub("[redacted]", text)[:120]

    # -- try/except fallbacks --------------------------------------------------------------------------

    def _link_try_fallbacks(self) -> None:
        """A call in ``try:`` whose ``except`` branch asks another model has that model as its fallback."""
        by_position = {(p.line, p.column): p for p in self.facts.paths}
        for node in self.scopes.tries:
            primaries = _calls_in(node.body, by_position)
            backups = [p for handler in node.handlers for p in _calls_in(handler.body, by_position)]
            if not primaries or not backups:
                continue
            for backup in backups:
                backup.fallback_only = True
            for primary in primaries:
                primary.fallbacks += tuple(_PathRef(b.line, b.column) for b in backups)
                primary.fallback_why = (primary.fallback_why + "; " if primary.fallback_why else "") + (
                    f"except branch at line {node.handlers[0].lineno} calls another model")

    # -- facts for other modules ---------------------------------------------------------------------

    def _class_facts(self, scope: Scope) -> ClassFacts:
        node = scope.node
        bases = tuple(
            b for b in (dotted(self.evaluate(base, scope.parent or scope)) or _last_name(base)
                        for base in getattr(node, "bases", ())) if b
        )
        settings = any(b.endswith("BaseSettings") for b in bases)
        prefix = self._env_prefix(scope) if settings else ""
        attrs: dict[str, Value] = {}
        for attr in scope.self_attrs:
            value = self._field_default(scope, attr) or self._class_attr(scope, attr, 0)
            attrs[attr] = Env(f"{prefix}{attr}".upper(), value) if settings else value
        return ClassFacts(attrs, bases)

    def _field_default(self, scope: Scope, attr: str) -> Value | None:
        """``x: str = Field(default=X)``, ``field(default=X)``, ``Field(X)`` and default factories hold X."""
        for binder in scope.self_attrs[attr]:
            node = binder.node
            if not (isinstance(node, ast.Call) and _last_name(node.func) in ("Field", "field")):
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
        if not returns or len(returns) > 4:
            return None
        values = [v for v in (self.evaluate(r.value, scope) for r in returns) if not isinstance(v, Unknown)]
        return choice(values) if values else None


def _binding_match(rule: BindingRule, path: str) -> tuple[str, str] | None:
    """(class, provider) when ``path`` constructs one of the rule's bindings."""
    module = next((m for m in rule.modules if path.startswith(m + ".")), None)
    if module is None:
        return None
    segments = path.split(".")
    if segments[-1] in rule.factory_methods and len(segments) > 2:
        segments.pop()
    path, cls = ".".join(segments), segments[-1]
    if rule.integrations:
        integration = path[len(module) + 1 :].split(".")[0]
        if integration in rule.integrations and cls[:1].isupper():
            return cls, rule.integrations[integration]
        return None
    return (cls, rule.classes[cls]) if cls in rule.classes else None


@dataclass(frozen=True)
class _PathRef:
    """A fallback that is another inference call of the same module (an except branch)."""

    line: int
    column: int


def _calls_in(body: list[ast.stmt], by_position: dict[tuple[int, int], RawPath]) -> list[RawPath]:
    found = []
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and (path := by_position.get((node.lineno, node.col_offset))):
                found.append(path)
    return found


def _collect_strings(value: Value, out: list[str], depth: int) -> None:
    if depth > 6:
        return
    match value:
        case Lit(value=str() as text):
            out.append(text)
        case DictVal(items=items):
            for key, item in items:
                _collect_strings(key, out, depth + 1)
                _collect_strings(item, out, depth + 1)
        case ListVal(items=items) | Choice(options=items):
            for item in items:
                _collect_strings(item, out, depth + 1)


def _is_none(value: Value) -> bool:
    return isinstance(value, Lit) and value.value is None


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _end(node: ast.AST) -> int:
    return getattr(node, "end_lineno", None) or getattr(node, "lineno", 0)


def analyze_source(source: str, relpath: str, rules: PythonRules, *, eager: bool = True) -> ModuleFacts:
    """Parse and analyse one file. Raises SyntaxError, RecursionError or ValueError on bad input."""
    tree = ast.parse(source, filename=relpath)
    return Analyzer(tree, source, relpath, rules).run(eager=eager)
