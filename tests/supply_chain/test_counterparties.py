"""The supply-chain register: counterparties, contracts, notice clauses, systems, components, and
the contractual obligations of open incidents following every change."""

import re

import pytest

from incident_tracker.extensions import db
from incident_tracker.models import (
    ComponentUse,
    Contract,
    Counterparty,
    NoticeClause,
    Obligation,
    System,
)
from tests.helpers import PASSWORD, get_incident, incident_form, reference_from, utc

PARTY = {
    "name": "Acme AI",
    "kind": "customer",
    "country": "de",
    "timezone": "Europe/Berlin",
    "contact_email": "security@acme.example",
    "language": "en",
    "notes": "AI lab; pays for labelled data.",
}
CONTRACT = {"title": "Master Services Agreement", "reference": "MSA-2025", "governing_law": "DE"}
CLAUSE = {
    "preset": "",
    "trigger": "awareness",
    "unit": "business_hours",
    "amount": "48",
    "direction": "outbound",
    "applies_to": "security_incident",
    "slug": "acme-msa-9-2",
    "reference": "Clause 9.2",
    "content": "Nature of the incident, data concerned, contact point.",
    "channel": "e-mail",
    "recipient_contact": "security@acme.example",
    "language": "en",
}
# Thursday before Easter 2026, 10:00 in Berlin (CEST): Good Friday (3 April) and Easter Monday
# (6 April) are public holidays in Germany.
AWARE = "2026-04-02 10:00"


def _party(app, name="Acme AI") -> Counterparty:
    with app.app_context():
        party = db.session.execute(db.select(Counterparty).filter_by(name=name)).scalar_one()
        db.session.expunge(party)
        return party


def _count(app, model) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def _register(client, **overrides) -> int:
    response = client.post("/counterparties/new", data={**PARTY, **overrides})
    assert response.status_code == 302, response.data.decode()
    return int(re.search(r"/counterparties/(\d+)$", response.headers["Location"]).group(1))


def _contract(client, party_id: int, **overrides) -> int:
    data = {**CONTRACT, **overrides}
    response = client.post(f"/counterparties/{party_id}/contracts/new", data=data)
    assert response.status_code == 302, response.data.decode()
    return _only(Contract, title=data["title"])


def _clause(client, contract_id: int, **overrides):
    data = {**CLAUSE, **overrides}
    return client.post(f"/counterparties/contracts/{contract_id}/clauses/new", data=data)


def _only(model, **filters) -> int:
    return db.session.execute(db.select(model.id).filter_by(**filters)).scalar_one()


def _incident(client, name="Acme AI", **overrides) -> str:
    parties = {
        "parties-0-name": name,
        "parties-0-kind": "customer",
        "parties-0-role": "affected_customer",
        "parties-0-package_url": "",
    }
    data = incident_form(aware_at=AWARE, **parties, **overrides)
    return reference_from(client.post("/incidents/new", data=data))


def _obligations(reference: str) -> dict[str, Obligation]:
    incident = get_incident(reference)
    return {row.rule_id: row for row in incident.obligations}


def _timeline(reference: str) -> list[str]:
    return [event.text for event in get_incident(reference).events if event.kind == "deadline"]


@pytest.fixture
def dpo(as_role):
    return as_role("dpo")


# --- counterparties ------------------------------------------------------------------------


def test_counterparty_is_registered_listed_shown_and_edited(app, client, dpo):
    party_id = _register(client)
    with app.app_context():
        party = db.session.get(Counterparty, party_id)
        assert (party.country, party.timezone, party.kind) == ("DE", "Europe/Berlin", "customer")
    assert "Acme AI" in client.get("/counterparties/").data.decode()
    assert "security@acme.example" in client.get(f"/counterparties/{party_id}").data.decode()
    edited = {**PARTY, "name": "Acme AI Labs", "country": "us-ca", "timezone": "America/New_York"}
    assert client.post(f"/counterparties/{party_id}/edit", data=edited).status_code == 302
    with app.app_context():
        party = db.session.get(Counterparty, party_id)
        assert (party.name, party.country, party.timezone) == (
            "Acme AI Labs",
            "US-CA",
            "America/New_York",
        )


