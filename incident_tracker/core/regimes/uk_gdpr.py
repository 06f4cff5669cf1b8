"""UK GDPR Arts. 33-34: the ICO, data-subject and controller notices (shaped like the EU's)."""

from collections.abc import Iterator
from datetime import date

from ..facts import Facts
from ..rules import NO_FIXED_DEADLINE, Duty, Rule, hours
from .gdpr import Authority, Notices, breach_duties

UK_GDPR = "UK GDPR"
APPLIES_FROM = date(2021, 1, 1)
UK = "GB"

ICO_NOTIFICATION = Rule(
    id="uk_gdpr.ico_notification",
    regime="uk_gdpr",
    title="UK GDPR ICO notification",
    recipient="Information Commissioner's Office (ICO)",
    anchor="aware_at",
    period=hours(72),
    citation=f"{UK_GDPR} Art. 33(1)",
    in_force_from=APPLIES_FROM,
)
DATA_SUBJECT_NOTICE = Rule(
    id="uk_gdpr.data_subject_notice",
    regime="uk_gdpr",
    title="UK GDPR communication to data subjects",
    recipient="Affected data subjects",
    anchor="aware_at",
    period=NO_FIXED_DEADLINE,
    citation=f"{UK_GDPR} Art. 34(1)",
    in_force_from=APPLIES_FROM,
)
CONTROLLER_NOTICE = Rule(
    id="uk_gdpr.controller_notice",
    regime="uk_gdpr",
    title="UK GDPR processor notice to the controller",
    recipient="Controller",
    anchor="aware_at",
    period=NO_FIXED_DEADLINE,
    citation=f"{UK_GDPR} Art. 33(2)",
    in_force_from=APPLIES_FROM,
)
RULES = (ICO_NOTIFICATION, DATA_SUBJECT_NOTICE, CONTROLLER_NOTICE)
NOTICES = Notices(ICO_NOTIFICATION, DATA_SUBJECT_NOTICE, CONTROLLER_NOTICE, UK)


def applies(facts: Facts) -> bool:
    """Tell whether a personal data breach touches the UK (establishment or people affected)."""
    touches = facts.organization.country == UK or facts.affected_in(UK) > 0
    return facts.personal_data_breach and touches


def duties(facts: Facts) -> Iterator[Duty]:
    """Yield the UK GDPR notices owed for these facts."""
    if applies(facts):
        yield from breach_duties(facts, NOTICES, (Authority(UK),))
