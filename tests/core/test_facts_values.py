"""The engine's input values: plain constructors that refuse what would make a deadline wrong."""

from datetime import datetime

import pytest

from incident_tracker.core.facts import (
    EEA,
    DoraEntity,
    Facts,
    GdprRisk,
    GdprRole,
    HipaaRole,
    Nis2Status,
    Organization,
)

at = datetime.fromisoformat
BERLIN = Organization("DE", "Europe/Berlin")


def test_the_eea_is_the_27_eu_states_plus_iceland_liechtenstein_and_norway():
    assert len(EEA) == 30
    assert {"IS", "LI", "NO", "GR", "DE"} <= EEA
    assert not {"GB", "CH", "EL", "UK", "EU"} & EEA


def test_enumeration_strings_become_enumerations():
    org = Organization(
        "DE",
        "Europe/Berlin",
        gdpr_role="joint_controller",
        nis2="important",
        dora="trading_venue",
        hipaa="business_associate",
    )
    assert org.gdpr_role is GdprRole.JOINT_CONTROLLER
    assert org.nis2 is Nis2Status.IMPORTANT
    assert org.dora is DoraEntity.TRADING_VENUE
    assert org.hipaa is HipaaRole.BUSINESS_ASSOCIATE
    assert Facts(org, gdpr_risk="high").gdpr_risk is GdprRisk.HIGH


@pytest.mark.parametrize(
    "bad",
    [
        {"gdpr_role": "owner"},
        {"nis2": "yes"},
        {"dora": "bank"},
        {"hipaa": "provider"},
        {"timezone": "Europe/Berln"},
        {"timezone": "localtime"},
        {"timezone": ""},
        {"eu_main_establishment": "GB"},
        {"eu_main_establishment": "CH"},
        {"country": "de"},
        {"country": "DEU"},
    ],
)
def test_an_organization_refuses_unknown_values(bad):
    with pytest.raises(ValueError):
        Organization(**{"country": "DE", "timezone": "Europe/Berlin", **bad})


def test_a_flag_may_be_none_for_false_but_not_a_string():
    assert Organization("DE", "UTC", sec_registrant=None).sec_registrant is False
    with pytest.raises(TypeError):
        Organization("DE", "UTC", sec_registrant="yes")


@pytest.mark.parametrize(
    "field", ["aware_at", "dora_classified_major_at", "discovered_at", "breach_determined_at"]
)
def test_facts_refuse_a_naive_instant(field):
    with pytest.raises(ValueError, match="naive"):
        Facts(BERLIN, **{field: datetime(2026, 3, 27, 17, 30)})


def test_facts_refuse_a_naive_submission():
    with pytest.raises(ValueError, match="naive"):
        Facts(BERLIN, submissions={"gdpr.sa_notification": [datetime(2026, 3, 29, 11)]})


def test_facts_refuse_a_place_that_is_not_iso_3166_shaped():
    with pytest.raises(ValueError, match="ISO 3166"):
        Facts(BERLIN, affected={"us-ca": 3})


def test_none_for_affected_or_submissions_means_none():
    facts = Facts(BERLIN, affected=None, submissions=None)  # type: ignore[arg-type]
    assert (dict(facts.affected), dict(facts.submissions)) == ({}, {})


@pytest.mark.parametrize("count", [-1, 1.5, "3", True, None])
def test_facts_refuse_a_count_that_is_not_a_whole_number_of_people(count):
    with pytest.raises(ValueError):
        Facts(BERLIN, affected={"DE": count})


def test_facts_are_frozen_hashable_and_equal_by_value():
    one = Facts(BERLIN, affected={"FR": 2, "DE": 1})
    two = Facts(BERLIN, affected={"DE": 1, "FR": 2})
    assert one == two and hash(one) == hash(two)
    with pytest.raises(TypeError):
        one.affected["DE"] = 5  # type: ignore[index]
    with pytest.raises(AttributeError):
        one.aware_at = at("2026-03-27T17:30:00+01:00")  # type: ignore[misc]


def test_counts_answer_per_place_and_for_the_whole_united_states():
    facts = Facts(BERLIN, affected={"DE": 3, "US": 7, "US-CA": 10, "US-NY": 0, "UA": 1})
    assert facts.affected_in("DE") == 3 and facts.affected_in("FR") == 0
    assert facts.affected_where(["FR", "DE", "US-NY"]) == ("DE",)
    assert facts.us_total() == 17


SUBMISSIONS = {
    "gdpr.sa_notification": at("2026-03-29T11:00:00+02:00"),
    "gdpr.sa_notification:FR": [],
    "dora.intermediate_report": [at("2026-04-02T09:00:00Z"), at("2026-04-05T09:00:00Z")],
}


@pytest.mark.parametrize(
    ("obligation_id", "jurisdiction", "expected"),
    [
        ("gdpr.sa_notification", "DE", "2026-03-29T11:00:00+02:00"),  # the plain key
        ("gdpr.sa_notification", "FR", None),  # the specific key wins, and it is empty
        ("dora.intermediate_report", "DE", "2026-04-05T09:00:00+00:00"),  # the latest counts
        ("nis2.incident_notification", "DE", None),
    ],
)
def test_the_latest_submission_is_found_specific_key_first(obligation_id, jurisdiction, expected):
    facts = Facts(BERLIN, submissions=SUBMISSIONS)
    found = facts.submitted_at(obligation_id, jurisdiction)
    assert found == (at(expected) if expected else None)


def test_a_single_submitted_instant_is_kept_as_a_one_item_tuple():
    facts = Facts(BERLIN, submissions=SUBMISSIONS)
    assert facts.submissions["gdpr.sa_notification"] == (at("2026-03-29T11:00:00+02:00"),)
