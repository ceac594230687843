"""TypeScript and JavaScript SDKs: openai-node, Anthropic, Google, Bedrock, Mistral, Cohere, Groq, Ollama."""

from tests.scan.conftest import only, targets


def test_openai_node_default_import_object_options_and_azure(scan_files):
    result = scan_files({"src/chat.ts": """
        import OpenAI, { AzureOpenAI } from "openai";
        const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
        const azure = new AzureOpenAI({ endpoint: "https://acme.openai.azure.com", apiVersion: "2024-10-21" });
        export async function reply(text: string) {
          const stream = await client.chat.completions.create({ model: "gpt-4o", messages: [], stream: true });
          await azure.chat.completions.create({ model: "gpt-4o-mini", messages: [] });
          return client.embeddings.create({ model: "text-embedding-3-small", input: text });
        }
    """})
    assert [(p.line, sorted(targets(p)), p.operation_kind, p.streaming, p.is_async) for p in result.paths] == [
        (5, [("openai", "gpt-4o")], "chat", True, True),
        (6, [("azure-openai", "gpt-4o-mini")], "chat", False, True),
        (7, [("openai", "text-embedding-3-small")], "embedding", False, False),
    ]
    assert result.paths[0].function == "reply"


def test_commonjs_require_and_deepseek_base_url_from_env_default(scan_files):
    path = only(scan_files({"server/llm.js": """
        const OpenAI = require("openai");
        const BASE = process.env.LLM_BASE_URL || "https://api.deepseek.com/v1";
        const llm = new OpenAI({ baseURL: BASE });
        module.exports.ask = (q) => llm.chat.completions.create({ model: "deepseek-chat", messages: [{ role: "user", content: q }] });
    """}))
    assert targets(path) == {("deepseek", "deepseek-chat")}


def test_anthropic_bedrock_vertex_and_google(scan_files):
    result = scan_files({"src/providers.ts": """
        import Anthropic from "@anthropic-ai/sdk";
        import { AnthropicBedrock } from "@anthropic-ai/bedrock-sdk";
        import { GoogleGenAI } from "@google/genai";
        import { GoogleGenerativeAI } from "@google/generative-ai";
        const anthropic = new Anthropic();
        const bedrock = new AnthropicBedrock({ awsRegion: "us-east-1" });
        const ai = new GoogleGenAI({ vertexai: true, project: "acme", location: "us-central1" });
        const legacy = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);
        anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [], thinking: { type: "enabled", budget_tokens: 1024 } });
        bedrock.messages.create({ model: "anthropic.claude-3-5-haiku-20241022-v1:0", max_tokens: 64, messages: [] });
        ai.models.generateContent({ model: "gemini-2.5-flash", contents: "hi" });
        const model = legacy.getGenerativeModel({ model: "gemini-1.5-flash" });
        const chat = model.startChat({ history: [] });
        export const ask = async (q: string) => [await model.generateContent(q), await chat.sendMessageStream(q)];
    """})
    assert [(p.sdk, sorted(targets(p))) for p in result.paths] == [
        ("anthropic", [("anthropic", "claude-sonnet-4-5")]),
        ("anthropic-bedrock", [("aws-bedrock", "anthropic.claude-3-5-haiku-20241022-v1:0")]),
        ("google-genai", [("google-vertex", "gemini-2.5-flash")]),
        ("google-generative-ai", [("google", "gemini-1.5-flash")]),
        ("google-generative-ai", [("google", "gemini-1.5-flash")]),
    ]
    # the request leaves at the model object's methods, not where getGenerativeModel() makes it
    assert [(p.line, p.operation, p.streaming) for p in result.paths[3:]] == [
        (14, "generateContent", False), (14, "startChat.sendMessageStream", True)]
    assert "thinking" in result.paths[0].arguments and "budget_tokens" in result.paths[0].argument_values


def test_bedrock_runtime_commands_and_client_methods(scan_files):
    result = scan_files({"src/bedrock.ts": """
        import { BedrockRuntimeClient, ConverseCommand, InvokeModelWithResponseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
        const client = new BedrockRuntimeClient({ region: "us-east-1" });
        const MODEL_ID = "us.meta.llama3-3-70b-instruct-v1:0";
        export const ask = () => client.send(new ConverseCommand({ modelId: MODEL_ID, messages: [] }));
        export const stream = () => client.send(new InvokeModelWithResponseStreamCommand({ modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: "{}" }));
    """})
    assert [(p.operation, p.streaming, sorted(targets(p))) for p in result.paths] == [
        ("ConverseCommand", False, [("aws-bedrock", "us.meta.llama3-3-70b-instruct-v1:0")]),
        ("InvokeModelWithResponseStreamCommand", True, [("aws-bedrock", "anthropic.claude-3-haiku-20240307-v1:0")]),
    ]


