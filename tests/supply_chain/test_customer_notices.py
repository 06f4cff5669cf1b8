"""The cascade to customers: Art. 33(2) notices drafted in bulk, sent and acknowledged, the
contractual deadlines they meet and the GDPR clocks they start for each customer."""

import hashlib
import re

import pytest

from incident_tracker.documents import catalogue
from incident_tracker.extensions import db
from incident_tracker.incidents import records
from incident_tracker.models import (
    Contract,
    Counterparty,
    CustomerNotice,
    Document,
    LetterTemplate,
    NoticeClause,
    Obligation,
    Organization,
    User,
)
from incident_tracker.supply_chain import cascade
from tests.helpers import PASSWORD, get_incident, utc

AWARE = utc(2026, 3, 27, 9, 0)  # Friday; clocks go forward in Europe on Sunday 29 March
SATURDAY = "2026-03-28 15:05"  # Berlin wall time: 14:05 UTC
PARTIES = [
    ("Northwind AI", "customer", "affected_customer"),
    ("Acme Labs", "customer", "affected_customer"),
    ("Spree Data", "other", "our_controller"),  # a registered customer in another role
    ("Unlisted GmbH", "customer", "affected_customer"),  # not in the register
]


def _customer(name, country, tz, email, hours=None, clause="Clause 9.2") -> Counterparty:
    customer = Counterparty(
        name=name, kind="customer", country=country, timezone=tz, contact_email=email
    )
    if hours:
        contract = Contract(title=f"DPA {name}", reference=f"DPA-{country}-1", governing_law="FR")
        slug = name.lower().replace(" ", "-")
        contract.clauses.append(
            NoticeClause(slug=slug, reference=clause, unit="hours", amount=hours)
        )
        customer.contracts.append(contract)
    return customer


def _parties(rows) -> list[dict]:
    return [{"name": n, "kind": k, "role": r, "package_url": None, "notes": ""} for n, k, r in rows]


@pytest.fixture
def reference(app, as_role):
    """A processor's personal data breach reaching three registered customers and one other."""
    user = as_role("dpo")
    with app.app_context():
        org = db.session.get(Organization, 1)
        org.gdpr_role = "processor"
        catalogue.sync_shipped()
        db.session.add_all(
            [
                _customer("Northwind AI", "FR", "Europe/Paris", "sec@northwind.example", 48),
                _customer("Acme Labs", "US", "America/New_York", "ciso@acme.example"),
                _customer("Spree Data", "DE", "Europe/Berlin", "dpo@spree.example", 24, "§ 7"),
            ]
        )
        db.session.flush()
        changes = records.Changes(
            scalars={"title": "Poisoned release", "aware_at": AWARE, "personal_data_breach": True},
            places=[{"code": "FR", "people": 900, "records": 1000}],
            parties=_parties(PARTIES),
        )
        incident = records.record(changes, org, db.session.get(User, user.id))
        db.session.commit()
        return incident.reference


def _template_id() -> int:
    statement = db.select(LetterTemplate.id).filter_by(key=cascade.TEMPLATE_KEY)
    return db.session.execute(statement).scalar_one()


def _generate(app, client, reference, **extra):
    with app.app_context():
        data = {"template": _template_id(), **extra}
    return client.post(f"/incidents/{reference}/customer-notices/generate", data=data)


def _notice(name: str) -> CustomerNotice:
    statement = db.select(CustomerNotice).join(CustomerNotice.customer).filter_by(name=name)
    return db.session.execute(statement).scalar_one()


def _notice_url(app, reference, name, action=""):
    with app.app_context():
        return f"/incidents/{reference}/customer-notices/{_notice(name).id}{action}"


def _people_url(app, reference, name) -> str:
    with app.app_context():
        customer = db.session.execute(db.select(Counterparty.id).filter_by(name=name))
        return f"/incidents/{reference}/customer-notices/people/{customer.scalar_one()}"


def _set_people(app, client, reference, name, people: str):
    url = _people_url(app, reference, name)
    prefix = url.rsplit("/", 1)[1]
    return client.post(url, data={f"customer-{prefix}-people": people})


