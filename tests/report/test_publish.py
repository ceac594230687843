"""`offramp scan --format ... [--lang] [--record]` and `offramp history`, as a user runs them."""

import json
import re
from pathlib import Path

import jsonschema
from click.testing import CliRunner, Result
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from offramp.cli import EXIT_CANNOT_SCAN, main

REPO = Path(__file__).parents[2]
EXAMPLE = REPO / "examples" / "acme-support"
SARIF_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def offramp(*args: str, env: dict[str, str] | None = None) -> Result:
    outcome = CliRunner().invoke(main, list(args), env={"LANG": "C.UTF-8", "LANGUAGE": "", **(env or {})})
    return outcome


def scan(*args: str, env: dict[str, str] | None = None) -> Result:
    return offramp("scan", str(EXAMPLE), "--today", "2026-11-25", *args, env=env)


def test_sarif_and_cyclonedx_of_a_real_scan_are_valid(tmp_path: Path) -> None:
    sarif = scan("--format", "sarif")
    assert sarif.exit_code == 0, sarif.output
    log = json.loads(sarif.stdout)
    assert list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(log)) == []
    report = json.loads(scan("--format", "json").stdout)
    assert len(log["runs"][0]["results"]) == report["summary"]["at_risk_paths"]
    bom_file = tmp_path / "bom.cdx.json"
    assert scan("--format", "cyclonedx", "-o", str(bom_file)).exit_code == 0
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(bom_file.read_text(encoding="utf-8")) is None
    models = [c["name"] for c in json.loads(bom_file.read_text())["components"] if c["type"] == "machine-learning-model"]
    assert "gpt-4o" in models


def test_two_scans_write_the_same_bom_bytes_apart_from_the_timestamp(tmp_path: Path) -> None:
    written = []
    for run in ("first", "second"):
        assert scan("--format", "cyclonedx", "-o", str(tmp_path / run)).exit_code == 0
        written.append(re.sub(r'"timestamp": "[^"]+"', '"timestamp": ""', (tmp_path / run).read_text()))
    assert written[0] == written[1]
    components = json.loads(written[0])["components"]
    assert len({c["bom-ref"] for c in components}) == len(components)
    assert len({(c["type"], c["name"], c.get("version")) for c in components}) == len(components)
    assert all("%3E" not in c.get("purl", "") and "%5E" not in c.get("purl", "") for c in components)


def exposure_48h() -> str:
    return f'{json.loads(scan("--format", "json").stdout)["summary"]["exposure_48h"]:.1%}'


def test_markdown_and_html_files(tmp_path: Path) -> None:
    assert scan("--format", "markdown", "-o", str(tmp_path / "comment.md")).exit_code == 0
    comment = (tmp_path / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith(f"### 🔴 Offramp: Exposure (48 h) {exposure_48h()}")
    assert scan("--format", "html", "-o", str(tmp_path / "report.html")).exit_code == 0
    assert f'data-number="exposure_48h">{exposure_48h()}<' in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_zh_tw_from_the_option_or_the_environment_and_english_otherwise() -> None:
    assert scan("--lang", "zh-TW").stdout.startswith("曝險（48 小時）")
    assert scan(env={"LANG": "zh_TW.UTF-8"}).stdout.startswith("曝險（48 小時）")
    assert scan("--format", "markdown", env={"LC_ALL": "zh_TW.UTF-8"}).stdout.startswith("### 🔴 Offramp：曝險（48 小時）")
    assert scan("--lang", "en", env={"LANG": "zh_TW.UTF-8"}).stdout.startswith("Exposure (48 h)")
    assert scan().stdout.startswith("Exposure (48 h)")
    zh_json = json.loads(scan("--format", "json", env={"LANG": "zh_TW.UTF-8"}).stdout)  # machine formats stay English
    assert zh_json["paths"][0]["reasons"] == json.loads(scan("--format", "json").stdout)["paths"][0]["reasons"]


def test_record_then_history(tmp_path: Path) -> None:
    env = {"OFFRAMP_HISTORY": str(tmp_path / "history.sqlite")}
    assert offramp("history", env=env).stdout.startswith("No scans recorded in")
    for _ in range(2):
        assert scan("--record", "--format", "json", env=env).exit_code == 0
    shown = json.loads(offramp("history", str(EXAMPLE), "--format", "json", env=env).stdout)
    [repository] = shown["repositories"]
    assert repository["repository"].endswith("examples/acme-support")
    exposed = json.loads(scan("--format", "json").stdout)["summary"]["exposed_48h"]
    assert [s["exposed_48h"] for s in repository["scans"]] == [exposed, exposed]
    table = offramp("history", env=env).stdout
    assert "Critical" in table and f"{exposure_48h()} ({exposed})" in table
    assert "記錄時間" in offramp("history", "--lang", "zh-TW", env=env).stdout


def test_an_unusable_history_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "h.sqlite").write_text("garbage " * 200)
    outcome = scan("--record", "--history-db", str(tmp_path / "h.sqlite"))
    assert outcome.exit_code == EXIT_CANNOT_SCAN and "as the scan history" in outcome.output
    assert offramp("history", "--history-db", str(tmp_path / "h.sqlite")).exit_code == EXIT_CANNOT_SCAN


def test_an_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    outcome = scan("--format", "html", "-o", str(tmp_path / "missing" / "report.html"))
    assert outcome.exit_code == EXIT_CANNOT_SCAN and "cannot write the report to" in outcome.output


def test_record_on_postgresql_with_offramp_store_or_store(postgres_url: str) -> None:
    from offramp.store.history import History

    assert scan("--record", "--format", "json", env={"OFFRAMP_STORE": postgres_url}).exit_code == 0
    assert scan("--record", "--store", postgres_url, "-o", "/dev/null").exit_code == 0
    shown = json.loads(offramp("history", "--store", postgres_url, "--format", "json").stdout)
    [repository] = shown["repositories"]
    assert len(repository["scans"]) == 2 and shown["file"] == postgres_url
    report = json.loads(scan("--format", "json").stdout)
    with History(postgres_url) as history:
        top = history.top_paths(100)
    first_target = [(p["targets"] or [{}])[0] for p in report["paths"]]
    assert {(p.fingerprint, p.provider, p.jurisdiction, p.model, p.critical, p.at_risk) for p in top} == {
        (p["fingerprint"], t.get("provider"), t.get("jurisdiction"), p["model"], p["critical"], p["at_risk"])
        for p, t in zip(report["paths"], first_target, strict=True)}
    assert any(p.provider for p in top) and top[0].exposure_level == max(p.exposure_level for p in top)


def test_json_reports_are_laid_out_as_json_dumps_would_with_two_spaces(tmp_path: Path) -> None:
    """The machine formats are written by orjson for speed; diffs and readers see the layout of ``json.dumps(...,
    indent=2, ensure_ascii=False)``, byte for byte, non-ASCII text kept as it is."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "客服.py").write_text(
        'from openai import OpenAI\n# 回答\nOpenAI().chat.completions.create(model="gpt-4o", messages=[])\n',
        encoding="utf-8")
    written = {output_format: offramp("scan", str(tmp_path / "app"), "--format", output_format).stdout
               for output_format in ("json", "sarif", "cyclonedx")}
    for text in written.values():
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    assert '"file": "客服.py"' in written["json"]
