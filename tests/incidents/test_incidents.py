"""Recording, editing and reading incidents through the web forms."""

from datetime import UTC, datetime

import pytest

from incident_tracker.extensions import db
from incident_tracker.models import Incident, TimelineEvent
from tests.helpers import edit_form, get_incident, incident_form, reference_from


def _count(app, model) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def test_new_incident_is_saved_with_all_its_parts(app, client, as_role):
    as_role("commander")
    data = incident_form(data_categories=["1", "3", "4"])
    response = client.post("/incidents/new", data=data)
    reference = reference_from(response)
    assert reference == f"INC-{datetime.now(UTC).year}-0001"
    with app.app_context():
        incident = get_incident(reference)
        assert incident.aware_at == datetime(2026, 3, 27, 16, 30, tzinfo=UTC)  # 17:30 CET
        assert {j.code: (j.people, j.records) for j in incident.jurisdictions} == {
            "DE": (1200, 1500),
            "US-CA": (610, None),
        }
        assert len(incident.data_categories) == 3
        assert incident.parties[0].package_url == "pkg:pypi/litellm@1.82.7"
        assert incident.malicious is True and incident.cross_border is None
        assert [event.kind for event in incident.events] == ["created"]


def test_incident_page_shows_times_in_the_organization_zone_with_utc_on_hover(client, as_role):
    as_role("commander")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    page = client.get(f"/incidents/{reference}").data.decode()
    assert "2026-03-27 17:30 CET" in page
    assert 'title="2026-03-27 16:30:00 UTC"' in page
    assert "US-CA" in page and "California" in page


def test_wall_time_after_the_spring_change_is_read_in_summer_time(app, client, as_role):
    as_role("commander")
    reference = reference_from(
        client.post("/incidents/new", data=incident_form(aware_at="2026-03-29 03:30"))
    )
    with app.app_context():
        assert get_incident(reference).aware_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_explicit_offset_is_honoured(app, client, as_role):
    as_role("commander")
    data = incident_form(aware_at="2026-03-27T17:30:00Z")
    reference = reference_from(client.post("/incidents/new", data=data))
    with app.app_context():
        assert get_incident(reference).aware_at == datetime(2026, 3, 27, 17, 30, tzinfo=UTC)


def test_counts_beyond_32_bits_are_kept(app, client, as_role):
    """A breach of billions of accounts (Yahoo's was three billion): the forms take people up
    to 10^10 and records up to 10^12, and every database keeps them."""
    as_role("commander")
    big = {"jurisdictions-0-people": str(10**10), "jurisdictions-0-records": str(10**12)}
    reference = reference_from(client.post("/incidents/new", data=incident_form(**big)))
    with app.app_context():
        places = {j.code: (j.people, j.records) for j in get_incident(reference).jurisdictions}
    assert places["DE"] == (10**10, 10**12)
    page = client.get(f"/incidents/{reference}").get_data(as_text=True)
    assert "10,000,000,000" in page and "1,000,000,000,000" in page


BAD_INPUT = [
    ({"aware_at": "27/03/2026 5pm"}, "is not a date and time"),
    ({"aware_at": "2026-02-30 10:00"}, "is not a date and time"),
    ({"aware_at": "2026-03-29 02:30"}, "does not exist in Europe/Berlin"),
    ({"aware_at": "2026-10-25 02:30"}, "occurs twice in Europe/Berlin"),
    ({"detected_at": "2026-03-20 10:00"}, "detection cannot be before occurrence"),
    ({"aware_at": "2026-03-25 10:00"}, "awareness cannot be before detection"),
    ({"jurisdictions-1-code": "UK"}, "use &#39;GB&#39;"),
    ({"jurisdictions-1-code": "XX"}, "not an ISO 3166-1 alpha-2 country code"),
    ({"jurisdictions-1-code": "US-ZZ"}, "not a US state, DC or territory code"),
    ({"jurisdictions-1-code": "de"}, "Jurisdiction DE appears twice"),
    ({"jurisdictions-1-people": "-5"}, "Number must be between 0 and"),
    ({"jurisdictions-1-people": "many"}, "Not a valid integer value"),
    ({"jurisdictions-2-people": "40"}, "enter a country or US state code"),
    ({"title": ""}, "This field is required"),
    ({"title": "x" * 201}, "Field cannot be longer than 200 characters"),
    ({"summary": "x" * 20_001}, "Field cannot be longer than 20000 characters"),
    ({"status": "deleted"}, "Not a valid choice"),
    ({"gdpr_risk": "medium"}, "Not a valid choice"),
    ({"parties-0-package_url": "litellm 1.82.7"}, "not a package URL"),
    ({"parties-0-name": ""}, "a party needs a name"),
    ({"data_categories": ["9999"]}, "not a valid choice"),
]


