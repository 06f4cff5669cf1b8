"""Very large inputs, length limits, NUL characters and Unicode through every form.

A body over the 2 MiB limit gets 413 on every POST endpoint; a text just over its limit gets a
validation message and saves nothing, one at the limit is saved exactly; a NUL is refused or
stripped, never a 500 (PostgreSQL cannot store it); right-to-left text, emoji sequences and
combining marks survive the round trip to the database, the page and the PDF.
"""

import re
import unicodedata
from dataclasses import dataclass, field

import pytest
from markupsafe import escape

from incident_tracker.extensions import db
from incident_tracker.models import (
    Filing,
    Incident,
    LetterTemplate,
    NotificationDecision,
    Organization,
    TimelineEvent,
)
from tests.helpers import (
    ORGANIZATION_FORM,
    PASSWORD,
    get_incident,
    incident_form,
    reference_from,
    with_version,
)
from tests.hostile.hostile_support import (
    BODY_LIMIT,
    add_staff_template,
    counts,
    fetch,
    pdf_text,
    send,
)

FILED = "gdpr.sa_notification:DE"


@pytest.fixture
def place(app, client, incident, obligation_ids, staff_template, shipped) -> dict:
    """The values that fill the endpoints' URLs."""
    return {
        "reference": incident,
        "obligation": obligation_ids[FILED],
        "open": obligation_ids["nis2.early_warning:DE"],
        "key": staff_template,
        "shipped": "gdpr_art33_authority",
    }


# ---------------------------------------------------------------------------------------------
# Over the body limit: 413
# ---------------------------------------------------------------------------------------------

ENDPOINTS = [
    "/auth/login",
    "/auth/password",
    "/organization/",
    "/incidents/new",
    "/incidents/{reference}/edit",
    "/incidents/{reference}/notes",
    "/obligations/{obligation}/filings",
    "/obligations/{open}/decision",
    "/letters/{shipped}/copy",
    "/letters/{key}/edit",
    "/letters/{key}/preview",
    "/obligations/{obligation}/documents/new",
]


def _multipart(size: int) -> bytes:
    return (
        b'--xyz\r\nContent-Disposition: form-data; name="title"\r\n\r\n'
        + b"x" * size
        + b"\r\n--xyz--\r\n"
    )


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_body_over_2_mib_gets_413_and_saves_nothing(app, client, place, endpoint, encoding):
    url = endpoint.format(**place)
    before = counts(app)
    if encoding == "urlencoded":
        response = send(client, url, {"title": "x" * BODY_LIMIT, "text": "y"})
    else:
        body = _multipart(BODY_LIMIT)
        response = send(client, url, body, content_type="multipart/form-data; boundary=xyz")
    assert response.status_code == 413
    assert b"The request is too large." in response.data
    assert counts(app) == before


# ---------------------------------------------------------------------------------------------
# Length limits: one over is refused with a message, the limit itself is saved exactly
# ---------------------------------------------------------------------------------------------


@dataclass
class Form:
    """How to fill one form validly and read back what it saved."""

    url: str
    base: dict
    read: object  # (app, place, field) -> the stored value
    versioned: bool = False
    refused: tuple = (200, 422)
    extra: dict = field(default_factory=dict)


def _incident_value(app, place, name):
    with app.app_context():
        incident = db.session.execute(
            db.select(Incident).order_by(Incident.id.desc()).limit(1)
        ).scalar_one()
        if name.startswith("parties-0-"):
            return getattr(incident.parties[0], name.removeprefix("parties-0-"))
        if name.startswith("jurisdictions-0-"):
            return getattr(incident.jurisdictions[0], name.removeprefix("jurisdictions-0-"))
        return getattr(incident, name)


def _organization_value(app, place, name):
    with app.app_context():
        return getattr(db.session.get(Organization, 1), name)


def _last(app, model, column):
    with app.app_context():
        row = db.session.execute(db.select(model).order_by(model.id.desc()).limit(1)).scalar()
        return getattr(row, column) if row else None


def _template_value(app, place, name):
    with app.app_context():
        template = db.session.execute(
            db.select(LetterTemplate).filter_by(key=place["key"])
        ).scalar_one()
        return getattr(template.current, name)


