"""Raw HTTP in TypeScript and JavaScript whose URL is built elsewhere: constants in other modules, joins,
``new URL``, the repository's own fetch and server-sent-event wrappers, axios instances."""

from tests.scan.conftest import only, targets

CONSTANTS = """
    export const MOONSHOT_BASE_URL = "https://api.moonshot.cn";
    export const DEEPSEEK_BASE_URL = "https://api.deepseek.com";
    export const Moonshot = { ChatPath: "v1/chat/completions" };
"""


def test_a_wrapper_that_sends_its_url_parameter_is_a_send_at_each_call_that_passes_a_model_url(scan_files):
    result = scan_files({
        "app/constant.ts": CONSTANTS,
        "app/utils/stream.ts": """
            export function fetch(url: string, options?: RequestInit): Promise<Response> {
              return window.fetch(url, options);
            }
        """,
        "app/client/moonshot.ts": """
            import { MOONSHOT_BASE_URL, Moonshot } from "@/app/constant";
            import { fetch } from "@/app/utils/stream";
            export class MoonshotApi {
              path(path: string): string {
                return [MOONSHOT_BASE_URL, path].join("/");
              }
              async chat(body: string) {
                const chatPath = this.path(Moonshot.ChatPath);
                return fetch(chatPath, { method: "POST", body });
              }
            }
        """,
    })
    by_file = {(p.file, p.line): p for p in result.paths}
    caller = by_file[("app/client/moonshot.ts", 9)]
    assert targets(caller) == {("moonshot", None)}
    assert "sent by fetch() at app/utils/stream.ts:2" in caller.targets[0].provider_why
    send = by_file[("app/utils/stream.ts", 2)]  # the send itself reports what its callers pass
    assert targets(send) == {("moonshot", None)}
    assert "passed at app/client/moonshot.ts:8" in send.targets[0].provider_why


def test_a_wrapper_called_with_urls_of_no_model_api_is_no_path(scan_files):
    result = scan_files({
        "app/utils/stream.ts": """
            export function fetch(url: string, options?: RequestInit): Promise<Response> {
              return window.fetch(url, options);
            }
        """,
        "app/client/sync.ts": """
            import { fetch } from "@/app/utils/stream";
            export const upload = (body: string) => fetch("https://webdav.example.com/backup.json", { body });
        """,
    })
    assert result.paths == []


def test_sse_wrapper_of_a_wrapper_reports_each_outer_caller(scan_files):
    result = scan_files({
        "app/constant.ts": CONSTANTS,
        "app/utils/chat.ts": """
            import { fetchEventSource } from "@fortaine/fetch-event-source";
            export function stream(chatPath: string, payload: any) {
              function chatApi(chatPath: string, payload: any) {
                fetchEventSource(chatPath, { method: "POST", body: JSON.stringify(payload) });
              }
              chatApi(chatPath, payload);
            }
        """,
        "app/client/moonshot.ts": """
            import { MOONSHOT_BASE_URL, Moonshot } from "@/app/constant";
            import { stream } from "@/app/utils/chat";
            export function ask(payload: any) {
              return stream(`${MOONSHOT_BASE_URL}/${Moonshot.ChatPath}`, payload);
            }
        """,
    })
    assert [(p.file, p.line, sorted(targets(p))) for p in result.paths] == [
        ("app/client/moonshot.ts", 4, [("moonshot", None)]),
        ("app/utils/chat.ts", 4, [("moonshot", None)]),
    ]


def test_server_route_with_base_url_constant_and_runtime_path(scan_files):
    path = only(scan_files({
        "app/constant.ts": CONSTANTS,
        "app/api/deepseek.ts": """
            import { DEEPSEEK_BASE_URL } from "@/app/constant";
            export async function request(req: Request) {
              const path = `${req.nextUrl.pathname}`.replaceAll("/api/deepseek/", "");
              let baseUrl = process.env.DEEPSEEK_URL || DEEPSEEK_BASE_URL;
              if (!baseUrl.startsWith("http")) {
                baseUrl = `https://${baseUrl}`;
              }
              return await fetch(`${baseUrl}${path}`, { method: "POST", body: req.body });
            }
        """,
    }))
    assert (path.line, targets(path)) == (8, {("deepseek", None)})


