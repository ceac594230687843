"""Drill throughput against a local model: prompts per minute with and without scoring, and what scoring adds.

Start the model server as in the README's drill demo (port 8012), then:
    python benchmarks/drill/throughput.py --prompts 12
Each prompt set runs twice through the demo's gateway (examples/drill): with every scorer (similarity
included; the embedding model is loaded before timing starts) and without scoring. Results go to stdout as JSON.
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
from offramp.store import open_drill_store

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "drill"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prompts", type=int, default=12, help="Prompts per run (the demo's set, repeated).")
    args = parser.parse_args()
    plan = load_plan(EXAMPLE)
    (base, target), = plan.sets
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
        for scoring in (True, False):
            prompts = load_prompt_set(f"bench-{scoring}", file)
            store = open_drill_store(Path(folder) / f"{scoring}.sqlite")
            [outcome] = asyncio.run(run_plan(replace(plan, sets=((prompts, target),)), store, asyncio.Event(),
                                             scoring=scoring))
            results["with scoring" if scoring else "without scoring"] = {
                "prompts": outcome.sent, "seconds": round(outcome.seconds, 1),
                "prompts_per_minute": round(outcome.sent / outcome.seconds * 60, 2),
                "scoring_ms_per_prompt": round(outcome.scoring_ms / outcome.sent, 1),
                "similarity": available()}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
