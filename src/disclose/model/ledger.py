"""The ledger: every figure of the nine tables, given or derived, and the identities between them.

A figure is *given* when the data states it and *derived* otherwise. Each derivable
figure has one primary formula (an ``Identity`` whose left side it is); when the
figure is given, the same identity becomes a check. Further identities are checks
only (e.g. the 公开01表 本年收入合计 must equal the 公开02表 合计). The audit rules
evaluate every identity on effective values (given, else derived) and report the
ones that do not hold, with the places of the given values involved.

Units: figures are held in the file's unit. In 元 everything is exact; the printed
万元 figure of every cell is rounded on its own (SPEC §1.1). In 万元 the figures are
already rounded and print as given; a derived total is the sum of printed parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Literal

from disclose.findings import Path
from disclose.money import TEN_THOUSAND, ZERO, r2

Key = tuple[str, ...]
Relation = Literal["=", "<=", ">="]


@dataclass(frozen=True)
class Term:
    key: Key
    sign: int = 1


@dataclass
class Identity:
    """``lhs relation Σ sign·term``, named by the audit rule that states it."""

    rule: str
    lhs: Key
    terms: list[Term]
    relation: Relation = "="
    primary: bool = False  # the formula that derives ``lhs`` when it is not given
    if_given: bool = False  # a restatement of another identity unless ``lhs`` is given


@dataclass
class Figure:
    key: Key
    label: str
    given: Decimal | None = None
    path: Path | None = None  # where the given value stands in the input
    formula: Identity | None = None

    @property
    def is_given(self) -> bool:
        return self.given is not None


class Ledger:
    def __init__(self, unit: Literal["元", "万元"]):
        self.unit = unit
        self.figures: dict[Key, Figure] = {}
        self.identities: list[Identity] = []
        self._values: dict[Key, Decimal] = {}
        self._leaves: dict[Key, int] = {}

    # -- building

    def add(self, key: Key, label: str, given: Decimal | None = None, path: Path | None = None) -> Figure:
        figure = self.figures.get(key)
        if figure is None:
            figure = self.figures[key] = Figure(key, label)
        if given is not None:
            figure.given, figure.path = given, path
        return figure

    def derive(self, rule: str, key: Key, terms: Iterable[Key | Term]) -> Identity:
        identity = Identity(rule, key, [t if isinstance(t, Term) else Term(t) for t in terms], "=", primary=True)
        self.figures[key].formula = identity
        self.identities.append(identity)
        return identity

    def check(
        self, rule: str, key: Key, terms: Iterable[Key | Term], relation: Relation = "=", *, if_given: bool = False
    ) -> Identity:
        identity = Identity(rule, key, [t if isinstance(t, Term) else Term(t) for t in terms], relation, if_given=if_given)
        self.identities.append(identity)
        return identity

    # -- reading

    def __contains__(self, key: Key) -> bool:
        return key in self.figures

    def value(self, key: Key) -> Decimal:
        """The effective value: given, else derived by the figure's formula (0 if it has none)."""
        cached = self._values.get(key)
        if cached is not None:
            return cached
        figure = self.figures.get(key)
        if figure is None:
            result = ZERO
        elif figure.given is not None:
            result = figure.given
        elif figure.formula is not None:
            result = self.sum(figure.formula.terms)
        else:
            result = ZERO
        self._values[key] = result
        return result

    def sum(self, terms: Iterable[Term]) -> Decimal:
        return sum((self.value(t.key) * t.sign for t in terms), ZERO)

    def leaves(self, key: Key) -> int:
        """How many independently rounded figures a value is made of (its rounding tolerance)."""
        cached = self._leaves.get(key)
        if cached is not None:
            return cached
        figure = self.figures.get(key)
        if figure is None or figure.given is not None or figure.formula is None:
            count = 1
        else:
            count = max(1, sum(self.leaves(t.key) for t in figure.formula.terms))
        self._leaves[key] = count
        return count

    def printed(self, key: Key) -> Decimal:
        """The figure as printed, in 万元 with 2 decimals."""
        value = self.value(key)
        return r2(value / TEN_THOUSAND) if self.unit == "元" else r2(value)

    def label(self, key: Key) -> str:
        figure = self.figures.get(key)
        return figure.label if figure else "/".join(key)

    def sources(self, key: Key) -> list[Key]:
        """The given figures a value rests on: itself if given, else those of its formula's terms."""
        figure = self.figures.get(key)
        if figure is None:
            return []
        if figure.given is not None or figure.formula is None:
            return [key] if figure.given is not None else []
        out: list[Key] = []
        for term in figure.formula.terms:
            for k in self.sources(term.key):
                if k not in out:
                    out.append(k)
        return out

    def given_paths(self, keys: Iterable[Key]) -> list[Path]:
        paths = []
        for key in keys:
            figure = self.figures.get(key)
            if figure is not None and figure.given is not None and figure.path is not None:
                paths.append(figure.path)
        return paths

    def keys(self, *prefix: str) -> list[Key]:
        n = len(prefix)
        return [k for k in self.figures if k[:n] == prefix]


@dataclass
class Outcome:
    """The result of evaluating one identity."""

    identity: Identity
    lhs: Decimal
    rhs: Decimal
    tolerance: Decimal
    holds_exactly: bool
    within_tolerance: bool
    involved: list[Key] = field(default_factory=list)

    @property
    def difference(self) -> Decimal:
        return self.lhs - self.rhs


CENT = Decimal("0.01")


def evaluate(ledger: Ledger, identity: Identity) -> Outcome | None:
    """Evaluate an identity; None when it holds by construction (a derived left side)."""
    lhs_figure = ledger.figures.get(identity.lhs)
    if (identity.primary or identity.if_given) and (lhs_figure is None or lhs_figure.given is None):
        return None
    lhs = ledger.value(identity.lhs)
    rhs = ledger.sum(identity.terms)
    involved = [identity.lhs] + [t.key for t in identity.terms]
    if ledger.unit == "万元":
        summands = max(ledger.leaves(identity.lhs), sum(ledger.leaves(t.key) for t in identity.terms))
        tolerance = CENT * summands
    else:
        tolerance = ZERO
    if identity.relation == "=":
        exact = lhs == rhs
        within = abs(lhs - rhs) <= tolerance
        if within and not exact and all(t.sign > 0 for t in identity.terms):
            # Rounding is monotonic: a total of non-negative parts, rounded on its own,
            # can never print below one of its parts. That is a real error, not a 尾差.
            within = all(lhs >= ledger.value(t.key) for t in identity.terms)
    elif identity.relation == "<=":
        exact = lhs <= rhs
        within = lhs <= rhs + tolerance
    else:
        exact = lhs >= rhs
        within = lhs + tolerance >= rhs
    return Outcome(identity, lhs, rhs, tolerance, exact, within, involved)
