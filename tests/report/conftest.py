from datetime import date
from functools import cache
from pathlib import Path

import pytest

from offramp.assess import Assessment, Policy, assess
from offramp.assess.policy import Waiver
from offramp.catalog import Catalog
from offramp.scan.driver import ScanOptions, scan_tree
from offramp.scan.findings import ScanResult, SecretFinding, SkippedFile, Target, UncoveredSdk
from tests.assess.factory import make_path, small_catalog

SECRET = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"


@pytest.fixture
def assessment() -> Assessment:
    """Two exposed paths (70 h and 14 h), one replaceable, one safe, one test, one expired waiver."""
    paths = [
        make_path("app/chat.py", line=12, argument_values=["json_schema"], snippet=f'api_key="{SECRET}"'),
        make_path("app/[tenant]/embed.py", [Target("openai", "text-embedding-3-large")], line=40,
                  operation="embeddings.create", operation_kind="embedding"),
        make_path("app/fallback.py", fallbacks=[Target("ollama", "llama3.1:8b")], fallback_why="litellm fallbacks="),
        make_path("app/cn.py", [Target("deepseek", "deepseek-chat")]),
        make_path("tests/test_chat.py"),
    ]
    waiver = Waiver(path=r"app/\[tenant\]/", reason="tenant feature sunset", owner="search-team",
                    expires=date(2026, 10, 1))
    result = ScanResult("/repo", paths, [SkippedFile("vendor/big.min.js", "larger than 2000000 bytes"),
                                         SkippedFile("app/broken.py", "syntax error at line 3")],
                        [SecretFinding("app/chat.py", 3, "openai", "sk-p…6789")], files_seen=42, files_parsed=7,
                        seconds=0.25, uncovered_sdks=[
                            UncoveredSdk("dashscope", "import", ("app/qwen.py", "app/vl.py", "app/tts.py"), 5),
                            UncoveredSdk("cohere", "manifest", ("requirements.txt",), 1)])
    return assess(result, Policy(waiver=[waiver], home="TW"), small_catalog(), date(2026, 11, 25))


def scan_and_assess(root: Path, policy: Policy | None = None) -> Assessment:
    """A real scan of a tree written by the test, with the bundled catalog."""
    catalog = bundled_catalog()
    return assess(scan_tree(root, catalog, ScanOptions(workers=1)), policy or Policy(), catalog, date(2026, 11, 25))


@cache
def bundled_catalog() -> Catalog:
    return Catalog.load()
