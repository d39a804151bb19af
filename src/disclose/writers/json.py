"""The document model as JSON: for diffing builds, for other tools, and for tests."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from disclose.document.ir import Document
from disclose.files import write_atomic


def document_to_dict(document: Document) -> dict[str, Any]:
    def convert(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj):
            out = {"type": type(obj).__name__}
            out.update({f.name: convert(getattr(obj, f.name)) for f in dataclasses.fields(obj)})
            return out
        if isinstance(obj, list):
            return [convert(x) for x in obj]
        return obj

    return convert(document)


def write_json(document: Document, target: Path) -> None:
    text = json.dumps(document_to_dict(document), ensure_ascii=False, indent=1)
    write_atomic(target, text.encode("utf-8"))
