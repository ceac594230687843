import re
from datetime import date
from pathlib import Path

import pytest

from offramp.assess import INIT_TEMPLATE, Policy, PolicyError, load_policy, parse_policy, write_init
from offramp.assess.policy import ScanOptions, Waiver
from offramp.catalog import Catalog

FULL = """\
home = "TW"
at_risk = ["US", "CN"]
critical = ["scripts/nightly_*.py"]
not_critical = ["internal/playground/**"]

[[waiver]]
path = "app/legacy/**"
reason = "replaced by v2 in Q1"
owner = "platform-team"
expires = 2027-01-01

[[replacement]]
path = "app/chat/"
provider = "vllm"
model = "Qwen/Qwen3-32B"
reason = "LLM_BACKEND=vllm"

[scan]
exclude = ["generated/**"]
max_file_bytes = 500000

[catalog.lockin.hours]
embeddings = 16
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_policy_file_gives_the_defaults(tmp_path: Path) -> None:
    policy, source = load_policy(tmp_path)
    assert source is None
    assert policy == Policy()
    assert policy.at_risk == ("US",)
    assert (policy.critical, policy.not_critical, policy.waivers) == ((), (), ())


def test_offramp_toml_is_read_whole(tmp_path: Path) -> None:
    write(tmp_path, "offramp.toml", FULL)
    policy, source = load_policy(tmp_path)
    assert source == tmp_path / "offramp.toml"
    assert policy.home == "TW"
    assert policy.at_risk == ("US", "CN")
    assert policy.critical == ("scripts/nightly_*.py",)
    assert policy.waivers == (Waiver(path="app/legacy/**", reason="replaced by v2 in Q1", owner="platform-team",
                                     expires=date(2027, 1, 1)),)
    assert policy.replacements[0].model == "Qwen/Qwen3-32B"
    assert policy.scan == ScanOptions(exclude=("generated/**",), max_file_bytes=500000)
    assert policy.catalog == {"lockin": {"hours": {"embeddings": 16}}}


def test_pyproject_tool_offramp_is_read_when_there_is_no_offramp_toml(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.offramp]\nat_risk = ["US", "CN"]\n\n'
                                      '[[tool.offramp.waiver]]\npath = "a.py"\nreason = "r"\nowner = "o"\n'
                                      'expires = 2027-01-01\n')
    policy, source = load_policy(tmp_path)
    assert source == tmp_path / "pyproject.toml"
    assert policy.at_risk == ("US", "CN")
    assert policy.waivers[0].path == "a.py"


def test_a_pyproject_without_the_table_gives_the_defaults(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    assert load_policy(tmp_path) == (Policy(), None)


def test_offramp_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.offramp]\nat_risk = ["CN"]\n')
    write(tmp_path, "offramp.toml", 'at_risk = ["FR"]\n')
    policy, source = load_policy(tmp_path)
    assert (policy.at_risk, source.name) == (("FR",), "offramp.toml")


def test_an_explicit_file_wins_and_must_exist(tmp_path: Path) -> None:
    write(tmp_path, "offramp.toml", 'at_risk = ["FR"]\n')
    other = write(tmp_path, "strict.toml", 'at_risk = ["US", "CN"]\n')
    assert load_policy(tmp_path, other)[0].at_risk == ("US", "CN")
    with pytest.raises(PolicyError, match=r"missing\.toml: no such policy file; .*`offramp init`"):
        load_policy(tmp_path, tmp_path / "missing.toml")


def error_for(tmp_path: Path, text: str, name: str = "offramp.toml") -> str:
    write(tmp_path, name, text)
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path)
    return str(caught.value)


def test_an_unknown_key_is_named_with_its_line_and_the_known_keys(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'home = "TW"\n\natrisk = ["US"]\n')
    assert f"{tmp_path / 'offramp.toml'}:3: unknown key 'atrisk'" in message
    assert "Known keys here: at_risk, catalog, critical, drill, home, not_critical, replacement, scan, waiver" in message


def test_an_unknown_key_in_a_waiver_is_located_in_its_table(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[[waiver]]\npath = "a"\nreason = "r"\nowner = "o"\nexpires = 2027-01-01\n\n'
                                  '[[waiver]]\npath = "b"\nreason = "r"\nowner = "o"\nexpires = 2027-01-01\n'
                                  'until = 2027-01-01\n')
    assert ":12: unknown key 'waiver[1].until'. Known keys here: expires, owner, path, reason" in message


def test_a_bad_date_says_how_to_write_one(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[[waiver]]\npath = "a"\nreason = "r"\nowner = "o"\nexpires = "next year"\n')
    assert ":5: waiver[0].expires:" in message
    assert "write a TOML date without quotes, e.g. expires = 2026-10-01" in message


def test_a_missing_waiver_owner_is_named(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[[waiver]]\npath = "a"\nreason = "r"\nexpires = 2027-01-01\n')
    assert ":1: waiver[0].owner: required key 'owner' is missing; add it." in message


def test_a_glob_list_written_as_a_string_shows_the_right_shape(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'critical = "app/**"\n')
    assert ":1: critical: expected a list of glob strings in .gitignore syntax (got 'app/**')" in message


def test_a_bad_country_code_is_explained(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'at_risk = ["US", "usa"]\n')
    assert ":1: at_risk[1]: expected an ISO 3166 alpha-2 country code in capitals" in message


def test_every_problem_is_reported_in_line_order(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'bogus = 1\nat_risk = "US"\n[scan]\nmax_file_bytes = -1\n')
    lines = message.splitlines()[1:]
    assert [line.split(":")[1] for line in lines] == ["1", "2", "4"]


def test_invalid_toml_points_at_the_line(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'home = "TW"\nat_risk = [US]\n')
    assert "not valid TOML" in message
    assert "line 2" in message


def test_pyproject_errors_point_into_pyproject(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[project]\nname = "x"\n\n[tool.offramp]\nat_risk = ["US"]\nhomee = "TW"\n',
                        "pyproject.toml")
    assert f"{tmp_path / 'pyproject.toml'}:6: unknown key 'homee'" in message


def test_the_init_template_loads_back_as_the_default_policy(tmp_path: Path) -> None:
    written = write_init(tmp_path)
    assert written == tmp_path / "offramp.toml"
    assert written.read_text(encoding="utf-8") == INIT_TEMPLATE
    policy, source = load_policy(tmp_path)
    assert (policy, source) == (Policy(), written)


def test_the_init_templates_commented_examples_are_valid_too() -> None:
    toml_line = re.compile(r"^(\[\[?[\w.]+\]\]?|\w+ = .+)$")
    lines = [line.removeprefix("# ") for line in INIT_TEMPLATE.splitlines()]
    examples = "\n".join(line for line in lines if toml_line.match(line))
    policy = parse_policy(examples, "template examples")
    assert policy.home == "TW"
    assert [w.owner for w in policy.waivers] == ["platform-team@example.com"]
    assert [r.provider for r in policy.replacements] == ["vllm"]
    catalog = Catalog.load(policy.catalog)
    assert catalog.provider("acme-llm").self_hosted
    assert catalog.lockin_rule("embeddings").hours == 16


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    write(tmp_path, "offramp.toml", 'at_risk = ["CN"]\n')
    with pytest.raises(PolicyError, match="already exists"):
        write_init(tmp_path)
    assert (tmp_path / "offramp.toml").read_text(encoding="utf-8") == 'at_risk = ["CN"]\n'
