"""NIS2 (Directive (EU) 2022/2555) Art. 23(4): early warning, notification, final report."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from ..facts import Facts
from ..rules import Duty, Period, PeriodKind, Rule, duty, hours, months

NIS2 = "Directive (EU) 2022/2555"
APPLIES_FROM = date(2024, 10, 18)
AUTHORITY = "CSIRT or competent authority ({jurisdiction})"

EARLY_WARNING = Rule(
    id="nis2.early_warning",
    regime="nis2",
    title="NIS2 early warning",
    recipient=AUTHORITY,
    anchor="aware_at",
    period=hours(24),
    citation=f"{NIS2} Art. 23(4)(a)",
    in_force_from=APPLIES_FROM,
)
INCIDENT_NOTIFICATION = Rule(
    id="nis2.incident_notification",
    regime="nis2",
    title="NIS2 incident notification",
    recipient=AUTHORITY,
    anchor="aware_at",
    period=hours(72),
    citation=f"{NIS2} Art. 23(4)(b)",
    in_force_from=APPLIES_FROM,
)
TRUST_SERVICE_NOTIFICATION = replace(
    INCIDENT_NOTIFICATION,
    period=hours(24),
    citation=f"{NIS2} Art. 23(4), second subparagraph (trust service providers)",
)
FINAL_REPORT = Rule(
    id="nis2.final_report",
    regime="nis2",
    title="NIS2 final report",
    recipient=AUTHORITY,
    anchor=INCIDENT_NOTIFICATION.id,
    period=months(1),
    citation=f"{NIS2} Art. 23(4)(d)",
    in_force_from=APPLIES_FROM,
)
NATIONAL_FINAL_REPORTS = {
    "CZ": replace(
        FINAL_REPORT,
        period=Period(PeriodKind.WALL_DAYS, 30),
        citation=f"{NIS2} Art. 23(4)(d) as transposed in CZ (30 days)",
    ),
}
RULES = (
    EARLY_WARNING,
    INCIDENT_NOTIFICATION,
    TRUST_SERVICE_NOTIFICATION,
    FINAL_REPORT,
    *NATIONAL_FINAL_REPORTS.values(),
)


def applies(facts: Facts) -> bool:
    """Tell whether an essential or important entity has a significant incident outside DORA."""
    org = facts.organization
    return org.nis2 is not None and facts.nis2_significant and org.dora is None


def duties(facts: Facts) -> Iterator[Duty]:
    """Yield the NIS2 reports owed to the organization's own country."""
    if not applies(facts):
        return
    country = facts.organization.country
    tsp = facts.organization.trust_service_provider
    yield duty(EARLY_WARNING, facts, country)
    yield duty(TRUST_SERVICE_NOTIFICATION if tsp else INCIDENT_NOTIFICATION, facts, country)
    yield duty(NATIONAL_FINAL_REPORTS.get(country, FINAL_REPORT), facts, country)
