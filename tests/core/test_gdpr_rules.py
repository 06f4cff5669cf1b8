"""GDPR and UK GDPR: who notifies which authority, by when, depending on role, risk and place."""

import pytest

from incident_tracker.core.engine import compute

AWARE = "2026-03-27T17:30:00+01:00"
SEVENTY_TWO_HOURS = "2026-03-30T16:30:00+00:00"  # 16:30Z + 72 h, across EU spring forward
BREACH = {"personal_data_breach": True, "aware_at": AWARE}
CONTROLLER = {"gdpr_role": "controller"}
PRIVACY = ("gdpr.", "uk_gdpr.")


@pytest.mark.parametrize(
    ("org", "facts", "expected"),
    [
        # established in the EEA: the authority of its own country; high risk adds data subjects
        (
            CONTROLLER,
            {"gdpr_risk": "high", "affected": {"DE": 5}},
            {"gdpr.sa_notification:DE", "gdpr.data_subject_notice:EU"},
        ),
        (CONTROLLER, {"gdpr_risk": "risk", "affected": {"DE": 5}}, {"gdpr.sa_notification:DE"}),
        (CONTROLLER, {"gdpr_risk": "unlikely", "affected": {"DE": 5}}, set()),
        ({"gdpr_role": "joint_controller"}, {"gdpr_risk": "risk"}, {"gdpr.sa_notification:DE"}),
        # a processor owes only the controller notice, whatever the risk
        ({"gdpr_role": "processor"}, {"gdpr_risk": "high"}, {"gdpr.controller_notice:EU"}),
        ({"gdpr_role": "processor"}, {"gdpr_risk": "unlikely"}, {"gdpr.controller_notice:EU"}),
        # the main establishment's authority leads, wherever the people are
        (
            {**CONTROLLER, "eu_main_establishment": "IE"},
            {"gdpr_risk": "risk", "affected": {"FR": 3}},
            {"gdpr.sa_notification:IE"},
        ),
        (
            {
                **CONTROLLER,
                "country": "US",
                "timezone": "America/New_York",
                "eu_main_establishment": "IE",
            },
            {"gdpr_risk": "risk"},
            {"gdpr.sa_notification:IE"},
        ),
        # established outside: every EEA country with people affected (EDPB 9/2022 para 73)
        (
            {**CONTROLLER, "country": "US", "timezone": "America/New_York"},
            {"gdpr_risk": "risk", "affected": {"FR": 40, "DE": 3, "NO": 2, "IT": 0, "US-CA": 9}},
            {"gdpr.sa_notification:DE", "gdpr.sa_notification:FR", "gdpr.sa_notification:NO"},
        ),
        (
            {**CONTROLLER, "country": "CH", "timezone": "Europe/Zurich"},
            {"gdpr_risk": "risk", "affected": {"LI": 1}},
            {"gdpr.sa_notification:LI"},
        ),
        # outside the EEA with nobody affected in it: no GDPR duty
        (
            {**CONTROLLER, "country": "US", "timezone": "America/New_York"},
            {"gdpr_risk": "high", "affected": {"FR": 0, "US-TX": 9}},
            set(),
        ),
        # Norway is in the EEA: its own authority even with no counts given
        (
            {**CONTROLLER, "country": "NO", "timezone": "Europe/Oslo"},
            {"gdpr_risk": "risk"},
            {"gdpr.sa_notification:NO"},
        ),
        # UK GDPR: established in GB, or people in GB affected
        (
            {**CONTROLLER, "country": "GB", "timezone": "Europe/London"},
            {"gdpr_risk": "high", "affected": {"GB": 10}},
            {"uk_gdpr.ico_notification:GB", "uk_gdpr.data_subject_notice:GB"},
        ),
        (
            {**CONTROLLER, "country": "GB", "timezone": "Europe/London"},
            {"gdpr_risk": "risk", "affected": {"GB": 10, "FR": 5}},
            {"uk_gdpr.ico_notification:GB", "gdpr.sa_notification:FR"},
        ),
        (
            CONTROLLER,
            {"gdpr_risk": "risk", "affected": {"GB": 1}},
            {"gdpr.sa_notification:DE", "uk_gdpr.ico_notification:GB"},
        ),
        (CONTROLLER, {"gdpr_risk": "risk", "affected": {"GB": 0}}, {"gdpr.sa_notification:DE"}),
        (
            {"gdpr_role": "processor", "country": "GB", "timezone": "Europe/London"},
            {"gdpr_risk": "high"},
            {"uk_gdpr.controller_notice:GB"},
        ),
    ],
)
def test_which_privacy_notices_are_owed(owed, org, facts, expected):
    found = owed(org, **BREACH, **facts)
    assert {key for key in found if key.startswith(PRIVACY)} == expected


