"""State breach laws: resident and attorney-general notices, thresholds, anchors, versions."""

from zoneinfo import ZoneInfo

import pytest

from incident_tracker.core.engine import compute

NEW_YORK = ZoneInfo("America/New_York")
US_ORG = {"country": "US", "timezone": "America/New_York"}
DISCOVERED = "2026-03-27T09:00:00-04:00"  # Friday; day 30 = 26 April, day 60 = 26 May
DETERMINED = "2026-04-02T15:00:00-04:00"  # Thursday; day 30 = 2 May (a Saturday), day 60 = 1 June
BREACH = {"personal_data_breach": True, "discovered_at": DISCOVERED}
DISCOVERY_30 = "2026-04-26T23:59:59-04:00"
DETERMINATION_30 = "2026-05-02T23:59:59-04:00"  # a Saturday: no roll-forward
DETERMINATION_60 = "2026-06-01T23:59:59-04:00"


def local(obligation):
    return obligation.due_at.astimezone(NEW_YORK).isoformat() if obligation.due_at else None


def state_duties(found):
    return {key: local(item) for key, item in found.items() if key.startswith("us-")}


@pytest.mark.parametrize(
    ("state", "count", "expected"),
    [
        ("CA", 500, {"us-ca.individual_notice:US-CA": DISCOVERY_30}),
        (
            "CA",
            501,
            {"us-ca.individual_notice:US-CA": DISCOVERY_30, "us-ca.attorney_general:US-CA": None},
        ),
        (
            "NY",
            1,
            {"us-ny.individual_notice:US-NY": DISCOVERY_30, "us-ny.attorney_general:US-NY": None},
        ),
        ("TX", 249, {"us-tx.individual_notice:US-TX": DETERMINATION_60}),
        (
            "TX",
            250,
            {
                "us-tx.individual_notice:US-TX": DETERMINATION_60,
                "us-tx.attorney_general:US-TX": DETERMINATION_30,
            },
        ),
        ("FL", 499, {"us-fl.individual_notice:US-FL": DETERMINATION_30}),
        (
            "FL",
            500,
            {
                "us-fl.individual_notice:US-FL": DETERMINATION_30,
                "us-fl.attorney_general:US-FL": DETERMINATION_30,
            },
        ),
        ("CO", 499, {"us-co.individual_notice:US-CO": DETERMINATION_30}),
        (
            "CO",
            500,
            {
                "us-co.individual_notice:US-CO": DETERMINATION_30,
                "us-co.attorney_general:US-CO": DETERMINATION_30,
            },
        ),
        ("WA", 500, {"us-wa.individual_notice:US-WA": DISCOVERY_30}),
        (
            "WA",
            501,
            {
                "us-wa.individual_notice:US-WA": DISCOVERY_30,
                "us-wa.attorney_general:US-WA": DISCOVERY_30,
            },
        ),
        ("CA", 0, {}),
        ("NJ", 5000, {}),  # not in the catalogue
    ],
)
def test_each_state_notice_its_threshold_and_its_clock(owed, state, count, expected):
    found = owed(US_ORG, **BREACH, breach_determined_at=DETERMINED, affected={f"US-{state}": count})
    assert state_duties(found) == expected


@pytest.mark.parametrize(
    ("key", "status", "anchor"),
    [
        ("us-ca.individual_notice:US-CA", "open", "discovered_at"),
        ("us-ca.attorney_general:US-CA", "awaiting_anchor", "us-ca.individual_notice"),
        ("us-ny.attorney_general:US-NY", "no_fixed_deadline", "discovered_at"),
        ("us-tx.individual_notice:US-TX", "open", "breach_determined_at"),
        ("us-wa.attorney_general:US-WA", "open", "discovered_at"),
    ],
)
def test_statuses_and_anchors_name_what_starts_each_clock(owed, key, status, anchor):
    affected = {"US-CA": 600, "US-NY": 3, "US-TX": 300, "US-WA": 700}
    found = owed(US_ORG, **BREACH, breach_determined_at=DETERMINED, affected=affected)
    assert (found[key].status, found[key].anchor) == (status, anchor)


