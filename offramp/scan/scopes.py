"""Lexical scopes, for every language: which expressions can bind each name.

The analysers are flow-insensitive on purpose: a name bound twice in a scope may hold either value, which
is what a reader of unfamiliar code must assume too. Methods see ``self.x`` (``this.x``) bindings made
anywhere in their class.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, Literal, NamedTuple, TypeVar

T = TypeVar("T")

BinderKind = Literal["expr", "element", "unpacked", "member", "param", "import", "getter", "entry"]
LONG_STRING = 20
"""Shorter string literals cannot be API keys; longer ones are collected for the secret check."""


class Binder(NamedTuple):
    """One expression (or parameter, import...) that may give a name its value. A named tuple, not a frozen
    dataclass: files make one for every assignment and parameter, and a frozen dataclass takes ten times as
    long to build."""

    kind: BinderKind
    node: object | None
    scope: Scope
    payload: object = None
    """For 'param': the parameter's default expression; for 'import': the imported Value; for 'member'
    (destructuring, ``const { OpenAI } = require("openai")``): the property name. A 'getter' binder's node is
    the accessor's function (``get client() { return this._client }``, ``@property``): reading the attribute
    gives what it returns. An 'entry' binder adds to the mapping a module-level name holds (``registry[key] = v``,
    payload the key expression; ``registry.update(more)``, payload None), wherever that store is written."""


@dataclass(eq=False)
class Scope:
    kind: Literal["module", "class", "function", "block"]
    """A 'block' scope is a braced block (or an if, for or switch statement) of a language whose declarations
    are visible only inside it (Go's ``:=``): each branch binds its own names, and assignments to a name
    declared further out reach that name."""
    name: str
    parent: Scope | None
    node: object
    bindings: dict[str, list[Binder]] = field(default_factory=dict)
    defs: set[str] = field(default_factory=set)
    """Functions and classes defined directly in this scope."""
    self_attrs: dict[str, list[Binder]] = field(default_factory=dict)
    """For a class: ``self.x = ...`` made in any of its methods, and class-level assignments."""
    field_stores: dict[tuple[str, str], list[Binder]] = field(default_factory=dict)
    """For a class: ``self.config.model = ...`` made in any of its methods, by (field, attribute)."""
    owner_class: Scope | None = None
    """For a method: its class scope (for ``self``)."""
    _dotted: str | None = field(default=None, init=False, repr=False)

    def bind(self, name: str, binder: Binder) -> None:
        self.bindings.setdefault(name, []).append(binder)

    def block(self, node: object) -> Scope:
        """A block scope inside this one: its methods still see their class."""
        return Scope("block", "<block>", self, node, owner_class=self.owner_class)

    def lookup(self, name: str) -> tuple[Scope, list[Binder]] | None:
        """Python's LEGB, skipping class scopes for names used inside methods."""
        scope: Scope | None = self
        while scope is not None:
            if (scope.kind != "class" or scope is self) and name in scope.bindings:
                return scope, scope.bindings[name]
            scope = scope.parent
        return None

    def enclosing_function(self) -> Scope | None:
        """This scope if it is a function's, else the nearest function around it."""
        scope: Scope | None = self
        while scope is not None and scope.kind != "function":
            scope = scope.parent
        return scope

    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def qualname(self) -> str | None:
        """The dotted names of this scope and the classes and functions around it (None for a module), worked out
        once: every call site of a file names the function it is in."""
        if self._dotted is None:
            names: list[str] = []
            scope: Scope | None = self
            while scope is not None and scope.kind != "module":
                if scope.kind != "block":
                    names.append(scope.name)
                scope = scope.parent
            self._dotted = ".".join(reversed(names))
        return self._dotted or None


def release(scopes: Iterable[Scope]) -> None:
    """Drop the binders of a file's scopes once its analysis is done. Each binder refers back to its scope: without
    these cycles, reference counting frees the file's syntax tree at once, where the cycle collector would walk
    all of it after every file (that walk cost more than a third as much as the analysis)."""
    for scope in scopes:
        scope.bindings.clear()
        scope.self_attrs.clear()


class Memo(Generic[T]):
    """Computes each key once; a key needed while it is being computed (``x = x + 1``, a class attribute
    read in its own initialiser) gets the fallback instead of recursing forever."""

    def __init__(self) -> None:
        self._values: dict[Hashable, T] = {}
        self._active: set[Hashable] = set()

    def known(self, key: Hashable) -> T | None:
        """The value computed for ``key``, None if there is none yet (cheaper than :meth:`get` with a callable)."""
        return self._values.get(key)

    def get(self, key: Hashable, compute: Callable[[], T], fallback: T) -> T:
        if key in self._values:
            return self._values[key]
        if key in self._active:
            return fallback
        self._active.add(key)
        try:
            value = compute()
        finally:
            self._active.discard(key)
        self._values[key] = value
        return value

    def clear(self) -> None:
        """Forget computed values (bindings were added since)."""
        self._values.clear()


class Budget:
    """Caps the work of analysing one file (expressions evaluated, not cache hits): past the limit, what is
    left evaluates to unknown, so a pathological file finishes in bounded time and says why it is partial."""

    REASON = "analysis budget exceeded"

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.spent = 0

    def spend(self) -> bool:
        """Counts one unit of work; False once the budget is used up."""
        self.spent += 1
        return self.spent <= self.limit

    @property
    def exceeded(self) -> bool:
        return self.spent > self.limit

    def note(self) -> str:
        """What the report says about a file whose budget ran out ('' when it did not)."""
        return (f"{self.REASON} after {self.limit:,} evaluations: paths found are kept, values past the limit "
                "are unknown") if self.exceeded else ""
