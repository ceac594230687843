"""zh-TW: every message of the human-readable reports is translated, compiled, and actually used.

The catalogue test extracts the messages from the source exactly as `pybabel extract -F babel.cfg` does, so
a new `_("...")` or `N_("...")` (the assessment's sentences), or a new rule text in the data files, without a
translation fails here. The rendering tests print each report in zh-TW, remove everything that is data (file
names, ids, model names, the user's own words: every string of the JSON report that is not an assessment
sentence, and every value filled into a sentence), and fail on any English word left: a sentence that
bypasses the catalogue, the report's or the assessment's, shows up there.
"""

from __future__ import annotations

import gettext
import html
import io
import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from rich.console import Console

from offramp.assess import Assessment, assess, load_policy
from offramp.assess.criticality import default_rules
from offramp.assess.reason import Reason
from offramp.report.baseline import diff
from offramp.report.history_view import show_history
from offramp.report.html_report import shown_root, to_html
from offramp.report.i18n import language, resolve_language
from offramp.report.json_report import to_json
from offramp.report.markdown import to_markdown
from offramp.report.terminal import render
from offramp.scan.driver import ScanOptions, scan_tree
from offramp.store.history import History, identify
from tests.report.conftest import bundled_catalog

REPO = Path(__file__).parents[2]
LOCALE = REPO / "offramp" / "report" / "locale" / "zh_TW" / "LC_MESSAGES"
EXAMPLE = REPO / "examples" / "acme-support"
ALLOWED = {"Offramp", "offramp", "JSON", "json", "CI", "API", "toml", "init", "explain", "format", "fail", "above",
           "record", "scan", "critical_why", "file", "Assistants", "vLLM", "SGLang", "llama", "cpp"}
"""English that stays English in zh-TW: the product's name, commands and flags quoted in the hints, and the
names of other products the lock-in rules mention."""


def extracted_messages() -> dict[str, tuple[str, ...]]:
    with (REPO / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {}
    for _file, _line, message, _comments, _context in extract_from_dir(REPO, method_map, options_map):
        ids = message if isinstance(message, tuple) else (message,)
        found[ids[0]] = ids
    return found


def catalogue() -> Any:
    with (LOCALE / "offramp.po").open("rb") as po:
        return read_po(po, locale="zh_TW")


def test_every_message_in_the_source_has_a_final_zh_tw_translation() -> None:
    messages = extracted_messages()
    assert len(messages) > 80, "extraction found the report's messages"
    translations = catalogue()
    missing = [m for m in messages if m not in translations]
    unfinished = [m.id for m in translations if m.id and (m.fuzzy or not all(
        m.string if isinstance(m.string, tuple) else (m.string,)))]
    assert (missing, unfinished) == ([], [])


def test_translations_fill_the_same_placeholders() -> None:
    """A placeholder renamed or lost in a translation would break rendering or drop a fact."""
    wrong = []
    for message in catalogue():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if ids[0] and any(_placeholders(text) != _placeholders(ids[-1]) for text in strings):
            wrong.append(ids[0])
    assert wrong == []


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_the_data_files_text_is_extracted() -> None:
    """babel.cfg takes the lock-in and criticality rules' text that reports show from the TOML files."""
    messages = extracted_messages()
    lockin = [text for rule in bundled_catalog().lockin.rule for text in (rule.feature, rule.why)]
    criticality = [text for rule in default_rules() for text in (rule.id, rule.why)]
    assert [text for text in lockin + criticality if text not in messages] == []


def test_the_json_report_stays_english_whatever_the_language(assessment: Assessment) -> None:
    english = json.dumps(to_json(assessment), ensure_ascii=False)
    assert zh_tw(lambda: json.dumps(to_json(assessment), ensure_ascii=False)) == english
    assert "provider openai is in US, an at-risk jurisdiction" in english
    assert re.search(r"[\u4e00-\u9fff]", english) is None


def compiled_messages(mo: bytes) -> dict[Any, str]:
    """A compiled catalogue's messages without its header, which names the Babel version that wrote it."""
    messages = gettext.GNUTranslations(io.BytesIO(mo))._catalog  # type: ignore[attr-defined]
    return {key: text for key, text in messages.items() if key != ""}


def compile_catalogue(translations: Any) -> bytes:
    compiled = io.BytesIO()
    write_mo(compiled, translations)
    return compiled.getvalue()


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    compiled = compiled_messages(compile_catalogue(catalogue()))
    assert len(compiled) > 80
    assert compiled_messages((LOCALE / "offramp.mo").read_bytes()) == compiled


def test_the_catalogue_comparison_ignores_the_generator_header() -> None:
    """A newer Babel writes another Generated-By line; the messages, not the header, must match."""
    newer = catalogue()
    newer.version, newer.project = "9.9", "offramp-next"
    first, second = compile_catalogue(catalogue()), compile_catalogue(newer)
    assert first != second
    assert compiled_messages(first) == compiled_messages(second)
    changed = catalogue()
    message = next(m for m in changed if m.id and isinstance(m.string, str))
    message.string += "!"
    assert compiled_messages(compile_catalogue(changed)) != compiled_messages(first)


def test_translations_are_traditional_chinese_with_taiwan_terms() -> None:
    text = "".join(m.string if isinstance(m.string, str) else "".join(m.string) for m in catalogue() if m.id)
    for term in ("模型", "供應商", "司法管轄區", "替代方案", "檔案", "關鍵路徑", "曝險"):
        assert term in text
    simplified = set("险载这个们时间区关键径应换码设认过数据录态为从说开还")
    assert sorted(simplified & set(text)) == []


@pytest.mark.parametrize(("setting", "expected"), [
    ({"LANG": "zh_TW.UTF-8"}, "zh-TW"), ({"LC_ALL": "zh_TW", "LANG": "en_US.UTF-8"}, "zh-TW"),
    ({"LANGUAGE": "zh_TW:en"}, "zh-TW"), ({"LANG": "en_US.UTF-8"}, "en"), ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "C"}, "en"), ({}, "en"),
])
def test_the_language_comes_from_the_environment(setting: dict[str, str], expected: str) -> None:
    assert resolve_language(None, setting) == expected
    assert resolve_language("en", {"LANG": "zh_TW.UTF-8"}) == "en"  # --lang wins


