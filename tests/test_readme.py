"""The README's examples work as written."""

import re
import subprocess
import sys
from pathlib import Path

from offramp.assess import check_policy, parse_policy
from offramp.catalog import Catalog

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_policy_example_is_a_valid_policy():
    (block,) = [b for b in re.findall(r"```toml\n(.*?)```", README, flags=re.S) if "[[waiver]]" in b]
    policy = parse_policy(block, "README.md")
    catalog = Catalog.load(policy.catalog, "README.md")
    check_policy(policy, catalog, "README.md")
    assert policy.at_risk == ("US",) and policy.waivers[0].owner == "trust-safety@acme.example.tw"
    assert next(r for r in catalog.lockin.rule if r.id == "embeddings").hours == 16


def test_the_gateway_example_is_the_config_file_it_names():
    from offramp.gateway.config import load_config

    (block,) = [b for b in re.findall(r"```toml\n(.*?)```", README, flags=re.S) if "[[routes.claude.targets]]" in b]
    shipped = Path(__file__).parent.parent / "examples" / "gateway" / "claude-then-qwen.toml"
    text = shipped.read_text(encoding="utf-8")
    header = re.match(r"(?:#.*\n)+\n?", text)
    assert block == text[header.end() if header else 0 :]  # the README shows the file below its comment header
    config = load_config(shipped, environ={"ANTHROPIC_API_KEY": "sk-ant-test"})
    assert [t.provider for t in config.routes["claude"].targets] == ["anthropic", "vllm"]


def test_the_first_lines_of_the_sample_output_are_what_the_scan_prints():
    sample = re.search(r"\$ offramp scan examples/acme-support\n(.*?)\n\n", README, flags=re.S).group(1)
    printed = subprocess.run([sys.executable, "-m", "offramp", "scan", "examples/acme-support"],
                             capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent).stdout
    assert printed.splitlines()[:2] == sample.splitlines()[:2]
