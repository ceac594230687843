"""The coverage check: every report names the AI SDKs imported or declared with no inference path found."""

import json

from rich.console import Console

from offramp.assess import Assessment
from offramp.report.html_report import to_html
from offramp.report.json_report import to_json
from offramp.report.markdown import to_markdown
from offramp.report.sarif import to_sarif
from offramp.report.terminal import render

HEADING = "AI SDKs with no inference path found (2): calls through them may have been missed"


def test_the_terminal_names_each_uncovered_sdk_and_where(assessment: Assessment) -> None:
    console = Console(record=True, width=120)
    render(assessment, console)
    text = console.export_text()
    assert HEADING in text
    assert "dashscope: imported in app/qwen.py, app/vl.py, app/tts.py and 2 more" in text
    assert "cohere: declared in requirements.txt" in text


def test_markdown_and_html_name_them_too(assessment: Assessment) -> None:
    markdown = to_markdown(assessment)
    assert HEADING in markdown and "- `cohere`: declared in requirements.txt" in markdown
    page = to_html(assessment)
    assert HEADING in page and "<code>dashscope</code>: imported in app/qwen.py" in page


def test_json_and_sarif_carry_them(assessment: Assessment) -> None:
    report = json.loads(json.dumps(to_json(assessment)))
    assert report["uncovered_sdks"] == [
        {"sdk": "dashscope", "source": "import", "files": ["app/qwen.py", "app/vl.py", "app/tts.py"], "file_count": 5},
        {"sdk": "cohere", "source": "manifest", "files": ["requirements.txt"], "file_count": 1},
    ]
    notes = to_sarif(assessment)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any(n["message"]["text"] == "AI SDK cohere is declared here, but no inference path through it was found"
               for n in notes)
