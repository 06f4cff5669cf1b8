"""HIPAA: individuals in 60 days, media per state over 500, HHS now (500+) or after year end."""

from zoneinfo import ZoneInfo

import pytest

from incident_tracker.core.engine import compute

NEW_YORK = ZoneInfo("America/New_York")
COVERED = {"country": "US", "timezone": "America/New_York", "hipaa": "covered_entity"}
PHI = {"phi_breach": True, "discovered_at": "2026-03-27T09:00:00-04:00"}
# day 0 = 27 March; day 60 = 26 May, 23:59:59 EDT
SIXTY_DAYS = "2026-05-26T23:59:59-04:00"


def hipaa(found):
    return {key: item for key, item in found.items() if key.startswith("hipaa.")}


def local(obligation):
    return obligation.due_at.astimezone(NEW_YORK).isoformat() if obligation.due_at else None


@pytest.mark.parametrize(
    ("affected", "media"),
    [
        ({"US-CA": 500}, set()),  # "more than 500 residents of a State"
        ({"US-CA": 501}, {"hipaa.media_notice:US-CA"}),
        (
            {"US-CA": 501, "US-NY": 600, "US-TX": 12},
            {"hipaa.media_notice:US-CA", "hipaa.media_notice:US-NY"},
        ),
        ({"US-PR": 501, "US-DC": 900}, {"hipaa.media_notice:US-PR", "hipaa.media_notice:US-DC"}),
        ({"US": 5000}, set()),  # people with no known state give no media market
    ],
)
def test_media_notice_per_state_with_more_than_500_residents(owed, affected, media):
    found = hipaa(owed(COVERED, **PHI, affected=affected))
    assert {key for key in found if key.startswith("hipaa.media_notice")} == media
    for key in media:
        assert local(found[key]) == SIXTY_DAYS
        assert found[key].basis == "45 CFR 164.406"


def test_the_individual_notice_is_60_calendar_days_from_discovery(owed):
    individual = owed(COVERED, **PHI)["hipaa.individual_notice:US"]
    assert (local(individual), individual.anchor) == (SIXTY_DAYS, "discovered_at")
    assert individual.basis == "45 CFR 164.404(b)"


@pytest.mark.parametrize(
    ("affected", "expected_local", "anchor", "basis"),
    [
        # 499 in total: the annual log, 60 days after 31 December 2026 = 1 March 2027
        ({"US-CA": 499}, "2027-03-01T23:59:59-05:00", "discovered_at", "45 CFR 164.408(c)"),
        # 500 in total (over two states, none over 500): with the individual notice
        ({"US-CA": 300, "US-NY": 200}, SIXTY_DAYS, "hipaa.individual_notice", "45 CFR 164.408(b)"),
        ({"US": 500}, SIXTY_DAYS, "hipaa.individual_notice", "45 CFR 164.408(b)"),
        (
            {"US-CA": 499, "DE": 1000},
            "2027-03-01T23:59:59-05:00",
            "discovered_at",
            "45 CFR 164.408(c)",
        ),
    ],
)
def test_hhs_is_notified_with_the_individuals_from_500_otherwise_after_the_year(
    owed, affected, expected_local, anchor, basis
):
    hhs = owed(COVERED, **PHI, affected=affected)["hipaa.hhs_notice:US"]
    assert (local(hhs), hhs.anchor, hhs.basis, hhs.status) == (
        expected_local,
        anchor,
        basis,
        "open",
    )


@pytest.mark.parametrize(
    ("discovered", "expected_local"),
    [
        # 31 December 2027 + 60 days = 29 February 2028 (leap year)
        ("2027-06-01T09:00:00-04:00", "2028-02-29T23:59:59-05:00"),
        # late on 31 December in New York is still the old year
        ("2026-12-31T22:00:00-05:00", "2027-03-01T23:59:59-05:00"),
    ],
)
def test_the_annual_hhs_notice_uses_the_local_year_of_discovery(owed, discovered, expected_local):
    found = owed(COVERED, phi_breach=True, discovered_at=discovered, affected={"US-CA": 10})
    assert local(found["hipaa.hhs_notice:US"]) == expected_local


@pytest.mark.parametrize(
    ("submitted", "expected_local"),
    [
        # the individual notice went out early: HHS is due with it
        ("2026-04-10T12:00:00-04:00", "2026-04-10T12:00:00-04:00"),
        # it went out late: HHS was still due by day 60
        ("2026-06-10T12:00:00-04:00", SIXTY_DAYS),
    ],
)
def test_hhs_for_500_or_more_is_due_at_the_earlier_of_the_notice_due_and_its_submission(
    owed, submitted, expected_local
):
    subs = {"hipaa.individual_notice": submitted}
    found = owed(COVERED, **PHI, affected={"US-CA": 800}, submissions=subs)
    assert local(found["hipaa.hhs_notice:US"]) == expected_local
    individual = found["hipaa.individual_notice:US"]
    assert (individual.status, local(individual)) == ("submitted", SIXTY_DAYS)


def test_a_business_associate_owes_only_the_covered_entity_notice(owed):
    found = hipaa(owed({**COVERED, "hipaa": "business_associate"}, **PHI, affected={"US-CA": 900}))
    assert list(found) == ["hipaa.covered_entity_notice:US"]
    notice = found["hipaa.covered_entity_notice:US"]
    assert (local(notice), notice.basis) == (SIXTY_DAYS, "45 CFR 164.410(b)")


@pytest.mark.parametrize(("org", "phi"), [(COVERED, False), ({**COVERED, "hipaa": None}, True)])
def test_hipaa_needs_a_regulated_role_and_a_phi_breach(owed, org, phi):
    found = owed(org, phi_breach=phi, discovered_at=PHI["discovered_at"], affected={"US-CA": 900})
    assert hipaa(found) == {}


@pytest.mark.parametrize("affected", [{"US-CA": 800}, {"US-CA": 10}])
def test_a_missing_discovery_leaves_every_hipaa_notice_awaiting_it(make_facts, affected):
    result = compute(make_facts(COVERED, phi_breach=True, affected=affected))
    notices = [o for o in result.obligations if o.regime == "hipaa"]
    assert {o.status for o in notices} == {"awaiting_anchor"}
    assert {o.starts_when for o in notices} == {"starts when the discovery time is recorded"}
    assert {
        ("discovered_at", "hipaa.hhs_notice"),
        ("discovered_at", "hipaa.individual_notice"),
    } <= {(m.field, m.obligation_id) for m in result.missing}
