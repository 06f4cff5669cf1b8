"""XSS and template-injection payloads in every free-text field come out escaped, everywhere.

Each payload goes, through the forms, into every free-text field of an incident, a timeline note,
a filing, a not-required decision, the organization profile and a template copy's name. Every page
that shows them must contain the HTML-escaped text and never the raw markup; ``{{ 7*7 }}`` must
never be evaluated. Documents generated from a staff template and from a shipped one must archive
HTML with the payloads escaped, and print them literally in the PDF.
"""

import re

import pytest
from markupsafe import escape

from incident_tracker.extensions import db
from incident_tracker.models import Document, Obligation
from tests.helpers import ORGANIZATION_FORM, get_incident, incident_form, reference_from
from tests.hostile.hostile_support import (
    add_staff_template,
    fetch,
    pdf_text,
    send,
    squeeze,
    template_id,
)

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "{% raw %}",
    "</textarea><script>",
    "'><svg onload=alert(1)>",
]
# Markup that must never reach a page or an archived document unescaped.
DANGEROUS = ("<script>", "<img src=x", "<svg onload", "</textarea><script")

INCIDENT_FIELDS = (
    "title",
    "summary",
    "root_cause",
    "consequences",
    "measures_taken",
    "gdpr_risk_rationale",
    "nis2_significance_rationale",
    "parties-0-name",
    "parties-0-notes",
)
ORGANIZATION_FIELDS = ("name", "dpo_name", "dpo_phone", "nis2_sector")
PROFILE = {**ORGANIZATION_FORM, "dpo_email": "dpo@example.de"}
FILED = "gdpr.sa_notification:DE"
DECIDED = "nis2.early_warning:DE"


def tagged(name: str, payload: str) -> str:
    """The payload behind a label, so that each field can be found (and ``[label]49`` spotted).

    The label has no hyphen: the PDF may break a line after one, and the text would not match.
    """
    return f"[{name.replace('parties-0-', 'party_')}]{payload}"


def assert_safe(page: str, where: str, shown: dict[str, str] = None) -> None:
    """The page shows these values escaped, contains no raw markup, and evaluated no template."""
    for name, value in (shown or {}).items():
        assert str(escape(value)) in page, f"{name} ({value!r}) is not shown escaped on {where}"
    for marker in DANGEROUS:
        assert marker not in page, f"raw {marker!r} on {where}"
    lowered = page.lower()
    assert 'href="javascript:' not in lowered and 'src="javascript:' not in lowered, where
    assert not re.search(r"\[[\w-]+\]49\b", page), f"a template expression was evaluated on {where}"


@pytest.fixture(params=PAYLOADS)
def payload(request):
    return request.param


@pytest.fixture
def hostile(app, client, make_user, login, shipped, payload):
    """Every free-text field filled with the payload through the forms."""
    login(make_user("dpo"))
    organization = {name: tagged(name, payload) for name in ORGANIZATION_FIELDS}
    assert send(client, "/organization/", {**PROFILE, **organization}).status_code == 302
    incident = {name: tagged(name, payload) for name in INCIDENT_FIELDS}
    reference = reference_from(send(client, "/incidents/new", incident_form(**incident)))
    with app.app_context():
        ids = {f"{r.rule_id}:{r.jurisdiction}": r.id for r in get_incident(reference).obligations}
    note = {"note": tagged("note", payload)}
    response = send(
        client,
        f"/incidents/{reference}/notes",
        {"occurred_at": "2026-03-28 09:00", "text": note["note"]},
    )
    assert response.status_code == 302
    filing = {
        name: tagged(name, payload) for name in ("recipient_reference", "note", "delay_reasons")
    }
    response = send(
        client,
        f"/obligations/{ids[FILED]}/filings",
        {"submitted_at": "2026-04-02 10:00", **filing},  # after the deadline: late
    )
    assert response.status_code == 302, response.data[:2000]
    decision = {"rationale": tagged("rationale", payload) + " (no notification is required)"}
    assert send(client, f"/obligations/{ids[DECIDED]}/decision", decision).status_code == 302
    return {
        "reference": reference,
        "ids": ids,
        "organization": organization,
        "incident": incident,
        "note": note,
        "filing": filing,
        "decision": decision,
    }


def test_incident_pages_show_every_field_escaped(client, hostile):
    reference = hostile["reference"]
    incident = hostile["incident"]
    page = fetch(client, f"/incidents/{reference}")
    timeline = {
        "note": hostile["note"]["note"],
        "recipient_reference": hostile["filing"]["recipient_reference"],
        "rationale": hostile["decision"]["rationale"],
    }
    assert_safe(page, "the incident page", {**incident, **timeline})
    assert_safe(fetch(client, f"/incidents/{reference}/edit"), "the edit form", incident)
    assert_safe(fetch(client, "/incidents/"), "the incident list", {"title": incident["title"]})


def test_obligation_pages_show_filings_and_decisions_escaped(client, hostile):
    ids, title = hostile["ids"], hostile["incident"]["title"]
    filed = fetch(client, f"/obligations/{ids[FILED]}")
    assert_safe(filed, "the filed obligation", {"title": title, **hostile["filing"]})
    decided = fetch(client, f"/obligations/{ids[DECIDED]}")
    assert_safe(decided, "the decided obligation", {"title": title, **hostile["decision"]})
    assert_safe(fetch(client, "/"), "the dashboard")


