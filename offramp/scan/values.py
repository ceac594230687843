"""Symbolic values: what the analyser knows about an expression before cross-file resolution.

A file is analysed alone (in a worker process); names imported from other modules, environment
variables and settings objects stay symbolic until :mod:`offramp.scan.resolve` sees the whole
package. Every value is hashable and picklable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ReadKind = Literal["", "get", "attr"]
NOT_ALWAYS_SET = "not set on every path"
"""What an Unknown says for a property written only under a condition (``if (url) options.baseURL = url``): where
it is missing, a client keeps its default endpoint."""
SPREAD = "**"
"""The keyword under which a front end passes a ``**mapping`` (``...spread``) it cannot see into; the resolver
reads the model and other options from it by key."""


@dataclass(frozen=True)
class Lit:
    """A literal constant."""

    value: str | int | float | bool | None
    origin: str = field(default="", compare=False)
    """The name that held it (``TRIAGE_MODEL``), for the report; not part of the value."""


@dataclass(frozen=True)
class Env:
    """``os.getenv(name, default)`` and its spellings."""

    name: str
    default: Value | None = None


@dataclass(frozen=True)
class EnvNamed:
    """An env variable whose name is itself a value (``os.getenv(name)`` where ``name`` is a parameter): each
    name it can take reads that variable."""

    name: Value
    default: Value | None = None


@dataclass(frozen=True)
class Ref:
    """A name bound in another module of the product: ``from acme.llm import client``."""

    module: str
    name: str


@dataclass(frozen=True)
class ModuleRef:
    """A module: an SDK (``openai``) or one of the product's own (``acme.settings``)."""

    module: str


@dataclass(frozen=True)
class Attr:
    """An attribute not known yet: ``settings.MODEL``, ``openai.OpenAI``."""

    base: Value
    name: str


@dataclass(frozen=True)
class Item:
    """``mapping[key]`` or ``mapping.get(key, default)``; an unknown key means any item."""

    base: Value
    key: Value
    default: Value | None = None
    read: ReadKind = ""
    """How a front end read it: '' a subscript, 'get' a lookup method with a default (``get``,
    ``getOrDefault``, ``getProperty``), 'attr' a dynamic attribute read (``getattr``). On an object the
    solver cannot see, a 'get' or 'attr' read of a constant key is a :class:`Setting`."""


@dataclass(frozen=True)
class Setting:
    """A configuration read the code cannot see into (``conf().get("model", "gpt-4o")``): it takes the
    values that configuration files give ``key``, else its default."""

    key: str
    default: Value | None = None


@dataclass(frozen=True)
class Param:
    """A parameter of a product function: what the repository's own call sites pass, else its default.

    ``function`` is the qualified name in ``module`` ('Bot.reply'; a constructor is 'Bot.__init__').
    ``position`` counts the arguments a caller writes (a method's receiver excluded); None for keyword-only.
    ``kind`` '**' collects the keywords no other parameter takes (``declared`` names those).
    """

    module: str
    function: str
    name: str
    position: int | None
    default: Value | None = None
    kind: Literal["", "**"] = ""
    declared: tuple[str, ...] = ()
    receiver: tuple[str, str] | None = None
    """For a constructor's parameter read through an instance of a subclass (module, class): only the calls that
    build that subclass (its ``super(...)``, ``new Sub(...)``) pass it, so each subclass keeps its own client."""


@dataclass(frozen=True)
class MappedFields:
    """Fields named by a mapping's keys (``for key, value in config.items(): setattr(self, key.lower(), value)``):
    the field a key names (after ``case``) holds that key's value, or one of ``overrides`` (other values the
    loop gives it, such as an env variable read by the key)."""

    mapping: Value
    case: Literal["", "lower", "upper"] = ""
    overrides: tuple[Value, ...] = ()


@dataclass(frozen=True)
class Concat:
    """A static f-string or a ``+`` of strings."""

    parts: tuple[Value, ...]


