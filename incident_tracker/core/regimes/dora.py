"""DORA (Regulation (EU) 2022/2554) Art. 19(4), RTS 2025/301 Art. 5: major ICT incident reports."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

from .. import clock
from ..facts import DoraEntity, Facts, Organization
from ..rules import Duty, Rule, duty, hours, months

DORA = "Regulation (EU) 2022/2554"
RTS = "Commission Delegated Regulation (EU) 2025/301"
APPLIES_FROM = date(2025, 1, 17)
AUTHORITY = "Financial competent authority ({jurisdiction})"
LATE_CLASSIFICATION = timedelta(hours=24)
RELIEF = "Art. 5(4)"  # appended to a basis that already names the RTS
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

INITIAL_NOTIFICATION = Rule(
    id="dora.initial_notification",
    regime="dora",
    title="DORA initial notification",
    recipient=AUTHORITY,
    anchor="dora_classified_major_at",
    period=hours(4),
    citation=f"{DORA} Art. 19(4)(a); {RTS} Art. 5(1)(a)",
    in_force_from=APPLIES_FROM,
)
INITIAL_BY_AWARENESS = replace(INITIAL_NOTIFICATION, anchor="aware_at", period=hours(24))
INITIAL_AFTER_LATE_CLASSIFICATION = replace(
    INITIAL_NOTIFICATION, citation=f"{DORA} Art. 19(4)(a); {RTS} Art. 5(2)"
)
INTERMEDIATE_REPORT = Rule(
    id="dora.intermediate_report",
    regime="dora",
    title="DORA intermediate report",
    recipient=AUTHORITY,
    anchor=INITIAL_NOTIFICATION.id,
    period=hours(72),
    citation=f"{DORA} Art. 19(4)(b); {RTS} Art. 5(1)(b)",
    in_force_from=APPLIES_FROM,
)
FINAL_REPORT = Rule(
    id="dora.final_report",
    regime="dora",
    title="DORA final report",
    recipient=AUTHORITY,
    anchor=INTERMEDIATE_REPORT.id,
    period=months(1),
    citation=f"{DORA} Art. 19(4)(c); {RTS} Art. 5(1)(c)",
    in_force_from=APPLIES_FROM,
)
RULES = (
    INITIAL_NOTIFICATION,
    INITIAL_BY_AWARENESS,
    INITIAL_AFTER_LATE_CLASSIFICATION,
    INTERMEDIATE_REPORT,
    FINAL_REPORT,
)
NO_RELIEF_BEFORE_FINAL = frozenset(
    {DoraEntity.CREDIT_INSTITUTION, DoraEntity.CENTRAL_COUNTERPARTY, DoraEntity.TRADING_VENUE}
)


def applies(facts: Facts) -> bool:
    """Tell whether a financial entity has classified an incident as major."""
    return facts.organization.dora is not None and facts.dora_classified_major_at is not None


def duties(facts: Facts) -> Iterator[Duty]:
    """Yield the three DORA reports, each moved by the weekend relief where it applies."""
    if not applies(facts):
        return
    country = facts.organization.country
    reports = (
        initial_notification(facts),
        duty(INTERMEDIATE_REPORT, facts, country),
        duty(FINAL_REPORT, facts, country),
    )
    for report in reports:
        yield with_relief(report, facts.organization)


def initial_notification(facts: Facts) -> Duty:
    """Return the initial notification: the earlier of classification + 4 h and awareness + 24 h.

    When classification came more than 24 h after awareness, classification + 4 h (Art. 5(2)).
    The anchor names whichever fact gave the due time (classification on a tie).
    """
    country = facts.organization.country
    classified, aware = facts.dora_classified_major_at, facts.aware_at
    by_awareness = duty(INITIAL_BY_AWARENESS, facts, country)
    if classified is None or aware is None:
        return by_awareness
    if classified > aware + LATE_CLASSIFICATION:
        return duty(INITIAL_AFTER_LATE_CLASSIFICATION, facts, country)
    by_classification = duty(INITIAL_NOTIFICATION, facts, country)
    if by_awareness.due_at < by_classification.due_at:  # type: ignore[operator]
        return by_awareness
    return by_classification


def relief_allowed(rule: Rule, org: Organization) -> bool:
    """Tell whether Art. 5(4) relief applies to a report of this organization (Art. 5(5), 5(6))."""
    if org.dora_relief_withdrawn:
        return False
    if rule.id == FINAL_REPORT.id:
        return True
    return org.dora not in NO_RELIEF_BEFORE_FINAL and org.nis2 is None


def with_relief(report: Duty, org: Organization) -> Duty:
    """Move a deadline on a weekend or national holiday to 12:00 local on the next working day."""
    if report.due_at is None or not relief_allowed(report.rule, org):
        return report
    moved = clock.noon_next_working_day(report.due_at, org.zone, org.country)
    if moved is None:
        return report
    local = report.due_at.astimezone(org.zone)
    note = (
        f"{WEEKDAYS[local.weekday()]} {local:%Y-%m-%d %H:%M} is a weekend day or public holiday "
        f"in {org.country}; moved to 12:00 on the next working day"
    )
    return report._replace(due_at=moved, basis=f"{report.basis}, {RELIEF}", relief=note)
