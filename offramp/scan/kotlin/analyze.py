"""Phase one for Kotlin: one file, parsed with tree-sitter, alone.

Kotlin calls the same JVM libraries as Java, so this analyser is the Java one with Kotlin's syntax: it
reads top-level and ``const val`` properties, ``object`` and companion constants, class properties set in
primary constructors, ``init`` blocks and secondary constructors, builder chains, named arguments and DSL
blocks (``client.converse { modelId = "m" }``: the assignments play the part of keyword arguments),
string templates, ``?:`` defaults of ``System.getenv``, ``use``/``let``/``also`` receivers and try/catch
fallbacks. Values and calls go to the same :class:`~offramp.scan.detect.Detector`.
"""

from __future__ import annotations

from functools import cache

import tree_sitter
import tree_sitter_kotlin

from offramp.scan.detect import CallSite
from offramp.scan.facts import PACKAGE_SUFFIX, ModuleFacts
from offramp.scan.java.analyze import BEAN_ANNOTATIONS, MAX_DEPTH, JavaAnalyzer
from offramp.scan.rules import LanguageRules
from offramp.scan.scopes import LONG_STRING, Binder, Scope, release
from offramp.scan.treesitter import node_text
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
    Lit,
    Member,
    ModuleRef,
    Ref,
    Unknown,
    Value,
    choice,
    dotted,
)

Node = tree_sitter.Node

SUFFIXES = frozenset({".kt", ".kts"})
_CLASSES = frozenset({"class_declaration", "object_declaration"})
_FUNCTIONS = frozenset({"function_declaration", "secondary_constructor", "anonymous_initializer", "lambda_literal",
                        "anonymous_function"})
_RECORDED = frozenset({
    "package_header", "import", "property_declaration", "for_statement", "assignment", "call_expression",
    "try_expression", "return_expression", "string_literal", "multiline_string_literal",
})
_STRINGS = frozenset({"string_literal", "multiline_string_literal"})
_RECEIVER_LAMBDAS = frozenset({"use", "let", "also"})
"""``x.use { c -> ... }``: the lambda's parameter (or ``it``) is the receiver ``x``."""
_LITERALS = {"true": True, "false": False, "null": None}


@cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_kotlin.language()))


