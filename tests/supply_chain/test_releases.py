"""Compromised releases: marking them, their exposure, and opening the incidents in one action."""

import threading
import time
from datetime import timedelta

import pytest

from incident_tracker.extensions import db
from incident_tracker.models import (
    ComponentUse,
    CompromisedRelease,
    Contract,
    Counterparty,
    Incident,
    NoticeClause,
    System,
)
from tests.helpers import utc

LITELLM = "pkg:pypi/litellm"
R7, R8 = f"{LITELLM}@1.82.7", f"{LITELLM}@1.82.8"
KNOWN_AT = "2026-04-02 10:00"  # Thursday before Easter, CEST: 08:00 UTC
KNOWN_UTC = utc(2026, 4, 2, 8, 0)


@pytest.fixture
def chain(app):
    """Our CI runs litellm 1.82.x and holds Beta Labs' data; the vendor Mercor runs 1.82.8 and
    holds Acme AI's data. Each customer has a contract with an outbound notice clause."""
    with app.app_context():
        acme = Counterparty(name="Acme AI", kind="customer", country="US-CA")
        beta = Counterparty(name="Beta Labs", kind="customer", country="DE")
        mercor = Counterparty(name="Mercor", kind="vendor", country="US", customers=[acme])
        _contract(acme, "Master Services Agreement", "US-CA", "acme-msa-9-2", "hours", 24)
        _contract(beta, "Data Processing Agreement", "DE", "beta-dpa-8", "business_days", 5)
        ci = System(name="CI runners", customers=[beta])
        db.session.add_all(
            [
                ComponentUse(package=LITELLM, versions=">=1.82,<1.83", system=ci),
                ComponentUse(package=LITELLM, versions="==1.82.8", vendor=mercor),
                ComponentUse(package=LITELLM, versions="<1.82", system=System(name="Old batch")),
            ]
        )
        db.session.commit()


def _contract(party, title, law, slug, unit, amount):
    clause = NoticeClause(slug=slug, reference="Clause 9", unit=unit, amount=amount)
    party.contracts.append(Contract(title=title, governing_law=law, clauses=[clause]))


def _mark(client, *urls, known_at=KNOWN_AT, advisory="Credential stealer in the wheel."):
    data = {"package_urls": "\n".join(urls), "advisory": advisory, "known_at": known_at}
    return client.post("/releases/new", data=data)


