#!/usr/bin/env bash
# Install everything the test suite needs on a fresh machine, then run it.
# Used by the README and by .ci/run: keep them calling this one script.
set -euo pipefail
cd "$(dirname "$0")/.."

# A real Redis server backs the Upstash REST stand-in the verifier tests talk to.
if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
    $apt_get update -qq
    DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq redis-server >/dev/null
fi
# The test suite starts its own redis-server processes; the distribution's service is not needed.

venv="${VENV:-.venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q '.[test]'
# CI tests against the newest detect-secrets 1.5.x, so that a new release whose internals
# moved fails tests/test_patches.py by name instead of drifting. (As of this writing 1.5.0
# is the newest 1.5.x: `pip index versions detect-secrets`.)
"$venv/bin/python" -m pip install -q --upgrade 'detect-secrets>=1.5,<1.6'

# Microsoft's SARIF Multitool (npm; ships the SARIF 2.1.0 JSON schema too): the tests validate
# every SARIF log we write against the schema and GitHub's ingestion rules with it.
sarif_tool=".tools/sarif/node_modules/@microsoft/sarif-multitool-linux"
if [ ! -x "$sarif_tool/Sarif.Multitool" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
        $apt_get update -qq
        DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq npm >/dev/null
    fi
    npm install -s --prefix .tools/sarif --no-audit --no-fund @microsoft/sarif-multitool-linux@5.7.0 >/dev/null
    chmod u+x "$sarif_tool/Sarif.Multitool"   # the package's postinstall step, in case npm skipped it
fi
export SARIF_MULTITOOL_DIR="$PWD/$sarif_tool"

# Semgrep must never wait on its version check or send metrics (no internet in CI).
export SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off
export PATH="$PWD/$venv/bin:$PATH"
# Bytecode caches on (Python's default): with PYTHONDONTWRITEBYTECODE set (some CI images and
# shells set it) every console script the tests start compiles this package from source
# (~0.07 CPU-s of its ~0.25), and every pytest worker rewrites and compiles each test module
# (~2 CPU-s). The caches go to the gitignored __pycache__/ folders.
unset PYTHONDONTWRITEBYTECODE
# Tests wait mostly on subprocesses (pre-commit, semgrep, git): one worker per core
# (pytest-xdist). Pass `-n 0` to run serially, `-m "not slow"` for the quick loop.
exec "$venv/bin/python" -m pytest -n auto "$@"