FORMS = {
    "incident": Form("/incidents/new", incident_form(), _incident_value),
    "organization": Form("/organization/", ORGANIZATION_FORM, _organization_value, versioned=True),
    "note": Form(
        "/incidents/{reference}/notes",
        {"occurred_at": "2026-03-28 09:00", "text": "Called the vendor."},
        lambda app, place, name: _last(app, TimelineEvent, name),
        refused=(422,),
    ),
    "filing": Form(
        "/obligations/{obligation}/filings",
        {"submitted_at": "2026-03-28 10:00"},
        lambda app, place, name: _last(app, Filing, name),
        refused=(422,),
    ),
    "decision": Form(
        "/obligations/{open}/decision",
        {"rationale": "Encrypted with a key that was not compromised."},
        lambda app, place, name: _last(app, NotificationDecision, name),
        refused=(422,),
    ),
    "copy": Form(
        "/letters/{shipped}/copy",
        {"name": "Our copy"},
        lambda app, place, name: _last(app, LetterTemplate, name),
    ),
    "template": Form(
        "/letters/{key}/edit",
        {"body": "<p>{{ incident.title }}</p>", "note": "edited"},
        _template_value,
        refused=(422,),
    ),
}
LIMITS = [
    ("incident", "title", 200),
    ("incident", "summary", 20_000),
    ("incident", "root_cause", 20_000),
    ("incident", "consequences", 20_000),
    ("incident", "measures_taken", 20_000),
    ("incident", "gdpr_risk_rationale", 20_000),
    ("incident", "nis2_significance_rationale", 20_000),
    ("incident", "parties-0-name", 200),
    ("incident", "parties-0-notes", 1000),
    ("organization", "name", 200),
    ("organization", "nis2_sector", 120),
    ("organization", "dpo_name", 200),
    ("organization", "dpo_phone", 50),
    ("note", "text", 20_000),
    ("filing", "recipient_reference", 200),
    ("filing", "note", 20_000),
    ("filing", "delay_reasons", 20_000),
    ("decision", "rationale", 20_000),
    ("copy", "name", 200),
    ("template", "note", 300),
    ("template", "body", 200_000),
]


def _params(over: bool):
    for form, name, limit in LIMITS:
        yield pytest.param(form, name, limit, id=f"{form}-{name}")


def _submit(client, form: Form, place: dict, data: dict):
    url = form.url.format(**place)
    if form.versioned:
        data = with_version(client, url, data)
    return send(client, url, data)


def _filler(name: str, size: int) -> str:
    if name == "body":
        return "<p>{{ incident.title }}</p>" + "x" * (size - 27)
    return "x" * size


@pytest.mark.parametrize(("form_name", "name", "limit"), list(_params(over=True)))
def test_one_character_over_the_limit_is_refused_with_a_message(
    app, client, place, form_name, name, limit
):
    form = FORMS[form_name]
    before = counts(app)
    response = _submit(client, form, place, {**form.base, name: _filler(name, limit + 1)})
    assert response.status_code in form.refused, response.status_code
    message = rf"Field (cannot be longer than|must be between \d+ and) {limit} characters"
    assert re.search(message, response.data.decode()), f"no message for {name}"
    assert counts(app) == before


@pytest.mark.parametrize(("form_name", "name", "limit"), list(_params(over=False)))
def test_a_value_at_the_limit_is_saved_exactly(app, client, place, form_name, name, limit):
    form = FORMS[form_name]
    value = _filler(name, limit)
    response = _submit(client, form, place, {**form.base, name: value})
    assert response.status_code == 302, response.data[:1000]
    assert form.read(app, place, name) == value


@pytest.mark.parametrize("text", ["👍🏿" * 100, "e\u0301" * 100, "ש" * 200])
def test_a_title_at_the_limit_in_multi_code_point_characters_is_saved(app, client, editor, text):
    response = send(client, "/incidents/new", incident_form(title=text))
    assert response.status_code == 302
    with app.app_context():
        assert get_incident(reference_from(response)).title == text


def test_a_million_character_template_body_is_refused_with_a_message(app, client, place):
    before = counts(app)
    for action in ("edit", "preview"):
        response = send(client, f"/letters/{place['key']}/{action}", {"body": "x" * 1_000_000})
        assert response.status_code == 422
        assert "Field cannot be longer than 200000 characters." in response.data.decode()
    assert counts(app) == before


