"""The README's examples work as written."""

import os
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


REPO = Path(__file__).parent.parent


def test_the_readme_starts_with_the_install_in_a_venv_and_the_test_command_that_ci_runs():
    first, second = re.search(r"```bash\n(.*?)\n```", README, flags=re.S).group(1).splitlines()
    assert first.startswith("python3 -m venv .venv && .venv/bin/pip install -e . && ")  # Debian's Python is managed
    assert first.endswith(".venv/bin/offramp scan examples/acme-support")
    ci = [line for line in (REPO / ".ci" / "run").read_text().splitlines() if line and not line.startswith(("#", "set ", "cd "))]
    assert ci == [second] == ["bash scripts/test.sh"]


def test_the_ci_recipes_install_offramp_from_what_exists():
    """Offramp is not on PyPI: a bare `pip install offramp` would install someone else's package or nothing."""
    for document in (README, (REPO / "docs" / "reports.md").read_text(encoding="utf-8")):
        installs = re.findall(r"pip install (\S+)", document)
        assert "offramp" not in installs
        assert '"offramp' in installs


def test_nothing_in_the_project_points_outside_it():
    outside = re.compile("|".join((r"\.\./" + "shared", "/work/" + "shared")))
    skipped = {".git", ".venv", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache", "artifacts"}
    found = []
    for folder, subfolders, files in os.walk(REPO):
        subfolders[:] = [name for name in subfolders if name not in skipped and not name.endswith(".egg-info")]
        for name in files:
            path = Path(folder, name)
            if path.suffix in {".md", ".py", ".toml", ".sh", ".cfg", ".txt", ".yml", ".yaml", ".json", ".html"} \
                    or path.parent.name == ".ci":
                found += [f"{path.relative_to(REPO)}" for _ in outside.finditer(path.read_text(errors="replace"))]
    assert found == []


def test_the_organisation_commands_take_the_options_the_readme_gives_them():
    section = README.split("## Organisation scale", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    commands = [line.split("#")[0].split() for line in block.splitlines() if line.startswith("offramp ")]
    assert len(commands) == 4
    for words in commands:
        subcommand = [w for w in words[1:] if not w.startswith(("-", "~", ".", "$", '"')) and "://" not in w
                      and not w.isdigit() and not w.endswith(".toml")]
        shown = subprocess.run([sys.executable, "-m", "offramp", *subcommand, "--help"], capture_output=True,
                               text=True, check=True).stdout
        for option in (w for w in words if w.startswith("--")):
            assert option in shown, f"{' '.join(words)}: {option} is not an option of offramp {' '.join(subcommand)}"
