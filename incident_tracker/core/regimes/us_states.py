"""US state breach laws with fixed deadlines: resident notices and attorney-general notices.

Deadlines count calendar days in the organization's timezone and are not rolled forward over
weekends or holidays (whether state time-computation statutes apply is unsettled; no roll-forward
is the earlier reading). A rule's version is the one in force on the local date of its clock fact.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from ..facts import Facts
from ..rules import NO_FIXED_DEADLINE, Duty, Period, Rule, calendar_days, duty, in_force

DISCOVERY = "discovered_at"
DETERMINATION = "breach_determined_at"


@dataclass(frozen=True)
class StateLaw:
    """One state's resident notice and regulator notice (each a tuple of dated versions)."""

    code: str
    notice: tuple[Rule, ...]
    regulator: tuple[Rule, ...]
    regulator_minimum: int

    @cached_property
    def jurisdiction(self) -> str:
        """Return the state's jurisdiction code, e.g. "US-CA" (worked out once per law)."""
        return f"US-{self.code}"


def resident_notice(
    state: str, name: str, anchor: str, period: Period, citation: str, since: date
) -> Rule:
    """Declare one version of a state's notice to its affected residents."""
    return Rule(
        id=f"us-{state.lower()}.individual_notice",
        regime="us_state",
        title=f"{name} resident notice",
        recipient=f"Affected {name} residents",
        anchor=anchor,
        period=period,
        citation=citation,
        in_force_from=since,
    )


def regulator_notice(
    state: str, recipient: str, anchor: str, period: Period, citation: str, since: date
) -> Rule:
    """Declare one version of a state's attorney-general (or regulator) notice."""
    return Rule(
        id=f"us-{state.lower()}.attorney_general",
        regime="us_state",
        title=f"{recipient} notice",
        recipient=recipient,
        anchor=anchor,
        period=period,
        citation=citation,
        in_force_from=since,
    )


def more_than(count: int) -> int:
    """Return the smallest count that is more than ``count``."""
    return count + 1


def at_least(count: int) -> int:
    """Return the smallest count that is at least ``count``."""
    return count


CA_NOTICE = "us-ca.individual_notice"
SB_446 = date(2026, 1, 1)
NY_2024 = date(2024, 12, 21)
NY_REGULATORS = "New York Attorney General, Department of State and Division of State Police"

