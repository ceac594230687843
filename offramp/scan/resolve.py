"""Phase two: join the facts of every module and turn raw calls into inference paths with targets.

Here imported clients become the clients they are, settings objects give up their defaults, env
variables take their ``.env`` values, and base URLs become the providers they reach. What stays unknown
is reported with the expression that hid it.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections import Counter
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass, fields, is_dataclass, replace
from fnmatch import fnmatchcase
from functools import cache
from typing import Literal, TypeVar

from offramp.assess.criticality import classify
from offramp.assess.policy import default_policy
from offramp.catalog import Catalog
from offramp.catalog.catalog import SELF_HOSTED_PROVIDER, HostMatch
from offramp.scan.detect import binding_kind, binding_match, client_of_type, first_argument
from offramp.scan.envfiles import EnvValue, EnvValues
from offramp.scan.facts import CallFact, ClassFacts, FallbackLink, ModuleFacts, PathRef, RawPath
from offramp.scan.findings import Dependency, InferencePath, Target
from offramp.scan.projects import ONE_PROJECT, Projects
from offramp.scan.rules import BindingRule, LanguageRules, Operation, SdkRule, language_rules, model_apis
from offramp.scan.scopes import Memo
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
    EnvNamed,
    Function,
    HttpClient,
    Implementations,
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
    ReadKind,
    Ref,
    Replaced,
    Request,
    Router,
    Setting,
    Unknown,
    Value,
    choice,
    dotted,
    named,
)

T = TypeVar("T")

MAX_DEPTH = 30
MAX_OPTIONS = 24
MAX_BOUND_DEPTH = 12
"""Calls deeper than this in a resolution read their function's return as all callers see it."""
MAX_BOUND_NESTING = 12
MAX_CALL_SITES = 256
MAX_ENTRIES = 128
"""Entries of a mapping or list read at a key chosen at run time; beyond them the read also holds 'budget exceeded'."""
"""Callers read per parameter; beyond them the parameter also holds 'budget exceeded'."""
CONSTRUCTORS = frozenset({"__init__", "constructor"})
"""How a constructor is named in a Param's function (``Bot.__init__``, ``Bot.constructor``): callers call the class."""
MAX_WRAPPER_DEPTH = 4
"""Wrappers of wrappers followed out to their callers: stream() -> chatApi() -> fetchEventSource()."""
URL_PARTS = frozenset({"origin", "href"})
"""Properties of a URL object (JavaScript's ``new URL(s)``) that keep its server; a string has neither."""
HOLE = "{?}"
"""Stands for an unknown part of a string: 'https://{?}/v1/chat/completions'."""


@dataclass(frozen=True)
class Text:
    """One string a value can take, and how we know; ``text`` is None when it stays unknown."""

    text: str | None
    why: str
    hidden_by: str | None = None
    unset: bool = False
    """An env variable or setting that nothing sets and that has no default: ``x or default`` skips it."""
    configured: bool = False
    """Taken from a configuration or .env file: an override of what the code states, so listed after it."""
    setting: str | None = None
    """For a string that starts with an unset env variable or setting, or a field the scan cannot read: its name
    (``LMSTUDIO_BASE_PATH``, ``profile.deepseek_base_url``), which may say whose server the address is."""
    holder: str | None = None
    """For a string that starts with a named constant: that name (``DEFAULT_MLX_URL``), which may say whose server
    a private address is better than its port does."""


