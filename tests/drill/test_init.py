"""`offramp drill init`: starter prompt sets from the system prompts and templates next to critical at-risk paths."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from offramp.assess import load_policy
from offramp.cli import main
from offramp.drill.prompts import load_prompt_set
from offramp.drill.starter import system_prompts

CHAT = '''from openai import OpenAI

client = OpenAI()
SYSTEM_PROMPT = "You are Acme's support assistant. Answer politely, in Traditional Chinese."


def reply(question: str) -> str:
    answer = client.chat.completions.create(model="gpt-4o", messages=[
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": question}])
    return answer.choices[0].message.content
'''
LOCAL = '''import os
from openai import OpenAI

client = OpenAI(base_url="http://localhost:11434/v1")
SYSTEM_PROMPT = "You are the internal wiki helper and answer from the wiki only."


def reply(question: str) -> str:
    os.system("echo this is not a system prompt at all, only a shell command")
    return client.chat.completions.create(model="llama3.1:8b", messages=[{"role": "user", "content": question}])
'''


def test_init_writes_a_starter_set_per_at_risk_file_and_points_the_policy_at_it(tmp_path: Path) -> None:
    (tmp_path / "app" / "prompts").mkdir(parents=True)
    (tmp_path / "app" / "chat.py").write_text(CHAT, encoding="utf-8")
    (tmp_path / "app" / "prompts" / "summary.txt").write_text("Summarise the ticket in three bullet points.\n")
    (tmp_path / "wiki").mkdir()
    (tmp_path / "wiki" / "local.py").write_text(LOCAL, encoding="utf-8")
    (tmp_path / "offramp.toml").write_text('at_risk = ["US"]\n', encoding="utf-8")

    done = CliRunner().invoke(main, ["drill", "init", str(tmp_path), "--route", "chat"])

    assert done.exit_code == 0, done.output
    assert "app/chat.py:4, app/prompts/summary.txt" in done.output
    starter = load_prompt_set("app_chat", tmp_path / "drills" / "app_chat.jsonl")
    systems = [p.messages[0]["content"] for p in starter.prompts]
    assert systems == ["You are Acme's support assistant. Answer politely, in Traditional Chinese.",
                       "Summarise the ticket in three bullet points."]
    assert all(p.messages[1]["role"] == "user" for p in starter.prompts)
    assert not (tmp_path / "drills" / "wiki_local.jsonl").exists(), "a self-hosted path needs no drill"
    policy, _ = load_policy(tmp_path)
    entry = policy.drill.sets["app_chat"]
    assert (entry.prompts, entry.route, entry.paths) == ("drills/app_chat.jsonl", "chat", ("app/chat.py",))

    again = CliRunner().invoke(main, ["drill", "init", str(tmp_path), "--route", "chat"])
    assert "no new starter sets" in again.output
    assert (tmp_path / "offramp.toml").read_text().count("[drill.sets.app_chat]") == 1


def test_system_prompts_are_found_in_each_way_code_writes_them() -> None:
    source = '''
messages = [{"role": "system", "content": "You answer billing questions for Acme customers."}]
chain = ChatPromptTemplate.from_messages([SystemMessage(content="You translate legal text into plain words.")])
reply = client.messages.create(system="You are a careful medical triage assistant.", messages=m)
const systemPrompt = `You write release notes from commit messages.`;
os.system("rm -rf build and other shell commands that are long")
'''
    found = [prompt for _, prompt in system_prompts(source, 1)]
    assert found == ["You answer billing questions for Acme customers.",
                     "You translate legal text into plain words.",
                     "You are a careful medical triage assistant.",
                     "You write release notes from commit messages."]
    assert json.dumps(found).count("rm -rf") == 0
