"""Properties of the counting conventions, over many zones, dates and DST transitions."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from incident_tracker.core import clock

ZONES = [
    ZoneInfo(name)
    for name in (
        "UTC",
        "Europe/Berlin",
        "Europe/Dublin",
        "Europe/London",
        "America/New_York",
        "America/St_Johns",
        "Australia/Lord_Howe",
        "Pacific/Chatham",
        "Asia/Kolkata",
        "America/Santiago",
    )
]
zones = st.sampled_from(ZONES)
anchors = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2040, 12, 31),
    timezones=zones,
    allow_imaginary=False,
)
PROPERTY = settings(max_examples=300, deadline=None, database=None)
NEW_YORK = ZoneInfo("America/New_York")


def local(instant: datetime, zone: ZoneInfo) -> datetime:
    """Return the naive wall time of an instant in a zone."""
    return instant.astimezone(UTC).astimezone(zone).replace(tzinfo=None)


def exists(wall: datetime, zone: ZoneInfo) -> bool:
    """Tell whether a naive wall time occurs in a zone (it is not in a spring-forward gap)."""
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    return instant.astimezone(zone).replace(tzinfo=None) == wall


@PROPERTY
@given(anchor=anchors, zone=zones, n=st.integers(0, 400))
def test_no_deadline_precedes_its_anchor(anchor, zone, n):
    assert clock.add_hours(anchor, n) >= anchor
    # a period of zero months or wall days could land on the first of two repeated hours
    assert clock.add_months(anchor, n % 12 + 1, zone) >= anchor
    assert clock.add_wall_days(anchor, n + 1, zone) >= anchor
    assert clock.add_calendar_days(anchor, n, zone) >= anchor
    assert clock.add_days_after_year_end(anchor, 60, zone) >= anchor
    assert clock.add_business_days(anchor, n % 10 + 1) > anchor


@PROPERTY
@given(anchor=anchors, zone=zones, n=st.integers(1, 24 * 60))
def test_an_hour_deadline_is_the_same_instant_in_every_zone(anchor, zone, n):
    in_zone = clock.add_hours(anchor.astimezone(zone), n)
    assert in_zone == clock.add_hours(anchor.astimezone(UTC), n)
    assert in_zone - anchor == timedelta(hours=n)


@PROPERTY
@given(anchor=anchors, n=st.integers(1, 10))
def test_a_business_day_deadline_is_a_us_business_day_at_17_30_new_york(anchor, n):
    due = clock.add_business_days(anchor, n).astimezone(NEW_YORK)
    assert due.time() == time(17, 30)
    assert due.weekday() < 5
    assert due.date() not in clock.public_holidays("US", due.date().year)
    start = local(anchor, NEW_YORK).date()
    days = [start + timedelta(days=i) for i in range(1, (due.date() - start).days + 1)]
    assert sum(clock.is_working_day(day, "US") for day in days) == n


@PROPERTY
@given(anchor=anchors, zone=zones, n=st.integers(0, 120))
def test_a_calendar_day_deadline_is_23_59_59_local_on_day_n(anchor, zone, n):
    due = clock.add_calendar_days(anchor, n, zone).astimezone(zone)
    if due == anchor:  # day 0, anchored within the day's last second: due at once
        assert n == 0 and local(anchor, zone).time() > time(23, 59, 59)
        return
    assert due.time() == time(23, 59, 59)
    assert due.date() == local(anchor, zone).date() + timedelta(days=n)


@PROPERTY
@given(anchor=anchors, zone=zones, n=st.integers(1, 24))
def test_a_month_deadline_keeps_the_wall_time_except_in_a_gap(anchor, zone, n):
    wall = local(anchor, zone) + relativedelta(months=n)
    due = clock.add_months(anchor, n, zone).astimezone(zone)
    if exists(wall, zone):
        assert due.replace(tzinfo=None) == wall
        assert due.fold == 0  # the first occurrence when the wall time happens twice
    else:
        gap = wall.replace(tzinfo=zone, fold=1).utcoffset() - wall.replace(tzinfo=zone).utcoffset()
        assert due.replace(tzinfo=None) - wall == gap
        assert gap > timedelta(0)


@PROPERTY
@given(anchor=anchors, zone=zones, n=st.integers(1, 24))
def test_an_ambiguous_month_deadline_takes_the_first_occurrence(anchor, zone, n):
    wall = local(anchor, zone) + relativedelta(months=n)
    due = clock.add_months(anchor, n, zone)
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    assert due == min(first, second) or not exists(wall, zone)
