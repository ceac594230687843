"""The facts cache: a file unchanged since the last scan of its tree is not analysed again, and what the
scan reports is the same; a changed file, another offramp or a folder others can write is analysed afresh."""

import os
from pathlib import Path

import pytest

from offramp import cachefolder
from offramp.catalog import Catalog
from offramp.scan import driver, walk
from offramp.scan.cache import FactsCache, TreeCache
from offramp.scan.driver import ScanOptions, scan_tree
from offramp.scan.prefilter import Prefilter

CALL = 'from openai import OpenAI\nOpenAI().chat.completions.create(model="{model}", messages=[])\n'


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files each scan parses and analyses (one process: workers would not report back)."""
    seen: list[str] = []
    real = driver.analyse_file

    def counting(relpath: str, text: str, *, eager: bool = True) -> object:
        seen.append(relpath)
        return real(relpath, text, eager=eager)

    monkeypatch.setattr(driver, "analyse_file", counting)
    return seen


def _tree(root: Path) -> None:
    (root / "app").mkdir()
    (root / "app" / "chat.py").write_text(CALL.format(model="gpt-4o"))
    (root / "app" / "embed.py").write_text(CALL.format(model="gpt-4o-mini"))
    (root / "app" / "broken.py").write_text("import openai\ndef f(:\n")


def _scan(root: Path, folder: Path | None):
    result = scan_tree(root, Catalog.load(), ScanOptions(workers=1, cache=folder))
    return [(p.file, p.line, p.targets) for p in result.paths], sorted((s.file, s.reason) for s in result.skipped)


def test_an_unchanged_tree_is_reported_alike_without_analysing_a_file(tmp_path: Path, analysed: list[str]):
    root, folder = tmp_path / "repo", tmp_path / "cache"
    root.mkdir()
    _tree(root)
    first = _scan(root, folder)
    assert sorted(analysed) == ["app/broken.py", "app/chat.py", "app/embed.py"]
    analysed.clear()
    second = _scan(root, folder)
    assert analysed == []
    assert second == first and len(first[0]) == 2
    assert [file for file, _ in first[1]] == ["app/broken.py"]  # the syntax error is remembered too

    (root / "app" / "chat.py").write_text(CALL.format(model="o3"))
    third = _scan(root, folder)
    assert analysed == ["app/chat.py"]
    models = {file: [target.model for target in targets] for file, _, targets in third[0]}
    assert models == {"app/chat.py": ["o3"], "app/embed.py": ["gpt-4o-mini"]}
    assert third == _scan(root, None)


def test_worker_processes_reuse_the_cache_they_fork_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root, folder = tmp_path / "repo", tmp_path / "cache"
    for index in range(900):
        package = root / f"pkg{index % 30}"
        package.mkdir(parents=True, exist_ok=True)
        (package / f"m{index}.py").write_text(CALL.format(model="gpt-4o") if index % 50 == 0 else f"N = {index}\n")
    monkeypatch.setattr(driver, "POOL_PAYS_OFF_SECONDS", 0.0)
    serial = _scan(root, None)
    parallel = scan_tree(root, Catalog.load(), ScanOptions(workers=2, cache=folder))
    assert parallel.files_parsed == 18

    def analysed_again(relpath: str, text: str, *, eager: bool = True) -> object:
        raise AssertionError(f"{relpath} analysed again")

    monkeypatch.setattr(driver, "analyse_file", analysed_again)  # the workers fork with this too
    reused = scan_tree(root, Catalog.load(), ScanOptions(workers=2, cache=folder))
    assert [(p.file, p.line, p.targets) for p in reused.paths] == serial[0]
    assert [(p.file, p.line, p.targets) for p in parallel.paths] == serial[0] and len(serial[0]) == 18


def test_a_cache_written_by_another_offramp_is_not_used(tmp_path: Path, analysed: list[str],
                                                       monkeypatch: pytest.MonkeyPatch):
    root, folder = tmp_path / "repo", tmp_path / "cache"
    root.mkdir()
    _tree(root)
    _scan(root, folder)
    analysed.clear()
    monkeypatch.setattr(cachefolder, "_fingerprint", b"0" * 40)  # as if the analysers had changed
    _scan(root, folder)
    assert sorted(analysed) == ["app/broken.py", "app/chat.py", "app/embed.py"]


def test_a_cache_folder_that_others_can_write_is_neither_read_nor_written(tmp_path: Path, analysed: list[str]):
    root, folder = tmp_path / "repo", tmp_path / "cache"
    root.mkdir()
    _tree(root)
    _scan(root, folder)
    os.chmod(folder, 0o777)  # anyone could plant a pickle there
    analysed.clear()
    _scan(root, folder)
    assert len(analysed) == 3
    assert folder.stat().st_mode & 0o777 == 0o777


def test_an_unreadable_or_corrupt_cache_means_analysing_afresh(tmp_path: Path, analysed: list[str]):
    root, folder = tmp_path / "repo", tmp_path / "cache"
    root.mkdir()
    _tree(root)
    expected = _scan(root, folder)
    for cache_file in folder.glob("*.facts"):
        cache_file.write_bytes(cache_file.read_bytes()[:-40])
    analysed.clear()
    assert _scan(root, folder) == expected and len(analysed) == 3
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    assert _scan(root, blocked) == expected  # cannot be written: no error, just no cache


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files each scan reads to prefilter them."""
    seen: list[str] = []
    real = walk._candidate
    monkeypatch.setattr(walk, "_candidate", lambda path, relpath, *args: seen.append(relpath) or real(path, relpath, *args))
    return seen


