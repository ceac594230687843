"""A product class that extends an SDK class is that SDK's client: its inherited and overridden operations send."""

from tests.scan.conftest import targets


def test_operations_of_a_subclassed_sdk_class_in_the_same_module(scan_files):
    result = scan_files({"app/llm.py": """
        from dashscope.aigc.generation import Generation
        from zhipuai import ZhipuAI

        class AsyncGeneration(Generation):
            @classmethod
            async def acall(cls, model, messages=None, **kwargs):  # overrides the SDK's: still its request
                return await cls.prepare(model, messages)

            @classmethod
            async def prepare(cls, model, messages):
                return model

        class Glm(ZhipuAI):
            def endpoint(self):
                return "/paas/v4/chat/completions"

        class Llm:
            def __init__(self, config):
                self.generation = AsyncGeneration
                self.glm = Glm(api_key=config.key)

            def complete(self, messages):
                return self.generation.call(model="qwen-plus", messages=messages)

            async def acomplete(self, messages):
                await self.generation.prepare("qwen-plus", messages)  # the product's own method: sends nothing
                self.glm.endpoint()
                return await self.generation.acall(model="qwen-max", messages=messages)

            def chat(self, messages):
                return self.glm.chat.completions.create(model="glm-4", messages=messages)
    """})
    assert [(p.line, p.sdk, p.operation_kind, targets(p)) for p in result.paths] == [
        (23, "dashscope", "chat", {("dashscope", "qwen-plus")}),
        (28, "dashscope", "chat", {("dashscope", "qwen-max")}),
        (31, "zhipuai", "chat", {("zhipu", "glm-4")}),
    ]


def test_an_sdk_subclass_built_in_another_module_is_its_client(scan_files):
    result = scan_files({
        "app/api.py": """
            from zhipuai import ZhipuAI

            class GlmApi(ZhipuAI):
                async def acreate(self, **kwargs):
                    return kwargs

            class Settings(ZhipuAI):  # its own constructor: not the SDK's client
                def __init__(self, values):
                    self.values = values
        """,
        "app/store.py": """
            class Store:  # a look-alike: a product class that extends no SDK
                def __init__(self, url):
                    self.url = url
        """,
        "app/llm.py": """
            from app.api import GlmApi, Settings
            from app.store import Store

            class Llm:
                def __init__(self, config):
                    self.llm = GlmApi(api_key=config.key)
                    self.store = Store(config.url)
                    self.settings = Settings(config)

                def complete(self, messages):
                    self.store.chat.completions.create(model="glm-4", messages=messages)
                    self.settings.chat.completions.create(model="glm-4", messages=messages)
                    return self.llm.chat.completions.create(model="glm-4", messages=messages)

                async def acomplete(self, messages):
                    return await self.llm.acreate(model="glm-4", messages=messages)
        """,
    })
    assert [(p.file, p.line, p.sdk, targets(p)) for p in result.paths] == [
        ("app/llm.py", 13, "zhipuai", {("zhipu", "glm-4")})]
    assert "a subclass of zhipuai.ZhipuAI" in result.paths[0].targets[0].provider_why


def test_a_subclass_of_a_framework_model_class_built_in_another_module_is_a_path(scan_files):
    """A patched LlamaIndex model class (``class PatchedOpenAI(OpenAI)``) is built where the product builds it;
    a subclass of one of the framework's own types is not a model."""
    result = scan_files({
        "app/llms/patched.py": """
            from llama_index.core.base.llms.types import ChatResponse
            from llama_index.llms.anthropic import Anthropic


            class PatchedAnthropic(Anthropic):
                def _prepare(self, messages):
                    return messages


            class Reply(ChatResponse):
                pass
        """,
        "app/factory.py": """
            from app.llms.patched import PatchedAnthropic, Reply


            def make(settings):
                Reply(message=None)
                return PatchedAnthropic(model="claude-sonnet-4-5", max_tokens=1024)
        """,
    })
    assert [(p.file, p.line, sorted(targets(p))) for p in result.paths] == [
        ("app/factory.py", 6, [("anthropic", "claude-sonnet-4-5")])]
