"""zh-TW: every message of the human-readable reports is translated, compiled, and actually used.

The catalogue test extracts the messages from the source exactly as `pybabel extract -F babel.cfg` does, so
a new `_("...")` without a translation fails here. The rendering tests print each report in zh-TW, remove
everything that is data (file names, model ids, the assessment's evidence, all strings of the JSON report),
and fail on any English word left: text that bypasses the catalogue shows up there.
"""

from __future__ import annotations

import gettext
import html
import io
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

from offramp.assess import Assessment
from offramp.report.baseline import diff
from offramp.report.history_view import show_history
from offramp.report.html_report import to_html
from offramp.report.i18n import language, resolve_language
from offramp.report.json_report import to_json
from offramp.report.markdown import to_markdown
from offramp.report.terminal import render
from offramp.store.history import History, identify

REPO = Path(__file__).parents[2]
LOCALE = REPO / "offramp" / "report" / "locale" / "zh_TW" / "LC_MESSAGES"
ALLOWED = {"Offramp", "offramp", "JSON", "json", "CI", "API", "toml", "init", "explain", "format", "fail", "above",
           "record", "scan", "critical_why", "file"}
"""English that stays English in zh-TW: the product's name, commands and flags quoted in the hints."""


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


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalogue())
    compiled.seek(0)
    with (LOCALE / "offramp.mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]


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
    """English words in ``text`` once the data (every string of the JSON report) is taken out."""
    data = set()

    def collect(value: Any) -> None:
        if isinstance(value, str):
            data.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(to_json(assessment))
    data |= {reason for p in assessment.paths for reason in p.reasons}
    data |= {f"{t.target.model}" for p in assessment.paths for t in (*p.targets, *p.fallbacks) if t.target.model}
    data |= {assessment.result.root, Path(assessment.result.root).name}
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    text = re.sub(r"`[^`]*`|--[a-z-]+|\b[\w.-]+\.(?:py|js|toml|json)\b|\{\w+\}|</?\w+>", " ", text)
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
    repository, _commit = identify(tmp_path)
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