class Resolver:
    def __init__(self, modules: dict[str, ModuleFacts], env: EnvValues, catalog: Catalog,
                 load_module: Callable[[str], ModuleFacts | None],
                 rules_for: Callable[[str], LanguageRules] = language_rules, *,
                 projects: Projects = ONE_PROJECT, dependencies: Sequence[Dependency] = ()) -> None:
        self.modules = modules
        self.env = env
        self.projects = projects
        self.dependencies = dependencies
        self._code = ""
        """The file whose paths are being resolved: it sees the configuration of its own project only."""
        self.catalog = catalog
        self._rules_for = rules_for
        self.rules = rules_for("python")
        """The rules of the module being resolved."""
        self._load_module = load_module
        self._by_import_name: dict[str, ModuleFacts | None] = {}
        self._concrete: Memo[Value] = Memo()
        self._call_index: dict[str, list[tuple[str, CallFact]]] = {}
        self._indexed: list[ModuleFacts] = []
        """The modules whose calls the name index holds, in the order of ``modules``."""
        self._init_owners: dict[tuple[str, str], list[str]] | None = None
        self._subclass_index: dict[tuple[str, str], list[tuple[str, str]]] | None = None
        self._texts: dict[tuple[str, int], tuple[Value | None, list[Text]]] = {}
        self._constructing: set[tuple[str, str, str]] = set()
        self._wrapper_sites: set[tuple[str, int, int]] = set()
        self.sent_requests: set[tuple[str, int, int]] = set()
        """(file, line, column) of the paths of requests built there and sent by a path elsewhere."""
        self.uncalled: set[tuple[str, str]] = set()
        """(module, function) of the product functions a value was asked of that no loaded file calls: their
        callers may be in files the prefilter passed over (a main.go that only wires the product's own types)."""
        self.uncalled_from: set[str] = set()
        """The files whose paths asked for those values."""
        self._binding_subclasses: frozenset[str] | None = None
        self._primaries: dict[int, tuple[ModuleFacts, list[tuple[tuple[str, int, int] | None, FallbackLink]]]] = {}
        """By id of a module's facts (kept, so the id stays theirs): see :meth:`_link_primaries`."""


    # -- modules -------------------------------------------------------------------------------------

    def module(self, name: str) -> ModuleFacts | None:
        """A product module by its import name; a tree scanned above ``src/`` still matches by suffix."""
        if name in self.modules and self.modules[name].complete:
            return self.modules[name]
        if name not in self._by_import_name:
            loaded = self._load_module(name)
            if loaded is not None:
                self.modules[loaded.module] = loaded
            self._by_import_name[name] = loaded
        return self._by_import_name[name]

    # -- values --------------------------------------------------------------------------------------

    def concrete(self, value: Value | None, depth: int = 0) -> Value:
        """Follow references until the value is a literal, a client or something that stays unknown."""
        if value is None:
            return Unknown("nothing")
        if depth > MAX_DEPTH:
            return Unknown("analysis budget exceeded (too deep)")
        if isinstance(value, Lit | Env | Setting | Unknown | Client | Binding | Concat | Replaced | DictVal | ListVal |
                      Request):
            return value
        if (known := self._concrete.known(value)) is not None:  # most values are met again: no fallback to spell
            return known
        # Each value is followed once: a value that refers to itself (x = x + 1, mutual recursion) is cut there.
        return self._concrete.get(value, lambda: self._follow(value, depth),
                                  Unknown(f"{_describe(value)} (refers to itself)"))

    def _follow(self, value: Value, depth: int) -> Value:
        match value:
            case Ref(module=module, name=name):
                return self._ref(module, name, depth)
            case Attr(base=base, name=name):
                return self._attr(self.concrete(base, depth + 1), name, depth)
            case CallResult():
                return self._call(value, depth)
            case Item(base=base, key=key, default=default, read=read):
                return self._item(self.concrete(base, depth + 1), key, default, depth, read)
            case Choice(options=options):
                return choice([self.concrete(o, depth + 1) for o in options[:MAX_OPTIONS]])
            case Member(owner=owner, chain=chain):
                return Member(self.concrete(owner, depth + 1), chain)
            case Param():
                return self._param(value, depth)
            case Implementations(module=module, interface=interface):
                return self._implementations(module, interface)
            case Pieces(base=base):
                return self._pieces(value, self.texts(base, depth + 1))
            case EnvNamed(name=name, default=default):
                return choice([Env(t.text, default) if t.text else Unknown(f"env variable named by {t.hidden_by}")
                               for t in self.texts(name, depth + 1)])
        return value

    @staticmethod
    def _pieces(pieces: Pieces, texts: list[Text]) -> Value:
        """The pieces of each string the cut one can take; unknown where that string is."""
        options: list[Value] = [ListVal(tuple(Lit(piece, _piece_of(t)) for piece in pieces.cut(t.text)))
                                for t in texts if t.text is not None]
        options += [Unknown(f"{t.hidden_by or t.why} cut at {pieces.separator!r}") for t in texts if t.text is None]
        return choice(options)

    # -- parameters ----------------------------------------------------------------------------------

    def _param(self, param: Param, depth: int) -> Value:
        """What the repository's own callers pass for ``param`` (each call site found through the name
        index and kept when its callee is this function), and the default where a caller leaves it out."""
        owner, _, short = param.function.rpartition(".")
        is_init = short in CONSTRUCTORS and owner
        # A constructor is called by its class's name, a subclass's that inherits it, or super().__init__.
        callee_names = [*self._constructor_names(param.module, owner), short] if is_init else [short]
        passed: list[Value] = []
        sites = 0
        omitted = False
        # Production code takes what production code passes: a test's fixture is not a deployment's value.
        production_only = is_production(self._relpath(param.module))
        exceeded = ""
        candidates = [c for name in callee_names for c in self.calls_named(name)
                      if self._calls(c[1].func, param, bool(is_init), depth)
                      or (not is_init and self._dispatched_from(c[1], param, depth))]
        if param.receiver is not None:  # one subclass's instance: the calls that build that subclass
            built = [c for c in candidates if self._builds(c, param.receiver, depth)]
            candidates = built or candidates
        for relpath, call in candidates:
            if production_only and not is_production(relpath):
                continue
            sites += 1
            if sites > MAX_CALL_SITES:
                exceeded = f"{MAX_CALL_SITES} callers"
                break
            value = _argument(call, param)
            if value is not None and not is_init and (base := self._dispatched_from(call, param, depth)):
                value = _in_context(value, base, (param.module, owner))  # the template method as the subclass runs
            if value is None:
                omitted = True
            else:  # a string says which caller passed it
                passed.append(named(self.concrete(value, depth + 1), f"{param.name} passed at {relpath}:{call.line}"))
        if not sites:
            self.uncalled.add((param.module, param.function))
            self.uncalled_from.add(self._code)
        implemented = self.concrete(param.default, depth + 1) if isinstance(param.default, Implementations) else None
        if isinstance(implemented, Choice | Instance) and all(isinstance(v, Unknown) for v in passed):
            passed = [implemented]  # no caller says which: each of the types that implement the declared interface
        elif (omitted or not sites) and param.default is not None and implemented is None:
            passed.append(self.concrete(param.default, depth + 1))
        # The value most call sites pass comes first: it is the one a reader of the path meets most often.
        counts = Counter(passed)
        distinct = sorted(dict.fromkeys(passed), key=lambda v: -counts[v])
        if len(distinct) > MAX_OPTIONS:
            exceeded = exceeded or f"{MAX_OPTIONS} values"
        if exceeded:
            budget = Unknown(f"parameter {param.name!r}: analysis budget exceeded ({exceeded})")
            distinct = [*distinct[: MAX_OPTIONS - 1], budget]
        if not distinct:
            return Unknown(f"parameter {param.name!r}" + ("" if sites else " (no caller in the repository)"))
        return choice(distinct)

    def _implementations(self, module_name: str, interface: str) -> Value:
        """The product's types that have every method of ``interface`` (in Go, having them is implementing it):
        looked for in the packages of the analysed files that declare such a type or a method returning a model
        API's URL, at most MAX_OPTIONS of them."""
        module = self.module(module_name)
        methods = set(dict(module.interfaces).get(interface, ())) if module is not None else set()
        if not methods:
            return Unknown(f"{interface} is no interface of the product")
        packages = dict.fromkeys(m.package for m in list(self.modules.values()) if m.package and (
            methods & set(m.url_methods) or any(methods <= set(c.methods) for c in m.classes.values())))
        found: list[Value] = [Instance(package.module, cls) for name in packages if (package := self.module(name))
                              for cls, facts in package.classes.items() if methods <= set(facts.methods)]
        if len(found) > MAX_OPTIONS:
            found = [*found[: MAX_OPTIONS - 1], Unknown(f"types implementing {interface}: analysis budget exceeded")]
        return choice(found) if found else Unknown(f"no type of the product implements {interface}")

    def _relpath(self, module_name: str) -> str:
        module = self.module(module_name)
        return module.relpath if module is not None else ""

    def calls_named(self, name: str) -> list[tuple[str, CallFact]]:
        """The name index: every recorded call whose callee's last name is ``name``, with its file."""
        if len(self._indexed) != len(self.modules):  # modules loaded on demand since add their calls
            modules = list(self.modules.values())
            # Modules are only ever added (at the end): unless one was replaced by another's facts, the calls of
            # the new ones follow those indexed, as a new index would list them.
            if not all(map(operator.is_, self._indexed, modules)):
                self._call_index, self._indexed = {}, []
            added: dict[str, list[tuple[str, CallFact]]] = {}  # new lists: a caller may be reading one handed out
            for module in modules[len(self._indexed):]:
                for callee, calls in module.calls.items():
                    if callee not in added:
                        added[callee] = list(self._call_index.get(callee, ()))
                    added[callee].extend((module.relpath, c) for c in calls)
            self._call_index.update(added)
            self._indexed = modules
        return self._call_index.get(name, [])

    def _calls(self, func: Value, param: Param, is_init: bool, depth: int) -> bool:
        """Whether a call of ``func`` calls the function ``param`` belongs to."""
        owner = param.function.rpartition(".")[0]
        if isinstance(func, Attr) and (not is_init or func.name == "__init__"):
            # obj.method() (or super().__init__()): obj is an instance of the method's class or a subclass
            receiver = self.concrete(func.base, depth + 1)
            options = receiver.options if isinstance(receiver, Choice) else (receiver,)
            if any(isinstance(o, Instance) and self._inherits(o.module, o.cls, param.module, owner, set())
                   and (not is_init or (o.module, o.cls) != (param.module, owner)) for o in options):
                return True
            # Cls.method(...): a class or static method called on its class or a subclass
            if not is_init and any(isinstance(o, Ref) and self._inherits(o.module, o.name, param.module, owner, set())
                                   for o in options):
                return True
        target = self.concrete(func, depth + 1)
        if not isinstance(target, Ref):
            return False
        found = self.module(target.module)
        if found is None:
            return False
        if is_init:  # Sub(...) runs the first __init__ along Sub's bases
            return self._init_owner(found.module, target.name, set()) == (param.module, owner)
        return found.module == param.module and target.name == param.function

    def _dispatched_from(self, call: CallFact, param: Param, depth: int) -> tuple[str, str] | None:
        """The base class whose method makes ``call`` (``self.method(...)``) where ``param``'s method overrides
        ``method`` in a subclass (a template method: the base's ``invoke`` builds the client and hands it to each
        subclass's ``send``): the call runs the override on an instance of that subclass, unless the subclass
        overrides the calling method too."""
        func = call.func
        if not isinstance(func, Attr) or not call.caller:
            return None
        owner = param.function.rpartition(".")[0]
        calling = call.caller.rpartition(".")[2]
        receiver = self.concrete(func.base, depth + 1)
        for option in receiver.options if isinstance(receiver, Choice) else (receiver,):
            if isinstance(option, Instance) and not option.built and (option.module, option.cls) != \
                    (param.module, owner) and self._inherits(param.module, owner, option.module, option.cls, set()) \
                    and self._method_owner(param.module, owner, {calling}, set()) == (option.module, option.cls):
                return option.module, option.cls
        return None

    def _builds(self, site: tuple[str, CallFact], receiver: tuple[str, str], depth: int) -> bool:
        """Whether a constructor call builds an instance of ``receiver``: ``new Receiver(...)``, or a
        ``super(...)`` in the constructor of the receiver or one of its bases."""
        relpath, call = site
        if self.concrete(call.func, depth + 1) == Ref(*receiver):
            return True
        if isinstance(call.func, Attr):  # Python: super().__init__(...) is a call on the instance being built
            built = self.concrete(call.func.base, depth + 1)
            return isinstance(built, Instance) and self._inherits(*receiver, built.module, built.cls, set())
        caller = self._by_relpath(relpath)
        owner = (call.caller or "").rpartition(".")[0].rpartition(".")[2]
        return caller is not None and bool(owner) and self._inherits(*receiver, caller.module, owner, set())

    def _constructor_names(self, module_name: str, cls: str) -> list[str]:
        """``cls`` and the classes of the analysed modules that inherit its constructor."""
        if self._init_owners is None:  # every class's constructor, worked out once from the class outlines
            self._init_owners = {}
            for module in list(self.modules.values()):
                for name, facts in module.classes.items():
                    if not CONSTRUCTORS.isdisjoint(facts.methods):
                        continue
                    inherited = (self._init_owner(m, c, set()) for m, c in self._bases(module, name))
                    if (owner := next((o for o in inherited if o is not None), None)) is not None:
                        self._init_owners.setdefault(owner, []).append(name)
        names = [cls, *(n for n in self._init_owners.get((module_name, cls), []) if n != cls)]
        module = self.module(module_name)
        if module is not None and "default" in module.names and \
                self.concrete(module.names["default"]) == Ref(module_name, cls):
            names.append("default")  # `module.exports = Base`: a subclass elsewhere calls super() on the export
        return names

    def _init_owner(self, module_name: str, cls: str, seen: set[str]) -> tuple[str, str] | None:
        """The class whose constructor (``__init__``, ``constructor``) constructing ``cls`` runs (itself, or the
        first base defining one)."""
        return self._method_owner(module_name, cls, CONSTRUCTORS, seen)

    def _method_owner(self, module_name: str, cls: str, names: Set[str], seen: set[str]) -> tuple[str, str] | None:
        """The class whose method (any of ``names``) calling it on an instance of ``cls`` runs: ``cls`` itself, or
        the first of its bases defining one."""
        module = self.module(module_name)
        if module is None or cls not in module.classes or f"{module_name}.{cls}" in seen:
            return None
        seen.add(f"{module_name}.{cls}")
        if not names.isdisjoint(module.classes[cls].methods):
            return module.module, cls
        for parent_module, parent in self._bases(module, cls):
            if found := self._method_owner(parent_module, parent, names, seen):
                return found
        return None

    def _bases(self, module: ModuleFacts, cls: str) -> list[tuple[str, str]]:
        """(module, class) of each base of a product class, in order; bases from outside the product left out."""
        found = []
        for base in module.classes[cls].bases:
            name = base.rsplit(".", 1)[-1]
            resolved = self.module(module.module if name in module.classes else base.rsplit(".", 1)[0])
            if resolved is not None and name in resolved.classes:
                found.append((resolved.module, name))
            elif resolved is not None:  # a name the module binds to a class: `module.exports = Provider`
                exported = self.concrete(Ref(resolved.module, name))
                if isinstance(exported, Ref) and (owner := self.module(exported.module)) is not None \
                        and exported.name in owner.classes:
                    found.append((owner.module, exported.name))
        return found

    def _inherits(self, module_name: str, cls: str, base_module: str, base: str, seen: set[str]) -> bool:
        if (module_name, cls) == (base_module, base):
            return True
        module = self.module(module_name)
        if module is None or cls not in module.classes or f"{module_name}.{cls}" in seen:
            return False
        seen.add(f"{module_name}.{cls}")
        return any(self._inherits(m, c, base_module, base, seen) for m, c in self._bases(module, cls))

    def _ref(self, module_name: str, name: str, depth: int) -> Value:
        module = self.module(module_name)
        if module is None:
            submodule = self.module(f"{module_name}.{name}")
            return ModuleRef(submodule.module) if submodule else Unknown(f"{module_name}.{name}")
        if name in module.names:
            return named(self.concrete(module.names[name], depth + 1), f"{module.module}.{name}")
        if name in module.classes or name in module.functions:
            return Ref(module.module, name)
        exported = self.concrete(module.names["default"], depth + 1) if "default" in module.names else None
        if isinstance(exported, DictVal):  # CommonJS: module.exports = { client, MODEL }
            found = next((v for k, v in exported.items if isinstance(k, Lit) and k.value == name), None)
            if found is not None:
                return self.concrete(found, depth + 1)
        # `from common import const` where `common` is a folder without __init__.py: the submodule as written,
        # before one of a module that only ends with that name
        submodule = self.module(f"{module_name}.{name}") or self.module(f"{module.module}.{name}")
        return ModuleRef(submodule.module) if submodule else Unknown(f"{module_name}.{name}")

    def _attr(self, base: Value, name: str, depth: int) -> Value:
        match base:
            case ModuleRef(module=module):
                return self._ref(module, name, depth) if self.module(module) else Attr(base, name)
            case Instance(module=module, cls=cls, built=built):
                return self._instance_attr(module, cls, name, depth, set(), receiver=(module, cls) if built else None)
            case Client() | Router() | Binding() | HttpClient():
                return Member(base, name)
            case Lit(value=str() as text) if name in URL_PARTS:  # new URL(base).origin
                return Lit(_origin(text) if name == "origin" else text)
            case Env() | Concat() if name in URL_PARTS:  # the same server: its host is what names the provider
                return base
            case Member(owner=owner, chain=chain):
                return Member(owner, f"{chain}.{name}")
            case Setting(key=key, default=default):  # config.get("Model", default).value: the entry's value
                return Setting(f"{key}.{name}", _lookup(default, name) if isinstance(default, DictVal) else default)
            case Choice(options=options):
                # `x.attr` where x may be None fails at run time: the other options are what it reads.
                present = [o for o in options if not (isinstance(o, Lit) and o.value is None)] or list(options)
                return choice([self._attr(o, name, depth + 1) for o in present])
            case Ref(module=module, name=cls):
                found = self._instance_attr(module, cls, name, depth, set())
                if isinstance(found, Unknown) and name in self.rules.row_managers and \
                        (owner := self.module(module)) is not None and cls in owner.classes:
                    return Instance(owner.module, cls)  # ChatModel.objects: the stored rows, each a ChatModel
                return found
            case DictVal():  # an object literal: export const Paths = { chat: "chat/completions" }
                found = _lookup(base, name)
                if found is None and (rest := _lookup(base, SPREAD)) is not None:  # {...made elsewhere, x: 1}
                    return self._attr(self.concrete(rest, depth + 1), name, depth + 1)
                return self.concrete(found, depth + 1) if found is not None else _absent(name)
        return Unknown(f"{_describe(base)}.{name}")

    def _instance_attr(self, module_name: str, cls: str, name: str, depth: int, seen: set[str],
                       member: Literal["attrs", "methods"] = "attrs", receiver: tuple[str, str] | None = None,
                       site: CallFact | None = None) -> Value:
        """A field (or what a method returns) of a product class, looked up in the class, then its bases. Read
        through an instance of a subclass (``receiver``), an inherited member is that subclass's: its ``this`` is
        the subclass, and the base constructor's parameters hold what the subclass passes."""
        module = self.module(module_name)
        if module is None or cls not in module.classes or f"{module_name}.{cls}" in seen:
            return Unknown(f"{cls}.{name}")
        seen.add(f"{module_name}.{cls}")
        in_context = receiver is not None  # an instance known to be of one class, this one (built) or a subclass
        receiver = receiver or (module.module, cls)
        facts = module.classes[cls]
        members = facts.methods if member == "methods" else facts.attrs
        if name in members:
            found = members[name]
            if site is not None:
                found = _bound(found, module.module, f"{cls}.{name}", site)
            if in_context:
                found = _in_context(found, (module.module, cls), receiver)
            if member == "attrs" and in_context and (passed := self._constructed_field(receiver, name, found, depth)):
                return passed
            return self.concrete(found, depth + 1)
        if member == "attrs" and (mapped := self._mapped_field(facts.mapped, name, depth)) is not None:
            return mapped
        for owner, base in self._bases(module, cls):  # members inherited from the product's own classes
            found = self._instance_attr(owner, base, name, depth + 1, seen, member, receiver, site)
            if not isinstance(found, Unknown):
                return found
        if member == "attrs" and name in facts.declared:  # written by no method: what builds it passes, else its type
            declared = facts.declared[name]
            return self._constructed_field(receiver, name, declared, depth) or self.concrete(declared, depth + 1)
        # `this.method()` in the class's own code, a method it leaves to its subclasses (abstract): each one's. A
        # field is not: one a subclass sets says nothing of which client the class's other fields hold.
        if not in_context and member == "methods":
            implemented = [found for sub in self._subclasses(module.module, cls)[:MAX_OPTIONS]
                           if not isinstance(found := self._instance_attr(*sub, name, depth + 1, {*seen}, member, sub,
                                                                          site), Unknown)]
            if implemented:
                return choice(implemented)
        return Unknown(f"{cls}.{name}")

    def _subclasses(self, module_name: str, cls: str) -> list[tuple[str, str]]:
        """(module, class) of the analysed classes that extend ``cls``, directly or not."""
        if self._subclass_index is None:  # every class's bases, worked out once from the class outlines
            self._subclass_index = {}
            for module in list(self.modules.values()):
                for name in module.classes:
                    for base in self._ancestors(module.module, name, set()):
                        self._subclass_index.setdefault(base, []).append((module.module, name))
        return self._subclass_index.get((module_name, cls), [])

    def _ancestors(self, module_name: str, cls: str, seen: set[tuple[str, str]]) -> list[tuple[str, str]]:
        module = self.module(module_name)
        if module is None or cls not in module.classes or (module_name, cls) in seen:
            return []
        seen.add((module_name, cls))
        return [a for base in self._bases(module, cls) for a in (base, *self._ancestors(*base, seen))]

    def _constructed_field(self, receiver: tuple[str, str], name: str, declared: Value, depth: int) -> Value | None:
        """What the calls building a data class (one with no constructor of its own, such as a pydantic model or a
        dataclass) give its field ``name``: a keyword, an entry of a ``**mapping`` (unknown when the mapping is),
        or the ``declared`` default where a call leaves the field out. None when no call passes it, or while the
        field is being worked out (a call that builds one instance from another's field: the others say)."""
        field_key = (*receiver, name)
        if field_key in self._constructing or self._init_owner(*receiver, set()) is not None:
            return None
        passed: list[Value] = []
        production_only = is_production(self._relpath(receiver[0]))  # a test's fixture is not a deployment's value
        self._constructing.add(field_key)
        try:
            for relpath, call in self.calls_named(receiver[1])[:MAX_CALL_SITES]:
                if (production_only and not is_production(relpath)) or \
                        self.concrete(call.func, depth + 1) != Ref(*receiver):
                    continue
                kwargs = dict(call.kwargs)
                passed.append(kwargs[name] if name in kwargs else Item(kwargs[SPREAD], Lit(name), declared)
                              if SPREAD in kwargs else declared)
            if all(v is declared for v in passed):
                return None
            found = list(dict.fromkeys(self.concrete(v, depth + 1) for v in dict.fromkeys(passed)))
            if len(found) > MAX_OPTIONS:
                found = [*found[: MAX_OPTIONS - 1], Unknown(f"field {name!r}: analysis budget exceeded "
                                                            f"({MAX_OPTIONS} values)")]
            return choice(found)
        finally:
            self._constructing.discard(field_key)

    def _mapped_field(self, stores: tuple[Value, ...], name: str, depth: int) -> Value | None:
        """The field ``name`` of a class that sets fields by a mapping's keys: the value of each key that names it."""
        found: list[Value] = []
        for store in stores:
            if not isinstance(store, MappedFields):
                continue
            mapping = self.concrete(store.mapping, depth + 1)
            for option in mapping.options if isinstance(mapping, Choice) else (mapping,):
                if not isinstance(option, DictVal):
                    continue
                values = [named(self.concrete(v, depth + 1), k.value) for k, v in option.items
                          if isinstance(k, Lit) and isinstance(k.value, str) and _cased(k.value, store.case) == name]
                found += values
                if values:
                    found += [self.concrete(o, depth + 1) for o in store.overrides]
        return choice(found) if found else None

    def _call(self, call: CallResult, depth: int) -> Value:
        func = call.func
        # Within a budget, a call's return is read with the function's parameters bound to what this call passes;
        # deeper (or for a call that passes nothing), with what all callers pass, which is memoised once.
        site = CallFact(func, 0, call.args, call.kwargs) if (call.args or call.kwargs) and \
            depth < MAX_BOUND_DEPTH else None
        if isinstance(func, Attr) and (returned := self._method_call(func, depth, site)) is not None:
            return returned
        target = self.concrete(func, depth + 1)
        if isinstance(target, Function):
            return self.concrete(target.returns, depth + 1)
        if isinstance(target, Ref):
            module = self.module(target.module)
            if module is not None and target.name in module.classes:
                return Instance(module.module, target.name, built=True)
            if module is not None and target.name in module.functions:
                returned = module.functions[target.name]
                if site is not None:
                    returned = _bound(returned, module.module, target.name, site)
                return self.concrete(returned, depth + 1)
        return Unknown(f"{_describe(func)}()")

    def _method_call(self, func: Attr, depth: int, site: CallFact | None = None) -> Value | None:
        """``obj.method()`` on an instance of a product class, or ``Cls.method()`` (a static method): what the
        method returns (for ``site``, with the method's parameters bound to what it passes)."""
        owner = self.concrete(func.base, depth + 1)
        classes = [(o.module, o.cls, o.built) if isinstance(o, Instance) else (o.module, o.name, False)
                   for o in (owner.options if isinstance(owner, Choice) else (owner,)) if isinstance(o, Instance | Ref)]
        # Cls.build(...) on a product class calls a class or static method: what it returns
        found = [self._instance_attr(module, cls, func.name, depth, set(), "methods",
                                     receiver=(module, cls) if built else None, site=site)
                 for module, cls, built in classes]
        known = [v for v in found if not isinstance(v, Unknown)]
        if not known and func.name in self.rules.row_queries:  # rows.filter(...).afirst(): rows of the same model
            known = [o for o in (owner.options if isinstance(owner, Choice) else (owner,)) if isinstance(o, Instance)]
        return choice(known) if known else None

    def _item(self, base: Value, key: Value, default: Value | None, depth: int, read: ReadKind = "") -> Value:
        key_value = self.concrete(key, depth + 1)
        constant_key = key_value.value if isinstance(key_value, Lit) and isinstance(key_value.value, str) else None
        if read == "attr" and constant_key and isinstance(base, Instance | Ref | ModuleRef):
            found = self._attr(base, constant_key, depth + 1)
            if not isinstance(found, Unknown):
                return found
        if isinstance(base, DictVal):
            if isinstance(key_value, Lit):
                for item_key, item_value in base.items:
                    if isinstance(item_key, Lit) and item_key.value == key_value.value:
                        return self.concrete(item_value, depth + 1)
                # an entry stored under a key chosen at run time (registry[name] = client) may be this one
                stored = [v for k, v in base.items if not isinstance(k, Lit)]
                if stored:
                    return self._any_entry(stored, depth)
                if default is not None:
                    return self.concrete(default, depth + 1)
                # mapping.get(key) of a key the whole mapping lacks is None: the caller's `or` default applies
                whole = read == "get" and _lookup(base, SPREAD) is None
                return Lit(None) if whole else Unknown(f"[{key_value.value!r}]")
            # A key chosen at run time: any value the mapping holds is possible.
            found = self._any_entry([v for _, v in base.items], depth)
            return choice([found, self.concrete(default, depth + 1)]) if default is not None else found
        if isinstance(base, ListVal) and base.items:
            index = key_value.value if isinstance(key_value, Lit) else None
            if isinstance(index, int) and -len(base.items) <= index < len(base.items):
                return self.concrete(base.items[index], depth + 1)
            return self._any_entry(list(base.items), depth)
        if isinstance(base, Choice):
            return choice([self._item(o, key, default, depth + 1, read) for o in base.options])
        if isinstance(base, Instance) and not read:  # rows[0], or each row a loop takes from the stored rows
            return base
        if read and constant_key:  # a settings object the solver cannot see into
            return Setting(constant_key, default)
        return Unknown(f"{_describe(base)}[...]")

    def _any_entry(self, entries: list[Value], depth: int) -> Value:
        """Any of a mapping's or list's entries, read at a key chosen at run time. Every distinct entry counts
        (a registry whose first entries all name one provider must not stand for that provider alone); past
        MAX_ENTRIES the read says the rest were not followed."""
        distinct = list(dict.fromkeys(entries))
        options = [self.concrete(v, depth + 1) for v in distinct[:MAX_ENTRIES]]
        if len(distinct) > MAX_ENTRIES:
            options.append(Unknown(f"analysis budget exceeded ({MAX_ENTRIES} entries)"))
        return choice(options)

    def texts(self, value: Value | None, depth: int = 0) -> list[Text]:
        """Every string ``value`` can take, each with its evidence. Worked out once per value object and file
        (which configuration a file sees depends on it): alternatives nested in concatenations nested in
        alternatives would otherwise be walked again at every level. By identity, since equal values may carry
        different names (``Lit.origin``); the entry keeps its value alive, so the id is never reused."""
        key = (self._code, id(value))
        found = self._texts.get(key)
        if found is None:
            found = self._texts[key] = (value, self._texts_of(value, depth))
        return found[1]

    def _texts_of(self, value: Value | None, depth: int) -> list[Text]:
        value = self.concrete(value, depth)
        match value:
            case Lit(value=""):
                return [Text(None, "", "an empty string")]
            case Lit(value=None, origin=origin):  # `model or DEFAULT` with model=None: the default is what is sent
                return [Text(None, "", origin or "None", unset=True)]
            case Lit(value=str() as text, origin=origin):
                return [Text(text, f"{origin} = {text!r}" if origin else "literal",
                             holder=origin.rpartition(".")[2] or None)]
            case Env(name=name, default=default):
                return self._keyed_texts(name, f"${name}", default, depth)
            case Setting(key=key, default=default):
                return self._keyed_texts(key, f"setting {key!r}", default, depth)
            case Concat(parts=parts):
                return self._concat_texts(parts, depth)
            case Replaced(base=base, old=old, new=new, count=count):
                return [replace(t, text=t.text.replace(old, new, count), why=f"{t.why}, {old!r} replaced")
                        if t.text is not None else replace(t, hidden_by=f"{t.hidden_by}.replace({old!r}, {new!r})")
                        for t in self.texts(base, depth + 1)]
            case Choice(options=options):
                texts = _each_in_turn([self.texts(o, depth + 1) for o in options])
                # `os.getenv("X") or "default"`: an unset variable means the default; only a set one matters,
                # and then as an override, after what the code states.
                known = [t for t in texts if t.text is not None or not t.unset]
                chosen = known if any(t.text is not None for t in known) else _unset_as_named(texts)
                return _dedupe(sorted(chosen, key=lambda t: t.configured))
            case Unknown(source=source):  # profile.deepseek_base_url read from a database: its name still says
                field = re.search(r"\.([A-Za-z_]\w*)$", source)
                return [Text(None, "", source, setting=field.group(1) if field else None)]
        return [Text(None, "", _describe(value))]

    def _configured(self, key: str) -> list[EnvValue]:
        """The values the configuration gives ``key`` where the file being resolved can see them: in its own
        project or one that encloses it, not in a sibling application of the same repository."""
        return [v for v in self.env.get(key) if self.projects.sees(self._code, v.file)]

    def _keyed_texts(self, key: str, label: str, default: Value | None, depth: int) -> list[Text]:
        """An env variable or setting: the default the code states applies, and each configured value of
        ``key`` overrides it."""
        configured = [Text(v.value, f"{key}={v.value} in {v.file}:{v.line}", configured=True)
                      for v in self._configured(key)]
        stated: list[Text] = []
        if default is not None and not (isinstance(default, Lit) and default.value is None):
            stated = [Text(t.text, f"default of {label}" + (f" ({t.why})" if t.why != "literal" else ""),
                           t.hidden_by, t.unset) for t in self.texts(default, depth + 1)]
        return stated + configured or [Text(None, "", f"{label} (no default, not set in any configuration)",
                                            unset=True, setting=key)]

    def _concat_texts(self, parts: tuple[Value, ...], depth: int) -> list[Text]:
        # An empty string adds nothing to a URL (client.post("", body) on a client with a base URL).
        options = [[Text("", "")] if self.concrete(p, depth + 1) == Lit("") else self.texts(p, depth + 1)
                   for p in parts]
        # Over budget, the compositions with the fewest unknown parts are kept: a base URL the scan knows must not
        # be cut off by the run-time settings listed before it.
        combos = itertools.islice(itertools.product(*options), MAX_OPTIONS * MAX_OPTIONS)
        results: list[Text] = []
        for combo in sorted(combos, key=lambda combo: sum(t.text is None for t in combo))[:MAX_OPTIONS]:
            text = "".join(HOLE if t.text is None else t.text for t in combo)
            hidden = next((t.hidden_by for t in combo if t.text is None), None)
            whys = [t.why for t in combo if t.why and t.why != "literal"]
            results.append(Text(text, "; ".join(whys) or "static string", hidden,
                                configured=any(t.configured for t in combo),
                                setting=combo[0].setting if combo else None,
                                holder=combo[0].holder if combo else None))
        return results

    # -- paths ---------------------------------------------------------------------------------------

    def resolve_module(self, facts: ModuleFacts) -> list[InferencePath]:
        self.rules = self._rules_for(facts.language)
        self._code = facts.relpath
        fallback_only = self._fallback_bindings(facts)
        raw_by_position = {(p.line, p.column): p for p in facts.paths}
        paths: list[InferencePath] = []
        for raw in facts.paths:
            if (facts.module, raw.line, raw.column) in fallback_only:
                continue
            path = self.resolve_path(facts, raw, raw_by_position)
            if path is not None:
                paths.append(path)
            if raw.kind == "http" and raw.url is not None and self.rules.http.wrapper_calls:
                paths += self._wrapper_calls(facts, raw.function, raw.url, raw, 0)
        return paths + self._subclass_bindings(facts)

    def _subclass_bindings(self, facts: ModuleFacts) -> list[InferencePath]:
        """``new ChatRouter(config)`` where the product's ``class ChatRouter extends ChatOpenAI`` (in any module):
        building a subclass of a framework's model class builds that model, so it is a path where it is built,
        with the framework class's provider and the model the call passes."""
        paths = []
        subclasses = self.binding_subclasses()
        for call in (c for name, calls in facts.calls.items() if name in subclasses for c in calls):
            target = self.concrete(call.func)
            if not isinstance(target, Ref) or \
                    (found := self._binding_base(target.module, target.name, self.rules)) is None:
                continue
            rule, base, (cls, provider) = found
            options = dict(call.kwargs)
            if not options and call.args and isinstance(call.args[0], DictVal):  # new Cls({ model: ... })
                options = {k.value: v for k, v in call.args[0].items if isinstance(k, Lit) and isinstance(k.value, str)}
            raw = RawPath(call.line, call.column, call.end_line or call.line, "binding", rule.id, target.name,
                          binding_kind(rule, cls, base), provider, cls in rule.provider_from_model,
                          model=first_argument(options, self.rules.model_arguments),
                          base_url=first_argument(options, rule.base_url_args), snippet=call.snippet,
                          function=call.caller)
            if (path := self.resolve_path(facts, raw, {})) is not None:
                why = f"{target.name} extends {base}"
                path.targets = [replace(t, provider_why="; ".join(filter(None, (t.provider_why, why))))
                                for t in path.targets]
                paths.append(path)
        return paths

    def binding_subclasses(self) -> frozenset[str]:
        """Names of the product's classes that extend a framework's model class (worked out once): a module that
        builds one has a path even where phase one saw none."""
        if self._binding_subclasses is None:
            self._binding_subclasses = frozenset(
                name for module in list(self.modules.values()) for name, cls in module.classes.items()
                if cls.bases and self._binding_base(module.module, name, self._rules_for(module.language)))
        return self._binding_subclasses

    def builds_binding_subclass(self, facts: ModuleFacts) -> bool:
        """Whether a module calls a class of :meth:`binding_subclasses` by name."""
        return not self.binding_subclasses().isdisjoint(facts.calls)

    def _binding_base(self, module_name: str, cls: str, rules: LanguageRules
                      ) -> tuple[BindingRule, str, tuple[str, str]] | None:
        """(rule, base class path, (class, provider)) for a product class that extends a framework's model class
        whose construction is the path (not one asked through sink methods), directly or through its bases."""
        def model_class(_module: str, _cls: str, base: str) -> tuple[BindingRule, str, tuple[str, str]] | None:
            return next(((rule, base, match) for rule in rules.binding
                         if not rule.sink_methods and (match := binding_match(rule, base)) is not None), None)

        return self._in_bases(module_name, cls, model_class)

    def _wrapper_calls(self, facts: ModuleFacts, function: str | None, url: Value, send: RawPath,
                       depth: int) -> list[InferencePath]:
        """A function that sends its parameter as the URL is a send of its own: each call of it that passes a
        URL is a path too, at the call (a call that passes on its own caller's parameter makes that caller one)."""
        paths: list[InferencePath] = []
        for param in parameters_in(url):
            if param.module != facts.module or param.function != function or depth >= MAX_WRAPPER_DEPTH:
                continue
            owner, _, short = param.function.rpartition(".")
            is_init = bool(short in CONSTRUCTORS and owner)
            names = [*self._constructor_names(param.module, owner), short] if is_init else [short]
            for relpath, call in [c for name in names for c in self.calls_named(name)]:
                argument = _argument(call, param)
                caller = self._by_relpath(relpath)
                if argument is None or caller is None or not self._calls(call.func, param, is_init, 0):
                    continue
                if any(p.module == caller.module and p.function == call.caller for p in parameters_in(argument)):
                    paths += self._wrapper_calls(caller, call.caller, argument, send, depth + 1)
                    continue
                if (relpath, call.line, call.column) in self._wrapper_sites:
                    continue
                self._wrapper_sites.add((relpath, call.line, call.column))
                raw = RawPath(call.line, call.column, call.end_line or call.line, "http", send.sdk, short, "", "",
                              url=argument, chain=short, streaming=send.streaming, snippet=call.snippet,
                              function=call.caller)
                if (path := self._http_path(caller, raw)) is not None:
                    sent = f"sent by {short}() at {facts.relpath}:{send.line}"
                    path.method = short
                    path.targets = [replace(t, provider_why="; ".join(filter(None, (t.provider_why, sent))))
                                    for t in path.targets]
                    paths.append(path)
        return paths

    def _sent_request_path(self, facts: ModuleFacts, send: RawPath) -> InferencePath | None:
        """``client.Do(req)`` of a request built elsewhere: the path of each request it may send, placed here."""
        sent = self.concrete(send.receiver)
        found: list[InferencePath] = []
        for request in [o for o in (sent.options if isinstance(sent, Choice) else (sent,)) if isinstance(o, Request)]:
            built_in = self._by_relpath(request.relpath)
            built = next((p for p in built_in.paths if (p.line, p.column) == (request.line, request.column)), None) \
                if built_in is not None else None
            if built is None or built is send or built.url is None:
                continue
            path = self._http_path(built_in, replace(  # type: ignore[arg-type]
                built, line=send.line, column=send.column, end_line=send.end_line, snippet=send.snippet,
                function=send.function, backs_up=send.backs_up, fallbacks=send.fallbacks))
            if path is not None:
                self.sent_requests.add((request.relpath, request.line, request.column + 1))
                found.append(replace(path, file=facts.relpath))
        if not found:
            return None
        return replace(found[0], targets=_dedupe_targets([t for p in found for t in p.targets]))

    def placed(self, paths: list[InferencePath]) -> list[InferencePath]:
        """``paths`` without the requests built in one place that a send elsewhere reports (run after every module)."""
        return [p for p in paths if (p.file, p.line, p.column) not in self.sent_requests]

    def _by_relpath(self, relpath: str) -> ModuleFacts | None:
        return next((f for f in self.modules.values() if f.relpath == relpath), None)

    def _fallback_bindings(self, facts: ModuleFacts) -> set[tuple[str, int, int]]:
        found = set()
        for link in facts.links:
            for fallback in link.fallbacks:
                value = self.concrete(fallback)
                if isinstance(value, Binding):
                    found.add((value.module, value.line, value.column))
        return found

    def resolve_path(self, facts: ModuleFacts, raw: RawPath,
                     raw_by_position: dict[tuple[int, int], RawPath]) -> InferencePath | None:
        if raw.kind == "http" and raw.receiver is not None and raw.url is not None:
            raw = self._sent_through(raw)
            if raw is None:
                return None
        if raw.kind == "http":
            return self._http_path(facts, raw) if raw.url is not None else self._sent_request_path(facts, raw)
        if raw.sdk == "" or isinstance(raw.receiver, Router | Ref | Attr | Unknown | Item | CallResult | Param):
            raw = self._deferred(facts, raw)
            if raw is None:
                return None
        if isinstance(raw.receiver, Client) and not self._made_for_its_service(raw.receiver):
            return None
        if self._bean_without_its_starter(raw):
            return None
        targets = self._targets(raw)
        fallbacks, why = self._fallbacks(facts, raw, raw_by_position)
        return InferencePath(
            file=facts.relpath, line=raw.line, column=raw.column + 1, end_line=raw.end_line, kind=raw.kind,
            sdk=raw.sdk, operation=raw.operation, operation_kind=raw.operation_kind, targets=targets,
            fallbacks=fallbacks, fallback_why=why, backs_up=raw.backs_up, arguments=list(raw.arguments),
            argument_values=list(raw.argument_values), method=raw.method, streaming=raw.streaming,
            is_async=raw.is_async, snippet=raw.snippet, function=raw.function,
        )

    def _delegated(self, value: Value, name: str) -> Value:
        """``value``, where an option is an instance of a product class that does not define ``name`` but hands
        out another object's attributes (its ``__getattr__``): that object."""
        options = value.options if isinstance(value, Choice) else (value,)
        if not any(isinstance(o, Instance) for o in options):
            return value
        return choice([self._delegate(o, name) if isinstance(o, Instance) else o for o in options])

    def _delegate(self, instance: Instance, name: str) -> Value:
        module = self.module(instance.module)
        facts = module.classes.get(instance.cls) if module is not None else None
        if facts is None or facts.delegate is None or name in facts.attrs or name in facts.methods:
            return instance
        held = self.concrete(facts.delegate)
        return choice([o for o in (held.options if isinstance(held, Choice) else (held,)) if o != Lit(None)] or [held])

    def _module_held(self, raw: RawPath, modules: set[str]) -> RawPath | None:
        """A call through a name of the product that holds a model API's module (re-exported, or loaded lazily
        by an object that hands out the module's attributes): that module's function, or an operation of the
        client the module itself is."""
        if modules & set(raw.held_modules):
            return _replace(raw, receiver=None, held_modules=())
        for rule in self.rules.sdk:
            if rule.module_is_client and modules & set(rule.modules) and (op := rule.operation(raw.chain)):
                return _replace(raw, sdk=rule.id, operation=raw.chain, operation_kind=op.kind, provider=rule.provider,
                                provider_from_model=False, receiver=None, held_modules=(),
                                streaming=raw.streaming or op.stream)
        return None

    def _sent_through(self, raw: RawPath) -> RawPath | None:
        """A request sent through an object phase one could not see (a client a factory returns): kept when the
        object is an HTTP client, its base URL before the request's."""
        receiver = self.concrete(raw.receiver)
        clients = [o for o in (receiver.options if isinstance(receiver, Choice) else (receiver,))
                   if isinstance(o, HttpClient)]
        if not clients:
            return None
        library = clients[0].library
        urls = [Concat((c.base_url, raw.url)) if c.base_url is not None else raw.url for c in clients]
        return _replace(raw, sdk=library, operation=f"{library}.{raw.chain}", receiver=None, url=choice(urls))

    def _deferred(self, facts: ModuleFacts, raw: RawPath) -> RawPath | None:
        """A call on an object phase one could not see: keep it when the object turns out to be a client."""
        if raw.kind == "binding":
            return self._constructed_bindings(raw)
        receiver = self._delegated(self.concrete(raw.receiver), raw.chain.split(".", 1)[0])
        if modules := {o.module for o in (receiver.options if isinstance(receiver, Choice) else (receiver,))
                       if isinstance(o, ModuleRef)}:
            return self._module_held(raw, modules)
        if raw.held_modules:  # the name holds no module: an object called like one (a router, a client)
            raw = _replace(raw, sdk="", operation=raw.chain, operation_kind="", provider="", provider_from_model=False,
                           base_url=None, fallbacks=(), fallback_why="", held_modules=())
        if isinstance(receiver, Router):
            return raw if raw.operation.startswith("Router.") else self._router_raw(raw, receiver)
        # A method called on None fails: a receiver that may be None (a parameter's default) is its other values
        options = tuple(o for o in (receiver.options if isinstance(receiver, Choice) else (receiver,))
                        if o != Lit(None))
        if not options:
            receiver = Unknown(f"{_describe(raw.receiver)}: None unless a caller passes it")
            options = (receiver,)
        elif len(options) == 1:
            receiver = options[0]
        made = [o for o in options if isinstance(o, Client)]
        clients = [o for o in made if self._made_for_its_service(o)]
        if made and not clients:  # a client of another service of the SDK (boto3's s3)
            return None
        if not clients:
            clients = [c for o in options if isinstance(o, Instance)
                       and (c := self._sdk_base_client(o.module, o.cls))]
        # A receiver that may be one of several SDKs' clients (a base class's method, each subclass passing its
        # own) sends this request through those whose SDK has the operation; the others never run this call.
        operations = [(c, op) for c in clients if (op := self._operation(c, raw.chain))]
        if operations:
            (first, op), able = operations[0], [c for c, _ in operations]
            return _replace(raw, sdk=first.sdk, operation=raw.chain, operation_kind=op.kind, provider="",
                            receiver=choice(able), streaming=raw.streaming or op.stream)
        if clients:
            return None
        sinks = [o for o in options if isinstance(o, Binding) and raw.chain in self._sink_methods(o)]
        if sinks:  # model.generate_content() on one of several models built elsewhere
            return _replace(raw, sdk=sinks[0].rule, operation=f"{sinks[0].cls}.{raw.chain}", operation_kind="chat",
                            provider="", receiver=choice(list(sinks)))
        if isinstance(receiver, Binding | HttpClient | Lit | DictVal | ListVal | Instance):
            return None
        # An object we cannot see (a parameter, a factory we cannot follow) called like an SDK client: report it
        # only when this module imports that SDK and the call has a request's shape (a model, the messages, a
        # ** mapping), so that look-alikes stay out.
        if raw.model is None and not set(raw.arguments) & set(self.rules.request_arguments):
            return None
        for rule in self.rules.sdk:
            if rule.id in facts.sdk_imports and (op := rule.operation(raw.chain)):
                return _replace(raw, sdk=rule.id, operation=raw.chain, operation_kind=op.kind,
                                provider=_only_provider(rule, self.rules.redirectable_providers),
                                receiver=Unknown(_describe(raw.receiver) + " (client not resolved)"),
                                streaming=raw.streaming or op.stream)
        method = raw.chain.rsplit(".", 1)[-1]
        for binding in self.rules.binding:  # model.generate_content(...) on a model object passed in
            if binding.id in facts.sdk_imports and method in binding.sink_methods:
                providers = set(binding.classes.values())
                return _replace(raw, sdk=binding.id, operation=raw.chain, operation_kind=_sink_kind(method),
                                provider=providers.pop() if len(providers) == 1 else "",
                                receiver=Unknown(_describe(raw.receiver) + " (model object not resolved)"))
        return None

    def _made_for_its_service(self, client: Client) -> bool:
        """A client made by service name (``session.client(service_name)``) is the SDK's when a name it can be made
        with is one its rule's factory makes; a name the scanner cannot read keeps it (its operation says enough)."""
        if client.service is None:
            return True
        rule = self.rules.sdk_rule(client.sdk)
        names = [t.text for t in self.texts(client.service)]
        return rule is None or None in names or any(
            name in factory.service for factory in rule.factories for name in names)

    def _sdk_base_client(self, module_name: str, cls: str) -> Client | None:
        """For an instance of a product class that extends an SDK client and keeps its constructor (``class
        Api(ZhipuAI)``, built in another module): the client it is, its endpoint chosen where it is built."""
        def client(module: str, name: str, base: str) -> Client | None:
            why = f"{name}, a subclass of {base}, built by the product"
            return client_of_type(self.rules, base, why, module) if self.rules.is_library_module(base) else None

        # a class with its own constructor is not the SDK's client, whatever it extends
        return self._in_bases(module_name, cls, client, lambda facts: not CONSTRUCTORS.isdisjoint(facts.methods))

    def _in_bases(self, module_name: str, cls: str, test: Callable[[str, str, str], T | None],
                  stop: Callable[[ClassFacts], bool] = lambda _: False) -> T | None:
        """The first ``test(module, class, base)`` that is not None over the bases a product class names, then over
        those of its product base classes (each class once); a class for which ``stop`` holds ends its branch."""
        return self._search_bases(module_name, cls, test, stop, set())

    def _search_bases(self, module_name: str, cls: str, test: Callable[[str, str, str], T | None],
                      stop: Callable[[ClassFacts], bool], seen: set[str]) -> T | None:
        # A method, not a closure that calls itself: that closure would be a reference cycle holding the resolver,
        # and with it every module's facts, until the cycle collector walks them all.
        module = self.module(module_name)
        if module is None or cls not in module.classes or f"{module_name}.{cls}" in seen or stop(module.classes[cls]):
            return None
        seen.add(f"{module_name}.{cls}")
        for base in module.classes[cls].bases:
            if (found := test(module_name, cls, base)) is not None:
                return found
        return next((found for owner, parent in self._bases(module, cls)
                     if (found := self._search_bases(owner, parent, test, stop, seen)) is not None), None)

    def _operation(self, client: Client, chain: str) -> Operation | None:
        rule = self.rules.sdk_rule(client.sdk)
        return rule.operation(chain) if rule is not None else None

    def _constructed_bindings(self, raw: RawPath) -> RawPath | None:
        """A class built that phase one could not name (``new CONSTRUCTORS[vendor](config)``): a path when it is a
        framework's model class, or a product subclass of one; one of several such classes reaches each's provider."""
        value = self.concrete(raw.receiver)
        built: list[tuple[BindingRule, Binding]] = []
        for option in value.options if isinstance(value, Choice) else (value,):
            path = dotted(option)
            rules = [r for r in self.rules.binding if not r.sink_methods] if path else []
            match = next(((rule, path, found) for rule in rules if (found := binding_match(rule, path))), None)
            if match is None and isinstance(option, Ref):
                match = self._binding_base(option.module, option.name, self.rules)
            if match is not None:
                rule, _, (cls, provider) = match
                built.append((rule, Binding(rule.id, "", raw.line, raw.column, cls=cls, provider=provider,
                                            model=raw.model)))
        if not built:
            return None
        rule, first = built[0]
        return _replace(raw, sdk=rule.id, operation=" | ".join(dict.fromkeys(b.cls for _, b in built)),
                        operation_kind=binding_kind(rule, first.cls, ""), receiver=choice([b for _, b in built]))

    def _sink_methods(self, binding: Binding) -> list[str]:
        rule = self.rules.binding_rule(binding.rule)
        return rule.sink_methods if rule is not None else []

    def _router_raw(self, raw: RawPath, router: Router) -> RawPath | None:
        rule = next(r for r in self.rules.function if r.id == router.rule)
        if rule.router is None or raw.chain not in rule.router.methods:
            return None
        spec = rule.function(raw.chain)
        return _replace(raw, sdk=rule.id, operation=f"Router.{raw.chain}", operation_kind=spec.kind if spec else "chat",
                        receiver=router)

    # -- targets ---------------------------------------------------------------------------------------

    def _targets(self, raw: RawPath) -> list[Target]:
        receiver = self.concrete(raw.receiver) if raw.receiver is not None else None
        if isinstance(receiver, Router):
            return self._router_targets(receiver, raw.model)
        options = (receiver.options if isinstance(receiver, Choice) else (receiver,)) if receiver is not None else ()
        clients = [made for o in options if isinstance(o, Client) for made in self._beans(o)]
        sinks = [o for o in options if isinstance(o, Binding) and o.cls]
        if clients or sinks:
            targets = [t for client in clients for t in self._client_targets(client, raw)]
            targets += [t for b in sinks for t in self._default_targets(b.provider, None, b.model, b.rule)]
        elif isinstance(receiver, Unknown):
            # a client not resolved still reaches the one provider every client of its SDK reaches
            provider = raw.provider or None
            why = f"every {raw.sdk} client reaches {provider}" if provider else ""
            targets = [_target(provider, why, receiver.source, m) for m in self.texts(raw.model)] \
                if raw.model is not None else [_target(provider, why, receiver.source, Text(None, "", receiver.source))]
        else:
            targets = self._default_targets(raw.provider, raw.base_url, raw.model, raw.sdk, raw.provider_from_model)
        return _dedupe_targets(targets)

    def _beans(self, client: Client) -> list[Client]:
        """An injected client is what the product's @Bean methods of its type make; the type alone otherwise."""
        if not client.injected:
            return [client]
        made = [self.concrete(v) for m in list(self.modules.values()) for v in m.beans.get(client.injected, [])]
        found = [o for v in made for o in (v.options if isinstance(v, Choice) else (v,)) if isinstance(o, Client)]
        return found or [client]

    def _handles(self, model: Value | None) -> list[ModelHandle]:
        if model is None:
            return []
        value = self.concrete(model)
        options = value.options if isinstance(value, Choice) else (value,)
        handles = [o for o in options if isinstance(o, ModelHandle)]
        return [ModelHandle(self.concrete(h.client), h.model, h.kind, h.fallbacks) for h in handles
                if isinstance(self.concrete(h.client), Client)]

    def _client_targets(self, client: Client, raw: RawPath) -> list[Target]:
        rule = self.rules.sdk_rule(client.sdk)
        if not client.provider and rule is not None and (declared := self._declared_providers(rule)):
            return self._declared_targets(declared, raw.model, rule)
        base_url = client.base_url
        if base_url is None:
            provider = self.catalog.provider(client.provider)
            env_names = provider.base_url_env if provider else []
            if set_names := [name for name in env_names if self._configured(name)]:
                base_url = choice([Env(name) for name in set_names])
        return self._default_targets(client.provider, base_url, raw.model, client.sdk,
                                     rule is not None and rule.provider_from_model)

    def _struct_bodies(self, body: Value | None) -> list[DictVal]:
        """The fields of each product struct or class ``body`` may be, as the keys of the object it is sent as."""
        found = []
        for option in body.options if isinstance(body, Choice) else (body,):
            module = self.module(option.module) if isinstance(option, Instance) else None
            if module is not None and option.cls in module.classes:  # type: ignore[union-attr]
                fields = module.classes[option.cls].attrs  # type: ignore[union-attr]
                found.append(DictVal(tuple((Lit(name.lower()), value) for name, value in fields.items())))
        return found

    def _bean_without_its_starter(self, raw: RawPath) -> bool:
        """A call on a framework's bean (an injected LangChain4j ChatModel) in a project that declares none of the
        packages that build it: the object was built in the code, and building it is the path."""
        receiver = raw.receiver
        rule = self.rules.sdk_rule(receiver.sdk) if isinstance(receiver, Client) else None
        return rule is not None and rule.built_by_packages and not self._declared_providers(rule)

    def _declared_providers(self, rule: SdkRule) -> list[tuple[str, str]]:
        """(provider, evidence) for each provider that the packages of ``rule.provider_packages`` declared by the
        nearest project of the file being resolved choose."""
        declared = [d for d in self.dependencies if d.providers and self.projects.sees(self._code, d.file)
                    and any(fnmatchcase(d.package, glob) for glob in rule.provider_packages)]
        if not declared:
            return []
        nearest = max((self.projects.project_of(d.file) for d in declared), key=len)
        chosen: dict[str, str] = {}
        for dependency in declared:
            if self.projects.project_of(dependency.file) == nearest:
                for provider in dependency.providers:
                    chosen.setdefault(provider, f"{dependency.package} in {dependency.file}")
        return sorted(chosen.items())

    def _declared_targets(self, declared: list[tuple[str, str]], model: Value | None, rule: SdkRule) -> list[Target]:
        """One target per provider the project's packages choose. Where the call names no model, each provider's
        model is the one its own client reads (spring.ai.anthropic.chat.options.model for Anthropic's starter);
        a model that one of them makes goes with that provider alone."""
        providers = {provider for provider, _ in declared}
        unnamed = model == choice([Env(name) for name in rule.model_env])
        family = [r for r in self.rules.sdk if not set(r.prefilter or ()).isdisjoint(rule.prefilter or ())]
        targets = []
        for provider, evidence in declared:
            if unnamed:  # the provider's own client of the same framework says where its model is set
                names = [name for r in family for name in r.provider_model_env(provider)]
                model = choice([Env(name) for name in names or rule.model_env])
            # its starter's base-URL setting may send it elsewhere (spring.ai.openai.base-url: DashScope's)
            urls = [name for r in family if r.provider == provider for name in r.base_url_env if self._configured(name)]
            endpoints = [self._provider_for_url(url, provider, rule.id) for url in
                         self.texts(choice([Env(name) for name in urls]))] if urls else \
                [(provider, f"the project declares {evidence}, which serves {provider}", None)]
            for model_text in self.texts(model) if model is not None else [Text(None, "", "no model setting")]:
                maker = self.catalog.provider_for_model(model_text.text)[0] if model_text.text else None
                if maker not in providers or maker == provider:
                    targets += [_target(*endpoint, model_text) for endpoint in endpoints]
        return targets[:MAX_OPTIONS]

    def _default_targets(self, provider: str, base_url: Value | None, model: Value | None, sdk: str,
                         from_model: bool = False) -> list[Target]:
        """Targets of a call; only a construct that routes by the model string (``from_model``) may take its
        provider from the model id: anywhere else an id names a model, not where it is served."""
        handles = self._handles(model)
        if handles:  # the AI SDK: generateText({ model: deepseek("deepseek-chat") })
            return [t for h in handles for t in self._client_targets(h.client, _with_model(h.model))]
        models = self.texts(model) if model is not None else [Text(None, "", "no model argument")]
        if provider and self.catalog.provider(provider) is None:
            # A family rule names its provider by convention (a package segment): one the catalog does not
            # know is reported as unknown, with its name, never replaced by a guess from the model id.
            unknown = f"{sdk} names the provider {provider!r} (by its package); not in the catalog"
            return [_target(None, "", unknown, m) for m in models][:MAX_OPTIONS]
        if base_url is not None:
            providers = [self._provider_for_url(t, provider, sdk) for t in self.texts(base_url)]
        elif provider:
            providers = [(provider, f"{sdk} client reaches {provider} (no base_url)", None)]
        else:
            providers = []
        targets = []
        for model_text in models:
            options = providers or [self._provider_for_model(model_text.text) if from_model else
                                    (None, "", f"{sdk} names no provider and no base URL was found")]
            for provider_id, provider_why, hidden in options:
                targets.append(_target(provider_id, provider_why, hidden, model_text))
        return targets[:MAX_OPTIONS]

    def _provider_for_url(self, url: Text, provider: str = "", sdk: str = "") -> tuple[str | None, str, str | None]:
        """The provider a base URL reaches; a client made for one provider keeps it when the URL is unknown."""
        match = self._host(url)
        source = f" ({url.why})" if url.why not in ("literal", "static string", "") else ""
        if match is None and url.text is not None:
            match = self.catalog.provider_for_url_path(url.text)
        if match is not None:
            return match.provider, f"base URL {url.text!r}{source}: {match.why}", None
        if url.hidden_by == NOT_ALWAYS_SET and provider:  # `if (config.baseURL) options.baseURL = ...`
            return provider, f"{sdk} client's default endpoint, where no base URL is set", None
        if url.text is None and url.unset and not url.setting and provider:  # base_url=None: the SDK's own default
            return provider, f"{sdk} client's default endpoint: the base URL is None ({url.hidden_by})", None
        if url.setting and (url.text is None or url.text.startswith(HOLE)) and \
                (named_for := self.catalog.provider_for_url_setting(url.setting)) is not None:
            return named_for.id, f"base URL from {url.setting}, the setting named for {named_for.id} (its value is " \
                                 "not in the repository)", None
        hidden = url.hidden_by or "base URL" if url.text is None or url.text.startswith(HOLE) else \
            unknown_host(url.text, source)
        if provider and provider not in self.rules.redirectable_providers:
            return provider, f"{sdk} client for {provider}; its endpoint is not resolved ({hidden})", None
        return None, "", hidden

    def _host(self, url: Text) -> HostMatch | None:
        """The catalog's provider for a URL; a private address that only its port tells is the server the
        constant holding it is named for (``DEFAULT_MLX_URL = "http://localhost:8080"``: MLX, not llama.cpp)."""
        match = self._catalog_host(url.text) if url.text is not None else None
        if match is not None and match.guessed and url.holder and \
                (named := self.catalog.provider_for_url_setting(url.holder)) is not None and named.self_hosted:
            return HostMatch(named.id, f"a private address held by {url.holder}, which is named for {named.id}", True)
        return match

    def _setting_host(self, url: Text) -> HostMatch | None:
        """For a URL that starts with an unset setting named for a server (``${OLLAMA_URL}/api/chat``): that
        server, as its host would say."""
        if url.setting is None or not (url.text or HOLE).startswith(HOLE):
            return None
        named = self.catalog.provider_for_url_setting(url.setting)
        return HostMatch(named.id, f"the setting {url.setting} is named for it", named.self_hosted) if named else None

    def _catalog_host(self, url: str) -> HostMatch | None:
        """The catalog's provider for a URL whose parts may be unknown. An unknown part inside the host is one
        label or part of one (bedrock-mantle.{region}.api.aws): only a catalogued wildcard host of a hosted
        provider can match it; an unknown host (a URL that starts unknown) matches nothing."""
        if url.startswith(HOLE):
            return None
        authority = _authority(url)
        if HOLE not in authority:
            return self.catalog.provider_for_url(url.replace(HOLE, ""))
        # `${baseUrl}${path}`: the path follows the host
        if authority.endswith(HOLE) and authority.count(HOLE) == 1 and \
                (match := self.catalog.provider_for_url(url.split(HOLE, 1)[0])) is not None:
            return match
        match = self.catalog.provider_for_url(url.replace(HOLE, "x0"))
        return match if match is not None and not match.self_hosted else None

    def _provider_for_model(self, model: str | None) -> tuple[str | None, str, str | None]:
        """For multi-provider libraries (LiteLLM, init_chat_model): the provider the model id names."""
        if model is None:
            return None, "", "model unknown, so provider unknown"
        provider, why = self.catalog.provider_for_model(model)
        return provider, why, None if provider else f"model id {model!r} names no provider"

    def _router_targets(self, router: Router, alias: Value | None) -> list[Target]:
        deployments = self._deployments(router)
        aliases = {t.text for t in self.texts(alias)} if alias is not None else {None}
        chosen = [d for d in deployments if d[0] in aliases] if None not in aliases else deployments
        return [t for _, params in chosen or deployments for t in self._deployment_targets(params)]

    def _deployments(self, router: Router) -> list[tuple[str | None, Value]]:
        model_list = self.concrete(router.model_list)
        entries = model_list.items if isinstance(model_list, ListVal) else ()
        deployments = []
        for entry in entries:
            entry = self.concrete(entry)
            if isinstance(entry, DictVal):
                name = _lookup(entry, "model_name")
                names = self.texts(name) if name is not None else [Text(None, "")]
                deployments.append((names[0].text, _lookup(entry, "litellm_params") or Unknown("litellm_params")))
        return deployments

    def _deployment_targets(self, params: Value) -> list[Target]:
        params = self.concrete(params)
        if not isinstance(params, DictVal):
            return [_target(None, "", _describe(params), Text(None, "", _describe(params)))]
        base_url = _lookup(params, "api_base") or _lookup(params, "base_url")
        return self._default_targets("", base_url, _lookup(params, "model"), "litellm", from_model=True)

    # -- fallbacks -------------------------------------------------------------------------------------

    def _fallbacks(self, facts: ModuleFacts, raw: RawPath,
                   raw_by_position: dict[tuple[int, int], RawPath]) -> tuple[list[Target], str]:
        targets: list[Target] = []
        whys = [raw.fallback_why] if raw.fallback_why else []
        for fallback in raw.fallbacks:
            if isinstance(fallback, PathRef):
                other = raw_by_position.get((fallback.line, fallback.column))
                if other is not None and (resolved := self.resolve_path(facts, _replace(other, fallbacks=()), {})):
                    targets.extend(resolved.targets)
                continue
            value = self.concrete(fallback)
            if isinstance(value, DictVal):  # litellm: {"model": "...", "api_base": "..."}
                targets.extend(self._deployment_targets(value))
            else:
                targets.extend(self._default_targets("", None, value, raw.sdk, raw.provider_from_model))
        for handle in self._handles(raw.model):  # the AI SDK: createFallback({ models: [...] })
            for fallback in handle.fallbacks:
                targets.extend(self._default_targets("", None, fallback, raw.sdk, raw.provider_from_model))
            if handle.fallbacks:
                whys.append("fallback models after the first")
        receiver = self.concrete(raw.receiver) if raw.receiver is not None else None
        if isinstance(receiver, Router):
            router_targets, router_why = self._router_fallbacks(receiver, raw.model)
            targets += router_targets
            whys += [router_why] if router_why else []
        if raw.kind == "binding":
            for link in self._links_for(facts, raw):
                whys.append(link.why)
                for fallback in link.fallbacks:
                    value = self.concrete(fallback)
                    if isinstance(value, Binding):
                        targets.extend(self._binding_targets(value))
                    else:
                        targets.append(_target(None, "", _describe(fallback), Text(None, "", _describe(fallback))))
        return _dedupe_targets(targets), "; ".join(whys)

    def _links_for(self, facts: ModuleFacts, raw: RawPath) -> list[FallbackLink]:
        wanted = (facts.module, raw.line, raw.column)
        return [link for module in self.modules.values() if module.links
                for primary, link in self._link_primaries(module) if primary == wanted]

    def _link_primaries(self, module: ModuleFacts) -> list[tuple[tuple[str, int, int] | None, FallbackLink]]:
        """Each fallback link of ``module`` with the binding (module, line, column) its primary is, if it is one:
        worked out once per module, not again for every binding path (a primary's value, once followed, stays)."""
        known = self._primaries.get(id(module))
        if known is None or known[0] is not module:
            primaries = [(_binding_position(self.concrete(link.primary)), link) for link in module.links]
            known = self._primaries[id(module)] = (module, primaries)
        return known[1]

    def _binding_targets(self, binding: Binding) -> list[Target]:
        module = self.module(binding.module)
        raw = next((p for p in module.paths if (p.line, p.column) == (binding.line, binding.column)), None) \
            if module else None
        return self._targets(raw) if raw is not None else [
            _target(None, "", "fallback binding", Text(None, "", "fallback binding"))]

    def _router_fallbacks(self, router: Router, alias: Value | None) -> tuple[list[Target], str]:
        aliases = {t.text for t in self.texts(alias)} if alias is not None else set()
        deployments = self._deployments(router)
        targets: list[Target] = []
        for fallbacks in router.fallbacks:
            listed = self.concrete(fallbacks)
            for mapping in listed.items if isinstance(listed, ListVal) else (listed,):
                mapping = self.concrete(mapping)
                if not isinstance(mapping, DictVal):
                    continue
                for key, value in mapping.items:
                    key_text = self.texts(key)[0].text
                    if aliases and key_text not in aliases:
                        continue
                    names = self.concrete(value)
                    for name in names.items if isinstance(names, ListVal) else (names,):
                        name_texts = {t.text for t in self.texts(name)}
                        chosen = [p for alias_name, p in deployments if alias_name in name_texts]
                        for params in chosen:
                            targets.extend(self._deployment_targets(params))
                        if not chosen:
                            targets.extend(self._default_targets("", None, name, "litellm", from_model=True))
        return targets, "Router fallbacks" if targets else ""

    # -- raw HTTP ------------------------------------------------------------------------------------

    def _http_path(self, facts: ModuleFacts, raw: RawPath) -> InferencePath | None:
        """A request counts when it asks a model: see offramp/scan/rules/model_apis.toml for the tests."""
        apis = model_apis()
        targets = []
        kinds = []
        body = self.concrete(raw.body) if raw.body is not None else None
        # A request that sends nothing (a GET, a nil body) asks a model only on a model API's path: elsewhere on a
        # model host it reads an account, a balance or a listing.
        sends_nothing = body == Lit(None) or (raw.body is None and raw.method.lower() == "get")
        bodies = [b for b in (body.options if isinstance(body, Choice) else (body,)) if isinstance(b, DictVal)]
        # A product struct or class sent as the body (Go json.Marshal(&Request{Model: m})) has its fields as keys;
        # the scanner may not see every one of them, so they can show that a body asks a model, never that it does not.
        structs = self._struct_bodies(body)
        bodies += structs
        models = [m for b in bodies if (m := _lookup(b, "model")) is not None]
        model = choice(models) if models else None
        dicts = _dicts(body)
        # True or False for bodies the scanner sees (any of them may be sent); None when it cannot tell.
        model_body = any(apis.has_model_body(_dict_keys(b)) for b in dicts) if dicts is not None else None
        ambiguous_body = any(apis.has_ambiguous_body(_dict_keys(b)) for b in [*(dicts or []), *structs])
        # A body that asks a model whatever the address (a model and messages), on every path the request may take
        shapes = [apis.body_shape(_dict_keys(b)) for b in dicts or ()]
        shape = shapes[0] if shapes and all(shapes) else None
        for url in self.texts(raw.url):
            if url.text is None and shape is not None:
                kinds.append(shape.kind)
                targets += [_target(None, "", f"the request's address: {url.hidden_by or 'not resolved'}", m)
                            for m in (self.texts(model) if model is not None else [Text(None, "", "no model in body")])]
                continue
            if url.text is None or apis.asks_no_model(url.text):
                continue
            api_path = apis.api_path(url.text)
            if api_path is None and sends_nothing:
                continue
            host = self._host(url) or self._setting_host(url)
            # A hosted model API counts on its host with a body that may ask a model; a private address
            # (whatever its port) only with a model API path, since every internal service lives on one too.
            model_host = host is not None and not host.self_hosted
            # A private address on none of a model API's paths is any internal service, unless the body it is
            # sent names a model: then it is a model server of the user's own, whichever (the port alone is a guess)
            own_server = api_path is None and host is not None and host.self_hosted and ambiguous_body
            if api_path is None and not (model_host and model_body is not False) and not own_server:
                continue
            if api_path is not None and host is None and (
                    model_body is False or (api_path.ambiguous and not ambiguous_body)):
                continue
            if api_path is not None and api_path.ambiguous and api_path.servers and not ambiguous_body and \
                    host is not None and host.self_hosted and host.provider not in api_path.servers:
                continue  # the product's own /api/chat on a dev server's port, sent no model: no model server's
            kinds.append(api_path.kind if api_path else "chat")
            provider, why, hidden = self._provider_for_url(url)
            if own_server:
                provider, why = SELF_HOSTED_PROVIDER, f"{url.text!r} is a private address and the request names a " \
                                                      "model but uses no model API's path: a self-hosted server"
            in_url = apis.url_model(url.text)
            models = self.texts(model) if model is not None else [
                Text(in_url, f"in the URL ({url.why})" if url.why not in ("", "literal") else "in the URL")
                if in_url else Text(None, "", "no model in body")]
            for model_text in models:
                targets.append(_target(provider, why, hidden, model_text))
        if not targets:
            return None
        return InferencePath(
            file=facts.relpath, line=raw.line, column=raw.column + 1, end_line=raw.end_line, kind="http",
            sdk=raw.sdk, operation=raw.operation, operation_kind=kinds[0], targets=_dedupe_targets(targets),
            backs_up=raw.backs_up, arguments=list(raw.arguments) + [k for b in bodies for k in _dict_keys(b)],
            argument_values=list(raw.argument_values), method=raw.method, streaming=raw.streaming,
            is_async=raw.is_async, snippet=raw.snippet, function=raw.function,
        )