def test_audit_log_shows_every_value_escaped(client, hostile):
    pages = {
        entity: fetch(client, "/audit/", query_string={"entity": entity})
        for entity in (
            "organization",
            "incident",
            "incident_party",
            "timeline_event",
            "filing",
            "notification_decision",
        )
    }
    parties = {k: v for k, v in hostile["incident"].items() if k.startswith("parties-")}
    scalars = {k: v for k, v in hostile["incident"].items() if not k.startswith("parties-")}
    assert_safe(pages["organization"], "the audit log (organization)", hostile["organization"])
    assert_safe(pages["incident"], "the audit log (incident)", scalars)
    assert_safe(pages["incident_party"], "the audit log (parties)", parties)
    assert_safe(pages["timeline_event"], "the audit log (timeline)", hostile["note"])
    assert_safe(pages["filing"], "the audit log (filings)", hostile["filing"])
    assert_safe(pages["notification_decision"], "the audit log (decisions)", hostile["decision"])
    assert_safe(fetch(client, "/audit/"), "the audit log")


def test_organization_page_shows_the_profile_escaped(client, hostile):
    page = fetch(client, "/organization/")
    assert_safe(page, "the organization page", hostile["organization"])


def test_search_and_filter_parameters_are_reflected_escaped(client, hostile, payload):
    page = fetch(client, "/incidents/", query_string={"q": payload})
    assert_safe(page, "the incident search", {"q": payload})
    assert_safe(fetch(client, "/", query_string={"jurisdiction": payload}), "the dashboard filter")
    assert_safe(fetch(client, "/audit/", query_string={"entity": payload}), "the audit filter")


def test_refused_forms_echo_the_input_and_messages_escaped(client, editor, payload):
    """A refused form shows the typed values and the error messages (which quote them) escaped."""
    data = incident_form(
        title=tagged("title", payload),
        occurred_at=payload,
        **{"jurisdictions-0-code": payload[:6], "parties-0-package_url": payload},
    )
    response = send(client, "/incidents/new", data)
    assert response.status_code == 200
    page = response.data.decode()
    assert_safe(page, "the refused incident form", {"title": data["title"]})
    assert "is not a date and time" in page or "does not exist" in page
    dated = send(client, "/incidents/new", {"title": "x", "occurred_at": payload + " 10:00"})
    assert_safe(dated.data.decode(), "the refused incident form (date)")


def test_template_names_and_bodies_are_shown_escaped(app, client, editor, shipped, payload):
    name = tagged("copy", payload)
    response = send(client, "/letters/gdpr_art33_authority/copy", {"name": name})
    assert response.status_code == 302
    edit_url = response.headers["Location"]
    key = edit_url.split("/")[2]
    flashed = fetch(client, edit_url)
    assert_safe(flashed, "the template editor (with the flash message)", {"name": name})
    assert_safe(fetch(client, "/letters/"), "the template list", {"name": name})
    assert_safe(fetch(client, f"/letters/{key}"), "the template page", {"name": name})
    body = "<p>{{ incident.title }}</p>\n" + payload + "\n"
    saved = send(client, edit_url, {"body": body, "note": tagged("note", payload)})
    pages = [saved.data.decode()] if saved.status_code == 422 else []
    pages += [fetch(client, f"/letters/{key}"), fetch(client, edit_url)]
    for page in pages:
        assert_safe(page, "the template source")
    assert any(str(escape(payload)) in page for page in pages)


def _generate(app, client, obligation_id: int, template: int, extra: dict) -> Document:
    data = {"template": template, "generate": "y", **extra}
    response = send(client, f"/obligations/{obligation_id}/documents/new", data)
    assert response.status_code == 302, response.data[:2000]
    with app.app_context():
        document = db.session.get(Obligation, obligation_id).documents[-1]
        db.session.expunge(document)
        return document


def _check_document(document: Document, values: dict[str, str], what: str) -> None:
    assert_safe(document.html, f"the archived HTML of {what}", values)
    text = squeeze(pdf_text(document.pdf))
    # The layout may break a line anywhere ("</" then "script>"): compare without whitespace.
    bare = re.sub(r"\s", "", text)
    for name, value in values.items():
        assert re.sub(r"\s", "", value) in bare, f"{name} ({value!r}) is not printed in {what}"
    assert not re.search(r"\[[\w-]+\]49\b", text), f"a template expression was evaluated in {what}"


def test_documents_archive_escaped_html_and_print_the_payload_literally(
    app, client, hostile, payload
):
    letter = {name: tagged(name, payload) for name in ("delay_reasons", "additional_information")}
    obligation_id = hostile["ids"][FILED]
    common = {
        **hostile["incident"],
        "org_name": hostile["organization"]["name"],
        "dpo_name": hostile["organization"]["dpo_name"],
        "dpo_phone": hostile["organization"]["dpo_phone"],
        "filing_reference": hostile["filing"]["recipient_reference"],
        **letter,
    }
    staff = _generate(app, client, obligation_id, add_staff_template(app, "staff"), letter)
    _check_document(staff, common, "a document from a staff template")
    shipped = _generate(
        app, client, obligation_id, template_id(app, "gdpr_art33_authority"), letter
    )
    printed_by_art33 = {k: v for k, v in common.items() if k != "nis2_significance_rationale"}
    _check_document(shipped, printed_by_art33, "the GDPR Art. 33 notification")
    page = fetch(client, f"/obligations/{obligation_id}")
    assert_safe(page, "the obligation page listing the documents")
