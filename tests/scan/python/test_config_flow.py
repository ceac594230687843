"""Settings objects filled at run time: fields set by name from a mapping of defaults (``setattr`` in a loop,
``__dict__.update``), fields unpacked from a tuple, and env variables whose name a caller passes."""

from tests.scan.conftest import only, targets

DEFAULTS = """
    DEFAULTS = {
        "FAST_LLM": "openai:gpt-4o-mini",
        "SMART_LLM": "openai:gpt-4.1",
        "TEMPERATURE": 0.4,
    }
"""

SETTINGS = """
    import os
    from .defaults import DEFAULTS


    class Settings:
        def __init__(self, path=None):
            self._apply(self.load(path))
            self.smart_provider, self.smart_model = self.parse(self.smart_llm)

        @classmethod
        def load(cls, path):
            return DEFAULTS if not path else DEFAULTS.copy()

        def _apply(self, values):
            for key, value in values.items():
                if os.getenv(key) is not None:
                    value = os.getenv(key)
                setattr(self, {name}, value)

        @staticmethod
        def parse(text):
            provider, model = text.split(":", 1)
            return provider, model
"""

CHAT = """
    from openai import OpenAI
    from app.config.settings import Settings

    settings = Settings()

    def ask(messages):
        return OpenAI().chat.completions.create(model=settings.smart_model, messages=messages)
"""


def _settings_tree(name_expression: str) -> dict[str, str]:
    return {
        "app/__init__.py": "",
        "app/config/__init__.py": "",
        "app/config/defaults.py": DEFAULTS,
        "app/config/settings.py": SETTINGS.replace("{name}", name_expression),
        "app/chat.py": CHAT,
    }


def test_fields_set_by_name_from_a_mapping_of_defaults_hold_their_defaults(scan_files):
    path = only(scan_files(_settings_tree("key.lower()")))
    assert path.models[0] == "gpt-4.1"
    assert path.providers == ["openai"]
    assert "a piece of SMART_LLM = 'openai:gpt-4.1'" in path.targets[0].model_why


def test_fields_set_under_names_not_made_from_the_key_stay_unknown(scan_files):
    path = only(scan_files(_settings_tree('"x_" + key')))
    assert path.models == []
    assert path.targets[0].unresolved


def test_a_dict_update_of_the_instance_sets_a_field_per_key(scan_files):
    path = only(scan_files({"app/chat.py": """
        from anthropic import Anthropic

        class Options:
            def __init__(self):
                self.__dict__.update({"model": "claude-sonnet-4-5", "max_tokens": 512})

        options = Options()
        Anthropic().messages.create(model=options.model, max_tokens=options.max_tokens, messages=[])
    """}))
    assert targets(path) == {("anthropic", "claude-sonnet-4-5")}


def test_fields_unpacked_from_a_method_result_take_their_items(scan_files):
    path = only(scan_files({"app/chat.py": """
        from openai import OpenAI

        class Bot:
            def __init__(self):
                self.provider, self.model = self.pick()

            def pick(self):
                return "openai", "o4-mini"

            def reply(self, messages):
                return OpenAI().chat.completions.create(model=self.model, messages=messages)
    """}))
    assert targets(path) == {("openai", "o4-mini")}


ENV_HELPER = """
    import os

    def from_env(config, key, env):
        if key in config:
            return config[key]
        return os.environ.get(env)
"""


def test_an_env_variable_named_by_the_callers_of_a_helper_reads_each_name(scan_files):
    result = scan_files({
        ".env": "GROQ_BASE_URL=https://api.groq.com/openai/v1\n",
        "app/__init__.py": "",
        "app/util.py": ENV_HELPER,
        "app/chat.py": """
            from openai import OpenAI
            from app.util import from_env

            def ask(config, messages):
                client = OpenAI(base_url=from_env(config, "url", "GROQ_BASE_URL"))
                return client.chat.completions.create(model="llama-3.3-70b-versatile", messages=messages)
        """,
    })
    assert "groq" in only(result).providers


def test_an_env_variable_whose_name_is_not_known_says_so(scan_files):
    path = only(scan_files({
        ".env": "GROQ_BASE_URL=https://api.groq.com/openai/v1\n",
        "app/chat.py": """
            import os
            from openai import OpenAI

            def ask(messages, variable):
                client = OpenAI(base_url=os.getenv(variable))
                return client.chat.completions.create(model="llama-3.3-70b-versatile", messages=messages)
        """,
    }))
    assert path.providers == []
    assert "env variable named by parameter 'variable'" in path.targets[0].unresolved