def test_the_list_filters_by_kind(client, dpo):
    _register(client)
    _register(client, name="Mercor", kind="vendor")
    vendors = _table(client.get("/counterparties/?kind=vendor").text)
    assert "Mercor" in vendors and "Acme AI" not in vendors
    everyone = _table(client.get("/counterparties/?kind=nonsense").text)
    assert "Mercor" in everyone and "Acme AI" in everyone


def _table(page: str) -> str:
    start = page.index('id="counterparty-list"')
    return page[start : page.index("</table>", start)]


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("name", "", "This field is required"),
        ("name", "x" * 101, "Field cannot be longer than 100 characters"),
        ("kind", "supplier", "Not a valid choice"),
        ("country", "UK", "&#39;UK&#39; is not an ISO 3166-1 code; use &#39;GB&#39;"),
        ("country", "US-XX", "is not a US state, DC or territory code"),
        ("timezone", "Mars/Olympus", "unknown IANA timezone"),
        ("contact_email", "not-an-address", "Invalid email address"),
        ("language", "", "give a language code"),
    ],
)
def test_invalid_counterparty_is_refused_with_a_message(app, client, dpo, field, value, message):
    response = client.post("/counterparties/new", data={**PARTY, field: value})
    assert response.status_code == 422
    assert message in response.data.decode()
    assert _count(app, Counterparty) == 0


def test_a_duplicate_name_is_refused_whatever_its_case(app, client, dpo):
    party_id = _register(client)
    response = client.post("/counterparties/new", data={**PARTY, "name": "  ACME ai "})
    assert response.status_code == 422
    assert "A counterparty named &#39;ACME ai&#39; is already registered." in response.text
    assert _count(app, Counterparty) == 1
    same = client.post(f"/counterparties/{party_id}/edit", data={**PARTY, "notes": "renewed"})
    assert same.status_code == 302


def test_a_vendor_holds_the_data_of_chosen_customers_only(app, client, dpo):
    customer_id = _register(client)
    other_id = _register(client, name="Globex", kind="other")
    vendor = {**PARTY, "name": "Mercor", "kind": "vendor"}
    refused = client.post("/counterparties/new", data={**vendor, "customers": [str(other_id)]})
    assert refused.status_code == 422
    assert "is not a valid choice for this field" in refused.text
    vendor_id = _register(client, **{**vendor, "customers": [str(customer_id)]})
    with app.app_context():
        assert [c.name for c in db.session.get(Counterparty, vendor_id).customers] == ["Acme AI"]
    client.get("/counterparties/")  # shows (and so clears) the flashed messages
    held_by = client.get(f"/counterparties/{customer_id}").text.split('id="holders"')[1]
    assert "Mercor</a> (vendor)" in held_by.split("</dd>")[0]
    edit_page = client.get(f"/counterparties/{vendor_id}/edit").text
    (box,) = re.findall(rf'<input[^>]*name="customers"[^>]*value="{customer_id}"[^>]*>', edit_page)
    assert "checked" in box
    as_customer = {**PARTY, "name": "Other lab", "customers": [str(customer_id)]}
    refused = client.post("/counterparties/new", data=as_customer)
    assert refused.status_code == 422
    assert "only a vendor or processor holds customers&#39; data" in refused.text


def test_a_customer_whose_data_is_held_keeps_its_kind(client, dpo):
    customer_id = _register(client)
    _register(client, name="Mercor", kind="vendor", customers=[str(customer_id)])
    response = client.post(f"/counterparties/{customer_id}/edit", data={**PARTY, "kind": "other"})
    assert response.status_code == 422
    assert "vendors or systems hold this customer&#39;s data" in response.text


