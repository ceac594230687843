"""An endpoint the catalog does not know is an explicit unknown, never a provider guessed from the model id;
only libraries that route by the model string (LiteLLM, init_chat_model) read the provider from it."""

from datetime import date
from pathlib import Path

from offramp.assess import assess, load_policy
from offramp.catalog import Catalog
from tests.scan.conftest import only, targets


def test_an_openai_client_on_an_unknown_host_keeps_its_provider_unknown_whatever_the_model(scan_files):
    result = scan_files({"app/reseller.py": """
        from openai import OpenAI
        client = OpenAI(base_url="https://api.llm-reseller.example/v3/openai")
        client.chat.completions.create(model="deepseek/deepseek-r1", messages=[])
        client.chat.completions.create(model="openrouter/mistral-7b-instruct", messages=[])
    """})
    assert [sorted(targets(p)) for p in result.paths] == [
        [(None, "deepseek/deepseek-r1")], [(None, "openrouter/mistral-7b-instruct")]]
    assert all(t.unresolved and t.unresolved.startswith(
        "unknown provider at api.llm-reseller.example (host-not-in-catalog") for p in result.paths for t in p.targets)
    policy, _ = load_policy(Path(result.root))
    assessment = assess(result, policy, Catalog.load(), date(2026, 1, 1))
    assert [p.targets[0].provider for p in assessment.paths] == [None, None]


def test_a_raw_request_to_an_unknown_host_names_the_host(scan_files):
    result = scan_files({"app/raw.py": """
        import requests
        requests.post("https://api.llm-reseller.example/v1/chat/completions", json={"model": "gpt-4o"})
    """})
    (path,) = result.paths
    assert targets(path) == {(None, "gpt-4o")}
    assert path.targets[0].unresolved.startswith("unknown provider at api.llm-reseller.example")


def test_a_class_that_names_no_provider_does_not_take_one_from_the_model(scan_files):
    result = scan_files({"app/like.py": """
        from llama_index.llms.openai_like import OpenAILike
        llm = OpenAILike(model="gpt-4o")
    """})
    (path,) = result.paths
    assert targets(path) == {(None, "gpt-4o")}
    assert "names no provider" in path.targets[0].unresolved


def test_libraries_that_route_by_the_model_string_take_the_provider_from_it(scan_files):
    result = scan_files({"app/route.py": """
        import litellm
        from langchain.chat_models import init_chat_model
        from llama_index.llms.litellm import LiteLLM
        litellm.completion(model="groq/llama-3.1-8b-instant", messages=[])
        init_chat_model("claude-3-5-sonnet-20241022")
        LiteLLM(model="mistral/mistral-small-latest")
    """})
    assert [sorted(targets(p)) for p in result.paths] == [
        [("groq", "groq/llama-3.1-8b-instant")],
        [("anthropic", "claude-3-5-sonnet-20241022")],
        [("mistral", "mistral/mistral-small-latest")],
    ]


def test_hosts_of_smaller_providers_are_in_the_catalog(scan_files):
    result = scan_files({"app/hosts.py": """
        from openai import OpenAI
        OpenAI(base_url="https://api.novita.ai/v3/openai").chat.completions.create(model="m", messages=[])
        OpenAI(base_url="https://api-inference.modelscope.cn/v1").chat.completions.create(model="m", messages=[])
        OpenAI(base_url="https://api.link-ai.tech/v1").chat.completions.create(model="m", messages=[])
        OpenAI(base_url="https://api.baichuan-ai.com/v1").chat.completions.create(model="m", messages=[])
        OpenAI(base_url="https://api.upstage.ai/v1/solar").chat.completions.create(model="m", messages=[])
        OpenAI(base_url="http://localhost:9997/v1").chat.completions.create(model="m", messages=[])
    """})
    assert [p.providers for p in result.paths] == [
        ["novita"], ["modelscope"], ["linkai"], ["baichuan"], ["upstage"], ["xinference"]]


def test_an_unknown_label_inside_a_host_matches_only_a_catalogued_wildcard(scan_files):
    result = scan_files({"app/regions.py": """
        import os
        from openai import OpenAI
        region = os.environ["AWS_REGION"]
        host = os.environ["LLM_HOST"]
        OpenAI(base_url=f"https://bedrock-mantle.{region}.api.aws/v1").chat.completions.create(model="m", messages=[])
        OpenAI(base_url=f"https://{host}/v1").chat.completions.create(model="m", messages=[])
        OpenAI(base_url=f"https://api.{region}.example/v1").chat.completions.create(model="m", messages=[])
    """})
    assert [p.providers for p in result.paths] == [["aws-bedrock"], [], []]
    assert result.paths[2].targets[0].unresolved.startswith("unknown provider at api.")


def test_an_endpoint_of_the_users_choice_with_azures_deployment_path_is_azure_openai(scan_files):
    path = only(scan_files({"app/llm.py": """
        import os
        from openai import OpenAI

        endpoint, deployment = os.environ["ENDPOINT"], os.environ["DEPLOYMENT"]
        client = OpenAI(base_url=f"{endpoint}/openai/deployments/{deployment}")
        client.chat.completions.create(model=deployment, messages=[])
    """}))
    assert {t.provider for t in path.targets} == {"azure-openai"}
