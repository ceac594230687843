"""A file's analysis, and a scan, leave no reference cycles behind: a syntax tree is freed as soon as its file is
analysed, and the facts when the scan ends, without the cycle collector walking them (which cost a third of the
analysis time, and a second in the report of a large repository)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from offramp.catalog import Catalog
from offramp.scan.driver import ScanOptions, analyse_file, scan_tree
from offramp.scan.facts import ModuleFacts
from offramp.scan.resolve import Resolver

SOURCES = {
    "svc/chat.py": """
import openai

class Bot:
    def __init__(self, key):
        self.client = openai.OpenAI(api_key=key)

    def reply(self, prompt):
        model = "gpt-4o"
        return self.client.chat.completions.create(model=model, messages=[{"role": "user", "content": prompt}])
""",
    "web/chat.ts": """
import OpenAI from "openai";
const client = new OpenAI();
export async function reply(prompt: string) {
  const model = "gpt-4o";
  return client.chat.completions.create({ model, messages: [{ role: "user", content: prompt }] });
}
""",
    "relay/chat.go": """
package relay

import openai "github.com/sashabaranov/go-openai"

func Reply(prompt string) {
	client := openai.NewClient("k")
	req := openai.ChatCompletionRequest{Model: openai.GPT4o}
	client.CreateChatCompletion(nil, req)
}
""",
    "app/Chat.java": """
package app;
import dev.langchain4j.model.openai.OpenAiChatModel;
class Chat {
    String reply(String prompt) {
        var model = OpenAiChatModel.builder().modelName("gpt-4o").build();
        return model.generate(prompt);
    }
}
""",
    "app/Chat.kt": """
package app
import dev.langchain4j.model.openai.OpenAiChatModel
class Chat {
    fun reply(prompt: String): String {
        val model = OpenAiChatModel.builder().modelName("gpt-4o").build()
        return model.generate(prompt)
    }
}
""",
}


@pytest.mark.parametrize("relpath", sorted(SOURCES))
def test_an_analysis_leaves_no_cycles(relpath: str) -> None:
    analyse_file(relpath, SOURCES[relpath])  # the first analysis of a language imports its analyser
    gc.collect()
    gc.disable()
    try:
        facts = analyse_file(relpath, SOURCES[relpath])
        assert facts.paths, "the fixture must exercise the analysis, not an empty file"
        assert gc.collect() == 0
    finally:
        gc.enable()


CLASS_TREE = {
    "models/base.py": "class Base:\n    def __init__(self, model):\n        self.model = model\n",
    "app/bot.py": """
import openai
from models.base import Base

class Bot(Base):
    def reply(self, prompt):
        return openai.OpenAI().chat.completions.create(model=self.model, messages=[])
""",
}


def test_a_scan_leaves_no_cycle_holding_the_facts(tmp_path: Path) -> None:
    """Resolution walks the product's class tree: the resolver and every module's facts are freed by reference
    counting when the scan ends, not left for a full collection in the report."""
    for relpath, text in CLASS_TREE.items():
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_text(text)
    scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=1))  # the first scan imports and caches what it uses
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        assert scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=1)).paths
        gc.collect()
        assert [type(o).__name__ for o in gc.garbage if isinstance(o, ModuleFacts | Resolver)] == []
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
