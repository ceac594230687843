"""What users install: the wheel that `python -m build` makes carries the code, its data and the command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).parents[1]


def test_the_wheel_builds_installs_and_its_command_scans(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(tmp_path / "dist"), str(REPO)],
                   check=True, capture_output=True, timeout=600)
    (wheel,) = (tmp_path / "dist").glob("offramp-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("offramp/catalog/data/models.toml", "offramp/report/templates/report.html",
                    "offramp/report/locale/zh_TW/LC_MESSAGES/offramp.mo", "offramp/scan/config/rules.toml"):
        assert shipped in names
    assert not [name for name in names if name.startswith(("tests/", "examples/", "benchmarks/"))]

    site = tmp_path / "site"  # the wheel alone; its dependencies are this environment's
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
                    "--target", str(site), str(wheel)], check=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(site)}
    command = [str(site / "bin" / "offramp")]
    shown = subprocess.run([*command, "--help"], capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    assert "scan" in shown.stdout and "serve" in shown.stdout
    installed, checkout = tmp_path / "installed.json", tmp_path / "checkout.json"
    example = str(REPO / "examples" / "acme-support")
    subprocess.run([*command, "scan", example, "--format", "json", "-o", str(installed)],
                   env=env, cwd=tmp_path, check=True, timeout=300)
    subprocess.run([sys.executable, "-m", "offramp", "scan", example, "--format", "json", "-o", str(checkout)],
                   cwd=REPO, check=True, timeout=300)
    summary = json.loads(installed.read_text())["summary"]
    assert summary["critical_paths"] > 0 and summary == json.loads(checkout.read_text())["summary"]
    where = subprocess.run([sys.executable, "-c", "import offramp; print(offramp.__file__)"], capture_output=True,
                           text=True, env=env, cwd=tmp_path, check=True).stdout
    assert where.startswith(str(site)), "the command ran the installed wheel, not this checkout"
