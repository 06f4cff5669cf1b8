"""Editing letter templates: copy a shipped one, check it before saving, compare, restore."""

import subprocess

import pytest

from incident_tracker.extensions import db
from incident_tracker.models import LetterTemplate, TemplateRevision

BODY = (
    '<h1 data-reference="{{ incident.reference }}">Notice</h1>\n'
    "<p>{{ organization.dpo_name }}</p>\n"
)


@pytest.fixture
def shipped(app):
    """A shipped template (read-only in the app)."""
    with app.app_context():
        template = LetterTemplate(
            key="notice", name="Notice", shipped=True, rule_ids="gdpr.sa_notification"
        )
        template.revisions.append(TemplateRevision(number=1, body=BODY, note="shipped version"))
        db.session.add(template)
        db.session.commit()
    return "notice"


def _revisions(app, key) -> list[str]:
    with app.app_context():
        template = db.session.execute(db.select(LetterTemplate).filter_by(key=key)).scalar_one()
        return [revision.body for revision in template.revisions]


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_shipped_template_is_copied_not_edited(app, client, as_role, shipped):
    as_role("legal")
    assert client.get(f"/letters/{shipped}/edit").status_code == 403
    response = client.post(f"/letters/{shipped}/copy", data={"name": "Our notice"})
    assert response.headers["Location"] == "/letters/notice-copy-1/edit"
    assert _revisions(app, "notice-copy-1") == [BODY]


def test_a_save_is_checked_and_errors_name_the_line(app, client, as_role, shipped):
    as_role("legal")
    client.post(f"/letters/{shipped}/copy", data={"name": "Ours"})
    response = client.post(
        "/letters/notice-copy-1/edit", data={"body": "<p>ok</p>\n<p>{{ incident.titel }}</p>"}
    )
    assert response.status_code == 422
    assert "line 2: unknown variable &#39;incident.titel&#39;" in response.data.decode()
    bad = client.post(
        "/letters/notice-copy-1/edit", data={"body": '<img src="file:///etc/passwd">'}
    )
    assert bad.status_code == 422 and b"Error fetching" in bad.data
    assert _revisions(app, "notice-copy-1") == [BODY]


def test_every_save_is_a_new_revision_that_can_be_compared_and_restored(
    app, client, as_role, shipped
):
    as_role("dpo")
    client.post(f"/letters/{shipped}/copy", data={"name": "Ours"})
    edited = BODY + "<p>Phased notification: more information will follow.</p>\n"
    assert (
        client.post(
            "/letters/notice-copy-1/edit", data={"body": edited, "note": "phases"}
        ).status_code
        == 302
    )
    diff = client.get("/letters/notice-copy-1/compare", query_string={"a": 1, "b": 2}).data.decode()
    assert "+&lt;p&gt;Phased notification" in diff
    client.post("/letters/notice-copy-1/revisions/1/restore")
    assert _revisions(app, "notice-copy-1") == [BODY, edited, BODY]


def test_preview_of_a_draft_is_a_pdf_download_and_saves_nothing(
    app, client, as_role, shipped, tmp_path
):
    as_role("legal")
    client.post(f"/letters/{shipped}/copy", data={"name": "Ours"})
    response = client.post("/letters/notice-copy-1/preview", data={"body": BODY + "<p>Draft</p>"})
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Dr. Jana Schulz" in _pdf_text(response.data, tmp_path)
    assert _revisions(app, "notice-copy-1") == [BODY]


def test_a_saved_revision_previews_with_sample_data(client, as_role, shipped, tmp_path):
    as_role("viewer")
    response = client.get(f"/letters/{shipped}/revisions/1/preview")
    assert response.status_code == 200 and "INC-2026-0007" in _pdf_text(response.data, tmp_path)


@pytest.mark.parametrize("role", ["viewer", "commander"])
def test_only_legal_dpo_and_admin_edit_templates(client, as_role, shipped, role):
    as_role(role)
    assert client.post(f"/letters/{shipped}/copy", data={"name": "x"}).status_code == 403


def test_variables_page_documents_every_variable_with_an_example(client, as_role):
    as_role("legal")
    page = client.get("/letters/variables").data.decode()
    assert "incident.people_total" in page and "1810" in page
    assert "organization.dpo_email" in page and "dpo@example.de" in page


def test_template_source_is_shown_as_text_never_as_html(client, as_role, shipped):
    as_role("viewer")
    page = client.get(f"/letters/{shipped}").data.decode()
    assert "&lt;h1 data-reference=" in page and '<h1 data-reference="{{' not in page
