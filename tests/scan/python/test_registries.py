"""A mapping held by a module-level name, read at a key chosen at run time (a registry of providers, their
endpoints or clients): every entry it may hold counts, including those stored into it after it is built."""

from tests.scan.conftest import only, targets

OPENAI_ENTRIES = "".join(f'\n    "m{i}": {{"endpoint": OPENAI}},' for i in range(30))


def test_a_read_at_a_run_time_key_reaches_every_entry_not_only_the_first_ones(scan_files):
    result = scan_files({"app/send.py": (
        "import requests\n"
        'OPENAI = "https://api.openai.com/v1/chat/completions"\n'
        f"MODELS = {{{OPENAI_ENTRIES}\n"
        '    "deepseek-chat": {"endpoint": "https://api.deepseek.com/v1/chat/completions"},\n'
        "}\n\n"
        "def send(name, body):\n"
        '    return requests.post(MODELS[name]["endpoint"], json=body)\n'
    )})
    assert {t.provider for p in result.paths for t in p.targets} == {"openai", "deepseek"}


def test_entries_stored_into_a_module_level_registry_elsewhere_count(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/registry.py": """
            MODELS = {"gpt-4o": {"endpoint": "https://api.openai.com/v1/chat/completions"}}
            if ENABLE_CLAUDE:
                MODELS.update({"claude": {"endpoint": "https://api.anthropic.com/v1/messages"}})
            MODELS["deepseek-chat"] = {"endpoint": "https://api.deepseek.com/v1/chat/completions"}
        """,
        "app/send.py": """
            import requests
            from app.registry import MODELS

            def send(name, body):
                return requests.post(MODELS[name]["endpoint"], json=body)
        """,
    })
    assert {t.provider for p in result.paths for t in p.targets} == {"openai", "anthropic", "deepseek"}


def test_clients_stored_into_a_registry_by_a_setup_function_are_what_readers_get(scan_files):
    path = only(scan_files({"app/llm.py": """
        from openai import OpenAI

        clients = {}

        def setup(provider):
            clients[provider] = OpenAI(base_url="https://api.deepseek.com/v1")

        def ask(provider, messages):
            return clients[provider].chat.completions.create(model="deepseek-chat", messages=messages)
    """}))
    assert targets(path) == {("deepseek", "deepseek-chat")}


def test_a_local_mapping_keeps_only_what_it_is_built_with(scan_files):
    path = only(scan_files({"app/llm.py": """
        from openai import OpenAI

        clients = {}

        def ask(provider, messages):
            clients = {"default": OpenAI(base_url="https://api.deepseek.com/v1")}
            clients[provider] = OpenAI(base_url="https://api.groq.com/openai/v1")
            return clients["default"].chat.completions.create(model="deepseek-chat", messages=messages)
    """}))
    assert targets(path) == {("deepseek", "deepseek-chat")}