class KotlinAnalyzer(JavaAnalyzer):
    LANGUAGE = "kotlin"
    CLASSES = _CLASSES
    FUNCTIONS = _FUNCTIONS
    RECORDED = _RECORDED

    def _parser(self) -> tree_sitter.Parser:
        return _parser()

    # -- one pass: scopes, binders, calls ----------------------------------------------------------------

    def _visit(self, node: Node, kind: str, scope: Scope) -> None:
        """What a node binds or is: imports, variables, fields, calls, try blocks, returns, long strings."""
        match kind:
            case "package_header":
                self.package = node_text(node.named_children[0]) if node.named_children else ""
            case "import":
                self._bind_import(node)
            case "property_declaration":
                self._bind_property(node, scope)
            case "for_statement":
                declaration = _child(node, "variable_declaration")
                if declaration is not None and (name := _child(declaration, "identifier")) is not None:
                    iterated = declaration.next_named_sibling
                    scope.bind(node_text(name), Binder("element", iterated, scope))
            case "assignment":
                self._bind_assignment(node, scope)
            case "call_expression":
                self.calls.append(node)
            case "try_expression":
                self.tries.append(node)
            case "return_expression":
                owner = scope.enclosing_function()
                if owner is not None and node.named_children:
                    self.returns.setdefault(owner.node.id, []).append(node.named_children[0])  # type: ignore[union-attr]
            case "string_literal" | "multiline_string_literal" if node.end_byte - node.start_byte > LONG_STRING:
                self.strings.append(node)

    def _class_scope(self, node: Node, scope: Scope) -> Scope:
        name = node_text(node.child_by_field_name("name") or _child(node, "identifier")) or "<class>"
        inner = Scope("class", name, scope, node)
        self.classes.setdefault(name, inner)
        scope.defs.add(name)
        parameters = _child(_child(node, "primary_constructor"), "class_parameters")
        for parameter in parameters.named_children if parameters is not None else []:
            name_node = _child(parameter, "identifier")
            if name_node is None:
                continue
            binder = _property_binder(parameter, name_node, inner, _type(parameter))
            inner.self_attrs.setdefault(node_text(name_node), []).append(binder)
        return inner

    def _function_scope(self, node: Node, scope: Scope) -> Scope:
        name = {"secondary_constructor": "constructor", "anonymous_initializer": "init"}.get(node.type) or node_text(
            node.child_by_field_name("name")) or "<lambda>"
        inner = Scope("function", name, scope, node)
        inner.owner_class = scope if scope.kind == "class" else scope.owner_class
        if node.type == "function_declaration":
            self.methods.setdefault(name, []).append(node)
            if _annotations(node) & BEAN_ANNOTATIONS:
                self.beans.append(node)
            if self._annotation_arguments(node):
                self.annotated.append(node)
            body = _child(node, "function_body")
            if body is not None and (expression := _value_after(body, "=")) is not None:  # fun model() = "m"
                self.returns.setdefault(node.id, []).append(expression)
        if node.type == "lambda_literal":
            self._bind_lambda_parameters(node, scope, inner)
        parameters = _child(node, "function_value_parameters")
        for parameter in parameters.named_children if parameters is not None else []:
            if parameter.type == "parameter" and (name_node := _child(parameter, "identifier")) is not None:
                inner.bind(node_text(name_node), Binder("param", name_node, inner, _type(parameter)))
        return inner

    def _bind_lambda_parameters(self, node: Node, outer: Scope, inner: Scope) -> None:
        declared = _child(node, "lambda_parameters")
        names = [node_text(_child(d, "identifier")) for d in declared.named_children] if declared is not None else []
        call = node.parent.parent if node.parent is not None and node.parent.type == "annotated_lambda" else None
        callee = call.named_children[0] if call is not None and call.named_children else None
        receiver = _navigation(callee)
        if receiver is not None and receiver[1] in _RECEIVER_LAMBDAS and len(names) <= 1:
            inner.bind(names[0] if names else "it", Binder("expr", receiver[0], outer))
            return
        for name in names:
            inner.bind(name, Binder("param", None, inner, None))

    def _bind_import(self, node: Node) -> None:
        target = _child(node, "qualified_identifier") or _child(node, "identifier")
        if target is None:
            return
        path = node_text(target)
        self._note_sdk_import(path)
        if any(c.type == "*" for c in node.children):
            self.wildcards.append(path)
            return
        alias = _value_after(node, "as")
        owner, _, name = path.rpartition(".")
        local = node_text(alias) if alias is not None else name
        if name[:1].isupper() and not name.isupper():
            value: Value = self._class_ref(path)
        elif owner.rpartition(".")[2][:1].islower() and self._is_product(owner) \
                and not owner.startswith(tuple(self.rules.http.modules)):
            # import com.acme.config.client: a top-level function or constant of one of the package's files
            value = Attr(self._class_ref(owner + PACKAGE_SUFFIX), name)
        else:  # import com.acme.Models.CHAT: a member of an object
            value = Attr(self._class_ref(owner), name)
        self.module_scope.bind(local, Binder("import", node, self.module_scope, value))

    def _bind_property(self, node: Node, scope: Scope) -> None:
        declaration = _child(node, "variable_declaration")
        name_node = _child(declaration, "identifier")
        if name_node is None:  # val (a, b) = ...
            return
        name = node_text(name_node)
        binder = _property_binder(node, name_node, scope, _type(declaration))
        if scope.kind == "class":
            scope.self_attrs.setdefault(name, []).append(binder)
        else:
            scope.bind(name, binder)

    def _bind_assignment(self, node: Node, scope: Scope) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        operator = node.child_by_field_name("operator")
        if left is None or right is None or (operator is not None and node_text(operator) != "="):
            return
        field = None
        navigation = _navigation(left)
        if navigation is not None and navigation[0].type == "this_expression":
            field = navigation[1]
        elif left.type == "identifier":
            found = scope.lookup(node_text(left))
            if found is not None and found[0].kind != "class":
                found[0].bind(node_text(left), Binder("expr", right, scope))
                return
            if scope.name == "<lambda>":
                return  # converse { modelId = "m" }: a DSL block fills in a request, see _dsl
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
        match node.type:
            case "string_literal" | "multiline_string_literal":
                return self._string(node, scope, depth)
            case "number_literal" | "float_literal" | "integer_literal" | "long_literal":
                return Lit(node_text(node))
            case "identifier" if node_text(node) in _LITERALS:
                return Lit(_LITERALS[node_text(node)])
            case "identifier":
                return self._identifier(node_text(node), scope, depth + 1)
            case "this_expression":
                owner = scope if scope.kind == "class" else scope.owner_class
                return Instance(self.facts.module, owner.name) if owner is not None else Unknown("this")
            case "navigation_expression":
                receiver, name = _navigation(node) or (None, "")
                return self._attr(self.evaluate(receiver, scope, depth + 1), name)
            case "call_expression":
                return self._call_value(node, scope, depth)
            case "binary_expression":
                return self._binary(node, scope, depth)
            case "if_expression":
                condition = node.child_by_field_name("condition")
                return choice([self._result(b, scope, depth) for b in node.named_children
                               if condition is None or b.id != condition.id])
            case "when_expression":
                return choice([self._result(e.named_children[-1], scope, depth)
                               for e in node.named_children if e.type == "when_entry" and e.named_children])
            case "lambda_literal":
                return self._lambda(node, depth)
            case "parenthesized_expression":
                return self.evaluate(node.named_children[-1] if node.named_children else None, scope, depth + 1)
            case "as_expression":
                return self.evaluate(node.child_by_field_name("left"), scope, depth + 1)
        return Unknown(self._source(node))

    def _string(self, node: Node, scope: Scope, depth: int) -> Value:
        parts: list[Value] = []
        for part in node.named_children:
            if part.type == "string_content":
                parts.append(Lit(node_text(part)))
            elif part.type == "escape_sequence":
                escaped = node_text(part)
                parts.append(Lit(escaped[1:] if escaped[1:] in ("$", '"', "'", "\\") else escaped))
            elif part.type == "interpolation":
                inner = part.named_children[-1] if part.named_children else None
                parts.append(self.evaluate(inner, scope, depth + 1))
        if all(isinstance(p, Lit) for p in parts):
            text = "".join(str(p.value) for p in parts)  # type: ignore[union-attr]
            return Lit(text.strip() if node.type == "multiline_string_literal" else text)
        return Concat(tuple(parts))

    def _binary(self, node: Node, scope: Scope, depth: int) -> Value:
        operator = node_text(node.child_by_field_name("operator"))
        left = self.evaluate(node.child_by_field_name("left"), scope, depth + 1)
        right = self.evaluate(node.child_by_field_name("right"), scope, depth + 1)
        if operator == "+":
            return Concat((left, right))
        if operator == "?:":  # System.getenv("MODEL") ?: "gpt-4o"
            return Env(left.name, right) if isinstance(left, Env) and left.default is None else choice([left, right])
        return Unknown(self._source(node))

    def _result(self, branch: Node, scope: Scope, depth: int) -> Value:
        """The value of an ``if``/``when`` branch: a block's last expression."""
        if branch.type == "block":
            statements = [s for s in branch.named_children if s.type not in ("line_comment", "block_comment")]
            return self.evaluate(statements[-1], scope, depth + 1) if statements else Unknown("empty block")
        return self.evaluate(branch, scope, depth + 1)

    def _lambda(self, node: Node, depth: int) -> Value:
        inner = self.scope_of.get(node.id)
        statements = [s for s in node.named_children if s.type != "lambda_parameters"]
        if inner is None or not statements:
            return Unknown("lambda")
        return Function(self.evaluate(statements[-1], inner, depth + 1))

    def _dsl(self, node: Node | None, depth: int) -> DictVal | None:
        """``{ modelId = "m"; messages = ... }``: a DSL block's assignments, as the fields it sets."""
        lambda_node = _child(node, "lambda_literal")
        inner = self.scope_of.get(lambda_node.id) if lambda_node is not None else None
        if lambda_node is None or inner is None:
            return None
        fields = [(Lit(node_text(a.child_by_field_name("left"))), self.evaluate(a.child_by_field_name("right"), inner,
                                                                             depth + 1))
                  for a in lambda_node.named_children
                  if a.type == "assignment" and getattr(a.child_by_field_name("left"), "type", "") == "identifier"]
        fields += [(Lit(name), self._setter_value(call, inner, depth)) for name, call in _setter_chain(lambda_node)]
        return DictVal(tuple(fields)) if fields else None

    # -- calls ---------------------------------------------------------------------------------------

    def _annotation_arguments(self, declaration: Node) -> list[tuple[str, Node]]:
        modifiers = _child(declaration, "modifiers")
        found = []
        for annotation in modifiers.named_children if modifiers is not None else []:
            invocation = _child(annotation, "constructor_invocation")
            arguments = _argument_expressions(invocation)
            if (declared := _child(invocation, "user_type")) is not None and arguments:
                found.append((node_text(declared), arguments[0]))
        return found

    def _first_arguments(self, method: str) -> list[tuple[Node, Node]]:
        found = []
        for call in self.calls:
            navigation = _navigation(call.named_children[0] if call.named_children else None)
            arguments = _argument_expressions(call)
            if navigation is not None and navigation[1] == method and arguments:
                found.append((call, arguments[0]))
        return found

    def _kotlin_site(self, node: Node, func: Value, scope: Scope, depth: int,
                     extra: dict[str, Value] | None = None) -> CallSite:
        arguments = _child(node, "value_arguments")
        positional: list[Node] = []
        named: dict[str, Node] = {}
        for argument in arguments.named_children if arguments is not None else []:
            if argument.type != "value_argument" or not argument.named_children:
                continue
            if (name := _argument_name(argument)) is not None:
                named[name] = argument.named_children[-1]
            else:
                positional.append(argument.named_children[-1])
        block = _child(node, "annotated_lambda")

        def args() -> list[Value]:
            return [self.evaluate(a, scope, depth + 1) for a in positional]

        def kwargs() -> dict[str, Value]:
            merged: dict[str, Value] = {}
            named_values = {n: self.evaluate(a, scope, depth + 1) for n, a in named.items()}
            # a request built elsewhere, passed by position or by name (imageURL(creation = ImageCreation(...))),
            # or this call's own DSL block
            values = [*args(), *named_values.values(), *filter(None, [self._dsl(block, depth)])]
            for value in values:
                if isinstance(value, DictVal):
                    merged.update({k.value: v for k, v in value.items
                                   if isinstance(k, Lit) and isinstance(k.value, str)})
            merged.update(named_values)
            return merged

        return CallSite(func, node.start_point[0] + 1, node.start_point[1], node.end_point[0] + 1, args, kwargs,
                        describe=lambda: (self._snippet(node), self._source(node)), function=scope.qualname(),
                        extra_kwargs=extra or {})

    def _builder_site(self, node: Node, scope: Scope, depth: int) -> CallSite | None:
        """``X.builder().a(1).b(2).build()`` as the call ``X.builder(a=1, b=2)``."""
        navigation = _navigation(node.named_children[0] if node.named_children else None)
        if navigation is None or navigation[1] not in self.rules.build_methods:
            return None
        setters: list[tuple[str, Node]] = []
        chain: list[Node] = []
        current: Node | None = navigation[0]
        while current is not None and current.type == "call_expression":
            chain.append(current)
            step = _navigation(current.named_children[0])
            if step is None:
                return None
            receiver, name = step
            if name in self.rules.builder_methods:
                func = self._attr(self.evaluate(receiver, scope, depth + 1), name)
                self._consumed.update(c.id for c in chain)
                fields = {n: self._setter_value(call, scope, depth) for n, call in reversed(setters)}
                return self._kotlin_site(node, func, scope, depth, fields)
            setters.append((name, current))
            current = receiver
        return None

    def _setter_value(self, call: Node, scope: Scope, depth: int) -> Value:
        arguments = _child(call, "value_arguments")
        values = [a for a in (arguments.named_children if arguments is not None else []) if a.type == "value_argument"]
        return self.evaluate(values[0].named_children[-1], scope, depth + 1) if values else Lit(True)

    def _method_site(self, node: Node, scope: Scope, depth: int) -> CallSite | None:
        navigation = _navigation(node.named_children[0] if node.named_children else None)
        if navigation is None:
            return None
        receiver, name = navigation
        return self._kotlin_site(node, self._attr(self.evaluate(receiver, scope, depth + 1), name), scope, depth)

    def _function_site(self, node: Node, scope: Scope, depth: int) -> CallSite | None:
        """``BedrockRuntimeClient { ... }``, ``OpenAiChatModel(...)``: a call of a name, not of a local function."""
        callee = node.named_children[0] if node.named_children else None
        if callee is None or callee.type != "identifier" or node_text(callee) in self.methods:
            return None
        return self._kotlin_site(node, self._identifier(node_text(callee), scope, depth + 1), scope, depth)

    def _call_value(self, node: Node, scope: Scope, depth: int) -> Value:
        builder = self._builder_site(node, scope, depth)
        if builder is not None:
            made = self.detector.call_value(builder)
            return made if isinstance(made, Client | Binding | HttpClient) else DictVal(
                tuple((Lit(k), v) for k, v in builder.extra_kwargs.items()))
        site = self._method_site(node, scope, depth) or self._function_site(node, scope, depth)
        if site is None:
            return self._local_call(node_text(node.named_children[0]) if node.named_children else "", depth)
        value = self.detector.call_value(site)
        if isinstance(value, Unknown | None) and (request := self._dsl(_child(node, "annotated_lambda"), depth)):
            return request  # ConverseRequest { modelId = "m" } is the request it fills in
        if isinstance(value, Attr | Unknown) and _is_library_class(self.rules, dotted(site.func)) \
                and (fields := site.kwargs):
            # ChatCompletionRequest(model = ModelId("gpt-4o")): a library's data class is the fields it is given
            return DictVal(tuple((Lit(name), field) for name, field in fields.items()))
        if value is not None:
            return value
        func = site.func
        if isinstance(func, Member) and self._asks_model(func):
            return Unknown(f"response of {site.source}")
        if isinstance(func, Member | Attr) and not (isinstance(func, Attr) and dotted(func)):
            return func
        if isinstance(func, Function):
            return func.returns
        if isinstance(func, Ref) and func.module == self.facts.module and func.name in self.classes:
            return Instance(self.facts.module, func.name)
        if isinstance(func, Ref | Attr | ModuleRef):
            return CallResult(func)
        return Unknown(site.source)

    def _visit_call(self, node: Node) -> None:
        if node.id in self._consumed:
            return
        scope = self.scope_of.get(node.id, self.module_scope)
        site = (self._builder_site(node, scope, 0) or self._method_site(node, scope, 0)
                or self._function_site(node, scope, 0))
        if site is not None and (raw := self.detector.detect(site)):
            self._raw_at[node.start_byte] = raw

    def _link_try_fallbacks(self) -> None:
        """A call in ``try { }`` whose ``catch`` block asks another model has that model as its fallback."""
        for node in self.tries:
            body = _child(node, "block")
            handlers = [c for c in node.named_children if c.type == "catch_block"]
            if body is None or not handlers:
                continue
            primaries = [r for start, r in self._raw_at.items() if body.start_byte <= start < body.end_byte]
            for handler in handlers:
                backups = [r for start, r in self._raw_at.items() if handler.start_byte <= start < handler.end_byte]
                self.facts.link_try_fallbacks(
                    primaries, backups, f"catch block at line {handler.start_point[0] + 1} calls another model")

    def _declared_type(self, method: Node) -> str:
        declared = _child(method, "user_type")
        return node_text(declared.named_children[-1]) if declared is not None and declared.named_children else ""

    def run(self, *, eager: bool = True) -> ModuleFacts:
        facts = super().run(eager=eager)
        if facts.complete:  # top-level properties, read from other files of the package
            for name, binders in self.module_scope.bindings.items():
                if all(b.kind != "import" for b in binders):
                    value = self._name(self.module_scope, binders, name, 0)
                    if not isinstance(value, Unknown):
                        facts.names.setdefault(name, value)
        return facts


