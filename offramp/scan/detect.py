"""Detection, for every language: what a call evaluates to, and whether it is an inference path.

A language's analyser evaluates expressions to :mod:`values <offramp.scan.values>` and hands each call to
the :class:`Detector` as a :class:`CallSite`; the detector applies the language's rules (data, in
``offramp/scan/rules/<language>.toml``) and records clients, bindings and raw paths in the module's facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from offramp.scan.facts import FallbackLink, ModuleFacts, RawPath
from offramp.scan.rules import MAX_REMEMBERED, BindingRule, FunctionRule, LanguageRules, ProviderSwitch, SdkRule
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
    EnvNamed,
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
    spread_into,
)

MAX_STRING_EVIDENCE = 80
_DYNAMIC_CALLEES = frozenset({Item, Param, CallResult, Choice})
"""Callees that may be a framework's model class picked at run time."""


@dataclass(slots=True)
class CallSite:
    """One call (or ``new``) as the detector needs it; arguments are evaluated only when asked for."""

    func: Value
    line: int
    column: int
    end_line: int
    evaluate_args: Callable[[], list[Value]]
    evaluate_kwargs: Callable[[], dict[str, Value]]
    """Keyword arguments; for languages without them, the properties of object-literal arguments."""
    describe: Callable[[], tuple[str, str]] = lambda: ("", "")
    """The call's line as written and its expression (both redacted), made only when asked for: most calls
    (print, logger.info...) are not inference paths and need neither."""
    function: str | None = None
    awaited: bool = False
    extra_kwargs: dict[str, Value] = field(default_factory=dict)
    # What the callables above gave, once asked for (cached_property would take a lock on every first read,
    # and most calls of a file are asked for their arguments).
    _described: tuple[str, str] | None = field(default=None, init=False, repr=False, compare=False)
    _args: list[Value] | None = field(default=None, init=False, repr=False, compare=False)
    _kwargs: dict[str, Value] | None = field(default=None, init=False, repr=False, compare=False)
    path: str | None = field(default=None, init=False, repr=False, compare=False)
    """The callee's dotted path (``dotted(func)``): unwrapping, the call's value and detection all read it."""

    def __post_init__(self) -> None:
        self.path = dotted(self.func)

    def _description(self) -> tuple[str, str]:
        if self._described is None:
            self._described = self.describe()
        return self._described

    @property
    def snippet(self) -> str:
        return self._description()[0]

    @property
    def source(self) -> str:
        return self._description()[1]

    @property
    def args(self) -> list[Value]:
        if self._args is None:
            self._args = self.evaluate_args()
        return self._args

    @property
    def kwargs(self) -> dict[str, Value]:
        if self._kwargs is None:
            self._kwargs = {**self.evaluate_kwargs(), **self.extra_kwargs}
        return self._kwargs