def _release_ids(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(db.select(CompromisedRelease)).scalars()
        return {row.package_url: row.id for row in rows}


def _open(client, app, *urls):
    ids = _release_ids(app)
    return client.post("/releases/open", data={"releases": [str(ids[url]) for url in urls]})


def _incidents() -> list[Incident]:
    return list(db.session.execute(db.select(Incident).order_by(Incident.id)).scalars())


def test_marking_releases_records_them_once_with_an_aware_known_time(app, client, as_role):
    user = as_role("commander")
    response = _mark(client, R7, "  pkg:pypi/litellm@1.82.8  ", "")
    ids = _release_ids(app)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/releases/exposure?release=")
    with app.app_context():
        rows = db.session.execute(db.select(CompromisedRelease)).scalars().all()
        assert {row.package_url for row in rows} == {R7, R8}
        assert {row.known_at for row in rows} == {KNOWN_UTC}  # read in Europe/Berlin
        assert {row.marked_by.email for row in rows} == {user.email}
    assert len(ids) == 2


BAD_LINES = [
    ("pkg:pypi/litellm", "line 1: a compromised release names its version"),
    (f"{R7}\nnot a purl", "line 2: not a package URL"),
    (f"{R7}\n\n{R7}", f"line 3: {R7} is already on line 1"),
    ("", "This field is required"),
]


@pytest.mark.parametrize(("text", "message"), BAD_LINES)
def test_bad_lines_are_reported_with_their_line_number(app, client, as_role, text, message):
    as_role("dpo")
    response = client.post("/releases/new", data={"package_urls": text, "known_at": KNOWN_AT})
    assert response.status_code == 422
    assert message in response.data.decode()
    assert _release_ids(app) == {}


def test_a_release_already_marked_is_refused_and_nothing_is_saved(app, client, as_role):
    as_role("dpo")
    _mark(client, R7, advisory="first")
    response = _mark(client, R8, R7, advisory="second")
    assert response.status_code == 422
    assert f"line 2: {R7} is already marked compromised" in response.data.decode()
    with app.app_context():
        rows = db.session.execute(db.select(CompromisedRelease)).scalars().all()
        assert [(row.package_url, row.advisory) for row in rows] == [(R7, "first")]


@pytest.mark.parametrize(
    ("known_at", "message"),
    [
        ("2026-03-29 02:30", "does not exist in Europe/Berlin"),
        ("yesterday", "is not a date and time"),
        ("2999-01-01 10:00", "this cannot be in the future"),
        ("", "This field is required"),
    ],
)
def test_known_at_must_be_a_real_past_instant(app, client, as_role, known_at, message):
    as_role("dpo")
    response = _mark(client, R7, known_at=known_at)
    assert response.status_code == 422
    assert message in response.data.decode()
    assert _release_ids(app) == {}


def test_the_form_offers_now_in_the_organization_zone(client, as_role):
    as_role("dpo")
    page = client.get("/releases/new").data.decode()
    assert 'name="known_at"' in page and "Europe/Berlin" in page


@pytest.mark.parametrize(
    ("versions", "release", "exposed"),
    [
        (">=1.82,<1.83", R7, True),
        ("<1.82", R7, False),
        ("*", R7, True),
        ("===2024.01-custom", f"{LITELLM}@2024.01-custom", True),
        ("==1.82.7", f"{LITELLM}@2024.01-custom", False),
        (">=1.0", f"{LITELLM}@2024.01-custom", False),
    ],
)
def test_version_ranges_decide_what_is_exposed(app, client, as_role, versions, release, exposed):
    as_role("dpo")
    with app.app_context():
        system = System(name="Checked system")
        db.session.add(ComponentUse(package=LITELLM, versions=versions, system=system))
        db.session.commit()
    _mark(client, release)
    page = client.get(f"/releases/exposure?release={_release_ids(app)[release]}").data.decode()
    assert ('data-holder="Checked system"' in page) is exposed


def test_exposure_lists_systems_vendors_customers_and_contract_clauses(app, client, as_role, chain):
    user = as_role("viewer")
    with app.app_context():
        db.session.add(CompromisedRelease(package_url=R8, known_at=KNOWN_UTC, marked_by_id=user.id))
        db.session.commit()
    response = client.get("/releases/exposure")  # no choice: every marked release
    page = response.data.decode()
    assert response.status_code == 200
    assert 'data-holder="CI runners"' in page and 'data-holder="Mercor"' in page
    assert 'data-holder="Old batch"' not in page
    assert "Acme AI" in page and "Beta Labs" in page
    assert 'data-clause="acme-msa-9-2"' in page and "24 hours from awareness" in page
    assert 'data-clause="beta-dpa-8"' in page and "5 business days from awareness" in page
    assert "Open incidents" not in page  # a viewer may look, not act


def test_exposure_of_an_unknown_release_is_404(client, as_role):
    as_role("viewer")
    assert client.get("/releases/exposure?release=999").status_code == 404
    assert client.get("/releases/exposure?release=abc").status_code == 404


def test_open_incidents_opens_one_per_origin_with_parties_and_clocks(app, client, as_role, chain):
    as_role("commander")
    _mark(client, R7, R8)
    response = _open(client, app, R7, R8)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/releases/opened?created=INC-")
    with app.app_context():
        ours, mercor = _incidents()
        assert "our systems" in ours.title and R7 in ours.title and R8 in ours.title
        assert "vendor Mercor" in mercor.title and R8 in mercor.title and R7 not in mercor.title
        for incident in (ours, mercor):
            assert incident.status == "open" and incident.personal_data_breach
            assert incident.aware_at == incident.discovered_at == KNOWN_UTC
            assert "The clocks run until the DPO decides otherwise." in incident.summary
            assert [event.kind for event in incident.events] == ["created"]
        assert _parties(ours) == {
            ("litellm 1.82.7", "component", "upstream_component", R7, None),
            ("litellm 1.82.8", "component", "upstream_component", R8, None),
            ("Beta Labs", "customer", "affected_customer", None, _id("Beta Labs")),
        }
        assert _parties(mercor) == {
            ("litellm 1.82.8", "component", "upstream_component", R8, None),
            ("Mercor", "vendor", "origin_vendor", None, _id("Mercor")),
            ("Acme AI", "customer", "affected_customer", None, _id("Acme AI")),
        }
        assert "CI runners: uses pkg:pypi/litellm >=1.82,<1.83, which includes 1.82.7, 1.82.8" in (
            ours.summary
        )


def _parties(incident) -> set[tuple]:
    return {(p.name, p.kind, p.role, p.package_url, p.counterparty_id) for p in incident.parties}


def _id(name: str) -> int:
    return db.session.execute(db.select(Counterparty.id).filter_by(name=name)).scalar_one()


def _due(incident, rule_id: str):
    rows = [row for row in incident.obligations if row.rule_id == rule_id]
    assert len(rows) == 1, [row.rule_id for row in incident.obligations]
    return rows[0]


def test_opened_incidents_carry_contractual_and_statutory_obligations(app, client, as_role, chain):
    as_role("dpo")
    _mark(client, R7, R8)
    _open(client, app, R7, R8)
    with app.app_context():
        ours, mercor = _incidents()
        assert _due(mercor, "contract.acme-msa-9-2").due_at == KNOWN_UTC + timedelta(hours=24)
        # 5 German business days from Thursday 2 April 2026: Good Friday and Easter Monday are
        # holidays, so Tue 7, Wed 8, Thu 9, Fri 10, Mon 13 April, at the same clock time.
        assert _due(ours, "contract.beta-dpa-8").due_at == utc(2026, 4, 13, 8, 0)
        for incident in (ours, mercor):
            gdpr = _due(incident, "gdpr.sa_notification")
            assert gdpr.jurisdiction == "DE" and gdpr.due_at == KNOWN_UTC + timedelta(hours=72)
        assert "contract.beta-dpa-8" not in {row.rule_id for row in mercor.obligations}


def test_the_result_page_links_the_incidents_with_their_obligation_counts(
    app, client, as_role, chain
):
    as_role("dpo")
    _mark(client, R7, R8)
    page = client.get(_open(client, app, R7, R8).headers["Location"]).data.decode()
    with app.app_context():
        for incident in _incidents():
            assert f'href="/incidents/{incident.reference}"' in page
            count = f'<td class="text-end obligation-count">{len(incident.obligations)}</td>'
            assert count in page


def test_opening_again_links_to_the_open_incidents_instead_of_duplicating(
    app, client, as_role, chain
):
    as_role("commander")
    _mark(client, R7, R8)
    _open(client, app, R7)  # only our CI runs 1.82.7
    with app.app_context():
        (first,) = _incidents()
        reference, version = first.reference, first.version
    response = _open(client, app, R7, R8)
    assert f"linked={reference}" in response.headers["Location"]
    again = _open(client, app, R7, R8)
    assert "created=" not in again.headers["Location"]
    with app.app_context():
        ours, mercor = _incidents()
        assert ours.reference == reference and ours.version == version + 1
        assert R8 in {party.package_url for party in ours.parties}  # the new release was added
        assert len(_incidents()) == 2
        assert ["created", "edited"] == [event.kind for event in ours.events][:2]


def test_a_closed_incident_is_not_reused(app, client, as_role, chain):
    as_role("commander")
    _mark(client, R7)
    _open(client, app, R7)
    with app.app_context():
        (first,) = _incidents()
        first.status, first.closed_at = "closed", KNOWN_UTC + timedelta(days=30)
        db.session.commit()
    _open(client, app, R7)
    with app.app_context():
        assert len(_incidents()) == 2


def test_a_release_nobody_uses_opens_nothing(app, client, as_role, chain):
    as_role("commander")
    _mark(client, f"{LITELLM}@2.0.0")
    response = _open(client, app, f"{LITELLM}@2.0.0")
    assert response.headers["Location"].startswith("/releases/exposure")
    with app.app_context():
        assert _incidents() == []


def test_open_without_a_release_is_refused(app, client, as_role, chain):
    as_role("commander")
    _mark(client, R7)
    assert client.post("/releases/open", data={}).status_code == 422
    assert client.post("/releases/open", data={"releases": ["999"]}).status_code == 422
    with app.app_context():
        assert _incidents() == []


@pytest.mark.parametrize("role", ["legal", "viewer"])
def test_only_responders_mark_and_open(app, client, as_role, chain, role):
    as_role(role)
    assert client.get("/releases/new").status_code == 403
    assert _mark(client, R7).status_code == 403
    assert client.post("/releases/open", data={"releases": ["1"]}).status_code == 403
    assert client.get("/releases/").status_code == 200
    assert client.get("/releases/exposure").status_code == 200


def test_pages_need_a_login(client):
    for url in ("/releases/", "/releases/exposure", "/releases/new", "/releases/opened"):
        assert client.get(url).headers["Location"].startswith("/auth/login")


def test_two_simultaneous_clicks_open_the_incidents_once(app, as_role, login, chain, monkeypatch):
    """Both clicks look for an open incident before either has committed (the look slowed down
    here to make sure of it): the second waits for the first, then links to what it opened."""
    from incident_tracker.supply_chain import opening as supply_chain_incidents

    user = as_role("commander")
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        login(user, on=client)
    _mark(clients[0], R7, R8)
    ids = _release_ids(app)
    look = supply_chain_incidents.existing_incident

    def slow_look(origin):
        found = look(origin)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(supply_chain_incidents, "existing_incident", slow_look)
    start, answers = threading.Barrier(2), []

    def click(client) -> None:
        start.wait()
        response = client.post("/releases/open", data={"releases": [ids[R7], ids[R8]]})
        answers.append(response.status_code)

    threads = [threading.Thread(target=click, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answers == [302, 302]
    with app.app_context():
        assert len(_incidents()) == 2  # ours and Mercor's, each opened once
