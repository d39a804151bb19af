"""The committed JSON Schema is the one the model generates, and it accepts the examples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from disclose.model.schema import schema_text

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "schemas" / "disclose-input.schema.json"


def test_committed_schema_is_current():
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "schemas/disclose-input.schema.json is stale: run `disclose schema -o schemas/disclose-input.schema.json`"
    )


def test_schema_command_prints_it():
    out = subprocess.run([sys.executable, "-m", "disclose", "schema"], capture_output=True, text=True, check=True).stdout
    schema = json.loads(out)
    assert schema["title"] == "disclose 部门决算数据"
    assert schema["additionalProperties"] is False  # typos must not pass silently
    assert {"profile", "income", "expenditure", "general_budget"} <= set(schema["properties"])
    # Chinese titles reach editors and the workbook.
    assert schema["properties"]["income"]["title"] == "收入决算表（公开02表）"
