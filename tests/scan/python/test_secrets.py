"""API keys written into code or .env files are reported redacted, and never appear anywhere else."""

import json
import subprocess
import sys

KEY = "sk-proj-" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0"
ANTHROPIC_KEY = "sk-ant-api03-" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp"


def test_keys_are_reported_redacted(scan_files):
    result = scan_files({
        "app/chat.py": f"""
            from openai import OpenAI
            client = OpenAI(api_key="{KEY}")
            client.chat.completions.create(model="gpt-4o", messages=[])
        """,
        ".env": f"ANTHROPIC_API_KEY={ANTHROPIC_KEY}\n",
    })
    assert [(s.file, s.line, s.provider) for s in result.secrets] == [
        (".env", 1, "anthropic"), ("app/chat.py", 2, "openai")]
    assert all(KEY not in s.redacted and ANTHROPIC_KEY not in s.redacted for s in result.secrets)
    assert result.secrets[1].redacted == f"sk-p…[redacted, {len(KEY)} chars]"
    assert KEY not in result.paths[0].snippet


def test_no_key_in_any_output_format(tmp_path):
    (tmp_path / "app.py").write_text(
        f'import anthropic\nc = anthropic.Anthropic(api_key="{ANTHROPIC_KEY}")\n'
        'c.messages.create(model="claude-3-5-haiku-latest", max_tokens=5, messages=[])\n')
    outputs = [
        subprocess.run([sys.executable, "-m", "offramp", "scan", str(tmp_path), *args],
                       capture_output=True, text=True, check=True).stdout
        for args in (["--format", "json"], ["--format", "terminal"])
    ]
    assert all(ANTHROPIC_KEY not in out and ANTHROPIC_KEY[:20] not in out for out in outputs)
    assert json.loads(outputs[0])["secrets"][0]["line"] == 2
