"""Raw HTTP to model hosts with requests, httpx, aiohttp and urllib."""

from tests.scan.conftest import targets


def test_requests_httpx_aiohttp_urllib(scan_files):
    result = scan_files({"app/raw.py": """
        import os
        import requests, httpx, aiohttp
        import urllib.request
        API = "https://api.anthropic.com/v1/messages"
        def a():
            requests.post("https://api.openai.com/v1/chat/completions", json={"model": "gpt-4o", "messages": []})
        def b():
            body = {"model": "claude-3-5-sonnet-20241022", "max_tokens": 10, "messages": []}
            return httpx.post(API, json=body, headers={"x-api-key": os.environ["ANTHROPIC_API_KEY"]})
        async def c():
            async with aiohttp.ClientSession() as session:
                async with session.post("http://localhost:11434/api/generate", json={"model": "llama3.1"}) as r:
                    return await r.json()
        def d():
            req = urllib.request.Request("https://api.deepseek.com/chat/completions", data=b"{}")
            return urllib.request.urlopen(req)
        def e():
            client = httpx.Client(base_url="https://api.mistral.ai/v1")
            return client.post("/chat/completions", json={"model": "mistral-small-latest"})
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [
        (6, [("openai", "gpt-4o")]),
        (9, [("anthropic", "claude-3-5-sonnet-20241022")]),
        (12, [("ollama", "llama3.1")]),
        (15, [("deepseek", None)]),
        (19, [("mistral", "mistral-small-latest")]),
    ]
    assert all(p.kind == "http" for p in result.paths)


def test_http_to_other_services_is_not_inference(scan_files):
    result = scan_files({"app/hooks.py": """
        import requests
        requests.post("https://hooks.slack.com/services/T000/B000/XXX", json={"text": "hi"})
        requests.get("http://localhost:8000/health")
        requests.post("https://api.github.com/repos/acme/app/issues", json={"title": "chat/completions"})
    """})
    assert result.paths == []


def test_unknown_gateway_host_with_model_api_path_is_a_path_with_unknown_provider(scan_files):
    result = scan_files({"app/gw.py": """
        import httpx
        httpx.post("https://llm.acme-internal.example.com/v1/chat/completions", json={"model": "gpt-4o"})
    """})
    (path,) = result.paths
    assert targets(path) == {(None, "gpt-4o")}
    assert path.targets[0].unresolved.startswith(
        "unknown provider at llm.acme-internal.example.com (host-not-in-catalog")


def test_internal_service_on_a_model_servers_default_port_is_not_inference(scan_files):
    result = scan_files({"app/internal.py": """
        import requests
        requests.get("http://api:8080/tickets/42/thread")
        requests.post("http://localhost:8000/users", json={"name": "x"})
        requests.post("http://localhost:8080/v1/chat/completions", json={"model": "smollm2"})
    """})
    assert [(p.line, p.providers) for p in result.paths] == [(4, ["llama-cpp"])]


def test_a_json_body_encoded_to_bytes_keeps_its_model(scan_files):
    result = scan_files({"app/raw.py": """
        import json
        from urllib.request import Request, urlopen

        def ask(messages):
            data = json.dumps({"model": "deepseek-chat", "messages": messages}).encode()
            return urlopen(Request("https://api.deepseek.com/chat/completions", data=data, method="POST"))

        def status():
            data = json.dumps({"query": "health"}).encode()
            return urlopen(Request("https://api.deepseek.com/status", data=data, method="POST"))
    """})
    assert [(p.line, targets(p)) for p in result.paths] == [(6, {("deepseek", "deepseek-chat")})]


def test_a_known_base_url_outranks_run_time_settings_when_the_compositions_exceed_the_budget(scan_files):
    """A base URL that is one of many settings (each read at run time) or a known constant, joined with one of
    several paths: more compositions than the solver keeps. The known host must be among those kept."""
    settings = "\n".join(f'            elif kind == "{name}":\n                url = store.{name}_url' for name in "bcdefg")
    result = scan_files({"app/send.py": f"""
        import requests
        from app.store import store

        OPENAI_BASE_URL = "https://api.openai.com"

        def base(kind):
            url = ""
            if kind == "a":
                url = store.a_url
{settings}
            if not url:
                url = OPENAI_BASE_URL
            return url

        def ask(kind, path):
            return requests.post(base(kind) + "/" + path, json={{"model": "gpt-4o", "messages": []}})

        for path in ("v1/chat/completions", "v1/completions", "v1/embeddings", "v1/responses"):
            ask("a", path)
    """})
    assert [path.providers for path in result.paths] == [["openai"]]


def test_a_file_that_posts_to_a_url_it_is_given_is_read_though_it_names_no_host(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/endpoints.py": 'CHAT = "https://api.deepseek.com/v1/chat/completions"\n',
        "app/bridge.py": """
            import requests
            from app import endpoints

            def ask(body):
                return requests.post(endpoints.CHAT, json=body)

            def fetch_page(url):
                return requests.get(url)
        """,
    })
    assert [(p.file, p.line, sorted(targets(p))) for p in result.paths] == [
        ("app/bridge.py", 5, [("deepseek", None)]),
    ]


def test_a_request_that_sends_nothing_asks_no_model_off_the_model_api_paths(scan_files):
    result = scan_files({"app/replicate_api.py": """
        import requests

        HOST = "https://api.replicate.com/v1"

        def collections(headers):
            return requests.get(f"{HOST}/collections", headers=headers)

        def predict(headers, prompt):
            return requests.post(f"{HOST}/predictions", headers=headers, json={"input": {"prompt": prompt}})
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [(9, [("replicate", None)])]