def english_left(text: str, assessment: Assessment) -> list[str]:
    """English words in ``text`` once the data is taken out: the JSON report's strings that are not sentences
    of the assessment, the values filled into those sentences, and a team's own lock-in rules (which the
    catalogue cannot know; the bundled rules are in it)."""
    data = set()

    def collect(value: Any) -> None:
        if isinstance(value, Reason):
            for param in value.params.values():
                collect(param)
        elif isinstance(value, str):
            data.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)

    collect(to_json(assessment))
    collect([p.reasons for p in assessment.paths])
    collect([p.criticality.why for p in assessment.paths])
    collect([t.label for p in assessment.paths for t in (*p.targets, *p.fallbacks)])
    collect([w.summary for w in assessment.waivers])
    bundled = {text for rule in bundled_catalog().lockin.rule for text in (rule.feature, rule.why)}
    data |= {text for rule in assessment.catalog.lockin.rule for text in (rule.feature, rule.why)} - bundled
    data |= {assessment.result.root, Path(assessment.result.root).name, shown_root(assessment.result.root)}
    text = re.sub(r"</?\w+>", " ", text)  # markup first: short data ('e', 'ai') could split a tag
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    text = re.sub(r"`[^`]*`|--[a-z-]+|\b[\w.-]+\.(?:py|js|toml|json)\b|\{\w+\}", " ", text)
    return sorted({word for word in re.findall(r"[A-Za-z]{3,}", text) if word not in ALLOWED})


def zh_tw(render_it: Any) -> str:
    with language("zh-TW"):
        return render_it()


def test_the_terminal_report_is_all_zh_tw(assessment: Assessment) -> None:
    def terminal() -> str:
        stream = io.StringIO()
        render(assessment, Console(file=stream, width=200),
               baseline=diff(to_json(assessment), to_json(assessment), "base.json"))
        return stream.getvalue()

    text = zh_tw(terminal)
    assert "曝險（48 小時）" in text and "關鍵路徑" in text
    assert english_left(text, assessment) == []


