"""DORA classification (RTS 2024/1772) on the assessments page: thresholds, proposal, clocks."""

import html
import json
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from incident_tracker.assessments.dora import FIELDS, METHOD
from incident_tracker.assessments.methods import AssessmentError
from incident_tracker.core import engine
from incident_tracker.extensions import db
from incident_tracker.incidents.regeneration import facts_for
from incident_tracker.models import Assessment, Organization
from tests.helpers import get_incident, incident_form, reference_from

AWARE = datetime(2026, 3, 27, 16, 30, tzinfo=UTC)  # 17:30 CET in the incident form
CLASSIFIED = datetime(2026, 3, 27, 19, 0, tzinfo=UTC)  # 20:00 CET, as typed below
GATE = "Critical services affected (necessary condition)"
ALONE = "Successful, malicious, unauthorised access that may result in data losses"
CLIENTS = "Clients, financial counterparts and transactions"
REPUTATION = "Reputational impact"
DURATION = "Duration and service downtime"
SPREAD = "Geographical spread: two or more Member States"
ECONOMIC = "Economic impact above EUR 100 000"
BERLIN = SimpleNamespace(timezone="Europe/Berlin")


def judged(name: str, value: str, why: str) -> dict:
    return {name: value, f"{name}_rationale": why}


BLANK = {name: "" for name in FIELDS} | {"classified_at": "2026-03-27 20:00"}
# Critical services affected and exactly one threshold met (reputation): conclusively not major.
ONE_THRESHOLD = {
    **BLANK,
    **judged("critical_functions", "yes", "Card payments run on the failed cluster"),
    **judged("supervised_services", "no", "Only the card platform"),
    **judged("malicious_access", "no", "A faulty update, no attacker"),
    **judged("data_loss_possible", "no", "No access, so no loss"),
    "clients_affected": "100",
    "clients_total": "10000000",
    "counterparts_affected": "0",
    "counterparts_total": "40",
    "transactions_affected": "0",
    "transactions_daily_average": "5000",
    "value_affected_eur": "0",
    "value_daily_average_eur": "1000000",
    **judged("relevant_clients_affected", "no", "No relevant client"),
    **judged("reputational_impact", "yes", "National press coverage"),
    "duration_hours": "3",
    "duration_minutes": "0",
    "downtime_hours": "1",
    "downtime_minutes": "0",
    "member_states": "DE",
    **judged("data_impact", "no", "Data intact"),
    "costs_and_losses_eur": "5000",
    **judged("recurring", "no", "First incident of its kind"),
}
MAJOR = {**ONE_THRESHOLD, "costs_and_losses_eur": "250000"}


@pytest.fixture
def incident(app, client, as_role):
    """An incident of a credit institution (DORA applies), aware 2026-03-27 17:30 CET."""
    as_role("dpo")
    with app.app_context():
        db.session.get(Organization, 1).dora = "credit_institution"
        db.session.commit()
    return reference_from(client.post("/incidents/new", data=incident_form()))


def url(reference: str) -> str:
    return f"/incidents/{reference}/assessments/dora"


def assess(client, reference: str, data: dict):
    return client.post(url(reference), data={**data, "assess": "1"})


def record(client, reference: str, data: dict, decision: str = "", reason: str = ""):
    payload = {**data, "record": "1", "decision": decision, "reason": reason}
    return client.post(url(reference), data=payload)


def proposal(response) -> str:
    return re.search(r'class="proposal">([^<]*)<', response.text).group(1)


def criteria(response) -> dict[str, str]:
    rows = re.findall(r'<tr class="criterion ([a-z-]+)"><td>([^<]*)</td>', response.text)
    return {html.unescape(name): state for state, name in rows}


def summary(response) -> str:
    return html.unescape(re.search(r'<p class="summary">([^<]*)</p>', response.text).group(1))


def errors(response) -> list[str]:
    found = re.findall(r'<div class="invalid-feedback">([^<]*)</div>', response.text)
    return [html.unescape(text) for text in found]


def versions(app, reference: str) -> list[Assessment]:
    with app.app_context():
        incident = get_incident(reference)
        statement = db.select(Assessment).filter_by(incident_id=incident.id, kind="dora")
        rows = list(db.session.execute(statement.order_by(Assessment.version)).scalars())
        for row in rows:
            db.session.expunge(row)
        return rows


