"""ENISA breach severity through the web: vectors, boundaries, the decision, the clocks after it."""

import json
import re

import pytest

from incident_tracker.extensions import db
from incident_tracker.models import Assessment, AuditEvent, DataCategory, Obligation
from tests.helpers import PASSWORD, get_incident, incident_form, reference_from

SIMPLE = ("simple", 0, (), "names and e-mail addresses of customers")
BEHAVIOURAL = ("behavioural", 0, (), "location history of app users")
FINANCIAL = ("financial", 0, (), "card numbers and bank statements")
SENSITIVE = ("sensitive", 0, (), "laboratory results")


def enisa(*rows, ei="maximum", conf="none", integ="none", avail="none", malicious="no", **more):
    """An ENISA form submission: the data rows (type, adjustment, factors, rationale) and CB."""
    data = {}
    for index, (kind, adjustment, factors, why) in enumerate(rows or (SIMPLE,)):
        data[f"categories-{index}-data_type"] = kind
        data[f"categories-{index}-adjustment"] = str(adjustment)
        data[f"categories-{index}-factors"] = list(factors)
        data[f"categories-{index}-rationale"] = why
    judgements = {
        "identification": ei,
        "confidentiality": conf,
        "integrity": integ,
        "availability": avail,
        "malicious": malicious,
    }
    for name, value in judgements.items():
        data[name], data[f"{name}_rationale"] = value, f"why {name} is {value}"
    data.update(more)
    return data


@pytest.fixture
def incident(client, as_role):
    """A personal data breach in DE whose GDPR risk is not yet assessed, as the DPO sees it."""
    as_role("dpo")
    return reference_from(client.post("/incidents/new", data=incident_form(gdpr_risk="")))


def assess(client, reference, data, record=False):
    extra = {"record": "1"} if record else {"assess": "1"}
    return client.post(f"/incidents/{reference}/assessments/enisa", data={**data, **extra})


def proposal(page: str) -> str:
    match = re.search(r'<span class="proposal">([^<]*)</span>', page)
    assert match, "no proposal on the page"
    return match.group(1)


def selected(page: str, name: str) -> list[str]:
    """The selected values of the select named name."""
    match = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert match, f"no select {name}"
    return re.findall(r'<option selected value="([^"]*)"', match.group(1))


def versions(app, reference) -> list[Assessment]:
    with app.app_context():
        incident = get_incident(reference)
        statement = db.select(Assessment).filter_by(incident_id=incident.id, kind="enisa")
        rows = db.session.execute(statement.order_by(Assessment.version)).scalars().all()
        db.session.expunge_all()
        return rows


def obligations(app, reference) -> dict[str, str]:
    with app.app_context():
        rows = get_incident(reference).obligations
        return {f"{row.rule_id}:{row.jurisdiction}": row.status for row in rows}


# The catalogue's vectors (regulatory-rules.md section 8): rows, CB choices, SE, level, proposal.
CATALOGUE_VECTORS = [
    pytest.param(
        (SIMPLE,),
        {"conf": "unknown_recipients", "malicious": "yes"},
        "1 x 1 + 1 = 2.00",
        "medium",
        "a risk",
        id="customer list published, malicious",
    ),
    pytest.param(
        (SENSITIVE,),
        {"ei": "significant", "conf": "known_recipients"},
        "4 x 0.75 + 0.25 = 3.25",
        "high",
        "a high risk",
        id="lab results sent to one known wrong recipient",
    ),
    pytest.param(
        (FINANCIAL,),
        {"ei": "negligible", "conf": "exposed"},
        "3 x 0.25 + 0 = 0.75",
        "low",
        "unlikely to result in a risk",
        id="encrypted laptop with financial data, key safe",
    ),
    pytest.param(
        (SENSITIVE,),
        {"conf": "unknown_recipients", "malicious": "yes"},
        "4 x 1 + 1 = 5.00",
        "very high",
        "a high risk",
        id="health data published, malicious",
    ),
    pytest.param(
        (BEHAVIOURAL,),
        {"ei": "limited", "avail": "temporary"},
        "2 x 0.5 + 0.25 = 1.25",
        "low",
        "unlikely to result in a risk",
        id="behavioural data, temporary unavailability",
    ),
]