def _is_library_class(rules: LanguageRules, path: str | None) -> bool:
    return path is not None and path.rpartition(".")[2][:1].isupper() and rules.is_library_module(path)


def _annotations(node: Node) -> set[str]:
    """The names of a declaration's annotations: {'Bean'} for ``@Bean`` or ``@Bean(name = "x")``."""
    modifiers = _child(node, "modifiers")
    names = set()
    for annotation in modifiers.named_children if modifiers is not None else []:
        invocation = _child(annotation, "constructor_invocation") or annotation
        declared = _child(invocation, "user_type")
        if annotation.type == "annotation" and declared is not None:
            names.add(node_text(declared))
    return names


def _setting(node: Node) -> Value | None:
    """``@Value("\\${key:default}")`` on a property: the setting it reads, as an env-like value."""
    modifiers = _child(node, "modifiers")
    for annotation in modifiers.named_children if modifiers is not None else []:
        invocation = _child(annotation, "constructor_invocation")
        if invocation is None or node_text(_child(invocation, "user_type")) != "Value":
            continue
        text = node_text(_child(invocation, "value_arguments")).strip("()\" ").replace("\\$", "$")
        if text.startswith("${") and text.endswith("}"):
            key, colon, default = text[2:-1].partition(":")
            return Env(key, Lit(default) if colon else None)
    return None


