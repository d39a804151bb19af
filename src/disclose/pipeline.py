"""One build, start to end: read → audit → layout → document → writers.

``build_one`` is what a worker process runs for one input; it returns a
``BuildResult`` (plain, picklable) and never raises for bad input, so a batch
built with ``-j`` reports every input, good or bad.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from disclose.files import claim, explain
from disclose.findings import Finding, InputError, Location, Severity

_log = logging.getLogger(__name__)

FORMATS = ("pdf", "docx")


@dataclass
class BuildOptions:
    out_dir: Path
    formats: tuple[str, ...] = FORMATS
    layout: str | None = None
    variant: str | None = None
    accept_errors: bool = False
    pdf_workers: int = 1  # processes one document may use; 1: one process at work at a time
    protected: tuple[Path, ...] = ()  # files that must never be written over (the inputs)
    claims: Path | None = None  # a batch's claimed output names (files.claim): no input writes over another's document


@dataclass
class BuildResult:
    input: Path
    outputs: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unreadable: bool = False  # the input could not be read (exit code 2)
    refused: bool = False  # the data has 错误 and --accept-errors was not given (exit code 1)
    failure: str | None = None  # a layout or writer failure, in Chinese
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Severity.ERROR]

    @property
    def ok(self) -> bool:
        return not (self.unreadable or self.refused or self.failure)


# A file name may have 255 bytes on common file systems. The department's part is cut to
# fit with "-<year>.docx" and the temporary name written first (files.atomic_path adds
# "." before and ".<8 hex>.tmp" after): a Chinese character takes 3 bytes in UTF-8.
MAX_NAME_BYTES = 200


def output_stem(department: str, year: int) -> str:
    """``<department>-<year>``, safe as a file name on every system."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", department).strip(" .") or "部门"
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1].rstrip(" .")
    return f"{name}-{year}"


def audit_input(path: Path, layout: str | None = None, variant: str | None = None):
    """Read and audit one input against the requirements of the layout it will print in."""
    from disclose.document.layout import requirements_for
    from disclose.readers import read_input
    from disclose.rules.engine import audit

    source = read_input(path)
    profile = source.data.profile
    name = layout or profile.layout
    chosen = variant if variant is not None else (profile.variant if name == profile.layout else None)
    return audit(source, requirements_for(name, chosen))


def build_one(path: Path, options: BuildOptions) -> BuildResult:
    # With processes to spare, the PDF process is forked before anything else: it loads
    # WeasyPrint (about 0.4 s) while this process reads, audits and lays out the data.
    # With a share of one (-j 1, or a worker of a parallel build), it is forked once the
    # document is ready (_build).
    pdf = None
    if "pdf" in options.formats and options.pdf_workers > 1:
        from disclose.writers.pdf.process import PdfProcess

        pdf = PdfProcess()
    try:
        return _build(path, options, pdf)
    finally:
        if pdf is not None:
            pdf.close()