@dataclass(frozen=True)
class Pieces:
    """A string cut at a separator (``s.split(":", 1)``, ``s.partition(":")``): the list of its pieces, cut once
    the string is known ("openai:gpt-4o" -> provider and model)."""

    base: Value
    separator: str
    limit: int = -1
    """At most this many cuts (-1: every one); ``partition`` is one cut that keeps the separator."""
    from_right: bool = False
    keep_separator: bool = False

    def cut(self, text: str) -> tuple[str, ...]:
        if self.keep_separator:
            head, separator, tail = text.rpartition(self.separator) if self.from_right else text.partition(
                self.separator)
            return head, separator, tail
        if self.from_right:
            return tuple(text.rsplit(self.separator, self.limit))
        return tuple(text.split(self.separator, self.limit))


@dataclass(frozen=True)
class Replaced:
    """``s.replace(old, new)``, worked out once ``s`` is known: a chat endpoint made the image one
    (``url.replace("chat/completions", "images/generations")``)."""

    base: Value
    old: str
    new: str
    count: int = -1
    """At most this many replacements (-1: every one; JavaScript's ``replace`` with a string makes one)."""


@dataclass(frozen=True)
class Choice:
    """One of several values, chosen at run time (branches, reassignment, a conditional expression)."""

    options: tuple[Value, ...]


@dataclass(frozen=True)
class DictVal:
    items: tuple[tuple[Value, Value], ...]


@dataclass(frozen=True)
class ListVal:
    items: tuple[Value, ...]


@dataclass(frozen=True)
class CallResult:
    """What calling a product function or class returns, once its definition is known."""

    func: Value
    args: tuple[Value, ...] = ()
    kwargs: tuple[tuple[str, Value], ...] = ()
    """What this call passes: the function's return is read with its parameters bound to them
    (``get_environment(config, "URL", "UPSTAGE_BASE_URL")`` reads that variable, not every caller's)."""


@dataclass(frozen=True)
class Function:
    """A function expression (``() => new OpenAI()``): calling it gives what it returns."""

    returns: Value


@dataclass(frozen=True)
class Instance:
    """An instance of a class defined in the product: ``settings = Settings()``, or ``self`` in its methods."""

    module: str
    cls: str
    built: bool = False
    """Made by calling the class (``Settings()``): exactly this class, whose constructor's parameters hold what
    the calls building it pass, not what a subclass passes to ``super().__init__``. ``self`` is not built: any
    subclass's instance may be it."""


@dataclass(frozen=True)
class Implementations:
    """A value declared with one of the product's types, which may be an interface (Go ``a Adaptor``): where it
    is one, any of the product's types that have its methods; where it is not, nothing known."""

    module: str
    interface: str


@dataclass(frozen=True)
class Client:
    """An SDK client object, with where it was built and what it points at."""

    sdk: str
    constructor: str
    provider: str
    """The provider this constructor reaches by default ('' when it depends on the model id)."""
    base_url: Value | None
    module: str
    line: int
    injected: str = ""
    """For a client known only by the type a framework injects it as (Spring): that type's simple name; phase
    two takes the client the product's own @Bean methods of that type make, where there are any."""
    service: Value | None = None
    """For a client a factory makes by service name (boto3's ``session.client(name)``) where the name is not a
    literal (a parameter, a setting): phase two keeps it only if the name can be one the rule's factory makes."""
    model: Value | None = None
    """The model its constructor binds, for the calls that name none (``InferenceClient(model=...)``)."""


@dataclass(frozen=True)
class Member:
    """An attribute chain on a client, router or binding: ``client.chat.completions``."""

    owner: Value
    chain: str


@dataclass(frozen=True)
class Binding:
    """A framework object that is itself an inference path (``ChatAnthropic(model=...)``)."""

    rule: str
    module: str
    line: int
    column: int
    fallbacks: tuple[Value, ...] = ()
    cls: str = ""
    provider: str = ""
    model: Value | None = None
    """For a binding whose rule names sink methods: the model its constructor chose, for the path at the sink."""


@dataclass(frozen=True)
class ModelHandle:
    """A model chosen on a provider object, passed around as a value: the AI SDK's ``openai("gpt-4o")``."""

    client: Value
    model: Value | None
    kind: str
    fallbacks: tuple[Value, ...] = ()
    """Models tried when this one fails (ai-fallback's createFallback({ models: [...] }))."""


