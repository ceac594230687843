"""Values that cross functions and objects (getters, methods, settings reads, ``**`` spreads) and URLs
composed from parts (``str.format``, ``%``, ``urljoin``): each resolved through the shared resolver."""

import json

from tests.scan.conftest import only, targets


def test_property_getter_is_read_as_the_value_it_returns(scan_files):
    path = only(scan_files({"bots/ds.py": """
        import requests
        from common.config import conf

        DEFAULT_BASE = "https://api.deepseek.com/v1"

        class Bot:
            @property
            def api_base(self):
                url = conf().get("ds_api_base") or DEFAULT_BASE
                return url.rstrip("/")

            def reply(self, messages):
                body = {"model": conf().get("model") or "deepseek-chat", "messages": messages}
                return requests.post(f"{self.api_base}/chat/completions", json=body)
    """}))
    assert targets(path) == {("deepseek", "deepseek-chat")}


def test_a_plain_method_read_without_a_call_is_not_its_return_value(scan_files):
    result = scan_files({"bots/ds.py": """
        import requests

        class Bot:
            def api_base(self):
                return "https://api.deepseek.com/v1"

            def reply(self, messages):
                return requests.post(f"{self.api_base}/status", json={"messages": messages})
    """})
    assert result.paths == []


def test_setting_read_on_an_unseen_object_takes_its_default_then_the_configured_value(scan_files):
    path = only(scan_files({
        "config.json": json.dumps({"summary_model": "gpt-4.1"}),
        "app/summary.py": """
            from openai import OpenAI
            from somewhere_else import settings

            def summarise(text):
                model = settings.get("summary_model", "gpt-4o-mini")
                return OpenAI().chat.completions.create(model=model, messages=[])
        """,
    }))
    assert path.models == ["gpt-4o-mini", "gpt-4.1"]
    assert "default of setting 'summary_model'" in path.targets[0].model_why
    assert "summary_model=gpt-4.1 in config.json" in path.targets[1].model_why


def test_get_on_a_dict_literal_reads_the_dict_not_the_configuration(scan_files):
    path = only(scan_files({
        "config.json": json.dumps({"model": "gpt-4.1"}),
        "app/chat.py": """
            from openai import OpenAI
            DEFAULTS = {"model": "gpt-4o-mini"}
            OpenAI().chat.completions.create(model=DEFAULTS.get("model", "o3"), messages=[])
        """,
    }))
    assert path.models == ["gpt-4o-mini"]


def test_getattr_with_default_on_an_unseen_object_and_on_a_product_instance(scan_files):
    result = scan_files({"app/chat.py": """
        from anthropic import Anthropic
        from elsewhere import options

        class Defaults:
            model = "claude-3-5-haiku-20241022"

        client = Anthropic()
        client.messages.create(model=getattr(options, "model", "claude-sonnet-4-5"), max_tokens=5, messages=[])
        client.messages.create(model=getattr(Defaults(), "model", "claude-opus-4-1"), max_tokens=5, messages=[])
    """})
    assert [p.models for p in result.paths] == [["claude-sonnet-4-5"], ["claude-3-5-haiku-20241022"]]


def test_method_return_value_spread_into_an_sdk_call(scan_files):
    path = only(scan_files({"llm/service.py": """
        import os
        from openai import OpenAI

        class Service:
            def __init__(self, model=None):
                self.model = model or os.getenv("CHAT_MODEL", "gpt-5")
                self._client = OpenAI()

            def _payload(self, messages):
                payload = {"model": self.model, "messages": messages}
                return payload

            def send(self, messages):
                return self._client.chat.completions.create(**self._payload(messages), stream=False)
    """}))
    assert targets(path) == {("openai", "gpt-5")}
    assert "CHAT_MODEL" in path.targets[0].model_why


def test_spread_of_a_mapping_without_a_model_leaves_the_model_unknown(scan_files):
    path = only(scan_files({"llm/service.py": """
        from openai import OpenAI

        class Service:
            def _payload(self, messages):
                return {"messages": messages}

            def send(self, messages):
                return OpenAI().chat.completions.create(**self._payload(messages))
    """}))
    assert path.models == []


