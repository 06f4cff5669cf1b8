"""The supply chain in a browser: a DPO marks the two poisoned LiteLLM releases compromised, sees
what they reach in the demo's register, opens the incidents in one action, and drafts and sends
the notice to an AI-lab customer, whose own GDPR clock then shows."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
DUBLIN = ZoneInfo("Europe/Dublin")
RELEASES = ("pkg:pypi/litellm@1.82.7", "pkg:pypi/litellm@1.82.8")


def wall(instant: datetime) -> str:
    return f"{instant.astimezone(DUBLIN):%Y-%m-%d %H:%M}"


def test_a_compromised_release_reaches_every_customer_with_its_clocks(page, log_in):
    known = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=20)
    log_in("dpo")

    page.goto("/releases/new")
    page.get_by_label("Compromised releases").fill("\n".join(RELEASES))
    page.get_by_label("Advisory").fill("Credential-stealing payload in both releases.")
    page.get_by_label("Known at").fill(wall(known))
    page.get_by_role("button", name="Mark compromised").click()

    # The exposure: our systems in the range, the vendor, the customers, their contracts.
    page.wait_for_url(re.compile(r"/releases/exposure"))
    for release in RELEASES:
        section = page.locator(f'section.release[data-release="{release}"]')
        expect(section).to_contain_text("Talent platform API")
        expect(section).to_contain_text("CI workers")
        expect(section).not_to_contain_text("Evaluation pipeline")  # pinned to 1.82.6
        expect(section).to_contain_text("Interviewly Video Ltd")
        expect(section).to_contain_text("Northwind AI")
        expect(section).to_contain_text("Contoso Frontier Models")
        expect(section).to_contain_text("Data Processing Agreement 2025")

    for box in page.locator('input[name="releases"]').all():
        box.check()
    page.get_by_role("button", name="Open incidents").click()

    # One action: one incident for our systems and one for the vendor, with contractual clocks.
    page.wait_for_url(re.compile(r"/releases/opened"))
    rows = page.locator("#opened tbody tr")
    expect(rows).to_have_count(2)
    references = [row.get_attribute("data-reference") for row in rows.all()]
    ours = references[0]

    page.goto(f"/?incident={ours}")
    expect(
        page.locator('#deadlines tr[data-obligation="contract.contoso-dpa-8-1:FR"]')
    ).to_contain_text("Clause 8.1")
    expect(page.locator('#deadlines tr[data-obligation="gdpr.sa_notification:IE"]')).to_be_visible()

    # The cascade: draft the customers' notices in bulk, send one, see the clock it starts.
    page.goto(f"/incidents/{ours}/customer-notices")
    expect(page.locator("#customer-notices")).to_contain_text("Northwind AI")
    page.get_by_role("button", name="Generate notices").click()
    contoso = page.locator("#customer-notices tr", has_text="Contoso Frontier Models")
    expect(contoso.locator(".notice-status")).to_have_text("drafted")
    expect(contoso.locator(".customer-clock")).to_contain_text("If sent now")

    contoso.get_by_role("link", name="Open").click()
    page.get_by_role("button", name="Mark sent").click()
    page.goto(f"/incidents/{ours}/customer-notices")
    contoso = page.locator("#customer-notices tr", has_text="Contoso Frontier Models")
    expect(contoso.locator(".notice-status")).to_have_text("sent")
    expect(contoso.locator(".customer-clock")).to_contain_text("starts their 72-hour GDPR clock")
    expect(
        contoso.locator('.contract-deadline[data-obligation="contract.contoso-dpa-8-1"]')
    ).to_contain_text("on time")