def dora_obligations(app, reference: str) -> dict[str, tuple]:
    with app.app_context():
        incident = get_incident(reference)
        return {
            row.rule_id: (row.status, row.due_at)
            for row in incident.obligations
            if row.rule_id.startswith("dora.")
        }


def engine_dora(app, reference: str) -> dict[str, tuple]:
    """What the engine computes from the incident's facts as they are now."""
    with app.app_context():
        facts = facts_for(get_incident(reference), db.session.get(Organization, 1))
        return {
            item.id: (str(item.status), item.due_at)
            for item in engine.compute(facts).obligations
            if item.regime == "dora"
        }


def anchor(app, reference: str) -> datetime | None:
    with app.app_context():
        return get_incident(reference).dora_classified_major_at


def test_one_threshold_with_critical_services_is_conclusively_not_major(client, incident):
    response = assess(client, incident, ONE_THRESHOLD)
    assert response.status_code == 200
    assert proposal(response) == "not major"
    found = criteria(response)
    assert (found[GATE], found[REPUTATION], found[ECONOMIC]) == ("met", "met", "not-met")
    assert "Not conclusive" not in summary(response)


@pytest.mark.parametrize(
    ("criterion", "changes", "met"),
    [
        (CLIENTS, {"clients_affected": "100", "clients_total": "1000"}, False),  # 10 %
        (CLIENTS, {"clients_affected": "101", "clients_total": "1000"}, True),
        (CLIENTS, {"clients_affected": "100000"}, False),  # of 10 000 000: 1 %
        (CLIENTS, {"clients_affected": "100001"}, True),
        (CLIENTS, {"counterparts_affected": "12"}, False),  # 30 % of 40
        (CLIENTS, {"counterparts_affected": "13"}, True),
        (CLIENTS, {"transactions_affected": "500"}, False),  # 10 % of 5000 a day
        (CLIENTS, {"transactions_affected": "501"}, True),
        (CLIENTS, {"value_affected_eur": "100000"}, False),  # 10 % of EUR 1 000 000 a day
        (CLIENTS, {"value_affected_eur": "100000.01"}, True),
        (DURATION, {"duration_hours": "24", "duration_minutes": "0"}, False),
        (DURATION, {"duration_hours": "24", "duration_minutes": "1"}, True),
        (DURATION, {"downtime_hours": "2", "downtime_minutes": ""}, False),
        (DURATION, {"downtime_hours": "2", "downtime_minutes": "1"}, True),
        (SPREAD, {"member_states": "de"}, False),
        (SPREAD, {"member_states": "de, fr"}, True),
        (ECONOMIC, {"costs_and_losses_eur": "100000"}, False),
        (ECONOMIC, {"costs_and_losses_eur": "100000.01"}, True),
    ],
)
def test_each_threshold_at_its_boundary_makes_the_second_one(
    client, incident, criterion, changes, met
):
    response = assess(client, incident, {**ONE_THRESHOLD, **changes})
    assert response.status_code == 200
    assert criteria(response)[criterion] == ("met" if met else "not-met")
    assert proposal(response) == ("major" if met else "not major")  # two or more thresholds


def test_without_critical_services_it_is_not_major_whatever_the_thresholds(client, incident):
    data = {
        **MAJOR,
        **judged("critical_functions", "no", "Back-office reporting only"),
        "duration_hours": "30",
        "member_states": "DE FR PL",
    }
    response = assess(client, incident, data)
    assert proposal(response) == "not major"
    found = criteria(response)
    assert found[GATE] == "not-met"
    assert [found[name] for name in (REPUTATION, DURATION, SPREAD, ECONOMIC)] == ["met"] * 4
    assert "Not conclusive" not in summary(response)


def test_a_malicious_access_that_may_lose_data_is_major_on_its_own(client, incident):
    data = {
        **ONE_THRESHOLD,
        **judged("critical_functions", "no", "Not a critical function"),
        **judged("malicious_access", "yes", "Attacker used a stolen CI token"),
        **judged("data_loss_possible", "yes", "Customer database was reachable"),
        **judged("reputational_impact", "no", "No coverage"),
    }
    response = assess(client, incident, data)
    assert proposal(response) == "major"
    found = criteria(response)
    assert (found[GATE], found[ALONE], found[REPUTATION]) == ("met", "met", "not-met")