def test_a_mapping_made_elsewhere_spread_into_a_dict_literal_lends_its_keys(scan_files):
    result = scan_files({"bots/chat.py": """
        import openai
        from bots.settings import DEFAULTS

        class Bot:
            default_options = {"model": "gpt-4o-mini"}
            extra_headers = {"x-trace": "on"}

            def ask(self, query, **options):
                kwargs = {**self.default_options, **options}
                return openai.OpenAI().chat.completions.create(messages=[query], **kwargs)

            def ask_module_defaults(self, query):
                kwargs = {**DEFAULTS, "stream": True}
                return openai.OpenAI().chat.completions.create(messages=[query], **kwargs)

            def ask_without_model(self, query):
                kwargs = {**self.extra_headers, "stream": True}
                return openai.OpenAI().chat.completions.create(messages=[query], **kwargs)
    """, "bots/settings.py": """
        DEFAULTS = {"model": "gpt-4.1-mini", "temperature": 0.2}
    """})
    assert [p.models for p in result.paths] == [["gpt-4o-mini"], ["gpt-4.1-mini"], []]


def test_a_key_popped_from_a_mapping_is_its_value(scan_files):
    result = scan_files({"bots/ark.py": """
        from volcenginesdkarkruntime import Ark

        class Bot:
            default_options = {"model": "doubao-pro-32k"}

            def _data(self, query, **options):
                options = {**self.default_options, **options}
                model = options.pop("model")
                return {"model": model, "messages": [query]}

            def _unnamed(self, query, **options):
                options = {**self.default_options, **options}
                model = options.pop("engine", None)
                return {"model": model, "messages": [query]}

            def ask(self, query):
                return Ark(api_key="k").chat.completions.create(**self._data(query))

            def ask_unnamed(self, query):
                return Ark(api_key="k").chat.completions.create(**self._unnamed(query))
    """})
    assert [p.models for p in result.paths] == [["doubao-pro-32k"], []]


def test_field_inherited_from_a_base_class_in_another_module(scan_files):
    path = only(scan_files({
        "bots/__init__.py": "",
        "bots/base.py": """
            class BaseBot:
                def __init__(self):
                    self.model = "mistral-large-latest"
        """,
        "bots/mistral.py": """
            from mistralai import Mistral
            from bots.base import BaseBot

            class MistralBot(BaseBot):
                def reply(self, messages):
                    return Mistral(api_key="k").chat.complete(model=self.model, messages=messages)
        """,
    }))
    assert targets(path) == {("mistral", "mistral-large-latest")}


def test_urls_composed_with_format_percent_and_urljoin(scan_files):
    result = scan_files({"app/raw.py": """
        import requests
        from urllib.parse import urljoin

        MISTRAL = "https://api.mistral.ai"
        GROQ = "https://api.groq.com/openai/v1"
        OLLAMA = "http://localhost:11434"
        requests.post("{}/v1/chat/completions".format(MISTRAL), json={"model": "mistral-small"})
        requests.post("%s/chat/completions" % GROQ, json={"model": "llama-3.1-8b-instant"})
        requests.post(urljoin(OLLAMA, "/api/chat"), json={"model": "llama3"})
    """})
    assert [(p.line, p.providers) for p in result.paths] == [(7, ["mistral"]), (8, ["groq"]), (9, ["ollama"])]


def test_a_composed_url_to_a_non_model_path_is_not_inference(scan_files):
    result = scan_files({"app/raw.py": """
        import requests
        BASE = "https://status.example.com"
        requests.post("{}/v1/incidents".format(BASE), json={"title": "down"})
        requests.post("%s/report" % BASE, json={"model": "not-a-model-api"})
    """})
    assert result.paths == []


def test_httpx_stream_takes_the_url_from_its_second_argument(scan_files):
    result = scan_files({"app/stream.py": """
        import httpx

        async def ask(messages):
            async with httpx.AsyncClient() as client:
                async with client.stream("POST", "https://api.openai.com/v1/chat/completions",
                                         json={"model": "gpt-4o", "messages": messages}) as response:
                    return response
            async with httpx.AsyncClient() as client:
                async with client.stream("GET", "https://example.com/feed") as response:
                    return response
    """})
    path = only(result)
    assert (path.line, targets(path)) == (5, {("openai", "gpt-4o")})


