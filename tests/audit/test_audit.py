"""The audit trail: every change with who, when, where, before and after; tampering caught."""

import json

import pytest
from sqlalchemy import text

from incident_tracker.audit import trail as audit
from incident_tracker.extensions import db
from incident_tracker.models import AuditEvent
from tests.helpers import edit_form, get_incident, incident_form, reference_from


@pytest.fixture
def recorded(client, as_role):
    """An incident recorded and edited through the web, by a DPO."""
    user = as_role("dpo")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    client.post(f"/incidents/{reference}/edit", data=edit_form(client, reference, title="Renamed"))
    return user, reference


def _events(app, **filters) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.execute(
            db.select(AuditEvent).filter_by(**filters).order_by(AuditEvent.id)
        ).scalars()
        return [
            (row.action, row.entity, row.actor, row.address, row.before, row.after) for row in rows
        ]


def test_an_edit_records_who_from_where_before_and_after(app, recorded):
    user, _ = recorded
    updates = [e for e in _events(app, entity="incident") if e[0] == "update"]
    action, _, actor, address, before, after = updates[-1]
    assert (actor, address) == (user.email, "127.0.0.1")
    assert json.loads(before)["title"] == "Credential theft via poisoned dependency"
    assert json.loads(after)["title"] == "Renamed"


def test_every_kind_of_row_is_audited(app, recorded):
    entities = {event[1] for event in _events(app)}
    assert {
        "incident",
        "affected_jurisdiction",
        "incident_party",
        "obligation",
        "timeline_event",
        "user",
        "organization",
    } <= entities


def test_passwords_are_never_written_to_the_audit_trail(app, recorded):
    users = _events(app, entity="user")
    hashes = [json.loads(e[5])["password_hash"] for e in users]
    assert hashes and all(value.startswith("fingerprint:") for value in hashes)
    assert all("scrypt" not in (e[4] or "") + (e[5] or "") for e in users)


def test_the_chain_verifies_and_the_cli_says_so(app, runner, recorded):
    with app.app_context():
        assert audit.verify().intact
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "audit chain intact" in result.output


TAMPERING = [
    (
        "UPDATE audit_event SET after = replace(after, 'Renamed', 'Innocent') "
        "WHERE entity = 'incident'",
        "was altered",
    ),
    ("UPDATE audit_event SET actor = 'someone.else@example.org' WHERE id = 3", "row 3 was altered"),
    ("DELETE FROM audit_event WHERE id = 4", "row 4 is missing (deleted)"),
    ("DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)", "rows were deleted"),
    ("UPDATE audit_event SET prev_hash = hash WHERE id = 5", "row 5 does not follow row 4"),
]


@pytest.mark.parametrize("statement,message", TAMPERING)
def test_tampering_in_the_database_is_caught_and_named(app, runner, recorded, statement, message):
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text(statement))
        verdict = audit.verify()
    assert not verdict.intact and message in verdict.message
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and message in result.output


def test_a_forged_row_inserted_in_the_middle_is_caught(app, recorded):
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE audit_event SET id = id + 1000 WHERE id >= 6"))
            connection.execute(
                text(
                    "INSERT INTO audit_event "
                    "(id, at, actor, action, entity, entity_id, prev_hash, hash) "
                    "SELECT 6, at, actor, action, entity, entity_id, hash, hash "
                    "FROM audit_event WHERE id = 5"
                )
            )
        verdict = audit.verify()
    assert not verdict.intact and "row 6 was altered" in verdict.message


def test_the_incident_page_shows_its_audit_history(client, recorded):
    _, reference = recorded
    page = client.get(f"/incidents/{reference}").data.decode()
    history = page.split('id="audit"')[1]
    assert "update incident" in history and "Renamed" in history and "dpo@example.org" in history


def test_the_global_log_is_for_admins_and_dpos(app, client, recorded, make_user, login):
    page = client.get("/audit/").data.decode()
    assert "update incident" in page and "Verify the chain" in page
    assert "audit chain intact" in client.get("/audit/?verify=1").data.decode()
    login(make_user("commander"))
    assert client.get("/audit/").status_code == 403


def test_a_document_pdf_is_audited_by_hash_not_by_content(app, recorded):
    with app.app_context():
        incident = get_incident(recorded[1])
        assert incident.id
    assert all("%PDF" not in (e[5] or "") for e in _events(app))


def test_the_chain_is_read_in_batches_in_order(app, recorded):
    with app.app_context():
        ids = [row["id"] for row in audit._rows_in_order(batch=3)]
    assert ids == list(range(1, len(ids) + 1)) and len(ids) > 6
