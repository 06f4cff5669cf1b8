"""NIS2 significance through the web form: thresholds at their boundaries, the proposal with its
criteria, the recorded decision (confirmed or overridden with a reason) and the clocks it drives."""

import html
import json
import re
from types import SimpleNamespace

import pytest

from incident_tracker.assessments.nis2 import JUDGEMENTS, guess_sector
from incident_tracker.extensions import db
from incident_tracker.models import Assessment, Organization
from tests.helpers import get_incident, incident_form, reference_from

NIS2_RULES = ("nis2.early_warning", "nis2.incident_notification", "nis2.final_report")
DURATION_FIELDS = ("unavailable_for", "unavailable_in_week", "slow_resolution_for", "limited_for")


def nis2_form(**overrides) -> dict:
    """A cloud provider's assessment in which every criterion is answered and none is met."""
    data = {
        "sector": "cloud",
        "direct_loss_eur": "0",
        "annual_turnover_eur": "20000000",
        "recurrence_occurrences": "1",
        "recurrence_same_root_cause": "no",
        "recurrence_collective_loss_eur": "0",
        "recurrence_rationale": "No earlier incident in the last six months.",
        "eu_users": "10000000",
        "unavailable_users": "0",
        "limited_users": "0",
        "compromised_users": "0",
        "misconfiguration_domains_incorrect": "",
        "misconfiguration_domains_managed": "",
        "misconfiguration_rationale": "",
        "scheduled_maintenance": "",
        "scheduled_maintenance_rationale": "",
    }
    for name in JUDGEMENTS:
        if name != "scheduled_maintenance":
            data[name], data[f"{name}_rationale"] = "no", "Checked with the service owner."
    for name in DURATION_FIELDS:
        data[f"{name}-hours"], data[f"{name}-minutes"] = "0", "0"
    data.update(overrides)
    return data


def url(reference: str, kind: str = "nis2") -> str:
    return f"/incidents/{reference}/assessments/{kind}"


def assess(client, reference, **overrides):
    return client.post(url(reference), data={**nis2_form(**overrides), "assess": "1"})


def record(client, reference, decision, reason="", **overrides):
    data = {**nis2_form(**overrides), "record": "1", "decision": decision, "reason": reason}
    return client.post(url(reference), data=data)


def state(page: str, citation: str) -> str:
    """The met / not-met / unknown class of the one criterion whose citation ends so."""
    rows = re.findall(r'<tr class="criterion ([\w-]+)">(.*?)</tr>', page)
    found = [met for met, cells in rows if cells.endswith(f" Art. {citation}</td>")]
    assert len(found) == 1, rows
    return found[0]


def proposal(page: str) -> str:
    return re.search(r'<span class="proposal">([^<]*)</span>', page).group(1)


def selected(page: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    return re.search(r'<option selected value="([^"]*)"', select).group(1)


def set_profile(app, **values) -> None:
    with app.app_context():
        organization = db.session.get(Organization, 1)
        for name, value in values.items():
            setattr(organization, name, value)
        db.session.commit()


def statuses(app, reference) -> dict[str, str]:
    with app.app_context():
        rows = get_incident(reference).obligations
        return {row.rule_id: row.status for row in rows if row.rule_id.startswith("nis2.")}


def versions(app, reference) -> list[tuple]:
    with app.app_context():
        incident = get_incident(reference)
        statement = db.select(Assessment).filter_by(incident_id=incident.id, kind="nis2")
        rows = db.session.execute(statement.order_by(Assessment.version)).scalars()
        return [(r.version, r.proposal, r.decision, r.override_reason, r.result) for r in rows]


@pytest.fixture
def incident(app, client, as_role):
    """An incident of an important entity (so the NIS2 clocks run), assessed by the DPO."""
    as_role("dpo")
    set_profile(app, nis2="important", nis2_sector="Cloud computing")
    return reference_from(client.post("/incidents/new", data=incident_form()))


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("Digital providers / ICT service management (B2B)", "managed_service"),
        ("Cloud computing", "cloud"),
        ("Digital infrastructure: DNS service provider", "dns"),
        ("TLD name registry", "tld"),
        ("Data center services", "data_centre"),
        ("Managed security service provider (MSSP)", "managed_security_service"),
        ("Online marketplace", "online_marketplace"),
        ("Energy: electricity", "other"),
        (None, "other"),
    ],
)
def test_the_sector_is_guessed_from_the_profile_text(text, sector):
    profile = SimpleNamespace(nis2_sector=text, trust_service_provider=False)
    assert guess_sector(profile) == sector


