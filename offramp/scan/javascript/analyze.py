"""Phase one for TypeScript and JavaScript: one file, parsed with tree-sitter, alone.

ES modules and CommonJS alike: imports, ``require``, destructuring, classes with ``this.client`` fields,
object-literal options, template strings, ``process.env``; every call and ``new`` goes to the shared
:class:`~offramp.scan.detect.Detector`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from functools import cache

import tree_sitter
import tree_sitter_javascript
import tree_sitter_typescript

from offramp.scan.detect import CallSite, Detector
from offramp.scan.facts import CallFact, ClassFacts, ModuleFacts, RawPath, module_name
from offramp.scan.rules import LanguageRules
from offramp.scan.scopes import LONG_STRING, Binder, Memo, Scope, release
from offramp.scan.treesitter import MAX_ERROR_SHARE, error_share, node_text, walk_scopes
from offramp.scan.values import (
    NOT_ALWAYS_SET,
    SPREAD,
    Attr,
    Binding,
    CallResult,
    Choice,
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
    ModelHandle,
    ModuleRef,
    Param,
    Ref,
    Router,
    Unknown,
    Value,
    choice,
    dotted,
    named,
    replaced,
    spread_into,
)
from offramp.scan.walk import SkipFile

Node = tree_sitter.Node

SUFFIXES = frozenset({".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"})
MAX_DEPTH = 40
MAX_EVALUATIONS = 200_000
"""Expressions evaluated per file (each at most once, so a file of a few thousand lines needs a few
thousand): beyond this the file is machine-made or hostile, and is reported as skipped instead."""
MAX_CALLEES = 24
"""Functions one call may call (the entries of a map of factories) that are followed."""
MAX_CALL_FACTS = 2_000
"""Calls of the product's own functions recorded per file, with their arguments."""
MAX_LINE = 400
"""Characters of a line kept in a snippet, cut before the secret check so a minified line costs little."""
GLOBALS = frozenset({"fetch", "process", "JSON", "Deno", "Bun", "globalThis", "window", "self"})
"""Names that need no import; anything else unbound stays unknown."""
GLOBAL_OBJECTS = frozenset({"globalThis", "window", "self"})
"""Objects whose properties are the globals: ``window.fetch`` is ``fetch``."""
_FUNCTIONS = frozenset({"function_declaration", "generator_function_declaration", "function_expression",
                        "function", "generator_function", "arrow_function", "method_definition"})
_FUNCTION_EXPRESSIONS = frozenset({"arrow_function", "function_expression", "function", "generator_function"})
_CLASSES = frozenset({"class_declaration", "class", "abstract_class_declaration"})
_SCOPE_OPENERS = _FUNCTIONS | _CLASSES
_RECORDED = frozenset({
    "variable_declarator", "assignment_expression", "public_field_definition", "field_definition",
    "import_statement", "export_statement", "for_in_statement", "call_expression", "new_expression",
    "await_expression", "try_statement", "return_statement", "string", "template_string", "binary_expression",
})
"""The kinds of node that :meth:`JsAnalyzer._visit` records (its cases): the walk calls it for those only."""
_TYPE_CASTS = frozenset({"as_expression", "satisfies_expression"})
_WRAPPERS = _TYPE_CASTS | {"parenthesized_expression", "await_expression", "non_null_expression", "type_assertion"}
_CHAIN_LINKS = frozenset({"call_expression", "new_expression", "member_expression"})
_PRODUCT_ALIASES = ("@/", "~/", "#/")
"""Path aliases that point into the product (tsconfig "paths"); resolved by module-name suffix."""


@cache
def _parser(suffix: str) -> tree_sitter.Parser:
    if suffix == ".tsx":
        language = tree_sitter_typescript.language_tsx()
    elif suffix in (".ts", ".mts", ".cts"):
        language = tree_sitter_typescript.language_typescript()
    else:
        language = tree_sitter_javascript.language()
    return tree_sitter.Parser(tree_sitter.Language(language))


