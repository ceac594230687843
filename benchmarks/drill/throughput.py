"""Drill throughput against a local model: prompts per minute with and without scoring, with and without the
comparison with the primary, and what scoring adds per prompt.

Start the model server as in the README's drill demo (port 8012), then:
    python benchmarks/drill/throughput.py --prompts 12
Each prompt set runs four times through the demo's gateway (examples/drill): with every scorer (similarity
included; the embedding model is loaded before timing starts) and without scoring, each without and with the
primary compared. The demo's primary (Claude) is never called: for the comparison the primary is the same local
model server, named as OpenAI's gpt-4o-mini (its server answers whatever model is asked for), so each prompt
costs two generations. Results go to stdout as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from dataclasses import replace
from pathlib import Path

from offramp.drill.prompts import load_prompt_set
from offramp.drill.scorers.similarity import available, similarity
from offramp.drill.session import load_plan, run_plan
from offramp.gateway.config import parse_config
from offramp.store import open_drill_store

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "drill"
PRIMARY = """
[[routes.primary.targets]]
provider = "openai"
model = "gpt-4o-mini"
base_url = "http://127.0.0.1:8012/v1"
key_env = "PRIMARY_KEY"
timeouts = { connect = 2, first_byte = 120, idle = 60, total = 300 }
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prompts", type=int, default=12, help="Prompts per run (the demo's set, repeated).")
    args = parser.parse_args()
    plan = load_plan(EXAMPLE)
    (base, target), = plan.sets
    primary = parse_config(PRIMARY, "benchmark", {"PRIMARY_KEY": "local"}, EXAMPLE).routes["primary"].targets[0]
    if available():
        similarity("warm up", "the embedding model")  # loading torch and the model is not per-prompt cost
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        lines = []
        for index in range(args.prompts):
            prompt = base.prompts[index % len(base.prompts)].model_dump(by_alias=True, exclude_none=True)
            lines.append(json.dumps({**prompt, "id": f"p{index}"}))
        file = Path(folder) / "set.jsonl"
        file.write_text("\n".join(lines) + "\n")
        for compare in ("off", "on"):
            for scoring in (True, False):
                asked = "compared" if compare == "on" else "not asked"
                name = f"{'with' if scoring else 'without'} scoring, primary {asked}"
                prompts = load_prompt_set(name, file)
                store = open_drill_store(Path(folder) / f"{scoring}-{compare}.sqlite")
                sets = ((prompts, replace(target, primary=primary)),)
                [outcome] = asyncio.run(run_plan(replace(plan, sets=sets), store, asyncio.Event(), scoring=scoring,
                                                 compare=compare))  # type: ignore[arg-type]
                results[name] = {
                    "prompts": outcome.sent, "seconds": round(outcome.seconds, 1),
                    "prompts_per_minute": round(outcome.sent / outcome.seconds * 60, 2),
                    "scoring_ms_per_prompt": round(outcome.scoring_ms / outcome.sent, 1),
                    "primary_requests": outcome.primary_sent, "similarity": available()}
                print(json.dumps({name: results[name]}), flush=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
