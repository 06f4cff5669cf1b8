"""Deciding with evidence, in a browser: the DPO assesses the live demo incident with ENISA's
method, records the proposed level and sees the clocks follow; then decides otherwise, with the
reason, and the history keeps both decisions."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
INCIDENT = "INC-2026-0002"
SA_NOTICE = '#deadlines tr[data-obligation="gdpr.sa_notification:IE"]'


def fill_low_severity(page) -> None:
    """Contact data of little use to anyone: SE = 1 x 0.25 + 0 = 0.25, low."""
    rows = page.locator("#categories tbody tr")
    for index in range(rows.count()):
        rows.nth(index).get_by_label("Data type").select_option("")
        rows.nth(index).get_by_label("Why this type and adjustment").fill("")
    rows.nth(0).get_by_label("Data type").select_option("simple")
    rows.nth(0).get_by_label("Why this type and adjustment").fill("Business contact data only.")
    choices = {
        "identification": ("negligible", "Only internal user ids; no names."),
        "confidentiality": ("exposed", "Read by our own CI job, no sign of misuse."),
        "integrity": ("none", "Nothing was changed."),
        "availability": ("none", "Nothing was lost."),
        "malicious": ("no", "A misconfigured job of ours, not an attacker."),
    }
    for name, (value, why) in choices.items():
        page.locator(f"#{name}").select_option(value)
        page.locator(f"#{name}_rationale").fill(why)


def test_the_decided_level_drives_the_clocks_and_the_history_keeps_why(page, log_in):
    log_in("dpo")
    page.goto(f"/?incident={INCIDENT}")
    expect(page.locator(SA_NOTICE)).to_be_visible()  # the demo's GDPR risk: high

    page.goto(f"/incidents/{INCIDENT}/assessments/enisa")
    fill_low_severity(page)
    page.get_by_role("button", name="Assess").click()
    expect(page.locator("#proposal .proposal")).to_have_text("unlikely to result in a risk")
    expect(page.locator("#proposal .summary")).to_contain_text("0.25")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#assessment-enisa .decision")).to_have_text("unlikely")

    page.goto(f"/?incident={INCIDENT}")  # no notification to the authority is owed any more
    expect(page.locator(SA_NOTICE)).to_have_count(0)

    page.goto(f"/incidents/{INCIDENT}/assessments/enisa")
    page.get_by_role("button", name="Assess").click()
    page.get_by_label("Decision").select_option("high")
    page.get_by_label("Reason, when deciding otherwise").fill(
        "The job also copied contractors' identity documents: the score understates it."
    )
    page.get_by_role("button", name="Record the decision").click()
    section = page.locator("#assessment-enisa")
    expect(section.locator(".decision")).to_have_text("high")
    expect(section).to_contain_text("identity documents")
    expect(page.locator("#assessment-history tbody tr")).to_have_count(2)

    page.goto(f"/?incident={INCIDENT}")
    expect(page.locator(SA_NOTICE)).to_be_visible()
