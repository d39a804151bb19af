"""The audit rule catalogue: every SPEC §4 identity is a named rule, listed by `disclose rules`."""

from __future__ import annotations

import json
import subprocess
import sys

from disclose.model.derive import build_ledger  # noqa: F401  (wires identities to rule ids)
from disclose.rules import checks  # noqa: F401
from disclose.rules.catalogue import CATALOGUE

SPEC_RULES = [f"R{i:02d}" for i in range(1, 16)] + [f"X{i:02d}" for i in range(1, 14)]


def test_every_spec_identity_has_a_rule():
    missing = [r for r in SPEC_RULES if r not in CATALOGUE]
    assert not missing


def test_rules_have_chinese_titles_and_formulas():
    for rule in CATALOGUE.values():
        assert rule.title and rule.formula
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.title)


def test_rules_command_lists_them_all():
    out = subprocess.run([sys.executable, "-m", "disclose", "rules", "--format", "json"], capture_output=True, text=True, check=True).stdout
    listed = {r["id"]: r for r in json.loads(out)}
    assert set(SPEC_RULES) <= set(listed)
    assert listed["R10"]["severity"] == "错误"
    assert listed["X13"]["severity"] == "提示"
    text = subprocess.run([sys.executable, "-m", "disclose", "rules"], capture_output=True, text=True, check=True).stdout
    assert text.index("R01") < text.index("X01") < text.index("N07")
