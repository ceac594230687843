"""discover() and the readers on real trees: ignore rules, vendored folders, links, special and bad files."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from offramp.scan.findings import SkippedFile
from offramp.scan.prefilter import Prefilter
from offramp.scan.walk import (
    READ_AHEAD,
    SkipFile,
    SourceFile,
    WalkError,
    WalkOptions,
    discover,
    filter_candidates,
    read_candidate,
    read_source,
)

PYTHON = WalkOptions(suffixes=frozenset({".py"}), names=frozenset({"pyproject.toml"}), name_prefixes=(".env",))


def make(root: Path, files: dict[str, str | bytes]) -> Path:
    for relpath, content in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def found(root: Path, options: WalkOptions = PYTHON) -> list[str]:
    return [f.relpath for f in discover(root, options).files]


def skipped(root: Path, options: WalkOptions = PYTHON) -> dict[str, str]:
    return {s.file: s.reason for s in discover(root, options).skipped}


def source(root: Path, relpath: str) -> SourceFile:
    return SourceFile(relpath, str(root / relpath))


# --- what is taken --------------------------------------------------------------------------------------


def test_takes_wanted_suffixes_names_and_prefixes_with_posix_relpaths(tmp_path: Path) -> None:
    make(tmp_path, {
        "app/main.py": "", "app/deep/er/mod.PY": "", "README.md": "", "pyproject.toml": "",
        ".env": "", ".env.production": "", "environment.py.bak": "", "app/.envrc.sh": "",
    })
    assert found(tmp_path) == [
        ".env", ".env.production", "app/.envrc.sh", "app/deep/er/mod.PY", "app/main.py", "pyproject.toml",
    ]
    first = discover(tmp_path, PYTHON).files[0]
    assert Path(first.abspath) == tmp_path.resolve() / ".env" and first.path.is_absolute()


def test_root_that_is_missing_or_a_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WalkError, match="does not exist"):
        discover(tmp_path / "nope", PYTHON)
    make(tmp_path, {"one.py": ""})
    with pytest.raises(WalkError, match="is not a folder"):
        discover(tmp_path / "one.py", PYTHON)


def test_names_that_are_not_utf8_are_reported_printably(tmp_path: Path) -> None:
    root = os.fsencode(tmp_path)
    (tmp_path / "ok.py").write_text("")
    os.mkdir(os.path.join(root, b"caf\xe9"))  # Latin-1 names, as an old archive may hold
    for name in (b"caf\xe9/inner.py", b"r\xe9sum\xe9.py"):
        with open(os.path.join(root, name), "w"):
            pass
    discovery = discover(tmp_path, PYTHON)
    assert [f.relpath for f in discovery.files] == ["ok.py"]
    reason = "name is not valid UTF-8; rename it so that it can be scanned"
    assert discovery.skipped == [SkippedFile("caf\\xe9", reason), SkippedFile("r\\xe9sum\\xe9.py", reason)]
    for skipped_file in discovery.skipped:
        skipped_file.file.encode("utf-8")  # printable: no lone surrogates left


def test_deep_nesting_does_not_recurse(tmp_path: Path) -> None:
    deep = "/".join(["d"] * 400)
    make(tmp_path, {f"{deep}/leaf.py": "x = 1\n"})
    assert found(tmp_path) == [f"{deep}/leaf.py"]


# --- .gitignore -----------------------------------------------------------------------------------------


def test_gitignore_anchored_dir_only_negation_and_nested_files(tmp_path: Path) -> None:
    make(tmp_path, {
        ".gitignore": "/top.py\nlogs/\n*_gen.py\n!keep_gen.py\ncache\n",
        "top.py": "", "sub/top.py": "",
        "logs/a.py": "", "logs.py": "",
        "a_gen.py": "", "keep_gen.py": "",
        "cache/c.py": "",
        "pkg/.gitignore": "!b_gen.py\nlocal_*.py\n",
        "pkg/b_gen.py": "", "pkg/c_gen.py": "", "pkg/local_x.py": "", "local_y.py": "",
    })
    assert found(tmp_path) == ["keep_gen.py", "local_y.py", "logs.py", "pkg/b_gen.py", "sub/top.py"]
    assert discover(tmp_path, PYTHON).skipped_folders["ignored by .gitignore"] == 2  # logs/, cache/


def test_nothing_inside_an_ignored_folder_can_be_re_included(tmp_path: Path) -> None:
    make(tmp_path, {".gitignore": "out/\n!out/keep.py\n", "out/keep.py": "", "out/.gitignore": "!keep.py\n"})
    assert found(tmp_path) == []


def test_gitignore_off_takes_everything_but_vendored(tmp_path: Path) -> None:
    make(tmp_path, {".gitignore": "*.py\n", "a.py": "", "node_modules/x/y.py": ""})
    options = WalkOptions(suffixes=frozenset({".py"}), respect_gitignore=False)
    assert found(tmp_path, options) == ["a.py"]


def test_git_info_exclude_and_ignore_files_above_the_root(tmp_path: Path) -> None:
    make(tmp_path, {
        ".git/info/exclude": "secret_*.py\n",
        ".gitignore": "*.tmp.py\n",
        "service/.gitignore": "scratch/\n",
        "service/app/main.py": "", "service/app/secret_key.py": "", "service/app/x.tmp.py": "",
        "service/app/scratch/s.py": "",
    })
    assert found(tmp_path / "service" / "app") == ["main.py"]
    assert found(tmp_path) == ["service/app/main.py"]


def test_a_root_the_repository_ignores_is_still_scanned(tmp_path: Path) -> None:
    make(tmp_path, {
        ".git/HEAD": "", ".gitignore": "generated/\n*.tmp.py\n",
        "generated/client.py": "", "generated/x.py": "", "generated/a.tmp.py": "", "generated/deeper/d.py": "",
    })
    make(tmp_path / "generated", {".gitignore": "x.py\n"})
    assert found(tmp_path / "generated") == ["a.tmp.py", "client.py", "deeper/d.py"]
    assert found(tmp_path / "generated" / "deeper") == ["d.py"]


def test_policy_exclude_beats_a_gitignore_negation(tmp_path: Path) -> None:
    make(tmp_path, {".gitignore": "!legacy/keep.py\n", "legacy/keep.py": "", "legacy/old.py": "", "app.py": "",
                    "nested/legacy/n.py": "", "fixtures/f.py": ""})
    options = WalkOptions(suffixes=frozenset({".py"}), exclude=("/legacy/", "fixtures"))
    assert found(tmp_path, options) == ["app.py", "nested/legacy/n.py"]
    assert discover(tmp_path, options).skipped_folders["excluded by policy"] == 2


def test_an_invalid_policy_exclude_pattern_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WalkError, match=r"exclude pattern '\\\\' in the policy is not a valid gitignore pattern"):
        discover(tmp_path, WalkOptions(suffixes=frozenset({".py"}), exclude=("tests/", "\\")))


def test_an_invalid_gitignore_line_is_reported_and_the_rest_applies(tmp_path: Path) -> None:
    make(tmp_path, {".gitignore": "a.py\n\\\nb.py\n", "a.py": "", "b.py": "", "c.py": ""})
    assert found(tmp_path) == ["c.py"]
    assert skipped(tmp_path) == {".gitignore": "line 2 is not a valid gitignore rule: '\\\\'"}


# --- vendored and build folders -------------------------------------------------------------------------


VENDORED_TREE = {
    "app/main.py": "",
    "node_modules/pkg/index.py": "", "web/node_modules/x.py": "", "third_party/t.py": "",
    "__pycache__/m.py": "", ".tox/py311/x.py": "", ".git/hooks/h.py": "",
    "env/pyvenv.cfg": "home = /usr\n", "env/lib/site.py": "",
    "config/env/settings.py": "",
    "pyproject.toml": "", "build/lib/app.py": "", "dist/app.py": "", "coverage/report.py": "",
    "tools/build/make_release.py": "", "frontend/package.json": "{}", "frontend/out/bundle.py": "",
    "shop/vendor/models.py": "", "insurance/coverage/rates.py": "",
    "goservice/go.mod": "", "goservice/vendor/github.com/x/y.py": "",
}


def test_vendored_tool_and_build_folders_are_skipped_and_counted(tmp_path: Path) -> None:
    make(tmp_path, VENDORED_TREE)
    discovery = discover(tmp_path, PYTHON)
    assert [f.relpath for f in discovery.files] == [
        "app/main.py", "config/env/settings.py", "insurance/coverage/rates.py", "pyproject.toml",
        "shop/vendor/models.py", "tools/build/make_release.py",
    ]
    assert discovery.skipped_folders == {
        "vendored or tool folder": 5, "virtual environment": 1, "build output or vendored code": 5,
        "version control": 1,
    }
    assert discovery.skipped == []


def test_include_vendored_takes_them_all_but_version_control(tmp_path: Path) -> None:
    make(tmp_path, VENDORED_TREE)
    taken = found(tmp_path, WalkOptions(suffixes=frozenset({".py"}), include_vendored=True))
    assert taken == sorted(p for p in VENDORED_TREE if p.endswith(".py") and not p.startswith(".git/"))


# --- links ----------------------------------------------------------------------------------------------


def test_links_out_of_the_tree_are_reported_and_never_read(tmp_path: Path) -> None:
    outside = make(tmp_path / "outside", {"keys.py": "import openai\n", "lib/mod.py": "import openai\n"})
    root = make(tmp_path / "repo", {"app.py": ""})
    (root / "stolen.py").symlink_to(outside / "keys.py")
    (root / "libs").symlink_to(outside / "lib", target_is_directory=True)
    (root / "notes").symlink_to(outside / "keys.py")  # a file we would not take anyway: not reported
    discovery = discover(root, PYTHON)
    assert [f.relpath for f in discovery.files] == ["app.py"]
    assert {s.file: s.reason for s in discovery.skipped} == {
        "libs": "link points outside the scanned tree; not followed",
        "stolen.py": "link points outside the scanned tree; not followed",
    }


def test_link_loops_are_reported_and_links_inside_are_not_scanned_twice(tmp_path: Path) -> None:
    root = make(tmp_path, {"pkg/real.py": ""})
    (root / "pkg" / "again").symlink_to(root / "pkg", target_is_directory=True)  # a cycle through a folder
    (root / "loop_a").symlink_to(root / "loop_b")
    (root / "loop_b").symlink_to(root / "loop_a")
    (root / "alias.py").symlink_to(root / "pkg" / "real.py")
    (root / "dangling.py").symlink_to(root / "gone.py")
    discovery = discover(root, PYTHON)
    assert [f.relpath for f in discovery.files] == ["pkg/real.py"]
    assert {s.file: s.reason for s in discovery.skipped} == {
        "loop_a": "symbolic link loop",
        "loop_b": "symbolic link loop",
        "dangling.py": "broken link: its target does not exist",
    }


def test_a_root_reached_through_a_link_keeps_its_relative_paths(tmp_path: Path) -> None:
    make(tmp_path / "real", {"a.py": ""})
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    assert found(tmp_path / "alias") == ["a.py"]


def test_reading_refuses_a_file_that_became_a_link(tmp_path: Path) -> None:
    make(tmp_path, {"outside.py": "import openai\n"})
    (tmp_path / "app.py").symlink_to(tmp_path / "outside.py")
    with pytest.raises(SkipFile, match="symbolic link; links are not followed"):
        read_source(source(tmp_path, "app.py"))


# --- special and unreadable files -----------------------------------------------------------------------


def test_fifo_and_socket_are_reported_and_never_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "sock.py"))
        assert skipped(tmp_path) == {
            "pipe.py": "not a regular file (named pipe)",
            "sock.py": "not a regular file (socket)",
        }
    def blocked(signum: int, frame: object) -> None:
        raise TimeoutError("opening the FIFO blocked")

    previous = signal.signal(signal.SIGALRM, blocked)
    signal.alarm(5)
    try:
        with pytest.raises(SkipFile, match=r"not a regular file \(named pipe\)"):
            read_source(source(tmp_path, "pipe.py"))  # opening a FIFO blocks until a writer comes
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


UNREADABLE_PROBE = textwrap.dedent("""
    import sys
    from pathlib import Path
    from offramp.scan.walk import SkipFile, SourceFile, WalkOptions, discover, read_source
    root = Path(sys.argv[1])
    print(sorted((s.file, s.reason) for s in discover(root, WalkOptions(suffixes=frozenset({".py"}))).skipped))
    try:
        read_source(SourceFile("locked.py", str(root / "locked.py")))
    except SkipFile as skip:
        print(skip.reason)
