"""The openai SDK: every client, resource and call style, and what is not an inference path."""

from tests.scan.conftest import only, targets


def test_client_chat_completion_with_literal_model(scan_files):
    path = only(scan_files({"app/chat.py": """
        from openai import OpenAI
        client = OpenAI()
        def reply(text):
            return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": text}])
    """}))
    assert (path.file, path.line, path.sdk, path.operation) == ("app/chat.py", 4, "openai", "chat.completions.create")
    assert path.operation_kind == "chat"
    assert targets(path) == {("openai", "gpt-4o")}
    assert path.function == "reply"


def test_aliased_module_async_client_and_streaming(scan_files):
    path = only(scan_files({"app/stream.py": """
        import openai as oa
        aclient = oa.AsyncOpenAI()
        async def stream(messages):
            return await aclient.chat.completions.create(model="gpt-4o-mini", messages=messages, stream=True)
    """}))
    assert path.is_async and path.streaming
    assert targets(path) == {("openai", "gpt-4o-mini")}


def test_azure_client_reaches_azure_openai(scan_files):
    path = only(scan_files({"app/azure.py": """
        from openai import AzureOpenAI
        client = AzureOpenAI(azure_endpoint="https://acme.openai.azure.com", api_version="2024-06-01")
        client.chat.completions.create(model="gpt-4o", messages=[])
    """}))
    assert path.providers == ["azure-openai"]


def test_every_resource_has_its_operation_kind(scan_files):
    result = scan_files({"app/all.py": """
        from openai import OpenAI
        c = OpenAI()
        c.responses.create(model="gpt-4.1", input="hi")
        c.embeddings.create(model="text-embedding-3-small", input=["a"])
        c.images.generate(model="dall-e-3", prompt="a cat")
        c.audio.transcriptions.create(model="whisper-1", file=open("a.mp3", "rb"))
        c.audio.speech.create(model="tts-1", voice="alloy", input="hi")
        c.moderations.create(model="omni-moderation-latest", input="hi")
        c.beta.assistants.create(model="gpt-4o", instructions="help")
        c.beta.threads.runs.create(thread_id="t", assistant_id="a")
        c.batches.create(input_file_id="f", endpoint="/v1/chat/completions", completion_window="24h")
        c.beta.chat.completions.parse(model="gpt-4o", messages=[], response_format=dict)
        c.with_options(timeout=5).chat.completions.create(model="gpt-4o", messages=[])
    """})
    kinds = [(p.line, p.operation_kind) for p in result.paths]
    assert kinds == [(3, "chat"), (4, "embedding"), (5, "image"), (6, "audio"), (7, "audio"), (8, "moderation"),
                     (9, "assistants"), (10, "threads"), (11, "batch"), (12, "chat"), (13, "chat")]
    assert result.paths[-1].operation == "chat.completions.create"  # with_options() is not part of the operation


def test_module_level_client_and_legacy_v0_api(scan_files):
    result = scan_files({"app/legacy.py": """
        import openai
        openai.chat.completions.create(model="gpt-4o", messages=[])
        openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[])
        openai.Embedding.create(model="text-embedding-ada-002", input="x")
    """})
    assert [(p.operation, p.models) for p in result.paths] == [
        ("chat.completions.create", ["gpt-4o"]),
        ("ChatCompletion.create", ["gpt-3.5-turbo"]),
        ("Embedding.create", ["text-embedding-ada-002"]),
    ]


def test_client_held_in_an_attribute_of_self(scan_files):
    path = only(scan_files({"app/service.py": """
        from openai import OpenAI

        class Drafts:
            def __init__(self, model: str = "gpt-4o"):
                self._llm = OpenAI(base_url="https://api.deepseek.com")
                self.model = model

            def draft(self, text):
                return self._llm.chat.completions.create(model=self.model, messages=[])
    """}))
    assert targets(path) == {("deepseek", "gpt-4o")}
    assert path.function == "Drafts.draft"


def test_lookalikes_are_not_paths(scan_files):
    result = scan_files({
        "app/slack.py": """
            from slack_sdk import WebClient
            client = WebClient(token="xoxb")
            client.chat_postMessage(channel="#ops", text="deploy done")
        """,
        "app/twilio_sms.py": """
            from twilio.rest import Client
            client = Client("sid", "token")
            client.messages.create(body="hi", from_="+1", to="+2")
        """,
        "app/shadow.py": """
            import openai
            def f():
                openai = "not the sdk"
                return openai.upper()
            # client.chat.completions.create(model="gpt-4o") in a comment
            DOC = "call openai.chat.completions.create(model='gpt-4o') to answer"
        """,
        "app/no_sdk.py": """
            def handler(openai):
                return openai.chat.completions.create(model="gpt-4o", messages=[])
        """,
    })
    assert result.paths == []


def test_resource_that_is_not_inference_is_ignored(scan_files):
    result = scan_files({"app/admin.py": """
        from openai import OpenAI
        c = OpenAI()
        c.models.list()
        c.files.list()
    """})
    assert result.paths == []
