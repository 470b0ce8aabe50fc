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
exec pytest "$@"
