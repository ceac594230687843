"""Reasons are English strings that keep what a report needs to say them in another language."""

from __future__ import annotations

import copy
import json
import pickle

from offramp.assess.reason import N_, Reason, joined

ZH = {
    "provider {provider} is in {jurisdiction}, an at-risk jurisdiction": "供應商 {provider} 位於 {jurisdiction}，屬於有風險的司法管轄區",
    "no ready replacement: {rejected}": "沒有可用替代方案：{rejected}",
    "{earlier}; {later}": "{earlier}；{later}",
    "the fallback to {target} is itself at risk: {decision}": "改用 {target} 的備援本身有風險：{decision}",
    "{model} on {provider}": "{provider} 上的 {model}",
    "Re-embed {the index}.": "重新嵌入{索引}。",
}


def test_a_reason_is_its_english_text() -> None:
    reason = N_("provider {provider} is in {jurisdiction}, an at-risk jurisdiction", provider="openai",
                jurisdiction="US")
    assert reason == "provider openai is in US, an at-risk jurisdiction"
    assert json.dumps([reason]) == '["provider openai is in US, an at-risk jurisdiction"]'


def test_translation_fills_named_parameters_and_nested_reasons_in_the_translated_order() -> None:
    at_risk = N_("provider {provider} is in {jurisdiction}, an at-risk jurisdiction", provider="openai",
                 jurisdiction="US")
    fallbacks = [N_("the fallback to {target} is itself at risk: {decision}",
                    target=N_("{model} on {provider}", model=model, provider="openai"), decision=at_risk)
                 for model in ("gpt-4o-mini", "gpt-4.1")]
    reason = N_("no ready replacement: {rejected}", rejected=joined(fallbacks))
    assert reason == ("no ready replacement: the fallback to gpt-4o-mini on openai is itself at risk: provider openai "
                      "is in US, an at-risk jurisdiction; the fallback to gpt-4.1 on openai is itself at risk: "
                      "provider openai is in US, an at-risk jurisdiction")
    assert reason.translated(lambda message: ZH.get(message, message)) == (
        "沒有可用替代方案：改用 openai 上的 gpt-4o-mini 的備援本身有風險：供應商 openai 位於 US，屬於有風險的司法管轄區；"
        "改用 openai 上的 gpt-4.1 的備援本身有風險：供應商 openai 位於 US，屬於有風險的司法管轄區")


def test_data_text_is_its_own_message_id_and_may_hold_braces() -> None:
    data = Reason("Re-embed {the index}.")
    assert data == "Re-embed {the index}."
    assert data.translated(lambda message: ZH.get(message, message)) == "重新嵌入{索引}。"


def test_a_message_without_an_entry_stays_english() -> None:
    reason = N_("provider unresolved: {expression}", expression="client")
    assert reason.translated(lambda message: message) == "provider unresolved: client"


def test_copies_keep_the_message() -> None:
    reason = N_("{model} on {provider}", model="gpt-4o", provider="openai")
    for twin in (copy.copy(reason), copy.deepcopy(reason), pickle.loads(pickle.dumps(reason))):
        assert twin == reason
        assert twin.translated(lambda message: ZH.get(message, message)) == "openai 上的 gpt-4o"
