"""What phase one learns about one source file, in any language: plain, picklable data.

Phase two (:mod:`offramp.scan.resolve`) joins the facts of all files to resolve imports, settings objects
and environment variables, and turns each :class:`RawPath` into an inference path.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from offramp.scan.findings import PathKind
from offramp.scan.values import Value, choice


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
    """Provider the construct reaches by default; '' when the base URL (or, for routers, the model id) decides."""
    provider_from_model: bool = False
    """The construct routes by the model string (LiteLLM, init_chat_model): only then does the model id name
    the provider."""
    model: Value | None = None
    base_url: Value | None = None
    receiver: Value | None = None
    """The object called: a client, router, or one phase one cannot see (resolved in phase two)."""
    held_modules: tuple[str, ...] = ()
    """A model API module's function called through a name of the product phase one cannot see (a re-export, a
    lazy loader): the call is this path only if phase two finds that the name holds one of these modules."""
    chain: str = ""
    url: Value | None = None
    body: Value | None = None
    fallbacks: tuple[Value, ...] = ()
    fallback_why: str = ""
    backs_up: int | None = None
    """Line of the call this one backs up (it runs in that call's except branch): counted with that path."""
    arguments: tuple[str, ...] = ()
    argument_values: tuple[str, ...] = ()
    method: str = ""
    streaming: bool = False
    is_async: bool = False
    snippet: str = ""
    function: str | None = None


@dataclass(frozen=True)
class PathRef:
    """A fallback that is another inference call of the same module (an except branch)."""

    line: int
    column: int


@dataclass(frozen=True)
class FallbackLink:
    """``primary.with_fallbacks([...])``: the primary's location gains these fallbacks."""

    primary: Value
    fallbacks: tuple[Value, ...]
    why: str


@dataclass(frozen=True)
class CallFact:
    """A call the product makes of something that may be its own function: parameters take what it passes."""

    func: Value
    line: int
    args: tuple[Value, ...]
    kwargs: tuple[tuple[str, Value], ...]
    column: int = 0
    end_line: int = 0
    caller: str | None = None
    """The qualified name of the function the call is in: a call that passes on its caller's parameter makes
    that function a wrapper too."""
    snippet: str = ""


@dataclass
class ClassFacts:
    attrs: dict[str, Value]
    """Fields: ``self.x = ...`` anywhere in the class, class-level assignments, and getters (what a
    ``@property`` returns)."""
    bases: tuple[str, ...]
    methods: dict[str, Value] = field(default_factory=dict)
    """What each method returns: calling ``obj.build_payload()`` gives it."""
    mapped: tuple[Value, ...] = ()
    """Fields set by name from a mapping's keys (:class:`MappedFields`): read when no field of that name is
    written in the class itself."""
    delegate: Value | None = None
    """The object whose attributes a ``__getattr__`` hands out (``return getattr(self._module, name)``, a lazy
    loader): an attribute the class does not define is that object's."""
    declared: dict[str, Value] = field(default_factory=dict)
    """Fields known by their declared type only (Go's ``Client *openai.Client``): what such a field holds where
    nothing in the product writes it (an SDK client whose endpoint is the writer's choice)."""


@dataclass
class ModuleFacts:
    module: str
    relpath: str
    language: str = "python"
    names: dict[str, Value] = field(default_factory=dict)
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    functions: dict[str, Value] = field(default_factory=dict)
    """What each module-level function returns."""
    sdk_imports: set[str] = field(default_factory=set)
    beans: dict[str, list[Value]] = field(default_factory=dict)
    """What the file's dependency-injection providers (Spring ``@Bean`` methods) make, by the simple name of
    the type they declare: an object injected as that type is one of these."""
    imports: set[str] = field(default_factory=set)
    """Modules (and names in them) this file imports that may be the product's own: the scan also solves
    these, so that a helper that sends what its callers pass is found."""
    calls: dict[str, list[CallFact]] = field(default_factory=dict)
    """Calls of product code by the callee's last name (``reply`` for ``self.bot.reply(...)``): the name index
    through which a parameter finds its callers."""
    paths: list[RawPath] = field(default_factory=list)
    links: list[FallbackLink] = field(default_factory=list)
    literal_secrets: list[tuple[int, str]] = field(default_factory=list)
    """(line, literal) of API keys written into the code; redacted before leaving the scanner."""
    interfaces: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The interfaces the file declares, each with its methods' names."""
    package: str = ""
    """The module holding the names of all the files of this file's package (Go), where it has one."""
    url_methods: tuple[str, ...] = ()
    """Methods whose return builds a model API's URL (``GetRequestURL``): a file that calls one, through an
    interface whose implementations these are, may send what it returns, so it is analysed too."""
    analysis_limit: str = ""
    """Why analysis of this file stopped early (a per-file budget ran out); the report lists it as skipped."""
    complete: bool = True
    """False when names, classes and functions were not evaluated (a file with no inference call);
    phase two analyses it again, fully, if another module imports from it."""

    def link_try_fallbacks(self, primaries: list[RawPath], backups: list[RawPath], why: str) -> None:
        """Calls in an except/catch branch become the fallbacks of the calls their try block makes; each stays a
        path of its own too (it sends requests whenever the primary fails)."""
        if not primaries or not backups:
            return
        for primary in primaries:
            primary.fallbacks += tuple(PathRef(b.line, b.column) for b in backups)
            primary.fallback_why = f"{primary.fallback_why}; {why}" if primary.fallback_why else why
        for backup in backups:
            if backup.backs_up is None:
                backup.backs_up = primaries[0].line


_PYTHON_SUFFIXES = frozenset({"py", "pyi", "pyw", "ipynb"})


def module_name(relpath: str) -> str:
    """'src/acme/api/chat.py' -> 'src.acme.api.chat'; a Python '__init__.py' and a JavaScript 'index.ts'
    name their package (a Python 'index.py' does not). Several files may share a name ('llm.py' and
    'llm.ts'): a name finds a module to import, it is not a file's identity (its relpath is)."""
    stem, dot, suffix = relpath.rpartition(".")
    if dot and "/" not in suffix:
        package_files: tuple[str, ...] = ("__init__",) if suffix.lower() in _PYTHON_SUFFIXES else ("index",)
    else:  # an import specifier, suffix left out
        stem, package_files = relpath, ("__init__", "index")
    folder, _, name = stem.rpartition("/")
    return (folder if name in package_files else stem).replace("/", ".")


def module_tail(relpath: str) -> str:
    """The last part of :func:`module_name` (``'src/acme/api/chat.py'`` -> ``'chat'``), without building the
    whole name: what indexes the files of a tree (the whole names of 100,000 files take a tenth of a second)."""
    stem, dot, suffix = relpath.rpartition(".")
    if not dot or "/" in suffix:
        return module_name(relpath).rpartition(".")[2]
    folder, _, name = stem.rpartition("/")
    if name == ("__init__" if suffix.lower() in _PYTHON_SUFFIXES else "index"):
        name = folder.rpartition("/")[2]
    return name.rpartition(".")[2]


PACKAGE_SUFFIX = ".*"
"""Marks a package's module name (all the files of a directory), apart from the module name of one file."""


def package_module(relpath: str) -> str:
    """'internal/llm/client.go' -> 'internal.llm.*': the module name of the file's package."""
    directory = posixpath.dirname(relpath)
    return (directory.replace("/", ".") if directory else "") + PACKAGE_SUFFIX


def merge_package(module: str, files: list[ModuleFacts]) -> ModuleFacts:
    """The facts of a package (Go's, or Kotlin's top-level declarations): the names, classes and functions of
    all its files (no paths of its own)."""
    merged = ModuleFacts(module, files[0].relpath if files else module, files[0].language if files else "")
    for facts in files:
        merged.interfaces += facts.interfaces
        merged.names.update(facts.names)
        merged.functions.update(facts.functions)
        for callee, calls in facts.calls.items():
            merged.calls.setdefault(callee, []).extend(calls)
        for name, cls in facts.classes.items():
            known = merged.classes.get(name)
            if known is None:
                merged.classes[name] = ClassFacts(dict(cls.attrs), cls.bases, dict(cls.methods),
                                                  declared=dict(cls.declared))
                continue
            known.declared.update(cls.declared)
            for attr, value in cls.attrs.items():
                known.attrs[attr] = choice([known.attrs[attr], value]) if attr in known.attrs else value
            known.methods.update(cls.methods)  # a method is declared in one file of its package
    return merged
