"""Facts in, obligations out: every regime's duties, with submissions applied, soonest first."""

from dataclasses import dataclass
from datetime import datetime

from .clock import to_utc
from .facts import Facts
from .regimes import DUTY_SOURCES, TITLES
from .rules import FACT_LABELS, UNDATED, Duty, Status

# Statuses read once: on Python 3.11 every Status.X goes through EnumType.__getattr__ (slow).
OPEN, AWAITING_ANCHOR = Status.OPEN, Status.AWAITING_ANCHOR
NO_DEADLINE, SUBMITTED = Status.NO_FIXED_DEADLINE, Status.SUBMITTED
DECISION_HINTS = {
    "organization.gdpr_role": "set controller, joint_controller or processor",
    "gdpr_risk": "assess the risk as unlikely, risk or high",
}


@dataclass(frozen=True)
class Obligation:
    """One notification owed: to whom, by when, on what legal basis, from which anchor."""

    id: str
    jurisdiction: str
    recipient: str
    title: str
    regime: str
    due_at: datetime | None
    status: Status
    basis: str
    anchor: str
    anchor_at: datetime | None
    starts_when: str | None
    submitted_at: datetime | None
    relief: str | None


@dataclass(frozen=True)
class MissingFact:
    """A fact that an applicable rule needs but the facts do not give."""

    field: str
    obligation_id: str
    message: str


@dataclass(frozen=True)
class Result:
    """What the engine found: the obligations, soonest first, and the facts still missing."""

    obligations: tuple[Obligation, ...]
    missing: tuple[MissingFact, ...]


def compute(facts: Facts) -> Result:
    """Return every obligation these facts start, soonest first, and the facts still missing."""
    duties = [duty for source in DUTY_SOURCES for duty in source.duties(facts)]
    obligations = sorted([obligation(duty, facts) for duty in duties], key=soonest_first)
    return Result(tuple(obligations), missing_facts(duties))


def missing_facts(duties: list[Duty]) -> tuple[MissingFact, ...]:
    """List each missing fact once per obligation that needs it, by field and then obligation."""
    found = {(name, duty.rule.id) for duty in duties for name in duty.missing}
    return tuple(MissingFact(name, id, hint(name, id)) for name, id in sorted(found))


def soonest_first(item: Obligation) -> tuple[bool, datetime | str, str, str]:
    """Sort key: due_at ascending with undated last, then id, then jurisdiction."""
    return (item.due_at is None, item.due_at or "", item.id, item.jurisdiction)


def obligation(duty: Duty, facts: Facts) -> Obligation:
    """Turn a duty into an obligation: a submission marks it submitted and keeps its due_at."""
    rule = duty.rule
    submitted_at = facts.submitted_at(rule.id, duty.jurisdiction)
    status = SUBMITTED if submitted_at else unsubmitted_status(duty)
    return Obligation(  # in field order: keywords would cost a fifth of this, run per obligation
        rule.id,
        duty.jurisdiction,
        duty.recipient,
        rule.title,
        rule.regime,
        duty.due_at,
        status,
        duty.basis,
        duty.anchor,
        to_utc(duty.anchor_at) if duty.anchor_at else None,
        starts_when(duty) if status is AWAITING_ANCHOR else None,
        to_utc(submitted_at) if submitted_at else None,
        duty.relief,
    )


def unsubmitted_status(duty: Duty) -> Status:
    """Return the status of a duty not yet submitted."""
    if duty.rule.period.kind is UNDATED:
        return NO_DEADLINE
    return OPEN if duty.due_at else AWAITING_ANCHOR


def starts_when(duty: Duty) -> str:
    """Say what will start an obligation's clock: a fact to record or a filing to submit."""
    waiting_for = next((name for name in duty.missing if name in FACT_LABELS), duty.anchor)
    if waiting_for in FACT_LABELS:
        return f"starts when the {FACT_LABELS[waiting_for]} is recorded"
    return f"starts when the {TITLES.get(waiting_for, waiting_for)} is submitted"


def hint(name: str, obligation_id: str) -> str:
    """Explain a missing fact in one line."""
    if name in DECISION_HINTS:
        return f"needed by {obligation_id}: {DECISION_HINTS[name]}"
    return f"needed by {obligation_id}: record the {FACT_LABELS.get(name, name)}"