def test_a_class_method_called_on_its_class_takes_what_the_callers_pass(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/provider.py": """
            from langchain_openai import ChatOpenAI

            class Provider:
                def __init__(self, llm):
                    self.llm = llm

                @classmethod
                def from_name(cls, name, **kwargs):
                    return cls(ChatOpenAI(**kwargs))
        """,
        "app/ask.py": """
            from app.provider import Provider

            def get_llm(name, **kwargs):
                return Provider.from_name(name, **kwargs)

            def summarise(text):
                return get_llm("openai", model="gpt-4.1-mini", temperature=0).llm.invoke(text)

            def plan(text):
                return get_llm("openai", model="gpt-4.1").llm.invoke(text)

            def review(text):
                return get_llm("openai", model="gpt-4.1").llm.invoke(text)
        """,
    })
    path = next(p for p in result.paths if p.file == "app/provider.py")
    # the model most call sites pass comes first
    assert path.models == ["gpt-4.1", "gpt-4.1-mini"]


def test_a_method_of_another_class_with_the_same_name_passes_nothing(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/provider.py": """
            from langchain_openai import ChatOpenAI

            class Provider:
                @classmethod
                def from_name(cls, name, **kwargs):
                    return ChatOpenAI(**kwargs)
        """,
        "app/ask.py": """
            from app.provider import Provider

            class Other:
                @classmethod
                def from_name(cls, name, **kwargs):
                    return name

            def plan(text):
                return Other.from_name("openai", model="gpt-4.1")
        """,
    })
    path = next(p for p in result.paths if p.file == "app/provider.py")
    assert path.models == []


def test_a_module_function_assigned_to_a_class_is_a_method_of_it(scan_files):
    result = scan_files({"bots/bot.py": """
        import requests
        from common.config import conf

        class Bot:
            def reply(self, messages):
                body = {"model": conf().get("model") or "deepseek-chat", "messages": messages}
                return self._send(conf().get("api_base", "https://api.deepseek.com"), body)

        def _send(self, base_url, body):
            return requests.post(base_url + "/v1/chat/completions", json=body)

        Bot._send = _send
    """})
    assert targets(only(result)) == {("deepseek", "deepseek-chat")}


def test_a_module_function_not_assigned_to_the_class_keeps_its_first_parameter(scan_files):
    result = scan_files({"bots/bot.py": """
        import requests

        class Bot:
            def reply(self, messages):
                return self._send("https://api.deepseek.com", {"messages": messages})

        def _send(self, base_url, body):
            return requests.post(base_url + "/v1/chat/completions", json=body)

        def _send_to(base_url, body):
            return _send(None, base_url, body)
    """})
    assert only(result).providers == []


DISPATCH = """
    import os
    import requests

    class OpenAIImages:
        def __init__(self, api_base, model):
            self.api_base = api_base
            self.model = model

        def generate(self, prompt):
            return requests.post(f"{self.api_base}/images/generations", json={"model": self.model, "prompt": prompt})

    class DoubaoImages:
        def __init__(self, api_base, model):
            self.api_base = api_base
            self.model = model

        def generate(self, prompt):
            return requests.post(f"{self.api_base}/images/generations", json={"model": self.model, "prompt": prompt})

    def build(model):
        bases = {
            "openai": os.environ.get("OPENAI_API_BASE", "https://api.openai.com/v1"),
            "ark": os.environ.get("ARK_API_BASE", "https://ark.cn-beijing.volces.com/api/v3"),
        }
        factories = {"openai": OpenAIImages, "ark": DoubaoImages}
        return [factories[name](api_base=bases[{key}], model=model) for name in bases]

    build("gpt-image-1")
"""


def test_classes_called_through_a_mapping_take_the_arguments_read_at_their_key(scan_files):
    result = scan_files({"app/images.py": DISPATCH.replace("{key}", "name")})
    assert [(p.line, p.providers, p.models) for p in result.paths] == [
        (10, ["openai"], ["gpt-image-1"]), (18, ["volcengine"], ["gpt-image-1"])]


def test_arguments_read_at_another_key_are_not_narrowed(scan_files):
    result = scan_files({"app/images.py": DISPATCH.replace("{key}", "model")})
    assert [p.providers for p in result.paths] == [[], []]


def test_python_decouple_config_reads_the_environment_like_os_getenv(scan_files):
    result = scan_files({
        ".env": "LLM_BASE_URL=https://api.groq.com/openai/v1\n",
        "app/llm.py": """
            from decouple import config
            from openai import OpenAI

            client = OpenAI(base_url=config("LLM_BASE_URL"))
            fallback = OpenAI(base_url=config("OTHER_BASE_URL", default="https://api.deepseek.com/v1"))

            def ask(messages):
                client.chat.completions.create(model="llama-3.3-70b-versatile", messages=messages)
                fallback.chat.completions.create(model="deepseek-chat", messages=messages)
        """,
    })
    assert [targets(p) for p in result.paths] == [
        {("groq", "llama-3.3-70b-versatile")},
        {("deepseek", "deepseek-chat")},
    ]


def test_a_product_function_named_config_is_not_an_env_lookup(scan_files):
    path = only(scan_files({
        "app/__init__.py": "",
        "app/settings.py": """
            def config(key, default=""):
                return SETTINGS[key]
        """,
        "app/llm.py": """
            from openai import OpenAI
            from app.settings import config

            client = OpenAI(base_url=config("LLM_BASE_URL", default="https://api.groq.com/openai/v1"))

            def ask(messages):
                client.chat.completions.create(model="llama-3.3-70b-versatile", messages=messages)
        """,
        ".env": "LLM_BASE_URL=https://api.deepseek.com/v1\n",
    }))
    assert "deepseek" not in {t.provider for t in path.targets}
