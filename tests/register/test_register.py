"""The breach register (GDPR Art. 33(5)): entries, CSV, JSON and PDF exports, filters, access."""

import csv
import io
import json
import subprocess
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from incident_tracker.extensions import db
from incident_tracker.incidents.regeneration import regenerate
from incident_tracker.models import (
    AffectedJurisdiction,
    DataCategory,
    Document,
    Incident,
    LetterTemplate,
    Organization,
    TemplateRevision,
    User,
    utcnow,
)
from incident_tracker.obligations.filings import Submission, decide_not_required, record_filing
from incident_tracker.register.export import neutralise, to_csv
from incident_tracker.register.selection import RegisterQuery, entries
from tests.helpers import get_incident, incident_form, reference_from

BERLIN = ZoneInfo("Europe/Berlin")
LATE_REASONS = "The CSIRT portal was down for maintenance."
RATIONALE = "Encrypted with a key that was not compromised (Art. 34(3)(a))."
UNLIKELY = "Only salted password hashes of test accounts: unlikely to result in a risk."
MINUTE = timedelta(minutes=1)
HOSTILE_TITLE = '=HYPERLINK("http://evil.example/","click")'


def obligation(app, reference: str, key: str):
    with app.app_context():
        for row in get_incident(reference).obligations:
            if f"{row.rule_id}:{row.jurisdiction}" == key:
                return row.id
    raise AssertionError(f"{reference} has no obligation {key}")


def category_ids(app, *codes: str) -> list[str]:
    with app.app_context():
        rows = db.session.execute(db.select(DataCategory).where(DataCategory.code.in_(codes)))
        return [str(row.id) for row in rows.scalars()]


def create(client, **overrides) -> str:
    response = client.post("/incidents/new", data=incident_form(**overrides))
    assert response.status_code == 302, response.data.decode()[-2000:]
    return reference_from(response)


NO_PLACES = {
    "jurisdictions-0-code": None,
    "jurisdictions-0-people": None,
    "jurisdictions-0-records": None,
    "jurisdictions-1-code": None,
    "jurisdictions-1-people": None,
}


@pytest.fixture
def incidents(app, client, as_role):
    """Six incidents: filed late, decided not required, closed, across regimes and places.

    A  2026-03-27 17:30 CET   open: GDPR (DE, EU), NIS2 (DE), US-CA; one late filing, one
                              on time, one "not required"
    B  2026-02-10 10:00 CET   closed: personal data in FR assessed unlikely, so no clock at all
    C  2026-04-01 00:15 CEST  contained: US-CA only (is 2026-03-31 22:15 UTC); hostile text
    D  2026-03-31 23:30 CEST  open: NIS2 outage, no personal data (is 2026-03-31 21:30 UTC)
    E  no awareness, detected 2026-05-10 09:00 CEST
    F  no awareness, no detection: filed under the day it was recorded
    """
    as_role("dpo")
    found = {}
    found["A"] = create(
        client,
        data_categories=category_ids(app, "contact", "health"),
        consequences="Phishing aimed at the people affected.",
        measures_taken="Rotated every credential; pinned dependencies.",
        gdpr_risk_rationale="Contact and health data of 1,200 people.",
    )
    found["B"] = create(
        client,
        title="Test accounts exposed",
        status="closed",
        aware_at="2026-02-10 10:00",
        detected_at="2026-02-10 09:00",
        occurred_at="2026-02-09 09:00",
        closed_at="2026-02-12 12:00",
        gdpr_risk="unlikely",
        gdpr_risk_rationale=UNLIKELY,
        nis2_significant="no",
        **{
            **NO_PLACES,
            "jurisdictions-0-code": "FR",
            "jurisdictions-0-people": "20",
        },
    )
    found["C"] = create(
        client,
        title=HOSTILE_TITLE,
        summary="+SUM(1,2) leaked",
        measures_taken="@cmd|' /C calc'!A0",
        root_cause="-2+3",
        status="contained",
        occurred_at="2026-03-31 20:00",
        detected_at="2026-03-31 21:00",
        aware_at="2026-04-01 00:15",
        contained_at="2026-04-02 08:00",
        gdpr_risk="unlikely",
        nis2_significant="no",
        **{
            **NO_PLACES,
            "jurisdictions-0-code": "US-CA",
            "jurisdictions-0-people": "700",
        },
    )
    found["D"] = create(
        client,
        title="Ransomware on build servers",
        occurred_at="2026-03-31 20:00",
        detected_at="2026-03-31 22:00",
        aware_at="2026-03-31 23:30",
        personal_data_breach=None,
        gdpr_risk="",
        **NO_PLACES,
    )
    found["E"] = create(
        client,
        title="Suspicious login, detected only",
        occurred_at="2026-05-10 08:00",
        detected_at="2026-05-10 09:00",
        aware_at="",
        personal_data_breach=None,
        gdpr_risk="",
        nis2_significant="no",
        **NO_PLACES,
    )
    found["F"] = create(
        client,
        title="Lost laptop, times unknown",
        occurred_at="",
        detected_at="",
        aware_at="",
        personal_data_breach=None,
        gdpr_risk="",
        nis2_significant="no",
        **NO_PLACES,
    )
    early = obligation(app, found["A"], "nis2.early_warning:DE")
    late = client.post(
        f"/obligations/{early}/filings",
        data={
            "submitted_at": "2026-03-29 10:00",
            "recipient_reference": "BSI-4711",
            "delay_reasons": LATE_REASONS,
        },
    )
    assert late.status_code == 302
    sa = obligation(app, found["A"], "gdpr.sa_notification:DE")
    on_time = {"submitted_at": "2026-03-29 10:00", "recipient_reference": "=LDA-1"}
    assert client.post(f"/obligations/{sa}/filings", data=on_time).status_code == 302
    notice = obligation(app, found["A"], "gdpr.data_subject_notice:EU")
    decided = client.post(f"/obligations/{notice}/decision", data={"rationale": RATIONALE})
    assert decided.status_code == 302
    return found


