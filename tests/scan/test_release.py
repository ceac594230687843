"""A file's analysis leaves no reference cycles behind: its syntax tree is freed as soon as it is analysed,
without the cycle collector walking it after every file (which cost a third of the analysis time)."""

from __future__ import annotations

import gc

import pytest

from offramp.scan.driver import analyse_file

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
