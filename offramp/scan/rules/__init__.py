"""Detection rules as data: which libraries, clients, calls and classes make an inference path."""

import re
from fnmatch import fnmatchcase, translate
from functools import cache, cached_property
from typing import Literal

from offramp.cachefolder import compiled
from offramp.datafiles import DATA_MODEL, bundled_toml
from offramp.records import Field, Record


class _Rule(Record):
    model_config = DATA_MODEL


class Operation(_Rule):
    chain: str = Field(description="Glob over the attribute chain after the client, e.g. 'chat.completions.*'.")
    kind: str
    stream: bool = False
    model_arguments: list[str] | None = None
    model_position: int | None = Field(
        None, description="Positional index of the model in languages without keyword arguments (genai's Go "
                          "client.Models.GenerateContent(ctx, model, ...))."
    )

    def matches(self, chain: str) -> bool:
        return fnmatchcase(chain, self.chain)


class Factory(_Rule):
    method: str
    service: list[str] = Field(description="Literal first arguments that make an inference client.")


class ProviderSwitch(_Rule):
    argument: str
    provider: str
    values: list[str] = Field(
        default_factory=list,
        description="Only these literals or constant names switch (Go: Backend: genai.BackendVertexAI); "
                    "default: any value that is not false.",
    )
    flag: bool = Field(
        False,
        description="The argument is a boolean (vertexai=...): a value the scan cannot know, such as an expression "
                    "or a setting, may be either, so the client is one of the two.",
    )


class ModelConstants(_Rule):
    """SDK constants that name model ids (Go ``openai.ChatModelGPT4o``, Java ``ChatModel.GPT_4O``).

    The id is derived from the name, not listed: strip the prefix; '_' between two single digits becomes
    ``version_separator`` (GPT4_1 -> gpt-4.1, Claude3_7 -> claude-3-7); ``yyyy_mm_dd`` stays a date;
    ``Dot`` between digits is '.'; with ``split_dates`` an eight-digit date ending a name is split
    (GPT4o20240513 -> gpt-4o-2024-05-13); then words, acronyms and numbers are lower-cased and joined
    with '-', a lone capital letter that starts the name staying on its number (O1Mini -> o1-mini, DallE3 -> dall-e-3).
    """

    prefixes: list[str] = Field(
        description="What the constant's path after the SDK module ends with, before the id part: 'ChatModel' "
                    "(Go ChatModelGPT4o), 'ChatModel.' (Java ChatModel.GPT_4O); stripped.")
    names: list[str] = Field(
        default_factory=list, description="Starts of constants that are ids without a prefix (go-openai's GPT4o).")
    version_separator: str = "."
    split_dates: bool = False
    attached_letters: list[str] = Field(
        default_factory=list,
        description="Single letters that belong to the number before them: 'O' makes GPT_4_O_MINI gpt-4o-mini.")
    overrides: dict[str, str] = Field(default_factory=dict, description="Irregular names, as the SDK spells them.")

    def model_id(self, path: str) -> str | None:
        """The model id a constant's path names, or None when it is no model constant."""
        name = self._id_part(path)
        if name is None:
            return None
        if name in self.overrides:
            return self.overrides[name]
        text = _DATE_UNDERSCORES.sub(r"\1~\2~\3", name.replace("Dot", ".") if _DOT.search(name) else name)
        if self.split_dates:
            text = _TRAILING_DATE.sub(r"_\1~\2~\3", text)
        for letter in self.attached_letters:
            text = re.sub(rf"(\d)_{letter}(?=_|$)", rf"\g<1>{letter.lower()}", text)
        text = _SINGLE_DIGITS.sub(rf"\1{self.version_separator}\2", text)
        tokens = _ID_TOKEN.findall(text)
        if not tokens:
            return None
        words: list[str] = []
        for token in tokens:
            if len(words) == 1 and len(words[0]) == 1 and words[0].isalpha() and token[0].isdigit():
                words[-1] += token  # O1 -> o1, not o-1
            else:
                words.append(token)
        return "-".join(words).lower().replace("~", "-")

    @cached_property
    def _prefix_patterns(self) -> list[re.Pattern[str]]:
        """A '*' in a prefix stands for part of a name: 'OpenAi*ModelName.' covers OpenAiChatModelName and
        OpenAiEmbeddingModelName."""
        return [re.compile("[A-Za-z0-9_]*".join(map(re.escape, prefix.split("*")))) for prefix in self.prefixes]

    def _id_part(self, path: str) -> str | None:
        tails = [path[i + 1 :] for i, c in enumerate(path) if c in "./"]
        for tail in tails:
            if tail in self.overrides:
                return tail
            for prefix in self._prefix_patterns:
                found = prefix.match(tail)
                rest = tail[found.end() :] if found else ""
                if rest[:1].isupper() or rest[:1].isdigit():
                    return rest
        last = path.rsplit(".", 1)[-1]
        return last if any(last.startswith(n) for n in self.names) else None


