"""On the live demo incident: set awareness, see GDPR and NIS2 deadlines, file NIS2 reports."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
DUBLIN = ZoneInfo("Europe/Dublin")
INCIDENT = "INC-2026-0002"


def shown(instant: datetime) -> str:
    local = instant.astimezone(DUBLIN)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def wall(instant: datetime) -> str:
    return f"{instant.astimezone(DUBLIN):%Y-%m-%d %H:%M}"


def row(page, key: str):
    return page.locator(f'#deadlines tr[data-obligation="{key}"]')


def file_obligation(page, title: str, when: datetime, reference: str) -> None:
    page.goto(f"/incidents/{INCIDENT}")
    page.locator("table.obligations").get_by_role("link", name=title, exact=True).click()
    page.get_by_label("Submitted at").fill(wall(when))
    page.get_by_label("Recipient's reference").fill(reference)
    page.get_by_role("button", name="Record filing").click()
    expect(page.get_by_text(f"Filing of {title} (IE) recorded.")).to_be_visible()


def test_awareness_starts_the_clocks_and_filings_start_the_final_report(page, log_in):
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    aware = now - timedelta(minutes=30)
    log_in("dpo")

    page.goto(f"/incidents/{INCIDENT}/edit")
    page.get_by_label("Aware (GDPR / NIS2 clock)").fill(wall(aware))
    page.get_by_role("button", name="Save incident").click()
    expect(page.locator("#anchors")).to_contain_text(shown(aware))

    page.goto(f"/?incident={INCIDENT}")
    expect(row(page, "nis2.early_warning:IE")).to_contain_text(shown(aware + timedelta(hours=24)))
    expect(row(page, "nis2.incident_notification:IE")).to_contain_text(
        shown(aware + timedelta(hours=72))
    )
    expect(row(page, "gdpr.sa_notification:IE")).to_contain_text(shown(aware + timedelta(hours=72)))
    expect(row(page, "gdpr.sa_notification:IE")).to_contain_text(
        "Regulation (EU) 2016/679 Art. 33(1)"
    )
    expect(row(page, "nis2.early_warning:IE").locator(".countdown")).to_contain_text("in 23 h")

    file_obligation(page, "NIS2 early warning", now, "NCSC-IE-EW-1")
    final = page.locator('tr[data-obligation="nis2.final_report:IE"]')
    expect(final).to_contain_text("awaiting anchor")
    expect(final).to_contain_text("starts when the NIS2 incident notification is submitted")

    file_obligation(page, "NIS2 incident notification", now, "NCSC-IE-N-1")
    expected = (now.astimezone(DUBLIN) + relativedelta(months=1)).astimezone(UTC)
    expect(final).to_contain_text(shown(expected))
    expect(final).to_contain_text("open")
    expect(page.locator('tr[data-obligation="nis2.early_warning:IE"]')).to_contain_text("submitted")
