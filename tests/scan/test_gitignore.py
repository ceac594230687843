"""Gitignore semantics, compared with git itself: ``git ls-files --others --exclude-standard``."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from offramp.scan.gitignore import IgnoreFile
from offramp.scan.walk import WalkOptions, discover

PYTHON_FILES = WalkOptions(suffixes=frozenset({".py"}), include_vendored=True)


def make(root: Path, files: dict[str, str]) -> None:
    for relpath, content in files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(content)


def found(root: Path) -> list[str]:
    return [f.relpath for f in discover(root, PYTHON_FILES).files]


TRICKY_GITIGNORE_TREE = {
    ".gitignore": "/a.py\ndocs/*.py\n**/gen/\n*.log.py\n!important.log.py\nbuild\nsub/**/deep.py\n"
                  "\\#hash.py\n[xy].py\n?q.py\nnode/\n!node/keep.py\n",
    "a.py": "", "x/a.py": "", "docs/d.py": "", "docs/more/d.py": "", "gen/g.py": "", "p/gen/g.py": "",
    "e.log.py": "", "important.log.py": "", "x/important.log.py": "", "build": "", "k/build/b.py": "",
    "sub/deep.py": "", "sub/1/2/deep.py": "", "#hash.py": "", "x.py": "", "z.py": "", "aq.py": "", "abq.py": "",
    "node/keep.py": "", "node/other.py": "",
    "pkg/.gitignore": "!b_gen.log.py\nlocal_*\n/only_here.py\n!/x.py\n",
    "pkg/b_gen.log.py": "", "pkg/local_1.py": "", "local_2.py": "", "pkg/only_here.py": "",
    "pkg/deeper/only_here.py": "", "pkg/x.py": "", "pkg/deeper/x.py": "",
    "pkg/deeper/.gitignore": "*\n!*/\n!keep_*.py\n",  # ignore all but folders and what is re-included
    "pkg/deeper/keep_me.py": "", "pkg/deeper/drop.py": "", "pkg/deeper/inner/keep_2.py": "",
    "pkg/deeper/inner/no.py": "",
}
RANDOM_RULES = [
    "*", "!*/", "*.py", "!keep*.py", "a/", "!a/", "b", "/c.py", "a/*", "a/**", "**/d/", "!**/d/x.py", "x?.py",
    "[ab]*.py", "!a/b/", "a/b/", "/a", "e/**/f.py", "*/", "!*.py", "d/*.py", "#comment", "sub/", "!sub/",
    "**/keep/", "**/*.py", "a/**/c.py", "!c.py", "/b/", "z*", "logs/", "!logs/keep.py", "**/gen/**", "/a/b/",
]
RANDOM_NAMES = ["a", "b", "c.py", "d", "e", "f.py", "x1.py", "keep1.py", "sub", "keep", "z.py", "aa.py", "x.py"]


def git_untracked(root: Path) -> list[str]:
    git = shutil.which("git")
    assert git, "these tests compare with git itself: install git"
    subprocess.run([git, "init", "-q", str(root)], check=True)
    listed = subprocess.run([git, "-C", str(root), "ls-files", "--others", "--exclude-standard"],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    return sorted(path for path in listed if path.endswith(".py"))


def test_gitignore_agrees_with_git_on_tricky_rules(tmp_path: Path) -> None:
    make(tmp_path, TRICKY_GITIGNORE_TREE)
    expected = git_untracked(tmp_path)
    assert "pkg/deeper/inner/keep_2.py" in expected and "pkg/deeper/inner/no.py" not in expected
    assert found(tmp_path) == expected


def _random_tree(root: Path, rng: random.Random, depth: int = 0) -> None:
    for name in rng.sample(RANDOM_NAMES, rng.randint(1, 4)):
        if name.endswith(".py") or depth == 3:
            (root / name).write_text("")
        else:
            (root / name).mkdir()
            _random_tree(root / name, rng, depth + 1)
    if rng.random() < 0.6:
        (root / ".gitignore").write_text("\n".join(rng.sample(RANDOM_RULES, rng.randint(1, 5))) + "\n")


@pytest.mark.parametrize("seed", [*range(40), 71])  # 71: "a/**" ignores what a/ holds, not a/ itself
def test_gitignore_agrees_with_git_on_random_trees(tmp_path: Path, seed: int) -> None:
    _random_tree(tmp_path, random.Random(seed))
    assert found(tmp_path) == git_untracked(tmp_path)



def test_rules_too_long_for_one_re2_set_still_agree_with_git(tmp_path: Path) -> None:
    # 250 rules of a thousand characters exceed RE2's memory budget for one set: each is then tried alone
    long_rules = [f"never_{i}_{'x' * 1000}*.py" for i in range(250)]
    make(tmp_path, {".gitignore": "\n".join(["*_gen.py", *long_rules, "!keep_gen.py"]) + "\n",
                    "a_gen.py": "", "sub/b_gen.py": "", "keep_gen.py": "", "sub/keep_gen.py": "", "plain.py": ""})
    expected = git_untracked(tmp_path)
    assert expected == ["keep_gen.py", "plain.py", "sub/keep_gen.py"]
    assert found(tmp_path) == expected


def test_a_folder_whose_files_no_rule_matches_is_cleared_at_once_and_one_that_has_one_is_not() -> None:
    rules, _ = IgnoreFile.parse(["*.log.py", "/top.py", "gen/"], strip=len("src/"))
    assert rules.silent_on(["src/a.py", "src/b.py", "src/log.py", "src/sub/top.py"])
    assert not rules.silent_on(["src/a.py", "src/x.log.py"])  # the second, whatever the first
    assert not rules.silent_on(["src/top.py", "src/a.py"])  # anchored at the ignore file's folder
    assert not rules.silent_on(["src/gen/g.py"])
    assert rules.verdict("src/sub/top.py") is None and rules.verdict("src/top.py") is True