HOST_NOT_IN_CATALOG = "host-not-in-catalog"


def _authority(url: str) -> str:
    """The host[:port] part of a URL, unknown parts kept ('{?}' is no query): it ends at the path, the query or the
    fragment ('https://aip.baidubce.com{?}?access_token={?}' -> 'aip.baidubce.com{?}')."""
    rest = url.split("//", 1)[-1].replace(HOLE, "\0")
    return re.split(r"[/?#]", rest, maxsplit=1)[0].replace("\0", HOLE)


def unknown_host(url: str, source: str = "") -> str:
    """Why a URL names no provider: its host is not in the catalog (never a provider guessed from the model)."""
    host = _authority(url).rsplit("@", 1)[-1] or url
    return f"unknown provider at {host} ({HOST_NOT_IN_CATALOG}: {url!r}{source})"


def _with_model(model: Value | None) -> RawPath:
    """A stand-in raw path that carries only a model, for targets of a model handle's client."""
    return RawPath(0, 0, 0, "sdk_call", "", "", "", "", model=model)


@cache
def is_production(relpath: str) -> bool:
    """Production code by the default criticality rules (not tests, examples, docs, benchmarks)."""
    return classify(relpath, default_policy()).critical


def parameters_in(value: Value | None, depth: int = 0) -> list[Param]:
    """The parameters a value is built from (a URL made of a base and the caller's path)."""
    match value:
        case Param():
            return [value]
        case Concat(parts=options) | Choice(options=options) if depth < 6:
            return [p for o in options for p in parameters_in(o, depth + 1)]
    return []


