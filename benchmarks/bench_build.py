"""Build speed and memory, measured side by side in one run (issue targets in brackets).

For each example: wall time and peak RSS of `disclose build --format pdf` and of
`--format docx`, each a fresh process as a user runs it (interpreter start, imports,
audit and layout included). Then LibreOffice converting disclose's own DOCX of the
largest example to PDF (the yardstick for the PDF time), in rounds alternating with
disclose's own builds of that example, and all examples built with -j 1 against -j 2,
also alternated: the speed of a shared machine drifts over minutes. Besides the best
time of each, the median of each round's own ratio is printed, and how much two
CPU-bound processes at once get done on this machine (the ceiling of -j 2). With
--batch K, -j 1 against -j 2 once more over K renamed copies of each example, where a
run's fixed set-up and the uneven finish of its last documents weigh less.

    .venv/bin/python benchmarks/bench_build.py [-n 3] [--batch K]

Targets: PDF of the largest example ≤ LibreOffice's conversion of its DOCX; DOCX
< ¼ of that; peak memory < 250 MB per build; -j 2 ≥ 1.8 × as fast as -j 1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DISCLOSE = [sys.executable, "-m", "disclose"]

# Runs a command and prints its peak RSS (the largest of it and its children), in KB.
MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def timed(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """(seconds, peak MB) of one command in a fresh process."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=env, check=True)
    seconds = time.perf_counter() - start
    rss_kb, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"failed ({code}): {' '.join(command)}")
    return seconds, int(rss_kb) / 1024


