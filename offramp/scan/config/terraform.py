"""Terraform resources that provision model access: Bedrock, Azure OpenAI deployments, Vertex AI endpoints.

Which resource types count, their provider and conditions are data (``[[terraform]]`` in ``rules.toml``).
A model id is read from any model-ish attribute of the resource, nested blocks included
(``foundation_model``, ``model_arn``, ``model { name = "gpt-4o" }``), written literally or through a
variable's default or a local.
"""

from __future__ import annotations

from offramp.scan.config.classify import Classifier
from offramp.scan.config.hcl import Attribute, Block, parse_hcl
from offramp.scan.config.rules import TerraformRule
from offramp.scan.findings import ConfigValue

SOURCE = "terraform"
RESOURCE_BLOCKS = ("resource", "data")


def terraform_values(text: str, relpath: str, classifier: Classifier) -> list[ConfigValue]:
    top = parse_hcl(text)
    known = _Values(top)
    found = []
    for block in top.blocks:
        if block.type not in RESOURCE_BLOCKS or len(block.labels) < 2:
            continue
        rule = classifier.rules.terraform_rule(block.labels[0])
        if rule is None or not _conditions_hold(rule, block, known):
            continue
        found += _resource_values(block, rule, relpath, classifier, known)
    return found


def _resource_values(block: Block, rule: TerraformRule, relpath: str, classifier: Classifier,
                     known: _Values) -> list[ConfigValue]:
    """One value per model the resource names; the resource itself when it names none it can be read."""
    address = ".".join(block.labels[:2])
    found = []
    unresolved = None
    for path, attribute in _attributes(block, ()):
        if not classifier.rules.is_model_key(list(path)):
            continue
        value = known.value(attribute)
        meaning = classifier.classify(list(path), value) if value is not None else None
        if meaning is not None and meaning.kind == "model":
            found.append(ConfigValue(relpath, attribute.line, f"{address}.{'.'.join(path)}", value, "resource",
                                     SOURCE, rule.provider, meaning.model))
        elif unresolved is None:
            unresolved = attribute
    if not found and rule.report_without_model:
        line, value = (unresolved.line, unresolved.expression) if unresolved else (block.line, block.labels[0])
        found.append(ConfigValue(relpath, line, address, value, "resource", SOURCE, rule.provider, None))
    return found


def _attributes(block: Block, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Attribute]]:
    found = [((*path, name), attribute) for name, attribute in block.attributes.items()]
    for child in block.blocks:
        found += _attributes(child, (*path, child.type))
    return found


def _conditions_hold(rule: TerraformRule, block: Block, known: _Values) -> bool:
    for name, allowed in rule.when.items():
        attribute = block.attributes.get(name)
        if attribute is None or known.value(attribute) not in allowed:
            return False
    return True


class _Values:
    """Literal values the file gives its variables (defaults) and locals, for ``var.x`` and ``local.x``."""

    def __init__(self, top: Block) -> None:
        self.by_reference: dict[str, str] = {}
        for block in top.blocks:
            if block.type == "variable" and block.labels and (default := block.attributes.get("default")):
                if default.value is not None:
                    self.by_reference[f"var.{block.labels[0]}"] = default.value
            elif block.type == "locals":
                for name, attribute in block.attributes.items():
                    if attribute.value is not None:
                        self.by_reference[f"local.{name}"] = attribute.value

    def value(self, attribute: Attribute) -> str | None:
        if attribute.value is not None:
            return attribute.value
        return self.by_reference.get(attribute.expression)
