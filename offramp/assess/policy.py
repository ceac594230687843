"""The team's policy: ``offramp.toml`` (or ``[tool.offramp]`` in ``pyproject.toml``).

It says which jurisdictions are at risk, which paths are critical beyond the default rules, which exposed
paths are knowingly accepted for a while (waivers, each with an owner and an expiry date), and which paths
have a replacement ready outside the code (declared replacements).
"""

import os
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from offramp.assess.locate import line_of_key
from offramp.cachefolder import compiled
from offramp.datafiles import TOMLDecodeError, parse_toml
from offramp.records import AfterValidator, Field, Record, validating_model

POLICY_FILE = "offramp.toml"
POLICY_MAX_BYTES = 1_000_000
PYPROJECT_FILE = "pyproject.toml"
PYPROJECT_TABLE = ("tool", "offramp")


class PolicyError(ValueError):
    """The policy file is missing, not TOML, or not a valid policy; the message says where and how to fix it."""


def _check_country(code: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise ValueError(f"expected an ISO 3166 alpha-2 country code in capitals, such as 'US' or 'TW', got {code!r}")
    return code


def _check_glob(glob: str) -> str:
    if not glob.strip():
        raise ValueError("a glob cannot be empty")
    if glob.lstrip().startswith("!"):
        raise ValueError(f"negated globs ({glob!r}) are not supported here; list the paths you mean instead")
    return glob


CountryCode = Annotated[str, AfterValidator(_check_country)]
Glob = Annotated[str, AfterValidator(_check_glob)]
"""A path pattern in .gitignore syntax, relative to the scanned root: 'app/**', 'tests/', '*_eval.py'."""


_POLICY_MODEL = {"extra": "forbid", "frozen": True, "populate_by_name": True, "defer_build": True}


class _Strict(Record):
    # Validators are built when a policy file is first read: a tree without one uses default_policy().
    model_config = _POLICY_MODEL


class Waiver(_Strict):
    """An exposed path the team accepts for now; it stops counting as exposed until ``expires``."""

    path: Glob = Field(description="Files the waiver covers (.gitignore syntax, relative to the scanned root).")
    reason: str = Field(min_length=1, description="Why the exposure is accepted.")
    owner: str = Field(min_length=1, description="Who answers for it: a person or team.")
    expires: date = Field(description="First day on which the waiver no longer counts (a TOML date).")

    def is_expired(self, today: date) -> bool:
        return today >= self.expires


class Replacement(_Strict):
    """A replacement that is ready but not visible in the code (a feature flag, a runbook, another service)."""

    path: Glob = Field(description="Files whose paths the replacement covers (.gitignore syntax).")
    provider: str = Field(min_length=1, description="Catalog provider id of the replacement, e.g. 'vllm'.")
    model: str | None = Field(None, description="Model id the replacement serves, e.g. 'Qwen/Qwen3-32B'.")
    reason: str = Field(min_length=1, description="How the switch is made, e.g. 'flag LLM_BACKEND=vllm'.")


class ScanOptions(_Strict):
    exclude: tuple[Glob, ...] = Field((), description="Extra paths never scanned (.gitignore syntax).")
    max_file_bytes: int = Field(2_000_000, gt=0, description="Larger files are skipped and listed as skipped.")


class DrillSet(_Strict):
    """A prompt set and what its drill proves: the route it goes through and the paths that route serves."""

    prompts: str = Field(min_length=1, description="JSONL prompt file, relative to the policy file.")
    route: str = Field(min_length=1, description="The gateway route (model alias) the prompts are sent to.")
    paths: tuple[Glob, ...] = Field((), description="Files whose paths this route replaces (.gitignore syntax).")
    threshold: float | None = Field(None, ge=0, le=1, description="Pass rate needed; default drill.threshold.")


class DrillBudget(_Strict):
    requests: int | None = Field(None, gt=0, description="At most this many requests (judge calls included).")
    tokens: int | None = Field(None, gt=0, description="No new prompt once this many tokens were used.")
    seconds: float | None = Field(None, gt=0, description="No new prompt after this many seconds.")


class DrillJudge(_Strict):
    route: str = Field(min_length=1, description="Gateway route of the judge model (a self-hosted one, say).")
    rubric: str = Field(min_length=1, description="What a good answer does; the judge answers PASS or FAIL.")


class DrillPolicy(_Strict):
    gateway: str = Field("gateway.toml", description="Gateway config, relative to the policy file.")
    threshold: float = Field(0.8, ge=0, le=1, description="Share of prompts that must pass for a set to pass.")
    max_age_days: float = Field(30, gt=0, description="A passed drill older than this is stale: not verified.")
    concurrency: int = Field(4, ge=1, le=256, description="Prompts in flight at once.")
    max_tokens: int = Field(256, ge=1, description="max_tokens of each drill request.")
    similarity: float = Field(0.6, ge=-1, le=1, description="Least cosine similarity to a reference answer "
                                                            "(and to the primary's answer).")
    compare_with_primary: Literal["auto", "on", "off"] = Field(
        "auto", description="Also ask the route's primary each prompt, directly past the cut-off, and score the "
                            "fallback's answer against its answer. auto: when the gateway config gives the primary an "
                            "API key and it lists its models; on: whenever it answers (else the drill stops before "
                            "any prompt); off: never. Each such request counts in the budget.")
    budget: DrillBudget = Field(default_factory=DrillBudget)
    judge: DrillJudge | None = None
    sets: dict[str, DrillSet] = Field(default_factory=dict, description="Prompt sets by name.")


class Policy(_Strict):
    home: CountryCode | None = Field(None, description="The team's own jurisdiction, shown in reports.")
    at_risk: tuple[CountryCode, ...] = Field(("US",), description="Jurisdictions whose closed models are at risk.")
    critical: tuple[Glob, ...] = Field((), description="Paths always critical, whatever the default rules say.")
    not_critical: tuple[Glob, ...] = Field((), description="Paths never critical (unless also listed critical).")
    waivers: tuple[Waiver, ...] = Field((), alias="waiver")
    replacements: tuple[Replacement, ...] = Field((), alias="replacement")
    catalog: dict[str, Any] = Field(default_factory=dict, description="Catalog extension, see Catalog.load.")
    scan: ScanOptions = Field(default_factory=ScanOptions)
    drill: DrillPolicy = Field(default_factory=DrillPolicy)


@cache
def default_policy() -> Policy:
    """The policy of a tree that has none. Compiled once (:func:`offramp.cachefolder.compiled`): validating
    even an empty policy builds the validators of every policy model first, which cost a scan more than
    everything it did before its walk."""
    return compiled("default policy", Policy)


def load_policy(root: Path, explicit: Path | None = None) -> tuple[Policy, Path | None]:
    """The policy for a scan of ``root`` and the file it came from (None: the defaults).

    ``explicit`` (``--policy``) wins; then ``root/offramp.toml``; then ``[tool.offramp]`` in
    ``root/pyproject.toml``; otherwise the defaults. A file found in the tree is read only when it is a
    regular file inside it: the tree may come from anyone (a pull request), the ``--policy`` path from the user.
    """
    if explicit is not None:
        if not explicit.is_file():
            raise PolicyError(f"{explicit}: no such policy file; check the path, or run `offramp init` to write one")
        table = PYPROJECT_TABLE if explicit.name == PYPROJECT_FILE else ()
        return _load_file(explicit, table, required=True), explicit
    own = root / POLICY_FILE
    if os.path.lexists(own):
        return _load_file(own, (), required=True, root=root), own
    pyproject = root / PYPROJECT_FILE
    if pyproject.is_file() and not pyproject.is_symlink():  # the scan reports a link or special file
        policy = _load_file(pyproject, PYPROJECT_TABLE, required=False, root=root)
        if policy is not None:
            return policy, pyproject
    return default_policy(), None


def _load_file(path: Path, table: tuple[str, ...], *, required: bool, root: Path | None = None) -> Policy | None:
    from offramp.scan.walk import SkipFile, read_regular_file

    try:
        # Links are followed only for --policy; in the tree they could lead out of it, to a FIFO or a device.
        data = read_regular_file(str(path if root is not None else path.resolve()), POLICY_MAX_BYTES,
                                 "a policy is a few kilobytes")
        text = data.decode("utf-8-sig")
    except SkipFile as skip:
        remedy = "make it a regular file in the repository" if root is not None else "pass a regular file"
        raise PolicyError(f"{path}: the policy file is not read: {skip.reason}; {remedy}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{path}: cannot read the policy file: {exc}") from None
    if not required and ".".join(PYPROJECT_TABLE) not in text:
        return None  # a pyproject.toml with no policy in it is the build's business, even when it is invalid
    return parse_policy(text, str(path), table, required=required)


def parse_policy(text: str, origin: str, table: tuple[str, ...] = (), *, required: bool = True) -> Policy | None:
    """Validate policy TOML; ``table`` is where the policy sits in the file (``("tool", "offramp")``)."""
    try:
        data: Any = parse_toml(text)
    except TOMLDecodeError as exc:
        raise PolicyError(f"{origin}: not valid TOML: {exc}. Fix the syntax at that line.") from None
    for key in table:
        if not isinstance(data, dict) or key not in data:
            if required:
                raise PolicyError(f"{origin}: no [{'.'.join(table)}] table; add one or use {POLICY_FILE}")
            return None
        data = data[key]
    if not isinstance(data, dict):
        raise PolicyError(f"{origin}: [{'.'.join(table)}] must be a table")
    from pydantic import ValidationError

    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        located = sorted(_located(error, text, origin, table) for error in exc.errors(include_url=False))
        raise PolicyError(f"{origin}: invalid policy:\n  " + "\n  ".join(problem for _, problem in located)) from None


_GLOB_FIELDS = {"critical", "not_critical", "exclude", "path"}
_TABLES: dict[tuple[str, ...], type[_Strict]] = {
    (): Policy, ("waiver",): Waiver, ("replacement",): Replacement, ("scan",): ScanOptions, ("drill",): DrillPolicy,
    ("drill", "budget"): DrillBudget, ("drill", "judge"): DrillJudge,
}


def _known_keys(table: tuple[str, ...]) -> list[str]:
    """The keys a table of the policy file may have (a field's alias, when it has one, is its key)."""
    record = _TABLES.get(table)
    fields = validating_model(record).model_fields if record else {}
    return sorted(field.alias or name for name, field in fields.items())


def _located(error: Any, text: str, origin: str, table: tuple[str, ...]) -> tuple[int, str]:
    """The line of the problem (0 when unknown) and the message, which names the file, line and key."""
    loc = tuple(error["loc"])
    line = line_of_key(text, (*table, *loc)) or 0
    return line, _describe(error, loc, f"{origin}:{line}" if line else origin)


def _describe(error: Any, loc: tuple[Any, ...], where: str) -> str:
    name = _dotted(loc)
    kind: str = error["type"]
    field = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if kind == "extra_forbidden":
        parent = tuple(part for part in loc[:-1] if isinstance(part, str))
        known = ", ".join(_known_keys(parent))
        return f"{where}: unknown key {name!r}. Known keys here: {known}. Check the spelling (`offramp init` " \
               "writes a commented example of every key)."
    if kind == "missing":
        return f"{where}: {name}: required key {field!r} is missing; add it."
    if kind.startswith("date"):
        return f"{where}: {name}: {error['msg']} (got {error.get('input')!r}); write a TOML date without " \
               "quotes, e.g. expires = 2026-10-01."
    if kind in {"tuple_type", "list_type"} or (field in _GLOB_FIELDS and kind == "string_type"):
        example = _EXAMPLES.get(field, f"{field} = [...]")
        return f"{where}: {name}: expected {_SHAPES.get(field, 'a list')} (got {error.get('input')!r}), e.g. {example}."
    if kind == "value_error":
        return f"{where}: {name}: {error['ctx']['error']}."
    return f"{where}: {name}: {error['msg']} (got {error.get('input')!r})."


_EXAMPLES = {
    "path": 'path = "app/legacy/**"',
    "at_risk": 'at_risk = ["US", "CN"]',
    "critical": 'critical = ["app/**", "jobs/nightly.py"]',
    "not_critical": 'not_critical = ["internal/playground/**"]',
    "exclude": 'exclude = ["generated/**"]',
    "waiver": "[[waiver]] tables (see `offramp init`)",
    "replacement": "[[replacement]] tables (see `offramp init`)",
}
_SHAPES = {
    "path": "a glob string in .gitignore syntax",
    "critical": "a list of glob strings in .gitignore syntax",
    "not_critical": "a list of glob strings in .gitignore syntax",
    "exclude": "a list of glob strings in .gitignore syntax",
    "at_risk": "a list of ISO 3166 alpha-2 country codes",
}


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


INIT_TEMPLATE = """\
# Offramp policy: what counts as critical and at risk for this product, and what the team accepts.
# Offramp reads this file from the root of the scanned tree (or [tool.offramp] in pyproject.toml).
# Globs use .gitignore syntax relative to the scanned root: "tests/" is any folder named tests,
# "app/**" everything under app/, "/scripts/" only the top-level scripts folder.

# Your own jurisdiction (ISO 3166 alpha-2), shown in reports.
# home = "TW"

# Jurisdictions whose providers could cut off a closed-weight model overnight. A path is at risk when it can
# reach a closed-weight model served by a provider in one of them. Open-weight models are never at risk.
at_risk = ["US"]

# Criticality: by default tests, fixtures, examples, docs, notebooks, benchmarks and one-off scripts are not
# critical and everything else is; each path in the JSON report names the rule that decided (critical_why).
# These lists override the defaults; a path in both lists is critical.
critical = []        # e.g. ["scripts/nightly_reindex.py"]
not_critical = []    # e.g. ["internal/playground/**"]

# Waivers: an exposed path the team accepts until a date. While a waiver holds, its paths are listed as
# waived and not counted as exposed; from the expiry date on they count again and reports say so.
# [[waiver]]
# path = "app/legacy/summarise.py"
# reason = "Legacy summariser, replaced by the v2 pipeline in Q3"
# owner = "platform-team@example.com"
# expires = 2026-10-01

# Declared replacements: a ready replacement the code does not show (a feature flag, another service).
# It counts only when its own target is not at risk.
# [[replacement]]
# path = "app/chat/**"
# provider = "vllm"
# model = "Qwen/Qwen3-32B"
# reason = "LLM_BACKEND=vllm switches chat to our vLLM cluster (runbook: docs/failover.md)"

[scan]
# Paths never scanned, on top of .gitignore and the default vendored and build folders.
exclude = []
# Files larger than this many bytes are skipped (and listed as skipped).
max_file_bytes = 2000000

# Drills (`offramp drill run`): prompt sets sent through a gateway route with the at-risk providers cut off.
# A path's replacement is verified while its latest drill passed less than max_age_days ago.
# [drill]
# gateway = "gateway.toml"     # the gateway config, relative to this file
# threshold = 0.8              # share of a set's prompts that must pass
# max_age_days = 30
# concurrency = 4
# budget = { requests = 500, tokens = 200000, seconds = 1800 }
# judge = { route = "judge", rubric = "Answers the question correctly and politely." }
#
# [drill.sets.support_chat]
# prompts = "drills/support_chat.jsonl"   # `offramp drill init` writes starter sets
# route = "claude"                         # the gateway route (model alias) the app calls
# paths = ["app/chat/**"]                  # the files whose paths this route replaces

# Catalog extension: your own providers and models, and your own lock-in hours.
# [[catalog.provider]]
# id = "acme-llm"
# name = "ACME internal LLM gateway"
# self_hosted = true
# hosts = ["llm.acme.internal"]
#
# [catalog.lockin.hours]
# embeddings = 16
"""


def write_init(path: Path, *, overwrite: bool = False) -> Path:
    """Write the commented starting policy; refuse to replace an existing file unless told to."""
    if path.is_dir():
        path = path / POLICY_FILE
    if path.exists() and not overwrite:
        raise PolicyError(f"{path} already exists; edit it, or pass --force to replace it")
    path.write_text(INIT_TEMPLATE, encoding="utf-8")
    return path
