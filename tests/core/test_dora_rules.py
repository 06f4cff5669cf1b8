"""DORA with RTS 2025/301 Art. 5: initial, intermediate and final reports and the weekend relief."""

from zoneinfo import ZoneInfo

import pytest

from incident_tracker.core.engine import compute

BERLIN = ZoneInfo("Europe/Berlin")
OTHER = {"dora": "other"}


def local(obligation, zone=BERLIN):
    return obligation.due_at.astimezone(zone).isoformat() if obligation.due_at else None


@pytest.mark.parametrize(
    ("aware", "classified", "expected_local", "anchor", "basis_end"),
    [
        # classified 2 h after awareness: classification + 4 h (14:00) beats awareness + 24 h
        (
            "2026-06-01T08:00:00+02:00",
            "2026-06-01T10:00:00+02:00",
            "2026-06-01T14:00:00+02:00",
            "dora_classified_major_at",
            "Art. 5(1)(a)",
        ),
        # classified 22 h after: awareness + 24 h (08:00 next day) beats classification + 4 h
        (
            "2026-06-01T08:00:00+02:00",
            "2026-06-02T06:00:00+02:00",
            "2026-06-02T08:00:00+02:00",
            "aware_at",
            "Art. 5(1)(a)",
        ),
        # classified 20 h after: both give 08:00; the classification is named on a tie
        (
            "2026-06-01T08:00:00+02:00",
            "2026-06-02T04:00:00+02:00",
            "2026-06-02T08:00:00+02:00",
            "dora_classified_major_at",
            "Art. 5(1)(a)",
        ),
        # exactly 24 h after is not "more than 24 h": the awareness cap, i.e. at classification
        (
            "2026-06-01T08:00:00+02:00",
            "2026-06-02T08:00:00+02:00",
            "2026-06-02T08:00:00+02:00",
            "aware_at",
            "Art. 5(1)(a)",
        ),
        # classified 25 h after awareness: classification + 4 h (Art. 5(2))
        (
            "2026-06-01T08:00:00+02:00",
            "2026-06-02T09:00:00+02:00",
            "2026-06-02T13:00:00+02:00",
            "dora_classified_major_at",
            "Art. 5(2)",
        ),
    ],
)
def test_the_initial_notification_is_the_earlier_of_4_h_and_24_h_unless_classified_late(
    owed, aware, classified, expected_local, anchor, basis_end
):
    initial = owed(OTHER, aware_at=aware, dora_classified_major_at=classified)[
        "dora.initial_notification:DE"
    ]
    assert (local(initial), initial.anchor, initial.status) == (expected_local, anchor, "open")
    assert initial.basis.endswith(basis_end) and initial.relief is None


@pytest.mark.parametrize(
    ("org", "classified"),
    [({"dora": None}, "2026-06-01T10:00:00+02:00"), (OTHER, None)],
)
def test_dora_needs_a_financial_entity_and_a_major_classification(owed, org, classified):
    found = owed(org, aware_at="2026-06-01T08:00:00+02:00", dora_classified_major_at=classified)
    assert not [key for key in found if key.startswith("dora.")]


MAJOR = {
    "aware_at": "2026-06-01T08:00:00+02:00",
    "dora_classified_major_at": "2026-06-01T10:00+02:00",
}


def test_later_reports_await_the_submission_of_the_previous_one(owed):
    found = owed(OTHER, **MAJOR)
    assert found["dora.intermediate_report:DE"].status == "awaiting_anchor"
    assert found["dora.intermediate_report:DE"].starts_when == (
        "starts when the DORA initial notification is submitted"
    )
    assert found["dora.final_report:DE"].starts_when == (
        "starts when the DORA intermediate report is submitted"
    )


def test_intermediate_is_72_h_after_the_initial_and_final_a_month_after_the_latest_intermediate(
    owed,
):
    submissions = {
        "dora.initial_notification": "2026-06-01T13:00:00+02:00",
        "dora.intermediate_report": ["2026-06-04T09:00:00+02:00", "2026-06-10T09:00:00+02:00"],
    }
    found = owed(OTHER, **MAJOR, submissions=submissions)
    initial = found["dora.initial_notification:DE"]
    intermediate = found["dora.intermediate_report:DE"]
    final = found["dora.final_report:DE"]
    assert (initial.status, local(initial)) == ("submitted", "2026-06-01T14:00:00+02:00")
    assert (intermediate.status, local(intermediate)) == ("submitted", "2026-06-04T13:00:00+02:00")
    assert (final.status, local(final)) == ("open", "2026-07-10T09:00:00+02:00")
    assert final.anchor == "dora.intermediate_report"


# aware = classified = Thursday 30 April 20:00: classification + 4 h = Friday 1 May 00:00 (a
# German public holiday) -> with relief, 12:00 on Monday 4 May
MAY_DAY = {
    "aware_at": "2026-04-30T20:00:00+02:00",
    "dora_classified_major_at": "2026-04-30T20:00:00+02:00",
}


