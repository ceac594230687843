"""The scan driver: bad files are skipped with a reason, never a crash; parallel equals serial."""

import json
import multiprocessing
from pathlib import Path

import pytest

from offramp.catalog import Catalog
from offramp.scan import driver
from offramp.scan.driver import ScanOptions, pool_size, scan_tree
from offramp.scan.facts import module_name, module_tail

CALL = 'from openai import OpenAI\nOpenAI().chat.completions.create(model="gpt-4o", messages=[])\n'


def test_syntax_errors_and_deep_nesting_are_skipped_with_reasons(tmp_path: Path):
    (tmp_path / "broken.py").write_text("import openai\ndef f(:\n")
    (tmp_path / "deep.py").write_text("import openai\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n")
    (tmp_path / "ok.py").write_text(CALL)
    result = scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=1))
    reasons = {s.file: s.reason for s in result.skipped}
    assert reasons["broken.py"].startswith("Python syntax error at line 2")
    assert "deep.py" in reasons
    assert [p.file for p in result.paths] == ["ok.py"]


def _plant_packages(root: Path, broken: str, files: int = 1210) -> int:
    """``files`` modules in 40 packages, one in 97 calling a model, and a file that does not parse in ``broken``."""
    for index in range(files):
        package = root / f"pkg{index % 40}"
        package.mkdir(exist_ok=True)
        (package / f"m{index}.py").write_text(CALL if index % 97 == 0 else f"VALUE = {index}\n")
    (root / broken / "bad.py").write_text("import openai\n(((\n")
    return files


def test_parallel_scan_finds_exactly_what_a_serial_scan_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    files = _plant_packages(tmp_path, broken="pkg0")
    serial = scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=1))
    chosen: list[int] = []
    monkeypatch.setattr(driver, "POOL_PAYS_OFF_SECONDS", 0.0)  # whatever this machine's speed
    monkeypatch.setattr(driver, "pool_size", lambda *args: chosen.append(pool_size(*args)) or chosen[-1])
    parallel = scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=2))
    assert chosen == [2]
    assert len(serial.paths) == (files + 96) // 97
    assert [(p.file, p.line, p.targets) for p in parallel.paths] == [(p.file, p.line, p.targets) for p in serial.paths]
    assert parallel.skipped == serial.skipped and any(s.file == "pkg0/bad.py" for s in serial.skipped)


def test_a_large_tree_is_shared_among_the_workers_while_the_walk_goes_on(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch):
    files = _plant_packages(tmp_path, broken="pkg7")
    serial = scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=1))
    monkeypatch.setattr(driver, "FILES_WORTH_THE_POOL", 200)  # a few folders into the walk
    monkeypatch.setattr(driver, "BATCH_FILES", 50)
    workers_when_walked: list[int] = []
    real = driver.discover

    def walk(*args: object, **kwargs: object) -> object:
        discovery = real(*args, **kwargs)  # type: ignore[arg-type]
        workers_when_walked.append(len(multiprocessing.active_children()))
        return discovery

    monkeypatch.setattr(driver, "discover", walk)
    monkeypatch.setattr(driver, "pool_size", lambda *args: pytest.fail("no probe: the pool is already at work"))
    parallel = scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=2))
    assert workers_when_walked == [2]
    assert len(serial.paths) == (files + 96) // 97
    assert [(p.file, p.line, p.targets) for p in parallel.paths] == [(p.file, p.line, p.targets) for p in serial.paths]
    assert parallel.skipped == serial.skipped and any(s.file == "pkg7/bad.py" for s in serial.skipped)
    assert parallel.files_parsed == serial.files_parsed and multiprocessing.active_children() == []