def _contract_obligation(reference, slug) -> Obligation:
    rows = get_incident(reference).obligations
    return next(row for row in rows if row.rule_id == f"contract.{slug}")


def test_the_list_shows_each_customer_its_deadline_and_the_clock_it_would_start(
    client, reference, as_role
):
    as_role("viewer")
    page = client.get(f"/incidents/{reference}/customer-notices").data.decode()
    for name in ("Northwind AI", "Acme Labs", "Spree Data"):
        assert f'data-customer="{name}"' in page
    assert page.count(">not drafted<") == 3
    assert "Unlisted GmbH" in page.split('id="unregistered"')[1]
    assert 'data-obligation="contract.northwind-ai"' in page and "Clause 9.2" in page
    assert "If sent now" in page and "72-hour GDPR clock" in page
    assert "No GDPR clock is computed for Acme Labs: US is not in the EU/EEA." in page
    assert "Generate notices" not in page  # a viewer only looks


def test_the_incident_page_links_to_the_customer_notices(client, reference):
    page = client.get(f"/incidents/{reference}").data.decode()
    assert f'href="/incidents/{reference}/customer-notices" id="customer-notices-link"' in page


def test_no_link_without_customer_parties(app, client, as_role):
    user = as_role("dpo")
    with app.app_context():
        org = db.session.get(Organization, 1)
        changes = records.Changes(scalars={"title": "Laptop lost"})
        incident = records.record(changes, org, db.session.get(User, user.id))
        db.session.commit()
        page = client.get(f"/incidents/{incident.reference}").data.decode()
    assert "customer-notices-link" not in page


def test_generate_archives_one_notice_per_customer(app, client, reference):
    response = _generate(app, client, reference)
    assert response.headers["Location"] == f"/incidents/{reference}/customer-notices"
    with app.app_context():
        notices = db.session.execute(db.select(CustomerNotice)).scalars().all()
        assert sorted(n.customer.name for n in notices) == [
            "Acme Labs",
            "Northwind AI",
            "Spree Data",
        ]
        for notice in notices:
            document = notice.document
            assert document.pdf.startswith(b"%PDF")
            assert hashlib.sha256(document.pdf).hexdigest() == document.pdf_sha256
            assert hashlib.sha256(document.html.encode()).hexdigest() == document.html_sha256
            assert document.obligation.rule_id == "gdpr.controller_notice"
            assert document.revision.template.key == "gdpr_art33_2_controller"
        events = [event.text for event in get_incident(reference).events]
        assert sum("Notice to" in text and "PDF SHA-256" in text for text in events) == 3


def test_generating_again_adds_only_the_missing_notices(app, client, reference):
    _generate(app, client, reference)
    with app.app_context():
        incident = get_incident(reference)
        db.session.add(_customer("Fjord Health", "NO", "Europe/Oslo", "dpo@fjord.example"))
        db.session.flush()
        parties = _parties([*PARTIES, ("Fjord Health", "customer", "affected_customer")])
        dpo = db.session.execute(db.select(User).filter_by(role="dpo")).scalar_one()
        org = db.session.get(Organization, 1)
        changes = records.Changes(parties=parties)
        records.change(incident, changes, org, dpo, version=records.ANY_VERSION)
        db.session.commit()
    response = _generate(app, client, reference)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Document.id))).scalar_one() == 4
        assert db.session.execute(db.select(db.func.count(CustomerNotice.id))).scalar_one() == 4
    _generate(app, client, reference)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Document.id))).scalar_one() == 4


def test_the_letter_is_addressed_to_the_customer_with_its_contract_and_count(
    app, client, reference
):
    assert _set_people(app, client, reference, "Northwind AI", "120").status_code == 302
    _generate(app, client, reference)
    with app.app_context():
        html = _notice("Northwind AI").document.html
        acme = _notice("Acme Labs").document.html
    assert "To: Northwind AI (sec@northwind.example)" in html and "Dear Northwind AI," in html
    assert (
        "our notice under Clause 9.2 of DPA Northwind AI (DPA-FR-1): 48 hours from awareness"
        in (html)
    )
    assert "approximately <strong>120</strong> are data subjects" in html
    assert "Dear Acme Labs," in acme and "our notice under" not in acme
    assert "[the share relating to your data" in acme  # unknown: the incident's total only