def _build(path: Path, options: BuildOptions, pdf) -> BuildResult:
    # WeasyPrint is loaded only once the document is ready (_write), if at all.
    preload(tuple(fmt for fmt in options.formats if fmt != "pdf"))
    from disclose.document.build import build_document, layout_for
    from disclose.document.layout import LayoutError

    result = BuildResult(path)
    started = time.perf_counter()
    try:
        report = audit_input(path, options.layout, options.variant)
    except InputError as exc:
        result.findings, result.unreadable = exc.findings, True
        return result
    source = report.source
    result.findings = report.findings
    result.timings["audit"] = time.perf_counter() - started
    if report.errors and not options.accept_errors:
        result.refused = True
        return result
    try:
        layout = layout_for(report, options.layout, options.variant)
        t = time.perf_counter()
        document = build_document(report, layout)
        result.timings["layout"] = time.perf_counter() - t
        _log.debug("%s: audited in %.2f s, laid out in %.2f s", path, result.timings["audit"], result.timings["layout"])
    except LayoutError as exc:
        result.failure = str(exc)
        return result

    stem = output_stem(source.data.profile.department, source.data.profile.year)
    protected = {p.resolve() for p in options.protected}
    targets = {fmt: options.out_dir / f"{stem}.{fmt}" for fmt in options.formats}
    for target in targets.values():
        if target.resolve() in protected:
            result.failure = f"输出文件 {target} 与输入文件相同，disclose 不会覆盖输入"
            return result
    if options.claims is not None and (owner := claim(options.claims, stem, str(path))) is not None:
        names = "、".join(target.name for target in targets.values())
        result.failure = f"与 {owner} 写入同一文件 {names}（两份数据的部门和年度都相同），未生成"
        return result
    if pdf is not None:
        # Handed over first: the PDF takes longest, and is rendered while this process
        # writes the other formats.
        submitted = time.perf_counter()
        pdf.submit(document, targets["pdf"], options.pdf_workers)
    elif "pdf" in targets and not _written(result, "pdf", lambda: _write("pdf", document, targets["pdf"]), targets["pdf"]):
        return result
    for fmt in targets:
        if fmt != "pdf" and not _written(result, fmt, lambda: _write(fmt, document, targets[fmt]), targets[fmt]):
            return result
    if pdf is not None and not _written(result, "pdf", pdf.result, targets["pdf"], since=submitted):
        return result
    result.outputs = list(targets.values())
    result.timings["total"] = time.perf_counter() - started
    return result


def _written(result: BuildResult, fmt: str, write, target: Path, since: float | None = None) -> bool:
    """Run ``write``; time it into ``result``, or record its failure there (the target is untouched)."""
    started = time.perf_counter() if since is None else since
    try:
        write()
    except Exception as exc:  # noqa: BLE001 - reported per input
        detail = getattr(exc, "detail", None) or (explain(exc, target) if isinstance(exc, OSError) else f"{type(exc).__name__}: {exc}")
        result.failure = f"生成 {fmt.upper()} 失败：{detail}"
        return False
    result.timings[fmt] = time.perf_counter() - started
    return True


_loaded: set[str] = set()  # what preload has imported in this process


def preload(formats: tuple[str, ...]) -> None:
    """Import what auditing, laying out and writing these formats need, once per process
    (loading.py: with the collector paused). In a process that builds several inputs or
    forks PDF processes, they inherit it all."""
    from disclose.loading import loading

    wanted = {"audit", *formats} - _loaded
    if not wanted:
        return
    with loading():
        import disclose.document.build  # noqa: F401 - imported for their side effect
        import disclose.readers  # noqa: F401
        import disclose.rules.engine  # noqa: F401

        if "pdf" in wanted:
            from disclose.writers.pdf.process import preload as preload_pdf

            preload_pdf()
        if "docx" in wanted:
            import disclose.writers.docx  # noqa: F401
        if "json" in wanted:
            import disclose.writers.json  # noqa: F401
    _loaded.update(wanted)


def _write(fmt: str, document, target: Path) -> None:
    """Write one format of ``document``, and return once it is written."""
    if fmt == "pdf":
        # A build with a share of one process (-j 1, or a worker of a parallel build):
        # one process at work at a time, as with make -j 1, so this one waits. The PDF is
        # still rendered in a process of its own, forked from this one (which loads
        # WeasyPrint once for all its inputs): it runs without the garbage collector and
        # ends without freeing what it made. Rendered here, each document would cost 0.2 s
        # more (a collection of the rendering's cyclic garbage, Pango layouts among it).
        from disclose.writers.pdf.process import PdfProcess

        preload(("pdf",))
        with PdfProcess() as alone:
            alone.submit(document, target, 1)
            alone.result()
    elif fmt == "docx":
        from disclose.writers.docx import write_docx

        write_docx(document, target)
    elif fmt == "json":
        from disclose.writers.json import write_json

        write_json(document, target)
    else:  # pragma: no cover - the CLI offers only known formats
        raise ValueError(fmt)


def unreadable_result(path: Path, message: str) -> BuildResult:
    from disclose import findings as F

    return BuildResult(path, findings=[F.FILE_UNREADABLE([Location(str(path))], reason=message)], unreadable=True)
