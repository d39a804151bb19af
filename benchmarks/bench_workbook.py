"""How long the Excel workbook takes: writing the template, reading a filled one back (issue 4).

Per example: the size of the filled workbook, the time to write it (``disclose template
--from``: build + save), to read it (cells → plain data), to read and validate it (the model
and the structure checks, as ``disclose validate`` does before auditing), and read + audit.
Best of N. With ``--libreoffice`` the workbook is also saved by LibreOffice (headless) and
read again: LibreOffice writes shared strings and every styled cell, so its files differ.

    .venv/bin/python benchmarks/bench_workbook.py [-n 5] [--libreoffice]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def best(n: int, fn) -> float:
    result = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        fn()
        result = min(result, time.perf_counter() - t)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=5, help="repetitions (best of n)")
    parser.add_argument("--libreoffice", action="store_true", help="also time a workbook saved by LibreOffice")
    args = parser.parse_args()

    from disclose.readers import read_input
    from disclose.readers.excel_reader import read_workbook, read_workbook_input
    from disclose.rules.engine import audit
    from disclose.writers import xlsx

    out = Path(tempfile.mkdtemp(prefix="bench-xlsx-"))
    empty = out / "empty.xlsx"
    write_empty = best(args.n, lambda: xlsx.build_workbook({}).save(empty))
    print(f"empty template: write {write_empty * 1000:.0f} ms, {empty.stat().st_size / 1024:.0f} KB")
    print(f"{'example':<24} {'KB':>5} {'write ms':>9} {'read ms':>8} {'read+validate ms':>17} {'+audit ms':>10}" + ("  LibreOffice-saved: KB / read+validate ms" if args.libreoffice else ""))
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        values = xlsx.values_of(read_input(example).data)
        book = out / f"{example.stem}.xlsx"
        write = best(args.n, lambda: xlsx.build_workbook(values).save(book))
        read = best(args.n, lambda: read_workbook(book))
        validate = best(args.n, lambda: read_workbook_input(book))
        audited = best(args.n, lambda: audit(read_workbook_input(book)))
        line = f"{example.stem:<24} {book.stat().st_size / 1024:>5.0f} {write * 1000:>9.0f} {read * 1000:>8.0f} {validate * 1000:>17.0f} {audited * 1000:>10.0f}"
        if args.libreoffice and shutil.which("soffice"):
            from tests.support.libreoffice import convert

            saved = convert(book, "xlsx", out / "lo")
            lo = best(args.n, lambda: read_workbook_input(saved))
            line += f"  {saved.stat().st_size / 1024:>5.0f} / {lo * 1000:.0f}"
        print(line)
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
