"""The JSON Schema of the input, generated from the model (committed as schemas/disclose-input.schema.json)."""

from __future__ import annotations

import json

from disclose.model.dataset import DataSet

SCHEMA_ID = "https://disclose.invalid/schemas/disclose-input-1.schema.json"


def schema_dict() -> dict:
    schema = DataSet.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    return schema


def schema_text() -> str:
    return json.dumps(schema_dict(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