def test_each_customers_count_is_recorded_before_drafting_and_shown(app, client, reference):
    response = _set_people(app, client, reference, "Northwind AI", "120")
    assert response.headers["Location"] == f"/incidents/{reference}/customer-notices"
    page = client.get(response.headers["Location"]).data.decode()
    assert "Northwind AI: its notice will state 120 of its data subjects." in page
    assert 'value="120"' in page and "the incident's total of 900" in page
    with app.app_context():
        assert _notice("Northwind AI").people == 120 and _notice("Northwind AI").document is None
    _generate(app, client, reference)
    page = client.get(f"/incidents/{reference}/customer-notices").data.decode()
    northwind = page.split('data-customer="Northwind AI"')[1].split("</tr>")[0]
    acme = page.split('data-customer="Acme Labs"')[1].split("</tr>")[0]
    assert '<span class="customer-people">120</span>' in northwind and "<form" not in northwind
    assert "not known: the notice states the incident's total (900)" in acme
    shown = client.get(_notice_url(app, reference, "Northwind AI")).data.decode()
    assert "120 of their data subjects" in shown


def test_a_notice_with_only_a_count_says_it_is_not_drafted_and_cannot_be_sent(
    app, client, reference
):
    _set_people(app, client, reference, "Northwind AI", "120")
    url = _notice_url(app, reference, "Northwind AI")
    page = client.get(url).data.decode()
    assert "not drafted yet: only the count of their people is recorded" in page
    assert "120 of their data subjects" in page and "Mark sent" not in page
    response = client.post(f"{url}/sent", data={"sent_at": SATURDAY})
    assert response.status_code == 422
    assert "the notice has not been generated yet" in response.data.decode()
    assert client.get(f"{url}/pdf").status_code == 404
    with app.app_context():
        assert _notice("Northwind AI").sent_at is None


def test_a_count_can_be_cleared_before_drafting(app, client, reference):
    _set_people(app, client, reference, "Acme Labs", "40")
    response = _set_people(app, client, reference, "Acme Labs", "")
    assert response.status_code == 302
    with app.app_context():
        assert _notice("Acme Labs").people is None
    _generate(app, client, reference)
    with app.app_context():
        assert "[the share relating to your data" in _notice("Acme Labs").document.html


@pytest.mark.parametrize(
    "people,message",
    [
        ("-1", "Number must be between 0 and 10000000000"),
        ("many", "Not a valid integer value"),
        ("901", "more than the 900 people the incident&#39;s places record in all"),
    ],
)
def test_a_bad_count_is_explained_and_nothing_is_saved(app, client, reference, people, message):
    response = _set_people(app, client, reference, "Northwind AI", people)
    assert response.status_code == 422
    page = response.data.decode()
    row = page.split('data-customer="Northwind AI"')[1].split("</tr>")[0]
    assert message in row and "is-invalid" in row
    assert f'value="{people}"' in row  # the input is kept
    with app.app_context():
        assert db.session.execute(db.select(CustomerNotice)).first() is None


def test_a_drafted_notice_keeps_the_count_it_states(app, client, reference):
    _set_people(app, client, reference, "Northwind AI", "120")
    _generate(app, client, reference)
    response = _set_people(app, client, reference, "Northwind AI", "50")
    assert response.status_code == 422
    assert "is drafted and archived with the count it states" in response.data.decode()
    with app.app_context():
        assert _notice("Northwind AI").people == 120