@dataclass(frozen=True)
class Router:
    """A LiteLLM Router: aliases -> deployments, and fallbacks between aliases."""

    rule: str
    model_list: Value
    fallbacks: tuple[Value, ...]


@dataclass(frozen=True)
class HttpClient:
    """An HTTP client object (``httpx.Client(base_url=...)``, ``requests.Session()``)."""

    library: str
    base_url: Value | None


@dataclass(frozen=True)
class Request:
    """An HTTP request built in one place (Go ``http.NewRequest``) and sent in another (``client.Do(req)``): the
    raw path of the file ``relpath`` at (line, column) holds its URL and body; the path is where it is sent."""

    relpath: str
    line: int
    column: int


@dataclass(frozen=True)
class Unknown:
    """Something the analyser cannot see through; ``source`` is the expression, for the report."""

    source: str


Value = (
    Lit | Env | EnvNamed | Setting | Param | Ref | ModuleRef | Attr | Item | MappedFields | Concat | Pieces | Replaced
    | Choice | DictVal | ListVal | CallResult | Function | Instance | Implementations | Client | Member | Binding
    | ModelHandle | Router | HttpClient | Request | Unknown
)


def choice(values: list[Value]) -> Value:
    """One value, or a flat Choice of the distinct ones; Unknown when there is none (an empty mapping)."""
    if len(values) == 1 and not isinstance(values[0], Choice):  # most names have one binder: no hashing
        return values[0]
    flat = [option for value in values for option in (value.options if isinstance(value, Choice) else (value,))]
    distinct = tuple(dict.fromkeys(flat))
    if not distinct:
        return Unknown("empty")
    return distinct[0] if len(distinct) == 1 else Choice(distinct)


def spread_into(items: list[tuple[Value, Value]], spread: Value) -> None:
    """``{**base, "stream": True}`` / ``{...base, stream: true}``: a mapping seen here lends its items; one made
    elsewhere (``self.default_options``, a parameter) is kept under SPREAD, where phase two reads its keys."""
    if isinstance(spread, DictVal):
        items.extend(spread.items)
        return
    index = next((i for i, (k, _) in enumerate(items) if k == Lit(SPREAD)), None)
    if index is None:
        items.append((Lit(SPREAD), spread))
    else:
        items[index] = (Lit(SPREAD), choice([items[index][1], spread]))


def at_key(value: Value, key: Value, literal: Lit) -> Value:
    """``value`` where a lookup by the run-time ``key`` (``bases[name]``) is read at ``literal``: the value for one
    entry of a dispatch on that key."""
    if isinstance(value, Item) and value.key == key:
        return Item(value.base, literal, value.default, value.read)
    if isinstance(value, Choice):
        return Choice(tuple(at_key(option, key, literal) for option in value.options))
    return value


def named(value: Value, name: str) -> Value:
    """A string constant read through a name remembers the name (the first one, where it was written)."""
    if isinstance(value, Lit) and isinstance(value.value, str) and not value.origin:
        return Lit(value.value, name)
    return value


def replaced(text: Value, args: list[Value], count: int = -1) -> Replaced | None:
    """``text.replace(old, new)`` with both strings literal, else None (what replaces what is unknown)."""
    if len(args) < 2 or not all(isinstance(a, Lit) and isinstance(a.value, str) for a in args[:2]):
        return None
    old, new = (a.value for a in args[:2])  # type: ignore[union-attr]
    limit = args[2].value if len(args) > 2 and isinstance(args[2], Lit) else count
    return Replaced(text, old, new, limit if isinstance(limit, int) else count) if old else None


def dotted(value: Value) -> str | None:
    """'openai.chat.completions' for an Attr chain rooted in a module, else None."""
    names: list[str] = []
    while type(value) is Attr:  # exactly: no value class is subclassed, and this runs for every call and attribute
        names.append(value.name)
        value = value.base
    if type(value) is ModuleRef:
        return ".".join([value.module, *reversed(names)])
    return None