def _origin(url: str) -> str:
    """'http://localhost:1234/api/v0' -> 'http://localhost:1234'."""
    scheme, separator, rest = url.partition("://")
    return f"{scheme}{separator}{rest.split('/', 1)[0]}" if separator else url


def _absent(name: str) -> Lit:
    """A property an object literal does not have: JavaScript reads ``undefined``, so ``x.model || "gpt-4o"``
    sends the default."""
    return Lit(None, f"no property {name!r}")


def _in_context(value: Value, owner: tuple[str, str], receiver: tuple[str, str], depth: int = 0) -> Value:
    """A member of class ``owner`` as an instance of its subclass ``receiver`` sees it: ``this``/``self`` is that
    instance, and the constructor's parameters take what building the subclass passes."""
    if depth > 6:
        return value
    match value:
        case Instance(module=module, cls=cls) if (module, cls) == owner:
            return Instance(*receiver)
        case Param(module=module, function=function) if module == owner[0] and \
                function.rpartition(".")[2] in CONSTRUCTORS:
            return replace(value, receiver=receiver)
        case Choice(options=options):
            return Choice(tuple(_in_context(o, owner, receiver, depth + 1) for o in options))
        case Concat(parts=parts):
            return Concat(tuple(_in_context(p, owner, receiver, depth + 1) for p in parts))
        case Attr(base=base):
            return replace(value, base=_in_context(base, owner, receiver, depth + 1))
        case Member(owner=base):
            return replace(value, owner=_in_context(base, owner, receiver, depth + 1))
        case CallResult(func=func):
            return replace(value, func=_in_context(func, owner, receiver, depth + 1))
    return value


