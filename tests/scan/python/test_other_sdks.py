"""mistralai, cohere, groq, together and ollama."""

from tests.scan.conftest import only, targets


def test_mistral_cohere_groq_together(scan_files):
    result = scan_files({"app/vendors.py": """
        from mistralai import Mistral
        import cohere
        from groq import Groq
        from together import Together
        mistral = Mistral(api_key="x")
        co = cohere.ClientV2()
        groq = Groq()
        together = Together()
        mistral.chat.complete(model="mistral-large-latest", messages=[])
        mistral.embeddings.create(model="mistral-embed", inputs=["a"])
        co.chat(model="command-r-plus", messages=[])
        co.embed(model="embed-english-v3.0", texts=["a"], input_type="search_document")
        groq.chat.completions.create(model="llama-3.1-8b-instant", messages=[])
        together.chat.completions.create(model="meta-llama/Llama-3.3-70B-Instruct-Turbo", messages=[])
    """})
    assert [(p.sdk, p.operation_kind, *tuple(sorted(targets(p)))) for p in result.paths] == [
        ("mistralai", "chat", ("mistral", "mistral-large-latest")),
        ("mistralai", "embedding", ("mistral", "mistral-embed")),
        ("cohere", "chat", ("cohere", "command-r-plus")),
        ("cohere", "embedding", ("cohere", "embed-english-v3.0")),
        ("groq", "chat", ("groq", "llama-3.1-8b-instant")),
        ("together", "chat", ("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo")),
    ]


def test_ollama_module_functions_and_remote_client(scan_files):
    result = scan_files({"app/local.py": """
        import ollama
        from ollama import Client
        ollama.chat("llama3.1:8b", messages=[])
        ollama.embed(model="nomic-embed-text", input="x")
        remote = Client(host="http://10.0.0.7:11434")
        remote.generate(model="qwen2.5:7b", prompt="hi")
    """})
    assert [targets(p) for p in result.paths] == [
        {("ollama", "llama3.1:8b")}, {("ollama", "nomic-embed-text")}, {("ollama", "qwen2.5:7b")},
    ]
    assert "10.0.0.7" in result.paths[2].targets[0].provider_why


def test_dashscope_takes_its_model_from_the_first_positional_argument(scan_files):
    result = scan_files({"app/qwen.py": """
        import dashscope

        class Bot:
            def __init__(self):
                self.client = dashscope.Generation

            def reply(self, messages):
                self.client.call("qwen-plus", messages=messages, result_format="message")
                dashscope.MultiModalConversation.call(model="qwen-vl-max", messages=messages)
                dashscope.Application.call(app_id="abc", prompt="hi")
    """})
    assert [targets(p) for p in result.paths] == [
        {("dashscope", "qwen-plus")}, {("dashscope", "qwen-vl-max")}, {("dashscope", None)},
    ]


def test_xinference_model_handle_is_asked_where_it_sends(scan_files):
    result = scan_files({"app/xinference_chat.py": """
        from xinference_client.client.restful.restful_client import Client, RESTfulChatModelHandle

        class Chat:
            def __init__(self, config):
                self.client = Client(base_url=config["base_url"])

            def ask(self, prompt, **kwargs):
                model_uid = kwargs.get("model_uid") or "qwen2.5-instruct"
                model = self.client.get_model(model_uid)
                if isinstance(model, RESTfulChatModelHandle):
                    return model.chat(prompt)
                return None

            def models(self):
                return self.client.list_models()  # the server's catalogue: asks no model
    """})
    # get_model only looks the model up; its handle's chat() sends the request
    assert [(p.line, p.sdk, p.operation, targets(p)) for p in result.paths] == [
        (11, "xinference", "chat", {("xinference", "qwen2.5-instruct")})]


def test_replicate_runs_a_model_by_its_reference_from_the_module_or_a_client(scan_files):
    result = scan_files({"app/rep.py": """
        import replicate

        def ask(prompt, version):
            replicate.run("meta/meta-llama-3-70b-instruct", input={"prompt": prompt})
            client = replicate.Client(api_token="t")
            for event in client.stream("meta/meta-llama-3-8b-instruct", input={"prompt": prompt}):
                print(event)
            replicate.models.get("meta/meta-llama-3-8b-instruct")
            replicate.predictions.create(version=version, input={"prompt": prompt})
    """})
    assert [(p.line, p.operation, targets(p)) for p in result.paths] == [
        (4, "run", {("replicate", "meta/meta-llama-3-70b-instruct")}),
        (6, "stream", {("replicate", "meta/meta-llama-3-8b-instruct")}),
        (9, "predictions.create", {("replicate", None)}),
    ]


def test_a_run_method_of_another_object_is_not_replicate(scan_files):
    result = scan_files({"app/jobs.py": """
        import replicate  # noqa: F401
        import subprocess

        def build():
            subprocess.run(["make"])
    """})
    assert result.paths == []


