"""NIS2 Art. 23(4): 24 h, 72 h (24 h for trust services), and one month after the notification."""

from zoneinfo import ZoneInfo

import pytest

from incident_tracker.core.engine import compute

AWARE = "2026-03-27T17:30:00+01:00"
ESSENTIAL = {"nis2": "essential"}
SIGNIFICANT = {"nis2_significant": True, "aware_at": AWARE}
NIS2_IDS = ("nis2.early_warning", "nis2.incident_notification", "nis2.final_report")


def nis2_keys(found):
    return {key for key in found if key.startswith("nis2.")}


@pytest.mark.parametrize(
    ("org", "significant", "expected"),
    [
        ({"nis2": "essential"}, True, {f"{i}:DE" for i in NIS2_IDS}),
        ({"nis2": "important"}, True, {f"{i}:DE" for i in NIS2_IDS}),
        (
            {"nis2": "important", "country": "FR", "timezone": "Europe/Paris"},
            True,
            {f"{i}:FR" for i in NIS2_IDS},
        ),
        ({"nis2": None}, True, set()),
        ({"nis2": "essential"}, False, set()),
        # DORA is lex specialis for financial entities
        ({"nis2": "essential", "dora": "other"}, True, set()),
    ],
)
def test_nis2_applies_to_significant_incidents_of_entities_outside_dora(
    owed, org, significant, expected
):
    found = owed(org, nis2_significant=significant, aware_at=AWARE)
    assert nis2_keys(found) == expected


@pytest.mark.parametrize(
    ("org", "key", "due", "basis"),
    [
        (
            ESSENTIAL,
            "nis2.early_warning:DE",
            "2026-03-28T16:30:00+00:00",
            "Directive (EU) 2022/2555 Art. 23(4)(a)",
        ),
        (
            ESSENTIAL,
            "nis2.incident_notification:DE",
            "2026-03-30T16:30:00+00:00",
            "Directive (EU) 2022/2555 Art. 23(4)(b)",
        ),
        (
            {**ESSENTIAL, "trust_service_provider": True},
            "nis2.incident_notification:DE",
            "2026-03-28T16:30:00+00:00",
            "Directive (EU) 2022/2555 Art. 23(4), second subparagraph (trust service providers)",
        ),
    ],
)
def test_the_early_warning_and_notification_count_hours_from_awareness(
    owed, instant, org, key, due, basis
):
    report = owed(org, **SIGNIFICANT)[key]
    assert (report.due_at, report.basis, report.anchor) == (instant(due), basis, "aware_at")
    assert report.status == "open"


def test_the_final_report_awaits_the_submitted_notification(owed):
    final = owed(ESSENTIAL, **SIGNIFICANT)["nis2.final_report:DE"]
    assert (final.status, final.due_at, final.anchor) == (
        "awaiting_anchor",
        None,
        "nis2.incident_notification",
    )
    assert final.starts_when == "starts when the NIS2 incident notification is submitted"


@pytest.mark.parametrize(
    ("country", "zone", "submitted", "expected_local", "basis_end"),
    [
        # one month after the submission, same wall time
        (
            "DE",
            "Europe/Berlin",
            "2026-03-29T10:00:00+02:00",
            "2026-04-29T10:00:00+02:00",
            "Art. 23(4)(d)",
        ),
        # 31 January + one month = 28 February
        (
            "DE",
            "Europe/Berlin",
            "2026-01-31T10:00:00+01:00",
            "2026-02-28T10:00:00+01:00",
            "Art. 23(4)(d)",
        ),
        # the latest of several submissions counts
        (
            "DE",
            "Europe/Berlin",
            ["2026-03-29T10:00:00+02:00", "2026-03-31T09:00:00+02:00"],
            "2026-04-30T09:00:00+02:00",
            "Art. 23(4)(d)",
        ),
        # Czech Republic: 30 days at the same clock time, across the DST change
        (
            "CZ",
            "Europe/Prague",
            "2026-03-10T10:00:00+01:00",
            "2026-04-09T10:00:00+02:00",
            "(30 days)",
        ),
        # ... which is later than a month from 31 January: 2 March, not 28 February
        (
            "CZ",
            "Europe/Prague",
            "2026-01-31T10:00:00+01:00",
            "2026-03-02T10:00:00+01:00",
            "(30 days)",
        ),
    ],
)
def test_the_final_report_runs_from_the_latest_notification_submission(
    owed, country, zone, submitted, expected_local, basis_end
):
    org = {**ESSENTIAL, "country": country, "timezone": zone}
    subs = {"nis2.incident_notification": submitted}
    final = owed(org, **SIGNIFICANT, submissions=subs)[f"nis2.final_report:{country}"]
    assert final.status == "open"
    assert final.due_at.astimezone(ZoneInfo(zone)).isoformat() == expected_local
    assert final.basis.endswith(basis_end)


def test_a_missing_awareness_is_reported_for_both_hour_reports(make_facts):
    result = compute(make_facts(ESSENTIAL, nis2_significant=True))
    assert {(m.field, m.obligation_id) for m in result.missing} == {
        ("aware_at", "nis2.early_warning"),
        ("aware_at", "nis2.incident_notification"),
    }
    assert {o.status for o in result.obligations} == {"awaiting_anchor"}
