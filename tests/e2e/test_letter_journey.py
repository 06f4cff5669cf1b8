"""Legal edits the GDPR Art. 33 template, previews it, generates the notice, reads the download."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
ADDED = "<p>Checked by legal before sending.</p>"


def pdf_text(download, tmp_path) -> str:
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_legal_edits_previews_generates_and_downloads(page, log_in, tmp_path):
    log_in("legal")
    page.get_by_role("link", name="Letters").click()
    page.get_by_role("link", name="GDPR Art. 33 notification to a supervisory authority").click()
    page.get_by_label("Name of the copy").fill("Our GDPR Art. 33 notification")
    page.get_by_role("button", name="Copy to edit").click()

    body = page.get_by_label("Template")
    body.fill(body.input_value() + "\n" + ADDED + "\n")
    with page.expect_download() as preview:
        page.get_by_role("button", name="Preview PDF (sample data)").click()
    assert "Checked by legal before sending." in pdf_text(preview.value, tmp_path)
    page.get_by_label("What changed").fill("Legal review line")
    page.get_by_role("button", name="Save as a new revision").click()
    expect(page.locator("#revisions")).to_contain_text("Legal review line")

    page.goto("/incidents/INC-2026-0001")
    page.locator("table.obligations").get_by_role(
        "link", name="GDPR supervisory authority notification"
    ).click()
    page.get_by_role("link", name="Draft a document").click()
    choice = page.locator(
        "#template option", has_text="Our GDPR Art. 33 notification (our copy, revision 2)"
    )
    page.get_by_label("Template").select_option(value=choice.get_attribute("value"))
    page.get_by_role("button", name="Generate and archive").click()
    expect(page.get_by_text("Document generated and archived")).to_be_visible()

    digest = page.locator("#document-list code").first.inner_text()
    with page.expect_download() as final:
        page.locator("#document-list a").first.click()
    text = pdf_text(final.value, tmp_path)
    for expected in (
        "INC-2026-0001",
        "Aoife Byrne",
        "Checked by legal before sending.",
        "Page 1 of",
    ):
        assert expected in text
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
