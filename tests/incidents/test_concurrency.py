"""Two people change the same things at once: a stale save is refused, explained and kept;
writers of an incident's obligations queue on the incident's row."""

import threading

from sqlalchemy import select, update

from incident_tracker.extensions import db
from incident_tracker.models import Incident, Organization
from tests.assessments.test_enisa import SENSITIVE, enisa
from tests.helpers import (
    ORGANIZATION_FORM,
    edit_form,
    get_incident,
    incident_form,
    reference_from,
    with_version,
)

ENISA_HIGH = {**enisa(SENSITIVE, ei="significant", conf="known_recipients"), "decision": "high"}


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
    profile = {**ORGANIZATION_FORM, "name": "First"}
    first = with_version(client, "/organization/", profile)
    second = with_version(client, "/organization/", {**profile, "name": "Second"})
    assert client.post("/organization/", data=first).status_code == 302
    response = client.post("/organization/", data=second)
    assert response.status_code == 409
    assert "Someone else saved the profile" in response.data.decode()
    with app.app_context():
        assert db.session.get(Organization, 1).name == "First"


def test_a_filing_and_closing_its_incident_at_once_wait_for_each_other(app, client, as_role):
    """Closing an incident rewrites its obligations' rows (migration 0012) while holding the
    incident's; a filing locks the incident's row before the obligation's, so it waits for the
    edit to end instead of holding the obligation the edit needs (a deadlock, which PostgreSQL
    ends by failing one of them). SQLite has one write lock for the whole database."""
    as_role("dpo")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            return
        incident = get_incident(reference)
        row = next(row for row in incident.obligations if row.status == "open")
        incident_id, url = incident.id, f"/obligations/{row.id}/filings"
        db.session.remove()
        with db.engine.connect() as editor:  # an edit closing the incident, as incidents.edit
            claim = update(Incident).where(Incident.id == incident_id)  # versions.claim
            editor.execute(claim.values(version=Incident.version + 1))
            filed = _post_in_thread(client, url, {"submitted_at": "2026-03-28 10:00"})
            assert not filed.done.wait(1.0)  # the filing waits for the edit...
            closing = update(Incident).where(Incident.id == incident_id).values(status="closed")
            editor.execute(closing)  # ...which rewrites every obligation's row, the filed one too
            editor.commit()
        filed.join(10)
        assert filed.status == 302
        assert get_incident(reference).status == "closed"


def test_a_profile_change_waits_for_a_filing_in_progress(app, client, as_role):
    """Regenerating every live incident after a profile change locks the incidents first, as a
    filing holds its incident while it writes: the change waits for the filing, instead of
    rewriting obligations the filing may need next."""
    as_role("admin")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            return
        incident_id = get_incident(reference).id
        db.session.remove()
        with db.engine.connect() as filing:  # a filing in progress: its incident's row locked
            locked = select(Incident.id).where(Incident.id == incident_id).with_for_update()
            filing.execute(locked)
            # A new name moves no deadline and writes no timeline: only the lock makes it wait.
            renamed = {**ORGANIZATION_FORM, "name": "Example SE"}
            changed = _post_in_thread(
                client, "/organization/", with_version(client, "/organization/", renamed)
            )
            assert not changed.done.wait(1.0)  # the profile change waits for the filing
            filing.commit()
        changed.join(10)
        assert changed.status == 302
        assert db.session.get(Organization, 1).name == "Example SE"


class _Post(threading.Thread):
    def __init__(self, client, url: str, data: dict):
        super().__init__(daemon=True)
        self.client, self.url, self.data = client, url, data
        self.done, self.status = threading.Event(), None

    def run(self) -> None:
        self.status = self.client.post(self.url, data=self.data).status_code
        self.done.set()


def _post_in_thread(client, url: str, data: dict) -> _Post:
    post = _Post(client, url, data)
    post.start()
    return post


def test_a_change_of_the_register_waits_for_a_filing_in_its_incident(app, client, as_role):
    """A counterparty's change regenerates every open incident it is involved in: it locks them
    first, in id order, as the profile's change does, so it waits for a filing holding one."""
    as_role("dpo")
    party = {"name": "Acme AI", "kind": "customer", "country": "de", "timezone": "Europe/Berlin"}
    registered = client.post("/counterparties/new", data=party)
    assert registered.status_code == 302, registered.data
    party_url = registered.headers["Location"]
    parties = {"parties-0-name": "Acme AI", "parties-0-kind": "customer"}
    reference = reference_from(
        client.post(
            "/incidents/new",
            data=incident_form(**parties, **{"parties-0-role": "affected_customer"}),
        )
    )
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            return
        incident_id = get_incident(reference).id
        db.session.remove()
        with db.engine.connect() as filing:  # a filing in progress: its incident's row locked
            filing.execute(select(Incident.id).where(Incident.id == incident_id).with_for_update())
            # New notes move no deadline and write nothing of the incident: only a lock waits.
            changed = _post_in_thread(client, f"{party_url}/edit", {**party, "notes": "Renewed."})
            assert not changed.done.wait(1.0)  # the register's change waits for the filing
            filing.commit()
        changed.join(10)
        assert changed.status == 302


def test_an_edit_form_read_before_an_assessment_decision_cannot_set_the_risk_back(
    app, client, as_role, make_user, login
):
    """A decision changes the incident's facts through the same versioned write path as an edit:
    the commander's form, read before the DPO decided, is stale (409) and changes nothing."""
    as_role("dpo")
    reference = reference_from(client.post("/incidents/new", data=incident_form(gdpr_risk="")))
    commander = app.test_client()
    login(make_user("commander"), on=commander)
    stale = edit_form(commander, reference, gdpr_risk="unlikely")
    decided = client.post(
        f"/incidents/{reference}/assessments/enisa", data={**ENISA_HIGH, "record": "1"}
    )
    assert decided.status_code == 302, decided.data.decode()[:2000]
    answer = commander.post(f"/incidents/{reference}/edit", data=stale)
    assert answer.status_code == 409
    with app.app_context():
        assert get_incident(reference).gdpr_risk == "high"