@pytest.mark.parametrize("overrides,message", BAD_INPUT)
def test_bad_input_is_explained_and_nothing_is_saved(app, client, as_role, overrides, message):
    as_role("commander")
    response = client.post("/incidents/new", data=incident_form(**overrides))
    assert response.status_code == 200
    page = response.data.decode()
    assert message in page
    assert "Nothing was saved" in page
    assert _count(app, Incident) == 0
    assert _count(app, TimelineEvent) == 0


def test_a_failed_create_does_not_use_up_a_reference_number(app, client, as_role):
    as_role("commander")
    client.post("/incidents/new", data=incident_form(title=""))
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    assert reference.endswith("-0001")


def test_bad_edit_keeps_the_stored_values(app, client, as_role):
    as_role("commander")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    response = client.post(
        f"/incidents/{reference}/edit",
        data=edit_form(client, reference, aware_at="2026-03-01 10:00", title="Changed"),
    )
    assert b"awareness cannot be before detection" in response.data
    with app.app_context():
        incident = get_incident(reference)
        assert incident.title == "Credential theft via poisoned dependency"
        assert len(incident.events) == 1


def test_changing_awareness_adds_a_timeline_event_with_both_times(app, client, as_role):
    user = as_role("commander")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    client.post(
        f"/incidents/{reference}/edit",
        data=edit_form(client, reference, aware_at="2026-03-28 09:00"),
    )
    with app.app_context():
        texts = [event.text for event in get_incident(reference).events if event.kind == "edited"]
    assert texts[-1] == (
        f"awareness time changed from 2026-03-27 17:30 CET to 2026-03-28 09:00 CET by {user.email}"
    )


def test_each_changed_field_gets_one_event_and_unchanged_fields_none(app, client, as_role):
    as_role("dpo")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    client.post(f"/incidents/{reference}/edit", data=edit_form(client, reference))
    client.post(
        f"/incidents/{reference}/edit",
        data=edit_form(
            client,
            reference,
            **{"status": "contained", "jurisdictions-1-code": "FR", "data_categories": ["2"]},
        ),
    )
    with app.app_context():
        texts = [event.text for event in get_incident(reference).events if event.kind == "edited"]
    assert len(texts) == 3
    assert texts[0].startswith('status changed from "open" to "contained"')
    assert any(
        t.startswith(
            "jurisdictions changed from DE (1200 people, 1500 records); US-CA (610 people)"
        )
        for t in texts
    )
    assert any(t.startswith("data categories changed from (none) to") for t in texts)


def test_removing_and_readding_a_jurisdiction_code_in_one_edit_works(app, client, as_role):
    as_role("dpo")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    data = edit_form(
        client,
        reference,
        **{
            "jurisdictions-0-code": "US-CA",
            "jurisdictions-0-people": "700",
            "jurisdictions-1-code": "DE",
            "jurisdictions-1-people": "1300",
        },
    )
    assert client.post(f"/incidents/{reference}/edit", data=data).status_code == 302
    with app.app_context():
        rows = {j.code: j.people for j in get_incident(reference).jurisdictions}
    assert rows == {"DE": 1300, "US-CA": 700}


def test_manual_timeline_note_is_recorded_at_the_given_time(app, client, as_role):
    as_role("commander")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    response = client.post(
        f"/incidents/{reference}/notes",
        data={"occurred_at": "2026-03-26 08:05", "text": "SOC alert"},
    )
    assert response.status_code == 302
    with app.app_context():
        note = get_incident(reference).events[-1]
    assert (note.kind, note.text) == ("note", "SOC alert")
    assert note.occurred_at == datetime(2026, 3, 26, 7, 5, tzinfo=UTC)


