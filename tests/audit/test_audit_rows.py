"""The rows of audit tables (filters.audit_row): every value escaped, updates as before -> after,
absent values as the empty-set sign; and the incident page and the audit log show them."""

import json
from datetime import UTC, datetime

import pytest

from incident_tracker.models import AuditEvent
from incident_tracker.web.filters import audit_row
from tests.helpers import edit_form, incident_form, reference_from

AT = datetime(2026, 3, 27, 16, 30, tzinfo=UTC)  # 17:30 CET


def _event(action: str, before: dict | None, after: dict | None, **fields) -> AuditEvent:
    values = {
        "id": 42,
        "at": AT,
        "actor": "dpo@example.org",
        "address": "127.0.0.1",
        "entity": "affected_jurisdiction",
        "entity_id": "7",
    }
    values.update(fields)
    dump = lambda data: json.dumps(data) if data is not None else None  # noqa: E731
    return AuditEvent(action=action, before=dump(before), after=dump(after), **values)


@pytest.fixture
def request_ctx(app, org):
    with app.test_request_context("/"):
        yield


def test_an_update_shows_each_changed_value_before_and_after(request_ctx):
    event = _event(
        "update",
        {"people": 10, "code": "DE", "records": None},
        {"people": 12, "code": "DE", "records": 5},
    )
    row = str(audit_row(event))
    assert row.startswith("<tr><td>42</td><td><time ")
    assert "2026-03-27 17:30 CET" in row
    assert "<td>update affected jurisdiction 7</td>" in row  # underscores read as words
    assert '<div><code>people</code>: <span class="text-muted">10</span> \u2192 12</div>' in row
    assert '<div><code>records</code>: <span class="text-muted">\u2205</span> \u2192 5</div>' in row
    assert "<code>code</code>" not in row  # unchanged values are not repeated


def test_an_insert_shows_values_without_a_before(request_ctx):
    row = str(audit_row(_event("insert", None, {"title": "Lost laptop", "owner_id": None})))
    assert "<div><code>title</code>: Lost laptop</div>" in row
    assert "<div><code>owner_id</code>: \u2205</div>" not in row  # None to None is no change
    assert "text-muted" not in row and "\u2192" not in row


def test_everything_a_user_typed_is_escaped(request_ctx):
    hostile = "<script>alert(1)</script>"
    event = _event(
        "update",
        {"title": "a & b"},
        {"title": hostile, hostile: True},
        actor=hostile,
        address=None,
        entity_id=hostile,
    )
    row = str(audit_row(event))
    assert "<script>" not in row
    assert row.count("&lt;script&gt;") == 4  # the actor, the row's id, a value and a field name
    assert "<td></td>" in row  # no address
    assert '<span class="text-muted">a &amp; b</span>' in row
    assert '<span class="text-muted">\u2205</span> \u2192 True' in row


def test_the_incident_page_and_the_audit_log_show_an_edit(client, as_role):
    as_role("dpo")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    client.post(f"/incidents/{reference}/edit", data=edit_form(client, reference, title="Renamed"))
    shown = (
        '<code>title</code>: <span class="text-muted">Credential theft via poisoned dependency'
        "</span> \u2192 Renamed</div>"
    )
    assert shown in client.get(f"/incidents/{reference}").get_data(as_text=True)
    assert shown in client.get("/audit/").get_data(as_text=True)
