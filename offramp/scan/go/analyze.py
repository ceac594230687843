"""Phase one for Go: one file, parsed with tree-sitter, alone.

Imports and their aliases, package-level ``const`` and ``var``, struct literals (their fields play the part
of keyword arguments), functional options (``option.WithBaseURL(x)`` passes ``BaseURL``), struct fields set
in constructors and read in methods (``s.client``), ``os.Getenv``; every call goes to the shared
:class:`~offramp.scan.detect.Detector`.

A Go package is a directory: a name this file uses but does not define lives in another file of the
package, so it becomes a :class:`Ref` to the package (:func:`package_module`), which phase two resolves
through the facts of all the package's files merged (:func:`merge_package`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

import tree_sitter
import tree_sitter_go

from offramp.scan.detect import CallSite, Detector
from offramp.scan.facts import (
    PACKAGE_SUFFIX,
    CallFact,
    ClassFacts,
    ModuleFacts,
    RawPath,
    module_name,
    package_module,
)
from offramp.scan.rules import LanguageRules, model_apis
from offramp.scan.scopes import LONG_STRING, Binder, Budget, Memo, Scope, release
from offramp.scan.templates import formatted, joined
from offramp.scan.treesitter import MAX_ERROR_SHARE, error_share, node_text, walk_scopes
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
    Function,
    HttpClient,
    Implementations,
    Instance,
    Item,
    ListVal,
    Lit,
    Member,
    ModelHandle,
    ModuleRef,
    Param,
    Ref,
    Request,
    Router,
    Unknown,
    Value,
    choice,
    dotted,
    named,
)

Node = tree_sitter.Node

SUFFIXES = frozenset({".go"})
MAX_DEPTH = 40
EVALUATION_BUDGET = 200_000
"""Expressions one file may evaluate (each once): far above any real file, far below minutes of work."""
MAX_EMBEDDING = 4
_STATEMENT_LISTS = frozenset({"statement_list", "block"})
"""Structs embedding structs embedding a client: how deep a promoted field is looked for."""
_RECURSIVE = Unknown("a value defined in terms of itself")
BUILTINS = frozenset({"append", "cap", "len", "make", "new", "nil", "panic", "print", "println", "recover",
                      "string", "int", "float64", "bool", "byte", "rune", "error", "any", "copy", "delete",
                      "min", "max", "clear", "true", "false", "iota"})
_FUNCTIONS = frozenset({"function_declaration", "method_declaration", "func_literal"})
_BLOCKS = frozenset({"block", "if_statement", "for_statement", "expression_switch_statement",
                     "type_switch_statement", "expression_case", "type_case", "default_case", "communication_case"})
"""Go's blocks: a name declared in one (``:=``, ``var``) is seen only there, so an if's branches, a switch's
cases and a loop's body each bind their own; an if's, for's or switch's own statement (``if x := f(); ...``)
binds in the statement's implicit block, around its branches. A function's body is its parameters' block."""
_RECORDED = frozenset({
    "import_spec", "const_spec", "var_spec", "type_spec", "short_var_declaration", "assignment_statement",
    "range_clause", "composite_literal", "call_expression", "if_statement", "return_statement",
    "interpreted_string_literal", "raw_string_literal",
})
"""The kinds of node that :meth:`GoAnalyzer._visit` records (its cases): the walk visits those only."""
_WRAPPERS = frozenset({"parenthesized_expression", "unary_expression", "type_assertion_expression",
                       "literal_element", "type_conversion_expression"})
_VERSION = re.compile(r"^v\d+$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'"}


@cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_go.language()))


def import_module(path: str) -> str:
    """'github.com/openai/openai-go/v2/option' -> 'github.com.openai.openai-go.option' (no major version)."""
    return ".".join(part for part in path.split("/") if not _VERSION.match(part))


def package_name(path: str) -> str:
    """The name an unaliased import binds: the last element, as Go modules name their package
    ('openai-go' -> openai, 'go-openai' -> openai, 'anthropic-sdk-go' -> anthropic, 'yaml.v3' -> yaml)."""
    elements = [part for part in path.split("/") if not _VERSION.match(part)]
    name = elements[-1] if elements else path
    name = re.sub(r"\.v\d+$", "", name).removeprefix("go-").removesuffix("-go").removesuffix("-sdk")
    return name.replace("-", "").replace(".", "")


