"""The scripts that generate catalog files: the LiteLLM id import and the JSON Schema."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


importer = _script("import_litellm_ids")
schema_writer = _script("write_catalog_schema")

LITELLM_MAP = {
    "sample_spec": {"litellm_provider": "one of https://docs.litellm.ai/docs/providers", "mode": "chat"},
    "gpt-4o": {"litellm_provider": "openai", "mode": "chat"},
    "groq/llama-3.1-8b-instant": {"litellm_provider": "groq", "mode": "chat"},
    "gemini-2.5-flash": {"litellm_provider": "vertex_ai-language-models", "mode": "chat"},
    "text-embedding-3-small": {"litellm_provider": "openai", "mode": "embedding"},
    "dall-e-3": {"litellm_provider": "openai", "mode": "image_generation"},
    "hd/1024-x-1792/dall-e-3": {"litellm_provider": "openai", "mode": "image_generation"},
    "zai/glm-latest": {"mode": "chat"},
    "perplexity/search": {"litellm_provider": "perplexity", "mode": "search"},
    "novita/deepseek/deepseek-v3.2": {"litellm_provider": "novita", "mode": "chat"},
}


def test_import_maps_providers_and_modes_and_counts_what_it_skips() -> None:
    ids, skipped = importer.convert(LITELLM_MAP)
    assert ids == {
        "dall-e-3": {"provider": "openai", "mode": "image"},
        "gemini-2.5-flash": {"provider": "google-vertex", "mode": "chat"},
        "gpt-4o": {"provider": "openai", "mode": "chat"},
        "groq/llama-3.1-8b-instant": {"provider": "groq", "mode": "chat"},
        "text-embedding-3-small": {"provider": "openai", "mode": "embedding"},
        "zai/glm-latest": {"provider": "zhipu", "mode": "chat"},
    }
    assert list(ids) == sorted(ids)
    assert skipped == {"pricing row": 1, "mode search": 1, "provider novita": 1}


def test_import_table_names_only_catalog_providers(catalog) -> None:  # type: ignore[no-untyped-def]
    targets = set(importer.PROVIDERS.values()) | set(importer.PROVIDER_FAMILIES.values())
    assert targets - set(catalog.providers) == set()


def test_import_reads_a_wheel_and_writes_a_file_the_catalog_loads(tmp_path: Path) -> None:
    wheel = tmp_path / "litellm-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("litellm/model_prices_and_context_window_backup.json", json.dumps(LITELLM_MAP))
    output = tmp_path / "model_ids.json"
    assert importer.main([str(wheel), "--output", str(output)]) == 0
    written = json.loads(output.read_text(encoding="utf-8"))
    assert written["source"] == "LiteLLM 9.9.9 litellm/model_prices_and_context_window_backup.json"
    assert "MIT License" in written["licence"]
    assert written["generated_by"] == "scripts/import_litellm_ids.py"
    assert written["ids"]["groq/llama-3.1-8b-instant"] == {"mode": "chat", "provider": "groq"}


def test_import_refuses_a_wheel_without_the_model_map(tmp_path: Path) -> None:
    wheel = tmp_path / "litellm-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("litellm/__init__.py", "")
    with pytest.raises(SystemExit, match="is this a litellm wheel"):
        importer.main([str(wheel), "--output", str(tmp_path / "out.json")])


def test_committed_json_schema_is_up_to_date() -> None:
    committed = (ROOT / "schemas" / "catalog.schema.json").read_text(encoding="utf-8")
    assert committed == schema_writer.render(), "run: python scripts/write_catalog_schema.py"


def test_schema_check_fails_on_a_stale_file_and_says_how_to_fix_it(tmp_path: Path) -> None:
    stale = tmp_path / "catalog.schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "write_catalog_schema.py"), "--check",
                             "--output", str(stale)], capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "run: python scripts/write_catalog_schema.py" in result.stderr
    subprocess.run([sys.executable, str(ROOT / "scripts" / "write_catalog_schema.py"), "--output", str(stale)],
                   check=True, capture_output=True)
    assert stale.read_text(encoding="utf-8") == schema_writer.render()
