#!/usr/bin/env bash
# Installs everything the kiosk and its tests need on Debian 12, as root: Debian packages, then a venv.
# Idempotent: a second run checks and returns quickly.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Qt offscreen/xcb runtime (PySide6 wheels link these), CJK font
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3 libx11-6
  fonts-noto-cjk
  # handwriting input: the zinnia engine and its Simplified Chinese model (kiosk/handwriting.py)
  libzinnia0 tegaki-zinnia-simplified-chinese
  # real X window for the demo with a display
  xvfb libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1
  # MQTT broker for the sync agent's tests and the demo hall
  mosquitto mosquitto-clients
  # smart cards: pcscd + virtual reader/card, headers to build pyscard
  pcscd libpcsclite-dev swig vsmartcard-vpcd python3-virtualsmartcard
  # serial ptys, openssl for certificates, systemd-analyze for unit checks
  socat openssl systemd
  # FUSE for the store's power-loss test (tests/powerloss): libfuse2 for fusepy, fuse3 for fusermount
  fuse3 libfuse2
  # the A4 printer: CUPS (headers to build pycups), the virtual PDF printer the simulator and tests use, pdftotext/pdftoppm
  # to read printouts back, a CJK TrueType font (the hall's certificates: reportlab cannot embed Noto CJK's CFF)
  cups cups-client libcups2-dev printer-driver-cups-pdf ghostscript poppler-utils fonts-wqy-zenhei
  # the hall's production database: the tests and bench/fleet.py start a throwaway server (sync/halldb/throwaway.py)
  postgresql
  # voice guidance: offline text-to-speech (Mandarin voice cmn), WAV measuring in tests; the Mongolian script font
  espeak-ng sox fonts-noto-core
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
echo "setup: ready (.venv)"
