"""Each scorer with answers that must pass and answers that must fail."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from offramp.drill.prompts import Prompt
from offramp.drill.scorers.agreement import PrimaryAgreement
from offramp.drill.scorers.base import Answer, Scorer
from offramp.drill.scorers.judge import JudgeScorer
from offramp.drill.scorers.match import ExactMatch, RegexMatch
from offramp.drill.scorers.refusal import RefusalScorer
from offramp.drill.scorers.structured import JSONScorer
from offramp.drill.scorers.toolcall import ToolCallScorer

ASK = [{"role": "user", "content": "Where is the parcel?"}]
WEATHER = [{"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer", "minimum": 1}},
    "required": ["city"], "additionalProperties": False}}}]


def prompt(**fields: Any) -> Prompt:
    return Prompt.model_validate({"messages": ASK, **fields})


def call(name: str, arguments: Any) -> list[dict[str, Any]]:
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return [{"id": "call_1", "type": "function", "function": {"name": name, "arguments": text}}]


def scored(scorer: Scorer, p: Prompt, answer: Answer) -> bool:
    assert scorer.applies(p)
    return asyncio.run(scorer.score(p, answer)).passed


CASES = [
    (ExactMatch(), prompt(expected="42"), Answer(" 42\n"), Answer("41")),
    (RegexMatch(), prompt(expected_regex=r"tracking number \w+"), Answer("Your tracking number TW123 is here."),
     Answer("I do not know.")),
    (JSONScorer(), prompt(json=True), Answer('```json\n{"status": "in transit"}\n```'), Answer("status: in transit")),
    (JSONScorer(), prompt(schema={"type": "object", "required": ["status"],
                                  "properties": {"status": {"enum": ["in transit", "delivered"]}}}),
     Answer('{"status": "delivered"}'), Answer('{"status": "lost"}')),
    (ToolCallScorer(), prompt(tools=WEATHER, expected_tool_call={"name": "get_weather", "arguments": {"city": "Taipei"}}),
     Answer("", call("get_weather", {"city": "Tainan"})), Answer("", call("get_time", {"city": "Taipei"}))),
    (ToolCallScorer(), prompt(tools=WEATHER, expected_tool_call={"name": "get_weather", "arguments": {"city": "Taipei",
                                                                                                      "days": 2}}),
     Answer("", call("get_weather", {"city": "Taipei", "days": 3})),
     Answer("", call("get_weather", {"city": "Taipei", "days": 0}))),  # same names, but days < 1
    (ToolCallScorer(), prompt(tools=WEATHER, expected_tool_call={"name": "get_weather", "arguments": {"city": "x"}}),
     Answer("", call("get_weather", {"city": "Taipei"})), Answer("", call("get_weather", {"town": "Taipei"}))),
    (ToolCallScorer(), prompt(tools=WEATHER, expected_tool_call={"name": "get_weather", "arguments": {"city": "x"}}),
     Answer("", call("get_weather", {"city": "Taipei"})), Answer("It is sunny.")),
    (RefusalScorer(), prompt(), Answer("It left Taoyuan this morning."), Answer("I'm sorry, but I can't help with that.")),
    (RefusalScorer(), prompt(), Answer("Sure: it is in Kaohsiung."), Answer("抱歉，我無法提供這個資訊。")),
    (RefusalScorer(), prompt(), Answer("On its way."), Answer("  ")),
    (RefusalScorer(), prompt(expect_refusal=True), Answer("I cannot help with making weapons."),
     Answer("Here is how to do it.")),
]


@pytest.mark.parametrize(("scorer", "p", "good", "bad"), CASES,
                         ids=[f"{c[0].name}-{i}" for i, c in enumerate(CASES)])
def test_a_scorer_passes_the_good_answer_and_fails_the_bad_one(scorer: Scorer, p: Prompt, good: Answer,
                                                              bad: Answer) -> None:
    assert scored(scorer, p, good)
    assert not scored(scorer, p, bad)


def test_scorers_apply_only_where_the_prompt_says_what_a_good_answer_is() -> None:
    plain = prompt()
    assert [s.name for s in (ExactMatch(), RegexMatch(), JSONScorer(), ToolCallScorer()) if s.applies(plain)] == []
    assert RefusalScorer().applies(plain)


def test_tool_call_arguments_that_are_not_json_fail() -> None:
    p = prompt(tools=WEATHER, expected_tool_call={"name": "get_weather", "arguments": {"city": "x"}})
    assert not scored(ToolCallScorer(), p, Answer("", call("get_weather", "{city: Taipei")))


@pytest.mark.parametrize(("reply", "passed"), [("PASS\nIt answers.", True), ("**FAIL** it refuses", False),
                                               ("Maybe?", False)])
def test_the_judge_passes_only_on_its_own_pass(reply: str, passed: bool) -> None:
    asked: list[dict[str, Any]] = []

    async def ask(body: dict[str, Any]) -> Answer:
        asked.append(body)
        return Answer(reply)

    judge = JudgeScorer(ask, "Says where the parcel is.")
    p = prompt(reference="In Taipei.")
    assert scored(judge, p, Answer("It is in Taichung.")) is passed
    [body] = asked
    case = body["messages"][1]["content"]
    assert "Says where the parcel is." in case and "Where is the parcel?" in case
    assert "In Taipei." in case and "It is in Taichung." in case


PRIMARY_CASES = [  # (the primary's answer, a fallback answer that agrees, one that does not, what the detail says)
    (Answer("", call("get_weather", {"city": "Taipei", "days": 2})),
     Answer("", call("get_weather", {"city": "Tainan", "days": 1})), Answer("", call("get_time", {"city": "Taipei"})),
     "expected a call of 'get_weather', got 'get_time'"),
    (Answer("", call("get_weather", {"city": "Taipei"})), Answer("", call("get_weather", {"city": "Tainan"})),
     Answer("", call("get_weather", {"city": "Tainan", "days": 0})), "argument names ['city', 'days']"),
    (Answer("", call("get_weather", {"city": "Taipei"})), Answer("", call("get_weather", {"city": "Tainan"})),
     Answer("It is sunny in Taipei."), "the answer called no tool"),
    (Answer("It is sunny in Taipei."), Answer(""), Answer("", call("get_weather", {"city": "Taipei"})),
     "the primary answered in text, the answer called 'get_weather'"),
    (Answer('{"city": "Taipei", "days": 2}'), Answer('```json\n{"days": 1, "city": "Tainan"}\n```'),
     Answer('{"city": "Tainan"}'), "JSON object keys ['city'], the primary's ['city', 'days']"),
    (Answer('{"city": "Taipei"}'), Answer('{"city": "Tainan"}'), Answer("Tainan"),
     "the primary answered JSON, the answer is not valid JSON"),
    (Answer('["Taipei", "Tainan"]'), Answer("[]"), Answer('{"city": "Tainan"}'),
     "the primary answered a JSON array, the answer is a JSON object"),
]


@pytest.mark.parametrize(("primary", "agrees", "disagrees", "detail"), PRIMARY_CASES)
def test_the_fallback_is_scored_against_the_primarys_answer(primary: Answer, agrees: Answer, disagrees: Answer,
                                                             detail: str) -> None:
    p = prompt(tools=WEATHER)
    comparison = PrimaryAgreement(0.6)
    bad = asyncio.run(comparison.score(p, disagrees, primary))
    assert len(bad) == 1 and not bad[0].passed and detail in bad[0].detail
    assert bad[0].scorer in ("primary_tool_call", "primary_json")
    if agrees.text or agrees.tool_calls:
        [good] = asyncio.run(comparison.score(p, agrees, primary))
        assert good.passed and good.scorer == bad[0].scorer, good


def test_a_bare_json_value_from_the_primary_is_a_text_answer_not_json() -> None:
    """'42' parses as JSON, but a fallback answering 'forty-two' is not wrong for that: no JSON check."""
    scores = asyncio.run(PrimaryAgreement(0.6).score(prompt(), Answer("forty-two"), Answer("42")))
    assert [s.scorer for s in scores] == ["primary_similarity"]