def by_reference(items: list[dict]) -> dict[str, dict]:
    return {item["reference"]: item for item in items}


def references(client, incidents, **filters) -> set[str]:
    """The incidents (as fixture letters) that the JSON export gives for these filters."""
    response = client.get("/register/export.json", query_string=filters)
    assert response.status_code == 200, response.data
    found = {item["reference"] for item in json.loads(response.data)["incidents"]}
    letters = {reference: letter for letter, reference in incidents.items()}
    return {letters[reference] for reference in found}


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "register.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.split())


def today_in_berlin() -> set[str]:
    """Today's date in the organization's zone (both, if the test runs across midnight)."""
    now = utcnow()
    return {f"{(now + delta).astimezone(BERLIN):%Y-%m-%d}" for delta in (timedelta(0), MINUTE)}


# --- entries ---------------------------------------------------------------------------------


def test_entries_hold_the_facts_effects_measures_decisions_and_filings(app, incidents):
    with app.app_context():
        found = by_reference(entries(RegisterQuery()))
    a = found[incidents["A"]]
    assert a["aware_at"] == "2026-03-27T17:30:00+01:00"
    assert a["occurred_at"] == "2026-03-24T11:40:00+01:00"
    assert (a["status"], a["severity"], a["personal_data_breach"]) == ("open", "high", True)
    assert a["nature"] == "CI worker ran a malicious release."
    assert a["likely_consequences"] == "Phishing aimed at the people affected."
    assert a["measures_taken"] == "Rotated every credential; pinned dependencies."
    assert (a["gdpr_risk"], a["gdpr_risk_rationale"]) == (
        "high",
        "Contact and health data of 1,200 people.",
    )
    assert a["nis2_significant"] is True
    assert a["data_categories"] == ["Contact details", "Health data (PHI)"]
    assert a["special_categories"] == ["Health data (PHI)"]
    assert (a["people_total"], a["records_total"]) == (1810, 1500)
    assert a["places"] == [
        {"code": "DE", "name": "Germany", "people": 1200, "records": 1500},
        {"code": "US-CA", "name": "California", "people": 610, "records": None},
    ]
    rows = {f"{row['rule_id']}:{row['jurisdiction']}": row for row in a["obligations"]}
    early = rows["nis2.early_warning:DE"]
    assert early["due_at"] == "2026-03-28T17:30:00+01:00"
    assert early["status"] == "submitted"
    [filing] = early["filings"]
    assert filing["submitted_at"] == "2026-03-29T10:00:00+02:00"
    assert (filing["late"], filing["delay_reasons"], filing["recipient_reference"]) == (
        True,
        LATE_REASONS,
        "BSI-4711",
    )
    assert filing["filed_by"] == "dpo@example.org" and filing["document_sha256"] is None
    assert rows["gdpr.sa_notification:DE"]["filings"][0]["late"] is False
    california = rows["us-ca.individual_notice:US-CA"]
    assert (california["due_at"], california["starts_when"]) == (
        None,
        "starts when the discovery time is recorded",
    )
    notice = rows["gdpr.data_subject_notice:EU"]
    assert notice["status"] == "not_required" and notice["filings"] == []
    [decision] = notice["decisions"]
    assert decision["decision"] == "not required"
    assert (decision["rationale"], decision["decided_by"]) == (RATIONALE, "dpo@example.org")
    assert datetime.fromisoformat(decision["decided_at"]).utcoffset() is not None
    b = found[incidents["B"]]
    assert (b["status"], b["closed_at"], b["obligations"]) == (
        "closed",
        "2026-02-12T12:00:00+01:00",
        [],
    )
    assert (b["gdpr_risk"], b["gdpr_risk_rationale"]) == ("unlikely", UNLIKELY)
    assert found[incidents["C"]]["contained_at"] == "2026-04-02T08:00:00+02:00"