@pytest.mark.parametrize("rows, judgements, equation, level, proposed", CATALOGUE_VECTORS)
def test_the_catalogue_vectors_propose_their_level(
    client, incident, rows, judgements, equation, level, proposed
):
    response = assess(client, incident, enisa(*rows, **judgements))
    page = response.data.decode()
    assert response.status_code == 200
    assert proposal(page) == proposed
    assert f"SE = DPC x EI + CB = {equation}, a {level} severity" in page


BOUNDARIES = [
    # SE 1.75 is the highest low score the quarter steps allow, 2.00 the lowest medium...
    ({"integ": "misused_unrecoverable", "conf": "known_recipients"}, (SIMPLE,), "1.75", "low"),
    ({}, (BEHAVIOURAL,), "2.00", "medium"),
    (
        {"conf": "unknown_recipients", "integ": "misused_unrecoverable", "malicious": "yes"}
        | {"avail": "temporary"},
        (SIMPLE,),
        "2.75",
        "medium",
    ),
    (
        {"malicious": "yes"},
        (("simple", 1, ("volume",), "two million customers"),),
        "2.50",
        "medium",
    ),
    ({}, (FINANCIAL,), "3.00", "high"),
    ({"avail": "permanent", "integ": "misused_recoverable"}, (FINANCIAL,), "3.75", "high"),
    ({}, (SENSITIVE,), "4.00", "very high"),
    # ...the highest category sets the DPC, and a cut with a lowering factor is honoured
    ({}, (SIMPLE, FINANCIAL), "3.00", "high"),
    ({}, (("sensitive", -3, ("nature_of_data",), "only a clinic's opening hours"),), "1.00", "low"),
]
LEVEL_PROPOSALS = {
    "low": "unlikely to result in a risk",
    "medium": "a risk",
    "high": "a high risk",
    "very high": "a high risk",
}


@pytest.mark.parametrize("judgements, rows, score, level", BOUNDARIES)
def test_scores_at_the_band_boundaries(client, incident, judgements, rows, score, level):
    page = assess(client, incident, enisa(*rows, **judgements)).data.decode()
    assert f"= {score}, a {level} severity" in page
    assert proposal(page) == LEVEL_PROPOSALS[level]


def test_the_proposal_lists_every_factor_with_its_rationale(client, incident):
    page = assess(client, incident, enisa(SIMPLE, FINANCIAL, malicious="yes")).data.decode()
    assert page.count('class="criterion ') == 8  # 2 categories, EI, C, I, A, malice, mapping
    assert "Data processing context: financial data" in page
    assert "not the highest category, so it does not set the DPC" in page
    assert "why malicious is yes" in page
    assert "Regulation (EU) 2016/679 Arts 33(1), 34(1)" in page


def test_assessing_stores_nothing(app, client, incident):
    assert assess(client, incident, enisa()).status_code == 200
    assert versions(app, incident) == []


REFUSED = [
    ({"identification_rationale": "  "}, "the rationale is required and must not be blank"),
    ({"malicious_rationale": ""}, "the rationale is required and must not be blank"),
    ({"categories-0-rationale": ""}, "Data category 1: rationale is required"),
    ({"categories-0-adjustment": "1"}, "Data category 1: raising the DPC score needs an increas"),
    (
        {"categories-0-data_type": "financial", "categories-0-adjustment": "-1"},
        "Data category 1: lowering the DPC score needs a decreasing contextual factor",
    ),
    (
        {"categories-0-data_type": "financial", "categories-0-adjustment": "-1"}
        | {"categories-0-factors": "volume"},
        "lowering the DPC score needs a decreasing contextual factor",
    ),
    (
        {"categories-0-data_type": "sensitive", "categories-0-adjustment": "1"}
        | {"categories-0-factors": "volume"},
        "Data category 1: sensitive data adjusted by 1 leaves 1..4",
    ),
    ({"categories-0-data_type": "", "categories-0-rationale": ""}, "enter at least one category"),
    ({"categories-0-data_type": ""}, "choose the type of data"),
    ({"categories-0-adjustment": "4"}, "Not a valid choice"),
    ({"categories-0-factors": "weather"}, "is not a valid choice"),
    ({"identification": ""}, "This field is required"),
    ({"malicious": "maybe"}, "Not a valid choice"),
    ({"confidentiality": "leaked"}, "Not a valid choice"),
]