def _setter_chain(lambda_node: Node) -> list[tuple[str, Node]]:
    """``{ it.modelId("m").messages(...) }`` (the AWS SDK v2's request lambdas): the setters and their calls."""
    declared = _child(lambda_node, "lambda_parameters")
    names = [node_text(_child(d, "identifier")) for d in declared.named_children] if declared is not None else ["it"]
    statements = [s for s in lambda_node.named_children if s.type != "lambda_parameters"]
    setters: list[tuple[str, Node]] = []
    current = statements[0] if len(statements) == 1 else None
    while current is not None and current.type == "call_expression" and (
            step := _navigation(current.named_children[0])) is not None:
        setters.append((step[1], current))
        current = step[0]
    return list(reversed(setters)) if current is not None and node_text(current) in names else []


def _navigation(node: Node | None) -> tuple[Node, str] | None:
    """``a.b`` and ``a?.b`` as (a, "b")."""
    if node is None or node.type != "navigation_expression" or len(node.named_children) < 2:
        return None
    return node.named_children[0], node_text(node.named_children[-1])


def _argument_name(argument: Node) -> str | None:
    """``model = "m"`` in a call's arguments: the parameter it names."""
    first = argument.children[0] if argument.children else None
    second = first.next_sibling if first is not None else None
    return node_text(first) if first is not None and first.type == "identifier" and second is not None and \
        second.type == "=" else None


