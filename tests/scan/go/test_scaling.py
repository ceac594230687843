"""Go analysis is linear, and bounded: a file whose values feed on themselves field by field finishes in
time proportional to its size, and a file past the per-file budget says so and keeps its paths."""

import gc
import time

from offramp.scan.go.analyze import GoAnalyzer, analyze_source
from offramp.scan.rules import language_rules
from tests.scan.conftest import only, targets

RATIO_BOUND = 8.0
"""Four times the fields may cost at most this many times as much (linear is 4; quadratic would be 16): far
from both, so that a shared machine's noise on runs of a few hundredths of a second decides nothing."""
ABSOLUTE_CAP = 5.0
SEND_LINE = 6


def settings_adapter(fields: int) -> str:
    """A vendor adapter (its request is sent on line SEND_LINE) that builds its settings struct field by field from its own methods' results, the
    shape that made the analyser re-evaluate the struct at every read (exponential before memoisation)."""
    lines = [
        "package vendor",
        'import "net/http"',
        "func New() (ret *Settings) {",
        "\tret = newSettings()",
        '\treq, _ := http.NewRequest("POST", "https://api.openai.com/v1/chat/completions", nil)',
        "\tret.client.Do(req)",
        '\tret.PluginBase = &plugins.PluginBase{Name: "vendor", ConfigureCustom: ret.configure}',
    ]
    lines += [f'\tret.Field{i} = ret.AddSetupQuestion("question {i}", false)' for i in range(fields)]
    lines += [
        '\tret.ApiKey = ret.PluginBase.AddSetupQuestion("API key", true)',
        "\treturn",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _analysed(fields: int) -> tuple[float, int]:
    """Seconds and expressions evaluated to analyse the adapter with that many fields."""
    analyzer = GoAnalyzer(settings_adapter(fields), "vendor/adapter.go", language_rules("go"))
    gc.collect()  # earlier tests' garbage is not this analysis's cost
    started = time.process_time()
    facts = analyzer.run()
    seconds = time.process_time() - started
    assert [p.line for p in facts.paths] == [SEND_LINE]
    return seconds, analyzer.budget.spent


def test_self_referential_field_writes_scale_linearly():
    runs = [(_analysed(500), _analysed(2000)) for _ in range(5)]  # interleaved, best of five, CPU time: the box is shared
    small, large = min(r[0][0] for r in runs), min(r[1][0] for r in runs)
    assert large < ABSOLUTE_CAP
    assert large / small < RATIO_BOUND, (small, large)
    (_, work_small), (_, work_large) = runs[0]
    assert work_large / work_small < 4.2, (work_small, work_large)


def test_one_field_read_through_itself_finishes():
    started = time.process_time()
    analyze_source(settings_adapter(1), "vendor/adapter.go", language_rules("go"))
    assert time.process_time() - started < 1.0


def test_a_file_past_its_budget_is_reported_and_keeps_its_paths(scan_files, monkeypatch):
    monkeypatch.setattr("offramp.scan.go.analyze.EVALUATION_BUDGET", 40)
    result = scan_files({"vendor/adapter.go": settings_adapter(200)})
    path = only(result)
    assert targets(path) == {("openai", None)}
    assert [(s.file, s.reason.split(" after ")[0]) for s in result.skipped] == [
        ("vendor/adapter.go", "analysis budget exceeded")]


def test_a_file_within_its_budget_is_not_listed(scan_files):
    result = scan_files({"vendor/adapter.go": settings_adapter(200)})
    assert only(result).line == SEND_LINE
    assert result.skipped == []
