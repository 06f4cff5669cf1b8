"""Notices received from vendors: the incident they open or join, and the letter archived."""

import hashlib
from datetime import timedelta
from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from incident_tracker.extensions import db
from incident_tracker.incidents import records
from incident_tracker.models import (
    ComponentUse,
    CompromisedRelease,
    Contract,
    Counterparty,
    Incident,
    NoticeClause,
    Organization,
    User,
    VendorNotice,
)
from incident_tracker.supply_chain.forms import LETTER_LIMIT
from tests.helpers import utc

R8 = "pkg:pypi/litellm@1.82.8"
RECEIVED = "2026-03-31 09:15"  # CEST
RECEIVED_UTC = utc(2026, 3, 31, 7, 15)
LETTER = b"%PDF-1.7\n\x00\xff\xfe binary \r\n<script>alert(1)</script>\n%%EOF"


@pytest.fixture
def mercor(app) -> int:
    """The vendor Mercor holds Acme AI's data; both contracts have an outbound 24-hour clause."""
    with app.app_context():
        acme = Counterparty(name="Acme AI", kind="customer", country="US-CA")
        vendor = Counterparty(name="Mercor", kind="vendor", country="US", customers=[acme])
        _contract(acme, "acme-msa-9-2")
        _contract(vendor, "mercor-dpa-7")
        db.session.add(Counterparty(name="Acme Bank", kind="customer"))
        db.session.add(vendor)
        db.session.commit()
        return vendor.id


def _contract(party, slug):
    clause = NoticeClause(slug=slug, reference="Clause 7", unit="hours", amount=24)
    party.contracts.append(Contract(title="Agreement", governing_law="US-CA", clauses=[clause]))