_DOT = re.compile(r"\dDot\d")
_DATE_UNDERSCORES = re.compile(r"(\d{4})_(\d{2})_(\d{2})")
_TRAILING_DATE = re.compile(r"(20\d{2})(0[1-9]|1[0-2])([0-3]\d)$")
_SINGLE_DIGITS = re.compile(r"(?<![\d~])(\d)_(\d)(?![\d~])")
_ID_TOKEN = re.compile(r"\d+(?:[.~]\d+)*(?:[a-z]+|[A-Z](?![A-Za-z]))?|[A-Z]+(?=[A-Z][a-z]|[^A-Za-z]|$)|[A-Z]?[a-z]+")


PREFILTER_DOC = "What any file using this rule must mention; default: the top-level names of its modules."
PROVIDER_FROM_MODEL_DOC = (
    "Routes by the model string (LiteLLM, init_chat_model, gateways): only then may the provider be read from "
    "the model id ('groq/llama-3.1-8b'); anywhere else an unknown endpoint stays unknown.")


class _Family(_Rule):
    """What a rule that names a whole family by convention says (LangChain4j's dev.langchain4j.model.<provider>,
    Spring AI's org.springframework.ai.<provider>, Python's langchain_{provider}): any class of a module under
    `modules` whose name fully matches `class_pattern` belongs; the provider is the module segment after the prefix
    or the `{provider}` part of the module, through `integrations` as aliases, else the segment itself (phase two
    checks it against the catalog and reports one it does not know as such). A binding's `classes` still win."""

    modules: list[str]
    integrations: dict[str, str] = Field(
        default_factory=dict, description="Module segment after the prefix -> provider (llama_index.llms.<x>)."
    )
    class_pattern: str | None = Field(
        None, description="Regex over the family's class names; its group 'kind' is looked up in `kinds`.")
    kinds: dict[str, str] = Field(default_factory=dict, description="The pattern's 'kind' group -> operation kind.")
    framework_segments: list[str] = Field(
        default_factory=list, description="Segments that are the framework's own packages (interfaces), not providers.")
    provider_switches: list[ProviderSwitch] = Field(
        default_factory=list, description="Arguments that send the same client or model to another provider.")
    instance_pattern: str | None = Field(
        None, description="Regex over the family's exports that are ready clients (the AI SDK's `cerebras` of "
                          "@ai-sdk/cerebras); `class_pattern` names the ones that make clients (createCerebras).")

    def family_kind(self, cls: str) -> str | None:
        """The operation kind of a class the family's pattern names; None when it names no model class."""
        if self.class_pattern is None:
            return None
        match = _class_regex(self.class_pattern).fullmatch(cls)
        return self.kinds.get(match.groupdict().get("kind") or "", "chat") if match else None

    def family_member(self, path: str) -> tuple[str, str] | None:
        """(class, provider) for a class path of the family: 'org.springframework.ai.mistralai.MistralAiChatModel'
        -> ('MistralAiChatModel', 'mistral'). Trailing lower-case names (a builder method) are dropped."""
        found = self.module_of(path)
        if found is None or self.class_pattern is None:
            return None
        named, rest = found
        within = rest.split(".")
        while within and within[-1][:1].islower() and len(within) > (1 if named is not None else 2):
            within.pop()
        segment = named if named is not None else (within[0] if len(within) > 1 else None)
        if segment is None or segment in self.framework_segments or self.family_kind(within[-1]) is None:
            return None
        return within[-1], self.integrations.get(segment, segment)

    def module_of(self, path: str) -> tuple[str | None, str] | None:
        """(provider segment named by a `{provider}` module, the rest of the path) when ``path`` is under one
        of ``modules``; the segment is None for a plain module (its provider segment starts the rest)."""
        for module in self.modules:
            if PROVIDER_SLOT in module:
                if found := _module_regex(module).match(path):
                    return found.group("provider"), path[found.end() :]
            elif path.startswith(module + "."):
                return None, path[len(module) + 1 :]
        return None

    def family_instance(self, path: str) -> tuple[str, str] | None:
        """(export, provider) for a ready client the family exports: '@ai-sdk/cerebras.cerebras'."""
        found = self.module_of(path)
        if found is None or found[0] is None or self.instance_pattern is None or found[0] in self.framework_segments:
            return None
        named, export = found
        if not _class_regex(self.instance_pattern).fullmatch(export):
            return None
        return export, self.integrations.get(named, named)

    def owns(self, module: str) -> bool:
        """Whether an imported module name is one of ``modules`` or below one."""
        return self.module_of(module + ".") is not None


