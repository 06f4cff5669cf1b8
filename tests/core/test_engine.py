"""The engine as a whole: the DESIGN example, ordering, submissions, and invariants on any facts."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from incident_tracker.core.engine import Obligation, Result, compute
from incident_tracker.core.facts import Facts, Organization

at = datetime.fromisoformat
DESIGN_ORG = {
    "gdpr_role": "controller",
    "eu_main_establishment": "DE",
    "nis2": "essential",
}
DESIGN_FACTS = {
    "personal_data_breach": True,
    "gdpr_risk": "high",
    "nis2_significant": True,
    "aware_at": "2026-03-27T17:30:00+01:00",
    "discovered_at": "2026-03-27T09:00:00+01:00",
    "affected": {"DE": 1200, "FR": 40, "US-CA": 610},
    "submissions": {
        "nis2.incident_notification": "2026-03-29T10:00:00+02:00",
        "gdpr.sa_notification:DE": "2026-03-29T11:00:00+02:00",
        "dora.intermediate_report": ["2026-04-02T09:00:00Z"],
    },
}


def test_the_design_example_gives_seven_obligations_soonest_first(make_facts):
    result = compute(make_facts(DESIGN_ORG, **DESIGN_FACTS))
    assert result.missing == ()
    rows = [(o.id, o.jurisdiction, o.due_at, o.status, o.anchor) for o in result.obligations]
    assert rows == [
        # aware 16:30Z + 24 h (Berlin still on CET: 17:30+01:00)
        ("nis2.early_warning", "DE", at("2026-03-28T16:30Z"), "open", "aware_at"),
        # + 72 h = 16:30Z on 30 March (18:30 CEST); submitted on 29 March, keeps its due_at
        ("gdpr.sa_notification", "DE", at("2026-03-30T16:30Z"), "submitted", "aware_at"),
        ("nis2.incident_notification", "DE", at("2026-03-30T16:30Z"), "submitted", "aware_at"),
        # discovered 27 March (day 0) + 30 days = 26 April 23:59:59 CEST
        ("us-ca.individual_notice", "US-CA", at("2026-04-26T21:59:59Z"), "open", "discovered_at"),
        # notification submitted 29 March 10:00 CEST + 1 month = 29 April 10:00 CEST
        ("nis2.final_report", "DE", at("2026-04-29T08:00Z"), "open", "nis2.incident_notification"),
        ("gdpr.data_subject_notice", "EU", None, "no_fixed_deadline", "aware_at"),
        # 610 > 500 Californians: awaits the consumer notice's submission
        ("us-ca.attorney_general", "US-CA", None, "awaiting_anchor", "us-ca.individual_notice"),
    ]


def test_a_submitted_obligation_records_its_latest_submission(make_facts):
    result = compute(make_facts(DESIGN_ORG, **DESIGN_FACTS))
    by_id = {o.id: o for o in result.obligations}
    assert by_id["gdpr.sa_notification"].submitted_at == at("2026-03-29T11:00:00+02:00")
    assert by_id["nis2.final_report"].anchor_at == at("2026-03-29T10:00:00+02:00")
    assert by_id["nis2.early_warning"].submitted_at is None


def test_the_specific_key_wins_and_an_empty_list_means_not_submitted(make_facts):
    org = {"gdpr_role": "controller", "country": "US", "timezone": "America/New_York"}
    facts = make_facts(
        org,
        personal_data_breach=True,
        gdpr_risk="risk",
        aware_at="2026-03-27T17:30:00+01:00",
        affected={"FR": 1, "DE": 1, "NO": 1},
        submissions={
            "gdpr.sa_notification": "2026-03-28T10:00:00+01:00",
            "gdpr.sa_notification:FR": [],
            "gdpr.sa_notification:NO": ["2026-03-28T09:00Z", "2026-03-29T09:00Z"],
        },
    )
    rows = [(o.jurisdiction, o.status, o.submitted_at) for o in compute(facts).obligations]
    # same due time: ordered by jurisdiction
    assert rows == [
        ("DE", "submitted", at("2026-03-28T10:00:00+01:00")),
        ("FR", "open", None),
        ("NO", "submitted", at("2026-03-29T09:00Z")),
    ]


def test_a_submitted_notice_without_a_fixed_deadline_keeps_no_due_time(make_facts):
    facts = make_facts(
        {"gdpr_role": "processor"},
        personal_data_breach=True,
        submissions={"gdpr.controller_notice": "2026-03-28T09:00Z"},
    )
    (notice,) = compute(facts).obligations
    assert (notice.status, notice.due_at, notice.starts_when) == ("submitted", None, None)


def test_submissions_of_obligations_that_do_not_apply_are_ignored(make_facts):
    facts = make_facts({}, submissions={"sec.form_8k": "2026-03-28T09:00Z"})
    assert compute(facts) == Result((), ())


def test_obligations_carry_title_regime_and_recipient(make_facts):
    result = compute(make_facts(DESIGN_ORG, **DESIGN_FACTS))
    early = result.obligations[0]
    assert (early.title, early.regime, early.recipient) == (
        "NIS2 early warning",
        "nis2",
        "CSIRT or competent authority (DE)",
    )


ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "UTC"]
COUNTRIES = ["DE", "CZ", "BE", "FR", "GB", "US", "CH", "NO", "IE"]
PLACES = ["DE", "FR", "GB", "NO", "US", "US-CA", "US-NY", "US-TX", "US-FL", "US-CO", "US-WA"]
IDS = [
    "nis2.incident_notification",
    "dora.initial_notification",
    "dora.intermediate_report",
    "hipaa.individual_notice",
    "us-ca.individual_notice",
    "gdpr.sa_notification",
]
instants = st.none() | st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
organizations = st.builds(
    Organization,
    country=st.sampled_from(COUNTRIES),
    timezone=st.sampled_from(ZONES),
    gdpr_role=st.sampled_from([None, "controller", "joint_controller", "processor"]),
    eu_main_establishment=st.sampled_from([None, "DE", "IE"]),
    nis2=st.sampled_from([None, "essential", "important"]),
    trust_service_provider=st.booleans(),
    dora=st.sampled_from([None, "credit_institution", "trading_venue", "other"]),
    dora_relief_withdrawn=st.booleans(),
    sec_registrant=st.booleans(),
    hipaa=st.sampled_from([None, "covered_entity", "business_associate"]),
)
facts_values = st.builds(
    Facts,
    organization=organizations,
    personal_data_breach=st.booleans(),
    gdpr_risk=st.sampled_from([None, "unlikely", "risk", "high"]),
    nis2_significant=st.booleans(),
    phi_breach=st.booleans(),
    aware_at=instants,
    dora_classified_major_at=instants,
    sec_materiality_determined_at=instants,
    discovered_at=instants,
    breach_determined_at=instants,
    affected=st.dictionaries(st.sampled_from(PLACES), st.integers(0, 2000)),
    submissions=st.dictionaries(st.sampled_from(IDS), st.lists(instants.filter(bool), max_size=2)),
)
PROPERTY = settings(max_examples=300, deadline=None, database=None)


def consistent(item: Obligation) -> bool:
    """Tell whether an obligation's status agrees with its due time and explanation."""
    if item.status == "open":
        return item.due_at is not None and item.starts_when is None
    if item.status == "awaiting_anchor":
        return item.due_at is None and item.starts_when.startswith("starts when the ")
    if item.status == "no_fixed_deadline":
        return item.due_at is None
    return item.submitted_at is not None


@PROPERTY
@given(facts=facts_values)
def test_any_facts_give_sorted_consistent_obligations_never_due_before_their_anchor(facts):
    result = compute(facts)
    dues = [o.due_at for o in result.obligations if o.due_at]
    assert dues == sorted(dues)
    assert all(o.due_at is None for o in result.obligations[len(dues) :])
    for item in result.obligations:
        assert consistent(item), item
        if item.due_at and item.anchor_at:
            assert item.due_at >= item.anchor_at, item
    assert len({(o.id, o.jurisdiction) for o in result.obligations}) == len(result.obligations)


@PROPERTY
@given(
    aware=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1)),
    zone=st.sampled_from(ZONES),
)
def test_an_hour_deadline_is_the_same_instant_whatever_the_organization_timezone(aware, zone):
    aware = aware.replace(tzinfo=UTC)

    def early_warning(timezone):
        org = Organization("DE", timezone, nis2="essential")
        facts = Facts(org, nis2_significant=True, aware_at=aware)
        return compute(facts).obligations[0].due_at

    assert early_warning(zone) == early_warning("UTC") == aware + timedelta(hours=24)
