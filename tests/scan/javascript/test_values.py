"""Values that cross objects in TypeScript and JavaScript: getters, inherited fields, destructuring defaults."""

from tests.scan.conftest import only, targets


def test_getter_returning_a_field_set_in_the_constructor_is_the_client(scan_files):
    path = only(scan_files({"src/agent.js": """
        const OpenAI = require("openai");
        class Agent {
          constructor(config = {}) {
            const { model = "llama-3.1-8b-instant" } = config;
            this._client = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" });
            this.model = model;
          }
          get client() {
            return this._client;
          }
          ask(messages) {
            return this.client.chat.completions.create({ model: this.model, messages });
          }
        }
        module.exports = Agent;
    """}))
    assert targets(path) == {("groq", "llama-3.1-8b-instant")}


def test_getter_returning_something_else_is_no_client(scan_files):
    result = scan_files({"src/store.js": """
        const OpenAI = require("openai");
        class Store {
          constructor() {
            this._client = new OpenAI();
            this._db = makeDatabase();
          }
          get client() {
            return this._db;
          }
          save(row) {
            return this.client.chat.completions.create({ row });
          }
        }
    """})
    assert result.paths == []


def test_field_read_through_a_getter_of_a_base_class_in_another_module(scan_files):
    path = only(scan_files({
        "src/base.ts": """
            import OpenAI from "openai";
            export class Base {
              _client = new OpenAI({ baseURL: "https://api.deepseek.com/v1" });
              get client() { return this._client; }
            }
        """,
        "src/agent.ts": """
            import { Base } from "./base";
            export class Agent extends Base {
              run() {
                return this.client.chat.completions.create({ model: "deepseek-chat", messages: [] });
              }
            }
        """,
    }))
    assert (path.file, targets(path)) == ("src/agent.ts", {("deepseek", "deepseek-chat")})


def test_client_passed_as_a_parameter_takes_what_the_callers_pass(scan_files):
    result = scan_files({
        "server/helpers/tooled.js": """
            async function tooledStream(client, model, messages) {
              return client.chat.completions.create({ model, messages, stream: true });
            }
            module.exports = { tooledStream };
        """,
        "server/providers/groq.js": """
            const OpenAI = require("openai");
            const { tooledStream } = require("../helpers/tooled.js");
            class GroqProvider {
              constructor() { this._client = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" }); }
              get client() { return this._client; }
              stream(messages) { return tooledStream(this.client, "llama-3.3-70b-versatile", messages); }
            }
            module.exports = GroqProvider;
        """,
        "server/providers/mistral.js": """
            const OpenAI = require("openai");
            const { tooledStream } = require("../helpers/tooled.js");
            const client = new OpenAI({ baseURL: "https://api.mistral.ai/v1" });
            exports.stream = (messages) => tooledStream(client, "mistral-large-latest", messages);
        """,
    })
    path = only(result)
    assert (path.file, path.line) == ("server/helpers/tooled.js", 2)
    assert targets(path) == {("groq", "llama-3.3-70b-versatile"), ("groq", "mistral-large-latest"),
                             ("mistral", "llama-3.3-70b-versatile"), ("mistral", "mistral-large-latest")}


def test_parameter_or_field_typed_with_an_sdk_client_is_a_path_whose_endpoint_is_unknown(scan_files):
    result = scan_files({"src/bot.ts": """
        import OpenAI from "openai";
        import Anthropic from "@anthropic-ai/sdk";
        export async function summarise(client: OpenAI, text: string) {
          return client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: text }] });
        }
        export class Bot {
          client: Anthropic;
          ask(q: string) { return this.client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 9, messages: [] }); }
        }
    """})
    assert [(p.line, p.sdk, p.operation) for p in result.paths] == [
        (4, "openai", "chat.completions.create"), (8, "anthropic", "messages.create")]
    assert "parameter 'client' typed OpenAI, no caller in the repository" in (
        result.paths[0].targets[0].unresolved or "")
    assert "field 'client' typed Anthropic, never assigned" in result.paths[1].targets[0].provider_why


def test_same_call_shape_on_a_parameter_of_another_type_is_no_path(scan_files):
    result = scan_files({"src/queue.ts": """
        import OpenAI from "openai";
        import { Queue } from "./queue-lib";
        export const models = new OpenAI().models;
        export async function enqueue(queue: Queue, job: string) {
          return queue.chat.completions.create({ job });
        }
    """})
    assert result.paths == []