@pytest.mark.parametrize("change, message", REFUSED)
def test_unusable_inputs_are_refused_at_their_field(app, client, incident, change, message):
    response = assess(client, incident, {**enisa(), **change}, record=True)
    page = response.data.decode()
    assert response.status_code == 422
    assert message in page
    assert 'id="proposal"' not in page
    assert versions(app, incident) == []


def test_a_confirmed_decision_sets_the_risk_with_timeline_and_audit(app, client, incident):
    data = enisa(SENSITIVE, ei="significant", conf="known_recipients")
    response = assess(client, incident, {**data, "decision": "high"}, record=True)
    assert response.headers["Location"].endswith(f"/incidents/{incident}/assessments")
    [row] = versions(app, incident)
    assert (row.version, row.proposal, row.decision, row.overridden) == (1, "high", "high", False)
    assert json.loads(row.inputs)["categories"][0]["data_type"] == "sensitive"
    assert json.loads(row.result)["score"] == "3.25"
    with app.app_context():
        found = get_incident(incident)
        assert found.gdpr_risk == "high"
        assert found.gdpr_risk_rationale == row.summary
        assert row.summary.startswith("Assessed with ENISA, Recommendations for a methodology")
        events = [event.text for event in found.events if event.kind == "assessment"]
        assert events == [
            "ENISA breach severity, version 1: the method proposes a high risk; "
            "dpo@example.org decided a high risk (confirmed)"
        ]
        audited = db.session.execute(
            db.select(AuditEvent.entity, AuditEvent.action, AuditEvent.after).filter_by(
                incident_id=found.id
            )
        ).all()
    assert ("assessment", "insert") in {(entity, action) for entity, action, _ in audited}
    changes = [json.loads(after) for entity, action, after in audited if action == "update"]
    assert any(change.get("gdpr_risk") == "high" for change in changes)
    index = client.get(f"/incidents/{incident}/assessments").data.decode()
    assert "proposal confirmed" in index and "SE = DPC x EI + CB = 4 x 0.75" in index


def test_an_override_needs_a_reason(app, client, incident):
    data = {**enisa(SENSITIVE, ei="significant", conf="known_recipients"), "decision": "risk"}
    refused = assess(client, incident, {**data, "reason": "  "}, record=True)
    assert refused.status_code == 422
    assert "the method proposes a high risk: give the reason for deciding a risk instead" in (
        refused.data.decode()
    )
    assert versions(app, incident) == []
    reason = "the recipient is our own auditor, bound by secrecy, and deleted the file"
    assess(client, incident, {**data, "reason": reason}, record=True)
    [row] = versions(app, incident)
    assert (row.proposal, row.decision, row.override_reason) == ("high", "risk", reason)
    with app.app_context():
        found = get_incident(incident)
        assert found.gdpr_risk == "risk"
        assert any(reason in event.text for event in found.events if event.kind == "assessment")
    assert reason in client.get(f"/incidents/{incident}/assessments").data.decode()


def test_an_unknown_decision_is_refused(app, client, incident):
    response = assess(client, incident, {**enisa(), "decision": "medium"}, record=True)
    assert response.status_code == 422
    assert "choose one of: unlikely to result in a risk, a risk, a high risk" in (
        response.data.decode()
    )
    assert versions(app, incident) == []


def test_the_first_form_is_prefilled_from_the_incident(app, client, as_role):
    as_role("dpo")
    with app.app_context():
        ids = dict(db.session.execute(db.select(DataCategory.code, DataCategory.id)).all())
    codes = ("contact", "financial", "health", "source_code")
    data = incident_form(data_categories=[str(ids[code]) for code in codes], malicious="yes")
    reference = reference_from(client.post("/incidents/new", data=data))
    page = client.get(f"/incidents/{reference}/assessments/enisa").data.decode()
    assert [selected(page, f"categories-{n}-data_type") for n in range(5)] == [
        ["simple"],
        ["financial"],
        ["sensitive"],
        [],
        [],
    ]
    assert selected(page, "categories-0-adjustment") == ["0"]
    assert "Recorded on the incident: Health data (PHI)" in page
    assert "Source code" not in page  # not personal data
    assert selected(page, "malicious") == ["yes"]
    assert selected(page, "identification") == []