class Detector:
    def __init__(self, rules: LanguageRules, facts: ModuleFacts) -> None:
        self.rules = rules
        self.facts = facts
        self._imports_bindings_known: bool | None = None
        """Whether the module imports a framework's model classes, known from its first dynamic construction."""

    # -- what calls evaluate to ----------------------------------------------------------------------

    def call_value(self, site: CallSite) -> Value | None:
        """A client, binding, router, model handle or env lookup that ``site`` makes; None if none."""
        func = site.func
        path = site.path
        if path in self.rules.env_functions:
            name = site.args[0] if site.args else site.kwargs.get("key")
            default = site.args[1] if len(site.args) > 1 else site.kwargs.get("default")
            if isinstance(name, Lit) and isinstance(name.value, str):
                return Env(name.value, default)
            return EnvNamed(name, default) if name is not None and not isinstance(name, Unknown) else \
                Unknown(site.source)
        if path is not None:
            if self.rules.may_construct(path):
                for make in (self._client_for, self._binding_for, self._router_for, self._http_client_for):
                    if (value := make(path, site)) is not None:
                        return value
            if (option := self.rules.fallback_model_functions.get(path)) is not None:
                return self._fallback_model(site.kwargs.get(option))
            if (through := self.rules.passthrough_functions.get(path)) is not None:
                if isinstance(through, int):
                    return site.args[through] if len(site.args) > through else Unknown(site.source)
                return site.kwargs.get(through, Unknown(site.source))
            if (wins := self.rules.merge_functions.get(path.replace(".default.", "."))) is not None:
                return self._merged(site.args if wins == "first" else site.args[::-1])
            if self.rules.is_library_module(path):
                return Attr(func.base, f"{func.name}()") if isinstance(func, Attr) else Unknown(path)
        if isinstance(func, Client) and (handle := self._model_handle(func, "", site)):
            return handle
        if isinstance(func, Member):
            last = func.chain.rsplit(".", 1)[-1]
            if last in self.rules.call_modifiers:
                return func  # client.with_options(timeout=5) is the same client
            if isinstance(func.owner, Client) and (handle := self._model_handle(func.owner, func.chain, site)):
                return handle
            if isinstance(func.owner, Client) and (moved := self._endpoint_client(func.owner, func.chain, site)):
                return moved
            if isinstance(func.owner, ModelHandle):  # model.startChat() is a chat on that model
                return Member(func.owner, f"{func.chain}()")
            if isinstance(func.owner, Binding):
                rule = self._binding_rule(func.owner)
                if rule is not None and func.chain == rule.fallback_method:
                    return self._with_fallbacks(func.owner, site)
                return func.owner
        return None

    @staticmethod
    def _merged(objects: list[Value]) -> DictVal:
        """One object from several, in the order their properties win: those the scan sees (a literal of defaults)
        lend their properties; one it cannot see (settings stored at run time) answers for the keys they lack,
        as the defaults of an env variable stand for it."""
        items: list[tuple[Value, Value]] = []
        for value in objects:
            spread_into(items, value)
        return DictVal(tuple(items))

    def _fallback_model(self, models: Value | None) -> Value:
        listed = models.items if isinstance(models, ListVal) else ()
        if not listed:
            return Unknown("fallback models")
        first = listed[0]
        if isinstance(first, ModelHandle):
            return ModelHandle(first.client, first.model, first.kind, first.fallbacks + tuple(listed[1:]))
        return first

    def instance_for(self, path: str) -> Client | None:
        """A named export that is itself a ready client (``import { openai } from "@ai-sdk/openai"``)."""
        if not self.rules.under_sdk_module(path):  # most attribute reads: one check, not a loop of rules
            return None
        for rule in self.rules.sdk:
            if (member := rule.family_instance(path)) is not None:
                return Client(rule.id, member[0], member[1], None, self.facts.module, 0)
            for module in rule.modules:
                if path.startswith(module + ".") and (name := path[len(module) + 1 :]) in rule.instances:
                    return Client(rule.id, name, rule.instances[name] or rule.provider, None, self.facts.module, 0)
        return None

    def _client_for(self, path: str, site: CallSite) -> Value | None:
        for rule in self.rules.sdk:
            if (member := rule.family_member(path)) is not None:
                return self._make_client(rule, member[0], member[1], site)
            for module in rule.modules:
                if path == module:  # CommonJS: new (require("openai"))() is the default export
                    path = f"{module}.default"
                if not path.startswith(module + "."):
                    continue
                rest = path[len(module) + 1 :]
                if rest in rule.clients:
                    return self._make_client(rule, rest, rule.clients[rest] or rule.provider, site)
                for factory in rule.factories:
                    if rest.split(".")[-1] == factory.method and site.args:
                        service = site.args[0]
                        if isinstance(service, Lit) and service.value in factory.service:
                            return self._make_client(rule, rest, rule.provider, site)
                        if not isinstance(service, Lit | Unknown):  # a name phase two reads (a parameter)
                            return replace(self._make_client(rule, rest, rule.provider, site), service=service)
        return None

    def model_constant(self, path: str) -> Lit | None:
        """An SDK constant that names a model (``openai.ChatModelGPT4o``), as the id it stands for."""
        spellings = [(rule.modules, rule.model_constants) for rule in self.rules.sdk if rule.model_constants]
        spellings += [(rule.modules, constants) for rule in self.rules.binding for constants in rule.model_constants]
        for modules, constants in spellings:
            for module in modules:
                if path.startswith(module + ".") and (model := constants.model_id(path[len(module):])):
                    return Lit(model)
        return None

    def client_for_type(self, path: str, why: str) -> Client | None:
        """A client of a type named in an annotation: its endpoint is the caller's choice."""
        return client_of_type(self.rules, path, why, self.facts.module)

    def _make_client(self, rule: SdkRule, constructor: str, provider: str, site: CallSite) -> Value:
        providers = switched_providers(rule.provider_switches, provider, site.kwargs)
        base_url = first_argument(site.kwargs, rule.base_url_args)
        model = self._model_arg(site, rule.client_model_args, position=rule.client_model_position) \
            if rule.client_model_args else None
        if rule.model_urls and base_url is None and _is_url(model):
            base_url, model = model, None
        return choice([Client(rule.id, constructor, p, base_url, self.facts.module, site.line, model=model)
                       for p in providers])

    def _endpoint_client(self, client: Client, chain: str, site: CallSite) -> Client | None:
        """``hf.endpoint(url)``: the same SDK's client, sending to ``url``."""
        rule = self._sdk(client.sdk)
        position = rule.endpoint_methods.get(chain) if rule is not None else None
        if position is None:
            return None
        url = site.args[position] if len(site.args) > position else Unknown(site.source)
        return replace(client, base_url=url, line=site.line)

    def _model_handle(self, client: Client, chain: str, site: CallSite) -> ModelHandle | None:
        rule = self._sdk(client.sdk)
        if rule is None:
            return None
        factories = rule.model_factories or (self.rules.provider_model_factories if rule.provider_factory else [])
        factory = next((f for f in factories if f.chain == chain), None)
        if factory is None:
            return None
        # openai("gpt-4o") names it first; getGenerativeModel({ model: "gemini-1.5-flash" }) in an options object
        positional = site.args[0] if site.args and not isinstance(site.args[0], DictVal) else None
        model = positional or self._model_arg(site, None, position=None)
        return ModelHandle(client, model, factory.kind)

    def _binding_rule(self, binding: Binding) -> BindingRule | None:
        return self.rules.binding_rule(binding.rule)

    def _binding_for(self, path: str, site: CallSite) -> Binding | None:
        for rule in self.rules.binding:
            if (match := binding_match(rule, path)) is not None:
                model = self._model_arg(site, None, position=rule.model_position(_integration(rule, path))) \
                    if rule.sink_methods else None
                return Binding(rule.id, self.facts.module, site.line, site.column, cls=match[0], provider=match[1],
                               model=model)
        return None

    def _router_for(self, path: str, site: CallSite) -> Router | None:
        for rule in self.rules.function:
            if rule.router and any(path == f"{m}.{c}" for m in rule.modules for c in rule.router.classes):
                kwargs = site.kwargs
                model_list = kwargs.get(rule.router.model_list_argument) or (
                    site.args[0] if site.args else Unknown("model_list"))
                fallbacks = tuple(kwargs[a] for a in rule.router.fallback_arguments if a in kwargs)
                return Router(rule.id, model_list, fallbacks)
        return None

    def _http_client_for(self, path: str, site: CallSite) -> HttpClient | None:
        http = self.rules.http
        for module in http.modules:
            # `import axios from "axios"` reads the default export: axios.default.create() is axios.create().
            if path.startswith(module + ".") and path[len(module) + 1 :].removeprefix("default.") in http.clients:
                base = next((site.kwargs[a] for a in http.base_url_args if a in site.kwargs), None)
                return HttpClient(module, base)
        return None

    def _with_fallbacks(self, primary: Binding, site: CallSite) -> Binding:
        listed = site.args[0] if site.args else site.kwargs.get("fallbacks", Unknown("fallbacks"))
        if isinstance(listed, DictVal):  # LangChain.js: withFallbacks({ fallbacks: [...] })
            listed = next((v for k, v in listed.items if isinstance(k, Lit) and k.value == "fallbacks"), listed)
        fallbacks = listed.items if isinstance(listed, ListVal) else (listed,)
        return Binding(primary.rule, primary.module, primary.line, primary.column, primary.fallbacks + fallbacks)

    # -- inference paths -----------------------------------------------------------------------------

    def unwrap(self, site: CallSite, evaluate_name: Callable[[], str | None], *,
               may_pass_operation: bool = False) -> CallSite:
        """``asyncio.to_thread(f, *args, **kwargs)`` reads as ``f(*args, **kwargs)``, at the wrapper's place; so does
        any call passed an SDK operation as a value, when the front end sees an argument that may name one
        (``may_pass_operation``: an attribute chain, so that other calls' arguments are not evaluated)."""
        func = site.func
        # `from functools import partial`: a name imported from a module the rules do not know is a Ref
        path = site.path or (f"{func.module}.{func.name}" if isinstance(func, Ref) else evaluate_name())
        position = self.rules.call_wrapper_position(path) if path is not None else None
        if position is None and may_pass_operation and not isinstance(site.func, Member):
            # retry(client.chat.completions.create, model=..., messages=...): an operation passed as a value
            position = next((i for i, a in enumerate(site.args) if self._operation_reference(a)), None)
        if position is None or len(site.args) <= position:
            return site
        args = site.args
        return CallSite(args[position], site.line, site.column, site.end_line, lambda: args[position + 1 :],
                        lambda: site.kwargs, site.describe, site.function, site.awaited)

    def is_operation(self, client: Client, chain: str) -> bool:
        """Whether calling ``chain`` on ``client`` sends a request."""
        rule = self._sdk(client.sdk)
        return rule is not None and rule.operation(self.strip_modifiers(chain)) is not None

    def is_module_operation(self, path: str) -> bool:
        """Whether calling the SDK function or class method at ``path`` (Generation.call) sends a request."""
        return any(rule.module_is_client and path.startswith(module + ".") and
                   rule.operation(self.strip_modifiers(path[len(module) + 1:])) is not None
                   for rule in self.rules.sdk for module in rule.modules)

    def _operation_reference(self, value: Value) -> bool:
        """``client.chat.completions.create`` or ``model.generate_content`` named, not called."""
        if not isinstance(value, Member):
            return False
        chain = self.strip_modifiers(value.chain)
        if isinstance(value.owner, Client):
            rule = self._sdk(value.owner.sdk)
            return rule is not None and rule.operation(chain) is not None
        if isinstance(value.owner, Binding):
            rule = self._binding_rule(value.owner)
            return rule is not None and chain in rule.sink_methods
        return False

    def detect(self, site: CallSite) -> RawPath | None:
        """Record ``site`` as a raw path when it asks a model for an answer."""
        func = site.func
        path = site.path
        raw: RawPath | None = None
        if isinstance(func, Member):
            raw = self._member_call(func, site)
        elif path is not None:
            raw = self._module_call(path, site)
        elif type(func) is Attr:  # an unknown callee is one too, of no chain: nothing to keep
            raw = self._deferred_call(func, site)
        elif type(func) in _DYNAMIC_CALLEES and self._imports_bindings:
            raw = self._dynamic_construction(func, site)
        if raw is not None:
            self._emit(raw, site)
        return raw

    @property
    def _imports_bindings(self) -> bool:
        if self._imports_bindings_known is None:
            self._imports_bindings_known = not self.facts.sdk_imports.isdisjoint(rule.id for rule in self.rules.binding)
        return self._imports_bindings_known

    def _dynamic_construction(self, func: Value, site: CallSite) -> RawPath:
        """``new CONSTRUCTORS[vendor](config)``, ``cls(model=...)`` with ``cls`` a parameter: a class phase one
        cannot name, built in a module that imports a framework's model classes. Phase two keeps it when the
        class turns out to be one (or several) of them."""
        return RawPath(site.line, site.column, site.end_line, "binding", "", "", "chat", "", receiver=func,
                       model=self._model_arg(site, None, position=0), streaming=self._streams(site))

    def _member_call(self, func: Member, site: CallSite) -> RawPath | None:
        owner, chain = func.owner, self.strip_modifiers(func.chain)
        if isinstance(owner, Client):
            rule = self._sdk(owner.sdk)
            op = rule.operation(chain) if rule else None
            if op is None:
                return None
            model = self._model_arg(site, op.model_arguments, position=op.model_position)
            base_url = owner.base_url
            if rule is not None and rule.model_urls and _is_url(model):
                base_url, model = model, None
            if model is None:
                model = owner.model
            # a family's chat model reads the setting its convention names for the provider's segment
            convention = rule.provider_model_env(owner.provider) if rule is not None and op.kind == "chat" else []
            if model is None and rule is not None and (settings := rule.model_env or convention):
                model = choice([Env(name) for name in settings])
            return RawPath(site.line, site.column, site.end_line, "sdk_call", owner.sdk, chain, op.kind,
                           owner.provider, rule is not None and rule.provider_from_model, model=model,
                           base_url=base_url, receiver=owner, streaming=op.stream or self._streams(site))
        if isinstance(owner, ModelHandle) and isinstance(owner.client, Client):
            return self._model_object_call(owner, owner.client, chain, site)
        if isinstance(owner, Binding):
            rule = self._binding_rule(owner)
            if rule is not None and chain.rsplit(".", 1)[-1] in rule.sink_methods:
                return RawPath(site.line, site.column, site.end_line, "sdk_call", rule.id, f"{owner.cls}.{chain}",
                               binding_kind(rule, owner.cls, ""), owner.provider, model=owner.model,
                               receiver=owner, streaming=self._streams(site) or "stream" in chain)
            if rule is not None and chain == rule.fallback_method:
                primary = self._with_fallbacks(owner, site)
                self.facts.links.append(FallbackLink(owner, primary.fallbacks, f"{chain}() at line {site.line}"))
            return None
        if isinstance(owner, Router):
            return self._router_call(owner, chain, site)
        if isinstance(owner, HttpClient):
            return self._http_call(owner.library, chain, owner.base_url, site)
        return None

    def _model_object_call(self, handle: ModelHandle, client: Client, chain: str, site: CallSite) -> RawPath | None:
        """``model := client.GenerativeModel("m"); model.GenerateContent(...)``: sent here, with the handle's model."""
        rule = self._sdk(client.sdk)
        op = rule.operation(chain) if rule else None
        if op is None:
            return None
        return RawPath(site.line, site.column, site.end_line, "sdk_call", client.sdk, chain, op.kind, client.provider,
                       model=handle.model, base_url=client.base_url, receiver=client,
                       streaming=op.stream or self._streams(site))

    def _module_call(self, path: str, site: CallSite) -> RawPath | None:
        silent = self.rules.silent_paths
        if path in silent:  # logger.info, os.path.join...: no rule's module is this path's
            return None
        for rule in self.rules.sdk:
            for module in rule.modules:
                if rule.module_is_client and path.startswith(module + "."):
                    chain = self.strip_modifiers(path[len(module) + 1 :])
                    if op := rule.operation(chain):
                        return RawPath(site.line, site.column, site.end_line, "sdk_call", rule.id, chain, op.kind,
                                       rule.provider, rule.provider_from_model,
                                       model=self._model_arg(site, op.model_arguments, position=rule.model_position
                                                             if op.model_position is None else op.model_position),
                                       base_url=site.kwargs.get("api_base"),
                                       streaming=op.stream or self._streams(site))
        for function_rule in self.rules.function:
            for module in function_rule.modules:
                if path.startswith(module + ".") and (spec := function_rule.function(path[len(module) + 1 :])):
                    return self._function_call(function_rule, spec.name, spec.kind, site)
        bound = False
        for binding_rule in self.rules.binding:
            if (match := binding_match(binding_rule, path)) is not None:
                if raw := self._binding_call(binding_rule, match, path, site):
                    return raw
                bound = True
        http = self.rules.http
        for module in http.modules:
            if (path == module or path.startswith(module + ".")) and (
                    (method := path[len(module) + 1 :].removeprefix("default.") or module) in http.request_functions):
                return self._http_call(module, method, None, site)
        if not bound and len(silent) < MAX_REMEMBERED:  # what decided is the path alone, not the arguments
            silent.add(path)
        return None

    def _function_call(self, rule: FunctionRule, name: str, kind: str, site: CallSite) -> RawPath:
        kwargs = site.kwargs
        fallbacks: list[Value] = []
        for argument in rule.fallback_arguments:
            listed = kwargs.get(argument)
            if listed is not None:
                fallbacks.extend(listed.items if isinstance(listed, ListVal) else (listed,))
        return RawPath(site.line, site.column, site.end_line, "sdk_call", rule.id, name, kind, rule.provider,
                       rule.provider_from_model,
                       model=self._model_arg(site, None, position=0 if rule.model_positional else None),
                       base_url=next((kwargs[a] for a in rule.base_url_args if a in kwargs), None),
                       fallbacks=tuple(fallbacks),
                       fallback_why=f"{rule.id} fallbacks= at line {site.line}" if fallbacks else "",
                       streaming=self._streams(site) or name.startswith("stream"))

    def _binding_call(self, rule: BindingRule, match: tuple[str, str], path: str, site: CallSite) -> RawPath | None:
        if rule.sink_methods:  # the constructor only chooses the model; the sink method sends
            return None
        cls, provider = match
        kwargs = site.kwargs
        kind = binding_kind(rule, cls, path)
        model = self._model_arg(site, None, position=rule.model_position(_integration(rule, path)))
        if model is None and cls in ("init_chat_model", "init_embeddings"):
            model = Unknown(site.source)
        if provider == "" and "model_provider" in kwargs:
            chosen = kwargs["model_provider"]
            provider = chosen.value if isinstance(chosen, Lit) and isinstance(chosen.value, str) else ""
        streaming = kwargs.get("streaming")
        routes = cls in rule.provider_from_model or _integration(rule, path) in rule.provider_from_model
        base_url = first_argument(kwargs, rule.base_url_args)
        if len(providers := switched_providers(rule.provider_switches, provider, kwargs)) > 1:
            provider = ""  # a literal endpoint says which; any other leaves both possible
            switches = ", ".join(s.argument for s in rule.provider_switches)
            base_url = base_url if isinstance(base_url, Lit) else \
                Unknown(f"{' or '.join(providers)}: chosen at run time by {switches}")
        else:
            provider = providers[0]
        return RawPath(site.line, site.column, site.end_line, "binding", rule.id, cls, kind, provider, routes,
                       model=model,
                       base_url=base_url,
                       streaming=(isinstance(streaming, Lit) and bool(streaming.value)) or "Stream" in cls)

    def _router_call(self, router: Router, method: str, site: CallSite) -> RawPath | None:
        rule = next(r for r in self.rules.function if r.id == router.rule)
        if rule.router is None or method not in rule.router.methods:
            return None
        spec = rule.function(method)
        return RawPath(site.line, site.column, site.end_line, "sdk_call", rule.id, f"Router.{method}",
                       spec.kind if spec else "chat", rule.provider, rule.provider_from_model, receiver=router,
                       chain=method,
                       model=self._model_arg(site, None, position=0), streaming=self._streams(site))

    def _http_call(self, library: str, method: str, base_url: Value | None, site: CallSite) -> RawPath | None:
        http = self.rules.http
        if method not in http.request_functions:
            return None
        kwargs = site.kwargs
        url = next((kwargs[a] for a in http.url_arguments if a in kwargs), None)
        positional = [a for a in site.args if not isinstance(a, DictVal)] if http.object_arguments else site.args
        url_position = http.url_positions.get(method, 1 if method == "request" else 0)
        if url is None and len(positional) > url_position:
            url = positional[url_position]
        if url is None:
            return None
        # axios.post("/images/edits", form, { baseURL }): a request's own options may name its base too
        base_url = next((kwargs[a] for a in http.base_url_args if a in kwargs), base_url)
        if base_url is not None:
            url = Concat((base_url, url))
        body = next((kwargs[a] for a in http.body_arguments if a in kwargs), None)
        body_position = http.body_positions.get(method, http.body_position)
        if body is None and body_position is not None and len(site.args) > body_position:
            body = site.args[body_position]
        return RawPath(site.line, site.column, site.end_line, "http", library, f"{library}.{method}", "", "",
                       url=url, body=body, chain=method, streaming=self._streams(site))

    def sent_request(self, site: CallSite) -> RawPath | None:
        """``client.Do(req)`` where ``req`` may be a request built in another function (returned by a helper, passed
        in): a send that phase two resolves to that request, and reports here in its place."""
        func = site.func
        method = func.name if isinstance(func, Attr) else func.chain.rsplit(".", 1)[-1] if isinstance(
            func, Member) else ""
        if method not in self.rules.http.send_methods or len(site.args) != 1 or \
                isinstance(request := site.args[0], Lit | Unknown):
            return None
        library = self.rules.http.modules[0]
        raw = RawPath(site.line, site.column, site.end_line, "http", library, f"{library}.{method}", "", "",
                      receiver=request, chain=method)
        self._emit(raw, site)
        return raw

    def _deferred_call(self, func: Value, site: CallSite) -> RawPath | None:
        """A call on an object phase one cannot see: keep it when some SDK has an operation of that shape."""
        names: list[str] = []
        links: list[Attr] = []
        root = func
        while isinstance(root, Attr) and not isinstance(root.base, Instance):  # a product object's field is an object
            names.append(root.name)
            links.append(root)
            root = root.base
        if not names:
            return None
        names.reverse()
        chain = self.strip_modifiers(".".join(names))
        last = chain.rsplit(".", 1)[-1]
        if isinstance(root, Ref) and (through := self._function_through(root, chain, site)):
            return through
        if len(names) == 1 and last != "get" and not isinstance(root, Unknown) and \
                (sent := self._http_call("", last, None, site)) is not None:
            # makeHttp().post(url, body), this.http.post(...): a request, if what it is sent through turns out to
            # be an HTTP client (phase two resolves the receiver); a GET alone asks no model
            return replace(sent, receiver=root)
        if not self.rules.any_operation(chain) and last not in self.rules.deferred_methods:
            # options.openai.chat.completions.create(...): the operation starts inside the chain, at a client held
            # by a property of what phase one cannot see (a parameter's object, a field set from one)
            inner = next((k for k in range(1, len(names) - 1)
                          if self.rules.any_operation(self.strip_modifiers(".".join(names[k:])))), None)
            if inner is None:
                return None
            root, chain = links[-inner], self.strip_modifiers(".".join(names[inner:]))
        if last in self.rules.fallback_methods:
            listed = site.args[0] if site.args else Unknown("fallbacks")
            if isinstance(listed, DictVal):
                listed = next((v for k, v in listed.items if isinstance(k, Lit) and k.value == "fallbacks"), listed)
            fallbacks = listed.items if isinstance(listed, ListVal) else (listed,)
            receiver = func.base if isinstance(func, Attr) else root
            self.facts.links.append(FallbackLink(receiver, fallbacks, f"{last}() at line {site.line}"))
            return None
        position = next((op.model_position for rule in self.rules.sdk if (op := rule.operation(chain))), None)
        return RawPath(site.line, site.column, site.end_line, "sdk_call", "", chain, "", "", receiver=root,
                       chain=chain, model=self._model_arg(site, None, position=position), streaming=self._streams(site))

    def _function_through(self, name: Ref, chain: str, site: CallSite) -> RawPath | None:
        """``llm.completion(...)`` where ``llm`` is the product's own name (``from app.llm import litellm``, an
        object that loads the module lazily): a model API module's function, if the name holds that module."""
        for rule in self.rules.function:
            if spec := rule.function(chain):
                raw = self._function_call(rule, spec.name, spec.kind, site)
                return replace(raw, receiver=name, held_modules=tuple(rule.modules), chain=chain)
        return None

    def _emit(self, raw: RawPath, site: CallSite) -> None:
        raw.arguments, raw.argument_values = self._argument_evidence(site)
        raw.method = raw.operation.rsplit(".", 1)[-1]
        raw.is_async = site.awaited
        raw.snippet = site.snippet
        raw.function = site.function
        self.facts.paths.append(raw)

    # -- evidence ------------------------------------------------------------------------------------

    def _sdk(self, sdk_id: str) -> SdkRule | None:
        return self.rules.sdk_rule(sdk_id)

    def strip_modifiers(self, chain: str) -> str:
        stripped = self.rules.stripped_chains.get(chain)
        if stripped is None:
            parts = [p.removesuffix("()") for p in chain.split(".")]
            stripped = ".".join(p for p in parts if p not in self.rules.call_modifiers)
            if len(self.rules.stripped_chains) < MAX_REMEMBERED:
                self.rules.stripped_chains[chain] = stripped
        return stripped

    def _model_arg(self, site: CallSite, names: list[str] | None, *, position: int | None) -> Value | None:
        for name in names or self.rules.model_arguments:
            if name in site.kwargs:
                return site.kwargs[name]
        if position is not None and len(site.args) > position and not isinstance(site.args[position], DictVal):
            return site.args[position]
        if SPREAD in site.kwargs:
            return Item(site.kwargs[SPREAD], Lit((names or self.rules.model_arguments)[0]))
        return None

    def _streams(self, site: CallSite) -> bool:
        flags = (site.kwargs.get(name) for name in self.rules.stream_arguments)
        return any(isinstance(flag, Lit) and flag.value is True for flag in flags)

    def _argument_evidence(self, site: CallSite) -> tuple[tuple[str, ...], tuple[str, ...]]:
        values: list[str] = []
        for value in [*site.kwargs.values(), *site.args]:
            collect_strings(value, values, 0)
        secret = self.rules.secret_regex
        evidence = [v for v in dict.fromkeys(values) if len(v) <= MAX_STRING_EVIDENCE and not secret.search(v)]
        return tuple(k for k in site.kwargs if k != SPREAD), tuple(evidence)