ENGINE = """
    import OpenAI from "openai";
    export class OpenAiEngine {
      constructor(config) {
        const clientOptions = { apiKey: config.apiKey };
        if (config.baseURL) {
          clientOptions.baseURL = config.baseURL;
        }
        this.client = new OpenAI(clientOptions);
      }
      complete(messages) {
        return this.client.chat.completions.create({ model: "gpt-4o-mini", messages });
      }
    }
"""


def test_options_passed_to_super_reach_the_base_class_client(scan_files):
    result = scan_files({
        "src/engine/openAi.ts": ENGINE,
        "src/engine/deepseek.ts": """
            import { OpenAiEngine } from "./openAi";
            export class DeepseekEngine extends OpenAiEngine {
              constructor(config) {
                super({ baseURL: "https://api.deepseek.com/v1", ...config });
              }
              ask(messages) {
                return this.client.chat.completions.create({ model: "deepseek-chat", messages });
              }
            }
        """,
    })
    by_file = {p.file: p for p in result.paths}
    assert ("deepseek", "deepseek-chat") in targets(by_file["src/engine/deepseek.ts"])
    # the base URL is set only when the config has one: the OpenAI default stays possible
    assert {t.provider for t in by_file["src/engine/openAi.ts"].targets} == {"deepseek", "openai"}


def test_property_written_on_every_path_replaces_the_default(scan_files):
    path = only(scan_files({"src/engine.ts": """
        import OpenAI from "openai";
        const options = { apiKey: process.env.KEY };
        options.baseURL = "https://api.groq.com/openai/v1";
        const client = new OpenAI(options);
        export const ask = (messages) => client.chat.completions.create({ model: "llama-3.3-70b-versatile", messages });
    """}))
    assert targets(path) == {("groq", "llama-3.3-70b-versatile")}


PROVIDER_BASE = """
    class Provider {
      _client;
      constructor(client) {
        this._client = client;
      }
      get client() {
        return this._client;
      }
    }
    module.exports = Provider;
"""


def test_each_subclass_keeps_the_client_it_passes_to_the_base_constructor(scan_files):
    result = scan_files({
        "agents/provider.js": PROVIDER_BASE,
        "agents/openai.js": """
            const OpenAI = require("openai");
            const Provider = require("./provider.js");
            class OpenAIProvider extends Provider {
              constructor(config = {}) {
                const { model = "gpt-4.1-nano" } = config;
                super(new OpenAI({ apiKey: process.env.OPENAI_KEY }));
                this.model = model;
              }
              run(messages) { return this.client.chat.completions.create({ model: this.model, messages }); }
            }
            module.exports = OpenAIProvider;
        """,
        "agents/deepseek.js": """
            const OpenAI = require("openai");
            const Provider = require("./provider.js");
            class DeepSeekProvider extends Provider {
              constructor(config = {}) {
                const client = new OpenAI({ baseURL: "https://api.deepseek.com/v1" });
                super(client);
                this.model = config.model || "deepseek-chat";
              }
              run(messages) { return this.client.chat.completions.create({ model: this.model, messages }); }
            }
            module.exports = DeepSeekProvider;
        """,
    })
    by_file = {p.file: targets(p) for p in result.paths}
    # an absent property of the default options is undefined, so `config.model || "deepseek-chat"` sends the default
    assert by_file == {"agents/openai.js": {("openai", "gpt-4.1-nano")},
                       "agents/deepseek.js": {("deepseek", "deepseek-chat")}}


def test_a_method_of_the_base_class_serves_the_clients_of_every_subclass(scan_files):
    result = scan_files({
        "agents/provider.js": """
            const OpenAI = require("openai");
            class Provider {
              constructor(client) { this._client = client; }
              get client() { return this._client; }
              run(messages) { return this.client.chat.completions.create({ model: "m", messages }); }
            }
            module.exports = Provider;
        """,
        "agents/groq.js": """
            const OpenAI = require("openai");
            const Provider = require("./provider.js");
            class Groq extends Provider {
              constructor() { super(new OpenAI({ baseURL: "https://api.groq.com/openai/v1" })); }
            }
            module.exports = Groq;
        """,
        "agents/mistral.js": """
            const OpenAI = require("openai");
            const Provider = require("./provider.js");
            class Mistral extends Provider {
              constructor() { super(new OpenAI({ baseURL: "https://api.mistral.ai/v1" })); }
            }
            module.exports = Mistral;
        """,
    })
    # `this` in the base's own method may be either subclass: both clients stay possible
    assert {t.provider for t in only(result).targets} == {"groq", "mistral"}