MAX_REMEMBERED = 100_000
"""Entries a process remembers in each of the rules' look-up caches (imports, module paths, chains, redacted texts):
a hostile tree of millions of distinct names cannot grow them without bound."""
MAX_REMEMBERED_TEXT = 240
"""Longer texts are redacted each time, not remembered."""
PROVIDER_SLOT = "{provider}"
"""In a family's module, the part that names the provider by convention: langchain_{provider},
@langchain/{provider} (npm names may hold '-': @langchain/google-genai)."""


@cache
def _module_regex(module: str) -> re.Pattern[str]:
    return re.compile(re.escape(module).replace(re.escape(PROVIDER_SLOT), r"(?P<provider>[A-Za-z0-9_-]+)") + r"\.")

class SdkRule(_Family):
    id: str
    prefilter: list[str] | None = Field(None, description=PREFILTER_DOC)
    provider: str
    module_is_client: bool = False
    model_position: int | None = Field(None, description="Positional index of the model in module-level calls.")
    base_url_args: list[str] = Field(default_factory=list)
    clients: dict[str, str] = Field(default_factory=dict)
    factories: list[Factory] = Field(default_factory=list)
    provider_factory: bool = Field(False, description="Calls on its clients make model handles (the AI SDK).")
    provider_from_model: bool = Field(False, description=PROVIDER_FROM_MODEL_DOC)
    instances: dict[str, str] = Field(
        default_factory=dict, description="Exports that are ready clients: `openai` of @ai-sdk/openai."
    )
    model_factories: list[Operation] = Field(
        default_factory=list,
        description="Calls on a client that return a model handle: openai('gpt-4o') (chain ''), openai.chat('...').",
    )
    operations: list[Operation] = Field(default_factory=list)
    used_through: list[str] = Field(
        default_factory=list,
        description="The members whose import (`from module import member`) means the SDK is used for inference, "
                    "when it does other things too (huggingface_hub's hf_hub_download fetches weights to self-host): "
                    "an import of none of them does not count as a use. Empty: any import counts.")
    endpoint_methods: dict[str, int] = Field(
        default_factory=dict,
        description="Methods of its clients that return a client of the same SDK sending to the URL at that "
                    "argument position (@huggingface/inference's hf.endpoint(url)).")
    client_model_args: list[str] = Field(
        default_factory=list,
        description="Arguments of its clients' constructors that bind the model their calls use when a call names "
                    "none: huggingface_hub's InferenceClient(model=...).")
    client_model_position: int | None = Field(
        None, description="The positional argument of its clients' constructors that binds that model.")
    model_urls: bool = Field(
        False, description="A model given as a literal http(s) URL is the endpoint the calls go to (a deployed "
                           "server: InferenceClient('http://localhost:8080')), not a model id.")
    model_constants: ModelConstants | None = None
    model_env: list[str] = Field(
        default_factory=list,
        description="Settings the client reads its model from when a call names none (Spring AI: "
                    "spring.ai.openai.chat.options.model); resolved like env variables.")
    base_url_env: list[str] = Field(
        default_factory=list,
        description="Settings its client reads its endpoint from when the code sets none (Spring AI: "
                    "spring.ai.openai.base-url); resolved like env variables.")
    model_env_convention: list[str] = Field(
        default_factory=list,
        description="A family's model settings by its naming convention, '{provider}' standing for the module "
                    "segment of each provider (spring.ai.{provider}.chat.options.model: spring.ai.mistralai...).")
    provider_packages: list[str] = Field(
        default_factory=list,
        description="Declared packages (globs: 'org.springframework.ai:spring-ai-starter-model-*') that choose the "
                    "provider of a client that names none (Spring AI's ChatClient asks the chat model of the "
                    "application's starter): the providers of those the code's own project declares.")
    built_by_packages: bool = Field(
        False, description="Its clients are beans that `provider_packages` build from settings (LangChain4j's "
                           "Spring Boot starters): a project that declares none of them built the object in its "
                           "code, and that construction is the path, not the calls on it.")

    def operation(self, chain: str) -> Operation | None:
        return next((op for op in self.operations if op.matches(chain)), None)

    def provider_model_env(self, provider: str) -> list[str]:
        """The settings the client of ``provider`` reads its model from: this rule's own when it serves that
        provider; a family's (provider '') convention filled with each module segment that names the provider."""
        if self.provider:
            return self.model_env if self.provider == provider else []
        segments = [s for s, p in self.integrations.items() if p == provider] or [provider]
        return [name.replace(PROVIDER_SLOT, s) for name in self.model_env_convention for s in segments]


class EmbeddingClasses(_Rule):
    names: list[str] = Field(default_factory=list)