@pytest.mark.parametrize("role", ["viewer", "commander"])
def test_only_register_editors_change_the_register(app, client, as_role, role):
    as_role("dpo")
    party_id = _register(client)
    with app.app_context():
        contract_id = _contract(client, party_id)
    client.post("/auth/logout")
    as_role(role)
    assert client.get("/counterparties/").status_code == 200
    assert client.get(f"/counterparties/{party_id}").status_code == 200
    assert client.get("/counterparties/systems/").status_code == 200
    for url in (
        "/counterparties/new",
        f"/counterparties/{party_id}/edit",
        f"/counterparties/{party_id}/contracts/new",
        f"/counterparties/contracts/{contract_id}/edit",
        f"/counterparties/contracts/{contract_id}/clauses/new",
        "/counterparties/systems/new",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/counterparties/new", data={**PARTY, "name": "X"}).status_code == 403
    deactivate = f"/counterparties/contracts/{contract_id}/deactivate"
    assert client.post(deactivate).status_code == 403
    assert _count(app, Counterparty) == 1


def test_viewing_needs_a_login(client):
    response = client.get("/counterparties/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_unknown_ids_are_not_found(client, dpo):
    for url in (
        "/counterparties/999",
        "/counterparties/999/edit",
        "/counterparties/contracts/999/edit",
        "/counterparties/clauses/999/edit",
        "/counterparties/systems/999",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/counterparties/clauses/999/delete").status_code == 404
    assert client.post("/counterparties/components/999/delete").status_code == 404


# --- contracts and clauses -----------------------------------------------------------------


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("title", "", "expected non-empty text, got &#34;&#34;"),
        ("title", "x" * 101, "must be at most 100 characters long"),
        ("governing_law", "UK", "&#39;UK&#39; is not an ISO 3166-1 code; use &#39;GB&#39;"),
        ("governing_law", "ZZ", "is not an ISO 3166-1 alpha-2 country code"),
        ("reference", "x" * 41, "Field cannot be longer than 40 characters"),
    ],
)
def test_invalid_contract_is_refused(app, client, dpo, field, value, message):
    party_id = _register(client)
    data = {**CONTRACT, field: value}
    response = client.post(f"/counterparties/{party_id}/contracts/new", data=data)
    assert response.status_code == 422
    assert message in response.text
    assert _count(app, Contract) == 0


def test_contract_is_added_edited_and_deactivated(app, client, dpo):
    party_id = _register(client)
    with app.app_context():
        contract_id = _contract(client, party_id, governing_law="us-ny")
        assert db.session.get(Contract, contract_id).governing_law == "US-NY"
    edited = {**CONTRACT, "title": "MSA (amended)"}
    assert (
        client.post(f"/counterparties/contracts/{contract_id}/edit", data=edited).status_code == 302
    )
    assert client.post(f"/counterparties/contracts/{contract_id}/deactivate").status_code == 302
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert (contract.title, contract.governing_law, contract.active) == (
            "MSA (amended)",
            "DE",
            False,
        )
    assert "inactive" in client.get(f"/counterparties/{party_id}").text
    assert client.post(f"/counterparties/contracts/{contract_id}/activate").status_code == 302
    with app.app_context():
        assert db.session.get(Contract, contract_id).active


def test_a_preset_sets_the_clock_and_an_id_is_suggested(app, client, dpo):
    party_id = _register(client)
    with app.app_context():
        contract_id = _contract(client, party_id)
    form = client.get(f"/counterparties/contracts/{contract_id}/clauses/new").text
    assert "48 business hours from awareness" in form and "24 hours from awareness" in form
    preset = {"preset": "48_business_hours", "trigger": "suspicion", "unit": "hours", "amount": ""}
    response = _clause(client, contract_id, slug="", **preset)
    assert response.status_code == 302, response.text
    with app.app_context():
        clause = db.session.execute(db.select(NoticeClause)).scalar_one()
        assert (clause.trigger, clause.unit, clause.amount) == ("awareness", "business_hours", 48)
        assert clause.slug == "msa-2025-clause-9-2"
    again = _clause(client, contract_id, slug="", preset="without_undue_delay", amount="12")
    assert again.status_code == 302, again.text
    with app.app_context():
        second = db.session.execute(db.select(NoticeClause).order_by(NoticeClause.id.desc()))
        clause = second.scalars().first()
        assert (clause.unit, clause.amount, clause.slug) == (
            "without_undue_delay",
            None,
            "msa-2025-clause-9-2-2",
        )


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"amount": "0"}, "expected a whole number from 1 to 9999, got 0"),
        ({"amount": "10000"}, "expected a whole number from 1 to 9999, got 10000"),
        ({"amount": ""}, "expected a whole number from 1 to 9999, got null"),
        ({"amount": "many"}, "Not a valid integer value"),
        (
            {"unit": "without_undue_delay", "amount": "24"},
            "must be null: without_undue_delay has no fixed period",
        ),
        ({"unit": "weeks"}, "&#34;weeks&#34; is not one of hours, calendar_days"),
        ({"trigger": "rumour"}, "&#34;rumour&#34; is not one of awareness, confirmation"),
        ({"direction": "sideways"}, "&#34;sideways&#34; is not one of outbound, inbound"),
        ({"applies_to": "everything"}, "is not one of security_incident, personal_data_breach"),
        ({"slug": "Clause 9.2"}, "is not an id of lower-case letters, digits, - and _"),
        ({"slug": "x" * 51}, "at most 50 characters"),
        ({"reference": ""}, "expected non-empty text, got &#34;&#34;"),
        ({"reference": "x" * 41}, "must be at most 40 characters long"),
        ({"channel": "x" * 101}, "must be at most 100 characters long"),
        ({"recipient_contact": "x" * 151}, "must be at most 150 characters long"),
        ({"content": "x" * 4001}, "must be at most 4000 characters long"),
        ({"language": "x" * 11}, "must be at most 10 characters long"),
        ({"preset": "36_hours"}, "Not a valid choice"),
    ],
)
def test_invalid_clause_is_refused_with_the_cores_message(app, client, dpo, overrides, message):
    party_id = _register(client)
    with app.app_context():
        contract_id = _contract(client, party_id)
    response = _clause(client, contract_id, **overrides)
    assert response.status_code == 422
    assert message in response.text
    assert _count(app, NoticeClause) == 0