def _is_url(value: Value | None) -> bool:
    return isinstance(value, Lit) and isinstance(value.value, str) and value.value.startswith(("http://", "https://"))


def switched_providers(switches: list[ProviderSwitch], provider: str, kwargs: dict[str, Value]) -> list[str]:
    """The providers a client or model made with ``kwargs`` may reach: ``provider`` unless a switch argument
    sends it elsewhere (Azure's flag), both when the flag is decided at run time."""
    providers = [provider]
    for switch in switches:
        flag = kwargs.get(switch.argument)
        if flag is None or (isinstance(flag, Lit) and not flag.value):
            continue
        # a flag that may hold several values switches only when each of them does
        options = flag.options if isinstance(flag, Choice) else (flag,)
        if switch.flag:  # true, false, or decided at run time (an expression, a setting): either client
            truths = {bool(option.value) if isinstance(option, Lit) else None for option in options}
            providers = [switch.provider] if truths == {True} else \
                providers if truths == {False} else [*providers, switch.provider]
        elif not switch.values or all(_constant_names(option) & set(switch.values) for option in options):
            providers = [switch.provider]
    return providers


def client_of_type(rules: LanguageRules, path: str, why: str, module_name: str) -> Client | None:
    """A client of the SDK type at ``path`` (an annotation, a product class's base) built where the scanner cannot
    see its arguments: ``why`` says where its endpoint is chosen."""
    if not rules.under_sdk_module(path):  # most annotations (str, a product class): one check, not a loop of rules
        return None
    for rule in rules.sdk:
        if (member := rule.family_member(path)) is not None:
            return Client(rule.id, member[0], member[1], Unknown(why), module_name, 0)
        for module in rule.modules:
            if path.startswith(module + ".") and (rest := path[len(module) + 1 :]) in rule.clients:
                provider = rule.clients[rest] or rule.provider
                return Client(rule.id, rest, provider, Unknown(why), module_name, 0)
    return None


