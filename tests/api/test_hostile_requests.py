"""Requests that ended in a 500 (issue 22, point 12) or broke a small promise (point 13): each now
gets a 4xx with a message, or the answer it should have had."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.api.test_api import DESIGN_EXAMPLE, INCIDENT
from tests.helpers import PASSWORD

HUGE = "9" * 30
ID_ROUTES = (
    "/obligations/{}",
    "/counterparties/{}",
    "/counterparties/systems/{}",
    "/documents/{}/download",
    "/letters/{}",
    "/vendor-notices/{}",
)


def test_ids_no_column_can_hold_are_not_found(client, as_role):
    as_role("dpo")
    for route in ID_ROUTES:
        assert client.get(route.format(HUGE)).status_code == 404, route
    for query in ("/audit/?incident=", "/audit/?page=", "/incidents/?page=", "/?overdue_page="):
        assert client.get(query + HUGE).status_code == 200, query


def test_any_whole_number_in_a_url_is_answered_without_a_500(client, as_role):
    as_role("admin")

    @settings(max_examples=40, deadline=None)
    @given(number=st.integers(min_value=0, max_value=10**40))
    def check(number):
        for route in ID_ROUTES:
            assert client.get(route.format(number)).status_code < 500, (route, number)
        assert client.get(f"/audit/?incident={number}&page={number}").status_code == 200

    check()


def test_a_next_holding_a_newline_logs_in_to_the_dashboard(client, make_user):
    user = make_user("viewer")
    answer = client.post(
        "/auth/login?next=/%0d%0aSet-Cookie:x=1",
        data={"email": user.email, "password": PASSWORD},
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "/"


def test_a_version_no_column_holds_is_refused_with_a_message(client, token_for):
    headers = token_for("dpo")
    created = client.post("/api/v1/incidents", json=INCIDENT, headers=headers).get_json()
    patch = {"version": 2**70, "title": "x"}
    answer = client.patch(f"/api/v1/incidents/{created['reference']}", json=patch, headers=headers)
    assert answer.status_code == 422 and "version" in json.dumps(answer.get_json()["errors"])


@pytest.mark.parametrize(
    "body, status, message",
    [
        ("[" * 100_000, 400, "nested too deeply"),
        ('{"title": "\\ud800"}', 400, "lone UTF-16 surrogate"),
        ('{"title": "A\\u0000B"}', 400, "NUL characters"),
    ],
)
def test_json_that_cannot_be_stored_is_refused_with_a_message(
    client, token_for, body, status, message
):
    headers = {**token_for("dpo"), "Content-Type": "application/json"}
    for url in ("/api/v1/deadlines", "/api/v1/incidents"):
        answer = client.post(url, data=body, headers=headers)
        assert answer.status_code == status, (url, answer.get_json())
        assert message in answer.get_json()["detail"]


def test_an_escaped_backslash_before_u0000_is_not_a_nul(client, token_for):
    headers = token_for("dpo")
    body = {**INCIDENT, "title": "Share C:\\u0000dir exposed"}
    created = client.post("/api/v1/incidents", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["title"] == "Share C:\\u0000dir exposed"


def test_a_read_only_token_may_compute_deadlines(client, token_for):
    headers = token_for("viewer", scope="read")
    document = json.loads(DESIGN_EXAMPLE.read_text())
    answer = client.post("/api/v1/deadlines", json=document, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    refused = client.post("/api/v1/incidents", json=INCIDENT, headers=headers)
    assert refused.status_code == 403


def test_a_401_says_how_to_authenticate_and_nothing_is_cached(client, token_for):
    answer = client.get("/api/v1/incidents")
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="incident_tracker"'
    listed = client.get("/api/v1/incidents", headers=token_for("dpo"))
    assert listed.headers["Cache-Control"] == "no-store"
    static = client.get("/static/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"breach_determined_at": "9999-12-31T23:00:00+00:00"}, "breach_determined_at", "years"),
        ({"contained_at": "2026-03-01T00:00:00+00:00"}, "contained_at", "containment cannot"),
        ({"closed_at": "2026-03-01T00:00:00+00:00"}, "closed_at", "closure cannot be"),
        ({"aware_at": "2026-03-01T00:00:00+00:00"}, "aware_at", "awareness cannot be"),
    ],
)
def test_the_api_keeps_the_forms_rules_for_instants(app, client, token_for, change, field, message):
    """One set of rules (incidents/instants.py): the API saved a year 9999, after which every page
    of the incident failed, and a containment before the occurrence, after which every form save
    failed."""
    headers = token_for("dpo")
    body = {**INCIDENT, "occurred_at": "2026-03-20T10:00:00+00:00"}
    body["detected_at"] = "2026-03-26T10:00:00+00:00"
    created = client.post("/api/v1/incidents", json={**body, **change}, headers=headers)
    assert created.status_code == 422 and message in json.dumps(created.get_json()["errors"])
    made = client.post("/api/v1/incidents", json=body, headers=headers).get_json()
    patch = {**change, "version": made["version"]}
    answer = client.patch(f"/api/v1/incidents/{made['reference']}", json=patch, headers=headers)
    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]["json"]
    page = client.get(f"/api/v1/incidents/{made['reference']}", headers=headers).get_json()
    assert page["version"] == made["version"] and page[field] == made[field]