def best(command: list[str], n: int, env: dict | None = None) -> tuple[float, float]:
    runs = [timed(command, env) for _ in range(n)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def two_process_throughput() -> float:
    """How much two CPU-bound processes at once get done, against one alone (best of 3 each).

    Virtual cores can share a physical one, or a host: then -j 2 cannot reach 2×
    whatever disclose does. A pure Python loop measures the ceiling.
    """
    loop = [sys.executable, "-c", "x = 0\nfor i in range(15_000_000): x += i"]

    def alone() -> float:
        start = time.perf_counter()
        subprocess.run(loop, check=True)
        return time.perf_counter() - start

    def pair() -> float:
        start = time.perf_counter()
        both = [subprocess.Popen(loop) for _ in range(2)]
        for process in both:
            process.wait()
        return time.perf_counter() - start

    one = min(alone() for _ in range(3))
    two = min(pair() for _ in range(3))
    return 2 * one / two


def j1_against_j2(inputs: list[str], out: Path, n: int) -> dict[int, list[float]]:
    """Wall times of building ``inputs`` (PDF + DOCX) with -j 1 and with -j 2, n rounds of each."""
    runs: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(n):
        for jobs in (1, 2):  # alternated: the speed of a shared machine drifts over minutes
            shutil.rmtree(out, ignore_errors=True)
            t = time.perf_counter()
            subprocess.run([*DISCLOSE, "build", *inputs, "-o", str(out), "--accept-errors", "-q", "-j", str(jobs)], check=True, capture_output=True)
            runs[jobs].append(time.perf_counter() - t)
            written = len(list(out.iterdir()))
            if written != 2 * len(inputs):
                raise SystemExit(f"-j {jobs} wrote {written} files for {len(inputs)} inputs")
    return runs


def department_copies(examples: list[Path], k: int, folder: Path) -> list[Path]:
    """k copies of each example, each under its own department name (so its own output files)."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for example in examples:
        text = example.read_text(encoding="utf-8")
        for i in range(1, k + 1):
            copy = folder / f"{example.stem}-{i}.yaml"
            copy.write_text(re.sub(r"(department: *)(.+)", rf"\g<1>\g<2>{i}", text, count=1), encoding="utf-8")
            copies.append(copy)
    return copies


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=3, help="repetitions (best time of n)")
    parser.add_argument("--batch", type=int, default=1, metavar="K", help="also compare -j 1 with -j 2 over K copies of each example")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="disclose-bench-"))
    results: dict = {"examples": {}}
    print(f"{'example':<26} {'pages':>5} {'PDF s':>7} {'PDF MB':>7} {'DOCX s':>7} {'DOCX MB':>8}")
    largest, largest_pages = None, -1
    for example in EXAMPLES:
        out = work / example.stem
        common = [*DISCLOSE, "build", str(example), "-o", str(out), "--accept-errors", "-q"]
        pdf_s, pdf_mb = best([*common, "--format", "pdf"], args.n)
        docx_s, docx_mb = best([*common, "--format", "docx"], args.n)
        pdf = next(out.glob("*.pdf"))
        pages = page_count(pdf)
        if pages > largest_pages:
            largest, largest_pages = example, pages
        results["examples"][example.name] = {"pages": pages, "pdf_s": pdf_s, "pdf_mb": pdf_mb, "docx_s": docx_s, "docx_mb": docx_mb}
        print(f"{example.name:<26} {pages:>5} {pdf_s:>7.2f} {pdf_mb:>7.0f} {docx_s:>7.2f} {docx_mb:>8.0f}")

    soffice = shutil.which("soffice")
    if soffice and largest is not None:
        # The yardstick: LibreOffice converting disclose's own DOCX of the largest example,
        # interleaved round by round with disclose's builds of it, so that both meet the
        # same machine (a shared machine's speed drifts over minutes).
        docx = next((work / largest.stem).glob("*.docx"))
        profile = work / "lo-profile"
        convert = [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf", "--outdir", str(work / "lo"), str(docx)]
        timed(convert)  # the first run creates the profile; not counted
        common = [*DISCLOSE, "build", str(largest), "-o", str(work / "side-by-side"), "--accept-errors", "-q"]
        rounds = {"lo": [], "pdf": [], "docx": []}
        for _ in range(args.n):
            rounds["lo"].append(timed(convert))
            rounds["pdf"].append(timed([*common, "--format", "pdf"]))
            rounds["docx"].append(timed([*common, "--format", "docx"]))
        lo_s, lo_mb = min(r[0] for r in rounds["lo"]), max(r[1] for r in rounds["lo"])
        pdf_s, docx_s = min(r[0] for r in rounds["pdf"]), min(r[0] for r in rounds["docx"])
        # Each round's own ratio too: the best times may come from different minutes.
        pdf_ratio = statistics.median(p[0] / lo[0] for p, lo in zip(rounds["pdf"], rounds["lo"]))
        docx_ratio = statistics.median(d[0] / lo[0] for d, lo in zip(rounds["docx"], rounds["lo"]))
        results["libreoffice"] = {
            "example": largest.name, "seconds": lo_s, "mb": lo_mb, "pdf_s": pdf_s, "docx_s": docx_s,
            "rounds": {k: [r[0] for r in v] for k, v in rounds.items()},
            "median_pdf_ratio": pdf_ratio, "median_docx_ratio": docx_ratio,
        }
        print(f"\n{largest.name}, {args.n} interleaved rounds (best of each; median of the rounds' own ratios):")
        print(f"  LibreOffice docx→pdf {lo_s:.2f} s ({lo_mb:.0f} MB)")
        print(f"  PDF  {pdf_s:.2f} s  vs LibreOffice {lo_s:.2f} s  → {'OK' if pdf_s <= lo_s else 'SLOWER'} [≤ 1×]; per round {pdf_ratio:.2f}×")
        print(f"  DOCX {docx_s:.2f} s  vs ¼ LibreOffice {lo_s / 4:.2f} s → {'OK' if docx_s < lo_s / 4 else 'SLOWER'} [< ¼]; per round {docx_ratio:.2f}×")
    else:
        print("\nLibreOffice (soffice) not found: no yardstick")

    peak = max(max(r["pdf_mb"], r["docx_mb"]) for r in results["examples"].values())
    print(f"  peak memory of any build: {peak:.0f} MB → {'OK' if peak < 250 else 'OVER'} [< 250 MB]")

    every = [str(p) for p in EXAMPLES]
    runs = j1_against_j2(every, work / "all", args.n)
    times = {jobs: min(r) for jobs, r in runs.items()}
    speedup = times[1] / times[2]
    per_round = statistics.median(one / two for one, two in zip(runs[1], runs[2]))
    machine = two_process_throughput()
    results["all"] = {
        "j1_s": times[1], "j2_s": times[2], "speedup": speedup, "median_round_speedup": per_round,
        "runs": runs, "machine_two_process_throughput": machine,
    }
    print(f"\nall {len(every)} examples, PDF + DOCX: -j 1 {times[1]:.2f} s, -j 2 {times[2]:.2f} s → {speedup:.2f}× "
          f"{'OK' if speedup >= 1.8 else 'LOW'} [≥ 1.8×]; per round {per_round:.2f}×  (cores: {os.cpu_count()})")
    print(f"  this machine: two CPU-bound Python processes together do {machine:.2f}× the work of one (2.00 if the cores were independent)")
    if args.batch > 1:
        # The same comparison over a batch k times as large (copies of the examples under
        # other department names): the set-up of a run and the last documents' uneven
        # finish weigh less, as in a bureau's batch of all its departments.
        batch = [str(p) for p in department_copies(EXAMPLES, args.batch, work / "batch-input")]
        big = j1_against_j2(batch, work / "batch", args.n)
        ratio = statistics.median(one / two for one, two in zip(big[1], big[2]))
        results["batch"] = {"inputs": len(batch), "runs": big, "median_round_speedup": ratio}
        print(f"  {len(batch)} inputs ({args.batch} × each example): -j 1 {min(big[1]):.2f} s, -j 2 {min(big[2]):.2f} s "
              f"→ {min(big[1]) / min(big[2]):.2f}×; per round {ratio:.2f}×")
    (work / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(f"\nraw figures: {work / 'results.json'}")
    shutil.rmtree(work / "lo-profile", ignore_errors=True)


if __name__ == "__main__":
    main()
