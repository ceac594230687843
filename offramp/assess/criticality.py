"""Critical or not: can production traffic reach a path? Default rules are data (data/criticality.toml)."""

from dataclasses import dataclass
from functools import cache
from typing import Literal

from offramp.assess.globs import first_match, matches_any
from offramp.assess.policy import Policy
from offramp.assess.reason import N_, Reason
from offramp.datafiles import DATA_MODEL, bundled_model
from offramp.records import Field, Record


class CriticalityRule(Record):
    model_config = DATA_MODEL

    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    why: str
    globs: tuple[str, ...] = Field(min_length=1)


class CriticalityFile(Record):
    model_config = DATA_MODEL

    schema_version: Literal[1]
    package_roots: tuple[str, ...] = Field(
        (), description="Source roots below which folders are a package name (com/example), not a project layout.")
    rule: tuple[CriticalityRule, ...]


@dataclass(frozen=True)
class Criticality:
    critical: bool
    why: Reason
    rule: Reason | None = None
    """The default rule that made the path non-critical ('tests', 'docs', ...), when one did; its id is also the
    word reports show for it, so it is in the catalogue too."""


@cache
def _defaults() -> CriticalityFile:
    return bundled_model("offramp.assess.data", "criticality.toml", CriticalityFile, ValueError)


def default_rules() -> tuple[CriticalityRule, ...]:
    return _defaults().rule


@cache
def _default_globs() -> tuple[str, ...]:
    return tuple(glob for rule in default_rules() for glob in rule.globs)


def layout_path(file: str) -> str:
    """The path with its package folders left out: a Java class in ``com.example`` is not an example.

    'shop/src/main/java/com/example/shop/App.java' -> 'shop/src/main/java/App.java'.
    """
    for root in _defaults().package_roots:
        position = file.find(root)
        if position == 0 or (position > 0 and file[position - 1] == "/"):
            return file[: position + len(root)] + file.rsplit("/", 1)[-1]
    return file


def classify(file: str, policy: Policy) -> Criticality:
    """Policy ``critical`` globs first, then ``not_critical``, then the default rules; else critical.

    A path in both policy lists is critical: counting it can only show exposure, never hide it.
    """
    if glob := first_match(policy.critical, file):
        return Criticality(True, N_("critical by policy: matches {glob} in `critical`", glob=repr(glob)))
    if glob := first_match(policy.not_critical, file):
        return Criticality(False, N_("not critical by policy: matches {glob} in `not_critical`", glob=repr(glob)))
    layout = layout_path(file)
    if matches_any(_default_globs(), layout):  # production code matches none: one match says so
        for rule in default_rules():
            if glob := first_match(rule.globs, layout):
                # the rule's why and id are data text, in the catalogue through babel.cfg's extraction
                return Criticality(False, N_("not critical: {why} (matches {glob})", why=Reason(rule.why),
                                             glob=repr(glob)), Reason(rule.id))
    return Criticality(True, N_("critical: production code (matches no test, example, docs, notebook, benchmark "
                                "or script rule)"))