def test_entries_are_oldest_first_by_awareness_then_detection_then_recording(app, incidents):
    with app.app_context():
        order = [item["reference"] for item in entries(RegisterQuery())]
    assert order == [incidents[letter] for letter in "BADCEF"]


# --- filters ---------------------------------------------------------------------------------


def test_every_incident_without_filters(client, incidents):
    assert references(client, incidents) == set("ABCDEF")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # D is aware at 23:30 CEST on 31 March, C at 00:15 CEST on 1 April (still 31 March in UTC).
        ({"to": "2026-03-31"}, set("ABD")),
        ({"from": "2026-04-01"}, set("CEF")),
        ({"from": "2026-03-31", "to": "2026-03-31"}, set("D")),
        ({"from": "2026-04-01", "to": "2026-04-01"}, set("C")),
        ({"from": "2026-03-27", "to": "2026-03-27"}, set("A")),
        ({"from": "2026-03-28", "to": "2026-03-30"}, set()),
        # E has no awareness time: its detection (10 May) counts.
        ({"from": "2026-05-10", "to": "2026-05-10"}, set("E")),
    ],
)
def test_date_range_is_inclusive_in_the_organizations_timezone(
    client, incidents, filters, expected
):
    assert references(client, incidents, **filters) == expected


def test_an_incident_without_awareness_or_detection_counts_from_its_recording(client, incidents):
    today = sorted(today_in_berlin())
    found = references(client, incidents, **{"from": today[0], "to": today[-1]})
    assert found == {"F"}


def test_status_filter(client, incidents):
    assert references(client, incidents, status="closed") == {"B"}
    assert references(client, incidents, status="contained") == {"C"}
    assert references(client, incidents, status="open") == set("ADEF")


def test_regime_filter_keeps_breaches_that_started_no_clock(client, incidents):
    # B and C were assessed unlikely to result in a risk: no GDPR notice, but GDPR applies to a
    # German controller's breach, so they stay in the GDPR register with that assessment.
    assert references(client, incidents, regime="gdpr") == set("ABC")
    assert references(client, incidents, regime="us_state") == {"A", "C"}
    assert references(client, incidents, regime="nis2") == {"A", "D"}
    assert references(client, incidents, regime="sec") == set()


def test_regime_filter_lists_only_that_regimes_obligations(client, incidents):
    data = json.loads(client.get("/register/export.json?regime=nis2").data)
    a = by_reference(data["incidents"])[incidents["A"]]
    assert {row["regime"] for row in a["obligations"]} == {"nis2"}
    assert data["filters"]["regime"] == "nis2"