def test_a_clause_id_is_used_once(app, client, dpo):
    party_id = _register(client)
    with app.app_context():
        contract_id = _contract(client, party_id)
    assert _clause(client, contract_id).status_code == 302
    response = _clause(client, contract_id, reference="Clause 9.3")
    assert response.status_code == 422
    assert "the id &#39;acme-msa-9-2&#39; is used by another clause" in response.text
    with app.app_context():
        clause_id = _only(NoticeClause, slug="acme-msa-9-2")
    same = client.post(f"/counterparties/clauses/{clause_id}/edit", data=CLAUSE)
    assert same.status_code == 302


# --- contractual obligations of open incidents ---------------------------------------------


@pytest.fixture
def linked(app, client, dpo):
    """Acme AI with a German-law MSA and a 48-business-hour clause, in an open incident."""
    party_id = _register(client)
    with app.app_context():
        contract_id = _contract(client, party_id)
    assert _clause(client, contract_id).status_code == 302
    reference = _incident(client)
    with app.app_context():
        clause_id = _only(NoticeClause, slug="acme-msa-9-2")
    return {"party": party_id, "contract": contract_id, "clause": clause_id, "incident": reference}


def test_a_business_hours_clause_skips_the_governing_laws_holidays(app, linked):
    with app.app_context():
        row = _obligations(linked["incident"])["contract.acme-msa-9-2"]
        # Thursday 14 h, Good Friday to Easter Monday skipped, Tuesday 24 h, Wednesday 10 h.
        assert row.due_at == utc(2026, 4, 8, 8, 0)  # Wednesday 10:00 CEST
        assert (row.jurisdiction, row.status, row.regime) == ("DE", "open", "contract")
        assert row.basis == (
            "Master Services Agreement (Acme AI), Clause 9.2: 48 business hours from awareness"
        )
        assert row.recipient == "Acme AI (security@acme.example)"


