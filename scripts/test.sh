#!/usr/bin/env bash
# Sets everything up (Debian packages, venv) and runs the whole test suite: lint, then pytest.
# Any failure, including pytest's exit 5 (no tests collected), fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff"
ruff check .
echo "== pytest"
# Two workers: half the suite waits on brokers, daemons and subprocesses. A module runs on one worker, so the
# tests needing the machine's one pcscd (one module: tests/conftest.py) share it. KIOSK_TEST_WORKERS=0 runs
# everything in this one process.
exec pytest -n "${KIOSK_TEST_WORKERS:-2}" --dist loadfile "$@"
