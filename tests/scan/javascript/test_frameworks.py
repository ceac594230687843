"""The Vercel AI SDK, LangChain.js and raw fetch/axios."""

from tests.scan.conftest import only, targets


def test_ai_sdk_providers_and_custom_base_url(scan_files):
    result = scan_files({"app/api/chat/route.ts": """
        import { generateText, streamText, embed } from "ai";
        import { openai, createOpenAI } from "@ai-sdk/openai";
        import { anthropic } from "@ai-sdk/anthropic";
        const deepseek = createOpenAI({ baseURL: "https://api.deepseek.com/v1", apiKey: process.env.DEEPSEEK_API_KEY });
        export async function POST(req: Request) {
          const { messages } = await req.json();
          const a = await generateText({ model: openai("gpt-4o"), prompt: "hi" });
          const b = streamText({ model: anthropic("claude-3-5-sonnet-latest"), messages });
          const c = await generateText({ model: deepseek.chat("deepseek-chat"), prompt: "hi" });
          const d = await embed({ model: openai.embedding("text-embedding-3-small"), value: "x" });
          return b.toDataStreamResponse();
        }
    """})
    assert [(p.operation, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        ("generateText", "chat", [("openai", "gpt-4o")]),
        ("streamText", "chat", [("anthropic", "claude-3-5-sonnet-latest")]),
        ("generateText", "chat", [("deepseek", "deepseek-chat")]),
        ("embed", "embedding", [("openai", "text-embedding-3-small")]),
    ]
    assert result.paths[1].streaming


def test_ai_sdk_model_chosen_in_another_module(scan_files):
    path = only(scan_files({
        "lib/models.ts": """
            import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
            export const local = createOpenAICompatible({ name: "vllm", baseURL: "http://localhost:8000/v1" });
            export const chatModel = local("Qwen/Qwen2.5-7B-Instruct");
        """,
        "app/page.tsx": """
            import { generateText } from "ai";
            import { chatModel } from "@/lib/models";
            export default async function Page() {
              const { text } = await generateText({ model: chatModel, prompt: "hello" });
              return <p>{text}</p>;
            }
        """,
    }))
    assert (path.file, targets(path)) == ("app/page.tsx", {("vllm", "Qwen/Qwen2.5-7B-Instruct")})


def test_langchainjs_bindings_and_with_fallbacks(scan_files):
    result = scan_files({"src/chain.ts": """
        import { ChatOpenAI } from "@langchain/openai";
        import { ChatOllama } from "@langchain/ollama";
        import { ChatAnthropic } from "@langchain/anthropic";
        const primary = new ChatOpenAI({ model: "gpt-4o-mini", configuration: { baseURL: "https://openrouter.ai/api/v1" } });
        const local = new ChatOllama({ model: "qwen2.5:7b" });
        export const model = primary.withFallbacks({ fallbacks: [local] });
        export const judge = new ChatAnthropic({ model: "claude-3-5-haiku-latest" });
    """})
    assert [(p.line, sorted(targets(p)), sorted((t.provider, t.model) for t in p.fallbacks)) for p in result.paths] == [
        (4, [("openrouter", "gpt-4o-mini")], [("ollama", "qwen2.5:7b")]),
        (7, [("anthropic", "claude-3-5-haiku-latest")], []),
    ]


def test_fetch_and_axios_to_model_apis(scan_files):
    result = scan_files({"src/raw.ts": """
        import axios from "axios";
        const API = "https://api.anthropic.com/v1/messages";
        export async function a() {
          return fetch("https://api.openai.com/v1/chat/completions", {
            method: "POST",
            body: JSON.stringify({ model: "gpt-4o", messages: [] }),
          });
        }
        export const b = () => axios.post(API, { model: "claude-3-5-haiku-latest", max_tokens: 5, messages: [] });
        export const c = () => fetch("https://api.github.com/repos/acme/app");
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [
        (4, [("openai", "gpt-4o")]), (9, [("anthropic", "claude-3-5-haiku-latest")])]


def test_class_field_client_and_try_catch_fallback(scan_files):
    path, backup = (scan_files({"src/service.ts": """
        import OpenAI from "openai";
        export class Assistant {
          private primary = new OpenAI();
          private local: OpenAI;
          constructor() {
            this.local = new OpenAI({ baseURL: "http://localhost:11434/v1", apiKey: "ollama" });
          }
          async answer(q: string) {
            try {
              return await this.primary.chat.completions.create({ model: "gpt-4o", messages: [] });
            } catch (err) {
              return await this.local.chat.completions.create({ model: "llama3.1:8b", messages: [] });
            }
          }
        }
    """}).paths)
    assert targets(path) == {("openai", "gpt-4o")}
    assert {(t.provider, t.model) for t in path.fallbacks} == {("ollama", "llama3.1:8b")}
    assert path.function == "Assistant.answer"
    assert {(t.provider, t.model) for t in backup.targets} == {("ollama", "llama3.1:8b")}  # a path of its own


def test_gateway_model_through_wrapper_and_factory_function(scan_files):
    result = scan_files({
        "lib/ai/providers.ts": """
            import { gateway } from "@ai-sdk/gateway";
            import { wrapLanguageModel, extractReasoningMiddleware } from "ai";
            export function getTitleModel() {
              return wrapLanguageModel({ model: gateway.languageModel("google/gemini-2.5-flash-lite"),
                                         middleware: extractReasoningMiddleware({ tagName: "think" }) });
            }
        """,
        "app/actions.ts": """
            import { generateText } from "ai";
            import { getTitleModel } from "@/lib/ai/providers";
            export const title = () => generateText({ model: getTitleModel(), prompt: "name this chat" });
        """,
        "lib/models.ts": """
            export const listLocal = () => fetch(process.env.OLLAMA_URL + "/api/tags");
            export const listHosted = () => fetch("https://openrouter.ai/api/v1/models");
        """,
    })
    assert [(p.file, sorted(targets(p))) for p in result.paths] == [
        ("app/actions.ts", [("vercel-ai-gateway", "google/gemini-2.5-flash-lite")])]


def test_provider_map_behind_one_openai_client_reports_every_provider(scan_files):
    path = only(scan_files({"src/providers.ts": """
        import OpenAI from "openai";
        const BASE_URLS: Record<string, string> = {
          openai: "https://api.openai.com/v1",
          deepseek: "https://api.deepseek.com",
          moonshot: "https://api.moonshot.cn/v1",
          local: "http://localhost:11434/v1",
        };
        export function chat(provider: string, model: string, messages: any[]) {
          const client = new OpenAI({ baseURL: BASE_URLS[provider], apiKey: process.env[`${provider.toUpperCase()}_KEY`] });
          return client.chat.completions.create({ model, messages });
        }
    """}))
    assert set(path.providers) == {"openai", "deepseek", "moonshot", "ollama"}


def test_ai_sdk_fallback_by_try_catch_to_a_local_model(scan_files):
    path, backup = (scan_files({"src/answer.ts": """
        import { generateText } from "ai";
        import { anthropic } from "@ai-sdk/anthropic";
        import { createOllama } from "ollama-ai-provider";
        const ollama = createOllama({ baseURL: "http://localhost:11434/api" });
        export async function answer(prompt: string) {
          try {
            return await generateText({ model: anthropic("claude-3-5-haiku-latest"), prompt });
          } catch {
            return await generateText({ model: ollama("qwen2.5:7b"), prompt });
          }
        }
    """}).paths)
    assert targets(path) == {("anthropic", "claude-3-5-haiku-latest")}
    assert {(t.provider, t.model) for t in path.fallbacks} == {("ollama", "qwen2.5:7b")}
    assert {(t.provider, t.model) for t in backup.targets} == {("ollama", "qwen2.5:7b")}  # a path of its own


def test_ai_fallback_models_list(scan_files):
    path = only(scan_files({"src/model.ts": """
        import { generateText } from "ai";
        import { createFallback } from "ai-fallback";
        import { openai } from "@ai-sdk/openai";
        import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
        const vllm = createOpenAICompatible({ name: "vllm", baseURL: "http://localhost:8000/v1" });
        const model = createFallback({ models: [openai("gpt-4o"), vllm("Qwen/Qwen3-32B")] });
        export const ask = (prompt: string) => generateText({ model, prompt });
    """}))
    assert targets(path) == {("openai", "gpt-4o")}
    assert {(t.provider, t.model) for t in path.fallbacks} == {("vllm", "Qwen/Qwen3-32B")}


def test_ai_sdk_agent_holds_its_model_and_a_look_alike_class_does_not(scan_files):
    result = scan_files({"src/agent.ts": """
        import { ToolLoopAgent } from "ai";
        import { anthropic } from "@ai-sdk/anthropic";
        import { ToolLoopAgent as Loop } from "./loop";
        export const agent = new ToolLoopAgent({ model: anthropic("claude-sonnet-4-5"), tools: {} });
        export const local = new Loop({ model: "not-a-model", tools: {} });
    """})
    assert [(p.line, p.kind, sorted(targets(p))) for p in result.paths] == [
        (4, "binding", [("anthropic", "claude-sonnet-4-5")])]


def test_azure_openai_client_of_the_azure_package(scan_files):
    result = scan_files({"src/azure.ts": """
        import { AzureKeyCredential, OpenAIClient } from "@azure/openai";
        const client = new OpenAIClient("https://acme.openai.azure.com", new AzureKeyCredential("k"));
        export const ask = (messages) => client.getChatCompletions("gpt-4o-deployment", messages);
        export const embed = (input) => client.getEmbeddings("embedding-deployment", input);
        export const other = (id) => client.getDeployment(id);
    """})
    assert [(p.line, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        (3, "chat", [("azure-openai", "gpt-4o-deployment")]),
        (4, "embedding", [("azure-openai", "embedding-deployment")]),
    ]


def test_langchainjs_and_ai_sdk_families_by_package_name(scan_files):
    result = scan_files({"src/family.ts": """
        import { ChatCerebras } from "@langchain/cerebras";
        import { ChatPromptTemplate } from "@langchain/core/prompts";
        import { ChatAcme } from "@langchain/acme";
        import { createHuggingFace } from "@ai-sdk/huggingface";
        import { baseten } from "@ai-sdk/baseten";
        import { generateText } from "ai";
        const prompt = ChatPromptTemplate.fromMessages([["user", "{q}"]]);
        export const llm = new ChatCerebras({ model: "llama3.1-8b" });
        export const acme = new ChatAcme({ model: "acme-1" });
        const hf = createHuggingFace({ apiKey: process.env.HF_TOKEN });
        export const ask = (q: string) => generateText({ model: hf("meta-llama/Llama-3.1-8B-Instruct"), prompt: q });
        export const other = (q: string) => generateText({ model: baseten("deepseek-ai/DeepSeek-V3"), prompt: q });
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [
        (8, [("cerebras", "llama3.1-8b")]),
        (9, [(None, "acme-1")]),
        (11, [("huggingface", "meta-llama/Llama-3.1-8B-Instruct")]),
        (12, [("baseten", "deepseek-ai/DeepSeek-V3")]),
    ]
    assert "'acme'" in (result.paths[1].targets[0].unresolved or "") and "not in the catalog" in (
        result.paths[1].targets[0].unresolved or "")


def test_langchainjs_community_embeddings_are_paths_where_they_embed(scan_files):
    result = scan_files({"server/embedders/voyage.js": """
        class VoyageEmbedder {
          constructor() {
            const { VoyageEmbeddings } = require("@langchain/community/embeddings/voyage");
            this.voyage = new VoyageEmbeddings({ apiKey: process.env.VOYAGE_KEY, modelName: "voyage-3-lite" });
          }
          async embedTextInput(text) {
            return await this.voyage.embedDocuments([text]);
          }
          async embedChunks(chunks) {
            return await this.voyage.embedQuery(chunks[0]);
          }
        }
        module.exports = { VoyageEmbedder };
    """})
    # built, it sends nothing; each embedding call on it is a request to Voyage AI
    assert [(p.line, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        (7, "embedding", [("voyage", "voyage-3-lite")]),
        (10, "embedding", [("voyage", "voyage-3-lite")]),
    ]


def test_langchainjs_community_chat_models_by_module_and_its_other_exports_are_not(scan_files):
    result = scan_files({"server/chat.js": """
        const { ChatOllama } = require("@langchain/community/chat_models/ollama");
        const { RecursiveUrlLoader } = require("@langchain/community/document_loaders/web/recursive_url");
        const { HNSWLib } = require("@langchain/community/vectorstores/hnswlib");
        const llm = new ChatOllama({ baseUrl: "http://127.0.0.1:11434", model: "llama3.1" });
        const loader = new RecursiveUrlLoader("https://docs.example.com", { maxDepth: 2 });
        const store = HNSWLib.fromDocuments([], null);
        module.exports = { llm, loader, store };
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [(4, [("ollama", "llama3.1")])]


def test_a_subclass_of_a_langchain_model_class_built_in_another_module_is_a_path(scan_files):
    """``class ChatRouter extends ChatOpenAI`` with a constructor of its own, built in another module: the model
    it is built with is asked there. A subclass of the framework's own base types (BaseChatModel, a memory) is no
    model of any provider."""
    result = scan_files({
        "src/providers/ChatRouter.ts": """
            import { ChatOpenAI } from "@langchain/openai";
            import { BaseChatModel } from "@langchain/core/language_models/chat_models";
            import { BufferMemory } from "@langchain/classic/memory";

            export class ChatRouter extends ChatOpenAI {
              constructor(fields: Record<string, unknown>) {
                super({ ...fields, streaming: true });
              }
            }
            export class EchoModel extends BaseChatModel {}
            export class Memory extends BufferMemory {}
        """,
        "src/manager.ts": """
            import { ChatRouter, EchoModel, Memory } from "./providers/ChatRouter";

            export function build(name: string) {
              const memory = new Memory({});
              const echo = new EchoModel({});
              return new ChatRouter({ model: "gpt-4o-mini", temperature: 0 });
            }
        """,
    })
    path = only(result)
    assert (path.file, path.line, path.operation) == ("src/manager.ts", 6, "ChatRouter")
    assert targets(path) == {("openai", "gpt-4o-mini")}
    assert "ChatRouter extends @langchain/openai.ChatOpenAI" in path.targets[0].provider_why


def test_a_model_class_chosen_from_a_table_at_run_time_is_one_path_to_each_provider(scan_files):
    """``new CONSTRUCTORS[vendor](config)``, also through a method that returns the class and a parameter that
    takes it: one path, reaching each model class's provider. A table of other classes built the same way in
    the same module is no path."""
    result = scan_files({"src/models.ts": """
        import { ChatAnthropic } from "@langchain/anthropic";
        import { ChatOllama } from "@langchain/ollama";
        import { BufferMemory } from "@langchain/classic/memory";

        const CONSTRUCTORS = { anthropic: ChatAnthropic, ollama: ChatOllama };
        const MEMORIES = { buffer: BufferMemory, none: Map };

        export class Manager {
          constructorFor(vendor: string) {
            return CONSTRUCTORS[vendor];
          }
          build(vendor: string, config: Record<string, unknown>) {
            const memory = new MEMORIES["buffer"]({});
            return this.instantiate(this.constructorFor(vendor), config);
          }
          instantiate(Model: any, config: Record<string, unknown>) {
            return new Model(config);
          }
        }
    """})
    path = only(result)
    assert (path.line, path.operation) == (17, "ChatAnthropic | ChatOllama")
    assert {t.provider for t in path.targets} == {"anthropic", "ollama"}


def test_langchainjs_text_completion_classes_and_community_llms(scan_files):
    result = scan_files({"src/llms.ts": """
        import { AzureOpenAI } from "@langchain/openai";
        import { Ollama } from "@langchain/ollama";
        import { TogetherAI, TogetherAIInputs } from "@langchain/community/llms/togetherai";
        import { RedisCache } from "@langchain/community/caches/ioredis";
        export const azure = new AzureOpenAI({ azureOpenAIApiDeploymentName: "gpt-35-turbo-instruct" });
        export const local = new Ollama({ model: "llama3.1" });
        export const together = new TogetherAI({ model: "mistralai/Mixtral-8x7B-Instruct-v0.1" });
        export const cache = new RedisCache(client);
    """})
    # a cache of another @langchain/community module is no model
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [
        (5, [("azure-openai", "gpt-35-turbo-instruct")]),
        (6, [("ollama", "llama3.1")]),
        (7, [("together", "mistralai/Mixtral-8x7B-Instruct-v0.1")]),
    ]


def test_llamaindex_ts_model_classes_in_the_package_and_its_provider_packages(scan_files):
    result = scan_files({"src/engine.ts": """
        import { Anthropic, OpenAISession, SimpleChatEngine } from "llamaindex";
        import { Gemini, GeminiEmbedding } from "@llamaindex/google";
        import { OpenAIAgent } from "@llamaindex/openai";
        import { Settings } from "@llamaindex/core";
        const session = new OpenAISession({ apiKey: process.env.KEY });
        export const llm = new Anthropic({ model: "claude-3-5-sonnet" });
        export const gemini = new Gemini({ model: "gemini-2.0-flash" });
        export const embed = new GeminiEmbedding({ model: "text-embedding-004" });
        export const engine = new SimpleChatEngine({ llm });
        export const agent = new OpenAIAgent({ llm, tools: [] });
        export const settings = new Settings();
    """})
    # sessions, engines, agents and the framework's own classes take a model: none of them is one
    assert [(p.line, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        (6, "chat", [("anthropic", "claude-3-5-sonnet")]),
        (7, "chat", [("google", "gemini-2.0-flash")]),
        (8, "embedding", [("google", "text-embedding-004")]),
    ]


def test_a_factory_chosen_from_a_map_by_name_makes_each_providers_model(scan_files):
    result = scan_files({"src/adapter.ts": """
        import { generateText } from "ai";
        import { createAnthropic } from "@ai-sdk/anthropic";
        import { createOpenAI } from "@ai-sdk/openai";
        import { formatDate, formatTime } from "./format";
        const PROVIDERS = {
          anthropic: createAnthropic,
          openai: createOpenAI,
          groq: (options) => createOpenAI({ ...options, baseURL: "https://api.groq.com/openai/v1" }),
        };
        const FORMATS = { date: formatDate, time: formatTime };
        export class Adapter {
          constructor(config) {
            const [providerId, ...rest] = config.model.split("/");
            this.provider = PROVIDERS[providerId]({ apiKey: config.apiKey });
            this.modelId = rest.join("/");
            this.format = FORMATS[config.kind](config);
          }
          ask(prompt) {
            return generateText({ model: this.provider(this.modelId), prompt, format: this.format });
          }
        }
    """})
    # the key is chosen at run time: each factory the map holds is possible; a map of other functions is no model
    assert sorted(t.provider for t in only(result).targets) == ["anthropic", "groq", "openai"]


def test_langchainjs_packages_named_otherwise_than_their_catalog_provider(scan_files):
    result = scan_files({"src/models.ts": """
        import { ChatBaiduQianfan } from "@langchain/baidu-qianfan";
        import { ChatCloudflareWorkersAI } from "@langchain/cloudflare";
        import { ChatWatsonx } from "@langchain/community/chat_models/ibm";
        import { ChatAcme } from "@langchain/acme";
        export const a = new ChatBaiduQianfan({ model: "ERNIE-Bot" });
        export const b = new ChatCloudflareWorkersAI({ model: "@cf/meta/llama-3.1-8b-instruct" });
        export const c = new ChatWatsonx({ model: "ibm/granite-13b-chat-v2" });
        export const d = new ChatAcme({ model: "acme-1" });
    """})
    assert [(p.line, sorted(t.provider or "" for t in p.targets)) for p in result.paths] == [
        (5, ["baidu"]), (6, ["cloudflare-workers-ai"]), (7, ["watsonx"]), (8, [""])]
    # a package the catalog has no provider for says so, by the name its package gives
    assert "'acme'" in (result.paths[3].targets[0].provider_unknown or "")