def test_a_clause_added_later_reaches_the_open_incident(app, client, linked):
    response = _clause(
        client, linked["contract"], slug="acme-msa-9-3", reference="Clause 9.3", unit="hours"
    )
    assert response.status_code == 302
    with app.app_context():
        assert _obligations(linked["incident"])["contract.acme-msa-9-3"].due_at == utc(
            2026, 4, 4, 8, 0
        )


def test_editing_the_clause_moves_the_deadline_and_logs_why(app, client, linked):
    edited = {**CLAUSE, "amount": "24"}
    response = client.post(f"/counterparties/clauses/{linked['clause']}/edit", data=edited)
    assert response.status_code == 302
    with app.app_context():
        row = _obligations(linked["incident"])["contract.acme-msa-9-2"]
        assert row.due_at == utc(2026, 4, 7, 8, 0)  # Tuesday 10:00 CEST
        assert "24 business hours from awareness" in row.basis
        (event,) = _timeline(linked["incident"])
        assert "moved from 2026-04-08 10:00 CEST to 2026-04-07 10:00 CEST" in event
        assert event.endswith("because the contract Master Services Agreement changed")


def test_a_new_governing_law_changes_the_holidays_counted(app, client, linked):
    contract = {**CONTRACT, "governing_law": "US-NY"}
    url = f"/counterparties/contracts/{linked['contract']}/edit"
    assert client.post(url, data=contract).status_code == 302
    with app.app_context():
        rows = _obligations(linked["incident"])
        # New York does not keep Good Friday or Easter Monday: Thursday, Friday, Monday 10:00.
        assert rows["contract.acme-msa-9-2"].due_at == utc(2026, 4, 6, 8, 0)
        assert rows["contract.acme-msa-9-2"].jurisdiction == "US-NY"


def test_deactivating_the_contract_retires_its_unfiled_obligation(app, client, linked):
    url = f"/counterparties/contracts/{linked['contract']}/deactivate"
    assert client.post(url).status_code == 302
    with app.app_context():
        row = _obligations(linked["incident"])["contract.acme-msa-9-2"]
        assert row.status == "no_longer_applicable"
        assert "because the contract Master Services Agreement changed" in row.reason
    url = f"/counterparties/contracts/{linked['contract']}/activate"
    assert client.post(url).status_code == 302
    with app.app_context():
        assert _obligations(linked["incident"])["contract.acme-msa-9-2"].status == "open"


def test_deleting_a_filed_clause_keeps_the_filing(app, client, linked):
    with app.app_context():
        row_id = _obligations(linked["incident"])["contract.acme-msa-9-2"].id
    filing = {"submitted_at": "2026-04-03 09:00", "recipient_reference": "ACME-77"}
    assert client.post(f"/obligations/{row_id}/filings", data=filing).status_code == 302
    assert client.post(f"/counterparties/clauses/{linked['clause']}/delete").status_code == 302
    with app.app_context():
        assert _count(app, NoticeClause) == 0
        row = db.session.get(Obligation, row_id)
        assert row.status == "submitted" and row.due_at == utc(2026, 4, 8, 8, 0)
        assert [filing.recipient_reference for filing in row.filings] == ["ACME-77"]


def test_deleting_an_unfiled_clause_retires_its_obligation(app, client, linked):
    assert client.post(f"/counterparties/clauses/{linked['clause']}/delete").status_code == 302
    with app.app_context():
        row = _obligations(linked["incident"])["contract.acme-msa-9-2"]
        assert row.status == "no_longer_applicable"
        assert any("no longer applies" in text for text in _timeline(linked["incident"]))


