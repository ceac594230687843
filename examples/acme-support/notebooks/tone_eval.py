# %% [markdown]
# # Tone evaluation, March 2026
# Does Claude rate our rewritten replies as more courteous than the agents' notes? Run cell by cell
# (VS Code / Jupytext percent format). Results go to the #support-quality channel, not to production.

# %%
import csv

import anthropic

client = anthropic.Anthropic()
JUDGE_MODEL = "claude-3-5-haiku-20241022"

# %%
with open("samples/rewrites-2026-03.csv", encoding="utf-8") as f:
    samples = list(csv.DictReader(f))


def judge(note: str, rewrite: str) -> str:
    message = client.messages.create(
        model=JUDGE_MODEL,
        max_tokens=10,
        messages=[{"role": "user", "content": f"A: {note}\nB: {rewrite}\nWhich is more courteous? Answer A or B."}],
    )
    return message.content[0].text.strip()


# %%
verdicts = [judge(s["note"], s["rewrite"]) for s in samples]
print(f"rewrite preferred in {verdicts.count('B')}/{len(verdicts)} samples")