def _bound(value: Value, module: str, function: str, site: CallFact, depth: int = 0) -> Value:
    """What ``function`` returns (``value``) as one call ``site`` of it sees it: each of its parameters is what that
    call passes, or its default where the call leaves it out."""
    if depth > MAX_BOUND_NESTING:
        return value
    if isinstance(value, Param):
        if value.module != module or value.function != function or value.kind:
            return value
        passed = _argument(site, value)
        return passed if passed is not None else value.default if value.default is not None else value
    if isinstance(value, tuple):
        return tuple(_bound(v, module, function, site, depth + 1) if not isinstance(v, str) else v for v in value)
    if not is_dataclass(value) or isinstance(value, Lit | Unknown | ModuleRef | Ref | Instance):
        return value
    changes = {}
    for item in fields(value):
        old = getattr(value, item.name)
        if old is not None and not isinstance(old, str | int | float | bool):
            new = _bound(old, module, function, site, depth + 1)
            if new is not old:
                changes[item.name] = new
    return replace(value, **changes) if changes else value


def _argument(call: CallFact, param: Param) -> Value | None:
    """What one call passes for ``param``; None when it leaves the parameter out."""
    kwargs = dict(call.kwargs)
    if param.kind == "**":
        rest = tuple((Lit(k), v) for k, v in call.kwargs if k not in param.declared and k != SPREAD)
        spread = [kwargs[SPREAD]] if SPREAD in kwargs else []
        return choice([DictVal(rest), *spread]) if rest or spread else None
    if param.name in kwargs:
        return kwargs[param.name]
    if param.position is not None and param.position < len(call.args):
        return call.args[param.position]
    if SPREAD in kwargs:
        return Item(kwargs[SPREAD], Lit(param.name))
    return None


