"""Bundled data files: every problem names the file it is in."""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel

from offramp import datafiles


class _Shape(BaseModel):
    version: int


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    folder = tmp_path / "fakepkg"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "good.toml").write_text("version = 3\n")
    (folder / "broken.toml").write_text("version = \n")
    (folder / "wrong.toml").write_text('version = "three"\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    return "fakepkg"


def test_a_valid_file_loads_as_its_model(package: str) -> None:
    assert datafiles.bundled_model(package, "good.toml", _Shape, LookupError).version == 3


@pytest.mark.parametrize("name", ["broken.toml", "wrong.toml"])
def test_syntax_and_schema_errors_raise_the_callers_error_naming_the_file(package: str, name: str) -> None:
    with pytest.raises(LookupError, match=f"^fakepkg/{name}: "):
        datafiles.bundled_model(package, name, _Shape, LookupError)


PROBE = """
import sys
from offramp.cli import run
from offramp.gateway.config import load_config

load_config(sys.argv[3], environ={"ANTHROPIC_API_KEY": "sk-ant-test"})
sys.argv = ["offramp", "scan", sys.argv[1], "--format", "json", "-o", sys.argv[2]]
try:
    run()
except SystemExit as exit:
    assert not exit.code, exit.code
print(sorted(name for name in sys.modules if name.split(".")[0] == "tomli"))
"""


def test_toml_is_read_with_the_standard_library_alone(tmp_path: Path) -> None:
    """Python 3.11 reads TOML itself: a scan (policy, catalog, rules, manifests) and a gateway config load no
    tomli, and the package does not require it."""
    repo = Path(__file__).parents[1]
    ran = subprocess.run([sys.executable, "-c", PROBE, str(repo / "examples" / "acme-support"),
                          str(tmp_path / "report.json"), str(repo / "examples" / "gateway" / "claude-then-qwen.toml")],
                         capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "[]"
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["critical_paths"] > 0
    requirements = tomllib.loads((repo / "pyproject.toml").read_text())["project"]["dependencies"]
    assert [r for r in requirements if r.split(">")[0].split("=")[0].strip() == "tomli"] == []