class BindingRule(_Family):
    id: str
    prefilter: list[str] | None = Field(None, description=PREFILTER_DOC)
    base_url_args: list[str] = Field(default_factory=list)
    classes: dict[str, str] = Field(default_factory=dict)
    embedding_classes: EmbeddingClasses = Field(default_factory=EmbeddingClasses)
    factory_methods: list[str] = Field(
        default_factory=list, description="Class methods that build an instance: TextEmbeddingModel.from_pretrained."
    )
    fallback_method: str | None = None
    model_positional: bool | list[str] = Field(
        True, description="Its constructors may name the model first (Ollama('llama3')); false where the first "
                          "argument is something else (Go's googleai.New(ctx, opts...): the model is an option), "
                          "or the integration segments whose constructors alone do (langchaingo's watsonx).")
    sink_methods: list[str] = Field(
        default_factory=list,
        description="Methods that send the request. When set, constructing a class only chooses the model "
                    "(GenerativeModel('gemini-2.0-flash') sends nothing): the path is where one of these is called "
                    "on the object, with the constructor's model.")
    provider_from_model: list[str] = Field(
        default_factory=list, description="Classes, or integration segments, that route by the model string "
                                          "(ChatLiteLLM, init_chat_model). " + PROVIDER_FROM_MODEL_DOC)
    model_constants: list[ModelConstants] = Field(
        default_factory=list, description="The family's constants that name model ids (LangChain4j's "
                                          "OpenAiChatModelName.GPT_4_O_MINI), one entry per vendor's spelling.")

    def model_position(self, integration: str) -> int | None:
        """Where the constructors of ``integration`` name the model by position, if they do."""
        positional = self.model_positional
        return 0 if positional is True or (isinstance(positional, list) and integration in positional) else None


class FunctionSpec(_Rule):
    name: str
    kind: str


class RouterSpec(_Rule):
    classes: list[str]
    model_list_argument: str
    fallback_arguments: list[str]
    methods: list[str]


class FunctionRule(_Rule):
    id: str
    modules: list[str]
    prefilter: list[str] | None = Field(None, description=PREFILTER_DOC)
    provider: str = ""
    base_url_args: list[str] = Field(default_factory=list)
    fallback_arguments: list[str] = Field(default_factory=list)
    provider_from_model: bool = Field(False, description=PROVIDER_FROM_MODEL_DOC)
    model_positional: bool = Field(True, description="The first positional argument is the model id.")
    functions: list[FunctionSpec]
    router: RouterSpec | None = None

    def function(self, name: str) -> FunctionSpec | None:
        return next((f for f in self.functions if f.name == name), None)


class ApiPath(_Rule):
    path: str
    kind: str
    ambiguous: bool = Field(False, description="Other web APIs use it too: needs a model host or a model body.")
    servers: list[str] = Field(
        default_factory=list,
        description="Self-hosted servers (catalog ids) whose API this ambiguous path is: on a private address that "
                    "the catalog gives another server (or none), it counts only with a body that names a model.")

    @cached_property
    def _segments(self) -> tuple[str, ...]:
        return tuple(s.lower() for s in self.path.split("/") if s)

    def matches(self, segments: list[str]) -> bool:
        """Whether a URL path, split into segments, ends with this path (whole segments, any version)."""
        if self.path.startswith(":"):
            return bool(segments) and segments[-1].endswith(self.path)
        tail = segments[-len(self._segments) :]
        return len(tail) == len(self._segments) and all(
            want == got.lower() or (_VERSION.fullmatch(want) is not None and _VERSION.fullmatch(got) is not None)
            for want, got in zip(self._segments, tail, strict=True))


_QUERY = re.compile(r"(?<!\{)[?#]")
"""Where a URL's query or fragment starts; '{?}' stands for an unknown part of the URL, not for a query."""
_VERSION = re.compile(r"v\d+(?:(?:alpha|beta)\d*)?", re.IGNORECASE)


class BodyShape(_Rule):
    keys: list[str] = Field(description="Keys a request body must all have: model and what it asks the model.")
    kind: str