def test_the_california_attorney_general_is_due_15_days_after_the_consumer_notice(owed):
    subs = {"us-ca.individual_notice": "2026-04-10T12:00:00-04:00"}
    found = owed(US_ORG, **BREACH, affected={"US-CA": 501}, submissions=subs)
    general = found["us-ca.attorney_general:US-CA"]
    # day 0 = 10 April; day 15 = 25 April
    assert (local(general), general.status) == ("2026-04-25T23:59:59-04:00", "open")


def test_a_determination_falls_back_to_the_discovery_and_says_so(owed):
    found = owed(US_ORG, **BREACH, affected={"US-TX": 300})
    notice, general = found["us-tx.individual_notice:US-TX"], found["us-tx.attorney_general:US-TX"]
    assert (local(notice), notice.anchor) == ("2026-05-26T23:59:59-04:00", "discovered_at")
    assert (local(general), general.anchor) == (DISCOVERY_30, "discovered_at")


def test_a_phi_breach_alone_starts_the_state_clocks(owed):
    found = owed(US_ORG, phi_breach=True, discovered_at=DISCOVERED, affected={"US-WA": 1})
    assert state_duties(found) == {"us-wa.individual_notice:US-WA": DISCOVERY_30}


def test_no_state_duty_without_a_breach_of_personal_data_or_phi(owed):
    assert state_duties(owed(US_ORG, discovered_at=DISCOVERED, affected={"US-CA": 900})) == {}


@pytest.mark.parametrize(
    ("org", "discovered", "period", "basis"),
    [
        # before SB 446 (1 January 2026): no fixed number of days
        (US_ORG, "2025-12-15T09:00:00-05:00", None, "Cal. Civ. Code 1798.82(a)"),
        (
            US_ORG,
            "2026-01-01T09:00:00-05:00",
            "2026-01-31T23:59:59-05:00",
            "Cal. Civ. Code 1798.82(a) as amended by SB 446",
        ),
        # 04:30Z on 1 January is 2026 in Berlin but still 2025 in New York: the local date decides
        (
            {"country": "DE", "timezone": "Europe/Berlin"},
            "2026-01-01T04:30:00Z",
            "2026-01-31T23:59:59+01:00",
            "Cal. Civ. Code 1798.82(a) as amended by SB 446",
        ),
        (
            {"country": "US", "timezone": "America/New_York"},
            "2026-01-01T04:30:00Z",
            None,
            "Cal. Civ. Code 1798.82(a)",
        ),
    ],
)
def test_the_california_version_in_force_on_the_local_discovery_date_applies(
    owed, org, discovered, period, basis
):
    found = owed(org, personal_data_breach=True, discovered_at=discovered, affected={"US-CA": 9})
    notice = found["us-ca.individual_notice:US-CA"]
    zone = ZoneInfo(org["timezone"])
    assert (notice.due_at.astimezone(zone).isoformat() if notice.due_at else None) == period
    assert notice.basis == basis
    assert notice.status == ("open" if period else "no_fixed_deadline")


@pytest.mark.parametrize(
    ("discovered", "status"),
    [("2024-12-20T12:00:00-05:00", "no_fixed_deadline"), ("2024-12-21T12:00:00-05:00", "open")],
)
def test_new_york_has_30_days_from_21_december_2024(owed, discovered, status):
    found = owed(US_ORG, personal_data_breach=True, discovered_at=discovered, affected={"US-NY": 1})
    assert found["us-ny.individual_notice:US-NY"].status == status


def test_state_deadlines_keep_calendar_days_across_us_fall_back(owed):
    found = owed(
        US_ORG,
        personal_data_breach=True,
        discovered_at="2026-10-15T12:00:00-04:00",
        affected={"US-WA": 1},
    )
    assert local(found["us-wa.individual_notice:US-WA"]) == "2026-11-14T23:59:59-05:00"


def test_a_missing_discovery_is_reported_for_every_state_notice(make_facts):
    result = compute(make_facts(US_ORG, personal_data_breach=True, affected={"US-TX": 300}))
    assert [(m.field, m.obligation_id) for m in result.missing] == [
        ("discovered_at", "us-tx.attorney_general"),
        ("discovered_at", "us-tx.individual_notice"),
    ]
    assert {o.starts_when for o in result.obligations} == {
        "starts when the discovery time is recorded"
    }