def test_an_unchanged_file_is_not_read_again_until_it_changes(tmp_path: Path, read: list[str],
                                                              monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(walk, "STAMP_MARGIN_NS", -10**9)  # the files were written just now: trust them anyway
    root, folder = tmp_path / "repo", tmp_path / "cache"
    root.mkdir()
    _tree(root)
    quiet = root / "app" / "later.py"
    quiet.write_text('HOST = "example.org.uk"\n')
    first = _scan(root, folder)
    assert sorted(read) == ["app/broken.py", "app/chat.py", "app/embed.py", "app/later.py"]
    read.clear()
    assert _scan(root, folder) == first and len(first[0]) == 2
    assert read == []  # neither the files that mention a model API nor the others

    before = quiet.stat()
    quiet.write_text('HOST = "api.openai.com"\n')  # the same size, and now it names a model host
    assert quiet.stat().st_size == before.st_size
    os.utime(quiet, ns=(before.st_atime_ns, before.st_mtime_ns))  # a tool that keeps the modification time
    (root / "app" / "chat.py").write_text(CALL.format(model="o3"))
    read.clear()
    third = _scan(root, folder)
    assert sorted(read) == ["app/chat.py", "app/later.py"]
    assert {file: [t.model for t in targets] for file, _, targets in third[0]}["app/chat.py"] == ["o3"]


def test_a_file_written_just_before_the_scan_read_it_is_read_again(tmp_path: Path, read: list[str],
                                                                     analysed: list[str]):
    # Two writes within one tick of the file system's clock leave the same times: a stamp taken less than
    # STAMP_MARGIN_NS after the last write proves nothing, so the next scan reads (and hashes) the file.
    root, folder = tmp_path / "repo", tmp_path / "cache"
    root.mkdir()
    _tree(root)
    first = _scan(root, folder)
    read.clear()
    analysed.clear()
    assert _scan(root, folder) == first
    assert sorted(read) == ["app/broken.py", "app/chat.py", "app/embed.py"]
    assert analysed == []  # read and hashed again, but the analyses are reused


def test_stamps_come_back_from_the_workers_only_for_a_cache_that_keeps_them(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(walk, "STAMP_MARGIN_NS", -10**9)  # the files were written just now: trust them anyway
    root = tmp_path / "repo"
    root.mkdir()
    _tree(root)
    prefilter = Prefilter(driver.prefilter_terms(Catalog.load()))
    relpaths = ["app/broken.py", "app/chat.py", "app/embed.py"]
    kept = driver.analyse_batch(str(root), prefilter, 2_000_000, relpaths,
                                TreeCache(tmp_path / "cache", str(root), prefilter.terms))
    in_memory = driver.analyse_batch(str(root), prefilter, 2_000_000, relpaths, FactsCache())
    assert sorted(relpath for relpath, _ in kept.stamps) == relpaths and in_memory.stamps == []
    assert in_memory.analyses == kept.analyses  # the same pickles for the same files