def test_the_proposal_names_the_method_and_the_criteria_met(client, incident):
    text = summary(assess(client, incident, MAJOR))
    assert "Regulation (EU) 2022/2554 Art. 18" in text
    assert "Commission Delegated Regulation (EU) 2024/1772" in text
    assert "2026-03-27 20:00 CET" in text
    assert "the method proposes major" in text
    assert f"Criteria met: {GATE}; {REPUTATION}; {ECONOMIC}." in text


def test_missing_inputs_make_a_not_major_proposal_plainly_not_conclusive(client, incident):
    data = {**BLANK, **judged("critical_functions", "yes", "Payments")}
    response = assess(client, incident, data)
    assert proposal(response) == "not major"
    text = summary(response)
    assert "Not conclusive: " in text
    assert f"{REPUTATION}; {DURATION}" in text and "not evaluated (inputs missing)" in text
    assert criteria(response)[ECONOMIC] == "unknown"


def test_the_first_form_is_prefilled_from_the_incident(client, incident):
    page = client.get(url(incident))
    assert page.status_code == 200
    select = re.search(r'<select[^>]*name="malicious_access".*?</select>', page.text, re.S)
    assert 'selected value="yes"' in select.group(0)
    inside = page.text.split('id="assessment-form"', 1)[1].split("</form>", 1)[0]
    assert "<form" not in inside and "<button" in inside  # the blueprint's buttons only


def test_recording_a_confirmed_major_starts_the_dora_clocks(app, client, incident):
    response = record(client, incident, MAJOR)
    assert response.headers["Location"].endswith(f"/incidents/{incident}/assessments")
    [row] = versions(app, incident)
    assert (row.version, row.proposal, row.decision, row.overridden) == (1, "major", "major", False)
    assert row.classified_at == CLASSIFIED == anchor(app, incident)
    stored = dora_obligations(app, incident)
    # 4 h from classification is earlier than 24 h from awareness; a credit institution gets no
    # weekend relief for it (RTS 2025/301 Art. 5(5)), so Saturday 00:00 CET stands.
    assert stored["dora.initial_notification"] == ("open", CLASSIFIED + timedelta(hours=4))
    assert stored["dora.intermediate_report"][0] == "awaiting_anchor"
    assert stored == engine_dora(app, incident)


def test_a_classification_late_on_the_next_day_is_capped_by_awareness(app, client, incident):
    record(client, incident, {**MAJOR, "classified_at": "2026-03-28 14:00"})
    assert anchor(app, incident) == datetime(2026, 3, 28, 13, 0, tzinfo=UTC)
    stored = dora_obligations(app, incident)
    assert stored["dora.initial_notification"] == ("open", AWARE + timedelta(hours=24))
    assert stored == engine_dora(app, incident)


def test_an_instant_with_its_own_offset_is_taken_as_given(app, client, incident):
    record(client, incident, {**MAJOR, "classified_at": "2026-03-27T21:00+02:00"})
    assert anchor(app, incident) == CLASSIFIED
    stored = json.loads(versions(app, incident)[0].inputs)
    assert stored["classified_at"] == "2026-03-27T19:00:00+00:00"
    assert (stored["costs_and_losses_eur"], stored["reputational_impact"]) == ("250000", True)
    assert stored["member_states"] == ["DE"]


def test_overriding_the_proposal_needs_a_reason(app, client, incident):
    response = record(client, incident, ONE_THRESHOLD, decision="major")
    assert response.status_code == 422
    assert "the method proposes not major: give the reason for deciding major instead" in errors(
        response
    )
    assert versions(app, incident) == [] and anchor(app, incident) is None
    reason = "The ECB asked us to treat it as major"
    response = record(client, incident, ONE_THRESHOLD, decision="major", reason=reason)
    assert response.status_code == 302
    [row] = versions(app, incident)
    assert (row.proposal, row.decision, row.override_reason) == ("not_major", "major", reason)
    assert anchor(app, incident) == CLASSIFIED
    assert dora_obligations(app, incident)["dora.initial_notification"][0] == "open"


def test_recording_not_major_stops_the_dora_clocks_and_keeps_the_versions(app, client, incident):
    record(client, incident, MAJOR)
    response = record(client, incident, ONE_THRESHOLD)  # confirms "not major"
    assert response.status_code == 302
    assert [(row.version, row.decision) for row in versions(app, incident)] == [
        (1, "major"),
        (2, "not_major"),
    ]
    assert anchor(app, incident) is None
    stored = dora_obligations(app, incident)
    assert {status for status, _due in stored.values()} == {"no_longer_applicable"}
    assert engine_dora(app, incident) == {}
    assert "version 2 by dpo@example.org" in client.get(f"/incidents/{incident}/assessments").text