def test_mistral_cohere_groq_ollama(scan_files):
    result = scan_files({"src/others.mjs": """
        import { Mistral } from "@mistralai/mistralai";
        import { CohereClientV2 } from "cohere-ai";
        import Groq from "groq-sdk";
        import ollama from "ollama";
        const mistral = new Mistral({ apiKey: "x" });
        const cohere = new CohereClientV2({ token: "x" });
        const groq = new Groq();
        await mistral.chat.complete({ model: "mistral-large-latest", messages: [] });
        await cohere.embed({ model: "embed-multilingual-v3.0", texts: ["a"], inputType: "search_document" });
        await groq.chat.completions.create({ model: "llama-3.3-70b-versatile", messages: [] });
        await ollama.chat({ model: "llama3.1:8b", messages: [] });
    """})
    assert [sorted(targets(p)) for p in result.paths] == [
        [("mistral", "mistral-large-latest")], [("cohere", "embed-multilingual-v3.0")],
        [("groq", "llama-3.3-70b-versatile")], [("ollama", "llama3.1:8b")],
    ]


def test_lookalikes_are_not_paths(scan_files):
    result = scan_files({
        "src/notify.ts": """
            import { WebClient } from "@slack/web-api";
            import twilio from "twilio";
            const slack = new WebClient(process.env.SLACK_TOKEN);
            await slack.chat.postMessage({ channel: "#ops", text: "model gpt-4o is slow" });
            await twilio("sid", "token").messages.create({ body: "hi", from: "+1", to: "+2" });
            // openai.chat.completions.create({ model: "gpt-4o" })
            const doc = "call anthropic.messages.create({ model: 'claude' })";
            const openai = { chat: { completions: { create: (x: unknown) => x } } };
            openai.chat.completions.create({ model: "not-a-call-to-openai" });
        """,
        "types/openai.d.ts": "declare module 'openai' { export default class OpenAI {} }\n",
        "dist/app.min.js": 'const OpenAI=require("openai");new OpenAI().chat.completions.create({model:"gpt-4o"});\n',
    })
    assert result.paths == []


def test_a_vertex_flag_known_only_at_run_time_may_reach_either_api(scan_files):
    result = scan_files({"lib/gemini.ts": """
        import { GoogleGenAI } from "@google/genai";
        const either = new GoogleGenAI({ vertexai: process.env.USE_VERTEX === "true" });
        const gemini = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY, vertexai: false });
        export const a = () => either.models.generateContent({ model: "gemini-2.5-flash", contents: "hi" });
        export const b = () => gemini.models.generateContent({ model: "gemini-2.5-flash", contents: "hi" });
    """})
    assert [sorted(p.providers) for p in result.paths] == [["google", "google-vertex"], ["google"]]


def test_a_base_url_with_azure_deployments_path_reaches_azure_openai_whatever_the_endpoint(scan_files):
    path = only(scan_files({"app/api/chat/azure/route.ts": """
        import OpenAI from "openai";
        export async function POST(request: Request) {
          const { endpoint, deployment, key } = await request.json();
          const azure = new OpenAI({ apiKey: key, baseURL: `${endpoint}/openai/deployments/${deployment}` });
          return azure.chat.completions.create({ model: deployment, messages: [] });
        }
    """}))
    assert {t.provider for t in path.targets} == {"azure-openai"}
    assert "/openai/deployments/" in path.targets[0].provider_why


def test_a_base_url_of_unknown_host_and_another_path_stays_unknown(scan_files):
    path = only(scan_files({"app/api/chat/custom/route.ts": """
        import OpenAI from "openai";
        export async function POST(request: Request) {
          const { endpoint, key } = await request.json();
          const custom = new OpenAI({ apiKey: key, baseURL: `${endpoint}/openai/v1` });
          return custom.chat.completions.create({ model: "m", messages: [] });
        }
    """}))
    assert {t.provider for t in path.targets} == {None}


