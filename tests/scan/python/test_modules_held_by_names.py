"""A model API's module reached through a name of the product: loaded by name (``importlib.import_module``),
re-exported by another module, or handed out by a lazy loader's ``__getattr__``. Calls through such a name are
the module's calls; a name that holds the product's own module, or an object of its own, stays out."""

from tests.scan.conftest import only, targets

LAZY_LOADER = """
    import importlib

    class LazyModule:
        _module = None

        def __getattr__(self, name):
            self._load()
            return getattr(self._module, name)

        def _load(self):
            if self._module is None:
                self._module = importlib.import_module("{module}")

    llm = LazyModule()
"""


def test_a_module_loaded_by_name_is_that_module(scan_files):
    result = scan_files({"app.py": """
        import importlib

        sdk = importlib.import_module("openai")

        def ask(messages):
            return sdk.OpenAI().chat.completions.create(model="gpt-4o-mini", messages=messages)
    """})
    assert targets(only(result)) == {("openai", "gpt-4o-mini")}


def test_a_function_of_a_module_another_module_re_exports(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/llm.py": """
            import litellm as _litellm

            litellm = _litellm
        """,
        "app/chat.py": """
            from app.llm import litellm

            def ask(messages):
                return litellm.completion(model="claude-3-5-haiku-20241022", messages=messages)
        """,
    })
    path = only(result)
    assert (path.file, path.sdk) == ("app/chat.py", "litellm")
    assert targets(path) == {("anthropic", "claude-3-5-haiku-20241022")}


def test_the_module_level_client_of_a_re_exported_module(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/config.py": """
            import openai

            openai.api_key = "set-at-start-up"
        """,
        "app/chat.py": """
            from app.config import openai

            def ask(messages):
                return openai.chat.completions.create(model="gpt-4o", messages=messages)
        """,
    })
    assert targets(only(result)) == {("openai", "gpt-4o")}


def test_a_function_of_the_module_a_lazy_loader_hands_out(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/lazy.py": LAZY_LOADER.format(module="litellm"),
        "app/chat.py": """
            from app.lazy import llm

            def ask(messages):
                return llm.completion(model="gpt-4o", messages=messages)
        """,
    })
    path = only(result)
    assert (path.file, path.sdk, path.operation) == ("app/chat.py", "litellm", "completion")
    assert targets(path) == {("openai", "gpt-4o")}


def test_a_name_holding_the_products_own_module_or_object_is_no_model_api(scan_files):
    result = scan_files({
        "app/__init__.py": "",
        "app/text.py": """
            def completion(model, messages):
                return messages[-1]
        """,
        "app/lazy.py": LAZY_LOADER.format(module="app.text"),
        "app/names.py": """
            import app.text as text_module

            helpers = text_module
        """,
        "app/chat.py": """
            import litellm  # noqa: F401  (the file names the SDK; its calls below are not the SDK's)
            from app.lazy import llm
            from app.names import helpers

            def ask(messages):
                helpers.completion(model="gpt-4o", messages=messages)
                return llm.completion(model="gpt-4o", messages=messages)
        """,
    })
    assert result.paths == []
