"""`offramp org scan`: real git checkouts made in a temporary folder, scanned in parallel and recorded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from offramp.org import OrgError, find_checkouts, read_list
from offramp.store.history import CI_BRANCH_VARIABLES, History

OPENAI_CALL = """\
from openai import OpenAI

client = OpenAI()


def answer(question: str) -> str:
    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])
    return reply.choices[0].message.content
"""
ANTHROPIC_CALL = """\
import anthropic

client = anthropic.Anthropic()


def summarise(text: str) -> str:
    return client.messages.create(model="claude-sonnet-4-5", max_tokens=300,
                                  messages=[{"role": "user", "content": text}]).content[0].text
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


def checkout(root: Path, files: dict[str, str], branch: str = "main", remote: str | None = None) -> str:
    """A git repository at ``root`` with ``files`` committed on ``branch``; its HEAD commit."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    if remote:
        git(root, "remote", "add", "origin", remote)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    if branch != "main":
        git(root, "switch", "-q", "-c", branch)
    return git(root, "rev-parse", "HEAD")


def offramp(*args: str, env: dict[str, str] | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    inherited = {name: value for name, value in os.environ.items() if name not in CI_BRANCH_VARIABLES}
    environ = {**inherited, "LANG": "C.UTF-8", "LANGUAGE": "", "COLUMNS": "200", **(env or {})}
    return subprocess.run([sys.executable, "-m", "offramp", *args], capture_output=True, text=True, env=environ,
                          timeout=300, check=False, cwd=cwd)


@pytest.fixture
def organisation(tmp_path: Path) -> dict[str, Any]:
    """A folder of three checkouts (one with a policy that cannot be read), a plain folder and a hidden one."""
    products = tmp_path / "products"
    heads = {
        "support": checkout(products / "support", {"app/bot.py": OPENAI_CALL, "app/summary.py": ANTHROPIC_CALL},
                            remote="https://ci:secret-token@git.example.com/acme/support.git"),
        "search": checkout(products / "search", {"search.py": OPENAI_CALL}, branch="feature/rerank"),
        "broken": checkout(products / "broken", {"offramp.toml": "home = [\n", "x.py": OPENAI_CALL}),
    }
    (products / "notes").mkdir()  # no checkout: left out of a folder of checkouts
    checkout(products / ".cache" / "mirror", {"x.py": OPENAI_CALL})
    return {"folder": products, "heads": heads, "history": tmp_path / "history.sqlite"}


def summary_of_a_single_scan(root: Path) -> dict[str, Any]:
    done = offramp("scan", str(root), "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["summary"]


def test_a_folder_of_checkouts_is_scanned_in_parallel_recorded_and_totalled(organisation: dict[str, Any]) -> None:
    folder, heads = organisation["folder"], organisation["heads"]
    done = offramp("org", "scan", str(folder), "--jobs", "2", "--store", str(organisation["history"]),
                   "--format", "json")
    assert done.returncode == 0, done.stderr  # one checkout failed, the others were scanned
    out = json.loads(done.stdout)
    by_root = {Path(r["root"]).name: r for r in out["repositories"]}
    assert sorted(by_root) == ["search", "support"]
    support, search = by_root["support"], by_root["search"]
    assert (support["repository"], support["commit"], support["branch"]) == (
        "https://git.example.com/acme/support.git", heads["support"], "main")  # the token is not kept
    assert (search["commit"], search["branch"]) == (heads["search"], "feature/rerank")
    for name, row in by_root.items():  # the numbers of `offramp scan` of each checkout alone
        alone = summary_of_a_single_scan(folder / name)
        assert {k: row[k] for k in alone if k in row} == {k: alone[k] for k in alone if k in row}
    assert support["paths"] == 2 and search["paths"] == 1
    totals = out["totals"]
    assert totals["repositories"] == 2
    for count in ("paths", "critical_paths", "exposed_48h", "exposed_no_fallback"):
        assert totals[count] == support[count] + search[count]
    assert totals["exposure_48h"] == pytest.approx(totals["exposed_48h"] / totals["critical_paths"])
    assert [(Path(f["root"]).name, "offramp.toml" in f["reason"] and "TOML" in f["reason"])
            for f in out["failed"]] == [("broken", True)]

    with History(organisation["history"]) as history:
        recorded = {(s.repository, s.commit, s.paths) for s in history.scans()}
    assert recorded == {(support["repository"], heads["support"], 2), (search["repository"], heads["search"], 1)}


def test_the_table_names_each_repository_the_totals_and_why_one_failed(organisation: dict[str, Any]) -> None:
    done = offramp("org", "scan", str(organisation["folder"]), "--no-record", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any("acme/support.git" in line and "main" in line for line in lines)
    assert any("feature/rerank" in line for line in lines)
    total = next(line for line in lines if line.strip().startswith("organisation"))
    assert total.split()[1:3] == ["3", "3"]  # paths and critical paths of both repositories
    assert "Could not scan 1 of 3:" in done.stdout
    assert "broken" in done.stdout and "not valid TOML" in done.stdout
    assert not organisation["history"].exists()  # --no-record


def test_a_list_file_names_checkouts_and_plain_folders(organisation: dict[str, Any], tmp_path: Path) -> None:
    plain = tmp_path / "exported"  # not a git work tree, but named explicitly: scanned as it is
    plain.mkdir()
    (plain / "call.py").write_text(OPENAI_CALL)
    listing = tmp_path / "repos.txt"
    listing.write_text("# the organisation's products\nproducts/support\n\n  exported  \n"
                       f"{tmp_path / 'gone'}\n# products/search is archived\n")
    done = offramp("org", "scan", "--list", str(listing), "--store", str(organisation["history"]),
                   "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [(Path(r["root"]).name, r["commit"], r["branch"]) for r in out["repositories"]] == [
        ("support", organisation["heads"]["support"], "main"), ("exported", None, None)]
    assert out["failed"] == [{"root": str(tmp_path / "gone"), "reason": "does not exist"}]


def test_exit_3_only_when_no_repository_could_be_scanned(organisation: dict[str, Any], tmp_path: Path) -> None:
    done = offramp("org", "scan", str(organisation["folder"] / "broken"), str(tmp_path / "gone"),
                   "--store", str(organisation["history"]))
    assert done.returncode == 3
    assert "Could not scan 2 of 2:" in done.stdout and "does not exist" in done.stdout
    assert "no repository could be scanned" in done.stderr
    assert offramp("org", "scan").returncode == 2  # nothing named: a usage error
    unusable = tmp_path / "history-is-a-folder"
    unusable.mkdir()
    refused = offramp("org", "scan", str(organisation["folder"] / "search"), "--store", str(unusable / "x" / ".."))
    assert refused.returncode == 3 and "cannot use" in refused.stderr


def test_which_folders_are_checkouts(organisation: dict[str, Any], tmp_path: Path) -> None:
    folder = organisation["folder"]
    found, missing = find_checkouts([folder, folder / "search", tmp_path / "gone", folder / "search" / "search.py"])
    assert found == [(folder / name).resolve() for name in ("broken", "search", "support")]  # each once
    assert [m.reason for m in missing] == ["does not exist", "is a file, not a checkout"]
    submodule = folder / "support" / "vendor" / "lib"  # a checkout inside a checkout is part of it
    checkout(submodule, {"lib.py": "x = 1\n"})
    assert find_checkouts([folder / "support"])[0] == [(folder / "support").resolve()]


def test_an_unreadable_list_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "list.bin").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(OrgError, match=r"cannot read the list of checkouts .*UTF-8"):
        read_list(tmp_path / "list.bin")


def test_each_repositorys_ci_records_into_one_postgresql(organisation: dict[str, Any], postgres_url: str) -> None:
    """`offramp scan --record --store URL` from two repositories' CI jobs (detached HEADs, the branch in the CI's
    variables), then `offramp org scan` of a third checkout: all in one database, each with its own branch."""
    folder, heads = organisation["folder"], organisation["heads"]
    for name in ("support", "search"):
        git(folder / name, "checkout", "-q", "--detach", heads[name])  # as CI services check a commit out
    github_pull_request = {"GITHUB_HEAD_REF": "fix/quota", "GITHUB_REF_NAME": "17/merge"}
    gitlab = {"CI_COMMIT_REF_NAME": "release-2"}
    for name, ci in (("support", github_pull_request), ("search", gitlab)):
        done = offramp("scan", ".", "--record", "--store", postgres_url, "--format", "json", "-o", "out.json",
                       env=ci, cwd=folder / name)
        assert done.returncode == 0, done.stderr
    third = checkout(folder.parent / "billing", {"pay.py": ANTHROPIC_CALL}, branch="main")
    done = offramp("org", "scan", str(folder.parent / "billing"), "--store", postgres_url,
                   env={"GITHUB_HEAD_REF": "fix/quota"})  # the job's variables are not another checkout's
    assert done.returncode == 0, done.stderr

    with History(postgres_url) as history:
        latest = {Path(s.repository).name: (s.commit, s.branch, s.paths) for s in history.latest_scans()}
    assert latest == {"support.git": (heads["support"], "fix/quota", 2), "search": (heads["search"], "release-2", 1),
                      "billing": (third, "main", 1)}
