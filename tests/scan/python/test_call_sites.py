"""What a product helper returns is read as each call of it sees it: its parameters hold what that call passes."""

from tests.scan.conftest import targets

UTIL = """
    import os

    def get_environment(config, value, env, error_msg):
        if value in config:
            token = config[value].value
        else:
            token = os.environ.get(env)
        if not token:
            raise Exception(error_msg)
        return token
"""


def test_a_helper_returns_what_each_call_asks_for(scan_files):
    result = scan_files({
        "app/util.py": UTIL,
        "app/embedders.py": """
            import io
            import json
            import aiohttp
            from app.util import get_environment

            class UpstageEmbedder:
                async def vectorize(self, config, content):
                    base_url = get_environment(config, "URL", "UPSTAGE_BASE_URL", "No Upstage URL")
                    payload = io.BytesIO(json.dumps({"input": content, "model": "embedding-query"}).encode("utf-8"))
                    async with aiohttp.ClientSession() as session:
                        async with session.post(f"{base_url}/embeddings", data=payload) as response:
                            return await response.json()

            class OpenAIEmbedder:
                async def vectorize(self, config, content):
                    base_url = get_environment(config, "URL", "OPENAI_BASE_URL", "No OpenAI URL")
                    async with aiohttp.ClientSession() as session:
                        async with session.post(f"{base_url}/embeddings",
                                                json={"input": content, "model": "text-embedding-3-small"}) as response:
                            return await response.json()
        """,
    })
    # each request's server is the one its own call names (UPSTAGE_BASE_URL, OPENAI_BASE_URL), not every caller's;
    # the other option, the caller's config, stays unknown
    assert [(p.line, {t.provider for t in p.targets}, p.models) for p in result.paths] == [
        (11, {None, "upstage"}, ["embedding-query"]),
        (18, {None, "openai"}, ["text-embedding-3-small"]),
    ]


def test_a_body_wrapped_in_a_byte_stream_is_still_read(scan_files):
    result = scan_files({
        "app/util.py": UTIL,
        "app/search.py": """
            import io
            import json
            import aiohttp
            from app.util import get_environment

            async def embed(config, content):
                base_url = get_environment(config, "URL", "SEARCH_SERVICE_URL", "No URL")
                payload = io.BytesIO(json.dumps({"texts": content}).encode("utf-8"))  # names no model
                async with aiohttp.ClientSession() as session:
                    async with session.post(f"{base_url}/embeddings", data=payload) as response:
                        return await response.json()
        """,
    })
    # /embeddings on a server nothing names, with a body that names no model: another web API's
    assert result.paths == []


def test_a_helper_called_without_an_argument_takes_its_default(scan_files):
    result = scan_files({"app/llm.py": """
        from openai import OpenAI

        def client_for(base_url="https://api.deepseek.com/v1", key=None):
            return OpenAI(base_url=base_url, api_key=key)

        def ask(messages):
            moonshot = client_for("https://api.moonshot.cn/v1")
            moonshot.chat.completions.create(model="kimi-k2", messages=messages)
            return client_for(key="k").chat.completions.create(model="deepseek-chat", messages=messages)
    """})
    assert [(p.line, targets(p)) for p in result.paths] == [
        (8, {("moonshot", "kimi-k2")}),
        (9, {("deepseek", "deepseek-chat")}),
    ]