def test_new_url_and_axios_instance_from_a_default_import(scan_files):
    result = scan_files({"src/engine.ts": """
        import axios from "axios";
        const BASE = "https://api.mistral.ai";
        export class Engine {
          constructor() {
            this.client = axios.create({ baseURL: "https://api.mistral.ai/v1" });
          }
          async complete(messages) {
            await this.client.post("/chat/completions", { model: "mistral-large-latest", messages });
            return fetch(new URL("/v1/embeddings", BASE).toString(), {
              method: "POST", body: JSON.stringify({ model: "mistral-embed", input: "hi" }),
            });
          }
        }
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [
        (8, [("mistral", "mistral-large-latest")]),
        (9, [("mistral", "mistral-embed")]),
    ]


def test_axios_instance_of_an_internal_service_is_no_path(scan_files):
    result = scan_files({"src/engine.ts": """
        import axios from "axios";
        const api = axios.create({ baseURL: "https://billing.internal.example.com" });
        export const charge = (amount) => api.post("/v1/charges", { amount });
    """})
    assert result.paths == []


def test_axios_instance_posting_to_its_base_url_itself(scan_files):
    path = only(scan_files({"src/engine.ts": """
        import axios from "axios";
        export class Engine {
          constructor(config) {
            this.client = axios.create({ baseURL: config.baseURL || "https://api.mistral.ai/v1/chat/completions" });
          }
          complete(messages) {
            return this.client.post("", { model: "mistral-small-latest", messages });
          }
        }
    """}))
    assert (path.line, targets(path)) == (7, {("mistral", "mistral-small-latest")})


def test_a_base_url_from_a_setting_named_for_a_server_reaches_that_server(scan_files):
    result = scan_files({"server/providers/local.js": """
        const { OpenAI } = require("openai");
        function parseBasePath(providedBasePath = "") {
          try {
            const url = new URL(providedBasePath);
            return `${url.origin}/v1`;
          } catch {
            return providedBasePath;
          }
        }
        class LocalLLM {
          constructor() {
            this.client = new OpenAI({ baseURL: parseBasePath(process.env.LMSTUDIO_BASE_PATH) });
            this.other = new OpenAI({ baseURL: process.env.LLM_BASE_URL });
          }
          ask(messages) { return this.client.chat.completions.create({ model: "local-model", messages }); }
          other_ask(messages) { return this.other.chat.completions.create({ model: "local-model", messages }); }
        }
        module.exports = LocalLLM;
    """})
    named, generic = result.paths
    assert [t.provider for t in named.targets] == ["lmstudio"]
    assert "LMSTUDIO_BASE_PATH, the setting named for lmstudio" in named.targets[0].provider_why
    # a setting whose name says nothing about whose server it is stays unknown, with the reason
    assert [t.provider for t in generic.targets] == [None]
    assert "LLM_BASE_URL (no default" in generic.targets[0].unresolved


def test_the_origin_of_a_literal_url_keeps_its_host(scan_files):
    path = only(scan_files({"src/ask.js": """
        const { OpenAI } = require("openai");
        const url = new URL("https://api.groq.com/openai/v1/models");
        const client = new OpenAI({ baseURL: `${url.origin}/openai/v1` });
        module.exports = (messages) => client.chat.completions.create({ model: "llama-3.3-70b-versatile", messages });
    """}))
    assert targets(path) == {("groq", "llama-3.3-70b-versatile")}


def test_a_static_method_that_normalises_the_endpoint_returns_the_same_server(scan_files):
    result = scan_files({"server/providers/azure.js": """
        const { OpenAI } = require("openai");
        class AzureLLM {
          constructor() {
            this.client = new OpenAI({ baseURL: AzureLLM.formatBaseUrl(process.env.AZURE_OPENAI_ENDPOINT) });
            this.local = new OpenAI({ baseURL: process.env.KOBOLD_CPP_BASE_PATH?.replace(/\\/+$/, "") });
            this.named = new OpenAI({ baseURL: process.env.MY_SERVICE_URL.replace("http:", "https:") });
          }
          static formatBaseUrl(endpoint) {
            const url = new URL(endpoint);
            url.pathname = "/openai/v1";
            return url.href;
          }
          a(messages) { return this.client.chat.completions.create({ model: "prod-gpt", messages }); }
          b(messages) { return this.local.chat.completions.create({ model: "koboldcpp/x", messages }); }
          c(messages) { return this.named.chat.completions.create({ model: "m", messages }); }
        }
        module.exports = AzureLLM;
    """})
    assert [[t.provider for t in p.targets] for p in result.paths] == [["azure-openai"], ["koboldcpp"], [None]]
    # any other replace() may change the server: the URL stays unknown, with what hid it
    assert result.paths[2].targets[0].unresolved.startswith("$MY_SERVICE_URL")
    assert result.paths[2].targets[0].unresolved.endswith(".replace('http:', 'https:')")


def test_the_products_own_chat_route_on_a_dev_server_is_no_model_server(scan_files):
    result = scan_files({"scripts/chat.ts": """
        const API_URL = process.env.API_URL || "http://localhost:3000/api/chat";
        const OLLAMA_URL = "http://localhost:11434";
        export async function viaApp(message: string) {
          const payload: any = { chatId: "c1", trigger: "submit-user-message" };
          payload.message = { role: "user", content: message };
          return fetch(API_URL, { method: "POST", body: JSON.stringify(payload) });
        }
        export async function viaOllama(message: string) {
          return fetch(`${OLLAMA_URL}/api/chat`, { method: "POST", body: JSON.stringify({ messages: [message] }) });
        }
        export async function viaLocalModel(message: string) {
          return fetch("http://localhost:3000/api/chat", { method: "POST", body: JSON.stringify({ model: "llama3", messages: [] }) });
        }
        export async function proxy(request: Request) {
          const backendUrl = process.env.BACKEND_URL || "http://localhost:8000";
          return fetch(`${backendUrl}/api/chat`, { method: "POST", body: JSON.stringify(await request.json()) });
        }
    """})
    # /api/chat is Ollama's API: on a local port that is not Ollama's (a dev server's 3000, a backend's 8000, which
    # vLLM also uses) it counts only when the body names a model
    assert [(p.line, [t.provider for t in p.targets]) for p in result.paths] == [
        (9, ["ollama"]), (12, ["self-hosted"])]


def test_a_query_after_an_unknown_path_leaves_the_host_known(scan_files):
    result = scan_files({"app/api/proxy.ts": """
        const BAIDU_BASE_URL = "https://aip.baidubce.com";
        export async function forward(req: Request, path: string, token: string) {
          return fetch(`${BAIDU_BASE_URL}${path}?access_token=${token}`, { method: "POST", body: req.body });
        }
        export async function other(req: Request, path: string, token: string) {
          return fetch(`https://intranet.example.com${path}?access_token=${token}`, { method: "POST", body: req.body });
        }
    """})
    # the catalogued model host counts; a host the catalog does not know, with no model path, is no model API
    assert [(p.line, [t.provider for t in p.targets]) for p in result.paths] == [(3, ["baidu"])]


def test_a_url_that_starts_with_a_setting_named_for_a_server_is_that_servers(scan_files):
    result = scan_files({"lib/chat.ts": """
        export async function local(body: object) {
          return fetch(process.env.NEXT_PUBLIC_OLLAMA_URL + "/api/chat", { method: "POST", body: JSON.stringify(body) });
        }
        export async function own(body: object) {
          return fetch(process.env.NEXT_PUBLIC_APP_URL + "/api/chat", { method: "POST", body: JSON.stringify(body) });
        }
    """})
    # NEXT_PUBLIC_ is how Next.js exposes a setting to the page: OLLAMA_URL names Ollama, APP_URL no server
    assert [(p.line, [t.provider for t in p.targets]) for p in result.paths] == [(2, ["ollama"])]
    assert "NEXT_PUBLIC_OLLAMA_URL, the setting named for ollama" in result.paths[0].targets[0].provider_why


def test_a_helper_that_returns_null_for_a_missing_setting_keeps_the_settings_server(scan_files):
    helper = """
        function endpoint(basePath = null, to = "openai") {
          if (!basePath) return null;
          try {
            const url = new URL(basePath);
            if (to === "openai") url.pathname = "api/v1";
            return url.toString();
          } catch {
            return basePath;
          }
        }
    """
    result = scan_files({
        "server/providers/lemonade.js": helper + """
            const { OpenAI } = require("openai");
            const client = new OpenAI({ baseURL: endpoint(process.env.LEMONADE_LLM_BASE_PATH, "openai") });
            module.exports = (messages) => client.chat.completions.create({ model: "local-model", messages });
        """,
        "server/providers/generic.js": helper + """
            const { OpenAI } = require("openai");
            const client = new OpenAI({ baseURL: endpoint(process.env.LLM_BASE_URL, "openai") });
            module.exports = (messages) => client.chat.completions.create({ model: "local-model", messages });
        """})
    # null stands for the setting left unset: the setting's name still says whose server it is
    generic, named = sorted(result.paths, key=lambda p: p.file)
    assert [t.provider for t in named.targets] == ["lemonade"]
    assert "LEMONADE_LLM_BASE_PATH, the setting named for lemonade" in named.targets[0].provider_why
    assert [t.provider for t in generic.targets] == [None]
    assert "LLM_BASE_URL (no default" in generic.targets[0].unresolved


def test_a_private_address_is_the_server_its_constant_is_named_for_rather_than_its_ports(scan_files):
    result = scan_files({"src/engine/local.ts": """
        import axios from "axios";
        const DEFAULT_MLX_URL = "http://localhost:8080";
        const DEFAULT_URL = "http://localhost:8080";
        const OPENAI_URL = "http://localhost:8080";
        export async function mlx(config: any, messages: object[]) {
          const baseUrl = config.baseURL || DEFAULT_MLX_URL;
          return axios.post(`${baseUrl}/v1/chat/completions`, { messages });
        }
        export async function unnamed(messages: object[]) {
          return axios.post(`${DEFAULT_URL}/v1/chat/completions`, { messages });
        }
        export async function hostedName(messages: object[]) {
          return axios.post(`${OPENAI_URL}/v1/chat/completions`, { messages });
        }
    """})
    # 8080 is llama.cpp's default port, but the constant says MLX; a name that says nothing, or names a hosted
    # service (which a private address cannot be), leaves the port to tell
    assert [(p.line, sorted(filter(None, (t.provider for t in p.targets)))) for p in result.paths] == [
        (7, ["mlx"]), (10, ["llama-cpp"]), (13, ["llama-cpp"])]
    assert "held by DEFAULT_MLX_URL, which is named for mlx" in next(
        t.provider_why for t in result.paths[0].targets if t.provider)


CHAT_HELPERS = """
    export const fetchChatResponse = async (url: string, body: object, signal: AbortSignal) => {
      const response = await fetch(url, { method: "POST", body: JSON.stringify(body), signal });
      return response;
    };

    export const askLocal = async (model: string, messages: object[], signal: AbortSignal) =>
      fetchChatResponse(process.env.NEXT_PUBLIC_OLLAMA_URL + "/api/chat", { model, messages }, signal);
"""


def test_a_function_declared_with_const_takes_what_its_callers_pass(scan_files):
    result = scan_files({"components/chat/helpers.ts": CHAT_HELPERS})
    by_line = {p.line: p for p in result.paths}
    # the arrow function's url parameter is what askLocal passes: Ollama's chat API
    assert {t.provider for t in by_line[2].targets} == {"ollama"}
    assert by_line[2].operation_kind == "chat"
    assert {t.provider for t in by_line[7].targets} == {"ollama"}  # the caller that passes it, too


def test_a_const_function_called_only_with_the_products_own_routes_is_no_path(scan_files):
    result = scan_files({
        "components/chat/helpers.ts": """
            export const fetchChatResponse = async (url: string, body: object) => {
              return await fetch(url, { method: "POST", body: JSON.stringify(body) });
            };
        """,
        "components/chat/hosted.ts": """
            import { fetchChatResponse } from "@/components/chat/helpers";
            export const askHosted = (provider: string, messages: object[]) =>
              fetchChatResponse(`/api/chat/${provider}`, { chatSettings: {}, messages });
        """,
    })
    assert result.paths == []


def test_an_obsidian_plugin_sends_through_the_apps_request_url(scan_files):
    """Obsidian plugins send with ``requestUrl({ url, method, body })``: a model API's URL there is a path, the
    plugin's update check to GitHub beside it is not."""
    result = scan_files({"src/main.ts": """
        import { Plugin, requestUrl } from "obsidian";
        export default class Summarise extends Plugin {
          async summarise(text: string) {
            const response = await requestUrl({
              url: "https://api.groq.com/openai/v1/chat/completions",
              method: "POST",
              body: JSON.stringify({ model: "llama-3.3-70b-versatile", messages: [{ role: "user", content: text }] }),
            });
            return response.json;
          }
          async latest() {
            return requestUrl({ url: "https://api.github.com/repos/acme/summarise/releases/latest", method: "GET" });
          }
        }
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [(4, [("groq", "llama-3.3-70b-versatile")])]


PROXY = """
    export async function handle(req: Request, path: string) {
      const target = `${req.headers.get("x-target-url")}/${path}`;
      const headers = new Headers(req.headers);
      const forwardTo = req.headers.get("x-target-url");
      if (forwardTo?.includes("{host}")) {
        headers.set("Authorization", `Bearer ${process.env.SERVICE_KEY}`);
      }
      return fetch(target, { method: req.method, headers, body: req.body });
    }
"""


def test_a_proxy_that_tests_its_target_against_a_model_host_forwards_there(scan_files):
    path = only(scan_files({"app/api/proxy.ts": PROXY.replace("{host}", "api.openai.com")}))
    assert (path.line, [t.provider for t in path.targets]) == (8, ["openai"])
    assert "compared with 'forwardTo' at line 5" in path.targets[0].provider_why


def test_a_proxy_that_tests_its_target_against_another_host_is_no_path(scan_files):
    result = scan_files({"app/api/proxy.ts": PROXY.replace("{host}", "hooks.slack.com")})
    assert result.files_parsed == 1 and result.paths == []


def test_a_requests_own_base_url_option_names_its_server(scan_files):
    path = only(scan_files({"api/tools/images.js": """
        const axios = require("axios");
        async function edit(formData, apiKey) {
          const baseURL = "https://api.openai.com/v1/";
          const config = { headers: { Authorization: `Bearer ${apiKey}` }, baseURL };
          return axios.post("/images/edits", formData, config);
        }
        module.exports = { edit };
    """}))
    assert (path.operation_kind, [t.provider for t in path.targets]) == ("image", ["openai"])


def test_a_request_through_an_http_client_made_elsewhere_is_sent_through_it(scan_files):
    result = scan_files({
        "src/utils/http.ts": """
            import axios from "axios";
            export const http = axios.create({ baseURL: "https://api.mistral.ai/v1" });
            export function createHttp() {
              return axios.create();
            }
        """,
        "src/files/ocr.ts": """
            import { http, createHttp } from "../utils/http";
            const plain = createHttp();
            const cache = new Map();
            export const ocr = (url: string) => http.post("/ocr", { model: "mistral-ocr-latest", document: url });
            export const chat = () => plain.post("https://api.groq.com/openai/v1/chat/completions",
                                                 { model: "llama-3.1-8b-instant", messages: [] });
            export const remember = (key: string) => cache.set(key, { model: "x", messages: [] });
        """,
        "app/client.py": """
            import requests
            def session():
                return requests.Session()
            def ask(messages):
                return session().post("https://api.deepseek.com/chat/completions",
                                      json={"model": "deepseek-chat", "messages": messages})
        """})
    assert [(p.file, p.line, p.sdk, sorted(targets(p))) for p in result.paths] == [
        ("app/client.py", 5, "requests", [("deepseek", "deepseek-chat")]),
        ("src/files/ocr.ts", 4, "axios", [("mistral", "mistral-ocr-latest")]),
        ("src/files/ocr.ts", 5, "axios", [("groq", "llama-3.1-8b-instant")])]