def test_a_million_character_incident_text_is_refused_with_a_message(app, client, editor):
    before = counts(app)
    for name in ("title", "summary", "measures_taken"):
        response = send(client, "/incidents/new", incident_form(**{name: "x" * 1_000_000}))
        assert response.status_code == 200 and b"Field cannot be longer than" in response.data
    assert counts(app) == before


def test_login_and_password_fields_over_their_limits_are_refused(app, client, editor):
    too_long = send(client, "/auth/password", {"current": PASSWORD, "new": "x" * 1001})
    assert b"Field cannot be longer than 1000 characters." in too_long.data
    other = app.test_client()
    before = counts(app)
    login = send(other, "/auth/login", {"email": "a" * 250 + "@x.org", "password": "x" * 1001})
    assert login.status_code == 200
    assert b"Field cannot be longer than 254 characters." in login.data
    assert counts(app) == before


# ---------------------------------------------------------------------------------------------
# NUL
# ---------------------------------------------------------------------------------------------

NUL = "before\x00after"
NUL_CASES = [
    ("incident", "title"),
    ("incident", "summary"),
    ("incident", "parties-0-name"),
    ("incident", "parties-0-notes"),
    ("organization", "name"),
    ("organization", "dpo_name"),
    ("note", "text"),
    ("filing", "recipient_reference"),
    ("filing", "note"),
    ("decision", "rationale"),
    ("copy", "name"),
    ("template", "body"),
    ("template", "note"),
]


@pytest.mark.parametrize(
    ("form_name", "name"),
    [pytest.param(*case, id="-".join(case)) for case in NUL_CASES],
)
def test_nul_in_every_form_is_refused_or_stripped_not_500(app, client, place, form_name, name):
    form = FORMS[form_name]
    value = NUL + (" padding to twenty characters" if name == "rationale" else "")
    before = counts(app)
    response = _submit(client, form, place, {**form.base, name: value})
    if response.status_code == 302:
        stored = form.read(app, place, name)
        assert "\x00" not in stored, f"the NUL was stored: {stored!r}"
    else:
        assert response.status_code in (*form.refused, 400)
        if response.status_code == 400:  # refused before any view, for every form
            assert b"NUL characters are not allowed" in response.data
        assert counts(app) == before


def test_nul_in_the_login_email_is_not_500(app, client, editor):
    other = app.test_client()
    response = send(other, "/auth/login", {"email": "dpo\x00@example.org", "password": "x"})
    assert response.status_code in (200, 400, 429)


def test_nul_in_a_password_is_not_500(app, client, editor):
    passphrase = "a long passphrase\x00with a nul"
    data = {"current": PASSWORD, "new": passphrase, "confirm": passphrase}
    response = send(client, "/auth/password", data)
    assert response.status_code in (200, 302, 400)


# ---------------------------------------------------------------------------------------------
# Unicode round trip
# ---------------------------------------------------------------------------------------------

HEBREW = "דליפת מידע בשרת הלקוחות"
ARABIC = "\u200fخرق أمني في نظام الدفع\u200f"  # with right-to-left marks, no lam-alef
MIXED = "\u200fتسرب بيانات\u200e ABC-123 \u200eالعملاء\u200f"
EMOJI = "👩🏽‍💻 👨‍👩‍👧‍👦 🏳️‍🌈 👍🏿 🇩🇪"
COMBINING = "Cafe\u0301 re\u0301sume\u0301 n\u0303"
ZALGO = "Z\u0335\u0321\u0322\u031b\u0317a\u0338\u0300l\u0337\u0301g\u0336\u0302o\u0334\u0303"
CONTROL = "tab\there\x01\x1b[31mred\x7f \u202eoverride\u202c \u2028line\u2029para"
SAMPLES = {
    "title": HEBREW,
    "summary": f"{ARABIC}\n{MIXED}\n{EMOJI}",
    "root_cause": COMBINING,
    "consequences": ZALGO,
    "measures_taken": CONTROL,
    "gdpr_risk_rationale": MIXED,
    "nis2_significance_rationale": EMOJI,
    "parties-0-name": ARABIC,
    "parties-0-notes": f"{ZALGO} {EMOJI}",
}
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def test_unicode_survives_form_database_and_page_exactly(app, client, editor):
    response = send(client, "/incidents/new", incident_form(**SAMPLES))
    assert response.status_code == 302, response.data[:2000]
    reference = reference_from(response)
    for name, value in SAMPLES.items():
        assert _incident_value(app, None, name) == value, name  # no normalisation, no loss
    page = fetch(client, f"/incidents/{reference}")
    edit = fetch(client, f"/incidents/{reference}/edit")
    for name, value in SAMPLES.items():
        assert str(escape(value)) in page, f"{name} is not shown exactly"
        assert str(escape(value)) in edit, f"{name} is not in the edit form exactly"
    # Saving the edit form as shown changes nothing.
    data = with_version(client, f"/incidents/{reference}/edit", incident_form(**SAMPLES))
    assert send(client, f"/incidents/{reference}/edit", data).status_code == 302
    with app.app_context():
        kinds = [event.kind for event in get_incident(reference).events]
    assert "edited" not in kinds


