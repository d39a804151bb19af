"""Shared test helpers and data."""

from pathlib import Path

# The three published documents transcribed to YAML (the team's ground truth, copied
# here from shared/truth with its FORMAT.md so that CI compares with them on every run).
TRUTH = Path(__file__).resolve().parents[1] / "truth"