def test_jurisdiction_filter_by_obligation_or_people_affected(client, incidents):
    assert references(client, incidents, jurisdiction="DE") == {"A", "D"}
    assert references(client, incidents, jurisdiction="us-ca") == {"A", "C"}
    assert references(client, incidents, jurisdiction="FR") == {"B"}
    assert references(client, incidents, jurisdiction="EU") == {"A"}
    data = json.loads(client.get("/register/export.json?jurisdiction=US-CA").data)
    a = by_reference(data["incidents"])[incidents["A"]]
    assert {row["jurisdiction"] for row in a["obligations"]} == {"US-CA"}
    assert data["filters"]["jurisdiction"] == "US-CA"


def test_filters_combine(client, incidents):
    assert references(client, incidents, regime="gdpr", jurisdiction="EU") == {"A"}
    assert references(client, incidents, regime="gdpr", status="closed") == {"B"}
    found = references(client, incidents, regime="nis2", **{"from": "2026-03-28"})
    assert found == {"D"}


# --- CSV -------------------------------------------------------------------------------------


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8"), newline="")))


def test_csv_has_one_row_per_obligation_and_one_for_an_incident_without(app, client, incidents):
    response = client.get("/register/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert not response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Disposition"] in {
        f'attachment; filename="breach-register-{day}.csv"' for day in today_in_berlin()
    }
    rows = csv_rows(response)
    with app.app_context():
        expected = len(get_incident(incidents["A"]).obligations)
    a_rows = [row for row in rows if row["reference"] == incidents["A"]]
    assert len(a_rows) == expected
    assert {row["title"] for row in a_rows} == {"Credential theft via poisoned dependency"}
    [b] = [row for row in rows if row["reference"] == incidents["B"]]
    assert (b["status"], b["obligation_id"], b["gdpr_risk_rationale"]) == ("closed", "", UNLIKELY)
    early = next(row for row in a_rows if row["rule_id"] == "nis2.early_warning")
    assert (early["late"], early["delay_reasons"], early["recipient_reference"]) == (
        "yes",
        LATE_REASONS,
        "BSI-4711",
    )
    assert early["submitted_at"] == "2026-03-29T10:00:00+02:00"
    notice = next(row for row in a_rows if row["rule_id"] == "gdpr.data_subject_notice")
    assert (notice["obligation_status"], notice["decision"], notice["decision_rationale"]) == (
        "not_required",
        "not required",
        RATIONALE,
    )
    assert notice["decided_by"] == "dpo@example.org"
    assert a_rows[0]["places"] == "DE: 1200 people, 1500 records; US-CA: 610 people"
    assert a_rows[0]["aware_at"] == "2026-03-27T17:30:00+01:00"


def test_csv_neutralises_spreadsheet_formulas(client, incidents):
    rows = csv_rows(client.get("/register/export.csv"))
    [c] = [row for row in rows if row["reference"] == incidents["C"]][:1]
    assert c["title"] == "'" + HOSTILE_TITLE
    assert c["nature"] == "'+SUM(1,2) leaked"
    assert c["measures_taken"] == "'@cmd|' /C calc'!A0"
    assert c["root_cause"] == "'-2+3"
    sa = next(
        row
        for row in rows
        if row["reference"] == incidents["A"] and row["rule_id"] == "gdpr.sa_notification"
    )
    assert sa["recipient_reference"] == "'=LDA-1"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_neutralise_covers_tab_and_carriage_return_and_leaves_the_rest():
    assert neutralise("\tcmd") == "'\tcmd"
    assert neutralise("\r=1+1") == "'\r=1+1"
    assert neutralise("2026-03-27T17:30:00+01:00") == "2026-03-27T17:30:00+01:00"
    assert neutralise("a = b") == "a = b"


def test_to_csv_of_nothing_is_the_header():
    text = to_csv([])
    assert text.startswith("reference,title,status,") and text.count("\r\n") == 1


# --- JSON ------------------------------------------------------------------------------------


def test_json_document(client, incidents):
    response = client.get("/register/export.json?status=open&regime=gdpr")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] in {
        f'attachment; filename="breach-register-{day}.json"' for day in today_in_berlin()
    }
    data = json.loads(response.data)
    assert set(data) == {"generated_at", "organization", "filters", "incidents"}
    generated = datetime.fromisoformat(data["generated_at"])
    assert generated.utcoffset() is not None
    assert abs(generated - datetime.now(UTC)) < timedelta(minutes=5)
    assert data["organization"]["name"] == "Example GmbH"
    assert data["organization"]["timezone"] == "Europe/Berlin"
    assert data["filters"] == {
        "from": None,
        "to": None,
        "status": "open",
        "regime": "gdpr",
        "jurisdiction": None,
    }
    [a] = data["incidents"]
    assert a["reference"] == incidents["A"]
    notice = next(row for row in a["obligations"] if row["jurisdiction"] == "EU")
    assert notice["decisions"][0]["rationale"] == RATIONALE


