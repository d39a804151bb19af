#!/usr/bin/env bash
# Set up, then run the whole test suite (real PDFs, Word files and workbooks; a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pytest "$@"
