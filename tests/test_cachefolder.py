"""Offramp's own data compiled once into the cache folder: reused by the same Offramp, rebuilt by another,
and never read from a folder that others can write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from offramp import cachefolder


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OFFRAMP_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / cachefolder.COMPILED_FOLDER


def counting(built: list[str], value: object):
    def build() -> object:
        built.append(str(value))
        return value
    return build


def test_what_was_compiled_is_reused_until_offramp_or_the_sources_change(folder: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    assert cachefolder.compiled("rules", counting(built, {"a": [1, 2]})) == {"a": [1, 2]}
    assert cachefolder.compiled("rules", counting(built, "not built")) == {"a": [1, 2]}
    assert cachefolder.compiled("rules", counting(built, "other text"), "v2") == "other text"  # other sources
    assert cachefolder.compiled("other", counting(built, "other name")) == "other name"
    monkeypatch.setattr(cachefolder, "_fingerprint", b"0" * 40)  # as if Offramp had been upgraded
    assert cachefolder.compiled("rules", counting(built, "upgraded")) == "upgraded"
    assert built == ["{'a': [1, 2]}", "other text", "other name", "upgraded"]
    assert folder.stat().st_mode & 0o777 == 0o700


def test_a_build_that_fails_keeps_nothing(folder: Path) -> None:
    def broken() -> object:
        raise ValueError("catalog/data/models.toml: line 3")

    with pytest.raises(ValueError, match=r"models\.toml"):
        cachefolder.compiled("catalog", broken)
    with pytest.raises(ValueError, match=r"models\.toml"):
        cachefolder.compiled("catalog", broken)
    assert not folder.exists() or list(folder.glob("*.pickle")) == []


def test_a_folder_others_can_write_is_neither_read_nor_written(folder: Path) -> None:
    built: list[str] = []
    cachefolder.compiled("rules", counting(built, 1))
    os.chmod(folder, 0o777)  # anyone could plant a pickle there
    for planted in folder.glob("*.pickle"):
        planted.write_bytes(b"not a pickle")
    assert cachefolder.compiled("rules", counting(built, 2)) == 2
    assert [p.read_bytes() for p in folder.glob("*.pickle")] == [b"not a pickle"]
    assert built == ["1", "2"]


def test_a_corrupt_or_unpicklable_entry_is_built_again(folder: Path) -> None:
    built: list[str] = []
    cachefolder.compiled("rules", counting(built, [1]))
    for entry in folder.glob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[:-3])
    assert cachefolder.compiled("rules", counting(built, [2])) == [2]
    assert cachefolder.compiled("lambda", counting(built, lambda: 0))() == 0  # cannot be pickled: not kept
    assert cachefolder.compiled("lambda", counting(built, lambda: 1))() == 1
    assert built[:2] == ["[1]", "[2]"] and len(built) == 4


WARM_START = """
import sys
import tomllib
from offramp.assess.criticality import default_rules
from offramp.catalog import Catalog
from offramp.scan.config.rules import config_rules
from offramp.scan.driver import prefilter_terms

def no_parsing(text):
    raise AssertionError("parsed TOML on a warm start")

if sys.argv[1] == "warm":
    tomllib.loads = no_parsing
catalog = Catalog.load()
assert catalog.match_model("gpt-4o").model.id == "gpt-4o"
assert "openai" in prefilter_terms(catalog)
assert default_rules() and config_rules()
assert "pydantic" not in sys.modules or sys.argv[1] == "cold"
print(sys.argv[1])
"""


def test_a_second_start_neither_parses_the_data_files_nor_imports_pydantic(tmp_path: Path) -> None:
    env = {**os.environ, "OFFRAMP_CACHE_DIR": str(tmp_path / "cache")}
    for start in ("cold", "warm"):
        ran = subprocess.run([sys.executable, "-c", WARM_START, start], capture_output=True, text=True, env=env)
        assert ran.returncode == 0, ran.stderr[-2000:]
        assert ran.stdout.strip() == start
    assert len(list((tmp_path / "cache" / cachefolder.COMPILED_FOLDER).glob("*.pickle"))) >= 8
