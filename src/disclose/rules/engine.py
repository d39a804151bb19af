"""Run the audit: evaluate every identity of the ledger and every check rule.

Severity of an identity finding: a difference within the rounding tolerance of
figures that were given already rounded (万元) is 尾差; anything else takes the
rule's severity. A 提示 that the data explains in ``audit_notes`` carries the
explanation (出错说明) along.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from disclose.findings import Finding, Severity
from disclose.model.derive import SubjectRows, build_ledger
from disclose.model.ledger import Ledger, evaluate
from disclose.model.load import Input
from disclose.model.requirements import Requirements
from disclose.money import TEN_THOUSAND, r2
from disclose.rules import checks
from disclose.rules.catalogue import CATALOGUE

MAX_LOCATIONS = 12


@dataclass
class AuditReport:
    source: Input
    ledger: Ledger
    rows: dict[str, SubjectRows]
    findings: list[Finding] = field(default_factory=list)

    def by_severity(self, severity: Severity) -> list[Finding]:
        return [f for f in self.findings if f.level is severity]

    @property
    def errors(self) -> list[Finding]:
        return self.by_severity(Severity.ERROR)

    @property
    def ok(self) -> bool:
        return not self.errors


def audit(source: Input, requirements: Requirements | None = None) -> AuditReport:
    """Audit a data set; ``requirements`` come from the layout it will be printed in."""
    if requirements is not None:
        source.requirements = requirements
    ledger, rows = build_ledger(source)
    report = AuditReport(source, ledger, rows, list(source.warnings))
    report.findings.extend(identity_findings(ledger, source))
    for check in checks.CHECKS:
        report.findings.extend(check(source, ledger, rows))
    _apply_notes(report)
    report.findings.sort(key=lambda f: (f.level.rank, _first_line(f)))
    return report


def identity_findings(ledger: Ledger, source: Input) -> list[Finding]:
    out: list[Finding] = []
    seen: set[tuple] = set()
    for identity in ledger.identities:
        outcome = evaluate(ledger, identity)
        if outcome is None or outcome.holds_exactly:
            continue
        signature = (identity.rule, identity.lhs, tuple(t.key for t in identity.terms))
        if signature in seen:
            continue
        seen.add(signature)
        rule = CATALOGUE[identity.rule]
        # Given figures first (the ones a clerk typed), then what derived ones rest on.
        direct = [k for k in outcome.involved if ledger.figures.get(k) and ledger.figures[k].is_given]
        behind = [s for k in outcome.involved if k not in direct for s in ledger.sources(k)]
        paths = ledger.given_paths(dict.fromkeys(direct + behind))
        # Defaults the file never wrote have no place of their own; they only add noise.
        written = [p for p in paths if p in source.source.places] or paths[:1]
        locations = [source.source.locate(p) for p in written[:MAX_LOCATIONS]]
        if len(identity.terms) == 1:
            rhs_label = ledger.label(identity.terms[0].key)
        else:
            rhs_label = rule.rhs or "对应数"
        diff = abs(outcome.difference)
        finding = Finding(
            rule.identity_type(identity.relation),
            locations,
            {
                "lhs_label": ledger.label(identity.lhs),
                "lhs": show(ledger, outcome.lhs),
                "rhs_label": rhs_label,
                "rhs": show(ledger, outcome.rhs),
                "diff": show(ledger, diff),
                "unit": "",
            },
        )
        if outcome.within_tolerance and ledger.unit == "万元":
            finding.severity = Severity.NOTICE
        out.append(finding)
    return out


def show(ledger: Ledger, value: Decimal) -> str:
    """An amount in a message, with its unit."""
    if ledger.unit == "元":
        return f"{value:,.2f}元（{r2(value / TEN_THOUSAND):,.2f}万元）"
    return f"{value:,.2f}万元"


def _apply_notes(report: AuditReport) -> None:
    notes = report.source.data.audit_notes
    for finding in report.findings:
        for note in notes:
            if note.rule != finding.code:
                continue
            if note.where and not any(note.where in (loc.field(), loc.place()) for loc in finding.locations):
                continue
            finding.explanation = note.note


def _first_line(finding: Finding) -> tuple:
    if not finding.locations:
        return ("", 0, 0)
    loc = finding.locations[0]
    return (loc.sheet or "", loc.line or 0, loc.column or 0)
