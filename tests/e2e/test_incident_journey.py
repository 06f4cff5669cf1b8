"""A commander records an incident in Chromium, finds it, changes awareness, sees the timeline."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_record_find_and_edit_an_incident(page, log_in):
    console_errors = []
    page.on(
        "console", lambda message: message.type == "error" and console_errors.append(message.text)
    )
    log_in("commander")

    page.get_by_role("link", name="New incident").first.click()
    page.get_by_label("Title").fill("Poisoned LiteLLM release in CI")
    page.get_by_label("Aware (GDPR / NIS2 clock)").fill("2026-03-27 17:30")
    page.get_by_label("Detected").fill("2026-03-26 08:05")
    for category in ("Identity documents", "Government identifiers", "Source code"):
        page.get_by_label(category, exact=True).check()
    codes = page.get_by_label("Jurisdiction code")
    people = page.get_by_label("People", exact=True)
    codes.nth(0).fill("DE")
    people.nth(0).fill("1200")
    codes.nth(1).fill("US-CA")
    people.nth(1).fill("610")
    page.get_by_role("button", name="Save incident").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Poisoned LiteLLM release in CI")
    reference = re.search(r"INC-\d{4}-\d{4}", page.url).group(0)
    expect(page.locator("#anchors")).to_contain_text("2026-03-27 17:30 GMT")
    expect(page.locator("#affected")).to_contain_text("California")
    expect(page.locator("#data-categories li")).to_have_count(3)

    page.get_by_role("link", name="Incidents", exact=True).click()
    page.get_by_label("Search").fill("litellm")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=reference).click()

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Aware (GDPR / NIS2 clock)").fill("2026-03-28 09:15")
    page.get_by_role("button", name="Save incident").click()

    expect(page.locator("#anchors")).to_contain_text("2026-03-28 09:15 GMT")
    expect(page.locator("#timeline-events")).to_contain_text(
        "awareness time changed from 2026-03-27 17:30 GMT to 2026-03-28 09:15 GMT "
        "by commander@example.org"
    )
    assert console_errors == []


def test_bad_time_is_explained_next_to_the_field_in_the_browser(page, log_in):
    log_in("commander")
    page.goto("/incidents/new")
    page.get_by_label("Title").fill("Clock change")
    page.get_by_label("Aware (GDPR / NIS2 clock)").fill("2026-03-29 01:30")
    page.get_by_role("button", name="Save incident").click()
    expect(
        page.get_by_text("does not exist in Europe/Dublin (clocks went forward)")
    ).to_be_visible()
    expect(page.get_by_text("Nothing was saved")).to_be_visible()


def test_add_row_button_adds_a_jurisdiction_row(page, log_in):
    log_in("commander")
    page.goto("/incidents/new")
    rows = page.locator("#jurisdictions tbody tr")
    expect(rows).to_have_count(3)
    page.get_by_role("button", name="Add a jurisdiction row").click()
    expect(rows).to_have_count(4)
    expect(rows.nth(3).get_by_label("Jurisdiction code")).to_have_attribute(
        "name", "jurisdictions-3-code"
    )


def test_viewer_sees_no_edit_controls(page, log_in):
    log_in("viewer")
    page.goto("/incidents/")
    expect(page.get_by_role("link", name="New incident")).to_have_count(0)
