"""Resolution: model ids and providers through constants, f-strings, env defaults, settings objects,
.env files, provider maps and imports; what stays unknown says what hid it."""

from tests.scan.conftest import only, targets


def test_module_constant_imported_from_a_settings_module_the_prefilter_skips(scan_files):
    path = only(scan_files({
        "acme/__init__.py": "",
        "acme/config.py": """
            import os
            SUMMARY_MODEL = os.getenv("SUMMARY_MODEL", "claude-3-5-haiku-20241022")
        """,
        "acme/summary.py": """
            from anthropic import Anthropic
            from acme.config import SUMMARY_MODEL
            Anthropic().messages.create(model=SUMMARY_MODEL, max_tokens=100, messages=[])
        """,
    }))
    assert targets(path) == {("anthropic", "claude-3-5-haiku-20241022")}
    assert "SUMMARY_MODEL" in path.targets[0].model_why


def test_static_fstring_and_env_default_base_url(scan_files):
    path = only(scan_files({"app/ds.py": """
        import os
        from openai import OpenAI
        HOST = "api.deepseek.com"
        VERSION = "v3"
        client = OpenAI(base_url=os.environ.get("LLM_BASE_URL", f"https://{HOST}/v1"))
        client.chat.completions.create(model=f"deepseek-{VERSION}", messages=[])
    """}))
    assert targets(path) == {("deepseek", "deepseek-v3")}


def test_env_file_values_for_model_and_base_url(scan_files):
    path = only(scan_files({
        ".env.example": "CHAT_MODEL=qwen-max\nOPENAI_BASE_URL=https://dashscope-intl.aliyuncs.com/compatible-mode/v1\n",
        "app/chat.py": """
            import os
            from openai import OpenAI
            client = OpenAI()
            client.chat.completions.create(model=os.getenv("CHAT_MODEL"), messages=[])
        """,
    }))
    assert [t.model for t in path.targets] == ["qwen-max"]
    assert "CHAT_MODEL=qwen-max in .env.example:1" in path.targets[0].model_why
    assert path.providers == ["dashscope"]
    assert ".env.example" in path.targets[0].provider_why


def test_settings_object_dataclass_and_pydantic_settings(scan_files):
    result = scan_files({
        "svc/__init__.py": "",
        "svc/settings.py": """
            import os
            from dataclasses import dataclass, field
            from pydantic_settings import BaseSettings, SettingsConfigDict

            @dataclass(frozen=True)
            class Models:
                draft: str = "gpt-4o-mini"
                judge: str = field(default_factory=lambda: os.getenv("JUDGE_MODEL", "o3-mini"))

            class Settings(BaseSettings):
                model_config = SettingsConfigDict(env_prefix="ACME_")
                summary_model: str = "claude-3-5-sonnet-20241022"

            models = Models()
            settings = Settings()
        """,
        "svc/work.py": """
            from openai import OpenAI
            from anthropic import Anthropic
            from svc.settings import models, settings
            from svc import settings as config_module
            OpenAI().chat.completions.create(model=models.draft, messages=[])
            OpenAI().chat.completions.create(model=models.judge, messages=[])
            Anthropic().messages.create(model=settings.summary_model, max_tokens=5, messages=[])
            Anthropic().messages.create(model=config_module.settings.summary_model, max_tokens=5, messages=[])
        """,
    })
    assert [p.models for p in result.paths] == [
        ["gpt-4o-mini"], ["o3-mini"], ["claude-3-5-sonnet-20241022"], ["claude-3-5-sonnet-20241022"]]
    assert "ACME_SUMMARY_MODEL" in result.paths[2].targets[0].model_why


def test_provider_map_yields_every_provider_it_allows(scan_files):
    path = only(scan_files({"app/multi.py": """
        import os
        from openai import OpenAI
        PROVIDERS = {
            "openai": "https://api.openai.com/v1",
            "deepseek": "https://api.deepseek.com",
            "local": "http://localhost:11434/v1",
        }
        def client_for(name):
            return OpenAI(base_url=PROVIDERS[name])
        def ask(name, model):
            return client_for(name).chat.completions.create(model=model, messages=[])
    """}))
    assert set(path.providers) == {"openai", "deepseek", "ollama"}
    assert all(t.model is None and t.unresolved == "parameter 'model' (no caller in the repository)" for t in path.targets)


def test_client_from_a_factory_in_another_module(scan_files):
    path = only(scan_files({
        "core/__init__.py": "",
        "core/llm.py": """
            from functools import lru_cache
            from openai import OpenAI
            BASE_URL = "https://openrouter.ai/api/v1"
            @lru_cache
            def get_client() -> OpenAI:
                return OpenAI(base_url=BASE_URL)
        """,
        "core/use.py": """
            from core.llm import get_client
            get_client().chat.completions.create(model="anthropic/claude-3.5-sonnet", messages=[])
        """,
    }))
    assert targets(path) == {("openrouter", "anthropic/claude-3.5-sonnet")}


def test_unknown_stays_unknown_with_the_expression_that_hid_it(scan_files):
    path = only(scan_files({"app/dyn.py": """
        import os
        from openai import OpenAI
        client = OpenAI(base_url=os.getenv("LLM_URL"))
        client.chat.completions.create(model=load_model_name(), messages=[])
    """}))
    (target,) = path.targets
    assert (target.provider, target.model) == (None, None)
    assert "$LLM_URL" in target.unresolved


def test_conditional_and_or_defaults(scan_files):
    path = only(scan_files({"app/cond.py": """
        import os
        from anthropic import Anthropic
        FAST = os.getenv("FAST") == "1"
        model = "claude-3-5-haiku-latest" if FAST else "claude-opus-4-1"
        name = os.getenv("OVERRIDE") or model
        Anthropic().messages.create(model=name, max_tokens=5, messages=[])
    """}))
    assert set(path.models) == {"claude-3-5-haiku-latest", "claude-opus-4-1"}


def test_src_layout_imports_resolve_by_module_suffix(scan_files):
    path = only(scan_files({
        "src/shop/__init__.py": "",
        "src/shop/models.py": "CHAT = 'gpt-4.1-mini'\n",
        "src/shop/bot.py": """
            from openai import OpenAI
            from .models import CHAT
            OpenAI().chat.completions.create(model=CHAT, messages=[])
        """,
    }))
    assert path.models == ["gpt-4.1-mini"]


def test_an_empty_model_string_is_unknown_not_a_model(scan_files):
    path = only(scan_files({"app/empty.py": """
        from anthropic import Anthropic
        MODEL = ""
        Anthropic().messages.create(model=MODEL, max_tokens=5, messages=[])
    """}))
    assert [(t.provider, t.model, t.unresolved) for t in path.targets] == [("anthropic", None, "an empty string")]


def test_a_module_imported_from_a_folder_without_init_is_that_module(scan_files):
    result = scan_files({
        "common/const.py": 'VISION_MODEL = "gpt-4.1-mini"\n',
        "channel/web/common.py": 'VISION_MODEL = "not-this-one"\n',
        "tools/vision.py": """
            from openai import OpenAI
            from common import const

            OpenAI().chat.completions.create(model=const.VISION_MODEL, messages=[])
        """,
    })
    assert only(result).models == ["gpt-4.1-mini"]


def test_a_name_missing_from_the_module_and_its_folder_stays_unknown(scan_files):
    result = scan_files({
        "channel/web/common.py": 'VISION_MODEL = "not-this-one"\n',
        "tools/vision.py": """
            from openai import OpenAI
            from common import const

            OpenAI().chat.completions.create(model=const.VISION_MODEL, messages=[])
        """,
    })
    assert only(result).models == []
