"""HIPAA Breach Notification Rule (45 CFR 164.400-414): individuals, media, HHS, covered entity."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from ..facts import Facts, HipaaRole
from ..rules import WITH_ANCHOR, Duty, Period, PeriodKind, Rule, calendar_days, duty

APPLIES_FROM = date(2009, 9, 23)
US = "US"
MEDIA_MORE_THAN = 500
HHS_AT_LEAST = 500

INDIVIDUAL_NOTICE = Rule(
    id="hipaa.individual_notice",
    regime="hipaa",
    title="HIPAA individual notice",
    recipient="Affected individuals",
    anchor="discovered_at",
    period=calendar_days(60),
    citation="45 CFR 164.404(b)",
    in_force_from=APPLIES_FROM,
)
MEDIA_NOTICE = Rule(
    id="hipaa.media_notice",
    regime="hipaa",
    title="HIPAA media notice",
    recipient="Prominent media outlets serving {jurisdiction}",
    anchor="discovered_at",
    period=calendar_days(60),
    citation="45 CFR 164.406",
    in_force_from=APPLIES_FROM,
)
HHS_WITH_INDIVIDUALS = Rule(
    id="hipaa.hhs_notice",
    regime="hipaa",
    title="HIPAA notice to HHS",
    recipient="Secretary of HHS (OCR breach portal)",
    anchor=INDIVIDUAL_NOTICE.id,
    period=WITH_ANCHOR,
    citation="45 CFR 164.408(b)",
    in_force_from=APPLIES_FROM,
)
HHS_ANNUAL = replace(
    HHS_WITH_INDIVIDUALS,
    anchor="discovered_at",
    period=Period(PeriodKind.DAYS_AFTER_YEAR_END, 60),
    citation="45 CFR 164.408(c)",
)
COVERED_ENTITY_NOTICE = Rule(
    id="hipaa.covered_entity_notice",
    regime="hipaa",
    title="HIPAA business associate notice to the covered entity",
    recipient="Covered entity",
    anchor="discovered_at",
    period=calendar_days(60),
    citation="45 CFR 164.410(b)",
    in_force_from=APPLIES_FROM,
)
RULES = (INDIVIDUAL_NOTICE, MEDIA_NOTICE, HHS_WITH_INDIVIDUALS, HHS_ANNUAL, COVERED_ENTITY_NOTICE)


def duties(facts: Facts) -> Iterator[Duty]:
    """Yield the HIPAA notices owed for a breach of unsecured PHI."""
    role = facts.organization.hipaa
    if not facts.phi_breach or role is None:
        return
    if role is HipaaRole.BUSINESS_ASSOCIATE:
        yield duty(COVERED_ENTITY_NOTICE, facts, US)
        return
    individual = duty(INDIVIDUAL_NOTICE, facts, US)
    yield individual
    for state in media_markets(facts):
        yield duty(MEDIA_NOTICE, facts, state)
    yield hhs_notice(facts, individual)


def media_markets(facts: Facts) -> tuple[str, ...]:
    """Return the states and territories with more than 500 residents affected."""
    return tuple(
        code
        for code, count in facts.affected.items()
        if code.startswith("US-") and count > MEDIA_MORE_THAN
    )


def hhs_notice(facts: Facts, individual: Duty) -> Duty:
    """Return the HHS notice: with the individual notice for 500 or more, else the annual log.

    "Contemporaneously" is read as the individual notice's due time, or its (latest) submission
    when that came first.
    """
    if facts.us_total() < HHS_AT_LEAST:
        return duty(HHS_ANNUAL, facts, US)
    with_filing = duty(HHS_WITH_INDIVIDUALS, facts, US)
    if individual.due_at is None:
        if with_filing.due_at:
            return with_filing
        return with_filing._replace(missing=with_filing.missing + individual.missing)
    if with_filing.due_at is not None and with_filing.due_at <= individual.due_at:
        return with_filing
    return with_filing._replace(anchor_at=individual.due_at, due_at=individual.due_at)
