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

# Semgrep must never wait on its version check or send metrics (no internet in CI).
export SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off
export PATH="$PWD/$venv/bin:$PATH"
exec "$venv/bin/python" -m pytest "$@"