def test_no_privacy_notice_without_a_personal_data_breach(owed):
    assert owed(CONTROLLER, aware_at=AWARE, gdpr_risk="high", affected={"DE": 9, "GB": 9}) == {}


LOS_ANGELES = {**CONTROLLER, "country": "US", "timezone": "America/Los_Angeles"}


@pytest.mark.parametrize(
    ("org", "key"),
    [
        (CONTROLLER, "gdpr.sa_notification:DE"),
        (CONTROLLER, "uk_gdpr.ico_notification:GB"),
        (LOS_ANGELES, "gdpr.sa_notification:FR"),  # the zone does not move an hour deadline
        (LOS_ANGELES, "uk_gdpr.ico_notification:GB"),
    ],
)
def test_an_authority_notice_is_due_72_hours_after_awareness(owed, instant, org, key):
    notice = owed(org, **BREACH, gdpr_risk="risk", affected={"FR": 1, "GB": 1})[key]
    assert (notice.due_at, notice.status) == (instant(SEVENTY_TWO_HOURS), "open")
    assert (notice.anchor, notice.anchor_at) == ("aware_at", instant(AWARE))


def test_the_lead_authority_and_the_fan_out_say_so(owed):
    lead = owed({**CONTROLLER, "eu_main_establishment": "IE"}, **BREACH, gdpr_risk="risk")
    assert lead["gdpr.sa_notification:IE"].recipient == "Lead supervisory authority (IE)"
    assert lead["gdpr.sa_notification:IE"].basis == "Regulation (EU) 2016/679 Art. 33(1)"
    org = {**CONTROLLER, "country": "US", "timezone": "America/New_York"}
    fan_out = owed(org, **BREACH, gdpr_risk="risk", affected={"FR": 1})["gdpr.sa_notification:FR"]
    assert fan_out.basis == "Regulation (EU) 2016/679 Art. 33(1); EDPB Guidelines 9/2022 para. 73"


@pytest.mark.parametrize(
    ("key", "basis", "recipient"),
    [
        (
            "gdpr.data_subject_notice:EU",
            "Regulation (EU) 2016/679 Art. 34(1)",
            "Affected data subjects",
        ),
        ("gdpr.controller_notice:EU", "Regulation (EU) 2016/679 Art. 33(2)", "Controller"),
        ("uk_gdpr.data_subject_notice:GB", "UK GDPR Art. 34(1)", "Affected data subjects"),
        ("uk_gdpr.controller_notice:GB", "UK GDPR Art. 33(2)", "Controller"),
    ],
)
def test_without_undue_delay_notices_have_no_fixed_deadline(owed, key, basis, recipient):
    role = "processor" if "controller_notice" in key else "controller"
    found = owed({"gdpr_role": role}, **BREACH, gdpr_risk="high", affected={"GB": 1})
    notice = found[key]
    assert (notice.due_at, notice.status, notice.anchor) == (None, "no_fixed_deadline", "aware_at")
    assert (notice.basis, notice.recipient) == (basis, recipient)


def test_an_unassessed_risk_is_missing_and_read_as_risk(make_facts, instant):
    result = compute(make_facts(CONTROLLER, **BREACH))
    assert [(o.id, o.due_at) for o in result.obligations] == [
        ("gdpr.sa_notification", instant(SEVENTY_TWO_HOURS))
    ]
    assert [(m.field, m.obligation_id) for m in result.missing] == [
        ("gdpr_risk", "gdpr.sa_notification")
    ]


def test_an_unknown_role_is_missing_and_read_as_controller_and_processor(make_facts):
    result = compute(make_facts({}, **BREACH, gdpr_risk="high"))
    assert {o.id for o in result.obligations} == {
        "gdpr.sa_notification",
        "gdpr.data_subject_notice",
        "gdpr.controller_notice",
    }
    assert {m.field for m in result.missing} == {"organization.gdpr_role"}


def test_a_missing_awareness_leaves_the_authority_notice_awaiting_it(make_facts):
    result = compute(make_facts(CONTROLLER, personal_data_breach=True, gdpr_risk="risk"))
    (notice,) = result.obligations
    assert (notice.status, notice.due_at) == ("awaiting_anchor", None)
    assert notice.starts_when == "starts when the awareness time is recorded"
    assert [(m.field, m.obligation_id) for m in result.missing] == [
        ("aware_at", "gdpr.sa_notification")
    ]


def test_a_processor_without_awareness_still_owes_the_controller_notice(make_facts):
    result = compute(make_facts({"gdpr_role": "processor"}, personal_data_breach=True))
    assert [(o.id, o.status) for o in result.obligations] == [
        ("gdpr.controller_notice", "no_fixed_deadline")
    ]
    assert result.missing == ()