def test_a_count_above_a_lowered_total_is_not_drafted(app, client, reference):
    _set_people(app, client, reference, "Northwind AI", "800")
    with app.app_context():
        get_incident(reference).jurisdictions[0].people = 700  # the places corrected since
        db.session.commit()
    response = _generate(app, client, reference)
    page = client.get(response.headers["Location"]).data.decode()
    assert "Not drafted for Northwind AI: the count of their people recorded is more" in page
    with app.app_context():
        assert _notice("Northwind AI").document is None
        assert _notice("Acme Labs").document is not None


def test_a_count_only_for_a_customer_of_the_incident(app, client, reference):
    with app.app_context():
        db.session.add(_customer("Elsewhere Ltd", "IE", "Europe/Dublin", "dpo@elsewhere.example"))
        db.session.commit()
    assert _set_people(app, client, reference, "Elsewhere Ltd", "5").status_code == 404
    assert client.post(f"/incidents/{reference}/customer-notices/people/999").status_code == 404
    with app.app_context():
        assert db.session.execute(db.select(CustomerNotice)).first() is None


def test_variables_page_documents_the_customer(client, as_role):
    as_role("legal")
    page = client.get("/letters/variables").data.decode()
    assert "customer.clause_period" in page and "24 hours from awareness" in page


def test_mark_sent_files_the_contract_notice_and_starts_the_customers_clock(app, client, reference):
    _generate(app, client, reference)
    url = _notice_url(app, reference, "Northwind AI")
    response = client.post(f"{url}/sent", data={"sent_at": SATURDAY})
    assert response.headers["Location"] == f"/incidents/{reference}/customer-notices"
    with app.app_context():
        notice = _notice("Northwind AI")
        assert notice.sent_at == utc(2026, 3, 28, 14, 5)
        row = _contract_obligation(reference, "northwind-ai")
        assert row.status == "submitted" and row.due_at == utc(2026, 3, 29, 9, 0)
        filing = row.filings[0]
        assert not filing.late and filing.document_id == notice.document_id
        assert any("Notice to Northwind AI sent at" in e.text for e in notice.incident.events)
    page = client.get(url).data.decode()
    # 72 elapsed hours across the change to summer time: 16:05 in Paris, not 15:05.
    assert (
        "Your notice at 2026-03-28 14:05 UTC starts their 72-hour GDPR clock: "
        "due 2026-03-31 16:05 CEST (2026-03-31 14:05 UTC)." in page
    )
    assert ">sent<" in page and 'name="sent_at"' not in page


def test_a_late_notice_needs_the_reasons_for_the_delay(app, client, reference):
    _generate(app, client, reference)
    url = _notice_url(app, reference, "Spree Data")
    assert 'name="delay_reasons"' in client.get(url).data.decode()  # due 28 March 09:00 UTC
    refused = client.post(f"{url}/sent", data={"sent_at": SATURDAY})
    assert refused.status_code == 422 and "this notice is late" in refused.data.decode()
    with app.app_context():
        assert _notice("Spree Data").sent_at is None
    reasons = "The customer's contact bounced."
    data = {"sent_at": SATURDAY, "delay_reasons": reasons}
    assert client.post(f"{url}/sent", data=data).status_code == 302
    with app.app_context():
        filing = _contract_obligation(reference, "spree-data").filings[0]
        assert filing.late and filing.delay_reasons == reasons


def test_a_notice_without_a_contract_clause_is_sent_without_a_filing(app, client, reference):
    _generate(app, client, reference)
    url = _notice_url(app, reference, "Acme Labs")
    assert client.post(f"{url}/sent", data={}).status_code == 302  # blank: now
    with app.app_context():
        notice = _notice("Acme Labs")
        assert notice.sent_at is not None and notice.sent_at.utcoffset().total_seconds() == 0
        controller = notice.document.obligation
        assert controller.status != "submitted" and not controller.filings


@pytest.mark.parametrize(
    "sent_at, message",
    [
        ("2026-03-29 02:30", "does not exist in Europe/Berlin"),
        ("last Saturday", "is not a date and time"),
        ("2999-01-01 00:00", "cannot be sent in the future"),
    ],
)
def test_invalid_sending_times_are_refused(app, client, reference, sent_at, message):
    _generate(app, client, reference)
    url = _notice_url(app, reference, "Northwind AI")
    response = client.post(f"{url}/sent", data={"sent_at": sent_at})
    assert response.status_code == 422 and message in response.data.decode()