def _type(node: Node | None) -> Node | None:
    """A declaration's type, ``T?`` as ``T``."""
    found = _child(node, "user_type") or _child(node, "nullable_type")
    return _child(found, "user_type") if found is not None and found.type == "nullable_type" else found


def _property_binder(node: Node, name_node: Node, scope: Scope, declared: Node | None) -> Binder:
    """What a property holds: a Spring setting (@Value("\\${spring.ai....model:gpt-4o}")), else its default or
    initial value, else whatever the caller passes (a parameter of the declared type)."""
    setting = _setting(node)
    if setting is not None:
        return Binder("import", node, scope, setting)
    value = _value_after(node, "=") or _lazy_value(_child(node, "property_delegate"))
    if value is not None:
        return Binder("expr", value, scope)
    return Binder("param", name_node, scope, declared)


def _lazy_value(delegate: Node | None) -> Node | None:
    """``by lazy { OpenAI(token) }``: the last expression of the block, made on first use."""
    call = _child(delegate, "call_expression")
    callee = call.named_children[0] if call is not None and call.named_children else None
    if callee is None or callee.type != "identifier" or node_text(callee) != "lazy":
        return None
    block = _child(_child(call, "annotated_lambda"), "lambda_literal")
    statements = [c for c in block.named_children if c.type not in ("lambda_parameters", "comment")] if block else []
    return statements[-1] if statements else None


def _value_after(node: Node | None, token: str) -> Node | None:
    """The named node after ``token`` among the children: a property's initialiser, an import's alias."""
    seen = False
    for child in node.children if node is not None else []:
        if seen and child.is_named:
            return child
        seen = seen or child.type == token
    return None


def _child(node: Node | None, kind: str) -> Node | None:
    return next((c for c in node.named_children if c.type == kind), None) if node is not None else None


def _argument_expressions(node: Node | None) -> list[Node]:
    """The expression of each argument a call or an annotation passes (``(model = x, y)``: x, y)."""
    arguments = _child(node, "value_arguments")
    return [a.named_children[-1] for a in (arguments.named_children if arguments is not None else [])
            if a.type == "value_argument" and a.named_children]


def analyze_source(source: str, relpath: str, rules: LanguageRules, *, eager: bool = True) -> ModuleFacts:
    """Parse and analyse one Kotlin file. Raises SyntaxError when it is not one."""
    analyzer = KotlinAnalyzer(source, relpath, rules)
    try:
        return analyzer.run(eager=eager)
    finally:
        release((analyzer.module_scope, *analyzer.scope_of.values()))
