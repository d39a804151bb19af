"""Audit as `disclose validate` does: against the requirements of the data's own layout."""

from __future__ import annotations

from disclose.document.layout import requirements_for
from disclose.model.load import Input
from disclose.rules.engine import AuditReport, audit


def audit_as_validate(source: Input) -> AuditReport:
    profile = source.data.profile
    return audit(source, requirements_for(profile.layout, profile.variant))
