"""Stored obligations: regenerated from the facts, filed, decided, and never silently moved."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from incident_tracker.extensions import db
from incident_tracker.incidents.regeneration import facts_for, regenerate
from incident_tracker.models import Obligation, Organization, TimelineEvent, utcnow
from tests.helpers import edit_form, get_incident, incident_form, reference_from, with_version

AWARE = datetime(2026, 3, 27, 16, 30, tzinfo=UTC)  # 17:30 CET in the form


def rows(app, reference) -> dict[str, Obligation]:
    with app.app_context():
        incident = get_incident(reference)
        found = {f"{row.rule_id}:{row.jurisdiction}": row for row in incident.obligations}
        for row in found.values():
            db.session.expunge(row)
        return found


def events(app, reference, kind) -> list[str]:
    with app.app_context():
        return [event.text for event in get_incident(reference).events if event.kind == kind]


@pytest.fixture
def incident(client, as_role):
    as_role("dpo")
    return reference_from(client.post("/incidents/new", data=incident_form()))


def file(client, row, when: str, **extra):
    data = {"submitted_at": when, "recipient_reference": "REF-1", **extra}
    return client.post(f"/obligations/{row.id}/filings", data=data)


def test_recording_an_incident_starts_every_clock_it_should(app, incident):
    found = rows(app, incident)
    assert set(found) == {
        "gdpr.sa_notification:DE",
        "gdpr.data_subject_notice:EU",
        "nis2.early_warning:DE",
        "nis2.incident_notification:DE",
        "nis2.final_report:DE",
        "us-ca.individual_notice:US-CA",
        "us-ca.attorney_general:US-CA",
    }
    assert found["gdpr.sa_notification:DE"].due_at == AWARE + timedelta(hours=72)
    assert found["nis2.early_warning:DE"].due_at == AWARE + timedelta(hours=24)
    assert found["nis2.final_report:DE"].status == "awaiting_anchor"
    assert found["gdpr.data_subject_notice:EU"].status == "no_fixed_deadline"
    california = found["us-ca.individual_notice:US-CA"]
    assert (california.status, california.starts_when) == (
        "awaiting_anchor",
        "starts when the discovery time is recorded",
    )


def test_changing_awareness_moves_open_deadlines_and_says_why(app, client, incident):
    client.post(
        f"/incidents/{incident}/edit", data=edit_form(client, incident, aware_at="2026-03-28 09:00")
    )
    found = rows(app, incident)
    # 09:00 CET + 24 h of elapsed time crosses the spring change: 10:00 CEST on the wall clock.
    assert found["nis2.early_warning:DE"].due_at == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)
    assert (
        "NIS2 early warning (DE) moved from 2026-03-28 17:30 CET to 2026-03-29 10:00 CEST "
        "because the awareness time changed" in events(app, incident, "deadline")
    )


def test_saving_without_changes_moves_nothing_and_adds_no_event(app, client, incident):
    before = rows(app, incident)
    client.post(f"/incidents/{incident}/edit", data=edit_form(client, incident))
    after = rows(app, incident)
    assert {k: (r.id, r.due_at, r.status) for k, r in before.items()} == {
        k: (r.id, r.due_at, r.status) for k, r in after.items()
    }
    assert events(app, incident, "deadline") == []


def test_a_filed_obligation_never_moves(app, client, incident):
    early = rows(app, incident)["nis2.early_warning:DE"]
    assert file(client, early, "2026-03-28 10:00").status_code == 302
    client.post(
        f"/incidents/{incident}/edit", data=edit_form(client, incident, aware_at="2026-03-28 09:00")
    )
    after = rows(app, incident)["nis2.early_warning:DE"]
    assert (after.status, after.due_at) == ("submitted", early.due_at)


def test_final_report_waits_for_the_incident_notification_then_runs_one_month(
    app, client, incident
):
    notification = rows(app, incident)["nis2.incident_notification:DE"]
    file(client, notification, "2026-03-29 10:00")  # CEST
    final = rows(app, incident)["nis2.final_report:DE"]
    assert (final.status, final.due_at) == ("open", datetime(2026, 4, 29, 8, 0, tzinfo=UTC))
    assert final.anchor == "nis2.incident_notification"
    assert any(
        text.startswith(
            "NIS2 final report (DE) moved from no date (awaiting its anchor) "
            "to 2026-04-29 10:00 CEST"
        )
        for text in events(app, incident, "deadline")
    )


def test_late_filing_needs_reasons_and_lateness_is_frozen(app, client, incident):
    early = rows(app, incident)["nis2.early_warning:DE"]
    refused = file(client, early, "2026-03-29 10:00")
    assert refused.status_code == 422
    assert (
        b"this filing is late (due 2026-03-28 17:30 CET): give the reasons for the delay"
        in refused.data
    )
    assert rows(app, incident)["nis2.early_warning:DE"].status == "open"
    accepted = file(client, early, "2026-03-29 10:00", delay_reasons="The CSIRT portal was down.")
    assert accepted.status_code == 302
    client.post(
        f"/incidents/{incident}/edit", data=edit_form(client, incident, aware_at="2026-03-28 16:00")
    )
    with app.app_context():
        filing = db.session.get(Obligation, early.id).filings[0]
        assert filing.late is True and filing.due_at == early.due_at


def test_submission_in_the_future_is_refused(app, client, incident):
    early = rows(app, incident)["nis2.early_warning:DE"]
    tomorrow = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = file(client, early, tomorrow)
    assert b"a submission cannot be in the future" in response.data
    assert rows(app, incident)["nis2.early_warning:DE"].status == "open"


@pytest.mark.parametrize(
    "when, message",
    [
        ("2026-03-29 02:30", b"2026-03-29 02:30 does not exist in Europe/Berlin"),
        ("", b"This field is required."),
    ],
)
def test_a_filing_time_that_does_not_exist_says_so(app, client, incident, when, message):
    """A wall time skipped by the clocks going forward is named as such, not as "required"."""
    early = rows(app, incident)["nis2.early_warning:DE"]
    response = file(client, early, when)
    assert message in response.data
    assert rows(app, incident)["nis2.early_warning:DE"].status == "open"


def test_a_correction_replaces_the_anchor_of_dependent_clocks(app, client, incident):
    notification = rows(app, incident)["nis2.incident_notification:DE"]
    file(client, notification, "2026-03-29 10:00")
    with app.app_context():
        first = db.session.get(Obligation, notification.id).filings[0].id
    file(client, notification, "2026-03-29 11:30", corrects=str(first))
    assert rows(app, incident)["nis2.final_report:DE"].due_at == datetime(
        2026, 4, 29, 9, 30, tzinfo=UTC
    )


def test_not_required_needs_a_dpo_or_admin_and_a_rationale(app, client, incident, make_user, login):
    row = rows(app, incident)["gdpr.data_subject_notice:EU"]
    short = client.post(f"/obligations/{row.id}/decision", data={"rationale": "encrypted"})
    assert short.status_code == 422
    rationale = "Data was encrypted with a key that was not compromised (Art. 34(3)(a))."
    assert (
        client.post(f"/obligations/{row.id}/decision", data={"rationale": rationale}).status_code
        == 302
    )
    decided = rows(app, incident)["gdpr.data_subject_notice:EU"]
    assert (decided.status, decided.reason) == ("not_required", rationale)
    assert any(rationale in text for text in events(app, incident, "decision"))
    login(make_user("commander"))
    other = rows(app, incident)["gdpr.sa_notification:DE"]
    assert (
        client.post(f"/obligations/{other.id}/decision", data={"rationale": rationale}).status_code
        == 403
    )


def test_a_rule_that_no_longer_applies_stays_visible_with_the_reason(app, client, incident):
    client.post(
        f"/incidents/{incident}/edit", data=edit_form(client, incident, gdpr_risk="unlikely")
    )
    found = rows(app, incident)
    assert found["gdpr.sa_notification:DE"].status == "no_longer_applicable"
    assert (
        found["gdpr.sa_notification:DE"].reason
        == "The rule no longer applies because the GDPR risk changed."
    )
    client.post(f"/incidents/{incident}/edit", data=edit_form(client, incident, gdpr_risk="risk"))
    assert rows(app, incident)["gdpr.sa_notification:DE"].status == "open"
    title = rows(app, incident)["gdpr.sa_notification:DE"].title
    assert f"{title} (DE) applies again because the GDPR risk changed" in events(
        app, incident, "deadline"
    )


def test_organization_change_regenerates_open_incidents(app, client, incident, make_user, login):
    login(make_user("admin"))
    profile = {
        "name": "Example GmbH",
        "country": "DE",
        "timezone": "Europe/Berlin",
        "gdpr_role": "controller",
        "eu_main_establishment": "DE",
        "nis2": "",
        "dora": "",
        "hipaa": "",
    }
    assert (
        client.post(
            "/organization/", data=with_version(client, "/organization/", profile)
        ).status_code
        == 302
    )
    found = rows(app, incident)
    assert found["nis2.early_warning:DE"].status == "no_longer_applicable"
    assert found["gdpr.sa_notification:DE"].status == "open"


def test_not_assessed_nis2_significance_keeps_the_clock_running(app, incident):
    with app.app_context():
        incident_row = get_incident(incident)
        incident_row.nis2_significant = None
        assert facts_for(incident_row, db.session.get(Organization, 1)).nis2_significant is True
        incident_row.nis2_significant = False
        assert facts_for(incident_row, db.session.get(Organization, 1)).nis2_significant is False


def test_regeneration_is_idempotent(app, incident):
    with app.app_context():
        incident_row = get_incident(incident)
        before = db.session.execute(
            db.select(db.func.count()).select_from(TimelineEvent)
        ).scalar_one()
        regenerate(incident_row, db.session.get(Organization, 1), None, "because nothing changed")
        regenerate(incident_row, db.session.get(Organization, 1), None, "because nothing changed")
        db.session.commit()
        after = db.session.execute(
            db.select(db.func.count()).select_from(TimelineEvent)
        ).scalar_one()
        assert after == before
        assert len(get_incident(incident).obligations) == 7


def test_one_row_per_incident_rule_and_jurisdiction(app, incident):
    with app.app_context():
        existing = get_incident(incident).obligations[0]
        duplicate = Obligation(
            incident_id=existing.incident_id,
            rule_id=existing.rule_id,
            jurisdiction=existing.jurisdiction,
            regime="gdpr",
            title="t",
            recipient="r",
            basis="b",
            anchor="aware_at",
            status="open",
        )
        db.session.add(duplicate)
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_filings_and_decisions_are_append_only(app, client, incident):
    early = rows(app, incident)["nis2.early_warning:DE"]
    file(client, early, "2026-03-28 10:00")
    with app.app_context():
        filing = db.session.get(Obligation, early.id).filings[0]
        filing.recipient_reference = "rewritten"
        with pytest.raises(PermissionError):
            db.session.commit()
        db.session.rollback()


def test_viewer_cannot_file(app, client, incident, make_user, login):
    login(make_user("viewer"))
    early = rows(app, incident)["nis2.early_warning:DE"]
    assert file(client, early, "2026-03-28 10:00").status_code == 403


def test_obligation_page_says_what_starts_an_awaiting_clock(app, client, incident):
    final = rows(app, incident)["nis2.final_report:DE"]
    page = client.get(f"/obligations/{final.id}").data.decode()
    assert "starts when the NIS2 incident notification is submitted" in page
    assert "Directive (EU) 2022/2555 Art. 23(4)(d)" in page


def test_a_filed_obligation_shows_when_it_was_filed_instead_of_a_countdown(app, client, incident):
    early = rows(app, incident)["nis2.early_warning:DE"]
    file(client, early, "2026-03-28 10:00")
    page = client.get(f"/incidents/{incident}").data.decode()
    filed_row = page.split('data-obligation="nis2.early_warning:DE"')[1].split("</tr>")[0]
    assert "filed" in filed_row and "2026-03-28 10:00 CET" in filed_row and "on time" in filed_row
    assert "data-due" not in filed_row and "overdue" not in filed_row
