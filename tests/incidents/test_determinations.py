"""The legal determinations are the DPO's (or an admin's): a commander may raise one, and a change
that would lower, clear or postpone one is a proposal (the form) or refused (the API), never
applied. Before, a commander's PATCH of gdpr_risk "unlikely" and nis2_significant false turned
five obligations into "no longer applicable"."""

from datetime import UTC, datetime

import pytest

from incident_tracker.incidents import determinations
from incident_tracker.models import User
from tests.helpers import edit_form, get_incident, incident_form, reference_from

EARLY, LATE = datetime(2026, 3, 27, 9, tzinfo=UTC), datetime(2026, 3, 28, 9, tzinfo=UTC)


def _statuses(app, reference: str) -> dict[str, str]:
    with app.app_context():
        return {row.rule_id: row.status for row in get_incident(reference).obligations}


def test_a_commanders_form_keeps_a_lowering_as_a_proposal(app, client, as_role, make_user, login):
    as_role("dpo")
    reference = reference_from(client.post("/incidents/new", data=incident_form(gdpr_risk="high")))
    before = _statuses(app, reference)
    commander = app.test_client()
    login(make_user("commander"), on=commander)
    page = commander.get(f"/incidents/{reference}/edit").data.decode()
    assert 'id="determinations-note"' in page
    data = edit_form(commander, reference, gdpr_risk="unlikely", title="Renamed by the commander")
    saved = commander.post(f"/incidents/{reference}/edit", data=data, follow_redirects=True)
    text = saved.data.decode()
    assert "Proposed, not applied: GDPR risk" in text and "proposal, not applied" in text
    assert "Saved INC-" in text, "the title's change was saved"
    with app.app_context():
        incident = get_incident(reference)
        assert incident.gdpr_risk == "high" and incident.title == "Renamed by the commander"
        (proposal,) = [event.text for event in incident.events if event.kind == "proposal"]
    assert proposal == (
        'commander@example.org proposes: GDPR risk "unlikely" (now "high"). '
        "Not applied: a DPO or an admin decides."
    )
    assert _statuses(app, reference) == before
    assert (
        'id="determinations-note"' not in client.get(f"/incidents/{reference}/edit").data.decode()
    )
    only = edit_form(commander, reference, gdpr_risk="unlikely", title="Renamed by the commander")
    proposed = commander.post(f"/incidents/{reference}/edit", data=only, follow_redirects=True)
    assert "0 change(s)" not in proposed.data.decode(), "a proposal alone is not a save"


def test_a_commander_recording_an_incident_leaves_the_risk_to_the_dpo(app, client, as_role):
    as_role("commander")
    data = incident_form(gdpr_risk="unlikely", nis2_significant="no")
    reference = reference_from(client.post("/incidents/new", data=data))
    with app.app_context():
        incident = get_incident(reference)
        assert (incident.gdpr_risk, incident.nis2_significant) == (None, None)
        assert [event.kind for event in incident.events] == ["created", "proposal"]
    assert "gdpr.sa_notification" in _statuses(app, reference), "the clock runs while undecided"


def _user(role: str) -> User:
    return User(email=f"{role}@example.org", role=role)


class _Incident:
    def __init__(self, **values):
        self.__dict__.update(determinations.UNDECIDED, **values)


@pytest.mark.parametrize(
    "current, change, lessens",
    [
        ({"personal_data_breach": True}, {"personal_data_breach": False}, True),
        ({}, {"personal_data_breach": True}, False),
        ({"phi_breach": True}, {"phi_breach": False}, True),
        ({"gdpr_risk": "high"}, {"gdpr_risk": "risk"}, True),
        ({"gdpr_risk": "risk"}, {"gdpr_risk": None}, False),
        ({}, {"gdpr_risk": "unlikely"}, True),
        ({}, {"gdpr_risk": "high"}, False),
        ({"gdpr_risk": "unlikely"}, {"gdpr_risk": "risk"}, False),
        ({}, {"nis2_significant": False}, True),
        ({"nis2_significant": True}, {"nis2_significant": None}, False),
        ({"nis2_significant": False}, {"nis2_significant": True}, False),
        ({}, {"dora_classified_major_at": EARLY}, False),
        ({"dora_classified_major_at": LATE}, {"dora_classified_major_at": EARLY}, False),
        ({"dora_classified_major_at": EARLY}, {"dora_classified_major_at": LATE}, True),
        ({"sec_materiality_determined_at": EARLY}, {"sec_materiality_determined_at": None}, True),
        ({}, {"gdpr_risk_rationale": "why"}, True),
        ({}, {"title": "not a determination"}, False),
    ],
)
def test_what_only_a_dpo_or_an_admin_may_change(current, change, lessens):
    incident = _Incident(**current)
    found = determinations.withheld(incident, change, _user("commander"))
    assert bool(found) == lessens
    for role in ("dpo", "admin"):
        assert determinations.withheld(incident, change, _user(role)) == []