def test_an_sdk_imported_through_its_entry_file_is_that_sdk(scan_files):
    result = scan_files({
        "src/adapter.ts": """
            import { OpenAI } from "openai/index";
            import Anthropic from "@anthropic-ai/sdk/index.mjs";
            const client = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" });
            const claude = new Anthropic();
            export async function ask() {
              await client.chat.completions.create({ model: "llama-3.3-70b-versatile", messages: [] });
              return claude.messages.create({ model: "claude-sonnet-4-5", max_tokens: 5, messages: [] });
            }
        """,
        "src/other.ts": """
            import { OpenAI } from "openai-lookalike/index";
            export const ask = () => new OpenAI().chat.completions.create({ model: "gpt-4o", messages: [] });
        """,
    })
    # another package's entry file is that package's: no client of the SDK
    assert [(p.file, p.line, sorted(targets(p))) for p in result.paths] == [
        ("src/adapter.ts", 6, [("groq", "llama-3.3-70b-versatile")]),
        ("src/adapter.ts", 7, [("anthropic", "claude-sonnet-4-5")]),
    ]


def test_huggingface_inference_and_replicate(scan_files):
    result = scan_files({"src/hosted.ts": """
        import { InferenceClient, chatCompletion } from "@huggingface/inference";
        import Replicate from "replicate";
        const hf = new InferenceClient(process.env.HF_TOKEN);
        const replicate = new Replicate({ auth: process.env.REPLICATE_API_TOKEN });
        await hf.chatCompletion({ model: "meta-llama/Llama-3.1-8B-Instruct", messages: [] });
        await hf.featureExtraction({ model: "BAAI/bge-small-en-v1.5", inputs: "hi" });
        await chatCompletion({ accessToken: "t", model: "Qwen/Qwen2.5-72B-Instruct", messages: [] });
        await replicate.run("meta/meta-llama-3-70b-instruct", { input: { prompt: "hi" } });
        await replicate.predictions.create({ version: "abc", input: {} });
        replicate.models.get("meta", "meta-llama-3-70b-instruct");
        const served = hf.endpoint("http://tgi.internal");
        await served.textGeneration({ inputs: "hi" });
        const chosen = process.env.HF_ENDPOINT ? hf.endpoint(process.env.HF_ENDPOINT) : hf;
        await chosen.textGeneration({ model: "mistralai/Mistral-7B-Instruct-v0.3", inputs: "hi" });
    """})
    assert [(p.line, p.operation, p.operation_kind, targets(p)) for p in result.paths] == [
        (5, "chatCompletion", "chat", {("huggingface", "meta-llama/Llama-3.1-8B-Instruct")}),
        (6, "featureExtraction", "embedding", {("huggingface", "BAAI/bge-small-en-v1.5")}),
        (7, "chatCompletion", "chat", {("huggingface", "Qwen/Qwen2.5-72B-Instruct")}),
        (8, "run", "chat", {("replicate", "meta/meta-llama-3-70b-instruct")}),
        (9, "predictions.create", "chat", {("replicate", None)}),
        (12, "textGeneration", "completion", {("self-hosted", None)}),
        # an endpoint from a setting the repository does not hold: not claimed for Hugging Face
        (14, "textGeneration", "completion", {("huggingface", "mistralai/Mistral-7B-Instruct-v0.3"),
                                               (None, "mistralai/Mistral-7B-Instruct-v0.3")}),
    ]


def test_the_word_replicate_alone_does_not_make_a_file_a_candidate(scan_files):
    result = scan_files({"src/sync.ts": """
        // replicate the rows to the read replica
        export function replicate(rows: string[]) { return rows.map((r) => r); }
        replicate(["a"]);
    """})
    assert result.paths == [] and result.files_parsed == 0


def test_together_cerebras_llama_api_and_ai_sdk_provider_packages(scan_files):
    result = scan_files({"app/api/route.ts": """
        import Together from "together-ai";
        import Cerebras from "@cerebras/cerebras_cloud_sdk";
        import LlamaAPIClient from "llama-api-client";
        import { generateText } from "ai";
        import { moonshotai } from "@ai-sdk/moonshotai";
        const together = new Together();
        export async function POST() {
          await new Cerebras().chat.completions.create({ model: "llama3.1-8b", messages: [] });
          await new LlamaAPIClient().chat.completions.create({ model: "Llama-4-Scout", messages: [] });
          await generateText({ model: moonshotai("kimi-k2-0905-preview"), prompt: "hi" });
          await together.images.create({ model: "black-forest-labs/FLUX.1-schnell", prompt: "a cat" });
          return together.chat.completions.stream({ model: "Qwen/Qwen3-8B", messages: [] });
        }
    """})
    assert [(p.line, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        (8, "chat", [("cerebras", "llama3.1-8b")]),
        (9, "chat", [("meta-llama-api", "Llama-4-Scout")]),
        (10, "chat", [("moonshot", "kimi-k2-0905-preview")]),
        (11, "image", [("together", "black-forest-labs/FLUX.1-schnell")]),
        (12, "chat", [("together", "Qwen/Qwen3-8B")])]
    assert result.paths[-1].streaming
