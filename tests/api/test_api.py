"""The JSON API: tokens and scopes, incidents, obligations, filings, decisions, previews, errors."""

import json
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from incident_tracker.extensions import db
from incident_tracker.models import AuditEvent, Incident

INCIDENT = {
    "title": "Poisoned dependency",
    "status": "open",
    "aware_at": "2026-03-27T17:30:00+01:00",
    "personal_data_breach": True,
    "gdpr_risk": "high",
    "nis2_significant": True,
    "data_categories": ["identity_documents", "source_code"],
    "affected": [{"code": "DE", "people": 1200, "records": 1500}, {"code": "us-ca", "people": 610}],
    "parties": [
        {
            "name": "LiteLLM",
            "kind": "component",
            "role": "upstream_component",
            "package_url": "pkg:pypi/litellm@1.82.7",
        }
    ],
}
DESIGN_EXAMPLE = Path(__file__).resolve().parents[1] / "facts" / "design_example.json"


def test_the_openapi_document_is_valid_3_1(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    validate(spec)
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_no_token_or_a_bad_token_gets_401_problem_details(client, token_for):
    for headers in ({}, {"Authorization": "Bearer itk_nope"}, {"Authorization": "Basic x"}):
        response = client.get("/api/v1/incidents", headers=headers)
        assert response.status_code == 401 and response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == 401


def test_a_session_cookie_does_not_authenticate_the_api(client, as_role):
    as_role("admin")
    assert client.get("/api/v1/incidents").status_code == 401


def test_create_read_list_and_patch_an_incident(app, client, token_for):
    headers = token_for("commander")
    created = client.post("/api/v1/incidents", json=INCIDENT, headers=headers)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    reference = body["reference"]
    assert body["aware_at"] == "2026-03-27T16:30:00+00:00"
    assert {"code": "US-CA", "people": 610, "records": None} in body["affected"]
    assert len(body["obligations"]) >= 5
    listed = client.get(
        "/api/v1/incidents", query_string={"q": "poisoned"}, headers=headers
    ).get_json()
    assert listed["total"] == 1 and listed["items"][0]["reference"] == reference
    patch = {"aware_at": "2026-03-28T09:00:00+01:00", "version": body["version"]}
    patched = client.patch(f"/api/v1/incidents/{reference}", json=patch, headers=headers)
    assert patched.status_code == 200 and patched.get_json()["version"] == body["version"] + 1
    stale = client.patch(f"/api/v1/incidents/{reference}", json=patch, headers=headers)
    assert stale.status_code == 409 and stale.mimetype == "application/problem+json"
    with app.app_context():
        incident = db.session.execute(
            db.select(Incident).filter_by(reference=reference)
        ).scalar_one()
        actors = set(
            db.session.execute(
                db.select(AuditEvent.actor).filter_by(incident_id=incident.id)
            ).scalars()
        )
    assert actors == {"commander-read_write@example.org"}  # API writes are audited like UI writes


@pytest.mark.parametrize(
    "change,field",
    [
        ({"aware_at": "2026-03-27T17:30:00"}, "aware_at"),
        ({"affected": [{"code": "UK", "people": 3}]}, "affected"),
        ({"affected": [{"code": "DE", "people": -1}]}, "affected"),
        ({"affected": [{"code": "DE", "people": 1}, {"code": "de", "people": 2}]}, "affected"),
        ({"gdpr_risk": "medium"}, "gdpr_risk"),
        ({"data_categories": ["nonsense"]}, "data_categories"),
        (
            {
                "parties": [
                    {"name": "x", "kind": "component", "role": "other", "package_url": "litellm"}
                ]
            },
            "parties",
        ),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_nothing_is_saved(
    app, client, token_for, change, field
):
    response = client.post(
        "/api/v1/incidents", json={**INCIDENT, **change}, headers=token_for("dpo")
    )
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert field in json.dumps(response.get_json()["errors"])
    with app.app_context():
        assert (
            db.session.execute(db.select(db.func.count()).select_from(Incident)).scalar_one() == 0
        )


def test_a_viewer_token_or_a_read_token_cannot_write(client, token_for):
    viewer = token_for("viewer")
    assert client.post("/api/v1/incidents", json=INCIDENT, headers=viewer).status_code == 403
    read_only = token_for("dpo", scope="read")
    assert client.post("/api/v1/incidents", json=INCIDENT, headers=read_only).status_code == 403
    assert client.get("/api/v1/incidents", headers=read_only).status_code == 200


def test_file_and_decide_obligations(client, token_for):
    headers = token_for("dpo")
    reference = client.post("/api/v1/incidents", json=INCIDENT, headers=headers).get_json()[
        "reference"
    ]
    obligations = client.get(
        "/api/v1/obligations", query_string={"incident": reference}, headers=headers
    ).get_json()
    by_rule = {item["rule_id"]: item for item in obligations["items"]}
    early = by_rule["nis2.early_warning"]
    late = client.post(
        f"/api/v1/obligations/{early['id']}/filings",
        json={"submitted_at": "2026-03-29T10:00:00Z"},
        headers=headers,
    )
    assert late.status_code == 422 and "delay_reasons" in late.get_json()["errors"]["json"]
    filed = client.post(
        f"/api/v1/obligations/{early['id']}/filings",
        json={"submitted_at": "2026-03-29T10:00:00Z", "delay_reasons": "Portal down."},
        headers=headers,
    )
    assert filed.status_code == 201 and filed.get_json()["status"] == "submitted"
    notice = by_rule["gdpr.data_subject_notice"]
    decided = client.post(
        f"/api/v1/obligations/{notice['id']}/decision",
        json={"rationale": "Encrypted with a key that was not compromised."},
        headers=headers,
    )
    assert decided.status_code == 201 and decided.get_json()["status"] == "not_required"
    again = client.post(
        f"/api/v1/obligations/{notice['id']}/decision",
        json={"rationale": "Encrypted with a key that was not compromised."},
        headers=headers,
    )
    assert again.status_code == 409


def test_the_deadline_preview_answers_exactly_as_the_cli(client, token_for, runner):
    from incident_tracker.facts.document import deadlines

    facts = json.loads(DESIGN_EXAMPLE.read_text())
    api = client.post(
        "/api/v1/deadlines", json=facts, headers=token_for("viewer", scope="read_write")
    )
    cli = runner.invoke(deadlines, [str(DESIGN_EXAMPLE)])
    assert api.status_code == 200 and api.get_json() == json.loads(cli.output)
    naive = {**facts, "aware_at": "2026-03-27T17:30:00"}
    refused = client.post("/api/v1/deadlines", json=naive, headers=token_for("legal"))
    assert refused.status_code == 422 and "aware_at" in refused.get_json()["errors"]["json"]


def test_lists_are_paginated(client, token_for):
    headers = token_for("dpo")
    for number in range(3):
        client.post(
            "/api/v1/incidents", json={**INCIDENT, "title": f"Incident {number}"}, headers=headers
        )
    first = client.get(
        "/api/v1/incidents", query_string={"per_page": 2}, headers=headers
    ).get_json()
    second = client.get(
        "/api/v1/incidents", query_string={"per_page": 2, "page": 2}, headers=headers
    ).get_json()
    assert (first["total"], len(first["items"]), len(second["items"])) == (3, 2, 1)
    assert (
        client.get(
            "/api/v1/incidents", query_string={"per_page": 1000}, headers=headers
        ).status_code
        == 422
    )


def test_a_filing_without_a_time_is_422_not_500(client, token_for):
    headers = token_for("dpo")
    reference = client.post("/api/v1/incidents", json=INCIDENT, headers=headers).get_json()[
        "reference"
    ]
    items = client.get(
        "/api/v1/obligations", query_string={"incident": reference}, headers=headers
    ).get_json()
    first = items["items"][0]["id"]
    response = client.post(
        f"/api/v1/obligations/{first}/filings", json={"submitted_at": None}, headers=headers
    )
    assert response.status_code == 422 and "submitted_at" in response.get_json()["errors"]["json"]
