"""The dashboard: every open obligation across incidents, soonest first, with filters."""

import re
from datetime import timedelta

from incident_tracker.models import utcnow
from tests.helpers import edit_form, incident_form, reference_from


def _wall(delta: timedelta) -> str:
    return (utcnow() + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def _create(client, title: str, aware_delta: timedelta, **extra) -> str:
    data = incident_form(
        title=title, occurred_at=None, detected_at=None, aware_at=_wall(aware_delta), **extra
    )
    return reference_from(client.post("/incidents/new", data=data))


def _dashboard_order(page: str) -> list[str]:
    return re.findall(r'data-obligation="([^"]+)"', page)


def test_open_obligations_are_listed_soonest_first_across_incidents(client, as_role):
    as_role("commander")
    older = _create(client, "Older", -timedelta(hours=30))
    newer = _create(client, "Newer", -timedelta(hours=1))
    page = client.get("/").data.decode()
    table = page.split('id="deadlines"')[1].split("</table>")[0]
    # older: early warning due 6 h ago, the 72-hour notices in 42 h; newer: 23 h and 71 h.
    assert _dashboard_order(table) == [
        "nis2.early_warning:DE",
        "nis2.early_warning:DE",
        "gdpr.sa_notification:DE",
        "nis2.incident_notification:DE",
        "gdpr.sa_notification:DE",
        "nis2.incident_notification:DE",
    ]
    assert table.index(older) < table.index(newer)
    assert "overdue by 6 h" in table  # the older early warning was due 24 h after awareness
    assert 'class="urgency-overdue"' in table and 'class="urgency-urgent"' in table


def test_dashboard_shows_rule_citation_anchor_and_local_time(client, as_role):
    as_role("commander")
    _create(client, "One", -timedelta(hours=1))
    page = client.get("/").data.decode()
    assert "Directive (EU) 2022/2555 Art. 23(4)(a)" in page
    assert "anchor: aware at" in page
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} CET", page)
    assert "starts when the NIS2 incident notification is submitted" in page
    assert "without undue delay" in page


def test_dashboard_filters_by_regime_jurisdiction_and_incident(client, as_role):
    as_role("commander")
    first = _create(client, "First", -timedelta(hours=1))
    second = _create(client, "Second", -timedelta(hours=2))
    gdpr = _dashboard_order(client.get("/", query_string={"regime": "gdpr"}).data.decode())
    assert gdpr and all(key.startswith("gdpr.") for key in gdpr)
    california = _dashboard_order(
        client.get("/", query_string={"jurisdiction": "us-ca"}).data.decode()
    )
    assert california and all(key.endswith(":US-CA") for key in california)
    only_second = client.get("/", query_string={"incident": second}).data.decode()
    assert (
        second in only_second.split('id="deadlines"')[1]
        and first not in only_second.split('id="deadlines"')[1]
    )


def test_closed_incidents_leave_the_dashboard_and_come_back_reopened(client, as_role):
    as_role("commander")
    reference = _create(client, "Closing", -timedelta(hours=1))
    _set_status(client, reference, "closed")
    page = client.get("/").data.decode()
    assert reference not in page.split('id="deadlines"')[1]
    assert "No open deadlines" in page or "0 pending" not in page
    _set_status(client, reference, "contained")
    assert reference in client.get("/").data.decode().split('id="deadlines"')[1]


def _set_status(client, reference: str, status: str) -> None:
    fields = {"aware_at": _wall(-timedelta(hours=1)), "occurred_at": None, "detected_at": None}
    data = edit_form(client, reference, status=status, **fields)
    assert client.post(f"/incidents/{reference}/edit", data=data).status_code == 302