""")


def test_permission_denied_file_and_folder(tmp_path: Path) -> None:
    """As root, permissions do not stop reads, so the probe runs with the capabilities that let root
    ignore them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) dropped by ``setpriv``: a real kernel refusal."""
    make(tmp_path, {"locked.py": "import openai\n", "private/inner.py": "", "ok.py": ""})
    (tmp_path / "locked.py").chmod(0)
    (tmp_path / "private").chmod(0)
    command = [sys.executable, "-c", UNREADABLE_PROBE, str(tmp_path)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "running as root needs setpriv (util-linux) to drop the capabilities for this test"
        command = [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", *command]
    try:
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout.splitlines()
    finally:
        (tmp_path / "private").chmod(0o755)
    assert output == [
        "[('private', 'folder could not be listed: Permission denied')]",
        "permission denied; make it readable by the user running offramp",
    ]


# --- reading: content -----------------------------------------------------------------------------------


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    make(tmp_path, {"blob.py": b"import openai\n\x00\x01\x02" + bytes(range(256))})
    with pytest.raises(SkipFile, match=r"binary file \(NUL bytes in the first 8 KB\)"):
        read_source(source(tmp_path, "blob.py"))


def test_invalid_utf8_says_where(tmp_path: Path) -> None:
    make(tmp_path, {"bad.py": b"x = 1\ny = 'caf\xe9'\n"})
    with pytest.raises(SkipFile) as raised:
        read_source(source(tmp_path, "bad.py"))
    offset = len(b"x = 1\ny = 'caf")  # the 0xE9 that starts no valid UTF-8 sequence
    assert raised.value.reason == (
        f"invalid UTF-8 at byte offset {offset} (line 2); save the file as UTF-8 or exclude it"
    )


def test_a_declared_python_encoding_is_honoured(tmp_path: Path) -> None:
    make(tmp_path, {"legacy.py": b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n", "legacy.txt": b"caf\xe9"})
    assert read_source(source(tmp_path, "legacy.py")).splitlines()[1] == "name = 'café'"
    with pytest.raises(SkipFile, match="invalid UTF-8"):
        read_source(source(tmp_path, "legacy.txt"))  # the cookie means something only in Python


def test_bom_is_removed_and_utf16_is_converted(tmp_path: Path) -> None:
    make(tmp_path, {
        "bom.py": b"\xef\xbb\xbfimport openai\n",
        ".env": "OPENAI_API_KEY=\nMODEL=gpt-4o\n".encode("utf-16"),  # with a BOM, as PowerShell writes it
    })
    assert read_source(source(tmp_path, "bom.py")) == "import openai\n"
    assert read_source(source(tmp_path, ".env")) == "OPENAI_API_KEY=\nMODEL=gpt-4o\n"
    assert read_candidate(source(tmp_path, ".env"), Prefilter(["OPENAI_API_KEY"])) is not None


def test_crlf_is_kept_as_written(tmp_path: Path) -> None:
    make(tmp_path, {"win.py": b"import openai\r\n\r\nclient = openai.OpenAI()\r\n"})
    text = read_source(source(tmp_path, "win.py"))
    assert text.splitlines() == ["import openai", "", "client = openai.OpenAI()"]
    assert text.count("\r\n") == 3


def test_a_10_mb_generated_file_is_not_read(tmp_path: Path) -> None:
    make(tmp_path, {"generated_pb2.py": "X = 1\n" * 1_666_667})
    assert found(tmp_path) == ["generated_pb2.py"]
    with pytest.raises(SkipFile) as raised:
        read_source(source(tmp_path, "generated_pb2.py"))
    assert raised.value.reason == "10.0 MB is over the 2 MB limit; raise [scan].max_file_bytes to include it"
    assert read_source(source(tmp_path, "generated_pb2.py"), max_file_bytes=20_000_000).count("\n") == 1_666_667


def test_minified_file_is_reported_as_generated(tmp_path: Path) -> None:
    make(tmp_path, {
        "bundle.py": "a=1;" * 10_000 + "\n",
        "long_but_normal.py": "value = 1  # an ordinary line\n" * 2_000,
    })
    with pytest.raises(SkipFile, match=r"generated or minified \(lines average 20,000 bytes\)"):
        read_source(source(tmp_path, "bundle.py"))
    assert read_source(source(tmp_path, "long_but_normal.py")).count("\n") == 2_000


# --- the prefiltered reader and its batch form ------------------------------------------------------------


def test_read_candidate_decodes_only_files_that_mention_a_term(tmp_path: Path) -> None:
    prefilter = Prefilter(["openai", "api.anthropic.com"])
    make(tmp_path, {
        "plain.py": "import json\n",
        "uses.py": "from openai import OpenAI\n",
        "binary_plain.py": b"\x00\x01 no terms",
        "latin1_plain.py": b"x = '\xe9'\n",
        "binary_term.py": b"\x00 api.anthropic.com",
        "minified_term.py": "import openai;" + "a=1;" * 10_000,
    })
    assert read_candidate(source(tmp_path, "plain.py"), prefilter) is None
    assert read_candidate(source(tmp_path, "binary_plain.py"), prefilter) is None
    assert read_candidate(source(tmp_path, "latin1_plain.py"), prefilter) is None
    assert read_candidate(source(tmp_path, "uses.py"), prefilter) == "from openai import OpenAI\n"
    with pytest.raises(SkipFile, match=r"^binary file .*; it mentions 'api.anthropic.com'$"):
        read_candidate(source(tmp_path, "binary_term.py"), prefilter)
    with pytest.raises(SkipFile, match=r"^generated or minified .*; it mentions 'openai'$"):
        read_candidate(source(tmp_path, "minified_term.py"), prefilter)


def test_filter_candidates_runs_in_worker_processes(tmp_path: Path) -> None:
    files = {f"pkg/m{i}.py": ("import openai\n" if i % 10 == 0 else "import json\n") for i in range(40)}
    files["pkg/blob.py"] = b"\x00 openai"
    make(tmp_path, files)
    relpaths = [f.relpath for f in discover(tmp_path, PYTHON).files]
    batches = [relpaths[:20], relpaths[20:]]
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(filter_candidates, [str(tmp_path)] * 2, batches, [Prefilter(["openai"])] * 2))
    texts = dict(pair for batch in results for pair in batch.texts)
    assert sorted(texts) == [f"pkg/m{i}.py" for i in (0, 10, 20, 30)]
    assert set(texts.values()) == {"import openai\n"}
    assert [s for batch in results for s in batch.skipped] == [
        SkippedFile("pkg/blob.py", "binary file (NUL bytes in the first 8 KB); it mentions 'openai'")
    ]
    assert sum(batch.files_read for batch in results) == 41


def test_a_read_without_stamps_still_checks_what_the_file_is_and_how_large(tmp_path: Path) -> None:
    """A scan without a cache reads small files without ``fstat``; anything larger than the read-ahead, or than
    the size limit, is asked what it is and how large, as before. A FIFO swapped in after the walk reads as
    nothing and does not block."""
    make(tmp_path, {"small.py": "import openai\n", "large.py": "x = 1\n" * (READ_AHEAD // 6) + "import openai\n",
                    "huge.py": "import openai\n" + "x = 1\n" * (READ_AHEAD // 3)})
    os.mkfifo(tmp_path / "swapped.py")
    prefilter = Prefilter(["openai"])
    batch = filter_candidates(str(tmp_path), ["small.py", "large.py", "huge.py", "swapped.py"], prefilter,
                              max_file_bytes=READ_AHEAD + 1000, stamped=False)
    assert [relpath for relpath, _ in batch.texts] == ["small.py", "large.py"]
    assert [s.file for s in batch.skipped] == ["huge.py"] and "over the" in batch.skipped[0].reason
    tiny_limit = filter_candidates(str(tmp_path), ["small.py"], prefilter, max_file_bytes=5, stamped=False)
    assert tiny_limit.texts == [] and "over the" in tiny_limit.skipped[0].reason
