"""What fuzzing the forms found: each input pinned with the behaviour it should have.

The fuzz strategies in test_fuzz_forms.py keep away from these inputs; each test here asserts the
correct behaviour (a message, nothing saved, never a 500); each was a strict xfail until fixed.
"""

import pytest

from incident_tracker.extensions import db
from incident_tracker.models import AuditEvent, Incident, Obligation, Organization
from tests.helpers import (
    PASSWORD,
    edit_form,
    get_incident,
    incident_form,
    reference_from,
    with_version,
)
from tests.hostile.hostile_support import (
    add_staff_template,
    counts,
    rows,
    send,
)

FILED = "gdpr.sa_notification:DE"


# ---------------------------------------------------------------------------------------------
# Instants near the ends of the datetime range
# ---------------------------------------------------------------------------------------------

EXTREME_INSTANTS = ["0001-01-01 00:00", "0001-01-01T00:00+14:00", "9999-12-31T23:59-14:00"]


@pytest.mark.parametrize("value", EXTREME_INSTANTS)
@pytest.mark.parametrize("name", ["occurred_at", "aware_at", "closed_at"])
def test_extreme_instants_in_the_incident_form_are_refused_not_500(
    app, client, editor, name, value
):
    before = counts(app)
    response = send(client, "/incidents/new", incident_form(**{name: value}))
    assert response.status_code == 200
    assert counts(app) == before


@pytest.mark.parametrize("value", EXTREME_INSTANTS)
@pytest.mark.parametrize("form", ["note", "filing"])
def test_extreme_instants_in_notes_and_filings_are_refused_not_500(
    app, client, incident, obligation_ids, form, value
):
    before = counts(app)
    if form == "note":
        data = {"occurred_at": value, "text": "x"}
        response = send(client, f"/incidents/{incident}/notes", data)
    else:
        data = {"submitted_at": value}
        response = send(client, f"/obligations/{obligation_ids[FILED]}/filings", data)
    assert response.status_code == 422
    assert counts(app) == before


@pytest.mark.parametrize("name", ["aware_at", "discovered_at"])
def test_a_far_future_anchor_is_refused_not_500(app, client, editor, name):
    before = counts(app)
    response = send(client, "/incidents/new", incident_form(**{name: "9999-12-30 12:00"}))
    assert response.status_code == 200
    assert counts(app) == before


# ---------------------------------------------------------------------------------------------
# The hidden version field
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "version",
    [
        pytest.param(
            str(2**31),
            id="2**31",
        ),
        pytest.param(
            str(2**63),
            id="2**63",
        ),
    ],
)
@pytest.mark.parametrize("form", ["incident", "organization"])
def test_an_out_of_range_version_is_a_conflict_not_500(app, client, incident, form, version):
    if form == "incident":
        url, data = f"/incidents/{incident}/edit", edit_form(client, incident, title="Changed")
        table, model = "incident", Incident
    else:
        url = "/organization/"
        data = with_version(client, url, _profile(app, name="Changed"))
        table, model = "organization", Organization
    watched = rows(app, table)
    response = send(client, url, {**data, "version": version})
    assert response.status_code == 409
    assert rows(app, table) == watched
    with app.app_context():
        assert db.session.execute(db.select(model.version)).scalar() == 1


def _profile(app, **changes) -> dict:
    with app.app_context():
        org = db.session.get(Organization, 1)
        data = {
            "name": org.name,
            "country": org.country,
            "timezone": org.timezone,
            "gdpr_role": org.gdpr_role or "",
            "eu_main_establishment": org.eu_main_establishment or "",
            "nis2": org.nis2 or "",
            "dora": org.dora or "",
            "hipaa": org.hipaa or "",
        }
    return {**data, **changes}


# ---------------------------------------------------------------------------------------------
# Organization timezone
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Factory", "localtime"])
def test_a_machine_timezone_is_refused_with_a_message(app, client, incident, zone):
    data = with_version(client, "/organization/", _profile(app, timezone=zone))
    watched = rows(app, "organization", "obligation")
    response = send(client, "/organization/", data)
    assert response.status_code == 200 and b"unknown IANA timezone" in response.data
    assert rows(app, "organization", "obligation") == watched


# ---------------------------------------------------------------------------------------------
# Letter templates: exceptions that are not TemplateError
# ---------------------------------------------------------------------------------------------

