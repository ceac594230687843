"""Phase one for Java: one file, parsed with tree-sitter, alone.

Imports (single-type, static and on-demand), fields and ``static final`` constants, fields set in
constructors and read in methods, builder chains (``X.builder().model("m").build()``: the setters play the
part of keyword arguments), AWS lambda builders (``r -> r.modelId("m")``), fluent client calls
(``client.chat().completions().create(...)``), ``System.getenv``, injected clients known by their declared
type, and try/catch fallbacks; every call goes to the shared :class:`~offramp.scan.detect.Detector`.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import tree_sitter
import tree_sitter_java

from offramp.scan.detect import CallSite, Detector
from offramp.scan.facts import ClassFacts, ModuleFacts, RawPath, module_name
from offramp.scan.rules import LanguageRules
from offramp.scan.scopes import LONG_STRING, Binder, Memo, Scope, release
from offramp.scan.treesitter import MAX_ERROR_SHARE, error_share, node_text, walk_scopes
from offramp.scan.values import (
    Attr,
    Binding,
    CallResult,
    Client,
    Concat,
    DictVal,
    Env,
    Function,
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
    named,
)

Node = tree_sitter.Node

SUFFIXES = frozenset({".java"})
MAX_DEPTH = 40
JAVA_LANG = frozenset({"System", "String", "Integer", "Long", "Double", "Boolean", "Math", "Thread", "Object",
                       "StringBuilder", "Character", "Float", "Short", "Byte", "Runtime", "Enum", "Record"})
"""Classes every Java file sees without an import."""
_CLASSES = frozenset({"class_declaration", "interface_declaration", "enum_declaration", "record_declaration"})
_FUNCTIONS = frozenset({"method_declaration", "constructor_declaration", "lambda_expression"})
_RECORDED = frozenset({
    "package_declaration", "import_declaration", "field_declaration", "local_variable_declaration",
    "enhanced_for_statement", "assignment_expression", "method_invocation", "object_creation_expression",
    "try_statement", "try_with_resources_statement", "return_statement", "string_literal", "text_block",
})
_CALLS = frozenset({"method_invocation", "object_creation_expression"})
BEAN_ANNOTATIONS = frozenset({"Bean", "Produces", "Provides"})
"""Annotations of methods whose return value the framework injects wherever its type is asked for."""
_LIBRARY_ROOTS = ("java.", "javax.", "jakarta.", "kotlin.", "org.springframework.", "com.fasterxml.",
                  "org.slf4j.", "lombok.", "reactor.", "io.micrometer.")


@cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_java.language()))


class JavaAnalyzer:
    LANGUAGE = "java"
    CLASSES = _CLASSES
    """Node types that open a class scope."""
    FUNCTIONS = _FUNCTIONS
    """Node types that open a function scope."""
    RECORDED = _RECORDED
    """Node types that :meth:`_visit` records (its cases): the walk visits those only."""

    def _parser(self) -> tree_sitter.Parser:
        return _parser()

    def __init__(self, source: str, relpath: str, rules: LanguageRules) -> None:
        self.rules = rules
        self.source = source.encode()
        self.lines = source.splitlines()
        self.relpath = relpath
        tree = self._parser().parse(self.source)
        if tree.root_node.has_error and error_share(tree.root_node) > MAX_ERROR_SHARE:
            raise SyntaxError(f"not valid {self.LANGUAGE.capitalize()} (tree-sitter could not parse it)")
        self.root = tree.root_node
        self.facts = ModuleFacts(module_name(relpath), relpath, self.LANGUAGE)
        self.detector = Detector(rules, self.facts)
        self.module_scope = Scope("module", "<file>", None, self.root)
        self.package = ""
        self.product: set[str] = set()
        """Imported classes of the product's own (their names resolve in phase two)."""
        self.wildcards: list[str] = []
        self.scope_of: dict[int, Scope] = {}
        self.classes: dict[str, Scope] = {}
        self.methods: dict[str, list[Node]] = {}
        self.beans: list[Node] = []
        """Methods that make a dependency-injection bean (Spring @Bean)."""
        self.calls: list[Node] = []
        self.tries: list[Node] = []
        self.annotated: list[Node] = []
        """Methods with an annotation that takes arguments: one may declare a request (Retrofit's @POST)."""
        self.returns: dict[int, list[Node]] = {}
        self.strings: list[Node] = []
        self._library_prefixes = tuple(m for g in (*rules.sdk, *rules.binding, *rules.function) for m in g.modules)
        self._memo: Memo[Value] = Memo()
        self._consumed: set[int] = set()
        self._raw_at: dict[int, RawPath] = {}
        self._build()

    # -- one pass: scopes, binders, calls ----------------------------------------------------------------

    def _build(self) -> None:
        walk_scopes(self.root, self.module_scope, self._enter, self._visit, self.scope_of,
                    opens=self.CLASSES | self.FUNCTIONS, records=self.RECORDED)

    def _enter(self, node: Node, kind: str, scope: Scope) -> Scope:
        """The scope a node opens for its children, or the one it is in."""
        if kind in self.CLASSES:
            return self._class_scope(node, scope)
        if kind in self.FUNCTIONS:
            return self._function_scope(node, scope)
        return scope

    def _visit(self, node: Node, kind: str, scope: Scope) -> None:
        """What a node binds or is: imports, variables, fields, calls, try blocks, returns, long strings."""
        match kind:
            case "package_declaration":
                self.package = node_text(node.named_children[0]) if node.named_children else ""
            case "import_declaration":
                self._bind_import(node)
            case "field_declaration":
                self._bind_field(node, scope)
            case "local_variable_declaration":
                for declarator in node.children_by_field_name("declarator"):
                    name = declarator.child_by_field_name("name")
                    scope.bind(node_text(name), Binder("expr", declarator.child_by_field_name("value"), scope))
            case "enhanced_for_statement":
                name = node.child_by_field_name("name")
                scope.bind(node_text(name), Binder("element", node.child_by_field_name("value"), scope))
            case "assignment_expression":
                self._bind_assignment(node, scope)
            case "method_invocation" | "object_creation_expression":
                self.calls.append(node)
            case "try_statement" | "try_with_resources_statement":
                self.tries.append(node)
            case "return_statement":
                owner = scope.enclosing_function()
                if owner is not None and node.named_children:
                    self.returns.setdefault(owner.node.id, []).append(node.named_children[0])  # type: ignore[union-attr]
            case "string_literal" | "text_block" if node.end_byte - node.start_byte > LONG_STRING:
                self.strings.append(node)

    def _class_scope(self, node: Node, scope: Scope) -> Scope:
        name = node_text(node.child_by_field_name("name")) or "<class>"
        inner = Scope("class", name, scope, node)
        self.classes.setdefault(name, inner)
        scope.defs.add(name)
        for parameter in _parameters(node):  # a record's components are its fields
            inner.self_attrs.setdefault(node_text(parameter.child_by_field_name("name")), []).append(
                Binder("param", parameter, inner, parameter.child_by_field_name("type")))
        return inner

    def _function_scope(self, node: Node, scope: Scope) -> Scope:
        name = node_text(node.child_by_field_name("name")) or "<lambda>"
        inner = Scope("function", name, scope, node)
        inner.owner_class = scope if scope.kind == "class" else scope.owner_class
        if node.type == "method_declaration":
            self.methods.setdefault(name, []).append(node)
            if _annotated(node, BEAN_ANNOTATIONS):
                self.beans.append(node)
            if self._annotation_arguments(node):
                self.annotated.append(node)
        parameters = node.child_by_field_name("parameters")
        if parameters is not None and parameters.type == "identifier":  # x -> ...
            inner.bind(node_text(parameters), Binder("param", parameters, inner, None))
        for parameter in _parameters(node):
            name_node = parameter.child_by_field_name("name") or (
                parameter if parameter.type == "identifier" else None)
            if name_node is not None:
                declared = parameter.child_by_field_name("type")
                inner.bind(node_text(name_node), Binder("param", name_node, inner, declared))
        return inner

    def _bind_import(self, node: Node) -> None:
        target = next((c for c in node.named_children if c.type in ("scoped_identifier", "identifier")), None)
        if target is None:
            return
        path = node_text(target)
        self._note_sdk_import(path)
        is_static = any(c.type == "static" for c in node.children)
        if any(c.type == "asterisk" for c in node.children):
            self.wildcards.append(path)
            return
        owner, _, name = path.rpartition(".")
        if is_static:  # import static com.acme.Config.MODEL
            self.module_scope.bind(name, Binder("import", node, self.module_scope, Attr(self._class_ref(owner), name)))
        else:
            self.module_scope.bind(name, Binder("import", node, self.module_scope, self._class_ref(path)))

    def _class_ref(self, path: str) -> ModuleRef:
        if self._is_product(path):
            self.product.add(path)
        return ModuleRef(path)

    def _is_product(self, path: str) -> bool:
        return not path.startswith(_LIBRARY_ROOTS) and not path.startswith(self._library_prefixes)

    def _note_sdk_import(self, path: str) -> None:
        self.facts.sdk_imports |= self.rules.rules_of_import(path, ".")

    def _bind_field(self, node: Node, scope: Scope) -> None:
        if scope.kind != "class":
            return
        type_node = node.child_by_field_name("type")
        setting = _setting(node)  # @Value("${spring.ai.openai.chat.options.model:gpt-4o}")
        for declarator in node.children_by_field_name("declarator"):
            name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
            if setting is not None:
                binder = Binder("import", declarator, scope, setting)
            elif value is not None:
                binder = Binder("expr", value, scope)
            else:
                binder = Binder("param", name, scope, type_node)
            scope.self_attrs.setdefault(node_text(name), []).append(binder)

    def _bind_assignment(self, node: Node, scope: Scope) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        operator = node.child_by_field_name("operator")
        if left is None or right is None or (operator is not None and node_text(operator) != "="):
            return
        field = None
        if left.type == "field_access" and node_text(left.child_by_field_name("object")) == "this":
            field = node_text(left.child_by_field_name("field"))
        elif left.type == "identifier":
            found = scope.lookup(node_text(left))
            if found is not None and found[0].kind != "class":
                found[0].bind(node_text(left), Binder("expr", right, scope))
                return
            field = node_text(left)
        owner = scope.owner_class
        if field is not None and owner is not None:
            owner.self_attrs.setdefault(field, []).append(Binder("expr", right, scope))

    # -- evaluation ----------------------------------------------------------------------------------

    def evaluate(self, node: Node | None, scope: Scope, depth: int = 0) -> Value:
        if node is None:
            return Unknown("nothing")
        if depth > MAX_DEPTH:
            return Unknown(self._source(node))
        kind = node.type
        match kind:
            case "string_literal":
                return Lit("".join(node_text(c) for c in node.named_children if c.type in ("string_fragment",
                                                                                      "escape_sequence")))
            case "text_block":
                return Lit(node_text(node)[3:-3].strip())
            case "decimal_integer_literal" | "decimal_floating_point_literal" | "hex_integer_literal":
                return Lit(node_text(node))
            case "true" | "false":
                return Lit(kind == "true")
            case "null_literal":
                return Lit(None)
            case "identifier":
                return self._identifier(node_text(node), scope, depth + 1)
            case "this":
                owner = scope if scope.kind == "class" else scope.owner_class
                return Instance(self.facts.module, owner.name) if owner is not None else Unknown("this")
            case "field_access":
                owner_node = node.child_by_field_name("object")
                field = node_text(node.child_by_field_name("field"))
                return self._attr(self.evaluate(owner_node, scope, depth + 1), field)
            case "scoped_identifier":
                return self._attr(self.evaluate(node.child_by_field_name("scope"), scope, depth + 1),
                                  node_text(node.child_by_field_name("name")))
            case "method_invocation":
                return self._call_value(node, scope, depth)
            case "object_creation_expression":
                return self._new_value(node, scope, depth)
            case "binary_expression":
                operator = node.child_by_field_name("operator")
                if operator is not None and node_text(operator) == "+":
                    return Concat((self.evaluate(node.child_by_field_name("left"), scope, depth + 1),
                                   self.evaluate(node.child_by_field_name("right"), scope, depth + 1)))
            case "ternary_expression":
                return choice([self.evaluate(node.child_by_field_name(f), scope, depth + 1)
                               for f in ("consequence", "alternative")])
            case "lambda_expression":
                return self._lambda(node, depth)
            case "array_initializer":
                return ListVal(tuple(self.evaluate(e, scope, depth + 1) for e in node.named_children))
            case "parenthesized_expression" | "cast_expression":
                return self.evaluate(node.named_children[-1] if node.named_children else None, scope, depth + 1)
        return Unknown(self._source(node))

    def _identifier(self, name: str, scope: Scope, depth: int) -> Value:
        found = scope.lookup(name)
        if found is not None and found[0].kind != "class":
            return self._name(found[0], found[1], name, depth)
        owner: Scope | None = scope if scope.kind == "class" else scope.owner_class
        while owner is not None:  # a field of this class or of an enclosing one
            if name in owner.self_attrs:
                return self._class_attr(owner, name)
            owner = owner.parent if owner.parent is not None and owner.parent.kind == "class" else None
        if name in self.classes:
            return Ref(self.facts.module, name)
        if name[:1].isupper():
            return self._unimported_class(name)
        return Unknown(name)

    def _unimported_class(self, name: str) -> Value:
        """A class named without an import: java.lang, an on-demand import of a library, or this package."""
        if name in JAVA_LANG:
            return ModuleRef(name)
        library = [w for w in self.wildcards if w.startswith(self._library_prefixes)]
        if library:
            return ModuleRef(f"{library[0]}.{name}")
        return self._class_ref(f"{self.package}.{name}" if self.package else name)

    def _name(self, owner: Scope, binders: list[Binder], name: str, depth: int) -> Value:
        def compute() -> Value:
            return self._binders(binders, name, depth)

        return named(self._memo.get((id(owner), name), compute, Unknown(name)), name)

    def _binders(self, binders: list[Binder], name: str, depth: int) -> Value:
        # A field declared with a type and set in the constructor: the assignment tells more than the type.
        assigned = [b for b in binders if b.kind != "param"] or binders
        return choice([self._binder(b, name, depth) for b in assigned])

    def _binder(self, binder: Binder, name: str, depth: int) -> Value:
        node = binder.node if isinstance(binder.node, Node) else None
        match binder.kind:
            case "expr":
                return self.evaluate(node, binder.scope, depth + 1)
            case "element":
                return Item(self.evaluate(node, binder.scope, depth + 1), Unknown(f"element of {name}"))
            case "import":
                payload = binder.payload
                if isinstance(payload, Attr):
                    return self._attr(payload.base, payload.name)
                return payload  # type: ignore[return-value]
            case "param":
                if isinstance(binder.payload, Node):
                    return self._typed(binder.payload, name)
        return Unknown(f"parameter '{name}'")

    def _typed(self, type_node: Node, name: str) -> Value:
        """An injected or declared object known by its type: an SDK client (endpoint unknown) or nothing."""
        parts = node_text(type_node).split("<", 1)[0].split(".")
        head = self._identifier(parts[0], self.module_scope, 1) if parts[0][:1].isupper() else None
        path = dotted(head) if head is not None else None
        if path is not None:
            path = ".".join([path, *parts[1:]])
            if client := self.detector.client_for_type(path, f"{name} (injected {'.'.join(parts)})"):
                # A bean the framework builds from settings reaches the provider's default endpoint unless
                # the settings say otherwise (phase two reads the provider's base-URL variables); a @Bean
                # method of the product that makes this type says which client it is.
                client = replace(client, injected=parts[-1])
                return replace(client, base_url=None) if self._configured_by_settings(client) else client
        return Unknown(f"parameter '{name}'")

    def _configured_by_settings(self, client: Client) -> bool:
        return any(rule.id == client.sdk and rule.model_env for rule in self.rules.sdk)

    def _class_attr(self, cls: Scope, attr: str) -> Value:
        def compute() -> Value:
            return self._binders(cls.self_attrs[attr], attr, 0)

        return self._memo.get((id(cls), f"field.{attr}"), compute, Unknown(f"{cls.name}.{attr}"))

    def _attr(self, owner: Value, name: str) -> Value:
        if isinstance(owner, ModuleRef) and owner.module in self.product:
            return Ref(owner.module, name)
        if isinstance(owner, Ref) and owner.module == self.facts.module and owner.name in self.classes:
            cls = self.classes[owner.name]
            return self._class_attr(cls, name) if name in cls.self_attrs else Attr(owner, name)
        if isinstance(owner, Instance) and owner.module == self.facts.module and owner.cls in self.classes:
            cls = self.classes[owner.cls]
            if name in cls.self_attrs:
                return self._class_attr(cls, name)
        if isinstance(owner, Client | Router | Binding | HttpClient):
            return Member(owner, name)
        if isinstance(owner, Member):
            return Member(owner.owner, f"{owner.chain}.{name}")
        value = Attr(owner, name)
        if (path := dotted(value)) and (model := self.detector.model_constant(path)):
            return model
        return value

    def _lambda(self, node: Node, depth: int) -> Value:
        """``r -> r.modelId("m").messages(...)``: an AWS lambda builder is the request it fills in."""
        body = node.child_by_field_name("body")
        parameters = node.child_by_field_name("parameters")
        setters = _setter_chain(body, node_text(parameters)) if body is not None and parameters is not None else None
        inner = self.scope_of.get(node.id)
        if setters is not None and inner is not None:
            return DictVal(tuple((Lit(n), self._first_argument(a, inner, depth)) for n, a in setters))
        if inner is None or body is None:
            return Unknown("lambda")
        if body.type != "block":
            return Function(self.evaluate(body, inner, depth + 1))
        return Function(choice([self.evaluate(r, inner, depth + 1) for r in self.returns.get(node.id, [])[:4]]))

    # -- calls ---------------------------------------------------------------------------------------

    def _first_argument(self, arguments: Node | None, scope: Scope, depth: int) -> Value:
        values = [a for a in (arguments.named_children if arguments is not None else []) if a.type != "comment"]
        return self.evaluate(values[0], scope, depth + 1) if values else Lit(True)

    def _site(self, node: Node, func: Value, arguments: Node | None, scope: Scope, depth: int,
              extra: dict[str, Value] | None = None) -> CallSite:
        nodes = [a for a in (arguments.named_children if arguments is not None else []) if a.type != "comment"]

        def args() -> list[Value]:
            return [self.evaluate(a, scope, depth + 1) for a in nodes]

        def kwargs() -> dict[str, Value]:
            merged: dict[str, Value] = {}
            for value in args():
                if isinstance(value, DictVal):
                    merged.update({k.value: v for k, v in value.items
                                   if isinstance(k, Lit) and isinstance(k.value, str)})
            return merged

        return CallSite(func, node.start_point[0] + 1, node.start_point[1], node.end_point[0] + 1, args, kwargs,
                        describe=lambda: (self._snippet(node), self._source(node)), function=scope.qualname(),
                        extra_kwargs=extra or {})

    def _builder_site(self, node: Node, scope: Scope, depth: int) -> CallSite | None:
        """``X.builder().a(1).b(2).build()`` as the call ``X.builder(a=1, b=2)``."""
        if node_text(node.child_by_field_name("name")) not in self.rules.build_methods:
            return None
        setters: list[tuple[str, Node | None]] = []
        chain: list[Node] = []
        current = node.child_by_field_name("object")
        while current is not None and current.type == "method_invocation":
            chain.append(current)
            name = node_text(current.child_by_field_name("name"))
            if name in self.rules.builder_methods:
                func = self._attr(self.evaluate(current.child_by_field_name("object"), scope, depth + 1), name)
                self._consumed.update(c.id for c in chain)
                fields = {n: self._first_argument(a, scope, depth) for n, a in reversed(setters)}
                return self._site(node, func, current.child_by_field_name("arguments"), scope, depth, fields)
            setters.append((name, current.child_by_field_name("arguments")))
            current = current.child_by_field_name("object")
        if current is not None and current.type == "object_creation_expression" and \
                _class_name(current) in self.rules.builder_methods:  # new Request.Builder().url(u).build()
            self._consumed.update(c.id for c in chain)
            fields = {n: self._first_argument(a, scope, depth) for n, a in reversed(setters)}
            return self._site(node, self._new_site(current, scope, depth).func,
                              current.child_by_field_name("arguments"), scope, depth, fields)
        return None

    def _call_value(self, node: Node, scope: Scope, depth: int) -> Value:
        builder = self._builder_site(node, scope, depth)
        if builder is not None:
            made = self.detector.call_value(builder)
            return made if isinstance(made, Client | Binding | HttpClient) else DictVal(
                tuple((Lit(k), v) for k, v in builder.extra_kwargs.items()))
        site = self._method_site(node, scope, depth)
        if site is None:
            return self._local_call(node_text(node.child_by_field_name("name")), depth)
        if (value := self.detector.call_value(site)) is not None:
            return value
        func = site.func
        if isinstance(func, Member) and self._asks_model(func):
            return Unknown(f"response of {site.source}")  # chat.prompt().call().entity(...).stream() is data
        if isinstance(func, Member | Attr) and not (isinstance(func, Attr) and dotted(func)):
            return func  # fluent calls: client.chat().completions() is the member chat.completions
        if isinstance(func, Function):
            return func.returns
        if isinstance(func, Ref):
            return CallResult(func)
        return Unknown(site.source)

    def _asks_model(self, member: Member) -> bool:
        client = member.owner
        rule = next((r for r in self.rules.sdk if isinstance(client, Client) and r.id == client.sdk), None)
        return rule is not None and rule.operation(self.detector.strip_modifiers(member.chain)) is not None

    def _method_site(self, node: Node, scope: Scope, depth: int) -> CallSite | None:
        owner = node.child_by_field_name("object")
        name = node_text(node.child_by_field_name("name"))
        if owner is None:
            return None  # a method of this class: see _local_call
        func = self._attr(self.evaluate(owner, scope, depth + 1), name)
        return self._site(node, func, node.child_by_field_name("arguments"), scope, depth)

    def _local_call(self, name: str, depth: int) -> Value:
        if name not in self.methods:
            return Unknown(f"{name}()")

        def compute() -> Value:
            returned = [self.evaluate(r, self.scope_of[m.id], depth + 1)
                        for m in self.methods[name] for r in self.returns.get(m.id, [])[:4]]
            return choice(returned) if returned else Unknown(f"{name}()")

        return self._memo.get((id(self.module_scope), f"{name}()"), compute, Unknown(f"{name}()"))

    def _new_value(self, node: Node, scope: Scope, depth: int) -> Value:
        site = self._new_site(node, scope, depth)
        if (value := self.detector.call_value(site)) is not None:
            return value
        if isinstance(site.func, Ref) and site.func.module == self.facts.module:
            return Instance(self.facts.module, site.func.name)
        return CallResult(site.func) if isinstance(site.func, Ref | Attr) else Unknown(site.source)

    def _new_site(self, node: Node, scope: Scope, depth: int) -> CallSite:
        type_node = node.child_by_field_name("type")
        parts = node_text(type_node).split("<", 1)[0].split(".")
        func = self._identifier(parts[0], scope, depth + 1)
        for part in parts[1:]:
            func = self._attr(func, part)
        return self._site(node, func, node.child_by_field_name("arguments"), scope, depth)

    def _visit_call(self, node: Node) -> None:
        if node.id in self._consumed:
            return
        scope = self.scope_of.get(node.id, self.module_scope)
        if node.type == "object_creation_expression":
            site: CallSite | None = self._new_site(node, scope, 0)
        else:
            site = self._builder_site(node, scope, 0) or self._method_site(node, scope, 0)
        if site is not None and (raw := self.detector.detect(site)):
            self._raw_at[node.start_byte] = raw

    def _declare_requests(self) -> None:
        """``@POST("chat/completions") ChatResponse chat(@Body ChatRequest body)``: a method of an interface that a
        library implements sends the request its annotation declares, relative to the base URL its file gives
        the library's builder (several: any of them; none: the host stays unknown)."""
        http = self.rules.http
        requests = [(method, function, url) for method in self.annotated
                    for annotation, url in self._annotation_arguments(method)
                    if (function := self._request_function(self._identifier(annotation, self.module_scope, 1)))]
        if not requests:
            return
        bases = [self.evaluate(argument, self.scope_of.get(call.id, self.module_scope))
                 for name in http.base_url_methods for call, argument in self._first_arguments(name)]
        base = choice(bases) if bases else None
        for method, function, url in requests:
            scope = self.scope_of.get(method.id, self.module_scope)
            path = self.evaluate(url, scope)
            site = CallSite(ModuleRef(function), method.start_point[0] + 1,
                            method.start_point[1], method.end_point[0] + 1, list,
                            lambda path=path: {"url": Concat((base, path)) if base is not None else path},
                            describe=lambda method=method: (self._snippet(method), self._source(method)),
                            function=scope.qualname())
            self.detector.detect(site)

    def _request_function(self, value: Value) -> str | None:
        """The HTTP library's request function an annotation names (retrofit2.http.POST), if it names one."""
        http = self.rules.http
        path = f"{value.module}.{value.name}" if isinstance(value, Ref) else dotted(value)  # import a.b.POST
        return path if path is not None and any(path == f"{module}.{name}" for module in http.modules
                                                for name in http.request_functions) else None

    def _annotation_arguments(self, declaration: Node) -> list[tuple[str, Node]]:
        """(name, first argument) of each annotation of ``declaration`` that has one: ('POST', "chat")."""
        modifiers = next((c for c in declaration.named_children if c.type == "modifiers"), None)
        found = []
        for annotation in modifiers.named_children if modifiers is not None else []:
            arguments = annotation.child_by_field_name("arguments") if annotation.type == "annotation" else None
            if arguments is not None and arguments.named_children:
                found.append((node_text(annotation.child_by_field_name("name")), arguments.named_children[0]))
        return found

    def _first_arguments(self, method: str) -> list[tuple[Node, Node]]:
        """(call, its first argument) for each call of ``method`` on an object in this file: ``.baseUrl(url)``."""
        found = []
        for call in self.calls:
            if call.type == "method_invocation" and node_text(call.child_by_field_name("name")) == method:
                arguments = call.child_by_field_name("arguments")
                if arguments is not None and arguments.named_children:
                    found.append((call, arguments.named_children[0]))
        return found

    def _link_try_fallbacks(self) -> None:
        """A call in ``try { }`` whose ``catch`` block asks another model has that model as its fallback."""
        for node in self.tries:
            body = node.child_by_field_name("body")
            handlers = [c for c in node.named_children if c.type == "catch_clause"]
            if body is None or not handlers:
                continue
            primaries = [r for start, r in self._raw_at.items() if body.start_byte <= start < body.end_byte]
            for handler in handlers:
                backups = [r for start, r in self._raw_at.items() if handler.start_byte <= start < handler.end_byte]
                self.facts.link_try_fallbacks(
                    primaries, backups, f"catch block at line {handler.start_point[0] + 1} calls another model")

    # -- run -----------------------------------------------------------------------------------------

    def run(self, *, eager: bool = True) -> ModuleFacts:
        for call in self.calls:
            self._visit_call(call)
        secret = self.rules.secret_regex
        for string in self.strings:
            if match := secret.search(node_text(string)):
                self.facts.literal_secrets.append((string.start_point[0] + 1, match.group()))
        self._declare_requests()
        self._link_try_fallbacks()
        self._record_beans()
        if not eager and not self.facts.paths and not self.facts.links:
            self.facts.complete = False
            return self.facts
        for name, cls in self.classes.items():
            attrs = {attr: self._class_attr(cls, attr) for attr in cls.self_attrs}
            self.facts.classes[name] = ClassFacts(attrs, ())
            for attr, value in attrs.items():  # static constants, read as Config.MODEL from other files
                if not isinstance(value, Unknown):
                    self.facts.names.setdefault(attr, value)
        for name in self.methods:
            value = self._local_call(name, 0)
            if not isinstance(value, Unknown):
                self.facts.functions[name] = value
        return self.facts

    def _record_beans(self) -> None:
        """``@Bean OpenAIClient client() { return OpenAIOkHttpClient.builder()...build(); }``: by declared type."""
        for method in self.beans:
            declared = self._declared_type(method)
            made = [self.evaluate(r, self.scope_of[method.id], 1) for r in self.returns.get(method.id, [])[:4]]
            known = [v for v in made if not isinstance(v, Unknown)]
            if declared and known:
                self.facts.beans.setdefault(declared, []).extend(known)

    def _declared_type(self, method: Node) -> str:
        """The simple name of the type a method declares it returns ('OpenAIClient')."""
        return node_text(method.child_by_field_name("type")).split("<", 1)[0].rsplit(".", 1)[-1]

    def _snippet(self, node: Node) -> str:
        row = node.start_point[0]
        line = self.lines[row].strip() if row < len(self.lines) else ""
        return self.rules.redacted(line)[:160]

    def _source(self, node: Node) -> str:
        text = " ".join(self.source[node.start_byte : min(node.end_byte, node.start_byte + 240)]
                        .decode(errors="replace").split())
        return self.rules.redacted(text)[:120]