def test_acknowledgement_follows_the_sending(app, client, reference):
    _generate(app, client, reference)
    url = _notice_url(app, reference, "Northwind AI")
    early = client.post(f"{url}/acknowledged", data={"acknowledged_at": SATURDAY})
    assert early.status_code == 422 and "not recorded as sent yet" in early.data.decode()
    client.post(f"{url}/sent", data={"sent_at": SATURDAY})
    before = client.post(f"{url}/acknowledged", data={"acknowledged_at": "2026-03-28 15:00"})
    assert before.status_code == 422 and "the notice was sent later" in before.data.decode()
    done = client.post(f"{url}/acknowledged", data={"acknowledged_at": "2026-03-28 18:30"})
    assert done.status_code == 302
    with app.app_context():
        assert _notice("Northwind AI").acknowledged_at == utc(2026, 3, 28, 17, 30)
    page = client.get(f"/incidents/{reference}/customer-notices").data.decode()
    assert ">acknowledged<" in page
    again = client.post(f"{url}/acknowledged", data={})
    assert again.status_code == 422 and "already recorded as acknowledged" in again.data.decode()


def test_download_returns_the_archived_bytes(app, client, reference):
    _generate(app, client, reference)
    url = _notice_url(app, reference, "Northwind AI")
    response = client.get(f"{url}/pdf")
    with app.app_context():
        document = _notice("Northwind AI").document
        assert response.data == document.pdf
        assert response.headers["X-Content-SHA256"] == document.pdf_sha256
    assert response.headers["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("role", ["viewer", "commander"])
def test_only_notifiers_generate_and_mark(app, client, reference, as_role, role):
    _generate(app, client, reference)
    url = _notice_url(app, reference, "Northwind AI")
    as_role(role)
    assert _generate(app, client, reference).status_code == 403
    assert client.post(f"{url}/sent", data={"sent_at": SATURDAY}).status_code == 403
    assert client.post(f"{url}/acknowledged", data={}).status_code == 403
    assert _set_people(app, client, reference, "Acme Labs", "5").status_code == 403
    assert client.get(url).status_code == 200 and client.get(f"{url}/pdf").status_code == 200


def test_legal_may_generate(app, client, reference, as_role):
    as_role("legal")
    assert _generate(app, client, reference).status_code == 302


def test_login_is_required_and_unknown_is_404(app, client, reference):
    assert client.get("/incidents/INC-1999-0001/customer-notices").status_code == 404
    assert client.get(f"/incidents/{reference}/customer-notices/999").status_code == 404
    assert _generate(app, client, "INC-1999-0001").status_code == 404
    client.post("/auth/logout")
    response = client.get(f"/incidents/{reference}/customer-notices")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_an_invalid_template_choice_is_422(client, reference):
    response = client.post(
        f"/incidents/{reference}/customer-notices/generate", data={"template": 0}
    )
    assert response.status_code == 422


def test_every_form_needs_its_csrf_token(app, client, reference, make_app):
    _generate(app, client, reference)
    url = _notice_url(app, reference, "Northwind AI")
    guarded = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = _csrf_token(guarded, "/auth/login")
    login = {"email": "dpo@example.org", "password": PASSWORD, "csrf_token": token}
    assert guarded.post("/auth/login", data=login).status_code == 302
    people = _people_url(app, reference, "Acme Labs")
    targets = [f"/incidents/{reference}/customer-notices/generate", f"{url}/sent", people]
    for target in [*targets, f"{url}/acknowledged"]:
        assert guarded.post(target, data={}).status_code == 400
    data = {"sent_at": SATURDAY, "csrf_token": _csrf_token(guarded, url)}
    assert guarded.post(f"{url}/sent", data=data).status_code == 302


def _csrf_token(client, path: str) -> str:
    page = client.get(path).data.decode()
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
