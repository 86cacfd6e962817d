#!/usr/bin/env bash
# Set up everything playbookgen and its tests need on a fresh Debian machine:
# system libraries (Pango for WeasyPrint, Chromium for browser tests, poppler for PDF
# previews), the PDFs' fonts (Liberation Sans; DejaVu Sans Condensed from fonts-dejavu-extra
# for Vietnamese and symbols Liberation lacks) and a virtual environment in .venv with
# playbookgen installed editable.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-dejavu-extra fonts-liberation git)
missing=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
  elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "setup: please install these Debian packages first: ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[dev]'
echo "setup: ready (.venv/bin/playbookgen)"