class ModelApis(_Rule):
    """Model APIs on the wire, for every language (``offramp/scan/rules/model_apis.toml``)."""

    schema_version: Literal[1]
    model_body_keys: list[str] = Field(description="Request-body keys of a model API: model, messages, prompt...")
    ambiguous_body_keys: list[str] = Field(
        description="Keys a body must all have for an ambiguous path to count on an unknown host.")
    non_inference_paths: list[str] = Field(description="URL path endings that ask no model: /models, /health.")
    non_inference_segments: list[str] = Field(description="Path segments of requests that ask no model: oauth, tts.")
    model_api_paths: list[ApiPath]
    unresolved_url_bodies: list[BodyShape] = Field(
        default_factory=list,
        description="Bodies that ask a model whatever the URL: a request sending one to an address the scanner "
                    "cannot read is an inference path whose provider is unknown.")
    model_in_url: list[str] = Field(
        default_factory=list,
        description="Regexes whose group 'model' reads the model from the URL when the body names none "
                    "(Gemini's REST API: /models/{model}:generateContent).")

    def url_model(self, url: str) -> str | None:
        return next((m.group("model") for p in self.model_in_url if (m := re.search(p, url))), None)

    def api_path(self, url: str) -> ApiPath | None:
        segments = path_segments(url)
        return next((p for p in self.model_api_paths if p.matches(segments)), None)

    def asks_no_model(self, url: str) -> bool:
        segments = [s.lower() for s in path_segments(url)]
        return any(segments[-len(end):] == end for end in self._no_model_endings) or not \
            self._no_model_segments.isdisjoint(segments)

    def has_model_body(self, keys: list[str]) -> bool:
        return not set(self.model_body_keys).isdisjoint(keys)

    def body_shape(self, keys: list[str]) -> BodyShape | None:
        return next((shape for shape in self.unresolved_url_bodies if set(shape.keys) <= set(keys)), None)

    def has_ambiguous_body(self, keys: list[str]) -> bool:
        return set(self.ambiguous_body_keys) <= set(keys)

    @cached_property
    def _no_model_segments(self) -> frozenset[str]:
        return frozenset(self.non_inference_segments)

    @cached_property
    def _no_model_endings(self) -> list[list[str]]:
        return [[s.lower() for s in end.split("/") if s] for end in self.non_inference_paths]


def path_segments(url: str) -> list[str]:
    """The segments of a URL's path, without scheme, host, query or fragment: 'https://h/v1/x?a=1' -> [v1, x]."""
    text = _QUERY.split(url, 1)[0]
    if "//" in text:
        text = text.split("//", 1)[1].partition("/")[2]
    return [s for s in text.split("/") if s]


class HttpRule(_Rule):
    modules: list[str]
    request_functions: list[str]
    clients: list[str]
    base_url_args: list[str]
    url_arguments: list[str]
    body_arguments: list[str]
    body_position: int | None = Field(None, description="Positional index of the body: axios.post(url, data).")
    url_positions: dict[str, int] = Field(
        default_factory=dict, description="Positional index of the URL per function: NewRequest(method, url, body).")
    body_positions: dict[str, int] = Field(
        default_factory=dict, description="Positional index of the body per function.")
    object_arguments: bool = Field(False, description="Object-literal arguments carry options, not the URL.")
    request_builders: list[str] = Field(
        default_factory=list,
        description="Of `request_functions`, those that only build a request (Go http.NewRequest); one that is sent "
                    "in another function (returned, passed on) is reported where a send method sends it.")
    send_methods: list[str] = Field(
        default_factory=list,
        description="Methods that send a request built earlier (Go client.Do(req)): a request built by one of "
                    "`request_functions` and sent by one of these is reported where it is sent.")
    prefilter: list[str] = Field(
        default_factory=list,
        description="What a file that sends requests writes (`fetch(`): read even when it names no host or API path, "
                    "since the URL may come from another module or the caller.")
    base_url_methods: list[str] = Field(
        default_factory=list,
        description="Builder methods that set the base URL of the requests a file declares by annotation "
                    "(Retrofit.Builder().baseUrl(url) for an interface's @POST(\"chat/completions\")).")
    wrapper_calls: bool = Field(
        False,
        description="Each call of the product's own function that sends its URL parameter (a fetch or SSE helper "
                    "shared by many providers) is a path too, when it passes a model API's URL; the send always is.")


class SecretPattern(_Rule):
    provider: str
    regex: str


class SecretRules(_Rule):
    schema_version: Literal[1]
    patterns: list[SecretPattern]

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p.regex})" for p in self.patterns))

    def redacted(self, text: str) -> str:
        """``text`` with each secret in it replaced by '[redacted]'. The same expressions and lines recur across a
        tree's files (``logger.info``, ``self.client``), and each search costs microseconds: a short text is
        searched once per process."""
        done = self._redacted.get(text)
        if done is None:
            done = self.regex.sub("[redacted]", text)
            if len(text) <= MAX_REMEMBERED_TEXT and len(self._redacted) < MAX_REMEMBERED:
                self._redacted[text] = done
        return done

    @cached_property
    def _redacted(self) -> dict[str, str]:
        return {}

    def provider_of(self, secret: str) -> str | None:
        return next((p.provider for p in self.patterns if re.fullmatch(p.regex, secret)), None)


