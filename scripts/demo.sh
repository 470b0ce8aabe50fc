#!/usr/bin/env bash
# Sets everything up if needed and runs the kiosk demo on simulated devices:
# a window where there is a display, otherwise a scripted headless visit that writes screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec .venv/bin/kiosk demo "$@"
else
  exec .venv/bin/kiosk demo --headless "$@"
fi
