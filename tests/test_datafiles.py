"""Bundled data files: every problem names the file it is in."""

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
