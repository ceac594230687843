"""A path keeps its fingerprint when lines move, and only then."""

from pathlib import Path

from offramp.report.json_report import to_json
from tests.report.conftest import scan_and_assess

CALL = 'client.chat.completions.create(model="gpt-4o", messages=messages)\n'


def module(body: str, above: str = "") -> str:
    return (f"from openai import OpenAI\n{above}\nclient = OpenAI()\n\n\ndef answer(messages):\n"
            + "".join(f"    {line}\n" for line in body.splitlines()))


def prints(root: Path) -> dict[tuple[str, int], str]:
    return {(p["file"], p["line"]): p["fingerprint"] for p in to_json(scan_and_assess(root))["paths"]}


def test_inserting_lines_above_a_call_keeps_its_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(module(CALL))
    before = prints(tmp_path)
    (tmp_path / "app.py").write_text(module("# why we answer\n" + CALL, above="import os\nimport sys\n\n"))
    after = prints(tmp_path)
    [(where_before, fingerprint)] = before.items()
    [(where_after, moved)] = after.items()
    assert where_after[1] == where_before[1] + 4  # the call really moved
    assert moved == fingerprint


def test_identical_calls_in_one_function_are_told_apart_in_source_order(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(module(CALL + CALL))
    first = prints(tmp_path)
    assert len(set(first.values())) == 2
    (tmp_path / "app.py").write_text(module("x = 1\n" + CALL + "y = 2\n" + CALL))
    assert sorted(first.values()) == sorted(prints(tmp_path).values())


def test_changing_the_call_its_model_or_its_file_changes_the_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(module(CALL))
    [original] = prints(tmp_path).values()
    (tmp_path / "app.py").write_text(module(CALL.replace("gpt-4o", "gpt-4o-mini")))
    [other_model] = prints(tmp_path).values()
    (tmp_path / "app.py").rename(tmp_path / "chat.py")
    [other_file] = prints(tmp_path).values()
    assert len({original, other_model, other_file}) == 3


def test_reformatting_whitespace_inside_the_call_keeps_the_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(module(CALL))
    [original] = prints(tmp_path).values()
    (tmp_path / "app.py").write_text(module(CALL.replace("(model=", "( model = ").replace(", messages", ",messages")))
    assert list(prints(tmp_path).values()) == [original]