def test_a_trust_service_provider_without_a_sector_text_is_one():
    assert (
        guess_sector(SimpleNamespace(nis2_sector="", trust_service_provider=True))
        == "trust_service"
    )


def test_the_first_form_takes_the_sector_from_the_profile_and_malice_from_the_incident(
    app, client, incident
):
    set_profile(app, nis2_sector="Digital providers / ICT service management (B2B)")
    page = client.get(url(incident)).data.decode()
    assert selected(page, "sector") == "managed_service"
    assert selected(page, "malicious_access") == "yes"  # the incident form says "malicious: yes"
    assert "As recorded on the incident: malicious cause suspected." in page
    assert 'id="proposal"' not in page


def test_everything_answered_and_nothing_met_proposes_not_significant(client, incident):
    page = html.unescape(assess(client, incident).data.decode())
    assert proposal(page) == "not significant"
    assert "The method proposes: not significant. No criterion is met." in page
    assert "not conclusive" not in page.lower()
    assert state(page, "23(3)(a)") == "not-met" and state(page, "7(d)") == "not-met"


@pytest.mark.parametrize(
    ("turnover", "loss", "met"),
    [
        ("20000000", "499999.99", False),  # 5 % is EUR 1 000 000: EUR 500 000 is the lower
        ("20000000", "500000", False),  # "more than": at the threshold is not above it
        ("20000000", "500000.01", True),
        ("8000000", "400000", False),  # 5 % is EUR 400 000, the lower
        ("8000000", "400000.01", True),
        ("", "500000.01", True),  # without the turnover, above EUR 500 000 still decides
    ],
)
def test_direct_financial_loss_at_the_lower_of_500000_and_5_percent(
    client, incident, turnover, loss, met
):
    response = assess(client, incident, annual_turnover_eur=turnover, direct_loss_eur=loss)
    page = html.unescape(response.data.decode())
    assert response.status_code == 200
    assert state(page, "3(1)(a)") == ("met" if met else "not-met")
    assert proposal(page) == ("significant" if met else "not significant")


def test_a_loss_below_500000_without_the_turnover_is_not_conclusive(client, incident):
    page = html.unescape(
        assess(client, incident, annual_turnover_eur="", direct_loss_eur="450000").data.decode()
    )
    assert state(page, "3(1)(a)") == "unknown"
    assert proposal(page) == "significant"
    assert "Not conclusive: not evaluated for lack of input: Direct financial loss" in page


@pytest.mark.parametrize(
    ("sector", "overrides", "citation", "met"),
    [
        ("cloud", {"unavailable_for-minutes": "30"}, "7(a)", False),
        ("cloud", {"unavailable_for-minutes": "31"}, "7(a)", True),
        ("cloud", {"unavailable_for-hours": "1"}, "7(a)", True),
        ("trust_service", {"unavailable_for-minutes": "20"}, "14(a)", False),
        ("trust_service", {"unavailable_for-minutes": "21"}, "14(a)", True),
        # 5 % of 10 million EU users is 500 000, below 1 million: the smaller figure counts
        ("cloud", {"limited_users": "500000", "limited_for-minutes": "61"}, "7(b)", False),
        ("cloud", {"limited_users": "500001", "limited_for-minutes": "61"}, "7(b)", True),
        ("cloud", {"limited_users": "500001", "limited_for-hours": "1"}, "7(b)", False),
        ("online_marketplace", {"unavailable_users": "500001"}, "11(a)", True),
        ("online_marketplace", {"unavailable_users": "500000"}, "11(a)", False),
    ],
)
def test_sector_thresholds_at_their_boundaries(client, incident, sector, overrides, citation, met):
    page = html.unescape(assess(client, incident, sector=sector, **overrides).data.decode())
    assert state(page, citation) == ("met" if met else "not-met")
    assert proposal(page) == ("significant" if met else "not significant")