class LanguageRules(_Rule):
    schema_version: Literal[1]
    language: str
    redirectable_providers: list[str]
    env_functions: list[str] = Field(description="Calls that read an env variable: os.getenv(name, default).")
    env_objects: list[str] = Field(description="Objects whose attributes or items are env variables: process.env.")
    passthrough_functions: dict[str, int | str] = Field(
        default_factory=dict,
        description="f(x) is x: the argument's position, or the name of an option (wrapLanguageModel({ model })).",
    )
    fallback_model_functions: dict[str, str] = Field(
        default_factory=dict,
        description="Functions whose option lists models in fallback order: the first answers, the rest back it up.",
    )
    merge_functions: dict[str, Literal["first", "last"]] = Field(
        default_factory=dict,
        description="Calls that return one object merged from their arguments' properties: 'first' where an earlier "
                    "argument's property wins (lodash defaults(stored, DEFAULTS)), 'last' where a later one does.")
    call_wrappers: dict[str, int]
    setting_methods: list[str] = Field(
        default_factory=list,
        description="Methods that read a key with an optional default: config.get(key, default). On an object "
                    "the scanner cannot see into, a constant key is a setting, resolved against configuration files.")
    value_methods: dict[str, Literal["same", "format", "options", "split", "partition", "replace"]] = Field(
        default_factory=dict,
        description="Methods whose result is known from their receiver: 'same' (url.rstrip('/') is still the URL, "
                    "args.copy() the same mapping), 'format' (a template filled with the arguments, as str.format), "
                    "'options' (parser.parse_args(): the options the file declares, each holding its default), "
                    "'split' and 'partition' (the pieces of a string cut at a separator: 'openai:gpt-4o'.split(':')), "
                    "'replace' (the string with one literal part replaced by another).")
    option_methods: list[str] = Field(
        default_factory=list,
        description="Methods that declare a command-line option: add_argument('--grader-model', default='gpt-4o') "
                    "makes args.grader_model hold the default when the option is not given.")
    url_join_functions: list[str] = Field(
        default_factory=list, description="Functions that compose a URL from parts: urljoin(base, path).")
    module_loaders: list[str] = Field(
        default_factory=list,
        description="Functions that import the module their first argument names and return it: "
                    "importlib.import_module('openai') is the openai module, as `import openai` makes it.")
    option_prefixes: list[str] = Field(
        default_factory=list,
        description="Functional options of a library: option.WithBaseURL(x) passes BaseURL=x (prefix 'With').")
    builder_methods: list[str] = Field(
        default_factory=list,
        description="Calls that start a builder: X.builder().a(1).build() makes X with a=1 (the setters play kwargs).")
    build_methods: list[str] = Field(default_factory=list, description="Calls that end a builder: build.")
    positional_fields: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Functions whose positional arguments are fields of the struct they return: go-openai's "
                    "DefaultAzureConfig(apiKey, baseURL).")
    format_functions: dict[str, int] = Field(
        default_factory=dict,
        description="Functions that fill a template (fmt.Sprintf): the template's position; the result is the "
                    "template's text with each verb taking the next argument.")
    join_functions: list[str] = Field(
        default_factory=list, description="Functions that join URL or path parts with '/' (url.JoinPath, path.Join).")
    struct_defaults: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="Fields a library's config helper sets by itself, by the helper's full path: go-openai's "
                    "DefaultConfig sets BaseURL to OpenAI's; a later write to the field may replace it, or not.")
    call_modifiers: list[str]
    row_managers: list[str] = Field(
        default_factory=list,
        description="Class attributes through which an ORM queries a model's stored rows (Django's objects).")
    row_queries: list[str] = Field(
        default_factory=list,
        description="Methods of a manager or query that give rows of the same model (filter, first, aget): a row "
                    "is an instance of the model, whose fields hold their declared defaults or what is stored.")
    model_arguments: list[str]
    request_arguments: list[str] = Field(
        default_factory=lambda: ["messages", "input", "prompt", "contents"],
        description="Arguments that give a call on an object the scanner cannot resolve the shape of an SDK "
                    "request (with a model argument or a ** mapping): it is reported, with the provider unknown.")
    stream_arguments: list[str] = Field(default_factory=lambda: ["stream"], description="Flags that ask for a stream.")
    sdk: list[SdkRule]
    binding: list[BindingRule] = Field(default_factory=list)
    function: list[FunctionRule] = Field(default_factory=list)
    http: HttpRule
    provider_model_factories: list[Operation] = Field(
        default_factory=list, description="Model factories of every SDK marked provider_factory (the AI SDK)."
    )

    def sdk_rule(self, sdk_id: str) -> SdkRule | None:
        """The SDK rule of this id, if the rules have it."""
        return self._sdk_rules.get(sdk_id)

    @cached_property
    def _sdk_rules(self) -> dict[str, SdkRule]:
        return {rule.id: rule for rule in self.sdk}

    def binding_rule(self, binding_id: str) -> BindingRule | None:
        """The binding rule of this id, if the rules have it."""
        return self._binding_rules.get(binding_id)

    @cached_property
    def _binding_rules(self) -> dict[str, BindingRule]:
        return {rule.id: rule for rule in self.binding}

    def call_wrapper_position(self, path: str) -> int | None:
        """Where a call wrapper (``asyncio.to_thread(f, ...)``), named by ``path`` or its ending, takes the function
        it calls; None when ``path`` is no wrapper."""
        if path not in self.call_wrappers and not path.endswith(self._call_wrapper_endings):
            return None  # most calls: one check, not a loop over the wrappers
        return next((p for w, p in self.call_wrappers.items() if path == w or path.endswith("." + w)), None)

    @cached_property
    def silent_paths(self) -> set[str]:
        """Module paths (``logging.getLogger``) that no SDK, function, binding or HTTP rule makes a call of, by the
        path alone: the detector learns them as it meets them, and then skips the rules for them."""
        return set()

    @cached_property
    def stripped_chains(self) -> dict[str, str]:
        """Attribute chains without their call modifiers (``with_options().chat`` -> ``chat``), worked out once each."""
        return {}

    @cached_property
    def _call_wrapper_endings(self) -> tuple[str, ...]:
        return tuple(f".{wrapper}" for wrapper in self.call_wrappers)

    def under_sdk_module(self, path: str) -> bool:
        """Whether ``path`` lies under a module of an SDK rule (a family's, up to its provider slot): any client,
        ready instance or client type of an SDK does."""
        return path.startswith(self._sdk_module_prefixes)

    def may_construct(self, path: str) -> bool:
        """Whether ``path`` is, or lies under, a module of some SDK, binding, function or HTTP rule: only such a path
        can build a client, binding, router or HTTP client (most calls, ``logging.getLogger``, cannot)."""
        return path.startswith(self._rule_module_prefixes)

    @cached_property
    def _rule_module_prefixes(self) -> tuple[str, ...]:
        return tuple(module.split(PROVIDER_SLOT)[0] for module in self._rule_modules)

    @cached_property
    def _rule_modules(self) -> list[str]:
        """The modules of every SDK, binding, function and HTTP rule."""
        return [m for group in (*self.sdk, *self.binding, *self.function) for m in group.modules] + self.http.modules

    @cached_property
    def _sdk_module_prefixes(self) -> tuple[str, ...]:
        return tuple(module.split(PROVIDER_SLOT)[0] if PROVIDER_SLOT in module else f"{module}."
                     for rule in self.sdk for module in rule.modules)

    def any_operation(self, chain: str) -> bool:
        """Whether some SDK has an operation of this shape (one compiled regex, not a loop of globs)."""
        return self._operations.match(chain) is not None

    @cached_property
    def fallback_methods(self) -> frozenset[str]:
        """Methods that give a framework model its fallbacks (``with_fallbacks``)."""
        return frozenset(rule.fallback_method for rule in self.binding if rule.fallback_method)

    @cached_property
    def deferred_methods(self) -> frozenset[str]:
        """Methods a call on an object phase one cannot see is kept for, to be resolved in phase two: fallback,
        router and sink methods."""
        routers = {method for rule in self.function if rule.router for method in rule.router.methods}
        sinks = {method for rule in self.binding for method in rule.sink_methods}
        return frozenset({*self.fallback_methods, *routers, *sinks})

    @cached_property
    def _operations(self) -> re.Pattern[str]:
        return _operations_regex(tuple(op.chain for rule in self.sdk for op in rule.operations))

    def rules_imported_by(self, name: str) -> frozenset[str]:
        """Ids of the SDK, binding and function rules whose modules ``name`` (``a.b.c``) is or is inside."""
        # Every file imports the same few modules (os, logging, the SDKs): each name is looked up once.
        found = self._imported_rules.get(name)
        if found is None:
            found = self._imported_rules[name] = self._find_rules_imported_by(name)
        return found

    @cached_property
    def _imported_rules(self) -> dict[str, frozenset[str]]:
        return {}

    def rules_of_import(self, name: str, separator: str) -> frozenset[str]:
        """Ids of the SDK, binding and function rules one of whose modules an import names, or contains (an npm
        specifier below it, with '/', or a package below it, with '.'): each import is worked out once."""
        known = self._imports_by_separator
        found = known.get((name, separator))
        if found is None:
            found = frozenset(rule.id for rule in (*self.sdk, *self.binding, *self.function)
                              if any(name == m or name.startswith(m + separator) for m in rule.modules))
            if len(known) < MAX_REMEMBERED:
                known[name, separator] = found
        return found

    @cached_property
    def _imports_by_separator(self) -> dict[tuple[str, str], frozenset[str]]:
        return {}

    def used_by_members(self, rule_ids: frozenset[str], members: set[str]) -> frozenset[str]:
        """The rules of ``rule_ids`` that ``from module import <members>`` uses: all but an SDK whose
        ``used_through`` names none of the members."""
        used_through = self._used_through
        return frozenset(r for r in rule_ids if r not in used_through or not used_through[r].isdisjoint(members))

    @cached_property
    def _used_through(self) -> dict[str, frozenset[str]]:
        return {rule.id: frozenset(rule.used_through) for rule in self.sdk if rule.used_through}

    def _find_rules_imported_by(self, name: str) -> frozenset[str]:
        parts = name.split(".")
        found: frozenset[str] = frozenset()
        for end in range(1, len(parts) + 1):
            found |= self._rules_by_module.get(".".join(parts[:end]), frozenset())
        return found | {rule.id for rule in self._family_rules if rule.owns(name)}

    @cached_property
    def _family_rules(self) -> list[BindingRule]:
        """Binding rules whose modules name a family by convention (langchain_{provider}): matched, not looked up."""
        return [rule for rule in self.binding if any(PROVIDER_SLOT in module for module in rule.modules)]

    @cached_property
    def _rules_by_module(self) -> dict[str, frozenset[str]]:
        by_module: dict[str, set[str]] = {}
        for rule in (*self.sdk, *self.binding, *self.function):
            for module in rule.modules:
                if PROVIDER_SLOT in module:
                    continue
                by_module.setdefault(module, set()).add(rule.id)
        return {module: frozenset(ids) for module, ids in by_module.items()}

    def import_roots(self) -> frozenset[str]:
        """Top-level module names of the libraries the rules know (they are never the product's own)."""
        return self._import_roots

    @cached_property
    def _import_roots(self) -> frozenset[str]:
        # `from decouple import config`: an env function imported by name is still the library's
        env_modules = [f.rpartition(".")[0] for f in self.env_functions]
        return frozenset(m.split(".")[0] for m in [*self._rule_modules, *env_modules] if m and PROVIDER_SLOT not in m)

    def is_library_module(self, module: str) -> bool:
        """Whether a module belongs to a library the rules know (never the product's own): its top-level name
        is a rule's, or a family's pattern names it (langchain_openai for langchain_{provider})."""
        known = self._library_modules.get(module)
        if known is None:
            known = self._library_modules[module] = module.split(".")[0] in self._import_roots or any(
                rule.owns(module) for rule in self._slot_families)
        return known

    @cached_property
    def _library_modules(self) -> dict[str, bool]:
        return {}

    @cached_property
    def _slot_families(self) -> tuple[_Family, ...]:
        return tuple(rule for rule in (*self.sdk, *self.binding) if any(PROVIDER_SLOT in m for m in rule.modules))

    def prefilter_terms(self) -> set[str]:
        """Names that any file using one of the rules must mention (raw HTTP is found by hosts and paths)."""
        terms: set[str] = set()
        for rule in (*self.sdk, *self.binding, *self.function):
            terms.update(rule.prefilter if rule.prefilter is not None else
                         (m.split(".")[0].split(PROVIDER_SLOT)[0] for m in rule.modules))
        return terms

    @property
    def secret_regex(self) -> re.Pattern[str]:
        return secret_rules().regex

    def redacted(self, text: str) -> str:
        """``text`` with the secrets in it replaced (see :meth:`SecretRules.redacted`)."""
        return secret_rules().redacted(text)


