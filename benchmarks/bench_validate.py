"""How long `disclose validate` takes on the examples (issue: well under a second).

Prints, per example: the in-process time of read + schema + audit (best of N), and the
wall time of the whole `disclose validate` process (interpreter start and imports included).

    .venv/bin/python benchmarks/bench_validate.py [-n 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=5, help="repetitions (best of n)")
    args = parser.parse_args()

    from disclose.readers import read_input
    from disclose.rules.engine import audit

    examples = sorted((ROOT / "examples").glob("*.yaml"))
    print(f"{'example':<28} {'size KB':>8} {'findings':>9} {'audit ms':>9} {'process ms':>11}")
    for path in examples:
        best = float("inf")
        for _ in range(args.n):
            t = time.perf_counter()
            report = audit(read_input(path))
            best = min(best, time.perf_counter() - t)
        wall = float("inf")
        for _ in range(max(1, args.n // 2)):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "disclose", "validate", "--no-notices", str(path)], capture_output=True)
            wall = min(wall, time.perf_counter() - t)
        size = path.stat().st_size / 1024
        print(f"{path.name:<28} {size:>8.1f} {len(report.findings):>9} {best * 1000:>9.1f} {wall * 1000:>11.1f}")


if __name__ == "__main__":
    main()
