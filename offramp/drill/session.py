"""``offramp drill run`` as a whole: read the policy, the gateway config and the prompt sets, cut the at-risk
providers off, drill each set in turn, store each verdict."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from offramp import __version__
from offramp.assess.policy import DrillPolicy, PolicyError, load_policy
from offramp.drill.gateway import DrillGateway, at_risk_providers
from offramp.drill.primary import CompareMode, Primary, compared_primary
from offramp.drill.prompts import DrillError, PromptSet, load_prompt_set
from offramp.drill.runner import Budget, Drill, Outcome, Progress, Spent, Target
from offramp.drill.scorers import default_scorers, similarity
from offramp.drill.scorers.agreement import PrimaryAgreement
from offramp.drill.scorers.base import Answer
from offramp.drill.scorers.judge import JudgeScorer
from offramp.gateway.config import ConfigError, GatewayConfig, load_config
from offramp.store import DrillStore


@dataclass(frozen=True)
class Plan:
    """Everything a drill needs, checked before anything is sent."""

    settings: DrillPolicy
    gateway: GatewayConfig
    sets: tuple[tuple[PromptSet, Target], ...]
    judge_route: str | None
    catalog_version: str


def load_plan(root: Path, policy_file: Path | None = None, only: tuple[str, ...] = ()) -> Plan:
    """The drill settings of the policy at ``root`` (or ``policy_file``), resolved and validated."""
    try:
        policy, found = load_policy(root, policy_file)
    except PolicyError as exc:
        raise DrillError(str(exc)) from None
    settings = policy.drill
    if not settings.sets:
        raise DrillError(f"{found or root / 'offramp.toml'}: no [drill.sets.NAME] tables; run `offramp drill init` "
                         "to write starter prompt sets, or see docs/drill.md")
    unknown = sorted(set(only) - set(settings.sets))
    if unknown:
        raise DrillError(f"no prompt set named {', '.join(map(repr, unknown))}; the policy has "
                         f"{', '.join(sorted(settings.sets))}")
    base = (found.parent if found else root)
    try:
        gateway = load_config(base / settings.gateway)
    except ConfigError as exc:
        raise DrillError(f"{exc} (drill.gateway in the policy names this file)") from None
    cut_off = at_risk_providers(gateway)
    version = catalog_version(policy.catalog)
    sets = []
    for name, entry in settings.sets.items():
        if only and name not in only:
            continue
        route = gateway.routes.get(entry.route)
        if route is None:
            raise DrillError(f"prompt set {name!r}: route {entry.route!r} is not in {gateway.source}; its routes "
                             f"are {', '.join(sorted(gateway.routes))}")
        target = Target(route=entry.route, paths=entry.paths, cut_off=cut_off,
                        fallbacks=tuple(t.id for t in route.targets if not t.at_risk_closed),
                        at_risk=frozenset(t.id for t in route.targets if t.at_risk_closed),
                        threshold=entry.threshold if entry.threshold is not None else settings.threshold,
                        catalog_version=version, primary=next((t for t in route.targets if t.at_risk_closed), None))
        sets.append((load_prompt_set(name, base / entry.prompts), target))
    judge = settings.judge.route if settings.judge else None
    if judge is not None and judge not in gateway.routes:
        raise DrillError(f"drill.judge.route {judge!r} is not in {gateway.source}; its routes are "
                         f"{', '.join(sorted(gateway.routes))}")
    return Plan(settings, gateway, tuple(sets), judge, version)


def unscored_references(plan: Plan) -> str | None:
    """A warning when prompts carry reference answers that no scorer will compare with: the drill-embeddings
    extra (sentence-transformers and the embedding model) is missing, so similarity is off."""
    if similarity.available():
        return None
    counts = {prompts.name: sum(p.reference is not None for p in prompts.prompts) for prompts, _ in plan.sets}
    counts = {name: count for name, count in counts.items() if count}
    if not counts:
        return None
    total = sum(counts.values())
    return (f"warning: {total} prompt{'s' if total > 1 else ''} of {', '.join(sorted(counts))} "
            f"{'have' if total > 1 else 'has'} a reference answer, but semantic similarity is off: the "
            f"drill-embeddings extra is missing ({similarity.INSTALL}). Until it is installed, those prompts are "
            f"judged by their other checks only, so the verdict may pass answers that say something else.")


def catalog_version(extension: dict[str, Any]) -> str:
    """The offramp version and a digest of the bundled catalog and the policy's extension of it."""
    digest = hashlib.sha256(json.dumps(extension, sort_keys=True, default=str).encode())
    for file in sorted(resources.files("offramp.catalog.data").iterdir(), key=lambda f: f.name):
        if file.name.endswith((".toml", ".json")):
            digest.update(file.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


async def run_plan(plan: Plan, store: DrillStore, stop: asyncio.Event, *, url: str | None = None,
                   budget: Budget | None = None, concurrency: int | None = None, scoring: bool = True,
                   compare: CompareMode | None = None, progress: Callable[[str], Progress] | None = None,
                   note: Callable[[str], None] | None = None) -> list[Outcome]:
    """Drill every set of the plan with the at-risk providers cut off; stops early on ``stop`` or the budget.

    ``compare`` (default ``drill.compare_with_primary``) says whether each set's primary is also asked; every
    primary is checked before the first prompt goes out, and ``note`` hears what was decided for each set.
    """
    settings = plan.settings
    budget = budget or Budget(settings.budget.requests, settings.budget.tokens, settings.budget.seconds)
    spent = Spent()
    outcomes: list[Outcome] = []
    async with contextlib.AsyncExitStack() as stack:
        primaries = await _primaries(plan, compare or settings.compare_with_primary, stack, note)
        gateway = await stack.enter_async_context(DrillGateway(plan.gateway, url))
        await gateway.cut_off(plan.sets[0][1].cut_off if plan.sets else ())
        scorers = list(default_scorers(settings.similarity)) if scoring else []
        if scoring and plan.judge_route and settings.judge:
            route = plan.judge_route

            async def ask(body: dict[str, Any]) -> Answer:
                reply = await gateway.chat({**body, "model": route, "max_tokens": 64, "temperature": 0})
                spent.tokens += reply.input_tokens + reply.output_tokens
                return reply.answer

            scorers.append(JudgeScorer(ask, settings.judge.rubric))
        for prompts, target in plan.sets:
            if stop.is_set():
                break
            primary = primaries[prompts.name]
            drill = Drill(prompts, target, gateway, store, scorers, concurrency=concurrency or settings.concurrency,
                          max_tokens=settings.max_tokens, budget=budget, spent=spent,
                          judge_requests=1 if any(isinstance(s, JudgeScorer) for s in scorers) else 0,
                          primary=primary, agreement=PrimaryAgreement(settings.similarity) if scoring and primary
                          else None, progress=progress(prompts.name) if progress else None)
            outcome = await drill.run(stop)
            outcomes.append(outcome)
            if outcome.ended == "budget":
                break
    return outcomes


async def _primaries(plan: Plan, mode: CompareMode, stack: contextlib.AsyncExitStack,
                     note: Callable[[str], None] | None) -> dict[str, Primary | None]:
    """Each set's primary to ask beside its fallback, or None; a primary several sets share is checked once."""
    checked: dict[str | None, tuple[Primary | None, str]] = {}
    chosen = {}
    for prompts, target in plan.sets:
        key = target.primary.url if target.primary else None
        if key not in checked:
            checked[key] = await compared_primary(target.primary, mode, stack)
        chosen[prompts.name], why = checked[key]
        if note:
            note(f"{prompts.name}: {why}")
    return chosen
