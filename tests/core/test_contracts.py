"""Contract clause deadlines, hand-computed: each unit on the governing law's holiday calendar.

Every row is one outbound clause of an Irish-, German- or US-law contract; the organization's
timezone decides the local dates, the governing law decides which of them are working days.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from incident_tracker.core.contracts import Clause, ClausePeriod, Contract
from incident_tracker.core.engine import compute

BERLIN = "Europe/Berlin"
DUBLIN = "Europe/Dublin"
NEW_YORK = "America/New_York"
JERUSALEM = "Asia/Jerusalem"


def acme(period, law="IE", trigger="awareness", **details):
    """One contract with one clause, "acme-9-2", with the given period and trigger."""
    clause = Clause("acme-9-2", "Clause 9.2", trigger, ClausePeriod(*period), **details)
    return Contract("acme-msa", "Acme AI", "Master Services Agreement 2025", law, (clause,))


def only_obligation(make_facts, zone, contract, **facts):
    instants = {name: datetime.fromisoformat(value) for name, value in facts.items()}
    result = compute(make_facts({"timezone": zone}, contracts=(contract,), **instants))
    (obligation,) = result.obligations
    return obligation


DEADLINES = [
    # ---- hours: elapsed time, no weekend or holiday extension
    # 24 hours over the spring-forward night are 24 elapsed hours (the wall clock shows 11:00)
    (BERLIN, "DE", ("hours", 24), "2026-03-28T10:00+01:00", "2026-03-29T11:00+02:00"),
    # 24 hours over the fall-back night show 09:00 on the wall clock
    (BERLIN, "DE", ("hours", 24), "2026-10-24T10:00+02:00", "2026-10-25T09:00+01:00"),
    # 72 hours from a Friday end on Monday whatever the weekend
    (BERLIN, "DE", ("hours", 72), "2026-05-01T16:00+02:00", "2026-05-04T16:00+02:00"),
    # 24 hours on St Patrick's Eve end on St Patrick's Day: hours ignore holidays
    (DUBLIN, "IE", ("hours", 24), "2026-03-16T09:00+00:00", "2026-03-17T09:00+00:00"),
    # ---- calendar days: the same local clock time N days later
    # 5 calendar days keep the wall time across the spring-forward change
    (BERLIN, "DE", ("calendar_days", 5), "2026-03-27T17:30+01:00", "2026-04-01T17:30+02:00"),
    # 3 calendar days from 27 February of a leap year pass 29 February
    (BERLIN, "DE", ("calendar_days", 3), "2028-02-27T10:00+01:00", "2028-03-01T10:00+01:00"),
    # 3 calendar days from 27 February of a common year end on 2 March
    (BERLIN, "DE", ("calendar_days", 3), "2027-02-27T10:00+01:00", "2027-03-02T10:00+01:00"),
    # 5 calendar days cross the year end and ignore New Year's Day
    (BERLIN, "DE", ("calendar_days", 5), "2026-12-30T12:00+01:00", "2027-01-04T12:00+01:00"),
    # ---- business days: working days of the governing law, the anchor's clock time on day N
    # 5 Irish business days from a Friday skip the weekend and St Patrick's Day
    # Mon 16 (1), Tue 17 holiday, Wed 18 (2), Thu 19 (3), Fri 20 (4), Mon 23 (5)
    (DUBLIN, "IE", ("business_days", 5), "2026-03-13T17:00+00:00", "2026-03-23T17:00+00:00"),
    # The same clause under German law does not skip St Patrick's Day
    # Mon 16 (1), Tue 17 (2), Wed 18 (3), Thu 19 (4), Fri 20 (5)
    (DUBLIN, "DE", ("business_days", 5), "2026-03-13T17:00+00:00", "2026-03-20T17:00+00:00"),
    # 1 German business day from Maundy Thursday skips Good Friday and Easter Monday
    (BERLIN, "DE", ("business_days", 1), "2026-04-02T10:00+02:00", "2026-04-07T10:00+02:00"),
    # 2 US business days from the eve of Thanksgiving: Friday and Monday
    (NEW_YORK, "US", ("business_days", 2), "2026-11-25T09:00-05:00", "2026-11-30T09:00-05:00"),
    # Under California law the day after Thanksgiving is a holiday too
    (NEW_YORK, "US-CA", ("business_days", 2), "2026-11-25T09:00-05:00", "2026-12-01T09:00-05:00"),
    # A Saturday anchor counts Monday as day 1
    (BERLIN, "DE", ("business_days", 1), "2026-03-07T10:00+01:00", "2026-03-09T10:00+01:00"),
    # 2 business days from Friday 25 February 2028 end on the leap day
    (BERLIN, "DE", ("business_days", 2), "2028-02-25T15:00+01:00", "2028-02-29T15:00+01:00"),
    # 1 business day over the spring-forward weekend keeps 17:30 on the wall clock
    (BERLIN, "DE", ("business_days", 1), "2026-03-27T17:30+01:00", "2026-03-30T17:30+02:00"),
    # 3 business days from 29 April cross the month end and skip Labour Day
    # Thu 30 Apr (1), Fri 1 May holiday, Mon 4 May (2), Tue 5 May (3)
    (BERLIN, "DE", ("business_days", 3), "2026-04-29T08:00+02:00", "2026-05-05T08:00+02:00"),
    # ---- business hours: 24 wall-clock hours on each working day, other days skipped
    # 48 business hours from Friday 17:00 end on Tuesday 17:00
    (BERLIN, "DE", ("business_hours", 48), "2026-03-06T17:00+01:00", "2026-03-10T17:00+01:00"),
    # 48 Irish business hours from Friday 17:00 skip St Patrick's Day: Wednesday 17:00
    (DUBLIN, "IE", ("business_hours", 48), "2026-03-13T17:00+00:00", "2026-03-18T17:00+00:00"),
    # 48 business hours over the spring-forward weekend still end on Tuesday 17:00
    (BERLIN, "DE", ("business_hours", 48), "2026-03-27T17:00+01:00", "2026-03-31T17:00+02:00"),
    # 24 business hours from a Saturday run through Monday: Tuesday 00:00
    (BERLIN, "DE", ("business_hours", 24), "2026-03-07T10:00+01:00", "2026-03-10T00:00+01:00"),
    # 7 business hours from Friday 17:00 use up Friday exactly: 00:00 after it
    (BERLIN, "DE", ("business_hours", 7), "2026-03-06T17:00+01:00", "2026-03-07T00:00+01:00"),
    # 24 US business hours from Thanksgiving eve noon skip Thanksgiving: Friday noon
    (NEW_YORK, "US", ("business_hours", 24), "2026-11-25T12:00-05:00", "2026-11-27T12:00-05:00"),
    # 24 business hours over a DST change on a working day count wall-clock hours
    # Israel moves to summer time on Friday 27 March 2026, 02:00 -> 03:00: Thursday 12 h,
    # Friday 12 h on the wall clock (11 elapsed)
    (JERUSALEM, "DE", ("business_hours", 24), "2026-03-26T12:00+02:00", "2026-03-27T12:00+03:00"),
    # Business hours from New Year's Eve in Germany skip New Year's Day
    # Thu 31 Dec 12 h, Fri 1 Jan holiday, Sat, Sun, Mon 4 Jan 12 h
    (BERLIN, "DE", ("business_hours", 24), "2026-12-31T12:00+01:00", "2027-01-04T12:00+01:00"),
]


@pytest.mark.parametrize(("zone", "law", "period", "aware_at", "expected"), DEADLINES)
def test_a_clause_deadline_follows_its_unit_and_governing_law(
    make_facts, zone, law, period, aware_at, expected
):
    obligation = only_obligation(make_facts, zone, acme(period, law), aware_at=aware_at)
    local = obligation.due_at.astimezone(ZoneInfo(zone))
    assert local.isoformat() == datetime.fromisoformat(expected).isoformat()


ANCHORS = [
    pytest.param("awareness", {}, "aware_at", "2026-03-11T09:00:00+01:00", id="awareness"),
    pytest.param(
        "confirmation",
        {"breach_determined_at": "2026-03-12T15:00:00+01:00"},
        "breach_determined_at",
        "2026-03-13T15:00:00+01:00",
        id="confirmation counts from the breach determination",
    ),
    pytest.param(
        "confirmation",
        {},
        "aware_at",
        "2026-03-11T09:00:00+01:00",
        id="an unconfirmed breach counts from awareness, the earlier reading",
    ),
    pytest.param(
        "suspicion",
        {"discovered_at": "2026-03-09T20:00:00+01:00"},
        "discovered_at",
        "2026-03-10T20:00:00+01:00",
        id="suspicion counts from discovery",
    ),
    pytest.param(
        "suspicion",
        {},
        "aware_at",
        "2026-03-11T09:00:00+01:00",
        id="suspicion without a discovery time counts from awareness",
    ),
    pytest.param(
        "suspicion",
        {"discovered_at": "2026-03-10T12:00:00+01:00"},
        "aware_at",
        "2026-03-11T09:00:00+01:00",
        id="suspicion counts from awareness when that came before the recorded discovery",
    ),
]


@pytest.mark.parametrize(("trigger", "facts", "anchor", "expected"), ANCHORS)
def test_the_trigger_picks_the_anchor_fact(make_facts, trigger, facts, anchor, expected):
    contract = acme(("hours", 24), "DE", trigger)
    aware = {"aware_at": "2026-03-10T09:00:00+01:00"}
    obligation = only_obligation(make_facts, BERLIN, contract, **aware, **facts)
    assert (obligation.anchor, obligation.due_at) == (anchor, datetime.fromisoformat(expected))