def test_timeline_shows_entries_by_when_they_happened_with_who_recorded_them(client, as_role):
    as_role("commander")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    for text in ("first of two at 08:05", "second of two at 08:05"):
        data = {"occurred_at": "2026-03-26 08:05", "text": text}
        assert client.post(f"/incidents/{reference}/notes", data=data).status_code == 302
    page = client.get(f"/incidents/{reference}").get_data(as_text=True)
    timeline = page.split('id="timeline-events"')[1].split("</ol>")[0]
    entries = timeline.split('<li class="list-group-item">')[1:]
    assert [entry.split("</div>")[0].rsplit(">", 1)[1] for entry in entries[:2]] == [
        "first of two at 08:05",
        "second of two at 08:05",
    ]  # before the incident's recording (now), which is last; a tie in the order recorded
    assert "recorded by commander@example.org" in entries[2]
    assert all(" · note · commander@example.org</span>" in entry for entry in entries[:2])


def test_timeline_note_with_bad_time_is_refused(app, client, as_role):
    as_role("commander")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    response = client.post(
        f"/incidents/{reference}/notes", data={"occurred_at": "yesterday", "text": "x"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)  # the whole page again, the refused input kept
    timeline = page.split('id="timeline-events"')[1].split("</ol>")[0]
    assert timeline.count('<li class="list-group-item">') == 1 and 'id="obligations"' in page
    assert 'value="yesterday"' in page
    with app.app_context():
        assert len(get_incident(reference).events) == 1


@pytest.mark.parametrize(
    "when, message",
    [
        ("2026-03-29 02:30", b"2026-03-29 02:30 does not exist in Europe/Berlin"),
        ("", b"This field is required."),
    ],
)
def test_a_note_at_a_time_that_does_not_exist_says_so(app, client, as_role, when, message):
    """Clocks go forward in Berlin at 02:00 on 29 March 2026: the form says that, not "required"."""
    as_role("commander")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    response = client.post(f"/incidents/{reference}/notes", data={"occurred_at": when, "text": "x"})
    assert response.status_code == 422
    assert message in response.data
    with app.app_context():
        assert len(get_incident(reference).events) == 1


def test_new_incident_without_organization_profile_asks_for_it(client, make_user, login):
    login(make_user("dpo"))
    response = client.get("/incidents/new")
    assert response.headers["Location"] == "/organization/"


def test_unicode_and_markup_survive_and_are_escaped(app, client, as_role):
    as_role("commander")
    title = "<script>alert(1)</script> ‏שלום 🔥 e\u0301"
    reference = reference_from(client.post("/incidents/new", data=incident_form(title=title)))
    page = client.get(f"/incidents/{reference}").data.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    with app.app_context():
        assert get_incident(reference).title == title


def test_owner_is_chosen_among_editors_and_a_change_is_recorded(app, client, as_role, make_user):
    user = as_role("dpo")
    commander = make_user("commander")
    make_user("viewer")
    page = client.get("/incidents/new").data.decode()
    assert "commander@example.org (commander)" in page and "viewer@example.org" not in page
    reference = reference_from(
        client.post("/incidents/new", data=incident_form(owner_id=str(user.id)))
    )
    client.post(
        f"/incidents/{reference}/edit",
        data=edit_form(client, reference, owner_id=str(commander.id)),
    )
    with app.app_context():
        incident = get_incident(reference)
        assert incident.owner_id == commander.id
        edits = [event for event in incident.events if event.kind == "edited"]
        assert (
            edits[-1].text
            == f'owner changed from "{user.email}" to "{commander.email}" by {user.email}'
        )


def test_owner_must_be_one_of_the_offered_users(app, client, as_role):
    as_role("dpo")
    response = client.post("/incidents/new", data=incident_form(owner_id="999"))
    assert b"Not a valid choice" in response.data
    assert _count(app, Incident) == 0