def test_a_filing_names_the_sha256_of_the_document_sent(app, client, incidents, as_role):
    with app.app_context():
        template = LetterTemplate(key="nis2", name="NIS2", rule_ids="nis2.incident_notification")
        template.revisions.append(TemplateRevision(number=1, body="<p>{{ incident.title }}</p>"))
        db.session.add(template)
        db.session.commit()
        template_id = template.id
    row = obligation(app, incidents["A"], "nis2.incident_notification:DE")
    generated = client.post(
        f"/obligations/{row}/documents/new",
        data={"template": template_id, "generate": "y", "delay_reasons": "Portal down."},
    )
    assert generated.status_code == 302
    with app.app_context():
        document = db.session.execute(db.select(Document)).scalar_one()
        document_id, digest = document.id, document.pdf_sha256
    filing = {
        "submitted_at": "2026-03-30 18:00",
        "document": str(document_id),
        "delay_reasons": "Portal down.",
    }
    assert client.post(f"/obligations/{row}/filings", data=filing).status_code == 302
    data = json.loads(client.get("/register/export.json?regime=nis2").data)
    a = by_reference(data["incidents"])[incidents["A"]]
    found = next(item for item in a["obligations"] if item["id"] == row)
    assert found["filings"][0]["document_sha256"] == digest


# --- PDF and page ----------------------------------------------------------------------------


def test_pdf_holds_references_rationales_and_delay_reasons(client, incidents, tmp_path):
    response = client.get("/register/export.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] in {
        f'attachment; filename="breach-register-{day}.pdf"' for day in today_in_berlin()
    }
    text = pdf_text(response.data, tmp_path)
    for reference in incidents.values():
        assert reference in text
    for expected in (RATIONALE, LATE_REASONS, UNLIKELY, HOSTILE_TITLE, "Example GmbH"):
        assert expected in text
    assert "2026-03-27 17:30 CET" in text


def test_pdf_with_filters_and_no_match(client, incidents, tmp_path):
    response = client.get("/register/export.pdf?regime=sec&jurisdiction=US-CA")
    text = pdf_text(response.data, tmp_path)
    assert "No incident matches these filters." in text
    assert "regime: SEC" in text and "jurisdiction: US-CA" in text


def test_page_shows_the_filter_form_a_preview_and_download_links(client, incidents):
    response = client.get("/register/?status=closed")
    page = response.data.decode()
    assert response.status_code == 200
    table = page.split('id="register"')[1]
    assert incidents["B"] in table and incidents["A"] not in table
    assert 'href="/register/export.csv?status=closed"' in page
    assert 'href="/register/export.pdf?status=closed"' in page
    assert 'href="/register/export.json?status=closed"' in page
    assert 'name="regime"' in page and ">UK GDPR</option>" in page
    assert "<script>" not in page.split("<main")[1]


def test_the_nav_links_the_register_for_readers_only(client, as_role, make_user, login):
    as_role("legal")
    assert 'href="/register/"' in client.get("/").data.decode()
    login(make_user("commander"))
    assert 'href="/register/"' not in client.get("/").data.decode()


