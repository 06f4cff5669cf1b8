"""The counting conventions of DESIGN section 5, each checked against hand-computed instants."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from incident_tracker.core import clock

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
PRAGUE = ZoneInfo("Europe/Prague")
DUBLIN = ZoneInfo("Europe/Dublin")
BRUSSELS = ZoneInfo("Europe/Brussels")
at = datetime.fromisoformat


@pytest.mark.parametrize(
    ("anchor", "hours", "expected"),
    [
        # EU spring forward on 29 March: the instant is +72 h, the wall clock shows 18:30 CEST
        ("2026-03-27T17:30:00+01:00", 72, "2026-03-30T16:30:00+00:00"),
        # EU fall back on 25 October: 10:00 CEST + 72 h = 09:00 CET
        ("2026-10-23T10:00:00+02:00", 72, "2026-10-26T08:00:00+00:00"),
        # US spring forward on 8 March (EU still on winter time): 12:00 EST + 72 h = 13:00 EDT
        ("2026-03-06T12:00:00-05:00", 72, "2026-03-09T17:00:00+00:00"),
        # a Friday + 24 h lands on Saturday: no weekend extension for hours
        ("2026-05-01T16:00:00+02:00", 24, "2026-05-02T14:00:00+00:00"),
    ],
)
def test_hours_are_elapsed_time_whatever_the_wall_clock_does(anchor, hours, expected):
    assert clock.add_hours(at(anchor), hours) == at(expected)


@pytest.mark.parametrize(
    ("anchor", "zone", "expected_local"),
    [
        # 31 January + 1 month clamps to 28 February (2026 is not a leap year) ...
        ("2026-01-31T10:00:00+01:00", BERLIN, "2026-02-28T10:00:00+01:00"),
        # ... and to 29 February in a leap year
        ("2028-01-31T10:00:00+01:00", BERLIN, "2028-02-29T10:00:00+01:00"),
        ("2026-03-31T10:00:00+02:00", BERLIN, "2026-04-30T10:00:00+02:00"),
        # across EU spring forward the wall time is kept (09:00 CET -> 09:00 CEST)
        ("2026-03-10T09:00:00+01:00", BERLIN, "2026-04-10T09:00:00+02:00"),
        # across EU fall back the wall time is kept (09:00 CEST -> 09:00 CET)
        ("2026-10-10T09:00:00+02:00", BERLIN, "2026-11-10T09:00:00+01:00"),
        # 28 March 2027 02:30 does not exist in Berlin: it moves later by the gap to 03:30 CEST
        ("2027-02-28T02:30:00+01:00", BERLIN, "2027-03-28T03:30:00+02:00"),
        # 8 March 2026 02:30 does not exist in New York: 03:30 EDT
        ("2026-02-08T02:30:00-05:00", NEW_YORK, "2026-03-08T03:30:00-04:00"),
        # 25 October 2026 02:30 happens twice in Berlin: the first (CEST) occurrence
        ("2026-09-25T02:30:00+02:00", BERLIN, "2026-10-25T02:30:00+02:00"),
        # 1 November 2026 01:30 happens twice in New York: the first (EDT) occurrence
        ("2026-10-01T01:30:00-04:00", NEW_YORK, "2026-11-01T01:30:00-04:00"),
        # an anchor given in UTC is read in the organization's zone first (08:00Z = 10:00 CEST)
        ("2026-03-29T08:00:00+00:00", BERLIN, "2026-04-29T10:00:00+02:00"),
        # Irish time has negative DST in tzdata; 28 March 2027 01:30 is in the gap -> 02:30 IST
        ("2027-02-28T01:30:00+00:00", DUBLIN, "2027-03-28T02:30:00+01:00"),
    ],
)
def test_a_month_keeps_the_local_wall_time_clamps_month_ends_and_resolves_gaps(
    anchor, zone, expected_local
):
    due = clock.add_months(at(anchor), 1, zone)
    assert due == at(expected_local)
    assert due.astimezone(zone).isoformat() == expected_local


def test_a_wall_time_in_a_gap_moves_later_by_the_gap_and_a_repeated_one_takes_the_first():
    assert clock.at_wall_time(datetime(2026, 3, 29, 2, 30), BERLIN) == at("2026-03-29T01:30Z")
    assert clock.at_wall_time(datetime(2026, 10, 25, 2, 30), BERLIN) == at("2026-10-25T00:30Z")
    assert clock.at_wall_time(datetime(2026, 3, 29, 1, 30), DUBLIN) == at("2026-03-29T01:30Z")


def test_thirty_wall_days_keep_the_clock_time_across_a_dst_change():
    # 10 March 10:00 CET + 30 days = 9 April 10:00 CEST (one hour less than 30 x 24 h)
    due = clock.add_wall_days(at("2026-03-10T10:00:00+01:00"), 30, PRAGUE)
    assert due == at("2026-04-09T10:00:00+02:00")


@pytest.mark.parametrize(
    ("anchor", "days", "zone", "expected_local"),
    [
        # day 0 is 27 March; day 30 is 26 April (after EU spring forward), at 23:59:59 CEST
        ("2026-03-27T09:00:00+01:00", 30, BERLIN, "2026-04-26T23:59:59+02:00"),
        # 27 March + 60 days = 26 May
        ("2026-03-27T09:00:00+01:00", 60, BERLIN, "2026-05-26T23:59:59+02:00"),
        # 23:30Z on 27 March is already 28 March in Berlin: day 0 is the local date
        ("2026-03-27T23:30:00+00:00", 30, BERLIN, "2026-04-27T23:59:59+02:00"),
        # ... but still 27 March in New York
        ("2026-03-27T23:30:00+00:00", 30, NEW_YORK, "2026-04-26T23:59:59-04:00"),
        # across US fall back: 15 October + 30 = 14 November, 23:59:59 EST
        ("2026-10-15T12:00:00-04:00", 30, NEW_YORK, "2026-11-14T23:59:59-05:00"),
        # a Saturday due date stays a Saturday (no roll-forward)
        ("2026-04-02T10:00:00-04:00", 30, NEW_YORK, "2026-05-02T23:59:59-04:00"),
    ],
)
def test_calendar_days_count_from_the_local_date_and_end_at_23_59_59_local(
    anchor, days, zone, expected_local
):
    due = clock.add_calendar_days(at(anchor), days, zone)
    assert due.astimezone(zone).isoformat() == expected_local


@pytest.mark.parametrize(
    ("anchor", "zone", "expected_local"),
    [
        # 31 December 2026 + 60 days = 1 March 2027
        ("2026-06-01T12:00:00+02:00", BERLIN, "2027-03-01T23:59:59+01:00"),
        # 31 December 2027 + 60 days = 29 February 2028 (leap year)
        ("2027-06-01T12:00:00+02:00", BERLIN, "2028-02-29T23:59:59+01:00"),
        # 31 December 23:30 in New York is 2026 locally ...
        ("2026-12-31T23:30:00-05:00", NEW_YORK, "2027-03-01T23:59:59-05:00"),
        # ... and the same instant is 1 January 2027 in Berlin
        ("2026-12-31T23:30:00-05:00", BERLIN, "2028-02-29T23:59:59+01:00"),
    ],
)
def test_days_after_year_end_count_from_31_december_of_the_local_year(anchor, zone, expected_local):
    due = clock.add_days_after_year_end(at(anchor), 60, zone)
    assert due.astimezone(zone).isoformat() == expected_local


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        # Monday -> day 1 Tuesday ... day 4 Friday, 17:30 EDT (US DST began 8 March)
        ("2026-03-09T10:00:00-04:00", "2026-03-13T17:30:00-04:00"),
        # after the 17:30 cutoff the date still counts as day 0
        ("2026-03-09T18:00:00-04:00", "2026-03-13T17:30:00-04:00"),
        # Friday -> day 1 Monday 9 March ... day 4 Thursday 12 March
        ("2026-03-06T10:00:00-05:00", "2026-03-12T17:30:00-04:00"),
        # Saturday and Sunday -> day 1 is the first business day after, Monday 9 March
        ("2026-03-07T10:00:00-05:00", "2026-03-12T17:30:00-04:00"),
        ("2026-03-08T10:00:00-04:00", "2026-03-12T17:30:00-04:00"),
        # 02:00 Tuesday in Berlin is still Monday 21:00 in New York: New York dates count
        ("2026-03-10T02:00:00+01:00", "2026-03-13T17:30:00-04:00"),
        # Wednesday 1 July: Thu 2 (1), Fri 3 observed Independence Day, Mon 6 (2), Tue 7 (3), Wed 8
        ("2026-07-01T10:00:00-04:00", "2026-07-08T17:30:00-04:00"),
        # on the observed holiday itself: day 1 is Monday 6 July, day 4 Thursday 9 July
        ("2026-07-03T10:00:00-04:00", "2026-07-09T17:30:00-04:00"),
        # Monday 23 November: Tue 24, Wed 25, Thanksgiving 26, Fri 27, Mon 30 (EST)
        ("2026-11-23T10:00:00-05:00", "2026-11-30T17:30:00-05:00"),
        # Tuesday 22 December: Wed 23, Thu 24, Christmas Fri 25, Mon 28, Tue 29
        ("2026-12-22T10:00:00-05:00", "2026-12-29T17:30:00-05:00"),
        # New Year 2028 is a Saturday, observed Friday 31 December 2027: Thu 30, Mon 3, Tue 4, Wed 5
        ("2027-12-29T10:00:00-05:00", "2028-01-05T17:30:00-05:00"),
        # across US fall back: Thu 29 October -> Fri 30, Mon 2, Tue 3, Wed 4 November (EST)
        ("2026-10-29T10:00:00-04:00", "2026-11-04T17:30:00-05:00"),
    ],
)
def test_four_business_days_count_new_york_dates_and_end_at_17_30(anchor, expected):
    due = clock.add_business_days(at(anchor), 4)
    assert due.astimezone(NEW_YORK).isoformat() == expected


@pytest.mark.parametrize(
    ("due", "zone", "country", "expected_local"),
    [
        # Friday 1 May is Labour Day in Germany: 12:00 on Monday 4 May
        ("2026-05-01T10:00:00+02:00", BERLIN, "DE", "2026-05-04T12:00:00+02:00"),
        # Thursday 14 May is Ascension Day: 12:00 on Friday 15 May
        ("2026-05-14T15:00:00+02:00", BERLIN, "DE", "2026-05-15T12:00:00+02:00"),
        # Good Friday 3 April, the weekend and Easter Monday 6 April: Tuesday 7 April
        ("2026-04-03T09:00:00+02:00", BERLIN, "DE", "2026-04-07T12:00:00+02:00"),
        # Christmas Friday 25 and Second Day of Christmas Saturday 26 December: Monday 28
        ("2026-12-25T09:00:00+01:00", BERLIN, "DE", "2026-12-28T12:00:00+01:00"),
        # Belgian National Day, Tuesday 21 July: Wednesday 22 July
        ("2026-07-21T13:00:00+02:00", BRUSSELS, "BE", "2026-07-22T12:00:00+02:00"),
        # a Saturday: Monday
        ("2026-06-06T16:00:00+02:00", BERLIN, "DE", "2026-06-08T12:00:00+02:00"),
        # 22:30Z on Friday is 00:30 on Saturday in Berlin: local time decides
        ("2026-06-05T22:30:00+00:00", BERLIN, "DE", "2026-06-08T12:00:00+02:00"),
        # a country the holidays package does not know has weekends only
        ("2026-06-06T16:00:00+02:00", BERLIN, "ZZ", "2026-06-08T12:00:00+02:00"),
    ],
)
def test_a_non_working_day_moves_to_noon_on_the_next_working_day(
    due, zone, country, expected_local
):
    moved = clock.noon_next_working_day(at(due), zone, country)
    assert moved.astimezone(zone).isoformat() == expected_local


@pytest.mark.parametrize(
    ("due", "zone", "country"),
    [
        ("2026-07-21T13:00:00+02:00", BERLIN, "DE"),  # 21 July is a working day in Germany
        ("2026-06-05T16:00:00+02:00", BERLIN, "DE"),  # an ordinary Friday
        ("2026-12-24T16:00:00+01:00", BERLIN, "DE"),  # Christmas Eve is not a national holiday
        ("2026-05-01T10:00:00+02:00", BERLIN, "ZZ"),  # unknown country: no holidays
    ],
)
def test_a_working_day_is_not_moved(due, zone, country):
    assert clock.noon_next_working_day(at(due), zone, country) is None


def test_public_holidays_are_national_only_and_cached_as_frozen_sets():
    german = clock.public_holidays("DE", 2026)
    assert date(2026, 5, 1) in german and date(2026, 5, 14) in german
    assert date(2026, 1, 6) not in german  # Epiphany is regional (BW, BY, ST)
    assert clock.public_holidays("DE", 2026) is german
    assert clock.public_holidays("ZZ", 2026) == frozenset()


def test_a_calendar_outside_its_known_years_is_used_without_a_warning():
    assert date(2000, 1, 26) in clock.public_holidays("IN", 2000)  # Republic Day


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        clock.add_hours(datetime(2026, 3, 27, 17, 30), 72)