def test_the_markdown_report_is_all_zh_tw(assessment: Assessment) -> None:
    previous = to_json(assessment)
    previous["paths"] = previous["paths"][1:]  # so that the comment has a new path and a change section
    text = zh_tw(lambda: to_markdown(assessment, diff(previous, to_json(assessment), "base.json")))
    unescaped = html.unescape(re.sub(r"\\(.)", r"\1", text))
    assert "新增的有風險路徑" in unescaped
    assert english_left(unescaped, assessment) == []


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0
        self._glue = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("style", "script")
        self._glue = tag == "wbr"  # a line-break hint inside a file name: the text goes on
        self.parts.extend(v or "" for k, v in attrs if k in ("aria-label", "placeholder", "title", "data-template"))

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._glue and self.parts:
            self.parts[-1] += data
        else:
            self.parts.append(data)
        self._glue = False


def test_the_html_report_with_its_trend_is_all_zh_tw(assessment: Assessment, tmp_path: Path) -> None:
    with History(tmp_path / "history.sqlite") as history:
        history.record("repo", "1234567", to_json(assessment), datetime(2026, 11, 1, tzinfo=UTC))
        history.record("repo", "7654321", to_json(assessment), datetime(2026, 11, 20, tzinfo=UTC))
        trend = history.scans("repo")
    page = zh_tw(lambda: to_html(assessment, lang="zh-TW", history=trend))
    assert '<html lang="zh-TW">' in page and "曝險趨勢" in page
    parser = _VisibleText()
    parser.feed(page)
    assert english_left(" ".join(parser.parts), assessment) == []


def test_the_history_table_is_all_zh_tw(assessment: Assessment, tmp_path: Path) -> None:
    repository = identify(tmp_path).repository
    with History(tmp_path / "history.sqlite") as history:
        history.record(repository, None, to_json(assessment))
    stream = io.StringIO()
    zh_tw(lambda: show_history(tmp_path / "history.sqlite", tmp_path, "terminal", Console(file=stream, width=200)))
    text = stream.getvalue()
    assert "記錄時間" in text
    assert english_left(text.replace(repository, " "), assessment) == []


def test_english_stays_the_default(assessment: Assessment) -> None:
    stream = io.StringIO()
    render(assessment, Console(file=stream, width=100))
    assert stream.getvalue().startswith("Exposure (48 h):")
    assert "曝險" not in to_markdown(assessment) and "曝險" not in to_html(assessment)


def test_a_missing_catalogue_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from offramp.report import i18n

    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    with pytest.raises(i18n.MissingCatalogue, match="reinstall offramp, or use --lang en"), language("zh-TW"):
        pass


@pytest.fixture(scope="module")
def example() -> Assessment:
    """The bundled example project, scanned and assessed as `offramp scan examples/acme-support` does."""
    policy, _file = load_policy(EXAMPLE)
    catalog = bundled_catalog()
    return assess(scan_tree(EXAMPLE, catalog, ScanOptions(workers=1)), policy, catalog, datetime.now(UTC).date())


def test_the_example_says_every_reason_in_zh_tw(example: Assessment) -> None:
    """The example reaches most kinds of reason: at-risk and safe providers, fallbacks in code, lock-in rules
    from the data files, default criticality rules, the policy's `critical` list and a waiver."""
    every_path = len(example.paths)
    terminal = io.StringIO()
    zh_tw(lambda: render(example, Console(file=terminal, width=200), shown_paths=every_path))
    page = _VisibleText()
    page.feed(zh_tw(lambda: to_html(example, lang="zh-TW")))
    html_text = " ".join(page.parts)
    markdown = html.unescape(re.sub(r"\\(.)", r"\1", zh_tw(lambda: to_markdown(example, max_rows=every_path))))
    for text in (terminal.getvalue(), markdown, html_text):
        assert english_left(text, example) == []
    rules = {hit.rule for p in example.paths for hit in p.lockin}
    assert {"server-state", "embeddings", "extended-thinking", "long-context"} <= rules
    assert "儲存的向量只能和同一個模型產生的向量比較" in html_text  # lockin.toml's why for embeddings
    assert "測試程式碼：在 CI 中執行" in html_text  # criticality.toml's why for tests
    assert "位於 US，屬於有風險的司法管轄區" in terminal.getvalue()
    assert "替換估計" in markdown and "屬於有風險的司法管轄區" in markdown
    assert "沒有可用替代方案：程式碼中找不到備援，政策中也未宣告" in html_text
    assert "程式碼中有可用替代方案：改用 ollama 上的" in html_text