LAWS = (
    StateLaw(
        "CA",
        notice=(
            resident_notice(
                "CA",
                "California",
                DISCOVERY,
                NO_FIXED_DEADLINE,
                "Cal. Civ. Code 1798.82(a)",
                since=date(2003, 7, 1),
            ),
            resident_notice(
                "CA",
                "California",
                DISCOVERY,
                calendar_days(30),
                "Cal. Civ. Code 1798.82(a) as amended by SB 446",
                since=SB_446,
            ),
        ),
        regulator=(
            regulator_notice(
                "CA",
                "California Attorney General",
                CA_NOTICE,
                NO_FIXED_DEADLINE,
                "Cal. Civ. Code 1798.82(f)",
                since=date(2012, 1, 1),
            ),
            regulator_notice(
                "CA",
                "California Attorney General",
                CA_NOTICE,
                calendar_days(15),
                "Cal. Civ. Code 1798.82(f) as amended by SB 446",
                since=SB_446,
            ),
        ),
        regulator_minimum=more_than(500),
    ),
    StateLaw(
        "NY",
        notice=(
            resident_notice(
                "NY",
                "New York",
                DISCOVERY,
                NO_FIXED_DEADLINE,
                "N.Y. Gen. Bus. Law 899-aa(2)",
                since=date(2005, 12, 7),
            ),
            resident_notice(
                "NY",
                "New York",
                DISCOVERY,
                calendar_days(30),
                "N.Y. Gen. Bus. Law 899-aa(2) as amended in 2024",
                since=NY_2024,
            ),
        ),
        regulator=(
            regulator_notice(
                "NY",
                NY_REGULATORS,
                DISCOVERY,
                NO_FIXED_DEADLINE,
                "N.Y. Gen. Bus. Law 899-aa(8)(a)",
                since=date(2005, 12, 7),
            ),
        ),
        regulator_minimum=at_least(1),
    ),
    StateLaw(
        "TX",
        notice=(
            resident_notice(
                "TX",
                "Texas",
                DETERMINATION,
                calendar_days(60),
                "Tex. Bus. & Com. Code 521.053(b)",
                since=date(2020, 1, 1),
            ),
        ),
        regulator=(
            regulator_notice(
                "TX",
                "Texas Attorney General",
                DETERMINATION,
                calendar_days(30),
                "Tex. Bus. & Com. Code 521.053(i)",
                since=date(2023, 9, 1),
            ),
        ),
        regulator_minimum=at_least(250),
    ),
    StateLaw(
        "FL",
        notice=(
            resident_notice(
                "FL",
                "Florida",
                DETERMINATION,
                calendar_days(30),
                "Fla. Stat. 501.171(4)(a)",
                since=date(2014, 7, 1),
            ),
        ),
        regulator=(
            regulator_notice(
                "FL",
                "Florida Department of Legal Affairs",
                DETERMINATION,
                calendar_days(30),
                "Fla. Stat. 501.171(3)(a)",
                since=date(2014, 7, 1),
            ),
        ),
        regulator_minimum=at_least(500),
    ),
    StateLaw(
        "CO",
        notice=(
            resident_notice(
                "CO",
                "Colorado",
                DETERMINATION,
                calendar_days(30),
                "Colo. Rev. Stat. 6-1-716(2)",
                since=date(2018, 9, 1),
            ),
        ),
        regulator=(
            regulator_notice(
                "CO",
                "Colorado Attorney General",
                DETERMINATION,
                calendar_days(30),
                "Colo. Rev. Stat. 6-1-716(2)(f)",
                since=date(2018, 9, 1),
            ),
        ),
        regulator_minimum=at_least(500),
    ),
    StateLaw(
        "WA",
        notice=(
            resident_notice(
                "WA",
                "Washington",
                DISCOVERY,
                calendar_days(30),
                "Rev. Code Wash. 19.255.010",
                since=date(2020, 3, 1),
            ),
        ),
        regulator=(
            regulator_notice(
                "WA",
                "Washington Attorney General",
                DISCOVERY,
                calendar_days(30),
                "Rev. Code Wash. 19.255.010",
                since=date(2020, 3, 1),
            ),
        ),
        regulator_minimum=more_than(500),
    ),
)
RULES = tuple(rule for law in LAWS for rule in law.notice + law.regulator)
STATES = tuple(law.code for law in LAWS)


def clock_fact(facts: Facts, anchor: str) -> str:
    """Return the fact that starts a state clock: a determination falls back to the discovery."""
    if anchor == DETERMINATION and facts.breach_determined_at is None:
        return DISCOVERY
    return anchor


def duties(facts: Facts) -> Iterator[Duty]:
    """Yield each catalogued state's notices for its affected residents."""
    if not (facts.personal_data_breach or facts.phi_breach):
        return
    for law in LAWS:
        count = facts.affected_in(law.jurisdiction)
        if count > 0:
            yield from _state_duties(facts, law, count)


def _state_duties(facts: Facts, law: StateLaw, count: int) -> Iterator[Duty]:
    notice_fact = clock_fact(facts, law.notice[-1].anchor)
    on = getattr(facts, notice_fact)
    zone = facts.organization.zone
    notice = in_force(law.notice, on, zone)
    yield duty(notice, facts, law.jurisdiction, anchor=notice_fact)
    if count >= law.regulator_minimum:
        regulator = in_force(law.regulator, on, zone)
        yield duty(regulator, facts, law.jurisdiction, anchor=clock_fact(facts, regulator.anchor))
