"""Generating, archiving and downloading documents for an obligation."""

import hashlib
import subprocess

import pytest

from incident_tracker.extensions import db
from incident_tracker.models import Document, LetterTemplate, Obligation, TemplateRevision
from tests.helpers import get_incident, incident_form, reference_from

BODY = (
    '<h1 data-reference="{{ incident.reference }}">{{ incident.title }}</h1>\n'
    "<p>{{ incident.people_total }} people; DPO {{ organization.dpo_name }}</p>\n"
    "{% if letter.is_late %}<p>Reasons for the delay: {{ letter.delay_reasons }}</p>{% endif %}\n"
)


@pytest.fixture
def setup(app, client, as_role):
    """An incident (with a hostile title) and a template for its GDPR notice."""
    as_role("legal")
    with app.app_context():
        template = LetterTemplate(
            key="sa", name="SA notice", shipped=True, rule_ids="gdpr.sa_notification"
        )
        template.revisions.append(TemplateRevision(number=1, body=BODY))
        db.session.add(template)
        db.session.commit()
        template_id = template.id
    as_role("dpo")
    title = "<script>alert('x')</script> breach"
    reference = reference_from(client.post("/incidents/new", data=incident_form(title=title)))
    with app.app_context():
        row = next(
            r for r in get_incident(reference).obligations if r.rule_id == "gdpr.sa_notification"
        )
        return row.id, template_id, reference


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _count(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(Document)).scalar_one()


def test_preview_is_a_pdf_and_archives_nothing(app, client, setup, tmp_path):
    obligation_id, template_id, _ = setup
    response = client.post(
        f"/obligations/{obligation_id}/documents/new",
        data={"template": template_id, "preview": "y"},
    )
    assert response.mimetype == "application/pdf"
    assert _count(app) == 0


def test_hostile_title_is_printed_literally_in_the_pdf(client, setup, tmp_path):
    obligation_id, template_id, _ = setup
    response = client.post(
        f"/obligations/{obligation_id}/documents/new",
        data={"template": template_id, "preview": "y"},
    )
    assert "<script>alert('x')</script> breach" in _text(response.data, tmp_path)


def test_generate_archives_html_pdf_and_hashes_and_download_returns_the_same_bytes(
    app, client, setup, tmp_path
):
    obligation_id, template_id, reference = setup
    data = {"template": template_id, "generate": "y", "delay_reasons": "Portal outage."}
    response = client.post(f"/obligations/{obligation_id}/documents/new", data=data)
    assert response.headers["Location"] == f"/obligations/{obligation_id}#documents"
    with app.app_context():
        document = db.session.execute(db.select(Document)).scalar_one()
        assert hashlib.sha256(document.pdf).hexdigest() == document.pdf_sha256
        assert hashlib.sha256(document.html.encode()).hexdigest() == document.html_sha256
        assert "&lt;script&gt;" in document.html and "<script>alert" not in document.html
        document_id, stored, digest = document.id, document.pdf, document.pdf_sha256
        assert any(
            "PDF SHA-256 " + digest in event.text for event in get_incident(reference).events
        )
    download = client.get(f"/documents/{document_id}/download")
    assert download.data == stored and download.headers["X-Content-SHA256"] == digest
    assert (
        download.headers["Content-Disposition"]
        == f'attachment; filename="{reference}-gdpr.sa_notification-{document_id}.pdf"'
    )
    assert "Reasons for the delay: Portal outage." in _text(
        download.data, tmp_path
    )  # the 2026 deadline passed
    assert digest in client.get(f"/obligations/{obligation_id}").data.decode()


def test_archived_documents_never_change(app, client, setup):
    obligation_id, template_id, _ = setup
    client.post(
        f"/obligations/{obligation_id}/documents/new",
        data={"template": template_id, "generate": "y"},
    )
    with app.app_context():
        document = db.session.execute(db.select(Document)).scalar_one()
        document.pdf = b"%PDF-forged"
        with pytest.raises(PermissionError):
            db.session.commit()
        db.session.rollback()


def test_a_filing_records_the_document_sent(app, client, setup):
    obligation_id, template_id, _ = setup
    client.post(
        f"/obligations/{obligation_id}/documents/new",
        data={"template": template_id, "generate": "y"},
    )
    with app.app_context():
        document_id = db.session.execute(db.select(Document.id)).scalar_one()
    data = {"submitted_at": "2026-03-29 10:00", "document": str(document_id)}
    assert client.post(f"/obligations/{obligation_id}/filings", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Obligation, obligation_id).filings[0].document_id == document_id


def test_a_template_that_fails_for_this_incident_is_explained(app, client, setup):
    obligation_id, _, _ = setup
    with app.app_context():
        broken = LetterTemplate(key="broken", name="Broken", rule_ids="")
        broken.revisions.append(TemplateRevision(number=1, body="{{ incident.places[5].name }}"))
        db.session.add(broken)
        db.session.commit()
        broken_id = broken.id
    response = client.post(
        f"/obligations/{obligation_id}/documents/new", data={"template": broken_id, "generate": "y"}
    )
    assert response.status_code == 422 and b"does not render for this incident" in response.data
    assert _count(app) == 0


def test_viewer_cannot_generate(client, setup, make_user, login):
    obligation_id, template_id, _ = setup
    login(make_user("viewer"))
    response = client.post(
        f"/obligations/{obligation_id}/documents/new",
        data={"template": template_id, "generate": "y"},
    )
    assert response.status_code == 403