def _target(provider: str | None, provider_why: str, provider_hidden: str | None, model: Text) -> Target:
    """A target with, for the provider and the model each, why it stays unknown where it does."""
    provider_unknown = (provider_hidden or "no provider found") if provider is None else None
    model_unknown = (model.hidden_by or "no model argument") if model.text is None else None
    text = model.text
    if text is not None and HOLE in text:  # 'anthropic/{?}' names no model: what is known of it says why
        text, model_unknown = None, f"{text} ({model.hidden_by or 'part of it unknown'})"
    return Target(provider, text, provider_why, model.why, provider_hidden or model.hidden_by,
                  provider_unknown, model_unknown)


def _sink_kind(method: str) -> str:
    """What a framework model's sink method asks, by its name (get_embeddings, generate_images, generate_content)."""
    return "embedding" if "embed" in method else "image" if "image" in method else "chat"


def _only_provider(rule: SdkRule, redirectable: list[str]) -> str:
    """The provider every client of an SDK reaches, whatever endpoint it was given ('' when its clients reach
    several, or can be pointed at another API)."""
    providers = {rule.provider, *(p or rule.provider for p in rule.clients.values())}
    fixed = rule.provider not in redirectable and not rule.provider_switches and not rule.provider_from_model
    return rule.provider if fixed and len(providers) == 1 and rule.provider else ""


