"""SEC Form 8-K Item 1.05: a material cybersecurity incident, 4 business days from determination."""

from collections.abc import Iterator
from datetime import date

from ..facts import Facts
from ..rules import Duty, Period, PeriodKind, Rule, duty

FORM_8K = Rule(
    id="sec.form_8k",
    regime="sec",
    title="SEC Form 8-K Item 1.05",
    recipient="U.S. Securities and Exchange Commission (EDGAR)",
    anchor="sec_materiality_determined_at",
    period=Period(PeriodKind.BUSINESS_DAYS, 4),
    citation="SEC Form 8-K Item 1.05; General Instruction B.1",
    in_force_from=date(2023, 12, 18),
)
RULES = (FORM_8K,)


def applies(facts: Facts) -> bool:
    """Tell whether a registrant has determined that an incident is material."""
    return facts.organization.sec_registrant and facts.sec_materiality_determined_at is not None


def duties(facts: Facts) -> Iterator[Duty]:
    """Yield the Form 8-K filing when it is owed."""
    if applies(facts):
        yield duty(FORM_8K, facts, "US")