def test_the_next_version_is_prefilled_from_the_last(app, client, incident):
    raised = ("simple", 1, ("volume", "individual_characteristics"), "two million pupils")
    data = enisa(raised, FINANCIAL, ei="limited", avail="temporary", malicious="yes")
    assess(client, incident, data, record=True)
    page = client.get(f"/incidents/{incident}/assessments/enisa").data.decode()
    assert selected(page, "categories-0-data_type") == ["simple"]
    assert selected(page, "categories-0-adjustment") == ["1"]
    assert selected(page, "categories-0-factors") == ["volume", "individual_characteristics"]
    assert selected(page, "categories-1-data_type") == ["financial"]
    assert selected(page, "categories-2-data_type") == []  # blank rows to add to
    assert selected(page, "identification") == ["limited"]
    assert selected(page, "availability") == ["temporary"]
    assert selected(page, "malicious") == ["yes"]
    assert "two million pupils" in page and "why availability is temporary" in page
    assess(client, incident, {**data, "identification": "maximum"}, record=True)
    assert [(row.version, row.decision) for row in versions(app, incident)] == [
        (1, "risk"),  # 3 x 0.5 + 0.75 = 2.25
        (2, "high"),  # 3 x 1 + 0.75 = 3.75
    ]
    history = client.get(f"/incidents/{incident}/assessments").data.decode()
    assert "version 2 by dpo@example.org" in history


def test_the_decision_drives_the_gdpr_clocks(app, client, incident):
    assert obligations(app, incident)["gdpr.sa_notification:DE"] == "open"
    assert "gdpr.data_subject_notice:EU" not in obligations(app, incident)
    published = enisa(SENSITIVE, conf="unknown_recipients", malicious="yes")
    assess(client, incident, {**published, "decision": "high"}, record=True)
    owed = obligations(app, incident)
    assert owed["gdpr.data_subject_notice:EU"] == "no_fixed_deadline"
    assert owed["gdpr.sa_notification:DE"] == "open"
    contained = enisa(FINANCIAL, ei="negligible", conf="exposed")
    assess(client, incident, {**contained, "decision": "unlikely"}, record=True)
    retired = obligations(app, incident)
    assert retired["gdpr.sa_notification:DE"] == "no_longer_applicable"
    assert retired["gdpr.data_subject_notice:EU"] == "no_longer_applicable"
    with app.app_context():
        row = db.session.execute(
            db.select(Obligation).filter_by(rule_id="gdpr.sa_notification")
        ).scalar_one()
        assert row.reason.startswith("The rule no longer applies because the GDPR risk")


def test_a_risk_keeps_the_authority_notice_and_not_the_people_notice(app, client, incident):
    assess(client, incident, {**enisa(BEHAVIOURAL), "decision": "risk"}, record=True)
    owed = obligations(app, incident)
    assert owed["gdpr.sa_notification:DE"] == "open"
    assert "gdpr.data_subject_notice:EU" not in owed
    with app.app_context():
        assert get_incident(incident).gdpr_risk == "risk"


@pytest.mark.parametrize("role", ["viewer", "commander", "legal"])
def test_only_deciders_may_assess(app, client, as_role, make_user, role):
    as_role("dpo")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    other = app.test_client()
    user = make_user(role)
    other.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    url = f"/incidents/{reference}/assessments/enisa"
    assert other.get(url).status_code == 403
    assert other.post(url, data={**enisa(), "record": "1"}).status_code == 403
    index = other.get(f"/incidents/{reference}/assessments")
    assert index.status_code == 200
    assert f'href="/incidents/{reference}/assessments/enisa"' not in index.data.decode()
    assert versions(app, reference) == []


def test_an_admin_may_assess(client, as_role):
    as_role("admin")
    reference = reference_from(client.post("/incidents/new", data=incident_form()))
    assert client.get(f"/incidents/{reference}/assessments/enisa").status_code == 200


def test_unknown_kind_or_incident_is_404(client, incident):
    assert client.get(f"/incidents/{incident}/assessments/severity").status_code == 404
    assert client.get("/incidents/INC-1999-0001/assessments/enisa").status_code == 404
    assert client.get("/incidents/INC-1999-0001/assessments").status_code == 404


def test_the_assess_page_shows_the_fields_inside_one_form(client, incident):
    page = client.get(f"/incidents/{incident}/assessments/enisa").data.decode()
    start = page.index('id="assessment-form"')
    form = page[start : page.index("</form>", start)]
    assert "<form" not in form
    for name in ("categories-0-factors", "identification_rationale", "malicious"):
        assert f'name="{name}"' in form