RUNTIME_ERRORS = [
    "{{ 1/0 }}",
    "{{ 1 + 'a' }}",
    "{{ '%d' % 'x' }}",
    "{% for x in 5 %}{% endfor %}",
    "{{ 'a'|wordwrap(0) }}",
    "{{ 'a'|truncate(-5) }}",
    "{{ [1]|slice(0)|list }}",
    "{{ ''|format(1, 2) }}",
    "{{ incident.people_total / 0 }}",
]


@pytest.mark.parametrize("body", RUNTIME_ERRORS)
@pytest.mark.parametrize("action", ["edit", "preview"])
def test_a_template_that_raises_at_render_time_is_refused_with_a_message(
    app, client, staff_template, action, body
):
    watched = rows(app, "letter_template", "template_revision")
    response = send(client, f"/letters/{staff_template}/{action}", {"body": body})
    assert response.status_code == 422 and b"Not saved" in response.data
    assert rows(app, "letter_template", "template_revision") == watched


def test_a_saved_template_that_fails_for_this_incident_is_explained(app, client, editor):
    """It prints with the sample (1810 people) and divides by zero for an incident with none."""
    body = "<p>{{ 100 // incident.people_total }} per person</p>"
    template = add_staff_template(app, "per-person", "<p>draft</p>")
    saved = send(client, "/letters/per-person/edit", {"body": body})
    assert saved.status_code == 302  # it passes the checks: it prints with the sample data
    people = {"jurisdictions-0-people": "0", "jurisdictions-1-people": "0"}
    reference = reference_from(send(client, "/incidents/new", incident_form(**people)))
    with app.app_context():
        obligation = get_incident(reference).obligations[0].id
    before = counts(app)
    data = {"template": template, "generate": "y"}
    response = send(client, f"/obligations/{obligation}/documents/new", data)
    assert response.status_code == 422 and b"does not render for this incident" in response.data
    assert counts(app) == before


# ---------------------------------------------------------------------------------------------
# Values that outgrow their column after validation
# ---------------------------------------------------------------------------------------------


def test_a_501_character_rationale_is_recorded(app, client, obligation_ids):
    obligation = obligation_ids["nis2.early_warning:DE"]
    rationale = "No notification is required: " + "x" * 472
    assert len(rationale) == 501
    response = send(client, f"/obligations/{obligation}/decision", {"rationale": rationale})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Obligation, obligation).decisions[-1].rationale == rationale


def test_a_package_url_that_grows_when_canonicalised_is_refused_or_saved(app, client, editor):
    purl = "pkg:pypi/" + "ä" * 280  # 289 characters typed, 1,689 once percent-encoded
    before = counts(app)
    response = send(client, "/incidents/new", incident_form(**{"parties-0-package_url": purl}))
    if response.status_code == 302:
        with app.app_context():
            incident = db.session.execute(db.select(Incident)).scalar_one()
            assert len(incident.parties[0].package_url) <= 300
    else:
        assert response.status_code == 200 and b"Package URL" in response.data
        assert counts(app) == before


def test_a_login_email_that_grows_when_lowercased_is_not_500(app, make_user):
    make_user("dpo")
    response = send(app.test_client(), "/auth/login", {"email": "İ" * 254, "password": "x"})
    assert response.status_code == 200 and b"Unknown e-mail or wrong password" in response.data


def test_a_rationale_of_padding_is_refused(app, client, obligation_ids):
    obligation = obligation_ids["nis2.early_warning:DE"]
    response = send(client, f"/obligations/{obligation}/decision", {"rationale": "a" + " " * 25})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Obligation, obligation).decisions == []


# ---------------------------------------------------------------------------------------------
# Found along the way (the fuzzed password form saves without an audit row)
# ---------------------------------------------------------------------------------------------


def test_a_password_change_is_in_the_audit_trail(app, client, editor):
    new = "a perfectly fine passphrase 42"
    data = {"current": PASSWORD, "new": new, "confirm": new}
    assert send(client, "/auth/password", data).status_code == 302
    with app.app_context():
        events = db.session.execute(
            db.select(AuditEvent).filter_by(entity="user", action="update")
        ).scalars()
        assert [event.entity_id for event in events] == [str(editor.id)]
