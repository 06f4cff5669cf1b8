"""A token made in the UI creates an incident through the API; the UI and the calendar show it."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_token_api_incident_ui_and_calendar(page, log_in):
    log_in("dpo")
    page.goto("/account/")
    page.get_by_label("Name").fill("SIEM integration")
    page.get_by_label("Scope").select_option("read_write")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-secret code").inner_text()

    aware = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0)
    body = {
        "title": "Reported by the SIEM: token reuse",
        "aware_at": aware.isoformat(),
        "personal_data_breach": True,
        "gdpr_risk": "high",
        "nis2_significant": True,
        "affected": [{"code": "FR", "people": 30}],
    }
    created = page.request.post(
        "/api/v1/incidents", data=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert created.status == 201, created.text()
    reference = created.json()["reference"]

    page.goto(f"/incidents/{reference}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reported by the SIEM")
    expect(page.locator('tr[data-obligation="nis2.early_warning:IE"]')).to_contain_text("open")
    page.goto(f"/?incident={reference}")
    expect(page.locator('#deadlines tr[data-obligation="gdpr.sa_notification:IE"]')).to_be_visible()

    page.goto("/account/")
    page.get_by_role("button", name="Create a calendar URL").click()
    url = page.locator("#new-secret code").inner_text()
    feed = page.request.get(url)
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    events = [
        e for e in Calendar.from_ical(feed.body()).walk("VEVENT") if reference in str(e["SUMMARY"])
    ]
    due = {e["DTSTART"].dt for e in events}
    assert aware + timedelta(hours=24) in due and aware + timedelta(hours=72) in due
    assert all(len(list(e.walk("VALARM"))) == 2 for e in events)
