"""The rule vocabulary: periods, statuses, the Rule record and a Duty (a rule owed in one place)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from . import clock
from .facts import INSTANTS, Facts


class PeriodKind(StrEnum):
    """How a period is counted; each kind is one convention in clock.py."""

    HOURS = "hours"
    MONTHS = "months"
    WALL_DAYS = "wall_days"
    CALENDAR_DAYS = "calendar_days"
    DAYS_AFTER_YEAR_END = "days_after_year_end"
    BUSINESS_DAYS = "business_days"
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    WITH_ANCHOR = "with_anchor"
    NO_FIXED_DEADLINE = "no_fixed_deadline"


class Status(StrEnum):
    """Where an obligation stands."""

    OPEN = "open"
    AWAITING_ANCHOR = "awaiting_anchor"
    NO_FIXED_DEADLINE = "no_fixed_deadline"
    SUBMITTED = "submitted"


@dataclass(frozen=True)
class Period:
    """A counting convention and how many of its units.

    ``calendar`` is the holiday calendar ("IE", "US-CA") of working days and working hours.
    """

    kind: PeriodKind
    amount: int = 0
    calendar: str = ""


_ARITHMETIC: dict[PeriodKind, Callable[[datetime, int, ZoneInfo], datetime]] = {
    PeriodKind.HOURS: lambda anchor, n, _zone: clock.add_hours(anchor, n),
    PeriodKind.MONTHS: clock.add_months,
    PeriodKind.WALL_DAYS: clock.add_wall_days,
    PeriodKind.CALENDAR_DAYS: clock.add_calendar_days,
    PeriodKind.DAYS_AFTER_YEAR_END: clock.add_days_after_year_end,
    PeriodKind.BUSINESS_DAYS: lambda anchor, n, _zone: clock.add_business_days(anchor, n),
    PeriodKind.WITH_ANCHOR: lambda anchor, _n, _zone: clock.to_utc(anchor),
}
_ON_A_CALENDAR: dict[PeriodKind, Callable[[datetime, int, ZoneInfo, str], datetime]] = {
    PeriodKind.WORKING_DAYS: clock.add_working_days,
    PeriodKind.WORKING_HOURS: clock.add_working_hours,
}


def hours(n: int) -> Period:
    """Declare a period of n elapsed hours."""
    return Period(PeriodKind.HOURS, n)


def months(n: int) -> Period:
    """Declare a period of n calendar months at the same local wall time."""
    return Period(PeriodKind.MONTHS, n)


def calendar_days(n: int) -> Period:
    """Declare a period ending at 23:59:59 local on day n."""
    return Period(PeriodKind.CALENDAR_DAYS, n)


def working_days(n: int, calendar: str) -> Period:
    """Declare n working days of a holiday calendar, ending at the anchor's local clock time."""
    return Period(PeriodKind.WORKING_DAYS, n, calendar)


def working_hours(n: int, calendar: str) -> Period:
    """Declare n hours counted only on the working days of a holiday calendar."""
    return Period(PeriodKind.WORKING_HOURS, n, calendar)


NO_FIXED_DEADLINE = Period(PeriodKind.NO_FIXED_DEADLINE)
WITH_ANCHOR = Period(PeriodKind.WITH_ANCHOR)
# The kind the hot paths test for, read once: on Python 3.11 every PeriodKind.X is looked up
# through EnumType.__getattr__, several times slower than a module global.
UNDATED = PeriodKind.NO_FIXED_DEADLINE


def due_after(period: Period, anchor_at: datetime | None, zone: ZoneInfo) -> datetime | None:
    """Return when a period that starts at ``anchor_at`` ends, or None without a fixed end."""
    if anchor_at is None or period.kind is UNDATED:
        return None
    if period.kind in _ON_A_CALENDAR:
        return _ON_A_CALENDAR[period.kind](anchor_at, period.amount, zone, period.calendar)
    return _ARITHMETIC[period.kind](anchor_at, period.amount, zone)


@dataclass(frozen=True)
class Rule:
    """One notification duty as data.

    ``anchor`` is the fact that starts the clock (a Facts field such as "aware_at") or the id of
    the obligation whose submission starts it. ``recipient`` may contain "{jurisdiction}".
    """

    id: str
    regime: str
    title: str
    recipient: str
    anchor: str
    period: Period
    citation: str
    in_force_from: date


def in_force(versions: Sequence[Rule], on: datetime | None, zone: ZoneInfo) -> Rule:
    """Pick the version in force on the local date of ``on`` (the newest when ``on`` is unknown).

    Before the oldest version took effect the oldest one is used: the earlier, safer reading.
    ``versions`` are declared oldest first (a test checks every declaration).
    """
    ordered = versions
    if on is None or len(ordered) == 1:  # a single version is in force whatever the date
        return ordered[-1]
    day = clock.local_date(on, zone)
    current = [rule for rule in ordered if rule.in_force_from <= day]
    return current[-1] if current else ordered[0]


FACT_LABELS = {
    "aware_at": "awareness time",
    "dora_classified_major_at": "major-incident classification time",
    "sec_materiality_determined_at": "materiality determination time",
    "discovered_at": "discovery time",
    "breach_determined_at": "breach determination time",
}


class Duty(NamedTuple):
    """A rule owed in one jurisdiction, with its clock worked out (before submissions).

    ``missing`` names the facts the rule needs but does not have: first the clock's anchor fact,
    then any decision fact (such as gdpr_risk) for which the conservative reading was taken.

    An immutable named tuple rather than a frozen dataclass: one is built for every obligation
    the engine computes, and a tuple is built several times faster. Change it with ``_replace``.
    """

    rule: Rule
    jurisdiction: str
    recipient: str
    basis: str
    anchor: str
    anchor_at: datetime | None
    due_at: datetime | None
    missing: tuple[str, ...] = ()
    relief: str | None = None


@lru_cache(maxsize=1024)
def recipient_in(template: str, jurisdiction: str) -> str:
    """Fill a rule's recipient for a jurisdiction (cached: a few rules times a few places)."""
    return template.format(jurisdiction=jurisdiction)


def anchor_instant(facts: Facts, anchor: str, jurisdiction: str) -> datetime | None:
    """Return the instant of an anchor fact, or the latest submission of an anchor filing."""
    if anchor in INSTANTS:
        return getattr(facts, anchor)
    return facts.submitted_at(anchor, jurisdiction)


def duty(
    rule: Rule,
    facts: Facts,
    jurisdiction: str,
    *,
    anchor: str | None = None,
    recipient: str | None = None,
    basis: str | None = None,
    needing: tuple[str, ...] = (),
) -> Duty:
    """Work out a rule's clock from its anchor (the rule's own unless another is given).

    A missing anchor fact is reported in ``missing`` unless the rule has no fixed deadline anyway;
    ``needing`` adds decision facts after it.
    """
    anchor = anchor or rule.anchor
    anchor_at = anchor_instant(facts, anchor, jurisdiction)
    fixed = rule.period.kind is not UNDATED
    unanchored = (anchor,) if fixed and anchor_at is None and anchor in INSTANTS else ()
    return Duty(  # in field order: keywords would cost a fifth of this, run per obligation
        rule,
        jurisdiction,
        recipient or recipient_in(rule.recipient, jurisdiction),
        basis or rule.citation,
        anchor,
        anchor_at,
        due_after(rule.period, anchor_at, facts.organization.zone),
        unanchored + needing,
    )
