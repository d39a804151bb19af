#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine (idempotent: re-running is quick).
#   1. Debian packages: rendering libraries, CJK fonts, PDF tools, LibreOffice (scripts/install-system-deps.sh)
#   2. a virtual environment in .venv with disclose and its test tools installed, at the
#      versions pinned in scripts/constraints.txt
set -euo pipefail
cd "$(dirname "$0")/.."

sh scripts/install-system-deps.sh

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  # Debian's own python3 ships venv separately.
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -q --no-install-recommends python3-venv
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# Pinned versions (scripts/constraints.txt): a fresh machine gets what the suite passed with.
.venv/bin/python -m pip install -q -c scripts/constraints.txt --upgrade pip
.venv/bin/python -m pip install -q -c scripts/constraints.txt -e '.[test]'
# An editable install leaves disclose's own modules uncompiled, and with
# PYTHONDONTWRITEBYTECODE set (as on some CI machines) every run would compile them
# again: write the bytecode once, as a regular install does.
.venv/bin/python -m compileall -q src >/dev/null