@pytest.mark.parametrize(
    ("org", "expected_local"),
    [
        (OTHER, "2026-05-04T12:00:00+02:00"),
        ({"dora": "credit_institution"}, "2026-05-01T00:00:00+02:00"),
        ({"dora": "central_counterparty"}, "2026-05-01T00:00:00+02:00"),
        ({"dora": "trading_venue"}, "2026-05-01T00:00:00+02:00"),
        ({"dora": "other", "nis2": "essential"}, "2026-05-01T00:00:00+02:00"),
        ({"dora": "other", "nis2": "important"}, "2026-05-01T00:00:00+02:00"),
        ({"dora": "other", "dora_relief_withdrawn": True}, "2026-05-01T00:00:00+02:00"),
    ],
)
def test_initial_relief_depends_on_the_entity_class(owed, org, expected_local):
    initial = owed(org, **MAY_DAY)["dora.initial_notification:DE"]
    assert local(initial) == expected_local
    moved = expected_local.endswith("12:00:00+02:00")
    assert (initial.relief is not None) == moved
    assert initial.basis.endswith("2025/301 Art. 5(1)(a), Art. 5(4)") == moved


@pytest.mark.parametrize(
    ("org", "expected_local"),
    [
        # the intermediate report was submitted Wednesday 1 April 10:00: one month later is
        # Friday 1 May 10:00, a holiday -> every entity class gets the relief for the final report
        ({"dora": "credit_institution"}, "2026-05-04T12:00:00+02:00"),
        ({"dora": "trading_venue", "nis2": "essential"}, "2026-05-04T12:00:00+02:00"),
        # ... unless the authority withdrew it
        (
            {"dora": "credit_institution", "dora_relief_withdrawn": True},
            "2026-05-01T10:00:00+02:00",
        ),
    ],
)
def test_the_final_report_gets_relief_for_every_entity_unless_withdrawn(owed, org, expected_local):
    major = {
        "aware_at": "2026-03-30T08:00+02:00",
        "dora_classified_major_at": "2026-03-30T10:00+02:00",
    }
    subs = {"dora.intermediate_report": "2026-04-01T10:00:00+02:00"}
    final = owed(org, **major, submissions=subs)["dora.final_report:DE"]
    assert local(final) == expected_local


@pytest.mark.parametrize(
    ("org", "event", "submitted_initial", "expected_local", "zone"),
    [
        # Ascension Thursday 14 May: classification 08:00 + 4 h -> Friday 15 May 12:00
        ({}, "2026-05-14T08:00:00+02:00", None, "2026-05-15T12:00:00+02:00", "Europe/Berlin"),
        # Belgian National Day, Tuesday 21 July -> Wednesday 22 July 12:00 ...
        (
            {"country": "BE", "timezone": "Europe/Brussels"},
            "2026-07-21T09:00:00+02:00",
            None,
            "2026-07-22T12:00:00+02:00",
            "Europe/Brussels",
        ),
        # ... while 21 July is an ordinary working day in Germany
        ({}, "2026-07-21T09:00:00+02:00", None, "2026-07-21T13:00:00+02:00", "Europe/Berlin"),
        # intermediate: initial submitted Tuesday 16:00 + 72 h = Friday 16:00, no relief ...
        (
            {},
            "2026-06-02T10:00:00+02:00",
            "2026-06-02T16:00:00+02:00",
            "2026-06-05T16:00:00+02:00",
            "Europe/Berlin",
        ),
        # ... submitted Wednesday 16:00 + 72 h = Saturday 16:00 -> Monday 8 June 12:00
        (
            {},
            "2026-06-03T10:00:00+02:00",
            "2026-06-03T16:00:00+02:00",
            "2026-06-08T12:00:00+02:00",
            "Europe/Berlin",
        ),
        # 22:30Z Friday + 72 h ... is Saturday 00:30 in Berlin: local time decides -> Monday
        (
            {},
            "2026-06-02T10:00:00+02:00",
            "2026-06-02T22:30:00+00:00",
            "2026-06-08T12:00:00+02:00",
            "Europe/Berlin",
        ),
    ],
)
def test_weekends_and_national_holidays_move_to_noon_on_the_next_working_day(
    owed, org, event, submitted_initial, expected_local, zone
):
    subs = {"dora.initial_notification": submitted_initial} if submitted_initial else {}
    found = owed({**OTHER, **org}, aware_at=event, dora_classified_major_at=event, submissions=subs)
    key = "dora.intermediate_report" if submitted_initial else "dora.initial_notification"
    report = found[f"{key}:{org.get('country', 'DE')}"]
    assert local(report, ZoneInfo(zone)) == expected_local


def test_the_relief_says_what_it_moved(owed):
    initial = owed(OTHER, **MAY_DAY)["dora.initial_notification:DE"]
    assert initial.relief == (
        "Friday 2026-05-01 00:00 is a weekend day or public holiday in DE; "
        "moved to 12:00 on the next working day"
    )


def test_a_classification_without_awareness_awaits_the_awareness(make_facts):
    result = compute(make_facts(OTHER, dora_classified_major_at=MAJOR["dora_classified_major_at"]))
    initial = next(o for o in result.obligations if o.id == "dora.initial_notification")
    assert (initial.status, initial.anchor) == ("awaiting_anchor", "aware_at")
    assert initial.starts_when == "starts when the awareness time is recorded"
    assert [(m.field, m.obligation_id) for m in result.missing] == [
        ("aware_at", "dora.initial_notification")
    ]
