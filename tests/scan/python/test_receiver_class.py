"""A base class's field set from its constructor's parameter, read through an instance of one subclass: that
subclass's own client, not the union of every subclass's."""

from tests.scan.conftest import targets

BASE = """
    class Provider:
        def __init__(self, client):
            self.client = client
"""


def subclass(name: str, base_url: str, model: str) -> str:
    return f"""
        from openai import OpenAI
        from app.base import Provider

        class {name}(Provider):
            def __init__(self):
                super().__init__(OpenAI(base_url="{base_url}"))

            def run(self, messages):
                return self.client.chat.completions.create(model="{model}", messages=messages)
    """


def test_each_subclass_reaches_the_provider_of_the_client_it_passes_to_super(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/base.py": BASE,
        "app/groq.py": subclass("Groq", "https://api.groq.com/openai/v1", "llama-3.3-70b-versatile"),
        "app/mistral.py": subclass("Mistral", "https://api.mistral.ai/v1", "mistral-large-latest"),
    })
    assert {p.file: targets(p) for p in result.paths} == {
        "app/groq.py": {("groq", "llama-3.3-70b-versatile")},
        "app/mistral.py": {("mistral", "mistral-large-latest")},
    }


def test_a_method_of_the_base_itself_serves_every_subclass(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/base.py": """
            import openai  # noqa: F401  (the file mentions the SDK it drives)

            class Provider:
                def __init__(self, client):
                    self.client = client

                def run(self, messages):
                    return self.client.chat.completions.create(model="m", messages=messages)
        """,
        "app/groq.py": subclass("Groq", "https://api.groq.com/openai/v1", "a"),
        "app/mistral.py": subclass("Mistral", "https://api.mistral.ai/v1", "b"),
    })
    base = next(p for p in result.paths if p.file == "app/base.py")
    assert {t.provider for t in base.targets} == {"groq", "mistral"}


def test_a_method_of_the_base_reaches_only_the_clients_whose_sdk_has_its_operation(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/base.py": """
            import openai  # noqa: F401

            class Provider:
                def __init__(self, client):
                    self.client = client

                def run(self, messages):
                    return self.client.chat.completions.create(model="m", messages=messages)
        """,
        "app/claude.py": """
            from anthropic import Anthropic
            from app.base import Provider

            class Claude(Provider):
                def __init__(self):
                    super().__init__(Anthropic())
        """,
        "app/groq.py": subclass("Groq", "https://api.groq.com/openai/v1", "a"),
    })
    base = next(p for p in result.paths if p.file == "app/base.py")
    assert {t.provider for t in base.targets} == {"groq"}


CONFIGS = {
    "app/__init__.py": "",
    "app/configs.py": """
        class BaseConfig:
            def __init__(self, model=None):
                self.model = model

        class BedrockConfig(BaseConfig):
            def __init__(self, model=None):
                super().__init__(model=model or "anthropic.claude-3-5-sonnet-20240620-v1:0")
    """,
}


def test_an_instance_built_from_the_base_class_does_not_take_what_a_subclass_passes_to_super(scan_files):
    result = scan_files({**CONFIGS, "app/llm.py": """
        from groq import Groq
        from app.configs import BaseConfig

        config = BaseConfig()

        def run(messages):
            return Groq().chat.completions.create(model=config.model, messages=messages)
    """})
    (path,) = result.paths
    assert [t.model for t in path.targets] == [None]


def test_an_instance_built_from_the_subclass_takes_what_it_passes_to_super(scan_files):
    result = scan_files({**CONFIGS, "app/llm.py": """
        import boto3
        from app.configs import BedrockConfig

        config = BedrockConfig()

        def run(messages):
            return boto3.client("bedrock-runtime").converse(modelId=config.model, messages=messages)
    """})
    (path,) = result.paths
    assert [t.model for t in path.targets] == ["anthropic.claude-3-5-sonnet-20240620-v1:0"]


TEMPLATE_BASE = """
    class Chat:
        def make_client(self):
            raise NotImplementedError

        def send(self, client, messages):
            raise NotImplementedError

        def invoke(self, messages):
            client = self.make_client()
            return self.send(client, messages)
"""


def test_an_override_called_by_the_base_template_method_gets_the_client_the_subclass_makes(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/base.py": TEMPLATE_BASE,
        "app/chats.py": """
            from openai import AzureOpenAI, OpenAI
            from app.base import Chat

            class DeepSeek(Chat):
                def make_client(self):
                    return OpenAI(base_url="https://api.deepseek.com/v1")

                def send(self, client, messages):
                    return client.chat.completions.create(model="deepseek-chat", messages=messages)

            class Azure(Chat):
                def make_client(self):
                    return AzureOpenAI(azure_endpoint="https://x.openai.azure.com")

                def send(self, client, messages):
                    return client.chat.completions.create(model="gpt-4o", messages=messages)
        """,
    })
    assert {p.line: targets(p) for p in result.paths} == {
        9: {("deepseek", "deepseek-chat")},
        16: {("azure-openai", "gpt-4o")},
    }


def test_a_method_of_an_unrelated_class_with_the_same_name_passes_nothing(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/base.py": TEMPLATE_BASE,
        "app/chats.py": """
            from openai import OpenAI

            class Other:
                def make_client(self):
                    return OpenAI(base_url="https://api.deepseek.com/v1")

                def send(self, client, messages):
                    return client.chat.completions.create(model="deepseek-chat", messages=messages)
        """,
    })
    assert [t.provider for p in result.paths for t in p.targets] == [None]
