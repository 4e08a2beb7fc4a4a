#!/usr/bin/env bash
# Idempotent set-up on a fresh Debian machine: system packages (OCR), a virtualenv in .venv and
# the project installed in it (with the dev extras when called with --dev).
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-ind tesseract-ocr-msa tesseract-ocr-tha
              tesseract-ocr-vie tesseract-ocr-khm tesseract-ocr-lao tesseract-ocr-mya poppler-utils)
# the review app's browser tests drive Debian's own Chromium (never a downloaded browser)
if [ "${1:-}" = "--dev" ]; then apt_packages+=(chromium chromium-driver); fi
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "warning: missing Debian packages (OCR and the review app's browser tests are skipped without them): ${missing[*]}" >&2
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install -q -e ".[dev]"
else
  .venv/bin/python -m pip install -q -e .
fi