def first_argument(kwargs: dict[str, Value], names: list[str]) -> Value | None:
    """The first of ``names`` passed; a dotted name looks inside an object (``configuration.baseURL``)."""
    for name in names:
        head, _, rest = name.partition(".")
        value = kwargs.get(head)
        while value is not None and rest:
            key, _, rest = rest.partition(".")
            value = next((v for k, v in value.items if isinstance(k, Lit) and k.value == key), None) \
                if isinstance(value, DictVal) else None
        if value is not None:
            return value
    return None


def binding_match(rule: BindingRule, path: str) -> tuple[str, str] | None:
    """(class, provider) when ``path`` constructs one of the rule's bindings."""
    found = rule.module_of(path)
    if found is None:
        return None
    segments = found[1].split(".")
    if segments[-1] in rule.factory_methods and len(segments) > 1:
        segments.pop()
    cls = segments[-1]
    if cls in rule.classes:
        return cls, rule.classes[cls]
    if rule.class_pattern is not None:
        return rule.family_member(path)
    if rule.integrations and len(segments) > 1 and segments[0] in rule.integrations and cls[:1].isupper():
        return cls, rule.integrations[segments[0]]
    return None


def binding_kind(rule: BindingRule, cls: str, path: str) -> str:
    """The operation kind of a binding class: its family's pattern says, else an embedding class or module."""
    if kind := rule.family_kind(cls):
        return kind
    return "embedding" if cls in rule.embedding_classes.names or ".embeddings." in path else "chat"


def _integration(rule: BindingRule, path: str) -> str:
    """The segment that names the integration: 'litellm' in llama_index.llms.litellm.LiteLLM."""
    found = rule.module_of(path)
    if found is None:
        return ""
    named, rest = found
    return named if named is not None else rest.split(".")[0]


def _constant_names(value: Value) -> set[str]:
    """A literal's text, or the names along a constant's path (genai.BackendVertexAI, BedrockBackend.fromEnv()):
    what a provider switch compares."""
    if isinstance(value, Lit):
        return {str(value.value)}
    names = set()
    while isinstance(value, Attr):
        names.add(value.name.removesuffix("()"))
        value = value.base
    return names | ({value.module.rsplit(".", 1)[-1]} if isinstance(value, ModuleRef) else set())


def collect_strings(value: Value, out: list[str], depth: int) -> None:
    """Literal strings and dict keys in an argument: the evidence lock-in rules read."""
    if depth > 6:
        return
    match value:
        case Lit(value=str() as text):
            out.append(text)
        case DictVal(items=items):
            for key, item in items:
                collect_strings(key, out, depth + 1)
                collect_strings(item, out, depth + 1)
        case ListVal(items=items) | Choice(options=items):
            for item in items:
                collect_strings(item, out, depth + 1)