class JsAnalyzer:
    def __init__(self, source: str, relpath: str, rules: LanguageRules) -> None:
        self.rules = rules
        self.source = source.encode()
        self.lines = source.splitlines()
        self.relpath = relpath
        tree = _parser(posixpath.splitext(relpath)[1].lower()).parse(self.source)
        if tree.root_node.has_error and error_share(tree.root_node) > MAX_ERROR_SHARE:
            raise SyntaxError(f"not valid {posixpath.splitext(relpath)[1]} (tree-sitter could not parse it)")
        self.root = tree.root_node
        self.facts = ModuleFacts(module_name(relpath), relpath, "javascript")
        self.detector = Detector(rules, self.facts)
        self.module_scope = Scope("module", "<module>", None, self.root)
        self.scope_of: dict[int, Scope] = {}
        self.classes: dict[str, Scope] = {}
        self.class_bases: dict[str, tuple[Node, Scope]] = {}
        self._product_modules: set[str] = set()
        """The product's own modules this file loads (``require("./helpers")``), as opposed to packages."""
        self.declared_types: dict[int, tuple[Node, Scope]] = {}
        """Parameters and fields with a declared type (``client: OpenAI``), by the id of the name's node."""
        self.declared_fields: dict[tuple[int, str], Node] = {}
        """(id of the class scope, field) -> the name node of a field that is only declared, with a type."""
        self.methods: dict[tuple[int, str], Node] = {}
        """(id of the class scope, method name) -> the method."""
        self.stores: dict[tuple[int, str], list[tuple[str, Node, Scope]]] = {}
        """(id of the scope that binds a name, the name) -> properties written on it (``name.key = value``)."""
        self.calls: list[Node] = []
        self.tries: list[Node] = []
        self.returns: dict[int, list[Node]] = {}
        self.strings: list[Node] = []
        self._memo: Memo[Value] = Memo()
        self._values: dict[int, Value] = {}
        """Calls and member reads by node id: a chain ``a.b().c()`` is evaluated once, not once per link."""
        self._evaluations = 0
        self._cycles = 0
        """How often a name was read while it was being computed, or the depth limit cut an evaluation short;
        results that saw one are partial."""
        self._awaited: set[int] = set()
        self._comparisons: list[tuple[Node, Scope, Lit]] = []
        """Expressions the code compares with an address literal, and that literal."""
        self._compared: dict[str, list[Value]] | None = None
        self._declared_names: dict[int, str] = {}
        """Function expressions declared with a name (``const send = async (url) => ...``), by node id."""
        self._raw_at: dict[int, RawPath] = {}
        self._call_facts = 0
        self._argument_lists: dict[int, tuple[Node, ...]] = {}
        """How many calls ``facts.calls`` holds (counted: summing its lists for each call was quadratic)."""
        self._build()

    # -- one pass: scopes, binders, calls ----------------------------------------------------------------

    def _build(self) -> None:
        walk_scopes(self.root, self.module_scope, self._enter, self._visit, self.scope_of,
                    opens=_SCOPE_OPENERS, records=_RECORDED)

    def _enter(self, node: Node, kind: str, scope: Scope) -> Scope:
        """The scope a node opens for its children, or the one it is in."""
        inner = scope
        if kind in _FUNCTIONS:
            inner = self._function_scope(node, scope)
        elif kind in _CLASSES:
            inner = self._class_scope(node, scope)
        return inner

    def _visit(self, node: Node, kind: str, scope: Scope) -> None:
        """What a node binds or is: imports, variables, fields, calls, try blocks, returns, long strings."""
        match kind:
            case "variable_declarator":
                target, value = node.child_by_field_name("name"), node.child_by_field_name("value")
                self._bind_pattern(target, value, scope)
                if target is not None and target.type == "identifier" and value is not None and \
                        value.type in _FUNCTION_EXPRESSIONS:
                    self._declared_names[value.id] = node_text(target)
            case "assignment_expression":
                self._bind_assignment(node, scope)
            case "public_field_definition" | "field_definition":
                self._bind_field(node, scope)
            case "import_statement":
                self._bind_import(node, scope)
            case "export_statement":
                if (value := node.child_by_field_name("value")) is not None:
                    scope.bind("default", Binder("expr", value, scope))
                elif any(c.type == "default" for c in node.children) and \
                        (declared := node.child_by_field_name("declaration")) is not None and \
                        (name := declared.child_by_field_name("name")) is not None:
                    # export default class Model { }: the export is the class (or function) it declares
                    scope.bind("default", Binder("import", name, scope, Ref(self.facts.module, node_text(name))))
            case "for_in_statement":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is not None and right is not None:
                    self._bind_pattern(left, right, scope, "element")
            case "call_expression" | "new_expression":
                self.calls.append(node)
                self._note_comparison(node, scope)
            case "binary_expression":
                self._note_comparison(node, scope)
            case "await_expression":
                awaited = node.named_children[0] if node.named_children else None
                while awaited is not None and awaited.type in _WRAPPERS and awaited.named_children:
                    awaited = awaited.named_children[0]
                if awaited is not None:
                    self._awaited.add(awaited.id)
            case "try_statement":
                self.tries.append(node)
            case "return_statement":
                owner = scope.enclosing_function()
                if owner is not None and node.named_children:
                    self.returns.setdefault(owner.node.id, []).append(node.named_children[0])  # type: ignore[union-attr]
            case "string" | "template_string" if node.end_byte - node.start_byte > LONG_STRING:
                self.strings.append(node)

    def _function_scope(self, node: Node, scope: Scope) -> Scope:
        name_node = node.child_by_field_name("name")
        name = node_text(name_node) if name_node is not None else "<anonymous>"
        if node.type in ("function_declaration", "generator_function_declaration"):
            scope.defs.add(name)
        elif (declared := self._declared_names.get(node.id)) is not None:
            # `const send = async (url, body) => {...}` is a function named send: its parameters take what the
            # calls of send pass, as a declared function's do
            name = declared
            scope.defs.add(name)
        inner = Scope("function", name, scope, node)
        if node.type == "method_definition" and scope.kind == "class":
            inner.owner_class = scope
            if any(c.type == "get" for c in node.children):  # get client() { ... }: reading it calls it
                scope.self_attrs.setdefault(name, []).append(Binder("getter", node, inner))
        elif scope.owner_class is not None and node.type == "arrow_function":
            inner.owner_class = scope.owner_class  # an arrow function keeps its method's `this`
        elif scope.kind == "class":
            inner.owner_class = scope  # a class field holding an arrow function
        if node.type == "method_definition" and scope.kind == "class":
            self.methods[(id(scope), name)] = node
        parameters = node.child_by_field_name("parameters") or node.child_by_field_name("parameter")
        listed = [parameters] if parameters is not None and parameters.type == "identifier" else \
            [p for p in parameters.named_children if p.type != "comment"] if parameters is not None else []
        for index, parameter in enumerate(listed):  # the payload: (default, position)
            if parameter.type == "identifier":
                inner.bind(node_text(parameter), Binder("param", parameter, inner, (None, index)))
                continue
            pattern = parameter if parameter.type == "object_pattern" else \
                parameter.child_by_field_name("pattern") or parameter.child_by_field_name("left")
            default = parameter.child_by_field_name("value") or parameter.child_by_field_name("right")
            if pattern is not None and pattern.type == "object_pattern":  # ({ openai, text }) => ...
                self._bind_pattern(pattern, pattern, inner, position=index)
            elif pattern is not None and pattern.type == "identifier":
                inner.bind(node_text(pattern), Binder("param", pattern, inner, (default, index)))
                if (declared := parameter.child_by_field_name("type")) is not None:
                    self.declared_types[pattern.id] = (declared, scope)
        return inner

    def _class_scope(self, node: Node, scope: Scope) -> Scope:
        name_node = node.child_by_field_name("name")
        name = node_text(name_node) if name_node is not None else "<class>"
        inner = Scope("class", name, scope, node)
        self.classes.setdefault(name, inner)
        heritage = next((c for c in node.named_children if c.type == "class_heritage"), None)
        if heritage is not None:  # JavaScript: `extends X` directly; TypeScript: inside an extends_clause
            clause = next((c for c in heritage.named_children if c.type == "extends_clause"), heritage)
            base = next((c for c in clause.named_children if c.type not in ("extends", "type_arguments")), None)
            if base is not None:
                self.class_bases[name] = (base, scope)
        if node.type != "class":
            scope.defs.add(name)
        return inner

    def _bind_pattern(self, target: Node | None, value: Node | None, scope: Scope, kind: str = "expr",
                      position: int | None = None) -> None:
        """Bind the names a declaration or assignment target introduces; ``position``: the target is that
        parameter of the function whose scope this is (its properties are what callers pass there)."""
        if target is None:
            return
        if target.type == "identifier":
            scope.bind(node_text(target), Binder(kind, value, scope))  # type: ignore[arg-type]
        elif target.type == "object_pattern" and value is not None:
            for part in target.named_children:
                default = None
                if part.type == "object_assignment_pattern":  # const { model = "gpt-4o" } = options
                    part, default = part.child_by_field_name("left"), part.child_by_field_name("right")
                if part is None:
                    continue
                if part.type == "shorthand_property_identifier_pattern":
                    local, key = node_text(part), node_text(part)
                elif part.type == "pair_pattern":
                    key_node, alias = part.child_by_field_name("key"), part.child_by_field_name("value")
                    if alias is not None and alias.type == "assignment_pattern":  # { model: m = "gpt-4o" }
                        alias, default = alias.child_by_field_name("left"), alias.child_by_field_name("right")
                    if key_node is None or alias is None or alias.type != "identifier":
                        continue
                    local, key = node_text(alias), node_text(key_node).strip("'\"")
                else:
                    continue
                scope.bind(local, Binder("member", value, scope, (key, default, position)))
        elif target.type == "array_pattern" and value is not None and kind == "expr":
            for index, element in enumerate(target.named_children):  # const [url, body] = build()
                if element.type == "identifier":
                    scope.bind(node_text(element), Binder("unpacked", value, scope, index))
        elif target.type in ("lexical_declaration", "variable_declaration"):
            for declarator in target.named_children:
                self._bind_pattern(declarator.child_by_field_name("name"), value, scope, kind)

    def _bind_assignment(self, node: Node, scope: Scope) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return
        if left.type == "identifier":
            scope.bind(node_text(left), Binder("expr", right, scope))
        elif left.type == "member_expression":
            owner, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
            if owner is None or prop is None:
                return
            if owner.type == "this" and scope.owner_class is not None:
                scope.owner_class.self_attrs.setdefault(node_text(prop), []).append(Binder("expr", right, scope))
            elif node_text(owner) == "module" and node_text(prop) == "exports":
                self.module_scope.bind("default", Binder("expr", right, scope))
            elif node_text(owner) in ("exports", "module.exports"):
                self.module_scope.bind(node_text(prop), Binder("expr", right, scope))
            elif owner.type == "identifier" and (found := scope.lookup(node_text(owner))) is not None:
                # options.baseURL = url: the object literal the name holds gains that property
                self.stores.setdefault((id(found[0]), node_text(owner)), []).append((node_text(prop), right, scope))

    def _bind_field(self, node: Node, scope: Scope) -> None:
        name, value = node.child_by_field_name("name") or node.child_by_field_name("property"), \
            node.child_by_field_name("value")
        # `client: AxiosInstance;` only declares the field: the constructor writes it.
        if name is not None and value is not None and scope.kind == "class":
            scope.self_attrs.setdefault(node_text(name), []).append(Binder("expr", value, scope))
        elif name is not None and scope.kind == "class" and (declared := node.child_by_field_name("type")):
            self.declared_types[name.id] = (declared, scope)
            self.declared_fields[(id(scope), node_text(name))] = name

    def _bind_import(self, node: Node, scope: Scope) -> None:
        source = node.child_by_field_name("source")
        if source is None:
            return
        specifier = _string(source)
        module = self._module_value(specifier)
        self._note_sdk_import(specifier)

        def member(name: str) -> Value:  # the product's own exports resolve in phase two
            return Ref(module.module, name) if _is_product(specifier) else Attr(module, name)  # type: ignore[union-attr]

        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        for part in clause.named_children if clause is not None else []:
            if part.type == "identifier":  # import OpenAI from "openai"
                scope.bind(node_text(part), Binder("import", part, scope, member("default")))
            elif part.type == "namespace_import":  # import * as ai from "ai"
                alias = next((c for c in part.named_children if c.type == "identifier"), None)
                if alias is not None:
                    scope.bind(node_text(alias), Binder("import", part, scope, module))
            elif part.type == "named_imports":
                for spec in part.named_children:
                    name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                    if name is not None:
                        local = node_text(alias if alias is not None else name)
                        scope.bind(local, Binder("import", spec, scope, member(node_text(name).strip("'\""))))

    def _module_value(self, specifier: str) -> ModuleRef:
        """An npm package, or one of the product's own modules by its module name."""
        if specifier.startswith((".", "/")):
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(self.relpath), specifier))
            name = module_name(_strip_suffix(joined))
        elif specifier.startswith(_PRODUCT_ALIASES):
            name = module_name(_strip_suffix(specifier[2:]))
        else:
            return ModuleRef(_package_module(specifier))
        self._product_modules.add(name)
        return ModuleRef(name)

    def _note_sdk_import(self, specifier: str) -> None:
        self.facts.sdk_imports |= self.rules.rules_of_import(specifier, "/")

    # -- evaluation ----------------------------------------------------------------------------------

    def evaluate(self, node: Node | None, scope: Scope, depth: int = 0) -> Value:
        if node is None:
            return Unknown("undefined")
        if depth > MAX_DEPTH:
            self._cycles += 1  # what read this is cut short too: not kept
            return Unknown(self._source(node))
        self._evaluations += 1
        if self._evaluations > MAX_EVALUATIONS:
            raise SkipFile(f"analysis budget exceeded ({MAX_EVALUATIONS:,} expressions evaluated)")
        if node.type not in _CHAIN_LINKS:
            return self._evaluate(node, scope, depth)
        if (known := self._values.get(node.id)) is not None:
            return known
        cycles = self._cycles
        value = self._evaluate(node, scope, depth)
        if self._comparisons and isinstance(value, Unknown | CallResult | Attr | Item | Param):
            value = self._compared_with(node, scope, value)
        if cycles == self._cycles:  # a value that read a name mid-computation may be partial: not kept
            self._values[node.id] = value
        return value

    def _evaluate(self, node: Node, scope: Scope, depth: int) -> Value:
        kind = node.type
        match kind:
            case "string":
                return Lit(_string(node))
            case "template_string":
                return self._template(node, scope, depth)
            case "number":
                return Lit(node_text(node))
            case "true" | "false":
                return Lit(kind == "true")
            case "null" | "undefined":
                return Lit(None)
            case "identifier" | "shorthand_property_identifier":
                return self._name(node_text(node), scope, depth + 1)
            case "this":
                owner = scope.owner_class
                return Instance(self.facts.module, owner.name) if owner is not None else Unknown("this")
            case "member_expression":
                return self._member(node, scope, depth)
            case "subscript_expression":
                return self._subscript(node, scope, depth)
            case "call_expression" | "new_expression":
                return self._call_value(node, scope, depth)
            case "ternary_expression":
                return choice([self.evaluate(node.child_by_field_name(f), scope, depth + 1)
                               for f in ("consequence", "alternative")])
            case "binary_expression":
                return self._binary(node, scope, depth)
            case "object":
                return self._object(node, scope, depth)
            case "array":
                return ListVal(tuple(self.evaluate(e, scope, depth + 1) for e in node.named_children
                                     if e.type != "spread_element"))
            case "arrow_function" | "function_expression" | "function":
                return self._function_value(node, depth)
        if kind in _WRAPPERS and node.named_children:
            return self.evaluate(node.named_children[0], scope, depth + 1)
        return Unknown(self._source(node))

    def _note_comparison(self, node: Node, scope: Scope) -> None:
        """``x.includes("api.openai.com")``, ``x.startsWith("https://host")``, ``x === "https://host/v1"``: the code
        tests a run-time value (a header, a setting) against an address; kept for :meth:`_compared_with`."""
        if node.type == "binary_expression":
            operator = node.child_by_field_name("operator")
            if operator is None or node_text(operator) not in ("===", "=="):
                return
            sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
            literal = next((n for n in sides if n is not None and n.type == "string"), None)
            tested = next((n for n in sides if n is not None and n is not literal and n.type != "string"), None)
        else:
            callee = node.child_by_field_name("function")
            if callee is None or callee.type != "member_expression" or \
                    node_text(callee.child_by_field_name("property")) not in _TESTS_OF_TEXT or \
                    len(arguments := self._arguments(node)) != 1:
                return
            literal, tested = arguments[0], callee.child_by_field_name("object")
        if literal is not None and tested is not None and literal.type == "string" and \
                _ADDRESS.fullmatch(text := _string(literal)):
            self._comparisons.append((tested, scope, Lit(text, f"compared with {node_text(tested)[:60]!r} at line "
                                                              f"{node.start_point[0] + 1}")))

    def _compared_with(self, node: Node, scope: Scope, value: Value) -> Value:
        """A value the code cannot see, that it compares with an address somewhere: that address on one of its
        paths (a proxy that tests its target header against a model host forwards there), the unknown on the others."""
        if self._compared is None:
            self._compared = {}
            for tested, in_scope, literal in self._comparisons:
                self._compared.setdefault(self._expression_key(tested, in_scope), []).append(literal)
        addresses = self._compared.get(self._expression_key(node, scope))
        return choice([value, *addresses]) if addresses else value

    def _expression_key(self, node: Node, scope: Scope, depth: int = 0) -> str:
        """An expression's text without layout, a name standing for the one expression it is assigned: the same
        run-time read (``req.headers.get("x-base-url")``) written twice has one key."""
        if node.type == "identifier" and depth < 3 and (found := scope.lookup(node_text(node))) is not None and \
                len(found[1]) == 1 and found[1][0].kind == "expr" and isinstance(found[1][0].node, Node):
            return self._expression_key(found[1][0].node, found[1][0].scope, depth + 1)
        return _LAYOUT.sub("", node_text(node)).replace("?.", ".").replace(",)", ")")

    def _name(self, name: str, scope: Scope, depth: int) -> Value:
        found = scope.lookup(name)
        if found is None:
            outer: Scope | None = scope
            while outer is not None and name not in outer.defs:
                outer = outer.parent
            if outer is not None:  # a function declared here or around: named as Param names its function
                return Ref(self.facts.module, ".".join(filter(None, (outer.qualname(), name))))
            return ModuleRef(name) if name in GLOBALS else Unknown(name)
        owner, binders = found
        fallback = Unknown(name)

        def compute() -> Value:
            value = choice([self._binder(b, name, depth) for b in binders])
            stores = self.stores.get((id(owner), name))
            if not stores or not isinstance(value, DictVal):
                return value
            written = tuple((Lit(key), choice([Unknown(NOT_ALWAYS_SET), self.evaluate(v, in_scope, depth + 1)])
                             if _conditional(v) else self.evaluate(v, in_scope, depth + 1))
                            for key, v, in_scope in stores)
            return DictVal(value.items + written)

        value = self._memo.get((id(owner), name), compute, fallback)
        self._cycles += value is fallback
        return named(value, name)

    def _binder(self, binder: Binder, name: str, depth: int) -> Value:
        node = binder.node if isinstance(binder.node, Node) else None
        match binder.kind:
            case "expr":
                return self.evaluate(node, binder.scope, depth + 1)
            case "element":
                return Item(self.evaluate(node, binder.scope, depth + 1), Unknown(f"element of {name}"))
            case "unpacked":
                return Item(self.evaluate(node, binder.scope, depth + 1), Lit(binder.payload))
            case "member":
                key, default, position = binder.payload if isinstance(binder.payload, tuple) else (
                    str(binder.payload), None, None)
                owner = self.evaluate(node, binder.scope, depth + 1) if position is None else Param(
                    self.facts.module, binder.scope.qualname() or "", node_text(node)[:60], position)
                member = self._attr(owner, key)
                if default is None or _known(member):
                    return member
                return self.evaluate(default, binder.scope, depth + 1)  # the stated default applies
            case "import":
                payload = binder.payload
                return self._attr(payload.base, payload.name) if isinstance(payload, Attr) else payload  # type: ignore[return-value]
            case "getter":
                returned = [self.evaluate(r, binder.scope, depth + 1) for r in self.returns.get(node.id, [])[:4]] \
                    if node is not None else []
                return choice(returned)
            case "param":
                default, index = binder.payload  # type: ignore[misc]
                if isinstance(default, Node):  # what callers pass, and the default where they leave it out
                    stated = self.evaluate(default, binder.scope.parent or binder.scope, depth + 1)
                    return Param(self.facts.module, binder.scope.qualname() or "", name, index, stated)
                declared = self._declared(node, f"parameter '{name}' typed {{type}}, no caller in the repository")
                return Param(self.facts.module, binder.scope.qualname() or "", name, index, declared)
        return Unknown(f"parameter '{name}'")

    def _attr(self, owner: Value, name: str) -> Value:
        if dotted(owner) in self.rules.env_objects:
            return Env(name)
        if isinstance(owner, ModuleRef) and owner.module in GLOBAL_OBJECTS and name in GLOBALS:
            return ModuleRef(name)
        if isinstance(owner, DictVal):
            return next((v for k, v in owner.items if k == Lit(name)), Lit(None, f"no property {name!r}"))
        if isinstance(owner, Instance) and owner.module == self.facts.module:
            cls = self.classes.get(owner.cls)
            if cls is not None and name in cls.self_attrs:
                return self._class_attr(cls, name)
            if cls is not None and (field := self.declared_fields.get((id(cls), name))) is not None:
                declared = self._declared(field, f"field '{name}' typed {{type}}, never assigned in its class")
                if declared is not None:
                    return declared
            if cls is not None and (method := self.methods.get((id(cls), name))) is not None:
                fallback = Unknown(f"this.{name}()")
                value = self._memo.get((id(cls), f"{name}()"), lambda: self._function_value(method, 0), fallback)
                self._cycles += value is fallback
                return value
        if isinstance(owner, Client | Router | Binding | HttpClient | ModelHandle):
            return Member(owner, name)
        if isinstance(owner, Member):
            return Member(owner.owner, f"{owner.chain}.{name}")
        if isinstance(owner, Unknown):
            return Unknown(f"{owner.source}.{name}")
        value = Attr(owner, name)
        if (path := dotted(value)) and (instance := self.detector.instance_for(path)):
            return instance
        return value

    def _class_attr(self, cls: Scope, attr: str) -> Value:
        def compute() -> Value:
            values = [self._binder(b, attr, 0) for b in cls.self_attrs[attr]]
            return choice([v for v in values if not (isinstance(v, Lit) and v.value is None)] or values)

        fallback = Unknown(f"this.{attr}")
        value = self._memo.get((id(cls), f"this.{attr}"), compute, fallback)
        self._cycles += value is fallback
        return value

    def _member(self, node: Node, scope: Scope, depth: int) -> Value:
        owner_node = node.child_by_field_name("object")
        if owner_node is not None and owner_node.type in _TYPE_CASTS:
            # ``params as OpenAI.Chat.Params``: the grammar reads the type's last name as a member of the cast
            # (``as`` binds looser than ``.``, so an unparenthesised cast is never a member's object); the value
            # is the cast expression's
            return self.evaluate(owner_node, scope, depth + 1)
        owner = self.evaluate(owner_node, scope, depth + 1)
        prop = node.child_by_field_name("property")
        return self._attr(owner, node_text(prop)) if prop is not None else Unknown(self._source(node))

    def _subscript(self, node: Node, scope: Scope, depth: int) -> Value:
        owner = self.evaluate(node.child_by_field_name("object"), scope, depth + 1)
        key = self.evaluate(node.child_by_field_name("index"), scope, depth + 1)
        if dotted(owner) in self.rules.env_objects and isinstance(key, Lit) and isinstance(key.value, str):
            return Env(key.value)
        return Item(owner, key)

    def _template(self, node: Node, scope: Scope, depth: int) -> Value:
        parts: list[Value] = []
        position = node.start_byte + 1
        for child in node.named_children:
            if child.type == "template_substitution":
                parts.append(Lit(self.source[position : child.start_byte].decode(errors="replace")))
                inner = child.named_children[0] if child.named_children else None
                parts.append(self.evaluate(inner, scope, depth + 1))
                position = child.end_byte
        parts.append(Lit(self.source[position : node.end_byte - 1].decode(errors="replace")))
        return Concat(tuple(p for p in parts if p != Lit("")))

    def _binary(self, node: Node, scope: Scope, depth: int) -> Value:
        operator = node.child_by_field_name("operator")
        left = self.evaluate(node.child_by_field_name("left"), scope, depth + 1)
        right = self.evaluate(node.child_by_field_name("right"), scope, depth + 1)
        match node_text(operator) if operator is not None else "":
            case "||" | "??":
                return choice([left, right])
            case "+":
                return Concat((left, right))
        return Unknown(self._source(node))

    def _object(self, node: Node, scope: Scope, depth: int) -> DictVal:
        items: list[tuple[Value, Value]] = []
        for part in node.named_children:
            if part.type == "pair":
                key = part.child_by_field_name("key")
                key_value = Lit(_string(key)) if key is not None and key.type in (
                    "property_identifier", "string") else self.evaluate(key, scope, depth + 1)
                items.append((key_value, self.evaluate(part.child_by_field_name("value"), scope, depth + 1)))
            elif part.type == "shorthand_property_identifier":
                items.append((Lit(node_text(part)), self._name(node_text(part), scope, depth + 1)))
            elif part.type == "spread_element" and part.named_children:
                spread_into(items, self.evaluate(part.named_children[0], scope, depth + 1))
        return DictVal(tuple(items))

    def _function_value(self, node: Node, depth: int) -> Value:
        inner = self.scope_of.get(node.id)
        body = node.child_by_field_name("body")
        if inner is None or body is None:
            return Unknown("function")
        if body.type != "statement_block":
            return Function(self.evaluate(body, inner, depth + 1))
        returned = [self.evaluate(r, inner, depth + 1) for r in self.returns.get(node.id, [])[:4]]
        return Function(choice(returned))

    # -- calls ---------------------------------------------------------------------------------------

    def _arguments(self, node: Node) -> tuple[Node, ...]:
        """A call's arguments, listed once (the walk, the call's value and its report each read them)."""
        if (known := self._argument_lists.get(node.id)) is None:
            arguments = node.child_by_field_name("arguments")
            known = self._argument_lists[node.id] = tuple(
                a for a in arguments.named_children if a.type != "comment") if arguments is not None else ()
        return known

    def _callee_and_arguments(self, node: Node, scope: Scope, depth: int) -> tuple[Node | None, tuple[Node, ...]]:
        """The callee and the arguments it receives: ``strategy.call(this, a, b)`` calls ``strategy`` with a and b
        when ``strategy`` is a function of the product (else ``call`` is some object's method)."""
        callee = node.child_by_field_name("function") or node.child_by_field_name("constructor")
        arguments = self._arguments(node)
        if callee is not None and callee.type == "member_expression" and arguments and \
                node_text(callee.child_by_field_name("property")) == "call":
            target = callee.child_by_field_name("object")
            value = self.evaluate(target, scope, depth + 1)
            if isinstance(value, Function | Ref) or _callees(value):
                return target, arguments[1:]
        return callee, arguments

    def _site(self, node: Node, scope: Scope, depth: int,
              parts: tuple[Node | None, tuple[Node, ...]] | None = None) -> CallSite:
        callee, arguments = parts or self._callee_and_arguments(node, scope, depth)

        def args() -> list[Value]:
            return [self.evaluate(a, scope, depth + 1) for a in arguments if a.type != "spread_element"]

        def kwargs() -> dict[str, Value]:
            merged: dict[str, Value] = {}
            for value in args():
                if isinstance(value, DictVal):
                    merged.update({k.value: v for k, v in value.items
                                   if isinstance(k, Lit) and isinstance(k.value, str)})
            return merged

        return CallSite(
            self.evaluate(callee, scope, depth + 1), node.start_point[0] + 1, node.start_point[1],
            node.end_point[0] + 1, args, kwargs, describe=lambda: (self._snippet(node), self._source(node)),
            function=scope.qualname(), awaited=node.id in self._awaited,
        )

    def _imported(self, node: Node) -> str | None:
        """The module a ``require("x")`` or ``import("x")`` call loads, else None."""
        callee = node.child_by_field_name("function")
        if callee is None or callee.type not in ("identifier", "import"):
            return None
        arguments = self._arguments(node)
        if node_text(callee) in ("require", "import") and arguments and arguments[0].type == "string":
            return _string(arguments[0])
        return None

    def _call_value(self, node: Node, scope: Scope, depth: int) -> Value:
        if (specifier := self._imported(node)) is not None:
            return self._module_value(specifier)
        if (built := self._built_string(node, scope, depth)) is not None:
            return built
        site = self._site(node, scope, depth)
        if callees := _callees(site.func):  # PROVIDERS[name](options): each function the map holds may be called
            made = [self._called(self._calling(site, callee), node) for callee in callees]
            return choice(made) if any(not isinstance(v, Unknown) for v in made) else Unknown(self._source(node))
        if isinstance(site.func, Choice):  # provider(modelId) where provider is one of several SDK providers
            handles = [self.detector.call_value(self._calling(site, option)) for option in site.func.options]
            if any(handles):
                return choice([h or Unknown(self._source(node)) for h in handles])
        return self._called(site, node)

    @staticmethod
    def _calling(site: CallSite, callee: Value) -> CallSite:
        """The same call with one of its possible callees (the arguments evaluated once for all)."""
        return replace(site, func=callee, evaluate_args=lambda: site.args, evaluate_kwargs=lambda: site.kwargs)

    def _called(self, site: CallSite, node: Node) -> Value:
        """What a call of ``site.func`` returns: what it makes (a client, a model), else what phase two reads."""
        if (value := self.detector.call_value(site)) is not None:
            return value
        if isinstance(site.func, Function):
            return site.func.returns
        if isinstance(site.func, Ref):  # a product function: what it returns for these arguments
            return CallResult(site.func, tuple(site.args))
        if isinstance(site.func, ModuleRef) and site.func.module in self._product_modules:
            # require("./init")(...): a CommonJS module that exports one function (module.exports = fn)
            return CallResult(Ref(site.func.module, "default"), tuple(site.args))
        if isinstance(site.func, Attr):
            return CallResult(site.func)
        return Unknown(self._source(node))

    def _built_string(self, node: Node, scope: Scope, depth: int) -> Value | None:
        """URLs built by the standard library: ``[base, path].join("/")``, ``new URL(path, base)``,
        ``url.toString()``, ``String(url)``; None for any other call."""
        callee = node.child_by_field_name("function") or node.child_by_field_name("constructor")
        arguments = [a for a in self._arguments(node) if a.type != "spread_element"]
        if callee is None:
            return None
        if callee.type == "identifier":
            name = node_text(callee)
            if name == "URL" and node.type == "new_expression" and arguments and scope.lookup("URL") is None:
                path = self.evaluate(arguments[0], scope, depth + 1)
                if len(arguments) < 2 or (isinstance(path, Lit) and str(path.value).startswith(("http:", "https:"))):
                    return path
                return Concat((self.evaluate(arguments[1], scope, depth + 1), path))
            if name == "String" and len(arguments) == 1 and scope.lookup("String") is None:
                return self.evaluate(arguments[0], scope, depth + 1)
            return None
        prop = callee.child_by_field_name("property") if callee.type == "member_expression" else None
        method = node_text(prop) if prop is not None else ""
        if method in ("replace", "replaceAll") and _strips_trailing_slashes(arguments):
            method, arguments = "trimEnd", []  # base.replace(/\/+$/, ""): the same server
        elif method in ("replace", "replaceAll") and len(arguments) == 2 and all(a.type == "string" for a in arguments):
            owner = self.evaluate(callee.child_by_field_name("object"), scope, depth + 1)
            return replaced(owner, [Lit(_string(a)) for a in arguments], 1 if method == "replace" else -1)
        if method not in ("join", "toString", *_SAME_STRING) or (method != "join" and arguments):
            return None
        owner = self.evaluate(callee.child_by_field_name("object"), scope, depth + 1)
        if method != "join":  # a URL object's text, or a string trimmed: the same address
            return owner if isinstance(owner, Lit | Concat | Env | Param | Choice) else None
        separator = self.evaluate(arguments[0], scope, depth + 1) if arguments else Lit(",")
        if not isinstance(owner, ListVal) or not isinstance(separator, Lit):
            return None
        parts: list[Value] = []
        for item in owner.items:
            parts += [separator, item] if parts else [item]
        return Concat(tuple(parts))

    def _visit_call(self, node: Node) -> None:
        if (specifier := self._imported(node)) is not None:
            self._note_sdk_import(specifier)
            return
        scope = self.scope_of.get(node.id, self.module_scope)
        _, arguments = parts = self._callee_and_arguments(node, scope, 0)
        site = self._site(node, scope, 0, parts)
        if raw := self.detector.detect(site):
            self._raw_at[node.start_byte] = raw
        elif self._call_facts < MAX_CALL_FACTS and \
                (callee := self._product_callee(node, site.func, scope)) is not None:
            self._call_facts += 1
            self.facts.calls.setdefault(_last_name(callee), []).append(CallFact(
                callee, node.start_point[0] + 1,
                tuple(Unknown("spread argument") if a.type == "spread_element" else self.evaluate(a, scope)
                      for a in arguments), (),
                node.start_point[1], node.end_point[0] + 1, scope.qualname(), self._snippet(node)))

    def _product_callee(self, node: Node, func: Value, scope: Scope) -> Value | None:
        """The product function a call may call, as phase two matches it against a :class:`Param`'s function:
        a Ref (imported, module-level or nested function, a class for ``new``) or an attribute of an instance."""
        callee = node.child_by_field_name("function")
        if callee is not None and callee.type == "super" and scope.owner_class is not None:
            base = self._bases(scope.owner_class.name)  # super(options) calls the base class's constructor
            if base:
                module, _, cls = base[0].rpartition(".")
                return Ref(module or self.facts.module, cls)
            return None
        if callee is not None and callee.type == "member_expression" and scope.owner_class is not None:
            owner, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
            if owner is not None and owner.type == "this" and prop is not None:
                return Attr(Instance(self.facts.module, scope.owner_class.name), node_text(prop))
        if isinstance(func, Ref) or (isinstance(func, Attr) and isinstance(func.base, Instance | Ref)):
            return func  # a function, a method, or a static method (Cls.parse(url))
        if isinstance(func, Function) and callee is not None and callee.type == "identifier" and \
                (found := scope.lookup(node_text(callee))) is not None and len(found[1]) == 1 and \
                isinstance(defined := found[1][0].node, Node) and defined.id in self._declared_names:
            return Ref(self.facts.module, self.scope_of[defined.id].qualname() or node_text(callee))
        if isinstance(func, Attr) and isinstance(func.base, ModuleRef) and func.base.module in self._product_modules:
            return func  # const { stream } = require("./helpers"); stream(...)
        return None

    def _link_try_fallbacks(self) -> None:
        """A call in ``try { }`` whose ``catch`` block asks another model has that model as its fallback."""
        for node in self.tries:
            body, handler = node.child_by_field_name("body"), node.child_by_field_name("handler")
            if body is None or handler is None:
                continue
            primaries = [r for start, r in self._raw_at.items() if body.start_byte <= start < body.end_byte]
            backups = [r for start, r in self._raw_at.items() if handler.start_byte <= start < handler.end_byte]
            self.facts.link_try_fallbacks(
                primaries, backups, f"catch block at line {handler.start_point[0] + 1} calls another model")

    # -- run -----------------------------------------------------------------------------------------

    def run(self, *, eager: bool = True) -> ModuleFacts:
        # Innermost first: in a chain a().b().c() each link then finds the one it calls already evaluated.
        for call in reversed(self.calls):
            self._visit_call(call)
        secret = self.rules.secret_regex
        for string in self.strings:
            if match := secret.search(self.source[string.start_byte : string.end_byte].decode(errors="replace")):
                self.facts.literal_secrets.append((string.start_point[0] + 1, match.group()))
        self._link_try_fallbacks()
        if not eager and not self.facts.paths and not self.facts.links:
            self.facts.complete = False
            for name, scope in self.classes.items():  # the class tree: a subclass of a model class built elsewhere
                methods = [method for owner, method in self.methods if owner == id(scope)]
                self.facts.classes[name] = ClassFacts({}, self._bases(name),
                                                      {m: Unknown(f"{name}.{m}()") for m in methods})
            return self.facts
        for name in self.module_scope.bindings:
            if name in self.module_scope.defs:
                continue  # a function declared with const: among the functions, called through a Ref
            value = self._name(name, self.module_scope, 0)
            if not isinstance(value, Unknown):
                self.facts.names[name] = value
        for name, scope in self.classes.items():
            attrs = {attr: self._class_attr(scope, attr) for attr in scope.self_attrs}
            methods = {method: _returned(self._function_value(node, 0))
                       for (owner, method), node in self.methods.items() if owner == id(scope)}
            self.facts.classes[name] = ClassFacts(attrs, self._bases(name), methods)
        for scope in {id(s): s for s in self.scope_of.values()}.values():
            # Declared functions, nested ones by their qualified name (what Param names): callers find them here.
            if scope.kind != "function" or scope.parent is None or scope.name not in scope.parent.defs:
                continue
            body = scope.node.child_by_field_name("body")  # type: ignore[union-attr]
            expressions = [body] if body is not None and body.type != "statement_block" else \
                self.returns.get(scope.node.id, [])[:4]  # type: ignore[union-attr]
            returned = [v for v in (self.evaluate(r, scope) for r in expressions) if not isinstance(v, Unknown)]
            self.facts.functions[scope.qualname() or scope.name] = choice(returned) if returned else \
                Unknown(f"what {scope.name}() returns")
        return self.facts

    def _declared(self, name: Node | None, why: str) -> Value | None:
        """The SDK client a declared type names (``client: OpenAI``): its endpoint is whoever made it."""
        if name is None or (found := self.declared_types.get(name.id)) is None:
            return None
        annotation, scope = found
        written = next((c for c in annotation.named_children), None)
        if written is None or written.type not in ("type_identifier", "nested_type_identifier"):
            return None
        head = written.child_by_field_name("module") if written.type == "nested_type_identifier" else written
        tail = [node_text(written.child_by_field_name("name"))] if written.type == "nested_type_identifier" else []
        base = self._name(node_text(head), scope, 0) if head is not None else None
        path = dotted(base) if base is not None else None
        if path is None:
            return None
        path = ".".join([path.removesuffix(".default"), *tail]) if path.endswith(".default") and tail else \
            ".".join([path, *tail])
        return self.detector.client_for_type(path, why.format(type=node_text(written)))

    def _bases(self, name: str) -> tuple[str, ...]:
        """The class it extends, as phase two finds it: 'Base' here, or 'module.Base' when imported."""
        if name not in self.class_bases:
            return ()
        node, scope = self.class_bases[name]
        if node.type == "identifier" and node_text(node) in self.classes:
            return (node_text(node),)
        base = self.evaluate(node, scope)
        if isinstance(base, Ref):
            return (f"{base.module}.{base.name}",)
        if isinstance(base, ModuleRef) and base.module in self._product_modules:  # require("./base"): its export
            return (f"{base.module}.default",)
        return (path,) if (path := dotted(base)) else ()

    def _snippet(self, node: Node) -> str:
        row = node.start_point[0]
        line = self.lines[row].strip()[:MAX_LINE] if row < len(self.lines) else ""
        return self.rules.redacted(line)[:160]

    def _source(self, node: Node) -> str:
        text = " ".join(self.source[node.start_byte : min(node.end_byte, node.start_byte + 240)]
                        .decode(errors="replace").split())
        return self.rules.redacted(text)[:120]