def _piece_of(text: Text) -> str:
    """Where a piece of a cut string comes from, for the report ('' for a literal written in place)."""
    return f"a piece of {text.why}" if text.why not in ("", "literal", "static string") else ""


def _cased(key: str, case: str) -> str:
    return key.lower() if case == "lower" else key.upper() if case == "upper" else key


def _lookup(mapping: DictVal, key: str) -> Value | None:
    return next((v for k, v in mapping.items if isinstance(k, Lit) and k.value == key), None)


def _dicts(value: Value | None) -> list[DictVal] | None:
    """The dicts a value may be, or None when some option is not a dict the scanner sees."""
    options = value.options if isinstance(value, Choice) else (value,)
    return list(options) if options and all(isinstance(o, DictVal) for o in options) else None  # type: ignore[arg-type]


def _dict_keys(mapping: DictVal) -> list[str]:
    return [k.value for k, _ in mapping.items if isinstance(k, Lit) and isinstance(k.value, str)]


def _describe(value: Value | None) -> str:
    match value:
        case Unknown(source=source):
            return source
        case Ref(module=module, name=name):
            return f"{module}.{name}"
        case Attr(base=base, name=name):
            return f"{_describe(base)}.{name}"
        case ModuleRef(module=module):
            return module
        case Env(name=name):
            return f"${name}"
        case Setting(key=key):
            return f"setting {key!r}"
        case Param(name=name, function=function):
            return f"parameter {name!r} of {function}"
        case CallResult(func=func):
            return f"{_describe(func)}()"
        case Item(base=base):
            return f"{_describe(base)}[...]"
        case Instance(cls=cls):
            return f"{cls}()"
    return type(value).__name__