def test_a_base_class_method_serves_only_the_subclass_clients_whose_sdk_has_that_operation(scan_files):
    result = scan_files({
        "agents/provider.js": """
            class Provider {
              constructor(client) { this._client = client; }
              get client() { return this._client; }
              run(messages) { return this.client.chat.completions.create({ model: "m", messages }); }
            }
            module.exports = Provider;
        """,
        "agents/claude.js": """
            const Anthropic = require("@anthropic-ai/sdk");
            const Provider = require("./provider.js");
            class Claude extends Provider {
              constructor() { super(new Anthropic()); }
              run(messages) { return this.client.messages.create({ model: "claude-sonnet-4-5", messages }); }
            }
            module.exports = Claude;
        """,
        "agents/groq.js": """
            const OpenAI = require("openai");
            const Provider = require("./provider.js");
            class Groq extends Provider {
              constructor() { super(new OpenAI({ baseURL: "https://api.groq.com/openai/v1" })); }
            }
            module.exports = Groq;
        """,
    })
    by_file = {p.file: {t.provider for t in p.targets} for p in result.paths}
    # an Anthropic client has no chat.completions: the base method's call reaches the OpenAI-SDK subclass only
    assert by_file == {"agents/provider.js": {"groq"}, "agents/claude.js": {"anthropic"}}


def test_an_operation_no_possible_client_has_is_no_path(scan_files):
    result = scan_files({
        "agents/provider.js": """
            class Provider {
              constructor(client) { this._client = client; }
              run(messages) { return this._client.chat.completions.create({ model: "m", messages }); }
            }
            module.exports = Provider;
        """,
        "agents/claude.js": """
            const Anthropic = require("@anthropic-ai/sdk");
            const Provider = require("./provider.js");
            class Claude extends Provider {
              constructor() { super(new Anthropic()); }
            }
            module.exports = Claude;
        """,
    })
    assert result.paths == []


def test_a_factory_makes_the_client_each_call_asks_for(scan_files):
    result = scan_files({
        "lib/make.ts": """
            import OpenAI from "openai";
            export function makeClient(baseURL: string) {
              return new OpenAI({ baseURL, apiKey: "k" });
            }
        """,
        "lib/use.ts": """
            import { makeClient } from "./make";
            const groq = makeClient("https://api.groq.com/openai/v1");
            const deepseek = makeClient("https://api.deepseek.com");
            export const a = () => groq.chat.completions.create({ model: "llama-3.3-70b-versatile", messages: [] });
            export const b = () => deepseek.chat.completions.create({ model: "deepseek-chat", messages: [] });
        """,
    })
    assert [p.providers for p in result.paths] == [["groq"], ["deepseek"]]


def test_an_endpoint_read_from_a_field_named_for_a_provider_is_that_providers(scan_files):
    result = scan_files({"app/api/chat/route.ts": """
        import OpenAI from "openai";
        import { loadProfile } from "@acme/db";
        export async function POST(request: Request) {
          const profile = await loadProfile();
          const named = new OpenAI({ baseURL: `${profile.deepseek_base_url}/v1` });
          const other = new OpenAI({ baseURL: `${profile.custom_endpoint}/v1` });
          await named.chat.completions.create({ model: "d1", messages: [] });
          return other.chat.completions.create({ model: "m", messages: [] });
        }
    """})
    # the value is in a database, but the field's name says whose endpoint it holds; a name that says nothing
    # leaves the provider unknown
    assert [p.providers for p in result.paths] == [["deepseek"], []]
    assert "deepseek_base_url, the setting named for deepseek" in result.paths[0].targets[0].provider_why


