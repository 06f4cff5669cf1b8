"""Two people edit the same incident: the later, stale save is refused, explained and kept."""

from incident_tracker.extensions import db
from incident_tracker.models import Organization
from tests.helpers import edit_form, get_incident, incident_form, reference_from, with_version


def test_a_stale_form_never_overwrites_a_newer_save(app, client, as_role):
    as_role("commander")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    alice = edit_form(client, reference, aware_at="2026-03-28 09:00")
    bob = edit_form(client, reference, title="Bob's title", aware_at="2026-03-27 18:00")
    assert client.post(f"/incidents/{reference}/edit", data=alice).status_code == 302
    response = client.post(f"/incidents/{reference}/edit", data=bob)
    assert response.status_code == 409
    page = response.data.decode()
    assert "Someone else saved this incident while you were editing it" in page
    assert "awareness time changed from 2026-03-27 17:30 CET to 2026-03-28 09:00 CET" in page
    assert 'value="Bob&#39;s title"' in page  # Bob's input is kept
    with app.app_context():
        incident = get_incident(reference)
        assert incident.title == "Credential theft via poisoned dependency"
        assert incident.version == 2
    version = page.split('name="version" type="hidden" value="')[1].split('"')[0]
    assert version == "2"
    assert (
        client.post(f"/incidents/{reference}/edit", data={**bob, "version": version}).status_code
        == 302
    )
    with app.app_context():
        assert get_incident(reference).title == "Bob's title"


def test_a_form_without_a_version_is_treated_as_stale(app, client, as_role):
    as_role("commander")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    response = client.post(f"/incidents/{reference}/edit", data=incident_form(title="No version"))
    assert response.status_code == 409
    with app.app_context():
        assert get_incident(reference).title != "No version"


def test_a_stale_organization_form_is_refused_and_explained(app, client, as_role):
    as_role("admin")
    profile = {
        "name": "First",
        "country": "DE",
        "timezone": "Europe/Berlin",
        "gdpr_role": "controller",
        "eu_main_establishment": "DE",
        "nis2": "essential",
        "dora": "",
        "hipaa": "",
    }
    first = with_version(client, "/organization/", profile)
    second = with_version(client, "/organization/", {**profile, "name": "Second"})
    assert client.post("/organization/", data=first).status_code == 302
    response = client.post("/organization/", data=second)
    assert response.status_code == 409
    assert "Someone else saved the profile" in response.data.decode()
    with app.app_context():
        assert db.session.get(Organization, 1).name == "First"