def test_unicode_in_notes_filings_and_the_profile_round_trips(app, client, place):
    assert (
        send(
            client,
            f"/incidents/{place['reference']}/notes",
            {"occurred_at": "2026-03-28 09:00", "text": EMOJI + " " + ZALGO},
        ).status_code
        == 302
    )
    assert _last(app, TimelineEvent, "text") == EMOJI + " " + ZALGO
    filing = {"submitted_at": "2026-03-28 10:00", "recipient_reference": HEBREW, "note": MIXED}
    assert send(client, f"/obligations/{place['obligation']}/filings", filing).status_code == 302
    assert (_last(app, Filing, "recipient_reference"), _last(app, Filing, "note")) == (
        HEBREW,
        MIXED.strip(),
    )
    profile = with_version(client, "/organization/", {**ORGANIZATION_FORM, "name": ARABIC.strip()})
    profile["dpo_name"] = COMBINING
    assert send(client, "/organization/", profile).status_code == 302
    assert _organization_value(app, None, "dpo_name") == COMBINING
    page = fetch(client, f"/obligations/{place['obligation']}")
    assert str(escape(MIXED.strip())) in page and HEBREW in page


@pytest.mark.parametrize("digits", ["１２００", "١٢٠٠", "۱۲۰۰", "１２００\u200f"])
def test_non_ascii_digits_in_counts_are_read_or_refused_not_500(app, client, editor, digits):
    before = counts(app)
    response = send(client, "/incidents/new", incident_form(**{"jurisdictions-0-people": digits}))
    if response.status_code == 302:
        with app.app_context():
            rows = get_incident(reference_from(response)).jurisdictions
            assert {row.code: row.people for row in rows}["DE"] == 1200
        assert "1,200" in fetch(client, response.headers["Location"])
    else:
        assert response.status_code == 200 and b"Not a valid integer value." in response.data
        assert counts(app) == before


def _bare(text: str, marks: bool = True) -> str:
    """Text without bidi controls and whitespace (PDF text extraction adds and drops both)."""
    text = re.sub(r"\s", "", text.translate(BIDI_CONTROLS))
    return text if marks else "".join(c for c in text if unicodedata.category(c) != "Mn")


def test_right_to_left_and_combining_marks_survive_into_the_pdf(app, client, place):
    values = {
        "title": HEBREW,
        "summary": ARABIC,
        "root_cause": COMBINING,
        "consequences": ZALGO,
        "parties-0-name": HEBREW + " בע״מ",
    }
    edit = f"/incidents/{place['reference']}/edit"
    response = send(client, edit, with_version(client, edit, incident_form(**values)))
    assert response.status_code == 302
    with app.app_context():
        assert get_incident(place["reference"]).title == HEBREW
    template = add_staff_template(app, "unicode")
    data = {"template": template, "preview": "y"}
    response = send(client, f"/obligations/{place['obligation']}/documents/new", data)
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for name, value in values.items():
        if name == "consequences":
            # pdftotext attaches stacked marks by position, so Zalgo's marks may move to a
            # neighbouring letter: the letters and every mark must be there, in some order.
            assert _bare(value, marks=False) in _bare(text, marks=False)
            assert all(text.count(mark) >= value.count(mark) for mark in set(value))
        else:
            assert _bare(value) in _bare(text), f"{name} ({value!r}) is not in the PDF text"
    # Combining marks stay combining marks (no silent normalisation on the way).
    assert "Cafe\u0301 re\u0301sume\u0301" in text