def test_an_object_made_elsewhere_spread_into_a_literal_lends_its_properties(scan_files):
    result = scan_files({"src/bot.ts": """
        import OpenAI from "openai";
        import { chatDefaults, tracing } from "./settings";

        const client = new OpenAI();

        export function ask(messages: any[]) {
          const body = { ...chatDefaults, messages };
          return client.chat.completions.create(body);
        }

        export function askTraced(messages: any[]) {
          return client.chat.completions.create({ ...tracing, messages });
        }
    """, "src/settings.ts": """
        export const chatDefaults = { model: "gpt-4.1-mini", temperature: 0.2 };
        export const tracing = { user: "bot" };
    """})
    assert [p.models for p in result.paths] == [["gpt-4.1-mini"], []]


def test_an_abstract_method_called_on_this_is_each_subclass_implementation(scan_files):
    result = scan_files({
        "models/base.ts": """
            import { streamText } from "ai";
            export default abstract class BaseModel {
              protected abstract getChatModel(): LanguageModel;
              public chat(messages) {
                return streamText({ model: this.getChatModel(), messages });
              }
            }
        """,
        "models/claude.ts": """
            import { createAnthropic } from "@ai-sdk/anthropic";
            import BaseModel from "./base";
            export default class Claude extends BaseModel {
              protected getChatModel() {
                return createAnthropic({ apiKey: "k" }).languageModel("claude-sonnet-4-5");
              }
            }
        """,
        "models/local.ts": """
            import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
            import BaseModel from "./base";
            export class Local extends BaseModel {
              protected getChatModel() {
                return this.provider()("qwen2.5-7b-instruct");
              }
              private provider() {
                return createOpenAICompatible({ name: "lmstudio", baseURL: "http://localhost:1234/v1" });
              }
            }
        """,
        "widgets/base.ts": """
            import { streamText } from "ai";
            export abstract class Widget {
              protected abstract getChatModel(): LanguageModel;
              public chat(messages) { return streamText({ model: this.getChatModel(), messages }); }
            }
        """,
    })
    by_file = {p.file: sorted(targets(p)) for p in result.paths}
    # `this` in the base class is an instance of one of its subclasses: each one's implementation is possible. A
    # base class that no class of the product extends stays unknown.
    assert by_file == {
        "models/base.ts": [("anthropic", "claude-sonnet-4-5"), ("lmstudio", "qwen2.5-7b-instruct")],
        "widgets/base.ts": [(None, None)],
    }


def test_a_field_only_subclasses_set_stays_unknown_in_the_base_class(scan_files):
    result = scan_files({
        "agents/base.js": """
            const OpenAI = require("openai");
            class Provider {
              constructor() { this.client = new OpenAI(); }
              run(messages) { return this.client.chat.completions.create({ model: this.model, messages }); }
            }
            module.exports = Provider;
        """,
        "agents/claude.js": """
            const Anthropic = require("@anthropic-ai/sdk");
            const Provider = require("./base.js");
            class Claude extends Provider {
              constructor() { super(); this.model = "claude-sonnet-4-5"; this.claude = new Anthropic(); }
              run(messages) { return this.claude.messages.create({ model: this.model, max_tokens: 5, messages }); }
            }
            module.exports = Claude;
        """,
    })
    # the subclass that sets the field runs its own request: its model is no model of the base's OpenAI call
    assert {p.file: sorted(targets(p)) for p in result.paths} == {
        "agents/base.js": [("openai", None)], "agents/claude.js": [("anthropic", "claude-sonnet-4-5")]}


def test_settings_merged_over_literal_defaults_take_the_defaults_address(scan_files):
    result = scan_files({
        "config/index.mjs": """
            import { defaults, pick } from "lodash-es";
            export const defaultConfig = { claudeApiUrl: "https://api.anthropic.com", model: "claude-3-5-haiku-latest" };
            export async function getUserConfig() {
              const stored = await storage.local.get(Object.keys(defaultConfig));
              return defaults(stored, defaultConfig);
            }
            export async function getPicked() {
              return pick(await storage.local.get(Object.keys(defaultConfig)), ["claudeApiUrl"]);
            }
        """,
        "apis/claude.mjs": """
            import { getUserConfig, getPicked } from "../config/index.mjs";
            export async function ask(question) {
              const config = await getUserConfig();
              return fetch(`${config.claudeApiUrl}/v1/messages`, {
                method: "POST", body: JSON.stringify({ model: config.model, messages: [question] }) });
            }
            export async function askPicked(question) {
              const config = await getPicked();
              return fetch(`${config.claudeApiUrl}/v1/messages`, {
                method: "POST", body: JSON.stringify({ model: "claude-3-5-haiku-latest", messages: [question] }) });
            }
        """,
    })
    # lodash's pick keeps only what storage holds: that address is the user's, unknown to the scan
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [
        (4, [("anthropic", "claude-3-5-haiku-latest")]), (9, [(None, "claude-3-5-haiku-latest")])]


