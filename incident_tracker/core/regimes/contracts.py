"""Contractual notice clauses: each outbound clause that applies owes the counterparty a notice.

There is no fixed catalogue: the rules come from the contracts in the facts, one per clause, with
the id "contract.<clause id>", the governing law as jurisdiction (its holiday calendar counts the
business days), and the contract and clause as the citation.
"""

from collections.abc import Iterator
from datetime import date

from ..contracts import Clause, ClausePeriod, Contract, Direction, Scope, Trigger, Unit
from ..facts import Facts
from ..rules import Duty, Period, PeriodKind, Rule, duty

REGIME = "contract"
PREFIX = f"{REGIME}."
AWARENESS = "aware_at"
KINDS = {
    Unit.HOURS: PeriodKind.HOURS,
    Unit.CALENDAR_DAYS: PeriodKind.WALL_DAYS,
    Unit.BUSINESS_DAYS: PeriodKind.WORKING_DAYS,
    Unit.BUSINESS_HOURS: PeriodKind.WORKING_HOURS,
    Unit.WITHOUT_UNDUE_DELAY: PeriodKind.NO_FIXED_DEADLINE,
}


def obligation_id(clause: Clause) -> str:
    """Return the obligation id of a clause: "contract.<clause id>"."""
    return f"{PREFIX}{clause.id}"


def applies(clause: Clause, facts: Facts) -> bool:
    """Tell whether a clause owes a notice: outbound, and in scope for this incident."""
    in_scope = clause.applies_to is Scope.SECURITY_INCIDENT or facts.personal_data_breach
    return clause.direction is Direction.OUTBOUND and in_scope


def anchor_fact(trigger: Trigger, facts: Facts) -> str:
    """Name the fact that starts a clause's clock, taking the earlier reading where unsure.

    Confirmation: the breach determination, or awareness while it is not recorded. Suspicion: the
    earlier of discovery and awareness (a breach is suspected no later than it is known). With
    nothing recorded, awareness: recording it starts every clause.
    """
    if trigger is Trigger.SUSPICION:
        recorded = [name for name in ("discovered_at", AWARENESS) if getattr(facts, name)]
        return min(recorded, key=lambda name: getattr(facts, name), default=AWARENESS)
    if trigger is Trigger.CONFIRMATION and facts.breach_determined_at is not None:
        return "breach_determined_at"
    return AWARENESS


def period(clause_period: ClausePeriod, governing_law: str) -> Period:
    """Translate a clause's period into the engine's, counted on the governing law's calendar."""
    return Period(KINDS[clause_period.kind], clause_period.amount or 0, governing_law)


def rule(contract: Contract, clause: Clause, anchor: str) -> Rule:
    """Declare the rule of one outbound clause, cited by contract and clause."""
    return Rule(
        id=obligation_id(clause),
        regime=REGIME,
        title=f"Contractual notice to {contract.party}",
        recipient=contract.recipient(clause).replace("{", "{{").replace("}", "}}"),
        anchor=anchor,
        period=period(clause.period, contract.governing_law),
        citation=contract.citation(clause),
        in_force_from=date.min,
    )


def duties(facts: Facts) -> Iterator[Duty]:
    """Yield a notice for every outbound clause that applies to this incident."""
    for contract in facts.contracts:
        for clause in contract.clauses:
            if applies(clause, facts):
                notice = rule(contract, clause, anchor_fact(clause.trigger, facts))
                yield duty(
                    notice, facts, contract.governing_law, recipient=contract.recipient(clause)
                )