# --- bad filters and access ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-13-01", "from: &#39;2026-13-01&#39; is not a date; use YYYY-MM-DD"),
        ("to=yesterday", "to: &#39;yesterday&#39; is not a date; use YYYY-MM-DD"),
        ("to=9999-12-31", "to: 9999-12-31 is outside the years 1970 to 2999"),
        ("from=0001-01-01", "from: 0001-01-01 is outside the years 1970 to 2999"),
        ("jurisdiction=" + "X" * 5000, "is not a country or US-XX code"),
        ("from=2026-04-02&to=2026-04-01", "the start date 2026-04-02 is after the end date"),
        ("status=pending", "unknown status &#39;pending&#39;; use one of open, contained, closed"),
        ("regime=ccpa", "unknown regime &#39;ccpa&#39;"),
        ("jurisdiction=UK", "use &#39;GB&#39;"),
        ("jurisdiction=US-ZZ", "is not a US state, DC or territory code"),
        ("jurisdiction=%3Cscript%3E", "&#39;&lt;script&gt;&#39; is not a country or US-XX code"),
        ("jurisdiction=%3Cb%3E", "&#39;&lt;B&gt;&#39; is not an ISO 3166-1"),
    ],
)
@pytest.mark.parametrize("path", ["/register/", "/register/export.csv", "/register/export.pdf"])
def test_bad_filters_get_a_400_with_a_clear_message(client, as_role, path, query, message):
    as_role("dpo")
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert message in response.data.decode()


@pytest.mark.parametrize("role", ["commander", "viewer"])
@pytest.mark.parametrize(
    "path",
    ["/register/", "/register/export.csv", "/register/export.json", "/register/export.pdf"],
)
def test_commanders_and_viewers_may_not_read_the_register(client, as_role, role, path):
    as_role(role)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", ["admin", "dpo", "legal"])
def test_admins_dpos_and_legal_may(client, as_role, role):
    as_role(role)
    assert client.get("/register/").status_code == 200
    assert client.get("/register/export.csv").status_code == 200


def test_anonymous_users_are_sent_to_the_login(client, org):
    assert client.get("/register/export.json").status_code == 302


def test_unknown_export_format_is_not_found(client, as_role):
    as_role("dpo")
    assert client.get("/register/export.xlsx").status_code == 404


def test_register_without_an_organization_profile(client, make_user, login):
    login(make_user("admin"))
    data = json.loads(client.get("/register/export.json").data)
    assert (data["organization"], data["incidents"]) == (None, [])


# --- query count -----------------------------------------------------------------------------


def seed(app, start: int, count: int) -> None:
    """Incidents each with a late filing, an on-time filing and a "not required" decision."""
    with app.app_context():
        organization = db.session.get(Organization, 1)
        user = db.session.execute(db.select(User)).scalars().first()
        health = db.session.execute(db.select(DataCategory).filter_by(code="health")).scalar_one()
        aware = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        for number in range(start, start + count):
            incident = Incident(
                reference=f"INC-2025-{number + 1:04d}",
                title=f"Incident {number + 1}",
                aware_at=aware + timedelta(hours=number),
                personal_data_breach=True,
                gdpr_risk="high",
                nis2_significant=True,
                data_categories=[health],
                jurisdictions=[AffectedJurisdiction(code="DE", people=10, records=12)],
            )
            db.session.add(incident)
            regenerate(incident, organization, user, "because it was recorded")
            db.session.flush()
            rows = {row.rule_id: row for row in incident.obligations}
            late = Submission(submitted_at=aware + timedelta(days=5), delay_reasons="Outage.")
            record_filing(rows["nis2.early_warning"], late, user, organization)
            on_time = Submission(submitted_at=incident.aware_at + timedelta(hours=1))
            record_filing(rows["gdpr.sa_notification"], on_time, user, organization)
            decide_not_required(rows["gdpr.data_subject_notice"], RATIONALE, user)
        db.session.commit()


@contextmanager
def counted(engine):
    """Collect the SQL statements sent through the engine while the block runs."""
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_for(app, query: RegisterQuery) -> tuple[int, int]:
    """How many statements the entries take (from a fresh session), and how many entries."""
    with app.app_context():
        db.session.remove()
        with counted(db.engine) as statements:
            found = entries(query)
        assert all(len(item["obligations"]) >= 2 for item in found)
        return len(statements), len(found)


@pytest.mark.parametrize(
    "query",
    [RegisterQuery(), RegisterQuery(regime="gdpr"), RegisterQuery(jurisdiction="DE")],
    ids=["all", "regime", "jurisdiction"],
)
def test_the_number_of_queries_does_not_grow_with_the_incidents(app, make_user, org, query):
    make_user("dpo")
    seed(app, 0, 3)
    few, found = statements_for(app, query)
    assert found == 3
    seed(app, 3, 27)
    many, found = statements_for(app, query)
    assert found == 30
    assert many == few <= 10