_SAME_STRING = ("toString", "trim", "trimEnd", "trimStart")
_TESTS_OF_TEXT = frozenset({"includes", "startsWith", "endsWith"})
_ADDRESS = re.compile(r"(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::\d+)?(?:/[^\s]*)?", re.IGNORECASE)
"""A host or URL, as a literal the code compares a value with ('api.openai.com', 'https://api.x.ai/v1')."""
_LAYOUT = re.compile(r"\s+")
_ENTRY_FILE = re.compile(r"index(?:\.[cm]?[jt]s)?")
_TRAILING_SLASHES = re.compile(r"\\?/[+*]?\$")


def _strips_trailing_slashes(arguments: list[Node]) -> bool:
    """``replace(/[/]+$/, "")``: what it leaves is the same server (a model name is never cut this way)."""
    if len(arguments) != 2 or arguments[0].type != "regex" or _string(arguments[1]) != "" or \
            arguments[1].type != "string":
        return False
    pattern = arguments[0].child_by_field_name("pattern")
    return pattern is not None and bool(_TRAILING_SLASHES.fullmatch(node_text(pattern)))


def _string(node: Node) -> str:
    """The value of a string literal (its fragments, without quotes)."""
    if node.type != "string":
        return node_text(node).strip("'\"")
    return "".join(node_text(c) for c in node.named_children if c.type in ("string_fragment", "escape_sequence"))