def test_an_argument_cast_to_a_dotted_type_keeps_its_value(scan_files):
    # The TypeScript grammar reads ``params as OpenAI.Chat.Params`` as a member ``Params`` of a cast to
    # ``OpenAI.Chat``; the argument is still ``params``, whose model the request sends.
    result = scan_files({"src/engine.ts": """
        import OpenAI from "openai";
        const client = new OpenAI();
        export async function complete(messages: any[]) {
          const params = { model: "gpt-4o-mini", messages };
          const fast = { model: "gpt-4.1-nano", messages } satisfies OpenAI.Chat.Completions.Params;
          await client.chat.completions.create(fast as OpenAI.Chat.Completions.ChatCompletionCreateParams);
          return client.chat.completions.create(
            params as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming
          );
        }
    """})
    assert {path.line: targets(path) for path in result.paths} == {
        6: {("openai", "gpt-4.1-nano")}, 7: {("openai", "gpt-4o-mini")}}


def test_a_client_passed_inside_an_options_object_reaches_the_call(scan_files):
    result = scan_files({
        "src/init.js": """
            const OpenAI = require("openai");
            module.exports = async function initializeClient({ req }) {
              return { openai: new OpenAI({ baseURL: "https://api.deepseek.com/v1" }), req };
            };
        """,
        "src/title.js": """
            const initializeClient = require("./init");
            const title = async ({ openai, text }) =>
              openai.chat.completions.create({ model: "deepseek-chat", messages: [text] });
            const summary = async (options) =>
              options.openai.chat.completions.create({ model: "deepseek-reasoner", messages: [] });
            class Runs {
              constructor(fields) { this.openai = fields.openai; }
              run(body) { return this.openai.chat.completions.create({ model: "deepseek-v3", ...body }); }
            }
            async function addTitle(req, text) {
              const { openai } = await initializeClient({ req });
              await summary({ openai });
              await new Runs({ openai, req }).run({ messages: [] });
              return title({ openai, text });
            }
            module.exports = { addTitle };
        """})
    assert {(p.file, p.line): targets(p) for p in result.paths} == {
        ("src/title.js", 3): {("deepseek", "deepseek-chat")},
        ("src/title.js", 5): {("deepseek", "deepseek-reasoner")},
        ("src/title.js", 8): {("deepseek", "deepseek-v3")}}


def test_names_destructured_from_a_returned_array_take_its_items(scan_files):
    path = only(scan_files({"src/stt.js": """
        const axios = require("axios");
        function openAIProvider(schema, file) {
          const url = schema.url || "https://api.openai.com/v1/audio/transcriptions";
          return [url, { model: "whisper-1", file }, { Authorization: "Bearer x" }];
        }
        async function transcribe(schema, file) {
          const [url, data, headers] = openAIProvider(schema, file);
          return axios.post(url, data, { headers });
        }
        module.exports = { transcribe };
    """}))
    assert (path.line, path.operation_kind, targets(path)) == (8, "audio", {("openai", "whisper-1")})


def test_a_strategy_invoked_with_call_returns_what_the_function_returns(scan_files):
    path = only(scan_files({"src/stt.js": """
        const axios = require("axios");
        class STTService {
          constructor() {
            this.providerStrategies = { openai: this.openAIProvider };
          }
          openAIProvider(schema, file) {
            const url = schema?.url || "https://api.openai.com/v1/audio/transcriptions";
            return [url, { file, model: "whisper-1" }];
          }
          async transcribe(provider, schema, file) {
            const strategy = this.providerStrategies[provider];
            const [url, data] = strategy.call(this, schema, file);
            return axios.post(url, data);
          }
        }
        module.exports = STTService;
    """}))
    assert (path.operation_kind, targets(path)) == ("audio", {("openai", "whisper-1")})