def _annotated(node: Node, names: frozenset[str]) -> bool:
    """Whether a declaration carries one of these annotations (``@Bean``, ``@Bean(name = "x")``)."""
    modifiers = next((c for c in node.named_children if c.type == "modifiers"), None)
    return any(a.type in ("annotation", "marker_annotation") and node_text(a.child_by_field_name("name")) in names
               for a in (modifiers.named_children if modifiers is not None else []))


def _setting(field: Node) -> Value | None:
    """``@Value("${key:default}")`` on a field: the setting it reads, as an env-like value."""
    modifiers = next((c for c in field.named_children if c.type == "modifiers"), None)
    for annotation in modifiers.named_children if modifiers is not None else []:
        if annotation.type != "annotation" or node_text(annotation.child_by_field_name("name")) != "Value":
            continue
        text = node_text(annotation.child_by_field_name("arguments")).strip("()\" ")
        if text.startswith("${") and text.endswith("}"):
            key, colon, default = text[2:-1].partition(":")
            return Env(key, Lit(default) if colon else None)
    return None


def _class_name(creation: Node) -> str:
    """'Builder' for ``new Request.Builder()``: the simple name of the class an object creation makes."""
    return node_text(creation.child_by_field_name("type")).split("<", 1)[0].rsplit(".", 1)[-1]


def _setter_chain(body: Node, parameter: str) -> list[tuple[str, Node | None]] | None:
    """The setters of ``r.a(1).b(2)`` when the chain starts at the lambda's parameter ``r``."""
    setters = []
    current: Node | None = body
    while current is not None and current.type == "method_invocation":
        setters.append((node_text(current.child_by_field_name("name")), current.child_by_field_name("arguments")))
        current = current.child_by_field_name("object")
    return list(reversed(setters)) if current is not None and node_text(current) == parameter and setters else None


def _parameters(node: Node) -> list[Node]:
    parameters = node.child_by_field_name("parameters")
    if parameters is None or parameters.type == "identifier":
        return []
    return [p for p in parameters.named_children if p.type in ("formal_parameter", "spread_parameter", "identifier")]


def analyze_source(source: str, relpath: str, rules: LanguageRules, *, eager: bool = True) -> ModuleFacts:
    """Parse and analyse one Java file. Raises SyntaxError when it is not one."""
    analyzer = JavaAnalyzer(source, relpath, rules)
    try:
        return analyzer.run(eager=eager)
    finally:
        release((analyzer.module_scope, *analyzer.scope_of.values()))