def _callees(func: Value) -> tuple[Value, ...]:
    """The functions a call may call when its callee is read from an object literal by a key chosen at run time
    (``PROVIDERS[name]``); () for any other callee."""
    if isinstance(func, Item) and isinstance(func.base, DictVal) and not isinstance(func.key, Lit):
        return tuple(value for key, value in func.base.items[:MAX_CALLEES] if key != Lit(SPREAD))
    return ()


def _returned(function: Value) -> Value:
    return function.returns if isinstance(function, Function) else function


def _last_name(func: Value) -> str:
    """The name a call is indexed by: what phase two looks up for a function's callers."""
    name = func.name if isinstance(func, Ref | Attr) else ""
    return name.rsplit(".", 1)[-1]


def _conditional(node: Node) -> bool:
    """Whether a statement runs only on some paths of its function (inside an ``if``, ``switch`` or ``catch``):
    a property it writes may then be missing."""
    parent = node.parent
    while parent is not None and parent.type not in _FUNCTIONS and parent.type != "program":
        if parent.type in ("if_statement", "switch_case", "catch_clause", "ternary_expression"):
            return True
        parent = parent.parent
    return False


def _known(value: Value) -> bool:
    """Whether a destructured property is seen in the code (else its stated default is what applies)."""
    if isinstance(value, Lit):
        return value.value is not None  # an absent property is undefined: the default applies
    return not isinstance(value, Unknown | Attr) or dotted(value) is not None


def _is_product(specifier: str) -> bool:
    return specifier.startswith((".", "/", *_PRODUCT_ALIASES))


def _package_module(specifier: str) -> str:
    """An npm import as the package rules name it: its entry file written out (``openai/index``,
    ``@scope/pkg/index.mjs``) is the package itself."""
    package, _, entry = specifier.rpartition("/")
    named = package.count("/") >= 1 if package.startswith("@") else bool(package)
    return package if named and _ENTRY_FILE.fullmatch(entry) else specifier


def _strip_suffix(path: str) -> str:
    stem, suffix = posixpath.splitext(path)
    return stem if suffix in SUFFIXES else path


def analyze_source(source: str, relpath: str, rules: LanguageRules, *, eager: bool = True) -> ModuleFacts:
    """Parse and analyse one TypeScript or JavaScript file. Raises SyntaxError when it is not one."""
    analyzer = JsAnalyzer(source, relpath, rules)
    try:
        return analyzer.run(eager=eager)
    finally:
        release((analyzer.module_scope, *analyzer.scope_of.values()))
