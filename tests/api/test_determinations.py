"""The API keeps the legal determinations the DPO's (tests/incidents/test_determinations.py):
a commander's token may raise one; lowering one is refused whole (403), nothing half-saved."""

from tests.api.test_api import INCIDENT
from tests.helpers import get_incident

LOWER = {"gdpr_risk": "unlikely", "nis2_significant": False}


def _statuses(app, reference: str) -> dict[str, str]:
    with app.app_context():
        return {row.rule_id: row.status for row in get_incident(reference).obligations}


def test_a_commanders_token_cannot_switch_off_gdpr_and_nis2_duties(app, client, token_for):
    commander = token_for("commander")
    created = client.post("/api/v1/incidents", json=INCIDENT, headers=commander).get_json()
    reference, before = created["reference"], _statuses(app, created["reference"])
    patch = {**LOWER, "version": created["version"]}
    refused = client.patch(f"/api/v1/incidents/{reference}", json=patch, headers=commander)
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert "gdpr_risk, nis2_significant" in refused.get_json()["detail"]
    assert _statuses(app, reference) == before
    with app.app_context():
        incident = get_incident(reference)
        assert (incident.gdpr_risk, incident.nis2_significant) == ("high", True)
        assert incident.version == created["version"], "nothing was half-saved"
    decided = client.patch(f"/api/v1/incidents/{reference}", json=patch, headers=token_for("dpo"))
    assert decided.status_code == 200
    assert decided.get_json()["gdpr_risk"] == "unlikely"


def test_a_commander_may_raise_a_determination_through_the_api(app, client, token_for):
    commander = token_for("commander")
    body = {**INCIDENT, "gdpr_risk": "risk", "nis2_significant": None}
    created = client.post("/api/v1/incidents", json=body, headers=commander).get_json()
    raise_it = {"gdpr_risk": "high", "nis2_significant": True, "version": created["version"]}
    raised = client.patch(
        f"/api/v1/incidents/{created['reference']}", json=raise_it, headers=commander
    )
    assert raised.status_code == 200 and raised.get_json()["gdpr_risk"] == "high"


def test_a_commanders_api_record_cannot_start_below_not_assessed(client, token_for):
    answer = client.post(
        "/api/v1/incidents", json={**INCIDENT, **LOWER}, headers=token_for("commander")
    )
    assert answer.status_code == 403