def _notice(vendor_id: int, **overrides) -> dict:
    data = {
        "vendor": str(vendor_id),
        "received_at": RECEIVED,
        "summary": "Our CI ran litellm 1.82.8; credentials and interview videos were taken.",
        "components": "pkg:pypi/litellm@1.82.8, some internal tool",
        "data_involved": "video interviews, identity documents",
        "action": "new",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _post(client, data):
    """Post the form as a browser does; encoded in memory, since the test client would spool a
    large body to a temporary file and leave it open."""
    boundary, body = encode_multipart(data)
    content_type = f"multipart/form-data; boundary={boundary}"
    return client.post("/vendor-notices/new", data=body, content_type=content_type)


def _letter(content: bytes, filename: str) -> FileStorage:
    return FileStorage(BytesIO(content), filename, content_type="application/pdf")


def _only_notice() -> VendorNotice:
    return db.session.execute(db.select(VendorNotice)).scalar_one()


def _rules(incident) -> set[str]:
    return {row.rule_id for row in incident.obligations}


def test_a_notice_opens_an_incident_aware_at_receipt(app, client, as_role, mercor):
    user = as_role("commander")
    response = _post(client, _notice(mercor))
    assert response.status_code == 302
    with app.app_context():
        notice = _only_notice()
        assert response.headers["Location"] == f"/vendor-notices/{notice.id}"
        incident = notice.incident
        assert notice.received_at == RECEIVED_UTC and notice.recorded_by.email == user.email
        assert incident.aware_at == incident.discovered_at == RECEIVED_UTC
        assert incident.title.startswith("Notice from Mercor: Our CI ran litellm")
        assert incident.personal_data_breach and "until the DPO decides" in incident.summary
        assert {(p.name, p.kind, p.role, p.counterparty_id) for p in incident.parties} == {
            ("Mercor", "vendor", "origin_vendor", mercor),
            ("Acme AI", "customer", "affected_customer", _id("Acme AI")),
            ("litellm 1.82.8", "component", "upstream_component", None),
        }
        assert {"contract.acme-msa-9-2", "contract.mercor-dpa-7", "gdpr.sa_notification"} <= (
            _rules(incident)
        )
        gdpr = [row for row in incident.obligations if row.rule_id == "gdpr.sa_notification"]
        assert gdpr[0].due_at == RECEIVED_UTC + timedelta(hours=72)
        texts = [event.text for event in incident.events]
        assert "Notice received from Mercor at 2026-03-31 09:15 CEST" in texts


def _id(name: str) -> int:
    return db.session.execute(db.select(Counterparty.id).filter_by(name=name)).scalar_one()


def test_the_dpo_may_anchor_awareness_elsewhere(app, client, as_role, mercor):
    as_role("dpo")
    _post(client, _notice(mercor, aware_at="2026-03-31 14:00"))
    with app.app_context():
        assert _only_notice().incident.aware_at == utc(2026, 3, 31, 12, 0)


def _incident(app, status="open") -> str:
    with app.app_context():
        org, actor = db.session.get(Organization, 1), db.session.execute(db.select(User)).scalar()
        changes = records.Changes(
            scalars={"title": "CI credentials stolen", "status": status, "aware_at": RECEIVED_UTC},
            parties=[{"name": "Acme Bank", "kind": "customer", "role": "affected_customer"}],
        )
        incident = records.record(changes, org, actor)
        db.session.commit()
        return incident.reference


def test_a_notice_is_added_to_an_existing_incident(app, client, as_role, mercor):
    as_role("commander")
    reference = _incident(app)
    with app.app_context():
        version = db.session.execute(db.select(Incident.version)).scalar_one()
    response = _post(client, _notice(mercor, action="existing", incident_reference=reference))
    assert response.status_code == 302
    with app.app_context():
        notice = _only_notice()
        incident = notice.incident
        assert incident.reference == reference and len(db.session.query(Incident).all()) == 1
        assert incident.aware_at == RECEIVED_UTC and incident.version == version + 1
        vendor = [p for p in incident.parties if p.role == "origin_vendor"]
        assert [(p.name, p.kind, p.counterparty_id) for p in vendor] == [
            ("Mercor", "vendor", mercor)
        ]
        assert "Acme Bank" in {p.name for p in incident.parties}
        assert "contract.mercor-dpa-7" in _rules(incident)  # the obligations were regenerated
        kinds = [(event.kind, event.text) for event in incident.events]
        assert ("note", "Notice received from Mercor at 2026-03-31 09:15 CEST") in kinds
    _post(client, _notice(mercor, action="existing", incident_reference=reference.lower()))
    with app.app_context():
        incident = db.session.execute(db.select(Incident)).scalar_one()
        assert incident.version == version + 1  # the vendor was there already: no change
        assert [p.name for p in incident.parties].count("Mercor") == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"action": "existing", "incident_reference": ""}, "give the reference"),
        (
            {"action": "existing", "incident_reference": "INC-2026-0999"},
            "no incident INC-2026-0999",
        ),
        ({"action": "existing", "aware_at": "2026-03-31 10:00"}, "has its own awareness time"),
        ({"summary": ""}, "This field is required"),
        ({"received_at": ""}, "This field is required"),
        ({"received_at": "2026-03-31 9am"}, "is not a date and time"),
        ({"received_at": "2999-01-01 10:00"}, "cannot be in the future"),
        ({"vendor": "999"}, "Not a valid choice"),
        ({"action": "maybe"}, "Not a valid choice"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    app, client, as_role, mercor, overrides, message
):
    as_role("dpo")
    reference = _incident(app)
    overrides.setdefault("incident_reference", reference)
    response = _post(client, _notice(mercor, **overrides))
    assert response.status_code == 422
    assert message in response.data.decode()
    with app.app_context():
        assert db.session.execute(db.select(VendorNotice)).first() is None
        assert db.session.query(Incident).count() == 1


def test_a_closed_incident_is_refused(app, client, as_role, mercor):
    as_role("dpo")
    reference = _incident(app, status="closed")
    response = _post(client, _notice(mercor, action="existing", incident_reference=reference))
    assert response.status_code == 422
    assert f"{reference} is closed" in response.data.decode()