def test_the_proposal_names_the_criteria_met(client, incident):
    response = assess(
        client,
        incident,
        direct_loss_eur="750000",
        malicious_access="yes",
        malicious_access_rationale="Stolen admin token used to reach the control plane.",
    )
    page = html.unescape(response.data.decode())
    assert proposal(page) == "significant"
    assert state(page, "3(1)(a)") == "met" and state(page, "3(1)(e)") == "met"
    summary = re.search(r'<p class="summary">([^<]*)</p>', page).group(1)
    assert summary.startswith("NIS2 significance (Directive (EU) 2022/2555 Art. 23(3);")
    assert "The method proposes: significant." in summary
    assert (
        "Criteria met: Direct financial loss > EUR 500 000 or 5 % of turnover (the lower) "
        "(IR 2024/2690 Art. 3(1)(a)); Successful, suspectedly malicious, unauthorised access "
        "(IR 2024/2690 Art. 3(1)(e))." in summary
    )


def test_nothing_assessed_is_not_conclusive_and_proposes_significant(app, client, incident):
    set_profile(app, nis2_sector="Energy")
    blank = {"sector": "other", "malicious_access": ""}
    response = client.post(url(incident), data={"assess": "1", **blank})
    page = html.unescape(response.data.decode())
    assert proposal(page) == "significant"
    assert (
        "No criterion is met. Not conclusive: not evaluated for lack of input: Severe "
        "operational disruption or financial loss (NIS2 Art. 23(3)(a)); Considerable damage "
        "to other natural or legal persons (NIS2 Art. 23(3)(b))" in page
    )


def test_planned_maintenance_excludes_significance(client, incident):
    page = html.unescape(
        assess(
            client,
            incident,
            **{"unavailable_for-hours": "2"},
            scheduled_maintenance="yes",
            scheduled_maintenance_rationale="Announced maintenance window, 02:00-04:00.",
        ).data.decode()
    )
    assert state(page, "7(a)") == "met" and state(page, "3(2)") == "met"
    assert proposal(page) == "not significant"
    assert "Excluded as Scheduled interruption" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"direct_loss_eur": "-1"}, "must not be negative"),
        ({"direct_loss_eur": "500.000,00"}, "without thousands separators"),
        ({"annual_turnover_eur": "NaN"}, "an amount in euro such as 500000"),
        ({"eu_users": "1.5"}, "enter a whole number such as 1200"),
        ({"limited_users": "99999999999"}, "must be at most 10,000,000,000"),
        ({"unavailable_for-minutes": "-5"}, "Minutes: must not be negative"),
    ],
)
def test_numbers_are_checked_with_clear_messages(client, incident, overrides, message):
    response = assess(client, incident, **overrides)
    assert response.status_code == 422
    assert message in response.data.decode()
    assert 'id="proposal"' not in response.data.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"death": "yes", "death_rationale": " "}, "death_rationale", "give the reason"),
        ({"recurrence_same_root_cause": ""}, "recurrence_same_root_cause", "say whether"),
        (
            {"recurrence_occurrences": "", "recurrence_same_root_cause": "yes"},
            "recurrence_occurrences",
            "give the number of incidents, or clear",
        ),
        (
            {
                "misconfiguration_domains_incorrect": "20",
                "misconfiguration_domains_managed": "5",
                "misconfiguration_rationale": "A typo in a zone template.",
            },
            "misconfiguration_domains_managed",
            "give the number managed (at least the incorrect ones)",
        ),
    ],
)
def test_unusable_inputs_are_named_at_their_field(client, incident, overrides, field, message):
    response = assess(client, incident, **overrides)
    page = response.data.decode()
    assert response.status_code == 422
    assert re.search(
        rf'name="{field}"[^>]*>.*?<div class="invalid-feedback">{re.escape(message)}', page, re.S
    )