def test_the_next_form_starts_from_the_last_version(client, incident):
    record(client, incident, MAJOR)
    page = client.get(url(incident)).text
    assert "National press coverage</textarea>" in page
    assert 'name="costs_and_losses_eur"' in page and 'value="250000"' in page
    assert 'value="2026-03-27 20:00"' in page  # the incident's DORA anchor
    record(client, incident, {**ONE_THRESHOLD, "classified_at": "2026-03-28 09:00"})
    page = client.get(url(incident)).text
    assert 'value="2026-03-28 09:00"' not in page  # no anchor any more: a new one starts now


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "enter when the incident was classified"),
        ("yesterday", "'yesterday' is not a date and time; use YYYY-MM-DD HH:MM"),
        ("2026-03-29 02:30", "2026-03-29 02:30 does not exist in Europe/Berlin"),
        ("2999-01-01 00:00", "the classification time is in the future"),
    ],
)
def test_a_missing_malformed_or_future_classification_time_is_refused(
    app, client, incident, typed, message
):
    response = record(client, incident, {**MAJOR, "classified_at": typed})
    assert response.status_code == 422
    assert any(error.startswith(message) for error in errors(response)), errors(response)
    assert versions(app, incident) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reputational_impact_rationale": "  "}, "give the reason for this judgement"),
        ({"clients_affected": "11", "clients_total": "10"}, "more than the 10 clients who use"),
        ({"counterparts_affected": "41"}, "more than the 40 counterparts in total"),
        ({"costs_and_losses_eur": "NaN"}, "enter an amount, such as 125000.50"),
        ({"costs_and_losses_eur": "-1"}, "Number must be between 0 and"),
        ({"downtime_minutes": "60"}, "Number must be between 0 and 59."),
        ({"member_states": "DE, XX"}, "XX: not an EU/EEA country code"),
        ({"member_states": "DE de"}, "Member State DE appears twice"),
        ({"reputational_impact": "maybe"}, "Not a valid choice."),
    ],
)
def test_unusable_inputs_are_refused_with_a_message(client, incident, changes, message):
    response = assess(client, incident, {**MAJOR, **changes})
    assert response.status_code == 422
    assert any(error.startswith(message) for error in errors(response)), errors(response)


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"classified_at": "2026-03-27T19:00:00"}, "classified_at"),  # naive
        ({"classified_at": "27/03/2026"}, "classified_at"),
        ({"classified_at": None}, "classified_at"),
        ({"clients_affected": -1}, "clients_affected"),
        ({"clients_total": True}, "clients_total"),
        ({"costs_and_losses_eur": "NaN"}, "costs_and_losses_eur"),
        ({"duration_hours": -25}, "duration_hours"),
        ({"member_states": ["de"]}, "member_states"),
        ({"recurring": True, "recurring_rationale": ""}, "recurring_rationale"),
        ({"recurring": "yes", "recurring_rationale": "x"}, "recurring"),
    ],
)
def test_the_core_refusals_name_the_form_field(inputs, field):
    with pytest.raises(AssessmentError) as caught:
        METHOD.assess({"classified_at": "2026-03-27T19:00:00+00:00", **inputs}, None, BERLIN)
    assert caught.value.field == field


def test_the_method_decides_the_anchor_only_for_major():
    outcome = METHOD.assess({"classified_at": "2026-03-27T20:00:00+01:00"}, None, BERLIN)
    assert (outcome.proposal, outcome.details) == ("not_major", {"conclusive": False})
    assert METHOD.scalars("major", outcome, CLASSIFIED) == {"dora_classified_major_at": CLASSIFIED}
    assert METHOD.scalars("not_major", outcome, CLASSIFIED) == {"dora_classified_major_at": None}


@pytest.mark.parametrize("role", ["viewer", "commander", "legal"])
def test_only_deciders_may_assess(client, incident, as_role, role):
    as_role(role)
    assert client.get(url(incident)).status_code == 403
    assert record(client, incident, MAJOR).status_code == 403
    assert client.get(f"/incidents/{incident}/assessments").status_code == 200


def test_unknown_incidents_and_methods_are_404(client, incident):
    assert client.get(url("INC-1999-0001")).status_code == 404
    assert client.get(f"/incidents/{incident}/assessments/bogus").status_code == 404