def test_a_small_tree_of_slow_files_is_shared_among_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for index in range(150):
        (tmp_path / f"m{index}.py").write_text(CALL if index % 5 == 0 else f"VALUE = {index}\n")
    monkeypatch.setattr(driver, "PROBE_SECONDS", 0.0)  # the first files took long: time is up after one step
    monkeypatch.setattr(driver, "POOL_PAYS_OFF_SECONDS", 0.0)
    asked: list[tuple[float, int, int]] = []
    monkeypatch.setattr(driver, "pool_size", lambda *args: asked.append(args) or pool_size(*args))
    result = scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=2))
    assert [(batches, workers) for _, batches, workers in asked] == [(8, 2)]  # 140 files left, 4 batches each
    assert len(result.paths) == 30


def test_configuration_is_read_while_the_workers_read_the_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for index in range(150):
        (tmp_path / f"m{index}.py").write_text(CALL if index % 5 == 0 else f"VALUE = {index}\n")
    (tmp_path / ".env").write_text("OPENAI_MODEL=gpt-4o-mini\n")
    monkeypatch.setattr(driver, "PROBE_SECONDS", 0.0)
    monkeypatch.setattr(driver, "POOL_PAYS_OFF_SECONDS", 0.0)
    workers_at_work: list[int] = []
    real = driver._read_configuration
    monkeypatch.setattr(driver, "_read_configuration",
                        lambda *args: workers_at_work.append(len(multiprocessing.active_children())) or real(*args))
    result = scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=2))
    assert workers_at_work == [2]
    assert len(result.paths) == 30 and multiprocessing.active_children() == []


def test_worker_processes_are_chosen_from_the_work_not_the_file_count():
    assert pool_size(seconds_left=0.05, batches=40, workers=2) == 1  # 16,000 files that name no SDK
    assert pool_size(seconds_left=2.0, batches=3, workers=2) == 2  # 1,300 long modules that do
    assert pool_size(seconds_left=2.0, batches=3, workers=8) == 3
    assert pool_size(seconds_left=2.0, batches=1, workers=2) == 1
    assert pool_size(seconds_left=9.0, batches=9, workers=1) == 1  # --jobs 1


def test_helm_templates_are_not_read_as_yaml_and_big_lock_files_are_read(tmp_path: Path):
    chart = tmp_path / "deploy" / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: acme\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("llm:\n  model: gpt-4o\n")
    (chart / "templates" / "deployment.yaml").write_text("{{- if .Values.enabled }}\nkind: Deployment\n{{- end }}\n")
    packages = {f"node_modules/pkg{i}": {"version": f"1.0.{i}"} for i in range(40_000)}
    packages["node_modules/openai"] = {"version": "4.98.0"}
    (tmp_path / "package-lock.json").write_text(json.dumps({"lockfileVersion": 3, "packages": packages}, indent=2))
    assert (tmp_path / "package-lock.json").stat().st_size > 2_000_000
    result = scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=1))
    assert result.skipped == []
    assert [(c.file, c.model) for c in result.config] == [("deploy/chart/values.yaml", "gpt-4o")]
    assert [(d.package, d.version) for d in result.dependencies] == [("openai", "4.98.0")]


def test_progress_is_reported_up_to_every_file(tmp_path: Path):
    for index in range(30):
        (tmp_path / f"m{index}.py").write_text(CALL if index == 7 else f"VALUE = {index}\n")
    seen: list[tuple[int, int]] = []
    scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=1), progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (30, 30)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_imported_helpers_analysed_by_workers_give_what_one_process_gives(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "helpers").mkdir()
    (tmp_path / "app").mkdir()
    for index in range(40):  # each helper sends what its caller passes and names no model API or sending call
        (tmp_path / "helpers" / f"post{index}.py").write_text(
            "from requests import post\n\ndef send(url, body):\n    return post(url, json=body)\n")
        (tmp_path / "app" / f"m{index}.py").write_text(
            f"from helpers.post{index} import send\n\n"
            f'send("https://api.openai.com/v1/chat/completions", {{"model": "gpt-4o", "messages": []}})\n')
    serial = scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=1))
    monkeypatch.setattr(driver, "PROBE_SECONDS", 0.0)
    monkeypatch.setattr(driver, "POOL_PAYS_OFF_SECONDS", 0.0)
    asked: list[tuple[float, int, int]] = []
    monkeypatch.setattr(driver, "pool_size", lambda *args: asked.append(args) or pool_size(*args))
    parallel = scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=2))
    assert len(asked) == 2 and pool_size(*asked[1]) == 2  # the candidates, then the helpers they import
    assert {p.file for p in serial.paths} >= {"helpers/post0.py", "helpers/post39.py"}
    assert [(p.file, p.line, p.targets) for p in parallel.paths] == [(p.file, p.line, p.targets) for p in serial.paths]