def test_confirming_and_overriding_keep_versions_and_drive_the_clocks(app, client, incident):
    assert set(statuses(app, incident).values()) == {"open", "awaiting_anchor"}

    response = record(client, incident, "not_significant")
    assert response.headers["Location"].endswith(f"/incidents/{incident}/assessments")
    assert set(statuses(app, incident).values()) == {"no_longer_applicable"}
    with app.app_context():
        assert get_incident(incident).nis2_significant is False

    assert record(client, incident, "significant", direct_loss_eur="900000").status_code == 302
    assert statuses(app, incident)["nis2.early_warning"] == "open"
    with app.app_context():
        row = get_incident(incident)
        assert row.nis2_significant is True
        assert "Criteria met: Direct financial loss" in row.nis2_significance_rationale

    response = record(client, incident, "not_significant", direct_loss_eur="900000")
    assert response.status_code == 422
    assert "the method proposes significant: give the reason for deciding not significant" in (
        html.unescape(response.data.decode())
    )
    why = "The loss was recovered in full from the insurer within the day."
    response = record(client, incident, "not_significant", why, direct_loss_eur="900000")
    assert response.status_code == 302
    found = versions(app, incident)
    assert [row[:4] for row in found] == [
        (1, "not_significant", "not_significant", ""),
        (2, "significant", "significant", ""),
        (3, "significant", "not_significant", why),
    ]
    result = json.loads(found[0][4])
    assert (result["conclusive"], result["excluded_by"], result["sector"]) == (True, None, "cloud")
    assert len(result["criteria"]) == 12  # Art. 23(3)(a)-(b), IR Art. 3(1)(a)-(f), Art. 7(a)-(d)
    assert statuses(app, incident)["nis2.early_warning"] == "no_longer_applicable"
    with app.app_context():
        events = [event.text for event in get_incident(incident).events]
    assert any("NIS2 early warning (DE) no longer applies" in text for text in events)
    assert any("NIS2 early warning (DE) applies again" in text for text in events)
    assert any("NIS2 significance, version 3" in text and why in text for text in events)


def test_a_decision_outside_the_choices_is_refused(client, incident):
    response = record(client, incident, "maybe")
    assert response.status_code == 422
    assert "choose one of: significant, not significant" in response.data.decode()


def test_the_next_form_starts_from_the_last_version(client, incident):
    overrides = {
        "sector": "cdn",
        "direct_loss_eur": "500000.01",
        "limited_for-hours": "1",
        "limited_for-minutes": "90",
        "health_damage_rationale": "No health impact: no medical systems involved.",
    }
    assert record(client, incident, "significant", **overrides).status_code == 302
    page = client.get(url(incident)).data.decode()
    assert selected(page, "sector") == "cdn"
    assert 'value="500000.01"' in page
    assert re.search(r'name="limited_for-hours"[^>]*value="2"', page)
    assert re.search(r'name="limited_for-minutes"[^>]*value="30"', page)
    assert "No health impact: no medical systems involved." in page
    assert selected(page, "recurrence_same_root_cause") == "no"


def test_the_assessments_page_shows_the_decision_and_the_history(client, incident):
    record(client, incident, "not_significant")
    why = "Announced to customers as maintenance; the CSIRT agreed."
    record(client, incident, "not_significant", why, direct_loss_eur="600000")
    page = html.unescape(client.get(f"/incidents/{incident}/assessments").data.decode())
    section = re.search(r'id="assessment-nis2".*?</section>', page, re.S).group(0)
    assert "not significant" in section and why in section
    assert "version 2" in section
    history = re.search(r'id="assessment-history".*?</table>', page, re.S).group(0)
    assert history.count("<td>NIS2 significance</td>") == 2


@pytest.mark.parametrize("role", ["viewer", "commander", "legal"])
def test_only_deciders_may_assess(client, incident, as_role, role):
    as_role(role)
    assert client.get(url(incident)).status_code == 403
    assert assess(client, incident).status_code == 403


def test_unknown_incidents_and_methods_are_not_found(client, incident):
    assert client.get(url("INC-2099-9999")).status_code == 404
    assert client.get(url(incident, "nis3")).status_code == 404