def test_an_inbound_clause_owes_nothing(app, client, linked):
    edited = {**CLAUSE, "direction": "inbound"}
    assert client.post(f"/counterparties/clauses/{linked['clause']}/edit", data=edited).status_code
    with app.app_context():
        assert _obligations(linked["incident"])["contract.acme-msa-9-2"].status == (
            "no_longer_applicable"
        )


def test_a_closed_incident_is_left_alone(app, client, linked):
    with app.app_context():
        incident = get_incident(linked["incident"])
        incident.status = "closed"
        db.session.commit()
    edited = {**CLAUSE, "amount": "24"}
    assert client.post(f"/counterparties/clauses/{linked['clause']}/edit", data=edited)
    with app.app_context():
        row = _obligations(linked["incident"])["contract.acme-msa-9-2"]
        assert row.due_at == utc(2026, 4, 8, 8, 0)


def test_registering_a_counterparty_links_the_open_incidents_that_name_it(app, client, dpo):
    """An incident recorded Acme AI before the register knew it: registering Acme AI links that
    party (noted on the timeline), so a clause added afterwards reaches the incident."""
    reference = _incident(client, name=" acme ai ")
    closed = _incident(client, status="closed", closed_at="2026-04-20 10:00")
    response = client.post("/counterparties/new", data=PARTY, follow_redirects=True)
    assert f"Linked to the open incident(s) naming it: {reference}." in response.data.decode()
    party_id = _party(app).id
    with app.app_context():
        contract_id = _contract(client, party_id)
    assert _clause(client, contract_id).status_code == 302
    with app.app_context():
        assert "contract.acme-msa-9-2" in _obligations(reference)
        assert "contract.acme-msa-9-2" not in _obligations(closed)
        (party,) = get_incident(reference).parties
        assert party.counterparty_id == party_id
        notes = [event.text for event in get_incident(reference).events if event.kind == "edited"]
        assert notes == ["Party acme ai linked to the registered counterparty Acme AI."]
        assert get_incident(closed).parties[0].counterparty_id is None


def test_renaming_a_counterparty_links_the_incidents_naming_its_new_name(app, client, dpo):
    party_id = _register(client, name="Acme Labs")
    reference = _incident(client, name="Acme AI")
    edited = client.post(f"/counterparties/{party_id}/edit", data=PARTY, follow_redirects=True)
    assert f"Linked to the open incident(s) naming it: {reference}." in edited.data.decode()
    again = client.post(f"/counterparties/{party_id}/edit", data=PARTY, follow_redirects=True)
    assert "Linked to" not in again.data.decode()  # already linked: nothing more to say
    with app.app_context():
        assert get_incident(reference).parties[0].counterparty_id == party_id


# --- systems and components ----------------------------------------------------------------


def test_system_is_registered_edited_and_refused_twice(app, client, dpo):
    customer_id = _register(client)
    data = {"name": "Labelling platform", "description": "Runs the LLM gateway."}
    response = client.post("/counterparties/systems/new", data={**data, "customers": customer_id})
    assert response.status_code == 302
    with app.app_context():
        system_id = _only(System, name="Labelling platform")
        assert [c.name for c in db.session.get(System, system_id).customers] == ["Acme AI"]
    assert "Labelling platform" in client.get("/counterparties/systems/").text
    twice = client.post("/counterparties/systems/new", data={**data, "name": "LABELLING platform"})
    assert twice.status_code == 422 and "is already registered" in twice.text
    edited = {**data, "description": "Gateway and queue."}
    assert client.post(f"/counterparties/systems/{system_id}/edit", data=edited).status_code == 302
    with app.app_context():
        system = db.session.get(System, system_id)
        assert (system.description, system.customers) == ("Gateway and queue.", [])