class GoAnalyzer:
    def __init__(self, source: str, relpath: str, rules: LanguageRules) -> None:
        self.rules = rules
        self.source = source.encode()
        self.lines = source.splitlines()
        self.relpath = relpath
        tree = _parser().parse(self.source)
        if tree.root_node.has_error and error_share(tree.root_node) > MAX_ERROR_SHARE:
            raise SyntaxError("not valid Go (tree-sitter could not parse it)")
        self.root = tree.root_node
        self.package = package_module(relpath)
        self.facts = ModuleFacts(module_name(relpath), relpath, "go", package=self.package)
        self.facts.imports.add(self.package)  # its package's other files: their helpers may send what it passes
        self.detector = Detector(rules, self.facts)
        self.module_scope = Scope("module", "<package>", None, self.root)
        self.scope_of: dict[int, Scope] = {}
        self.classes: dict[str, Scope] = {}
        self.functions: dict[str, Node] = {}
        self.methods: dict[str, dict[str, Node]] = {}
        """Methods by their receiver's type: what ``obj.Method()`` returns is known in phase two."""
        self.calls: list[Node] = []
        self.ifs: list[Node] = []
        self.returns: dict[int, list[tuple[Node, Scope]]] = {}
        """Per function: the first value of each of its returns, with the block it is returned from."""
        self.strings: list[Node] = []
        self.embedded: dict[str, list[tuple[str, Node]]] = {}
        """Per struct: its embedded fields (the field's name is its type's) and their declared types."""
        self.named_fields: dict[str, list[tuple[str, Node]]] = {}
        """Per struct: its named fields and their declared types."""
        self.composites: list[Node] = []
        """``&pkg.Service{Client: c}``: literals of another package's structs, which build them as a call would."""
        self.var_fields: dict[tuple[int, str], dict[str, list[Binder]]] = {}
        """``x.Field = value`` for a variable ``x``: by (scope that binds x, x)."""
        self._library_prefixes = _library_prefixes(rules)
        self._memo: Memo[Value] = Memo()
        self.budget = Budget(EVALUATION_BUDGET)
        self._raw_at: dict[int, RawPath] = {}
        self._sent_at: dict[int, Node] = {}
        """Requests built and sent in one function: the id of the building call -> the send."""
        self._sending: set[int] = set()
        self._build()

    # -- one pass: scopes, binders, calls ----------------------------------------------------------------

    def _build(self) -> None:
        walk_scopes(self.root, self.module_scope, self._enter, self._visit, self.scope_of,
                    opens=_FUNCTIONS | _BLOCKS, records=_RECORDED)

    def _enter(self, node: Node, kind: str, scope: Scope) -> Scope:
        """The scope a node opens for its children, or the one it is in."""
        if kind in _FUNCTIONS:
            return self._function_scope(node, scope)
        is_body = kind == "block" and scope.kind == "function" and scope.node == node.parent
        return scope if is_body else scope.block(node)

    def _visit(self, node: Node, kind: str, scope: Scope) -> None:
        """What a node binds or is: imports, variables, fields, calls, try blocks, returns, long strings."""
        match kind:
            case "import_spec":
                self._bind_import(node)
            case "const_spec" | "var_spec":
                self._bind_spec(node, scope)
            case "type_spec":
                name = node.child_by_field_name("name")
                if name is not None:
                    self._class(node_text(name))
                    self._note_fields(node_text(name), node.child_by_field_name("type"))
                    self._note_interface(node_text(name), node.child_by_field_name("type"))
            case "short_var_declaration" | "assignment_statement":
                self._bind_assignment(node, scope)
            case "range_clause":
                declares = any(token.type == ":=" for token in node.children)
                for target in _expressions(node.child_by_field_name("left")):
                    if target.type == "identifier":
                        name = node_text(target)
                        bound_in = scope if declares else self._assigned_scope(name, scope)
                        bound_in.bind(name, Binder("element", node.child_by_field_name("right"), scope))
            case "composite_literal":
                self._note_struct_fields(node, scope)
            case "call_expression":
                self.calls.append(node)
            case "if_statement":
                self.ifs.append(node)
            case "return_statement":
                owner = scope.enclosing_function()
                values = node.named_children[0].named_children if node.named_children else []
                if owner is not None and values:
                    self.returns.setdefault(owner.node.id, []).append((values[0], scope))  # type: ignore[union-attr]
            case "interpreted_string_literal" | "raw_string_literal" if \
                    node.end_byte - node.start_byte > LONG_STRING:
                self.strings.append(node)

    def _note_fields(self, name: str, body: Node | None) -> None:
        """``type Client struct { *anthropic.Client; model string }``: the embedded fields, whose fields and methods
        Go promotes, and the named fields, with their declared types."""
        declarations = body.named_children[0].named_children if body is not None and body.type == "struct_type" \
            and body.named_children else []
        for declaration in declarations:
            type_node = declaration.child_by_field_name("type")
            if declaration.type != "field_declaration" or type_node is None:
                continue
            names = declaration.children_by_field_name("name")
            if not names:
                self.embedded.setdefault(name, []).append((_type_name(type_node), type_node))
            for field_name in names:
                self.named_fields.setdefault(name, []).append((node_text(field_name), type_node))

    def _note_interface(self, name: str, body: Node | None) -> None:
        """``type Adaptor interface { GetRequestURL(...) }``: the methods a type needs to be one (an embedded
        interface's are not required, so a type may be counted that lacks them: a bound from above)."""
        if body is not None and body.type == "interface_type":
            methods = tuple(node_text(n) for m in body.named_children if m.type == "method_elem"
                            and (n := m.child_by_field_name("name")) is not None)
            self.facts.interfaces += ((name, methods),)

    def _class(self, name: str) -> Scope:
        if name not in self.classes:
            self.classes[name] = Scope("class", name, self.module_scope, None)
        return self.classes[name]

    def _function_scope(self, node: Node, scope: Scope) -> Scope:
        name_node = node.child_by_field_name("name")
        name = node_text(name_node) if name_node is not None else "<func>"
        receiver_type = _receiver_type(node) if node.type == "method_declaration" else None
        inner = Scope("function", f"{receiver_type}.{name}" if receiver_type else name, scope, node)
        inner.owner_class = scope.owner_class
        if node.type == "function_declaration":
            self.functions[name] = node
            scope.defs.add(name)
        if receiver_type is not None:
            inner.owner_class = self._class(receiver_type)
            self.methods.setdefault(receiver_type, {})[name] = node
            receiver = node.child_by_field_name("receiver")
            for declaration in receiver.named_children if receiver is not None else []:
                for receiver_name in declaration.children_by_field_name("name"):
                    inner.bind(node_text(receiver_name), Binder("import", receiver_name, inner,
                                                            Instance(self.package, receiver_type)))
        parameters = node.child_by_field_name("parameters")
        for declaration in parameters.named_children if parameters is not None else []:
            declared = declaration.child_by_field_name("type")
            for parameter in declaration.children_by_field_name("name"):
                inner.bind(node_text(parameter), Binder("param", parameter, inner, declared))
        results = node.child_by_field_name("result")
        for declaration in results.named_children if results is not None and results.type == "parameter_list" else []:
            for result in declaration.children_by_field_name("name"):  # (req *http.Request, err error): set by `=`
                inner.bind(node_text(result), Binder("expr", None, inner))
        return inner

    def _bind_import(self, node: Node) -> None:
        path_node, alias = node.child_by_field_name("path"), node.child_by_field_name("name")
        if path_node is None:
            return
        path = _string(path_node)
        module = import_module(path)
        self._note_sdk_import(module)
        local = node_text(alias) if alias is not None else package_name(path)
        if local in ("_", "."):
            return
        if not self._is_library(path, module):  # one of the product's own packages: resolved in phase two
            module += PACKAGE_SUFFIX
        self.module_scope.bind(local, Binder("import", node, self.module_scope, ModuleRef(module)))

    def _is_library(self, path: str, module: str) -> bool:
        """The standard library (no domain in the import path) or a library the rules know."""
        return "." not in path.split("/")[0] or any(
            module == prefix or module.startswith(prefix + ".") for prefix in self._library_prefixes)

    def _note_sdk_import(self, module: str) -> None:
        self.facts.sdk_imports |= self.rules.rules_of_import(module, ".")

    def _bind_spec(self, node: Node, scope: Scope) -> None:
        names = node.children_by_field_name("name")
        values = _expressions(node.child_by_field_name("value"))
        for index, name in enumerate(names):
            value = values[index] if index < len(values) else (values[0] if len(values) == 1 and index == 0 else None)
            scope.bind(node_text(name), Binder("expr", value, scope))

    def _bind_assignment(self, node: Node, scope: Scope) -> None:
        left = _expressions(node.child_by_field_name("left"))
        right = _expressions(node.child_by_field_name("right"))
        operator = node.child_by_field_name("operator")
        if operator is not None and node_text(operator) not in ("=", ":="):
            return  # x += y keeps x a string of the same shape
        for index, target in enumerate(left):
            # v, err := f(): the first name takes the call's value, the rest are errors and flags.
            value = right[index] if len(right) == len(left) else (right[0] if index == 0 and right else None)
            if target.type == "identifier" and node_text(target) != "_":
                name = node_text(target)
                bound_in = scope if node.type == "short_var_declaration" else self._assigned_scope(name, scope)
                bound_in.bind(name, Binder("expr", value, scope))
            elif target.type == "selector_expression":
                self._bind_field(target, value, scope)

    @staticmethod
    def _assigned_scope(name: str, scope: Scope) -> Scope:
        """Where ``name = value`` sets the name: the block that declares it, or, for a variable another file of the
        package declares, the function (seen there after the block that sets it)."""
        found = scope.lookup(name)
        return found[0] if found else scope.enclosing_function() or scope

    def _bind_field(self, target: Node, value: Node | None, scope: Scope) -> None:
        """``x.Field = value``: a field of the variable x, and of its struct when x is a method's receiver."""
        owner, field = target.child_by_field_name("operand"), target.child_by_field_name("field")
        if owner is None or field is None or owner.type != "identifier":
            return
        found = scope.lookup(node_text(owner))
        if found is None:
            return
        binder = Binder("expr", value, scope)
        bound_in, binders = found
        self.var_fields.setdefault((id(bound_in), node_text(owner)), {}).setdefault(node_text(field), []).append(binder)
        receiver = next((b.payload for b in binders if isinstance(b.payload, Instance)), None)
        if receiver is not None:
            self._class(receiver.cls).self_attrs.setdefault(node_text(field), []).append(binder)

    def _note_struct_fields(self, node: Node, scope: Scope) -> None:
        """``&Service{client: c}``: each field is one value the struct's field can hold."""
        type_node = node.child_by_field_name("type")
        if type_node is not None and type_node.type == "qualified_type":
            self.composites.append(node)
        if type_node is None or type_node.type != "type_identifier":
            return
        cls = self._class(node_text(type_node))
        for key, value in _keyed_elements(node):
            if key.type == "identifier":
                cls.self_attrs.setdefault(node_text(key), []).append(Binder("expr", value, scope))

    # -- evaluation ----------------------------------------------------------------------------------

    def evaluate(self, node: Node | None, scope: Scope, depth: int = 0) -> Value:
        """What ``node`` holds in ``scope``: computed once per node and scope (callees, receivers and struct
        variables are read again and again), within the file's budget."""
        if node is None:
            return Unknown("nothing")
        if depth > MAX_DEPTH:
            return Unknown(self._source(node))
        return self._memo.get((node.id, id(scope)), lambda: self._within_budget(node, scope, depth), _RECURSIVE)

    def _within_budget(self, node: Node, scope: Scope, depth: int) -> Value:
        if not self.budget.spend():
            return Unknown(Budget.REASON)
        return self._evaluate(node, scope, depth)

    def _evaluate(self, node: Node, scope: Scope, depth: int) -> Value:
        kind = node.type
        match kind:
            case "interpreted_string_literal" | "raw_string_literal":
                return Lit(_string(node))
            case "int_literal" | "float_literal":
                return Lit(node_text(node))
            case "true" | "false":
                return Lit(kind == "true")
            case "nil":
                return Lit(None)
            case "identifier" | "package_identifier":
                return self._identifier(node_text(node), scope, depth + 1)
            case "selector_expression":
                return self._selector(node, scope, depth)
            case "index_expression":
                return Item(self.evaluate(node.child_by_field_name("operand"), scope, depth + 1),
                            self.evaluate(node.child_by_field_name("index"), scope, depth + 1))
            case "call_expression":
                return self._call_value(node, scope, depth)
            case "composite_literal":
                return self._composite(node, scope, depth)
            case "binary_expression":
                return self._binary(node, scope, depth)
            case "func_literal":
                return self._function_value(node, depth)
        if kind in _WRAPPERS:
            inner = node.child_by_field_name("operand") or (node.named_children[-1] if node.named_children else None)
            return self.evaluate(inner, scope, depth + 1)
        return Unknown(self._source(node))

    def _identifier(self, name: str, scope: Scope, depth: int) -> Value:
        value = self._name(name, scope, depth)
        found = scope.lookup(name)
        fields = self.var_fields.get((id(found[0]), name)) if found else None
        if not fields or isinstance(value, Instance | Client | Binding | HttpClient):
            return value

        declared = _block_of(next((b.node for b in found[1] if isinstance(b.node, Node)), None))

        def set_on(made: Value) -> Value:
            # config := openai.DefaultConfig(key); config.BaseURL = url: the struct with the fields set on it,
            # each either as made or as written later (flow-insensitive: the write may sit in a branch)
            # a struct made elsewhere (cfg := pkg.DefaultConfig(...)) keeps the fields it was made with: read
            # through SPREAD by phase two where no write here sets them
            items: dict[Value, Value] = dict(made.items) if isinstance(made, DictVal) else \
                {} if isinstance(made, Unknown) else {Lit(SPREAD): made}
            for field, binders in fields.items():
                written = self._binders(binders, field, depth)
                kept = Lit(field) in items and not any(_always_runs(b.node, declared, binders) for b in binders)
                items[Lit(field)] = choice([items[Lit(field)], written]) if kept else written
            return DictVal(tuple(items.items()))

        def with_fields() -> Value:
            # config := DefaultConfig(k); if azure { config = DefaultAzureConfig(k, u) }: each struct it may be
            # made as takes the writes on its own, so neither one's fields hide the other's
            if isinstance(value, Choice) and any(isinstance(o, DictVal) for o in value.options):
                return choice([set_on(option) for option in value.options])
            return set_on(value)

        # ret.ApiKey = ret.AddSetupQuestion(...) reads ret while its fields are being read: it sees ret bare.
        return self._memo.get((id(found[0]), name, "fields"), with_fields, value)

    def _name(self, name: str, scope: Scope, depth: int) -> Value:
        found = scope.lookup(name)
        if found is None:
            if name in BUILTINS:
                return Unknown(name)
            return Ref(self.package, name)  # defined in another file of the package
        owner, binders = found
        def compute() -> Value:
            return self._binders(binders, name, depth)

        return named(self._memo.get((id(owner), name), compute, Unknown(name)), name)

    def _binders(self, binders: list[Binder], name: str, depth: int) -> Value:
        values = [self._binder(b, name, depth) for b in binders]
        # `var client *openai.Client` then `client = openai.NewClient()`: the declaration holds no value
        known = [v for v in values if not (isinstance(v, Unknown) and v.source == "nothing")]
        return choice(known or values)

    def _binder(self, binder: Binder, name: str, depth: int) -> Value:
        node = binder.node if isinstance(binder.node, Node) else None
        match binder.kind:
            case "expr":
                return self.evaluate(node, binder.scope, depth + 1)
            case "element":
                return Item(self.evaluate(node, binder.scope, depth + 1), Unknown(f"element of {name}"))
            case "import":
                return binder.payload  # type: ignore[return-value]
            case "param":
                return self._param(binder, name)
        return Unknown(f"parameter '{name}'")

    def _param(self, binder: Binder, name: str) -> Value:
        """A parameter takes what the repository's own calls pass (phase two, through the name index); where
        none does, a declared SDK type is a client whose endpoint is the caller's choice (``client *openai.Client``)."""
        typed = self._typed(binder.payload, "parameter", name) if isinstance(binder.payload, Node) else None
        default = typed if isinstance(typed, Client) else self._product_type(binder.payload)
        function, parameter = binder.scope.node, binder.node
        if not isinstance(function, Node) or not isinstance(parameter, Node) or function.type == "func_literal":
            return default or Unknown(f"parameter '{name}'")
        return Param(self.package, binder.scope.name, name, _parameter_position(function, parameter), default)

    def _selector(self, node: Node, scope: Scope, depth: int) -> Value:
        operand, field = node.child_by_field_name("operand"), node.child_by_field_name("field")
        if operand is None or field is None:
            return Unknown(self._source(node))
        name = node_text(field)
        if operand.type == "identifier" and (found := scope.lookup(node_text(operand))):
            fields = self.var_fields.get((id(found[0]), node_text(operand)), {})
            if name in fields:
                return self._binders(fields[name], name, depth + 1)
        return self._attr(self.evaluate(operand, scope, depth + 1), name)

    def _product_type(self, declared: object) -> Implementations | None:
        """``a Adaptor`` or ``a adaptor.Adaptor``: a parameter declared with one of the product's types, which
        phase two reads as the types that implement it where it is an interface."""
        if not isinstance(declared, Node):
            return None
        while declared.type == "pointer_type" and declared.named_children:
            declared = declared.named_children[0]
        if declared.type == "type_identifier" and node_text(declared) not in BUILTINS:
            return Implementations(self.package, node_text(declared))
        package, name = declared.child_by_field_name("package"), declared.child_by_field_name("name")
        if declared.type != "qualified_type" or package is None or name is None:
            return None
        module = self.evaluate(package, self.module_scope)
        return Implementations(module.module, node_text(name)) \
            if isinstance(module, ModuleRef) and module.module.endswith(PACKAGE_SUFFIX) else None

    def _attr(self, owner: Value, name: str) -> Value:
        if isinstance(owner, Instance) and owner.module == self.package and owner.cls in self.classes:
            if name in self.classes[owner.cls].self_attrs:
                return self._class_attr(self.classes[owner.cls], name)
            if (promoted := self._promoted(owner.cls, name, 0)) is not None:
                return promoted
        if isinstance(owner, Client | Router | Binding | HttpClient | ModelHandle):
            return Member(owner, name)
        if isinstance(owner, Member):
            return Member(owner.owner, f"{owner.chain}.{name}")
        if isinstance(owner, ModuleRef) and owner.module.endswith(PACKAGE_SUFFIX):
            return Ref(owner.module, name)  # a name of one of the product's own packages
        if isinstance(owner, DictVal):
            found = next((v for k, v in owner.items if isinstance(k, Lit) and k.value == name), None)
            return found if found is not None else Unknown(f"field {name}")
        value = Attr(owner, name)  # on an unknown object too: a parameter's calls are judged in phase two
        if (path := dotted(value)) and (model := self.detector.model_constant(path)):
            return model
        return value

    def _promoted(self, cls: str, name: str, depth: int) -> Value | None:
        """``c.Messages`` where c's struct embeds a client: the client's member, as Go promotes it. The embedded
        field's value where this file sets it (``&Client{Client: &client}``), else its declared type's client."""
        for field, type_node in self.embedded.get(cls, []) if depth < MAX_EMBEDDING else []:
            attrs = self.classes[cls].self_attrs
            held = self._class_attr(self.classes[cls], field) if field in attrs else self._typed(type_node, cls, field)
            options = held.options if isinstance(held, Choice) else (held,)
            members = [Member(o, name) for o in options if isinstance(o, Client | Binding | HttpClient | ModelHandle)]
            if members:
                return choice(members)  # type: ignore[arg-type]
            inner = next((o for o in options if isinstance(o, Instance) and o.module == self.package
                          and o.cls in self.classes), None)
            if inner is not None and (found := self._attr_of_struct(inner.cls, name, depth + 1)) is not None:
                return found
        return None

    def _attr_of_struct(self, cls: str, name: str, depth: int) -> Value | None:
        if name in self.classes[cls].self_attrs:
            return self._class_attr(self.classes[cls], name)
        return self._promoted(cls, name, depth)

    def _typed(self, type_node: Node, cls: str, field: str) -> Value:
        """The value of a field known only by its declared type: an SDK client (endpoint unknown), a struct."""
        while type_node.type in ("pointer_type", "generic_type") and type_node.named_children:
            type_node = type_node.named_children[0]
        if type_node.type == "type_identifier":
            return Instance(self.package, node_text(type_node))
        package, type_name = type_node.child_by_field_name("package"), type_node.child_by_field_name("name")
        path = dotted(Attr(self.evaluate(package, self.module_scope), node_text(type_name))) \
            if type_node.type == "qualified_type" and package is not None else None
        client = self.detector.client_for_type(path, f"{cls} {field}, declared {node_text(type_node)}") \
            if path else None
        return client if client is not None else Unknown(f"{cls}.{field}")

    def _class_attr(self, cls: Scope, attr: str) -> Value:
        def compute() -> Value:
            return self._binders(cls.self_attrs[attr], attr, 0)

        return self._memo.get((id(cls), f"field.{attr}"), compute, Unknown(f"{cls.name}.{attr}"))

    def _composite(self, node: Node, scope: Scope, depth: int) -> Value:
        type_node = node.child_by_field_name("type")
        elements = _keyed_elements(node)
        if type_node is not None and type_node.type == "type_identifier" and elements is not None:
            return Instance(self.package, node_text(type_node))
        if type_node is not None and type_node.type in ("slice_type", "array_type", "implicit_length_array_type"):
            body = node.child_by_field_name("body")
            return ListVal(tuple(self.evaluate(e, scope, depth + 1) for e in (body.named_children if body else [])
                                 if e.type != "comment"))
        is_map = type_node is not None and type_node.type == "map_type"
        items = tuple((self.evaluate(key, scope, depth + 1) if is_map or key.type != "identifier"
                       else Lit(node_text(key)), self.evaluate(value, scope, depth + 1)) for key, value in elements)
        fields = DictVal(items)
        if type_node is not None and type_node.type == "qualified_type":
            # &bedrockruntime.ConverseInput{...} is data; http.Client{...} and the like are clients.
            func = self.evaluate(type_node.child_by_field_name("package"), scope, depth + 1)
            if isinstance(func, ModuleRef) and func.module.endswith(PACKAGE_SUFFIX) and not elements:
                # &openai.Adaptor{} of one of the product's packages: an instance, whose methods its package has
                # (with fields set it stays the fields it is given, which is what its readers look up)
                return Instance(func.module, node_text(type_node.child_by_field_name("name")))
            site = CallSite(Attr(func, node_text(type_node.child_by_field_name("name"))), node.start_point[0] + 1,
                            node.start_point[1], node.end_point[0] + 1, lambda: [fields], lambda: _fields(fields),
                            describe=lambda: ("", self._source(node)))
            made = self.detector.call_value(site)
            if isinstance(made, Client | HttpClient | Binding):
                return made
        return fields

    def _binary(self, node: Node, scope: Scope, depth: int) -> Value:
        operator = node.child_by_field_name("operator")
        if operator is not None and node_text(operator) == "+":
            return Concat((self.evaluate(node.child_by_field_name("left"), scope, depth + 1),
                           self.evaluate(node.child_by_field_name("right"), scope, depth + 1)))
        return Unknown(self._source(node))

    def _function_value(self, node: Node, depth: int) -> Value:
        inner = self.scope_of.get(node.id)
        if inner is None:
            return Unknown("func")
        returned = [self.evaluate(r, scope, depth + 1) for r, scope in self.returns.get(node.id, [])[:4]]
        if not returned and (result := _named_result(node)) is not None:
            returned = [self._name(result, inner, depth + 1)]  # a bare `return` returns the named result
        return Function(choice(returned))

    # -- calls ---------------------------------------------------------------------------------------

    def _arguments(self, node: Node) -> list[Node]:
        arguments = node.child_by_field_name("arguments")
        return [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []

    def _site(self, node: Node, scope: Scope, depth: int, at: Node | None = None) -> CallSite:
        """The call ``node``, reported at ``at`` when it happens there (a request built here, sent there)."""
        arguments = self._arguments(node)
        place = at if at is not None else node

        def args() -> list[Value]:
            return [self.evaluate(a.named_children[0] if a.type == "variadic_argument" else a, scope, depth + 1)
                    for a in arguments]

        def kwargs() -> dict[str, Value]:
            merged: dict[str, Value] = {}
            for value in args():
                merged.update(_fields(value))
                if isinstance(value, CallResult) and (isinstance(value.func, Ref) or (
                        isinstance(value.func, Attr) and isinstance(value.func.base, Instance))):
                    # b.newRequest(): a struct the product's own function builds, whose fields phase two reads
                    merged[SPREAD] = choice([merged[SPREAD], value]) if SPREAD in merged else value
            return merged

        return CallSite(
            self.evaluate(node.child_by_field_name("function"), scope, depth + 1), place.start_point[0] + 1,
            place.start_point[1], place.end_point[0] + 1, args, kwargs,
            describe=lambda: (self._snippet(place), self._source(place)),
            function=self.scope_of.get(place.id, scope).qualname(),
        )

    def _library_path(self, node: Node, scope: Scope, depth: int) -> str | None:
        """'github.com.openai.openai-go.option.WithBaseURL' for option.WithBaseURL(...): a library function."""
        callee = node.child_by_field_name("function")
        if callee is None or callee.type != "selector_expression":
            return None
        path = dotted(self.evaluate(callee, scope, depth + 1))
        return path if path and PACKAGE_SUFFIX not in path else None

    def _library_function(self, node: Node, scope: Scope, depth: int) -> str | None:
        """'WithBaseURL' for option.WithBaseURL(...): the name of a function of an imported library."""
        path = self._library_path(node, scope, depth)
        return path.rsplit(".", 1)[-1] if path else None

    def _composed(self, node: Node, scope: Scope, depth: int) -> Value | None:
        """``fmt.Sprintf(template, ...)``, ``url.JoinPath(base, ...)``: a string made of parts."""
        path = self._library_path(node, scope, depth)
        if path is None or (path not in self.rules.format_functions and path not in self.rules.join_functions):
            return None
        values = [self.evaluate(a, scope, depth + 1) for a in self._arguments(node)]
        if path in self.rules.join_functions:
            return joined(values)
        position = self.rules.format_functions[path]
        return formatted(values[position], values[position + 1 :]) if len(values) > position else None

    def _option(self, node: Node, scope: Scope, depth: int) -> DictVal | None:
        """Functional options and config helpers: their arguments become fields."""
        name = self._library_function(node, scope, depth)
        if name is None:
            return None
        arguments = self._arguments(node)
        prefix = next((p for p in self.rules.option_prefixes if name.startswith(p) and name[len(p) :][:1].isupper()),
                      None)
        if prefix is not None:
            value = self.evaluate(arguments[0], scope, depth + 1) if arguments else Lit(True)
            return DictVal(((Lit(name[len(prefix) :]), value),))
        defaults = self.rules.struct_defaults.get(self._library_path(node, scope, depth) or "", {})
        if name in self.rules.positional_fields or defaults:
            names = self.rules.positional_fields.get(name, [])
            pairs = zip(names, arguments, strict=False)  # fewer arguments than fields: the rest keep defaults
            return DictVal(tuple((Lit(field), Lit(value)) for field, value in defaults.items()) + tuple(
                (Lit(field), self.evaluate(a, scope, depth + 1)) for field, a in pairs))
        return None

    def _call_value(self, node: Node, scope: Scope, depth: int) -> Value:
        if (option := self._option(node, scope, depth)) is not None:
            return option
        if (composed := self._composed(node, scope, depth)) is not None:
            return composed
        if (built := self._built_request(node, scope, depth)) is not None:
            return built
        callee = node.child_by_field_name("function")
        if callee is not None and callee.type == "selector_expression" and not self._arguments(node) and \
                node_text(callee.child_by_field_name("field")) == "String":
            # u.String() of a parsed URL (or of a string type) is its text: the same address
            text = self.evaluate(callee.child_by_field_name("operand"), scope, depth + 1)
            if isinstance(text, Lit | Concat | Env | Param | Ref | Choice):
                return text
        if callee is not None and callee.type == "identifier":
            name = node_text(callee)
            if name == "append" and scope.lookup(name) is None:
                return self._append(node, scope, depth)
            if name in self.functions and scope.lookup(name) is None:
                return self._local_call(name, depth)
        site = self._site(node, scope, depth)
        if (value := self.detector.call_value(site)) is not None:
            return self._per_struct(site, value) if isinstance(value, Client) else value
        if isinstance(site.func, Function):
            return site.func.returns
        if isinstance(site.func, Ref | Attr):
            return CallResult(site.func, tuple(site.args))
        return Unknown(site.source)

    def _per_struct(self, site: CallSite, merged: Client) -> Value:
        """``openai.NewClientWithConfig(config)`` where config is one of several structs (DefaultConfig, or
        DefaultAzureConfig in a branch): one client for each, not one made of all their fields merged (the last
        one's BaseURL would hide the others')."""
        args = site.args
        split = next((i for i, a in enumerate(args) if isinstance(a, Choice) and
                      sum(isinstance(o, DictVal) for o in a.options) > 1), None)
        if split is None:
            return merged
        clients: list[Value] = []
        for option in args[split].options:  # type: ignore[union-attr]
            variant = [*args[:split], option, *args[split + 1 :]]
            fields = {name: v for a in variant for name, v in _fields(a).items()}
            made = self.detector.call_value(
                replace(site, evaluate_args=lambda v=variant: v, evaluate_kwargs=lambda f=fields: f))
            clients.append(made if made is not None else Unknown(site.source))
        return choice(clients)

    def _built_request(self, node: Node, scope: Scope, depth: int) -> Request | None:
        """``http.NewRequest(...)``: the request, known by the raw path its building is (reported where it is sent)."""
        path = self._library_path(node, scope, depth)
        if path is None or path.rpartition(".")[0] not in self.rules.http.modules or \
                path.rpartition(".")[2] not in self.rules.http.request_builders:
            return None
        place = self._sent_at.get(node.id, node)
        return Request(self.relpath, place.start_point[0] + 1, place.start_point[1])

    def _append(self, node: Node, scope: Scope, depth: int) -> Value:
        values = [self.evaluate(a, scope, depth + 1) for a in self._arguments(node)]
        head = values[0] if values else Unknown("append")
        return ListVal((head.items if isinstance(head, ListVal) else ()) + tuple(values[1:]))

    def _local_call(self, name: str, depth: int) -> Value:
        """A function of this file: what it returns."""
        def compute() -> Value:
            value = self._function_value(self.functions[name], depth)
            return value.returns if isinstance(value, Function) else value

        return self._memo.get((id(self.module_scope), f"{name}()"), compute, Unknown(f"{name}()"))

    def _visit_call(self, node: Node, sent_at: dict[int, Node]) -> None:
        scope = self.scope_of.get(node.id, self.module_scope)
        if self._option(node, scope, 0) is not None:
            return  # openai.WithModel("gpt-4o") configures a path; it is not one
        at = sent_at.get(node.id)
        site = self._site(node, scope, 0, at)
        if raw := self.detector.detect(site):
            self._raw_at[(at or node).start_byte] = raw
        elif node.id not in self._sending and (raw := self.detector.sent_request(site)):
            self._raw_at[node.start_byte] = raw
        elif (callee := _callee_name(node)) and _may_be_product_code(site.func):
            self.facts.calls.setdefault(callee, []).append(CallFact(site.func, site.line, tuple(site.args), ()))

    def _visit_composite(self, node: Node) -> None:
        """``&llm.Service{Client: c}``: a construction of a product struct, as phase two reads one (by keyword)."""
        scope = self.scope_of.get(node.id, self.module_scope)
        type_node = node.child_by_field_name("type")
        package, name = type_node.child_by_field_name("package"), type_node.child_by_field_name("name")
        if package is None or name is None:
            return
        built = self._attr(self.evaluate(package, scope), node_text(name))
        if isinstance(built, Ref) and built.module.endswith(PACKAGE_SUFFIX):
            fields = tuple((node_text(key), self.evaluate(value, scope)) for key, value in _keyed_elements(node)
                           if key.type == "identifier")
            self.facts.calls.setdefault(built.name, []).append(CallFact(built, node.start_point[0] + 1, (), fields))

    def _sends(self) -> dict[int, Node]:
        """``req, _ := http.NewRequest(...); client.Do(req)``: each request-building call -> where it is sent
        (the first send of a variable that holds it)."""
        sent_at: dict[int, Node] = {}
        for node in self.calls:
            callee, arguments = node.child_by_field_name("function"), self._arguments(node)
            if callee is None or callee.type != "selector_expression" or len(arguments) != 1 or \
                    arguments[0].type != "identifier" or \
                    node_text(callee.child_by_field_name("field")) not in self.rules.http.send_methods:
                continue
            found = self.scope_of.get(node.id, self.module_scope).lookup(node_text(arguments[0]))
            for binder in found[1] if found else []:
                if binder.kind == "expr" and isinstance(binder.node, Node) and binder.node.type == "call_expression":
                    sent_at.setdefault(binder.node.id, node)
        return sent_at

    def _link_error_fallbacks(self) -> None:
        """``resp, err := a.X(); if err != nil { resp, err = b.Y() }``: b is a's fallback."""
        for node in self.ifs:
            condition, body = node.child_by_field_name("condition"), node.child_by_field_name("consequence")
            error = _error_checked(condition)
            if body is None or error is None:
                continue
            backups = self._raws_in(body)
            attempt = node.child_by_field_name("initializer") or _assigning_statement(node, error)
            primaries = self._raws_in(attempt) if attempt is not None else []
            self.facts.link_try_fallbacks(
                primaries, backups, f"if {error} != nil at line {node.start_point[0] + 1} calls another model")

    def _raws_in(self, node: Node) -> list[RawPath]:
        return [raw for start, raw in self._raw_at.items() if node.start_byte <= start < node.end_byte]

    # -- run -----------------------------------------------------------------------------------------

    def run(self, *, eager: bool = True) -> ModuleFacts:
        self._sent_at = sent_at = self._sends()
        self._sending = {send.id for send in sent_at.values()}
        self._attach_variable_fields()
        for call in self.calls:
            self._visit_call(call, sent_at)
        for literal in self.composites:
            self._visit_composite(literal)
        secret = self.rules.secret_regex
        for string in self.strings:
            if match := secret.search(node_text(string)):
                self.facts.literal_secrets.append((string.start_point[0] + 1, match.group()))
        self._link_error_fallbacks()
        self.facts.url_methods = self._url_methods()
        if not eager and not self.facts.paths and not self.facts.links:
            self.facts.complete = False
            self.facts.analysis_limit = self.budget.note()
            return self.facts
        for name in self.module_scope.bindings:
            value = self._name(name, self.module_scope, 0)
            if not isinstance(value, Unknown | ModuleRef):
                self.facts.names[name] = value
        for name, scope in self.classes.items():
            methods = {method: self._function_value(node, 0) for method, node in self.methods.get(name, {}).items()}
            declared = {field: client for field, type_node in self.named_fields.get(name, [])
                        if field not in scope.self_attrs and isinstance(client := self._typed(type_node, name, field),
                                                                          Client)}
            self.facts.classes[name] = ClassFacts({a: self._class_attr(scope, a) for a in scope.self_attrs}, (), {
                method: value.returns if isinstance(value, Function) else value for method, value in methods.items()},
                declared=declared)
        for name in self.functions:  # known by name even when what it returns is not
            self.facts.functions[name] = self._local_call(name, 0)
        self.facts.analysis_limit = self.budget.note()
        return self.facts

    def _url_methods(self) -> tuple[str, ...]:
        """The methods that return a string naming a model API's path (``fmt.Sprintf("%s/v1/messages", base)``)."""
        apis = model_apis()
        return tuple(sorted({name for methods in self.methods.values() for name, node in methods.items()
                             if any(apis.api_path(_string(text)) for returned, _ in self.returns.get(node.id, [])
                                    for text in _strings_in(returned))}))

    def _attach_variable_fields(self) -> None:
        """``s := &Service{}; s.client = c``: fields set on a variable holding one of this file's structs."""
        for (scope_id, name), fields in self.var_fields.items():
            scope = next((s for s in self.scope_of.values() if id(s) == scope_id), None)
            value = self._name(name, scope, 0) if scope is not None else None
            if isinstance(value, Instance) and value.module == self.package and value.cls in self.classes:
                for field, binders in fields.items():
                    attrs = self.classes[value.cls].self_attrs.setdefault(field, [])
                    attrs.extend(b for b in binders if b not in attrs)
        self._memo.clear()

    def _snippet(self, node: Node) -> str:
        row = node.start_point[0]
        line = self.lines[row].strip() if row < len(self.lines) else ""
        return self.rules.redacted(line)[:160]

    def _source(self, node: Node) -> str:
        text = " ".join(self.source[node.start_byte : min(node.end_byte, node.start_byte + 240)]
                        .decode(errors="replace").split())
        return self.rules.redacted(text)[:120]


def _library_prefixes(rules: LanguageRules) -> tuple[str, ...]:
    """Import paths the rules name: SDKs, and the packages of env, pass-through and HTTP functions."""
    modules = [m for group in (*rules.sdk, *rules.binding, *rules.function) for m in group.modules]
    functions = [*rules.env_functions, *rules.passthrough_functions]
    return tuple({*modules, *rules.http.modules, *(f.rsplit(".", 1)[0] for f in functions)})


def _fields(value: Value) -> dict[str, Value]:
    """What a Go argument passes by name: a struct's fields, an option, or the options in a slice."""
    match value:
        case DictVal(items=items):
            return {k.value: v for k, v in items if isinstance(k, Lit) and isinstance(k.value, str)}
        case ListVal(items=items) | Choice(options=items):
            merged: dict[str, Value] = {}
            for item in items:
                merged.update(_fields(item))
            return merged
    return {}


def _callee_name(call: Node) -> str | None:
    """'post' for ``c.post(...)`` and ``post(...)``: the name index's key."""
    callee = call.child_by_field_name("function")
    named = callee.child_by_field_name("field") if callee is not None and callee.type == "selector_expression" \
        else callee
    return node_text(named) if named is not None and named.type in ("identifier", "field_identifier") else None


def _may_be_product_code(func: Value) -> bool:
    """A call of a function or method of the product's own packages (not the standard library's or an SDK's)."""
    while isinstance(func, Attr):
        func = func.base
    return isinstance(func, Ref | Instance | Param)


def _parameter_position(function: Node, parameter: Node) -> int | None:
    """The index of a parameter's name among its function's parameters."""
    parameters = function.child_by_field_name("parameters")
    names = [n for d in (parameters.named_children if parameters is not None else [])
             for n in d.children_by_field_name("name")]
    return next((i for i, n in enumerate(names) if n == parameter), None)


def _statement(node: Node | None) -> Node | None:
    """The statement that holds ``node``."""
    while node is not None and node.parent is not None and node.parent.type not in _STATEMENT_LISTS:
        node = node.parent
    return node


def _block_of(node: Node | None) -> Node | None:
    """The statement list that a statement holding ``node`` sits in."""
    statement = _statement(node)
    return statement.parent if statement is not None else None


def _always_runs(value: object, declared: Node | None, writes: list[Binder]) -> bool:
    """Whether the write of ``value`` runs whenever the variable's declaration in ``declared`` does: it sits in
    that statement list, or in both branches of an if/else there (each branch writing the field)."""
    node = _statement(value if isinstance(value, Node) else None)
    while node is not None and declared is not None and node.parent != declared:
        container = node.parent
        block = container.parent if container is not None and container.type == "statement_list" else container
        branch = block.parent if block is not None else None
        if block is None or branch is None or branch.type != "if_statement":
            return False
        other = branch.child_by_field_name("alternative") if block == branch.child_by_field_name("consequence") \
            else branch.child_by_field_name("consequence")
        if other is None or not any(isinstance(w.node, Node) and other.start_byte <= w.node.start_byte <
                                    other.end_byte for w in writes):
            return False
        node = branch
        while node.parent is not None and node.parent.type == "if_statement":  # else if: up to the first if
            node = node.parent
    return node is not None and declared is not None


def _type_name(node: Node) -> str:
    """'Client' for ``*anthropic.Client``: the name an embedded field goes by."""
    while node.type in ("pointer_type", "generic_type") and node.named_children:
        node = node.named_children[0]
    name = node.child_by_field_name("name") if node.type == "qualified_type" else node
    return node_text(name)


def _strings_in(node: Node, depth: int = 0) -> list[Node]:
    """The string literals an expression is built from."""
    if node.type in ("interpreted_string_literal", "raw_string_literal"):
        return [node]
    return [s for child in node.named_children for s in _strings_in(child, depth + 1)] if depth < MAX_DEPTH else []


def _keyed_elements(node: Node) -> list[tuple[Node, Node]]:
    body = node.child_by_field_name("body")
    pairs = []
    for element in body.named_children if body is not None else []:
        key, value = element.child_by_field_name("key"), element.child_by_field_name("value")
        if element.type == "keyed_element" and key is not None and value is not None:
            key = key.named_children[0] if key.type == "literal_element" and key.named_children else key
            pairs.append((key, value))
    return pairs


def _expressions(node: Node | None) -> list[Node]:
    if node is None:
        return []
    return [c for c in node.named_children if c.type != "comment"] if node.type == "expression_list" else [node]


def _receiver_type(node: Node) -> str | None:
    receiver = node.child_by_field_name("receiver")
    declaration = receiver.named_children[0] if receiver is not None and receiver.named_children else None
    type_node = declaration.child_by_field_name("type") if declaration is not None else None
    while type_node is not None and type_node.type in ("pointer_type", "generic_type"):
        type_node = type_node.named_children[0] if type_node.named_children else None
    return node_text(type_node) if type_node is not None else None


def _named_result(function: Node) -> str | None:
    """The name of a function's first result when its results are named: ``(req *http.Request, err error)``."""
    result = function.child_by_field_name("result")
    declaration = next((c for c in result.named_children if c.type == "parameter_declaration"), None) \
        if result is not None and result.type == "parameter_list" else None
    name = declaration.child_by_field_name("name") if declaration is not None else None
    return node_text(name) if name is not None else None


def _error_checked(condition: Node | None) -> str | None:
    """'err' for ``err != nil``."""
    if condition is None or condition.type != "binary_expression":
        return None
    left, right, operator = (condition.child_by_field_name(f) for f in ("left", "right", "operator"))
    if operator is None or node_text(operator) != "!=" or right is None or right.type != "nil":
        return None
    return node_text(left) if left is not None and left.type == "identifier" else None


def _assigning_statement(node: Node, name: str) -> Node | None:
    """The nearest statement before ``node`` that assigns ``name``."""
    sibling = node.prev_named_sibling
    while sibling is not None:
        if sibling.type in ("short_var_declaration", "assignment_statement", "var_declaration"):
            targets = _expressions(sibling.child_by_field_name("left")) or []
            declares = sibling.type == "var_declaration" and name in node_text(sibling)
            if declares or any(node_text(t) == name for t in targets):
                return sibling
        sibling = sibling.prev_named_sibling
    return None


def _string(node: Node) -> str:
    """The value of a Go string literal."""
    if node.type == "raw_string_literal":
        return node_text(node)[1:-1]
    parts = []
    for child in node.named_children:
        text = node_text(child)
        if child.type == "escape_sequence":
            parts.append(_ESCAPES.get(text[1:2], text))
        else:
            parts.append(text)
    return "".join(parts)


def analyze_source(source: str, relpath: str, rules: LanguageRules, *, eager: bool = True) -> ModuleFacts:
    """Parse and analyse one Go file. Raises SyntaxError when it is not one."""
    analyzer = GoAnalyzer(source, relpath, rules)
    try:
        return analyzer.run(eager=eager)
    finally:
        release((analyzer.module_scope, *analyzer.scope_of.values(), *analyzer.classes.values()))