def test_dict_call_copies_its_base_mapping(scan_files):
    path = only(scan_files({"app/raw.py": """
        import requests
        BASE_ARGS = {"model": "claude-3-5-haiku-20241022", "max_tokens": 5}
        body = dict(BASE_ARGS, messages=[])
        requests.post("https://api.anthropic.com/v1/messages", json=dict(body))
    """}))
    assert targets(path) == {("anthropic", "claude-3-5-haiku-20241022")}


def test_a_wrapper_that_sends_its_url_parameter_reports_what_its_callers_pass(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/http.py": """
            import requests

            def post_json(url, payload):
                return requests.post(url, json=payload, timeout=30)
        """,
        "app/mistral.py": """
            from app.http import post_json
            post_json("https://api.mistral.ai/v1/chat/completions", {"model": "mistral-small-latest"})
        """,
        "app/groq.py": """
            from app import http
            GROQ = "https://api.groq.com/openai/v1"
            http.post_json(f"{GROQ}/chat/completions", {"model": "llama-3.1-8b-instant"})
        """,
    })
    path = only(result)
    assert (path.file, path.line) == ("app/http.py", 4)
    assert set(path.providers) == {"mistral", "groq"}
    assert {"mistral-small-latest", "llama-3.1-8b-instant"} <= set(path.models)
    assert any("passed at app/mistral.py:2" in t.provider_why for t in path.targets)


def test_a_wrapper_whose_callers_send_to_no_model_api_is_not_inference(scan_files):
    result = scan_files({"app/http.py": """
        import requests

        def post_json(url, payload):
            return requests.post(url, json=payload)

        post_json("https://hooks.example.com/v1/notify", {"text": "deployed"})
    """})
    assert result.paths == []


def test_constructor_parameters_take_what_the_callers_pass(scan_files):
    path = only(scan_files({
        "svc/__init__.py": "",
        "svc/chat.py": """
            class ChatService:
                def __init__(self, client, model="gpt-4o-mini"):
                    self.client = client
                    self.model = model

                def ask(self, messages):
                    return self.client.chat.completions.create(model=self.model, messages=messages)
        """,
        "svc/main.py": """
            from openai import OpenAI
            from svc.chat import ChatService
            service = ChatService(OpenAI(base_url="https://api.deepseek.com"), model="deepseek-chat")
        """,
    }))
    assert targets(path) == {("deepseek", "deepseek-chat")}


def test_a_test_that_calls_production_code_does_not_decide_its_parameters(scan_files):
    path = only(scan_files({
        "svc/__init__.py": "",
        "svc/chat.py": """
            from openai import OpenAI

            def ask(model, messages):
                return OpenAI().chat.completions.create(model=model, messages=messages)
        """,
        "tests/test_chat.py": """
            from svc.chat import ask
            ask("gpt-3.5-turbo", [])
        """,
    }))
    assert path.models == []
    assert path.targets[0].unresolved == "parameter 'model' (no caller in the repository)"


def test_keyword_arguments_collected_by_a_factory_reach_the_binding(scan_files):
    path = only(scan_files({"llm/factory.py": """
        from langchain_openai import ChatOpenAI

        def make_llm(provider, temperature=0, **kwargs):
            return ChatOpenAI(temperature=temperature, **kwargs)

        fast = make_llm("openai", model="gpt-4o-mini", temperature=0.2)
    """}))
    assert targets(path) == {("openai", "gpt-4o-mini")}


def test_a_parameter_with_more_callers_than_the_budget_says_so(scan_files):
    callers = "\n".join(f'ask("model-{i}")' for i in range(300))
    path = only(scan_files({"app/chat.py": f"""
from openai import OpenAI

def ask(model):
    return OpenAI().chat.completions.create(model=model, messages=[])

{callers}
"""}))
    assert path.models == [f"model-{i}" for i in range(23)]
    assert path.targets[-1].unresolved == "parameter 'model': analysis budget exceeded (256 callers)"


def test_a_call_with_an_sdk_request_shape_on_an_unresolved_client_is_a_path(scan_files):
    result = scan_files({
        "agents/agent.py": """
            from openai import AsyncOpenAI

            class Agent:
                def __init__(self, client: "AsyncOpenAI | None"):
                    self.client = client

                async def run(self, messages):
                    return await self.client.chat.completions.create(messages=messages)

                async def rename(self, name):
                    return await self.client.chat.completions.create(name=name)
        """,
        "queues/worker.py": """
            class Worker:
                def __init__(self, client):
                    self.client = client

                def run(self, messages):
                    return self.client.chat.completions.create(messages=messages)
        """,
    })
    path = only(result)  # not the call without a request's shape, nor the one in a file that imports no SDK
    assert (path.file, path.line, path.sdk, path.providers) == ("agents/agent.py", 8, "openai", [])
    assert "client not resolved" in path.targets[0].unresolved


def test_an_sdk_operation_passed_as_a_value_is_a_path_where_it_is_passed(scan_files):
    result = scan_files({"app/retry.py": """
        from anthropic import Anthropic
        from tenacity_like import with_retries

        client = Anthropic()
        with_retries(client.messages.create, model="claude-3-5-haiku-20241022", max_tokens=5, messages=[])
        with_retries(client.models.list)
    """})
    path = only(result)
    assert (path.line, targets(path)) == (5, {("anthropic", "claude-3-5-haiku-20241022")})


def test_generate_content_on_one_of_several_gemini_models_built_in_the_constructor(scan_files):
    path = only(scan_files({"app/gemini.py": """
        import google.generativeai as genai
        from vertexai.generative_models import GenerativeModel

        class Chat:
            def __init__(self, use_vertex, model_name="gemini-1.5-flash"):
                if use_vertex:
                    self.chat_model = GenerativeModel(model_name)
                else:
                    self.chat_model = genai.GenerativeModel(model_name)

            def ask(self, prompt):
                return self.chat_model.generate_content(prompt)
    """}))
    assert (path.line, targets(path)) == (12, {("google", "gemini-1.5-flash"), ("google-vertex", "gemini-1.5-flash")})


def test_base_constructor_parameters_take_subclass_and_super_init_arguments(scan_files):
    path = only(scan_files({
        "bots/__init__.py": "",
        "bots/base.py": """
            from openai import OpenAI

            class CompatibleBot:
                def __init__(self, base_url, model):
                    self.client = OpenAI(base_url=base_url)
                    self.model = model

                def reply(self, messages):
                    return self.client.chat.completions.create(model=self.model, messages=messages)
        """,
        "bots/deepseek.py": """
            from bots.base import CompatibleBot

            class DeepSeekBot(CompatibleBot):
                def __init__(self):
                    super().__init__("https://api.deepseek.com", "deepseek-chat")
        """,
        "bots/moonshot.py": """
            from bots.base import CompatibleBot

            class MoonshotBot(CompatibleBot):
                pass

            class NamedBot(CompatibleBot):
                def __init__(self, name):  # its own constructor: what it is given is not the base's base_url
                    self.name = name

            MoonshotBot("https://api.moonshot.cn/v1", "moonshot-v1-8k")
            NamedBot("https://api.mistral.ai/v1")
        """,
    }))
    assert set(path.providers) == {"deepseek", "moonshot"}
    assert set(path.models) == {"deepseek-chat", "moonshot-v1-8k"}


def test_an_attribute_of_a_setting_entry_keeps_its_default(scan_files):
    result = scan_files({"app/embed.py": """
        import cohere
        import requests

        def embed(config, texts):
            model = config.get("Model", "embed-english-v3.0").value
            requests.post("https://api.cohere.com/v1/embed", json={"texts": texts, "model": model})
            chat = config.get("Chat", {"model": "command-r-plus"}).model
            requests.post("https://api.cohere.com/v1/chat", json={"message": "hi", "model": chat})
    """})
    assert [p.models for p in result.paths] == [["embed-english-v3.0"], ["command-r-plus"]]


def test_the_model_named_in_a_gemini_rest_url(scan_files):
    result = scan_files({"app/gemini.py": """
        import requests
        BASE = "https://generativelanguage.googleapis.com"

        def ask(payload, model=None):
            model_name = model or "gemini-2.0-flash"
            requests.post(f"{BASE}/v1beta/models/{model_name}:generateContent", json=payload)
            requests.post(f"{BASE}/v1beta/models/{model_name}/operations", json=payload)
    """})
    named, other = result.paths
    assert (named.line, targets(named)) == (6, {("google", "gemini-2.0-flash")})
    assert "in the URL" in named.targets[0].model_why
    assert other.models == []  # a URL that names no model after /models/...: gives none


def test_a_command_line_option_holds_its_declared_default(scan_files):
    paths = scan_files({"bench/grade.py": """
        import argparse
        from openai import OpenAI

        def main():
            parser = argparse.ArgumentParser()
            parser.add_argument("--grader-model", type=str, default="gpt-4o-mini")
            group = parser.add_argument_group("judge")
            group.add_argument("-j", "--judge", dest="judge_model", default="gpt-4.1")
            args = parser.parse_args()
            client = OpenAI()
            client.chat.completions.create(model=args.grader_model, messages=[])
            client.chat.completions.create(model=args.judge_model, messages=[])
    """}).paths
    assert [targets(p) for p in paths] == [{("openai", "gpt-4o-mini")}, {("openai", "gpt-4.1")}]


def test_an_option_declared_without_a_default_stays_unknown(scan_files):
    path = only(scan_files({"bench/grade.py": """
        import argparse
        from openai import OpenAI

        parser = argparse.ArgumentParser()
        parser.add_argument("--grader-model", required=True)
        parser.add_argument("--other-model", default="gpt-4o-mini")
        args = parser.parse_args()
        OpenAI().chat.completions.create(model=args.grader_model, messages=[])
    """}))
    assert targets(path) == {("openai", None)}


def test_a_product_subclass_of_an_sdk_client_is_that_client(scan_files):
    path = only(scan_files({"llm/zhipu.py": """
        from zhipuai import ZhipuAI

        class PatchedClient(ZhipuAI):
            def split_url(self):
                return self.base_url

        class Chat:
            def __init__(self, key):
                self.llm = PatchedClient(api_key=key)

            def ask(self, messages):
                return self.llm.chat.completions.create(model="glm-4", messages=messages)
    """}))
    assert targets(path) == {("zhipu", "glm-4")}


def test_a_subclass_with_its_own_constructor_is_not_taken_for_the_sdk_client(scan_files):
    result = scan_files({"llm/zhipu.py": """
        from zhipuai import ZhipuAI

        class Wrapper(ZhipuAI):
            def __init__(self, settings):
                self.settings = settings

        class Chat:
            def __init__(self, settings):
                self.llm = Wrapper(settings)

            def ask(self, prompt):
                return self.llm.chat.completions.create(prompt)
    """})
    assert result.paths == []


def test_a_provider_model_string_cut_at_its_separator_gives_the_model(scan_files):
    paths = (scan_files({"app/llm.py": """
        import os
        from openai import OpenAI

        def parse(spec):
            provider, model = spec.split(":", 1)
            return model

        def ask(messages):
            model = parse(os.environ.get("SMART_LLM", "openai:gpt-4o-mini"))
            head, _, tail = "openai/gpt-4.1".partition("/")
            OpenAI().chat.completions.create(model=model, messages=messages)
            OpenAI().chat.completions.create(model=tail, messages=messages)
    """}).paths)
    assert [targets(p) for p in paths] == [{("openai", "gpt-4o-mini")}, {("openai", "gpt-4.1")}]


def test_a_string_cut_without_a_known_separator_stays_unknown(scan_files):
    path = only(scan_files({"app/llm.py": """
        from openai import OpenAI

        def ask(messages, sep):
            model = "openai:gpt-4o-mini".split(sep)[1]
            first, second = "gpt-4o mini".split()
            OpenAI().chat.completions.create(model=model or second, messages=messages)
    """}))
    assert targets(path) == {("openai", None)}


def test_a_client_parameter_that_defaults_to_none_is_what_callers_pass(scan_files):
    path = only(scan_files({"app/converse.py": """
        import boto3

        class Converse:
            def __init__(self, client=None, config=None):
                self.client = client
                self.model = config["modelId"] if config else "anthropic.claude-3-haiku-20240307-v1:0"

            def ask(self, messages):
                return self.client.converse(modelId=self.model, messages=messages)
    """}))
    # the client is not resolved, but every client of boto3's Bedrock runtime reaches Bedrock
    assert (path.operation, path.providers) == ("converse", ["aws-bedrock"])
    assert path.targets[0].provider_why == "every boto3-bedrock client reaches aws-bedrock"


def test_a_module_imported_by_a_call_of_import_is_that_module(scan_files):
    path = only(scan_files({"app/local.py": """
        class Local:
            def __init__(self, config):
                ollama = __import__("ollama")
                self.client = ollama.Client(config.get("host", "http://localhost:11434"))

            def ask(self, messages):
                return self.client.chat(model="llama3.1:8b", messages=messages)
    """}))
    assert targets(path) == {("ollama", "llama3.1:8b")}


def test_an_unresolved_client_of_an_sdk_that_can_point_anywhere_names_no_provider(scan_files):
    path = only(scan_files({"app/chat.py": """
        import openai

        def ask(client, messages):
            return client.chat.completions.create(model="gpt-4o", messages=messages)
    """}))
    assert path.providers == []
    assert "client not resolved" in path.targets[0].provider_unknown


def test_a_factory_makes_the_client_each_call_asks_for(scan_files):
    result = scan_files({"app/llm.py": """
        from openai import OpenAI
        def make_client(base_url, key=None):
            return OpenAI(base_url=base_url, api_key=key)
        groq = make_client("https://api.groq.com/openai/v1")
        deepseek = make_client(base_url="https://api.deepseek.com")
        groq.chat.completions.create(model="llama-3.3-70b-versatile", messages=[])
        deepseek.chat.completions.create(model="deepseek-chat", messages=[])
    """})
    assert [p.providers for p in result.paths] == [["groq"], ["deepseek"]]


def test_a_stored_row_holds_its_fields_defaults_or_what_is_stored(scan_files):
    result = scan_files({
        "app/models.py": """
            from django.db import models
            class Endpoint(models.Model):
                api_base_url = models.URLField(max_length=200, default=None, null=True)
                fixed_url = models.URLField(default="https://api.groq.com/openai/v1")
                plain_url = models.URLField(max_length=200)
            class ChatModel(models.Model):
                name = models.CharField(max_length=200, default="gpt-4o")
                endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, default=None, null=True)
        """,
        "app/chat.py": """
            import openai
            from app.models import ChatModel
            def ask(messages):
                chat_model = ChatModel.objects.select_related("endpoint").filter(name="x").first()
                for url in (chat_model.endpoint.api_base_url, chat_model.endpoint.fixed_url,
                            chat_model.endpoint.plain_url):
                    pass
                default = openai.OpenAI(base_url=chat_model.endpoint.api_base_url)
                fixed = openai.OpenAI(base_url=ChatModel.objects.all()[0].endpoint.fixed_url)
                plain = openai.OpenAI(base_url=chat_model.endpoint.plain_url)
                default.chat.completions.create(model=chat_model.name, messages=messages)
                fixed.chat.completions.create(model="llama-3.3-70b-versatile", messages=messages)
                plain.chat.completions.create(model="gpt-4o", messages=messages)
        """,
    })
    # a row's field holds its declared default or what the database stores (unknown here); None is the client's
    # default endpoint; a field with no default says nothing
    assert [(p.providers, p.models) for p in result.paths] == [
        (["openai"], ["gpt-4o"]), (["groq"], ["llama-3.3-70b-versatile"]), ([], ["gpt-4o"])]
    assert [sorted(t.provider or "" for t in p.targets) for p in result.paths][1:] == [["", "groq"], [""]]


def test_a_base_url_that_may_be_none_includes_the_clients_default_endpoint(scan_files):
    result = scan_files({"app/llm.py": """
        import os
        import openai
        def make(api_key, base_url=None):
            return openai.OpenAI(api_key=api_key, base_url=base_url)
        stored = make("k", base_url=load_from_database())
        default = make("k")
        unset = openai.OpenAI(base_url=os.getenv("LLM_BASE_URL"))
        stored.chat.completions.create(model="gpt-4o", messages=[])
        default.chat.completions.create(model="gpt-4o", messages=[])
        unset.chat.completions.create(model="gpt-4o", messages=[])
    """})
    # None is the SDK's own default (api.openai.com); a value the scan cannot see stays unknown, and so does an
    # unset setting, which exists to point the client somewhere
    assert [p.providers for p in result.paths] == [[], ["openai"], []]


def test_a_field_or_return_declared_with_a_product_class_is_an_instance_of_it(scan_files):
    result = scan_files({
        "app/config.py": """
            from pydantic import BaseModel
            class LLMConfig(BaseModel):
                base_url: str = "https://api.deepseek.com"
                api_key: str = ""
            class EmbeddingConfig(BaseModel):
                base_url: str | None = None
            class Config(BaseModel):
                llm: LLMConfig
                embedding: EmbeddingConfig = EmbeddingConfig()
                labels: dict
                @classmethod
                def default(cls) -> "Config":
                    return _CACHE[("a", "b")]
                def get_llm(self):
                    if self.llm.api_key:
                        return self.llm
                    return None
            _CACHE = {}
            config = Config.default()
        """,
        "app/embed.py": """
            from openai import OpenAI
            from app.config import config
            client = OpenAI(base_url=config.embedding.base_url or config.llm.base_url)
            other = OpenAI(base_url=config.labels["url"])
            through_method = OpenAI(base_url=config.get_llm().base_url)
            client.embeddings.create(model="deepseek-embed", input=["a"])
            other.embeddings.create(model="deepseek-embed", input=["a"])
            through_method.embeddings.create(model="deepseek-embed", input=["a"])
        """,
    })
    # Config.default() is declared to return a Config, whose llm field is declared an LLMConfig (with its default
    # base URL); a field declared with a type that is no product class stays unknown
    assert [p.providers for p in result.paths] == [["deepseek"], [], ["deepseek"]]


def test_a_model_id_with_an_unknown_part_is_unknown_and_says_what_is_known_of_it(scan_files):
    path = only(scan_files({"app.py": """
        from anthropic import Anthropic

        def ask(model, messages, via_proxy=False):
            api_model = f"anthropic/{model}" if via_proxy else "claude-sonnet-4-5"
            return Anthropic().messages.create(model=api_model, max_tokens=64, messages=messages)
    """}))
    by_model = {t.model: t for t in path.targets}
    assert set(by_model) == {None, "claude-sonnet-4-5"}
    assert by_model[None].model_unknown.startswith("anthropic/{?} (parameter 'model'")


def test_a_data_class_field_holds_what_the_calls_building_it_pass_not_only_its_default(scan_files):
    result = scan_files({"app/llm.py": """
        from openai import OpenAI
        from pydantic import BaseModel

        class Settings(BaseModel):
            base_url: str = "https://api.openai.com/v1"

        def load(stored):
            return Settings(**stored)

        pinned = Settings(base_url="https://api.deepseek.com/v1")
        loaded = load(read_the_user_file())
        plain = Settings()

        def ask(messages):
            OpenAI(base_url=pinned.base_url).chat.completions.create(model="deepseek-chat", messages=messages)
    """})
    assert {t.provider for p in result.paths for t in p.targets} == {"deepseek", "openai", None}


def test_a_class_with_its_own_constructor_keeps_what_the_constructor_sets(scan_files):
    path = only(scan_files({"app/llm.py": """
        from openai import OpenAI

        class Settings:
            base_url = "https://api.deepseek.com/v1"

            def __init__(self, **options):
                self.options = options

        settings = Settings(base_url="https://api.groq.com/openai/v1")

        def ask(messages):
            OpenAI(base_url=settings.base_url).chat.completions.create(model="deepseek-chat", messages=messages)
    """}))
    assert targets(path) == {("deepseek", "deepseek-chat")}


def test_a_default_written_into_a_fields_object_is_the_model_sent(scan_files):
    result = scan_files({"app/llm.py": """
        from openai import OpenAI

        class Config:
            def __init__(self, model=None, base_url=None):
                self.model = model
                self.base_url = base_url

        class Llm:
            def __init__(self, config=None):
                self.config = config or Config()
                if not self.config.model:
                    self.config.model = "gpt-4o-mini"
                self.client = OpenAI(base_url=self.config.base_url)

            def generate(self, messages):
                return self.client.chat.completions.create(model=self.config.model, messages=messages)
    """})
    assert targets(only(result)) == {("openai", "gpt-4o-mini")}


def test_a_caller_in_a_file_that_names_no_sdk_passes_its_value(scan_files):
    result = scan_files({
        "app/llm.py": """
            from openai import OpenAI

            class Service:
                def __init__(self, model):
                    self.model = model
                    self.client = OpenAI()

                def ask(self, question):
                    return self.client.chat.completions.create(model=self.model, messages=[question])
        """,
        "app/main.py": """
            from app.llm import Service

            service = Service("gpt-4o-mini")
        """,
        "app/unrelated.py": """
            def Service(name):
                return name
        """,
    })
    assert targets(only(result)) == {("openai", "gpt-4o-mini")}
