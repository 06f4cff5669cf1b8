"""Counting conventions (DESIGN section 5): pure functions from an anchor instant to a due instant.

Every function takes and returns aware datetimes; results are in UTC. Local arithmetic happens in
the zone passed in (the organization's), except SEC business days, which are always counted in
New York (the SEC's calendar). Working days and working hours (contract clauses) are counted on the
organization's local dates with the holiday calendar of a country ("IE") or US state ("US-CA").
"""

import calendar
import warnings
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

END_OF_DAY = time(23, 59, 59)
NOON = time(12, 0)
EDGAR_ZONE = ZoneInfo("America/New_York")
EDGAR_CUTOFF = time(17, 30)
SEC_HOLIDAY_COUNTRY = "US"
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
CACHED_DAYS = 4096  # (date, zone or calendar) pairs kept: a few years of deadlines in many zones


def to_utc(instant: datetime) -> datetime:
    """Return the same instant in UTC, refusing a naive datetime."""
    if instant.tzinfo is UTC:  # the common case: facts and results are kept in UTC
        return instant
    if instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant.isoformat()}: attach a timezone first")
    return instant.astimezone(UTC)


def at_wall_time(wall: datetime, zone: ZoneInfo) -> datetime:
    """Return the UTC instant of a local wall time; a gap moves it later, a repeat takes the first.

    With fold=0 zoneinfo reads a wall time with the offset in force before the transition: a time
    inside a spring-forward gap then lands later by the gap, and an ambiguous time takes its first
    occurrence (PEP 495).
    """
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def local_wall(instant: datetime, zone: ZoneInfo) -> datetime:
    """Return the naive local wall time of an instant in a zone."""
    return to_utc(instant).astimezone(zone).replace(tzinfo=None)


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    """Return the local date of an instant in a zone (local_wall's date, without the time)."""
    return _utc_local_date(to_utc(instant), zone)


@lru_cache(maxsize=CACHED_DAYS)
def _utc_local_date(instant: datetime, zone: ZoneInfo) -> date:
    """Date a UTC instant; cached as the same few instants are dated for rule after rule.

    Keyed by the UTC instant: two local times that differ only in fold compare equal in their
    own zone, but never in UTC.
    """
    return instant.astimezone(zone).date()


def add_hours(anchor: datetime, hours: int) -> datetime:
    """Add elapsed hours; weekends, holidays and DST changes do not matter."""
    return to_utc(anchor) + hours * HOUR


def add_months(anchor: datetime, months: int, zone: ZoneInfo) -> datetime:
    """Add calendar months to the local wall time, clamping to month end and keeping the time."""
    return at_wall_time(plus_months(local_wall(anchor, zone), months), zone)


def plus_months(wall: datetime, months: int) -> datetime:
    """Move a wall time by calendar months; a day the month lacks becomes its last day.

    31 January + 1 month is 28 (or 29) February, as dateutil's relativedelta counts; done by hand
    because adding a relativedelta costs more than the rest of a deadline's arithmetic.
    """
    index = wall.month - 1 + months
    year, month = wall.year + index // 12, index % 12 + 1
    day = min(wall.day, calendar.monthrange(year, month)[1])
    return wall.replace(year=year, month=month, day=day)


def add_wall_days(anchor: datetime, days: int, zone: ZoneInfo) -> datetime:
    """Add calendar days to the local wall time, keeping the clock time (the CZ NIS2 variant)."""
    return at_wall_time(local_wall(anchor, zone) + days * DAY, zone)


@lru_cache(maxsize=CACHED_DAYS)
def end_of_local_day(day: date, zone: ZoneInfo) -> datetime:
    """Return 23:59:59 local time on a date, as a UTC instant (cached: most days repeat)."""
    return at_wall_time(datetime.combine(day, END_OF_DAY), zone)


def add_calendar_days(anchor: datetime, days: int, zone: ZoneInfo) -> datetime:
    """Count days from the anchor's local date (day 0); due at 23:59:59 local on day N.

    Never before the anchor: a day-0 period started in the day's last second is due at once.
    """
    due = end_of_local_day(local_date(anchor, zone) + days * DAY, zone)
    return max(due, to_utc(anchor))