@pytest.mark.parametrize(
    "package,versions,message",
    [
        ("pkg:pypi/litellm@1.82.7", "*", "give the package without a version (pkg:pypi/litellm)"),
        ("litellm", "*", "not a package URL"),
        ("pkg:pypi/litellm", "1.82 or later", "is not a version range"),
        ("pkg:pypi/litellm", "", "This field is required"),
        ("pkg:pypi/litellm?repository_url=x", "*", "without qualifiers or subpath"),
    ],
)
def test_invalid_component_is_refused(app, client, dpo, package, versions, message):
    data = {"name": "Gateway", "description": ""}
    assert client.post("/counterparties/systems/new", data=data).status_code == 302
    with app.app_context():
        system_id = _only(System, name="Gateway")
    form = {"package": package, "versions": versions}
    response = client.post(f"/counterparties/systems/{system_id}/components", data=form)
    assert response.status_code == 422
    assert message in response.text
    assert _count(app, ComponentUse) == 0


def test_components_are_added_to_systems_and_vendors_and_removed(app, client, dpo):
    assert client.post("/counterparties/systems/new", data={"name": "Gateway"}).status_code == 302
    vendor_id = _register(client, name="Mercor", kind="vendor")
    customer_id = _register(client)
    with app.app_context():
        system_id = _only(System, name="Gateway")
    form = {"package": " pkg:pypi/LiteLLM ", "versions": ">=1.82,<1.83"}
    assert client.post(f"/counterparties/systems/{system_id}/components", data=form).status_code
    assert client.post(f"/counterparties/{vendor_id}/components", data=form).status_code == 302
    assert client.post(f"/counterparties/{customer_id}/components", data=form).status_code == 404
    with app.app_context():
        uses = db.session.execute(db.select(ComponentUse).order_by(ComponentUse.id)).scalars()
        found = [(u.package, u.versions, u.system_id, u.vendor_id) for u in uses]
        assert found == [
            ("pkg:pypi/litellm", ">=1.82,<1.83", system_id, None),
            ("pkg:pypi/litellm", ">=1.82,<1.83", None, vendor_id),
        ]
        use_id = _only(ComponentUse, vendor_id=vendor_id)
    assert "pkg:pypi/litellm" in client.get(f"/counterparties/{vendor_id}").text
    response = client.post(f"/counterparties/components/{use_id}/delete")
    assert response.headers["Location"].endswith(f"/counterparties/{vendor_id}")
    assert _count(app, ComponentUse) == 1


def test_a_vendor_with_components_stays_a_vendor(client, dpo):
    vendor_id = _register(client, name="Mercor", kind="vendor")
    form = {"package": "pkg:pypi/litellm", "versions": "*"}
    assert client.post(f"/counterparties/{vendor_id}/components", data=form).status_code == 302
    data = {**PARTY, "name": "Mercor", "kind": "customer"}
    response = client.post(f"/counterparties/{vendor_id}/edit", data=data)
    assert response.status_code == 422
    assert "only a vendor or processor uses components" in response.text


def test_every_form_and_button_carries_a_csrf_token(app, make_app, make_user, org):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = _token(client.get("/auth/login").text)
    user = make_user("legal")
    login = {"email": user.email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/auth/login", data=login).status_code == 302
    assert client.post("/counterparties/new", data=PARTY).status_code == 400
    token = _token(client.get("/counterparties/new").text)
    response = client.post("/counterparties/new", data={**PARTY, "csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        party_id = _only(Counterparty, name="Acme AI")
        contract = Contract(counterparty_id=party_id, title="DPA", governing_law="DE")
        db.session.add(contract)
        db.session.commit()
        url = f"/counterparties/contracts/{contract.id}/deactivate"
    assert client.post(url).status_code == 400
    button_token = _token(client.get(f"/counterparties/{party_id}").text)
    assert client.post(url, data={"csrf_token": button_token}).status_code == 302


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
