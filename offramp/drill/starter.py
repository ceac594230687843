"""``offramp drill init``: a starter prompt set per file with critical at-risk paths, from the system prompts
and prompt templates found next to them, and the ``[drill.sets]`` entries that point at them.

A starter set only proves that the fallback answers in the product's role without refusing; the team then
adds real questions and reference answers (or lets the gateway capture them).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from offramp.assess import assess, load_policy
from offramp.assess.policy import PolicyError
from offramp.catalog import Catalog, CatalogError
from offramp.drill.prompts import DrillError
from offramp.gateway.config import ConfigError, load_config
from offramp.scan.driver import ScanOptions, scan_tree
from offramp.scan.walk import WalkError

PROBE = "Introduce yourself and say in two sentences what you can help me with."
TEMPLATE_SUFFIXES = (".txt", ".md", ".prompt", ".j2", ".jinja", ".jinja2", ".tmpl", ".mustache")
TEMPLATE_FOLDERS = ("prompts", "templates", "prompt")
MAX_TEMPLATE_BYTES = 20_000
PER_FILE = 3

_STRING = r"""(?P<q>\"\"\"|'''|"|'|`)(?P<text>(?:\\.|(?!(?P=q)).){20,}?)(?P=q)"""
# Where code writes a system prompt: a chat message with role "system", a SystemMessage, a system= or
# system: argument, or a name that says it is one (SYSTEM_PROMPT, systemPrompt, system_message...).
_SYSTEM = [re.compile(p, re.DOTALL | re.IGNORECASE) for p in (
    r"""["']?role["']?\s*[:=]\s*["']system["']\s*,\s*["']?content["']?\s*[:=]\s*""" + _STRING,
    r"""SystemMessage(?:PromptTemplate)?(?:\.from_template)?\(\s*(?:content\s*=\s*)?""" + _STRING,
    r"""\bsystem(?:_?instructions?)?\s*[:=]\s*""" + _STRING,
    r"""\b\w*system_?(?:prompt|message|instructions?)\w*\s*[:=]\s*""" + _STRING,
)]


@dataclass(frozen=True)
class StarterSet:
    name: str
    file: Path
    paths: tuple[str, ...]
    prompts: int
    sources: tuple[str, ...]
    """Where each system prompt came from: 'app/chat.py:12', 'app/prompts/support.txt'."""


def system_prompts(text: str, near_line: int) -> list[tuple[int, str]]:
    """(line, prompt) of the system prompts in a source text, nearest to ``near_line`` first."""
    found: dict[str, int] = {}
    for pattern in _SYSTEM:
        for match in pattern.finditer(text):
            prompt = bytes(match.group("text"), "utf-8").decode("unicode_escape", "replace") \
                if match.group("q") in ('"', "'") else match.group("text")
            found.setdefault(prompt.strip(), text.count("\n", 0, match.start()) + 1)
    return sorted(((line, prompt) for prompt, line in found.items() if prompt),
                  key=lambda item: abs(item[0] - near_line))


def templates(folder: Path, root: Path) -> list[Path]:
    """Prompt templates next to a source file: in its folder (named for prompts) or in a prompts/ subfolder."""
    found = [p for p in folder.iterdir() if p.is_file() and p.suffix in TEMPLATE_SUFFIXES
             and re.search(r"prompt|system", p.stem, re.IGNORECASE)] if folder.is_dir() else []
    for sub in TEMPLATE_FOLDERS:
        if (folder / sub).is_dir():
            found += [p for p in sorted((folder / sub).iterdir()) if p.is_file() and p.suffix in TEMPLATE_SUFFIXES]
    return [p for p in sorted(set(found)) if not p.is_symlink() and p.resolve().is_relative_to(root.resolve())
            and p.stat().st_size <= MAX_TEMPLATE_BYTES]


def write_starters(root: Path, policy_file: Path | None = None, route: str | None = None,
                   force: bool = False) -> list[StarterSet]:
    """Scan ``root``, write ``drills/<name>.jsonl`` per file with critical at-risk paths, add them to the policy."""
    try:
        policy, found = load_policy(root, policy_file)
        catalog = Catalog.load(policy.catalog) if policy.catalog else Catalog.load()
        result = scan_tree(root, catalog, ScanOptions(max_file_bytes=policy.scan.max_file_bytes,
                                                      exclude=tuple(policy.scan.exclude)))
    except (PolicyError, CatalogError, WalkError) as exc:
        raise DrillError(str(exc)) from None
    assessment = assess(result, policy, catalog, date.today())
    policy_path = found or root / "offramp.toml"
    route = route or _only_route(policy_path.parent / policy.drill.gateway)
    by_file: dict[str, list[int]] = {}
    for path in assessment.paths:
        if path.critical and path.at_risk:
            by_file.setdefault(path.path.file, []).append(path.path.line)
    starters = []
    for file, lines in sorted(by_file.items()):
        name = re.sub(r"[^A-Za-z0-9_]+", "_", Path(file).with_suffix("").as_posix()).strip("_")
        if name in policy.drill.sets and not force:
            continue
        starter = _write_set(root, file, min(lines), name, force)
        if starter is not None:
            starters.append(starter)
    if starters:
        _add_to_policy(policy_path, starters, route or "CHANGE-ME", policy.drill.sets)
    return starters


def _write_set(root: Path, file: str, line: int, name: str, force: bool) -> StarterSet | None:
    source = root / file
    prompts: list[tuple[str, str]] = []
    try:
        text = source.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    prompts += [(f"{file}:{at}", prompt) for at, prompt in system_prompts(text, line)[:PER_FILE]]
    for template in templates(source.parent, root)[:PER_FILE]:
        prompts.append((template.relative_to(root).as_posix(), template.read_text(encoding="utf-8", errors="replace")))
    if not prompts:
        return None
    out = root / "drills" / f"{name}.jsonl"
    if out.exists() and not force:
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"id": f"starter-{index}", "messages": [{"role": "system", "content": prompt.strip()},
                                                                {"role": "user", "content": PROBE}]},
                        ensure_ascii=False) for index, (_, prompt) in enumerate(prompts, 1)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return StarterSet(name, out, (file,), len(lines), tuple(where for where, _ in prompts))


def _only_route(gateway: Path) -> str | None:
    """The gateway's route when it has exactly one; the user names it otherwise."""
    try:
        routes = load_config(gateway).routes if gateway.is_file() else {}
    except ConfigError:
        return None
    return next(iter(routes)) if len(routes) == 1 else None


def _add_to_policy(policy: Path, starters: list[StarterSet], route: str, existing: dict[str, object]) -> None:
    tables = [f'\n[drill.sets.{s.name}]\nprompts = "{s.file.relative_to(policy.parent).as_posix()}"\n'
              f'route = "{route}"\npaths = [{", ".join(json.dumps(p) for p in s.paths)}]\n'
              for s in starters if s.name not in existing]
    if tables:
        with policy.open("a", encoding="utf-8") as out:
            out.write("".join(tables))