@cache
def _class_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@cache
def _operations_regex(globs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{translate(g)})" for g in globs))


class RulesError(ValueError):
    pass


_EXTENDED_LISTS = ("sdk", "binding", "function")
"""What a rules file that ``extends`` another adds to it; its other keys replace the base's."""


def _read(name: str) -> dict[str, object]:
    data = bundled_toml("offramp.scan.rules", name, RulesError)
    base = data.pop("extends", None)
    if not isinstance(base, str):
        return data
    # Kotlin calls the same Java libraries: kotlin.toml names java.toml and adds only what Kotlin differs in.
    merged = _read(f"{base}.toml")
    for key, value in data.items():
        merged[key] = [*merged.get(key, []), *value] if key in _EXTENDED_LISTS else value  # type: ignore[misc]
    return merged


def _load(name: str, schema: type[_Rule]) -> _Rule:
    def validated() -> _Rule:
        from pydantic import ValidationError

        try:
            return schema.model_validate(_read(name))
        except ValidationError as exc:
            raise RulesError(f"offramp/scan/rules/{name}: {exc}") from None

    return compiled(f"offramp/scan/rules/{name}", validated)


@cache
def language_rules(language: str) -> LanguageRules:
    """The detection rules of one language, from ``offramp/scan/rules/<language>.toml``."""
    return _load(f"{language}.toml", LanguageRules)  # type: ignore[return-value]


@cache
def model_apis() -> ModelApis:
    """Which requests ask a model, for every language, from ``offramp/scan/rules/model_apis.toml``."""
    return _load("model_apis.toml", ModelApis)  # type: ignore[return-value]


@cache
def secret_rules() -> SecretRules:
    return _load("secrets.toml", SecretRules)  # type: ignore[return-value]


def python_rules() -> LanguageRules:
    return language_rules("python")