def test_llama_cpp_answers_in_the_process_on_a_self_hosted_model(scan_files):
    result = scan_files({"app/local.py": """
        from llama_cpp import Llama

        class Local:
            def __init__(self, path):
                self.model = Llama(model_path=path, n_ctx=4096)

            def ask(self, messages):
                self.model.tokenize(b"count me")
                return self.model.create_chat_completion(messages=messages)
    """})
    path = only(result)
    assert (path.line, path.sdk, [t.provider for t in path.targets]) == (9, "llama-cpp-python", ["llama-cpp"])


def test_palm_embeddings_of_the_legacy_google_sdk(scan_files):
    path = only(scan_files({"app/palm.py": """
        import google.generativeai as palm

        def embed(text):
            return palm.generate_embeddings(model="models/embedding-gecko-001", text=text)
    """}))
    assert (path.operation_kind, targets(path)) == ("embedding", {("google", "models/embedding-gecko-001")})


def test_huggingface_inference_client_takes_the_model_of_the_call_or_of_the_client(scan_files):
    result = scan_files({"app/hf.py": """
        import os
        from huggingface_hub import AsyncInferenceClient, InferenceClient

        bound = InferenceClient("meta-llama/Llama-3.1-8B-Instruct", token=os.environ["HF_TOKEN"])
        bound.chat_completion([{"role": "user", "content": "hi"}], max_tokens=10)
        bound.text_generation("hi", model="mistralai/Mistral-7B-Instruct-v0.3")
        free = AsyncInferenceClient()
        free.chat.completions.create(model="Qwen/Qwen2.5-72B-Instruct", messages=[])
        free.feature_extraction("hi")
        local = InferenceClient(model="http://tgi.internal")
        local.text_generation("hi")
        served = InferenceClient(base_url="https://api.deepseek.com/v1")
        served.chat_completion([], model="deepseek-chat")
        bound.list_deployed_models()
    """})
    assert [(p.line, p.operation, p.operation_kind, targets(p)) for p in result.paths] == [
        (5, "chat_completion", "chat", {("huggingface", "meta-llama/Llama-3.1-8B-Instruct")}),
        (6, "text_generation", "completion", {("huggingface", "mistralai/Mistral-7B-Instruct-v0.3")}),
        (8, "chat.completions.create", "chat", {("huggingface", "Qwen/Qwen2.5-72B-Instruct")}),
        (9, "feature_extraction", "embedding", {("huggingface", None)}),
        (11, "text_generation", "completion", {("self-hosted", None)}),
        (13, "chat_completion", "chat", {("deepseek", "deepseek-chat")}),
    ]


def test_huggingface_hub_imported_to_fetch_weights_is_not_an_inference_sdk(scan_files):
    result = scan_files({
        "app/download.py": """
            from huggingface_hub import snapshot_download
            snapshot_download("meta-llama/Llama-3.1-8B-Instruct", local_dir="weights")
        """,
        "app/serve.py": """
            import os
            from huggingface_hub import InferenceClient
            client = InferenceClient(base_url=os.environ["TGI_URL"])
            client.text_generation("hi")
            def ask(remote):  # a client the scan cannot see, asked like one
                return remote.text_generation("hi", model="meta-llama/Llama-3.1-8B-Instruct")
            def keep(remote):
                return remote.text_generation("hi", model="HuggingFaceH4/zephyr-7b-beta")
        """,
        "app/other.py": """
            from huggingface_hub import hf_hub_download
            def ask(remote):
                return remote.text_generation("hi", model="meta-llama/Llama-3.1-8B-Instruct")
        """,
    })
    assert [(p.file, p.line, targets(p)) for p in result.paths] == [
        ("app/serve.py", 4, {("tgi", None)}),  # TGI_URL is named for it
        # a client it cannot see may be pointed at any server: the provider stays unknown
        ("app/serve.py", 6, {(None, "meta-llama/Llama-3.1-8B-Instruct")}),
        ("app/serve.py", 8, {(None, "HuggingFaceH4/zephyr-7b-beta")}),
    ]
    assert [u.sdk for u in result.uncovered_sdks] == []


def test_cerebras_and_llama_api_clients(scan_files):
    result = scan_files({"app/fast.py": """
        from cerebras.cloud.sdk import Cerebras
        from llama_api_client import AsyncLlamaAPIClient
        Cerebras().chat.completions.create(model="llama3.1-8b", messages=[])
        async def ask():
            return await AsyncLlamaAPIClient().chat.completions.create(model="Llama-4-Scout", messages=[])
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [
        (3, [("cerebras", "llama3.1-8b")]), (5, [("meta-llama-api", "Llama-4-Scout")])]