@pytest.mark.parametrize("relpath", [
    "chat.py", "src/acme/api/chat.py", "pkg/__init__.py", "__init__.py", "pkg/__init__.PY", "web/index.py",
    "web/index.ts", "web/index.tsx", "web/__init__.ts", "a.b.py", "x/a.b.py", "x/v1.2/__init__.py", "x/v1.2/index.js",
    "notebooks/explore.ipynb", "cmd/main.go", "utils/chat", "Chat.KT",
])
def test_the_index_key_of_a_file_is_the_last_part_of_its_module_name(relpath: str):
    assert module_tail(relpath) == module_name(relpath).rpartition(".")[2]


def test_a_package_wins_over_a_module_of_its_name_for_an_import(scan_files):
    result = scan_files({
        "shop/settings.py": 'CHAT = "o3"\n',
        "shop/settings/__init__.py": 'CHAT = "gpt-4.1-mini"\n',
        "shop/bot.py": """
            from openai import OpenAI
            from shop.settings import CHAT
            OpenAI().chat.completions.create(model=CHAT, messages=[])
        """,
    })
    assert {p.file: p.models for p in result.paths} == {"shop/bot.py": ["gpt-4.1-mini"]}


def test_an_import_written_from_above_the_root_finds_the_one_module_whose_name_ends_with_it(scan_files):
    result = scan_files({
        "service/shop/settings.py": 'CHAT = "gpt-4.1-mini"\n',
        "service/shop/bot.py": """
            from openai import OpenAI
            from shop.settings import CHAT
            OpenAI().chat.completions.create(model=CHAT, messages=[])
        """,
        # two modules end with report.settings: which one the import means stays unknown, neither is guessed
        "a/report/settings.py": 'CHAT = "gpt-4o"\n',
        "b/report/settings.py": 'CHAT = "o3"\n',
        "service/report/job.py": """
            from openai import OpenAI
            from report.settings import CHAT
            OpenAI().chat.completions.create(model=CHAT, messages=[])
        """,
    })
    models = {p.file: p.models for p in result.paths}
    assert models == {"service/shop/bot.py": ["gpt-4.1-mini"], "service/report/job.py": []}


def test_the_modules_of_the_class_tree_are_analysed_ahead_with_the_imported_ones(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch):
    """Files that mention an SDK but make no call are known by their class outline only: the resolver reads each
    one in full to find the classes extending a framework's model class, so they are analysed ahead, on all cores
    when that pays, instead of one by one in the main process."""
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "base.py").write_text("class Base:\n    pass\n")
    (tmp_path / "app").mkdir()
    for index in range(5):
        (tmp_path / "app" / f"agent{index}.py").write_text(
            f"import openai  # answers with it\nfrom models.base import Base\n\nclass Agent{index}(Base):\n    pass\n")
    (tmp_path / "app" / "chat.py").write_text(
        "import openai\n\nopenai.OpenAI().chat.completions.create(model='gpt-4o', messages=[])\n")
    ahead: list[str] = []
    analyse_imported = driver.analyse_imported
    monkeypatch.setattr(driver, "analyse_imported", lambda *args: ahead.extend(args[2]) or analyse_imported(*args))
    result = scan_tree(tmp_path, Catalog.load(), ScanOptions(workers=1))
    assert [p.file for p in result.paths] == ["app/chat.py"]
    assert sorted(ahead) == [*(f"app/agent{index}.py" for index in range(5)), "models/base.py"]