def _replace(raw: RawPath, **changes: object) -> RawPath:
    return replace(raw, **changes)  # type: ignore[arg-type]


def _unset_as_named(texts: list[Text]) -> list[Text]:
    """Among strings none of which is known: ``None`` and a setting nobody set are one state (nothing configured,
    as in ``if (!basePath) return null``), and the setting's name may still say whose server it is."""
    if any(t.unset and t.setting for t in texts):
        return [t for t in texts if not t.unset or t.setting]
    return texts


def _each_in_turn(groups: list[list[Text]]) -> list[Text]:
    """The texts of each alternative, one after the other; over budget, each alternative's first texts in turn, so
    that one alternative of many strings (a base URL read from a table of fifty) cannot crowd out the others."""
    if sum(len(group) for group in groups) <= MAX_OPTIONS:
        return [text for group in groups for text in group]
    return [text for turn in itertools.zip_longest(*groups) for text in turn if text is not None]


def _dedupe(texts: list[Text]) -> list[Text]:
    seen: dict[tuple[str | None, str | None, bool], Text] = {}
    for text in texts:  # unknown strings stay apart when they are different settings, or None and a real unknown
        seen.setdefault((text.text, text.setting, text.unset) if text.text is None else (text.text, None, False), text)
    return list(seen.values())[:MAX_OPTIONS]


def _binding_position(value: Value) -> tuple[str, int, int] | None:
    return (value.module, value.line, value.column) if isinstance(value, Binding) else None


def _dedupe_targets(targets: list[Target]) -> list[Target]:
    seen: dict[tuple[str | None, str | None], Target] = {}
    for target in targets:
        seen.setdefault((target.provider, target.model), target)
    return list(seen.values())[:MAX_OPTIONS]
