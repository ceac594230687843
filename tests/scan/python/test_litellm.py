"""LiteLLM: provider from the model id, fallbacks=, and the Router."""

from tests.scan.conftest import only, targets


def test_completion_provider_comes_from_the_model_id(scan_files):
    result = scan_files({"app/llm.py": """
        import litellm
        from litellm import acompletion, embedding
        litellm.completion(model="anthropic/claude-3-5-sonnet-20241022", messages=[])
        async def f():
            await acompletion(model="deepseek/deepseek-chat", messages=[])
        embedding(model="text-embedding-3-small", input=["a"])
    """})
    assert [sorted(targets(p)) for p in result.paths] == [
        [("anthropic", "anthropic/claude-3-5-sonnet-20241022")],
        [("deepseek", "deepseek/deepseek-chat")],
        [("openai", "text-embedding-3-small")],
    ]
    assert result.paths[1].is_async and result.paths[2].operation_kind == "embedding"


def test_fallbacks_argument(scan_files):
    path = only(scan_files({"app/llm.py": """
        from litellm import completion
        def answer(q):
            return completion(model="gpt-4o", messages=[],
                              fallbacks=["ollama/qwen2.5:7b", {"model": "groq/llama-3.1-8b-instant"}])
    """}))
    assert {(t.provider, t.model) for t in path.fallbacks} == {
        ("ollama", "ollama/qwen2.5:7b"), ("groq", "groq/llama-3.1-8b-instant")}
    assert "fallbacks" in path.fallback_why


def test_router_deployments_and_fallbacks(scan_files):
    path = only(scan_files({"app/router.py": """
        from litellm import Router
        MODEL_LIST = [
            {"model_name": "smart", "litellm_params": {"model": "anthropic/claude-3-5-sonnet-20241022"}},
            {"model_name": "smart", "litellm_params": {"model": "azure/gpt-4o", "api_base": "https://acme.openai.azure.com"}},
            {"model_name": "local", "litellm_params": {"model": "openai/Qwen/Qwen3-32B", "api_base": "http://vllm.internal:8000/v1"}},
        ]
        router = Router(model_list=MODEL_LIST, fallbacks=[{"smart": ["local"]}])
        async def ask(q):
            return await router.acompletion(model="smart", messages=[{"role": "user", "content": q}])
    """}))
    assert path.operation == "Router.acompletion"
    assert targets(path) == {
        ("anthropic", "anthropic/claude-3-5-sonnet-20241022"), ("azure-openai", "azure/gpt-4o")}
    # vllm.internal is a private name; port 8000 is vLLM's default
    assert [(t.provider, t.model) for t in path.fallbacks] == [("vllm", "openai/Qwen/Qwen3-32B")]


def test_router_imported_from_another_module(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/routing.py": """
            from litellm import Router
            FAST = {"model_name": "fast", "litellm_params": {"model": "groq/llama-3.1-8b-instant"}}
            router = Router(model_list=[FAST])
        """,
        "app/handlers.py": """
            from app.routing import router
            def handle(q):
                return router.completion(model="fast", messages=[])
        """,
    })
    path = only(result)
    assert (path.file, targets(path)) == ("app/handlers.py", {("groq", "groq/llama-3.1-8b-instant")})
