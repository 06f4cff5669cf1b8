"""The secret calendar feed: every open deadline as an event, parsed back with icalendar."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from incident_tracker.accounts import tokens
from incident_tracker.extensions import db
from incident_tracker.models import CalendarFeed, User, utcnow
from incident_tracker.obligations import calendar_feed
from tests.helpers import get_incident, incident_form, reference_from

AWARE = datetime(2026, 3, 27, 16, 30, tzinfo=UTC)  # 17:30 CET in the form


def record(client, **overrides) -> str:
    return reference_from(client.post("/incidents/new", data=incident_form(**overrides)))


def obligation(app, reference: str, key: str):
    with app.app_context():
        for row in get_incident(reference).obligations:
            if f"{row.rule_id}:{row.jurisdiction}" == key:
                db.session.expunge(row)
                return row
    raise AssertionError(key)


def new_token(app, email: str) -> str:
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
        token = tokens.new_calendar_feed(user)
        db.session.commit()
        return token


def events(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.data)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def dpo(as_role):
    return as_role("dpo")


@pytest.fixture
def reference(client, dpo):
    return record(client)


def test_open_obligations_are_events_with_deadline_alarms_rule_and_link(
    app, client, dpo, reference
):
    token = new_token(app, dpo.email)
    response = app.test_client().get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == 'inline; filename="incident-tracker.ics"'
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["X-WR-CALNAME"]) == "incident_tracker deadlines"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Berlin"
    assert str(calendar["VERSION"]) == "2.0"
    early = obligation(app, reference, "nis2.early_warning:DE")
    event = events(response)[f"obligation-{early.id}@incident-tracker"]
    assert event.decoded("dtstart") == early.due_at == AWARE + timedelta(hours=24)
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
    assert event.decoded("duration") == timedelta(minutes=15)
    link = f"{app.config['APP_BASE_URL']}/incidents/{reference}"
    assert str(event["summary"]) == f"NIS2 early warning (DE) — {reference}"
    description = str(event["description"])
    assert early.basis in description and early.recipient in description
    assert "Credential theft via poisoned dependency" in description
    assert "2026-03-28 17:30 CET" in description and link in description
    assert str(event["url"]) == link
    alarms = event.walk("VALARM")
    assert sorted(alarm.decoded("trigger") for alarm in alarms) == [
        timedelta(hours=-24),
        timedelta(hours=-2),
    ]
    assert {str(alarm["action"]) for alarm in alarms} == {"DISPLAY"}
    assert b"TRIGGER:-PT24H" in response.data and b"TRIGGER:-PT2H" in response.data
    assert all(str(alarm["description"]) for alarm in alarms)


def test_only_open_dated_obligations_of_incidents_not_closed(app, client, dpo, reference):
    early = obligation(app, reference, "nis2.early_warning:DE")
    filed = client.post(
        f"/obligations/{early.id}/filings",
        data={"submitted_at": "2026-03-28 10:00", "recipient_reference": "BSI-1"},
    )
    assert filed.status_code == 302
    closed = record(client, status="closed", closed_at="2026-04-02 12:00")
    with app.app_context():
        assert get_incident(closed).status == "closed"
        assert get_incident(closed).obligations  # it has clocks, but it is closed
        expected = {
            f"obligation-{row.id}@incident-tracker"
            for row in get_incident(reference).obligations
            if row.status == "open" and row.due_at is not None
        }
        statuses = {row.status for row in get_incident(reference).obligations}
    assert {"submitted", "awaiting_anchor", "no_fixed_deadline"} <= statuses
    assert len(expected) == 2  # the GDPR notification and the NIS2 incident notification
    response = client.get(f"/calendar/{new_token(app, dpo.email)}.ics")
    assert set(events(response)) == expected


def test_the_url_works_without_any_session_cookie(app, client, dpo, reference):
    token = new_token(app, dpo.email)
    anonymous = app.test_client()
    response = anonymous.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert len(events(response)) == 3
    assert "Set-Cookie" not in response.headers


def test_unknown_and_revoked_tokens_get_the_same_plain_404(app, client, dpo, reference):
    token = new_token(app, dpo.email)
    unknown = app.test_client().get("/calendar/itk_not-a-real-token.ics")
    with app.app_context():
        feed_row = db.session.execute(db.select(CalendarFeed)).scalar_one()
        tokens.revoke_calendar_feed(feed_row, utcnow())
        db.session.commit()
    revoked = app.test_client().get(f"/calendar/{token}.ics")
    for response in (unknown, revoked):
        assert response.status_code == 404
        assert response.mimetype == "text/plain"
        assert b"<" not in response.data
    assert unknown.data == revoked.data


def test_a_feed_of_a_deactivated_user_is_gone(app, client, dpo, reference):
    token = new_token(app, dpo.email)
    with app.app_context():
        db.session.get(User, dpo.id).active = False
        db.session.commit()
    assert app.test_client().get(f"/calendar/{token}.ics").status_code == 404


def test_only_the_hash_is_stored_and_each_user_gets_a_distinct_token(app, dpo, make_user):
    other = make_user("viewer")
    first, second = new_token(app, dpo.email), new_token(app, other.email)
    assert first != second and first.startswith("itk_")
    with app.app_context():
        hashes = set(db.session.execute(db.select(CalendarFeed.token_hash)).scalars())
    assert first not in hashes and len(hashes) == 2
    assert app.test_client().get(f"/calendar/{second}.ics").status_code == 200


def test_an_empty_calendar_is_still_a_valid_calendar(app, dpo):
    response = app.test_client().get(f"/calendar/{new_token(app, dpo.email)}.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.data)
    assert calendar.walk("VEVENT") == []
    assert b"<" not in response.data


def test_feed_builds_events_without_a_request(app, dpo, reference):
    now = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    with app.app_context():
        rows = calendar_feed.open_obligations()
        body = calendar_feed.feed(rows, "https://tracker.example/", now, "Europe/Berlin")
    calendar = Calendar.from_ical(body)
    stamps = {event.decoded("dtstamp") for event in calendar.walk("VEVENT")}
    assert stamps == {now}
    urls = {str(event["url"]) for event in calendar.walk("VEVENT")}
    assert urls == {f"https://tracker.example/incidents/{reference}"}


def test_the_feeds_links_follow_the_configured_address_not_the_host_header(
    app, make_app, dpo, reference
):
    token = new_token(app, dpo.email)
    served = make_app(APP_BASE_URL="https://tracker.example/")
    response = served.test_client().get(
        f"/calendar/{token}.ics", headers={"Host": "attacker.example"}
    )
    urls = {str(event["url"]) for event in events(response).values()}
    assert urls == {f"https://tracker.example/incidents/{reference}"}
