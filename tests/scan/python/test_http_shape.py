"""Raw HTTP counts only when it asks a model: model API paths match on whole path segments, a model host
needs a request that may ask a model, and a path other web APIs use too needs a model host or a model body."""

from tests.scan.conftest import only, targets


def test_a_model_api_path_inside_another_apis_path_is_not_one(scan_files):
    result = scan_files({"app/chat_app.py": """
        import requests
        def reply(mid, text):
            url = f"https://open.chat-vendor.example/open-apis/im/v1/messages/{mid}/reply"
            return requests.post(url, json={"msg_type": "text", "content": text})
        def ask(prompt):
            return requests.post("https://llm.acme.example/v1/messages", json={"model": "claude-3-5-haiku-latest"})
        def send(chat_id, text, reply_to=None):
            if reply_to:
                url = f"https://open.chat-vendor.example/open-apis/im/v1/messages/{reply_to}/reply"
                data = {"msg_type": "text", "content": text}
            else:
                url = "https://open.chat-vendor.example/open-apis/im/v1/messages"
                data = {"receive_id": chat_id, "msg_type": "text", "content": text}
            return requests.post(url, json=data)
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [(6, [(None, "claude-3-5-haiku-latest")])]


def test_tokens_speech_files_and_model_lists_on_a_model_host_are_not_inference(scan_files):
    result = scan_files({"app/vendor.py": """
        import requests
        def token(key, secret):
            return requests.post("https://aip.baidubce.com/oauth/2.0/token", params={"client_id": key})
        def speak(text, token):
            url = f"https://aip.baidubce.com/rpc/2.0/tts/v1/create?access_token={token}"
            return requests.post(url, json={"text": text, "format": "mp3"})
        def listing():
            return requests.get("https://api.openai.com/v1/models")
        def upload(f):
            return requests.post("https://api.openai.com/v1/files", files={"file": f})
        def invite(email):
            return requests.post("https://api.openai.com/v1/organization/invites", json={"email": email})
        def chat(token, messages):
            url = f"https://aip.baidubce.com/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/eb-instant?access_token={token}"
            return requests.post(url, json={"messages": messages})
    """})
    assert [(p.line, p.providers) for p in result.paths] == [(15, ["baidu"])]


def test_an_ambiguous_path_needs_a_model_host_or_a_model_body(scan_files):
    result = scan_files({"app/ambiguous.py": """
        import requests
        requests.post("https://support.example.com/api/chat", json={"ticket": 42, "text": "hi"})
        requests.post("https://support.example.com/api/chat", json={"model": "llama3.1", "messages": []})
        requests.post("http://localhost:11434/api/chat", data=payload)
        requests.post("https://search.example.com/rerank", json={"query": "q", "docs": []})
        requests.post("https://gw.example.com/v2/rerank", json={"model": "rerank-v3.5", "query": "q"})
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [
        (3, [(None, "llama3.1")]), (4, [("ollama", None)]), (6, [(None, "rerank-v3.5")])]


def test_images_audio_and_bare_embeddings_paths_are_model_apis(scan_files):
    result = scan_files({"app/media.py": """
        import httpx
        BASE = "https://gw.acme.example/v1"
        httpx.post(BASE + "/images/generations", json={"model": "dall-e-3", "prompt": "a cat"})
        httpx.post(BASE + "/audio/transcriptions", files={"file": b""}, data={"model": "whisper-1"})
        httpx.post("https://api.upstage.ai/v1/solar/embeddings", json={"model": "embedding-query", "input": "x"})
        httpx.post("https://search.acme.example/embeddings", json={"text": "not a model API"})
    """})
    assert [(p.line, p.operation_kind, p.providers) for p in result.paths] == [
        (3, "image", []), (4, "audio", []), (5, "embedding", ["upstage"])]


def test_javascript_fetch_follows_the_same_shapes(scan_files):
    result = scan_files({"src/bot.ts": """
        export async function reply(id: string, text: string) {
          return fetch(`https://open.chat-vendor.example/open-apis/im/v1/messages/${id}/reply`, {
            method: "POST", body: JSON.stringify({ msg_type: "text", content: text }) });
        }
        export async function ask(prompt: string) {
          return fetch("https://llm.acme.example/v1/chat/completions", {
            method: "POST", body: JSON.stringify({ model: "gpt-4o-mini", messages: [] }) });
        }
        export async function ownRoute(message: string) {
          return fetch("/api/chat", { method: "POST", body: JSON.stringify({ messages: [message] }) });
        }
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [(6, [(None, "gpt-4o-mini")])]


def test_a_private_address_without_a_model_path_counts_only_with_a_body_naming_a_model(scan_files):
    result = scan_files({"app/local.py": """
        import requests

        base_url = "http://10.0.0.7:8000/"

        def generate(prompt):
            return requests.post(base_url, json={"model": "qwen2.5:7b", "prompt": prompt})

        def search(query):
            return requests.post(base_url, json={"query": query, "limit": 5})
    """})
    assert [(p.line, targets(p)) for p in result.paths] == [(6, {("self-hosted", "qwen2.5:7b")})]


def test_a_body_asking_a_model_counts_at_an_address_the_scan_cannot_read(scan_files):
    result = scan_files({"app/relay.py": """
        import requests
        def ask(url, messages, model="gpt-4o"):
            return requests.post(url, json={"model": model, "messages": messages})
        def embed(url, texts):
            return requests.post(url, json={"model": "bge-m3", "input": texts})
        def notify(url, text):
            return requests.post(url, json={"model": "ticket", "text": text})
        def store(url, messages):
            return requests.post(url, json={"messages": messages})
    """})
    assert [(p.line, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        (3, "chat", [(None, "gpt-4o")]), (5, "embedding", [(None, "bge-m3")])]
    assert result.paths[0].targets[0].provider_unknown.startswith("the request's address: parameter 'url'")


def test_an_endpoint_made_from_another_by_replacing_its_path_is_that_endpoint(scan_files):
    result = scan_files({
        "app/images.py": """
            import requests
            from openai import OpenAI
            CHAT = "https://api.openai.com/v1/chat/completions"
            def draw(prompt):
                url = CHAT.replace("chat/completions", "images/generations")
                return requests.post(url, json={"model": "dall-e-3", "prompt": prompt})
            def embed(texts):
                client = OpenAI(base_url="https://api.deepseek.com/v1/embeddings".replace("embeddings", ""))
                return client.embeddings.create(input=texts, model="text-embedding-3-small")
        """,
        "web/images.ts": """
            const CHAT = "https://api.openai.com/v1/chat/completions";
            export const draw = (prompt: string) =>
              fetch(CHAT.replace("chat/completions", "images/generations"),
                    { method: "POST", body: JSON.stringify({ model: "gpt-image-1", prompt }) });
        """})
    assert [(p.file, p.line, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        ("app/images.py", 6, "image", [("openai", "dall-e-3")]),
        ("app/images.py", 9, "embedding", [("deepseek", "text-embedding-3-small")]),
        ("web/images.ts", 3, "image", [("openai", "gpt-image-1")])]


def test_a_placeholder_in_a_urls_model_segment_is_no_model(scan_files):
    path = only(scan_files({"app/gemini.py": """
        import requests
        URL = "https://generativelanguage.googleapis.com/v1beta/models/%m:generateContent?key=%k"
        def ask(contents):
            return requests.post(URL, json={"contents": contents})
    """}))
    assert targets(path) == {("google", None)}


def test_azures_api_path_after_a_base_the_scan_cannot_read_is_azure_openai(scan_files):
    path = only(scan_files({"app/azure.py": """
        import requests
        from settings import load
        ENDPOINT, DEPLOYMENT = load("ENDPOINT"), load("DEPLOYMENT")
        URL = ENDPOINT + f"openai/deployments/{DEPLOYMENT}/chat/completions?api-version=2024-10-21"
        def chat(messages):
            return requests.post(URL, json={"messages": messages})
    """}))
    assert [t.provider for t in path.targets] == ["azure-openai"]
    assert "'/openai/deployments/' is azure-openai's API" in path.targets[0].provider_why
