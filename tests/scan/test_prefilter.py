"""The prefilter: any-of-many literal terms over raw bytes, with either engine (the same answers)."""

from __future__ import annotations

import pickle
import random
from concurrent.futures import ProcessPoolExecutor

import pytest

from offramp.scan import prefilter as prefilter_module
from offramp.scan.prefilter import Engine, Prefilter

ENGINES = [
    pytest.param("hyperscan", marks=pytest.mark.skipif(prefilter_module.hyperscan is None,
                                                       reason="the hyperscan extra is not installed")),
    "re2",
]
engines = pytest.mark.parametrize("engine", ENGINES)


@engines
def test_matches_any_term_and_nothing_else(engine: Engine) -> None:
    prefilter = Prefilter(["openai", "api.deepseek.com", "/chat/completions", "OPENAI_API_KEY"], engine)
    assert prefilter.matches(b"from openai import OpenAI\n")
    assert prefilter.matches(b'url = "https://api.deepseek.com/v1"')
    assert prefilter.matches(b'requests.post(BASE + "/chat/completions")')
    assert prefilter.matches(b"key = os.environ['OPENAI_API_KEY']")
    assert not prefilter.matches(b"import json\nprint('hello')\n")
    assert not prefilter.matches(b"")


@engines
def test_terms_are_literal_and_case_sensitive(engine: Engine) -> None:
    prefilter = Prefilter(["api.x.ai", "(model)", "a+b"], engine)
    assert not prefilter.matches(b"apiXxXai (modelo) aab")
    assert prefilter.matches(b"call (model) here")
    assert prefilter.matches(b"a+b")
    assert not Prefilter(["openai"], engine).matches(b"OPENAI = OpenAI()")


@engines
def test_first_match_names_the_longest_term_at_the_first_place_found(engine: Engine) -> None:
    prefilter = Prefilter(["openai", "openai.azure.com", "anthropic"], engine)
    assert prefilter.first_match(b"x = 'https://my.openai.azure.com' # anthropic") == "openai.azure.com"
    assert prefilter.first_match(b"import anthropic, openai") == "anthropic"
    assert prefilter.first_match(b"nothing here") is None


def test_terms_are_deduplicated_and_empty_ones_dropped() -> None:
    assert Prefilter(["b", "a", "", "b"]).terms == ("a", "b")
    with pytest.raises(ValueError, match="at least one non-empty term"):
        Prefilter(["", ""])


@engines
def test_agrees_with_a_plain_substring_search_on_random_input(engine: Engine) -> None:
    rng = random.Random(7)
    alphabet = b"abcde./_-\n\x00\xff"
    terms = ["".join(rng.choice("abcde./_-") for _ in range(rng.randint(2, 5))) for _ in range(300)]
    prefilter = Prefilter(terms, engine)
    encoded = [term.encode() for term in terms]
    documents = [bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(2_000)]
    answers = [prefilter.matches(doc) for doc in documents]
    assert answers == [any(term in doc for term in encoded) for doc in documents]
    assert 0 < sum(answers) < len(documents)  # the sample exercises both answers
    assert [prefilter.first_match(doc) for doc in documents] == [_first_by_hand(encoded, doc) for doc in documents]


def _first_by_hand(terms: list[bytes], document: bytes) -> str | None:
    """The term that starts first in ``document``, the longest of those starting there."""
    found = [(start, -len(term), term) for term in terms if (start := document.find(term)) >= 0]
    return min(found)[2].decode() if found else None


@engines
def test_thousands_of_terms_compile_and_match(engine: Engine) -> None:
    terms = [f"model-{n:05d}-instruct" for n in range(5_000)]
    prefilter = Prefilter(terms, engine)
    assert prefilter.first_match(b"use model-04999-instruct now") == "model-04999-instruct"
    assert not prefilter.matches(b"model-05000-instruct model-0499-instruct")


def _matches_in_worker(prefilter: Prefilter, data: bytes) -> bool:
    return prefilter.matches(data)


@engines
def test_pickles_as_its_terms_and_is_rebuilt_once_per_process(engine: Engine) -> None:
    prefilter = Prefilter(["litellm", "langchain"], engine)
    first, second = pickle.loads(pickle.dumps(prefilter)), pickle.loads(pickle.dumps(prefilter))
    assert (first.terms, first.engine) == (prefilter.terms, engine)
    assert first is second  # each batch sent to a worker reuses the pattern (and the DFA) built there
    with ProcessPoolExecutor(max_workers=1) as pool:
        assert pool.submit(_matches_in_worker, prefilter, b"from langchain_openai import x").result()
        assert not pool.submit(_matches_in_worker, prefilter, b"import json").result()


@pytest.mark.skipif(prefilter_module.hyperscan is None, reason="the hyperscan extra is not installed")
def test_takes_hyperscan_when_it_is_installed() -> None:
    assert Prefilter(["openai"]).engine == "hyperscan"


def test_falls_back_to_re2_without_hyperscan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter_module, "hyperscan", None)  # as when the extra is not installed
    prefilter = Prefilter(["openai"])
    assert prefilter.engine == "re2"
    assert prefilter.matches(b"import openai") and not prefilter.matches(b"import json")
    with pytest.raises(ValueError, match=r"pip install 'offramp\[hyperscan\]'"):
        Prefilter(["openai"], "hyperscan")


class _NoScan:
    def scan(self, *args: object) -> None:
        raise AssertionError("Hyperscan was given a block longer than its 32-bit length")


@pytest.mark.skipif(prefilter_module.hyperscan is None, reason="the hyperscan extra is not installed")
def test_a_block_too_long_for_hyperscan_goes_to_re2(monkeypatch: pytest.MonkeyPatch) -> None:
    prefilter = Prefilter(["openai"], "hyperscan")
    monkeypatch.setattr(prefilter_module, "_HYPERSCAN_MAX_BYTES", 16)  # instead of planting a 4 GB file
    monkeypatch.setattr(prefilter, "_database", _NoScan())
    assert prefilter.matches(b"x" * 20 + b"import openai")
    assert not prefilter.matches(b"x" * 40)


def test_the_shared_prefilter_is_what_a_forked_worker_unpickles() -> None:
    """A worker forked from the scan finds the prefilter made (the same object), instead of compiling it again."""
    terms = ["openai", "anthropic", "api.mistral.ai"]
    made = Prefilter.shared(terms)
    assert Prefilter.shared(reversed(terms)) is made
    assert pickle.loads(pickle.dumps(made)) is made


@pytest.mark.skipif(prefilter_module.hyperscan is None, reason="the hyperscan extra is not installed")
def test_the_compiled_hyperscan_database_is_kept_and_one_that_cannot_load_is_compiled_again(
        tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("OFFRAMP_CACHE_DIR", str(tmp_path / "cache"))
    compiles = []
    serialized = prefilter_module._serialized_database
    monkeypatch.setattr(prefilter_module, "_serialized_database", lambda terms: compiles.append(terms) or serialized(terms))
    terms = ["openai", "api.anthropic.com"]
    assert Prefilter(terms, "hyperscan").matches(b"x = 'https://api.anthropic.com'")
    assert Prefilter(terms, "hyperscan").matches(b"import openai")  # a later start: loaded, not compiled
    assert len(compiles) == 1
    monkeypatch.setattr(prefilter_module, "compiled", lambda *_args: b"kept by another Hyperscan")
    again = Prefilter(terms, "hyperscan")
    assert again.engine == "hyperscan" and again.matches(b"import openai") and not again.matches(b"import json")
    assert len(compiles) == 2