def test_the_letter_is_archived_byte_for_byte_and_only_downloaded(app, client, as_role, mercor):
    as_role("commander")
    data = _notice(mercor, letter=_letter(LETTER, "../scans/Mercor notice.pdf"))
    _post(client, data)
    with app.app_context():
        notice = _only_notice()
        assert notice.letter == LETTER and notice.letter_name == "Mercor notice.pdf"
        assert notice.letter_sha256 == hashlib.sha256(LETTER).hexdigest()
        assert notice.letter_sha256 in notice.incident.events[-1].text
    page = client.get(f"/vendor-notices/{notice.id}").data.decode()
    assert hashlib.sha256(LETTER).hexdigest() in page and "<script>alert" not in page
    assert f"({len(LETTER)} bytes)" in page
    listing = client.get("/vendor-notices/").data.decode()
    assert f'href="/vendor-notices/{notice.id}/letter">Mercor notice.pdf</a>' in listing
    response = client.get(f"/vendor-notices/{notice.id}/letter")
    assert response.status_code == 200 and response.data == LETTER
    assert response.headers["Content-Disposition"] == 'attachment; filename="Mercor notice.pdf"'
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(LETTER).hexdigest()


def test_a_letter_over_10_mb_is_refused_and_nothing_is_saved(app, client, as_role, mercor):
    as_role("dpo")
    big = _notice(mercor, letter=_letter(b"x" * (LETTER_LIMIT + 1), "big.pdf"))
    response = _post(client, big)
    assert response.status_code == 422
    assert "the letter is larger than 10 MB" in response.data.decode()
    huge = _notice(mercor, letter=_letter(b"x" * (LETTER_LIMIT + 2 * 1024 * 1024), "huge.pdf"))
    response = _post(client, huge)
    assert response.status_code == 413
    assert "at most 10 MB" in response.data.decode()
    with app.app_context():
        assert db.session.execute(db.select(VendorNotice)).first() is None
        assert db.session.query(Incident).count() == 0


def test_a_letter_just_over_the_app_limit_is_accepted(app, client, as_role, mercor):
    as_role("dpo")
    letter = bytes(range(256)) * (3 * 1024 * 4)  # 3 MB, over the app's 2 MB default
    _post(client, _notice(mercor, letter=_letter(letter, "scan.bin")))
    with app.app_context():
        assert _only_notice().letter == letter


def test_unknown_notices_and_missing_letters_are_404(app, client, as_role, mercor):
    as_role("viewer")
    assert client.get("/vendor-notices/999").status_code == 404
    assert client.get("/vendor-notices/999/letter").status_code == 404
    client.post("/auth/logout")
    as_role("dpo")  # another user
    _post(client, _notice(mercor))
    with app.app_context():
        notice_id = _only_notice().id
    assert client.get(f"/vendor-notices/{notice_id}/letter").status_code == 404


@pytest.mark.parametrize("role", ["legal", "viewer"])
def test_only_responders_record_notices(app, client, as_role, mercor, role):
    as_role(role)
    assert client.get("/vendor-notices/new").status_code == 403
    assert _post(client, _notice(mercor)).status_code == 403
    assert client.get("/vendor-notices/").status_code == 200


def test_the_form_lists_vendors_and_processors_only(client, as_role, mercor):
    as_role("dpo")
    page = client.get("/vendor-notices/new").data.decode()
    assert "Mercor (vendor)" in page and "Acme AI" not in page


def test_pages_need_a_login(client):
    for url in ("/vendor-notices/", "/vendor-notices/new", "/vendor-notices/1"):
        assert client.get(url).headers["Location"].startswith("/auth/login")


def test_marking_the_release_later_finds_the_vendor_incident(app, client, as_role, mercor):
    as_role("commander")
    _post(client, _notice(mercor))
    with app.app_context():
        db.session.add(ComponentUse(package="pkg:pypi/litellm", versions="*", vendor_id=mercor))
        db.session.commit()
    client.post("/releases/new", data={"package_urls": R8, "known_at": "2026-04-01 10:00"})
    with app.app_context():
        release_id = db.session.execute(db.select(CompromisedRelease.id)).scalar_one()
    response = client.post("/releases/open", data={"releases": [str(release_id)]})
    assert "linked=INC-" in response.headers["Location"]
    with app.app_context():
        assert db.session.query(Incident).count() == 1
