#!/usr/bin/env bash
# The main job: set up, then build the sample department's 部门决算 into output/ (PDF and Word).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/disclose validate examples/sample-2024.yaml
.venv/bin/disclose build examples/sample-2024.yaml -o output