def add_days_after_year_end(anchor: datetime, days: int, zone: ZoneInfo) -> datetime:
    """Count calendar days from 31 December of the anchor's local year (HIPAA's annual log)."""
    year_end = date(local_date(anchor, zone).year, 12, 31)
    return end_of_local_day(year_end + days * DAY, zone)


@lru_cache(maxsize=1024)
def public_holidays(country: str, year: int) -> frozenset[date]:
    """Return the public holidays of a country ("DE"), or of a state with its country ("US-CA").

    A country the `holidays` package does not know has none (weekends only); a subdivision it
    does not know has the country's national holidays. Some calendars warn that a year is outside
    their range (India before 2001); the holidays they do know are still used, unwarned.
    """
    nation, _, subdivision = country.partition("-")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = holidays.country_holidays(nation, subdiv=subdivision or None, years=year)
            return frozenset(found)
    except NotImplementedError:
        return public_holidays(nation, year) if subdivision else frozenset()


def is_working_day(day: date, country: str) -> bool:
    """Tell whether a date is Monday to Friday and not a public holiday of a country (or state)."""
    return day.weekday() < 5 and day not in public_holidays(country, day.year)


def next_working_day(day: date, country: str) -> date:
    """Return the first working day strictly after a date."""
    day += DAY
    while not is_working_day(day, country):
        day += DAY
    return day


@lru_cache(maxsize=CACHED_DAYS)
def nth_working_day(day: date, days: int, country: str) -> date:
    """Return working day N after a date: day 1 is the first working day strictly after it.

    Cached: counting looks each day up in the holiday calendar, and the same few anchor dates
    come back with every recomputation of an incident.
    """
    for _ in range(days):
        day = next_working_day(day, country)
    return day


def add_business_days(anchor: datetime, days: int) -> datetime:
    """Count SEC business days in New York; due at 17:30 New York time on day N.

    Day 1 is the first business day after the anchor's New York date: the next business day when
    the anchor date is one, otherwise the first business day after it (Form 8-K General
    Instruction B.1); both readings give the same day.
    """
    day = nth_working_day(local_date(anchor, EDGAR_ZONE), days, SEC_HOLIDAY_COUNTRY)
    return at_wall_time(datetime.combine(day, EDGAR_CUTOFF), EDGAR_ZONE)


def add_working_days(anchor: datetime, days: int, zone: ZoneInfo, country: str) -> datetime:
    """Count working days of a holiday calendar from the anchor's local date, keeping its time.

    Day 1 is the first working day after the anchor's local date, as for SEC business days; the
    deadline is the anchor's local clock time on day N (earlier than the end of that day).
    """
    wall = local_wall(anchor, zone)
    day = nth_working_day(wall.date(), days, country)
    return at_wall_time(datetime.combine(day, wall.time()), zone)


def add_working_hours(anchor: datetime, hours: int, zone: ZoneInfo, country: str) -> datetime:
    """Count hours only on working days: each is 24 local wall-clock hours, other days are skipped.

    A clock that starts on a non-working day starts at 00:00 on the next working day; one that
    uses up a working day exactly ends at 00:00 after it. 48 hours from Friday 17:00 end on Tuesday
    at 17:00 (Friday 7 h, Monday 24 h, Tuesday 17 h). Wall-clock hours keep that true across a
    daylight-saving change on a working day.
    """
    wall = local_wall(anchor, zone)
    if not is_working_day(wall.date(), country):
        wall = _midnight(next_working_day(wall.date(), country))
    left = timedelta(hours=hours)
    while left > (rest := _midnight(wall.date() + timedelta(days=1)) - wall):
        left -= rest
        wall = _midnight(next_working_day(wall.date(), country))
    return at_wall_time(wall + left, zone)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def noon_next_working_day(due: datetime, zone: ZoneInfo, country: str) -> datetime | None:
    """Return 12:00 local on the next working day if a deadline falls on a non-working day."""
    day = local_date(due, zone)
    if is_working_day(day, country):
        return None
    return at_wall_time(datetime.combine(next_working_day(day, country), NOON), zone)
