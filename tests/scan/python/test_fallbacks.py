"""Fallbacks wired in code: LangChain with_fallbacks and try/except that switches client."""

from datetime import date

from offramp.assess import assess
from offramp.assess.policy import Policy
from offramp.catalog import Catalog
from tests.scan.conftest import only, targets


def test_with_fallbacks_inline_and_by_name(scan_files):
    result = scan_files({"app/chains.py": """
        from langchain_openai import ChatOpenAI
        from langchain_ollama import ChatOllama
        primary = ChatOpenAI(model="gpt-4o")
        backup = ChatOllama(model="qwen2.5:14b")
        robust = primary.with_fallbacks([backup])
        other = ChatOpenAI(model="gpt-4o-mini").with_fallbacks([ChatOllama(model="llama3.1:8b")])
    """})
    # the fallback bindings are part of their primaries' paths, not paths of their own
    assert [(p.line, sorted(targets(p)), sorted(targets_of(p.fallbacks))) for p in result.paths] == [
        (3, [("openai", "gpt-4o")], [("ollama", "qwen2.5:14b")]),
        (6, [("openai", "gpt-4o-mini")], [("ollama", "llama3.1:8b")]),
    ]
    assert "with_fallbacks" in result.paths[0].fallback_why


def test_try_except_switching_client(scan_files):
    path, backup = (scan_files({"app/answer.py": """
        import logging
        import openai
        from openai import OpenAI
        primary = OpenAI()
        local = OpenAI(base_url="http://localhost:11434/v1", api_key="ollama")
        def answer(messages):
            try:
                return primary.chat.completions.create(model="gpt-4o", messages=messages)
            except (openai.APIConnectionError, openai.PermissionDeniedError):
                logging.warning("OpenAI unavailable, using the local model")
                return local.chat.completions.create(model="qwen2.5:7b", messages=messages)
    """}).paths)
    assert targets(path) == {("openai", "gpt-4o")}
    assert targets_of(path.fallbacks) == {("ollama", "qwen2.5:7b")}
    assert "except" in path.fallback_why
    # the except branch sends requests whenever the primary fails: a path of its own, counted with the primary
    assert (backup.line, targets(backup), backup.fallbacks) == (11, {("ollama", "qwen2.5:7b")}, [])
    assert (path.backs_up, backup.backs_up) == (None, 8)


def test_a_fallback_call_is_listed_but_counted_with_the_path_it_backs_up(scan_files):
    result = scan_files({"app/answer.py": """
        from openai import OpenAI
        primary = OpenAI()
        local = OpenAI(base_url="http://localhost:11434/v1", api_key="ollama")
        def answer(messages):
            try:
                return primary.chat.completions.create(model="gpt-4o", messages=messages)
            except Exception:
                return local.chat.completions.create(model="qwen2.5:7b", messages=messages)
        def summary(text):
            return primary.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": text}])
    """})
    numbers = assess(result, Policy(), Catalog.load(), date(2026, 12, 6))
    backup = next(p for p in numbers.paths if p.path.line == 8)
    assert len(numbers.paths) == 3 and not backup.critical and "line 6" in backup.criticality.why
    # two critical paths (not three): the backed-up one is ready, the other is exposed
    assert (numbers.numbers.critical_paths, numbers.numbers.exposed_no_fallback) == (2, 1)


def test_no_fallback_when_except_only_logs(scan_files):
    path = only(scan_files({"app/plain.py": """
        from anthropic import Anthropic
        def ask():
            try:
                return Anthropic().messages.create(model="claude-3-5-haiku-latest", max_tokens=5, messages=[])
            except Exception:
                raise
    """}))
    assert path.fallbacks == []


def targets_of(fallbacks):
    return {(t.provider, t.model) for t in fallbacks}
