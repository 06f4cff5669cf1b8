"""Helpers for the hostile-input tests: requests that must not crash, database snapshots, PDF text.

The test app runs with TESTING=True, so an exception in a view propagates into the test instead of
becoming a 500 page. ``send`` turns such an exception into an assertion failure that carries the
request and the traceback, which is what a 500 would have hidden from the user.
"""

import os
import re
import subprocess
import tempfile
import traceback

from sqlalchemy import func, select

from incident_tracker.extensions import db
from incident_tracker.models import LetterTemplate, TemplateRevision

ON_POSTGRES = bool(os.environ.get("INCIDENT_TRACKER_TEST_DATABASE_URL"))
BODY_LIMIT = 2 * 1024 * 1024  # Defaults.MAX_CONTENT_LENGTH

# A staff template that prints every free-text value a letter can show.
EVERYTHING_BODY = """<h1>{{ incident.reference }}: {{ incident.title }}</h1>
<p id="summary">{{ incident.summary }}</p>
<p id="root_cause">{{ incident.root_cause }}</p>
<p id="consequences">{{ incident.consequences }}</p>
<p id="measures_taken">{{ incident.measures_taken }}</p>
<p id="gdpr_risk_rationale">{{ incident.gdpr_risk_rationale }}</p>
<p id="nis2_significance_rationale">{{ incident.nis2_significance_rationale }}</p>
{% for party in incident.parties %}
<p class="party">{{ party.name }} / {{ party.notes }}</p>
{% endfor %}
{% for filing in obligation.filings %}<p class="filing">{{ filing.reference }}</p>{% endfor %}
<p id="organization">{{ organization.name }} / {{ organization.dpo_name }} / \
{{ organization.dpo_phone }} / {{ organization.dpo_email }}</p>
<p id="delay">{{ letter.delay_reasons }}</p>
<p id="additional">{{ letter.additional_information }}</p>
"""


def send(client, url: str, data=None, **kwargs):
    """POST, and fail with the request and traceback if the app raised (a 500 in production)."""
    try:
        response = client.post(url, data=data, **kwargs)
    except Exception as error:  # noqa: BLE001 - any escaping exception is the bug being reported
        shown = repr(data)
        shown = shown if len(shown) < 1500 else shown[:1500] + "…"
        raise AssertionError(
            f"500: POST {url} raised {type(error).__name__}: {error}\n"
            f"data={shown}\n{traceback.format_exc()}"
        ) from None
    assert response.status_code < 500, (url, response.status_code, response.data[:500])
    return response


def fetch(client, url: str, **kwargs) -> str:
    """GET a page that must render (200) and return its HTML."""
    try:
        response = client.get(url, **kwargs)
    except Exception as error:  # noqa: BLE001
        raise AssertionError(f"500: GET {url} raised {error!r}\n{traceback.format_exc()}") from None
    assert response.status_code == 200, (url, response.status_code)
    return response.data.decode()


def counts(app) -> dict[str, int]:
    """The number of rows in every table of the models."""
    with app.app_context():
        result = {
            table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
        return result


def rows(app, *names: str) -> dict[str, list[dict]]:
    """Every row of the named tables, in primary-key order (to prove an edit left them alone)."""
    with app.app_context():
        result = {}
        for name in names:
            table = db.metadata.tables[name]
            statement = select(table).order_by(*table.primary_key.columns)
            result[name] = [dict(row._mapping) for row in db.session.execute(statement)]
        db.session.remove()
        return result


def clear(app, *names: str) -> None:
    """Delete every row of the named tables (state a test resets between examples)."""
    with app.app_context():
        for name in names:
            db.session.execute(db.metadata.tables[name].delete())
        db.session.commit()
        db.session.remove()


def add_staff_template(app, key: str = "staff", body: str = EVERYTHING_BODY) -> int:
    """A staff (editable) template row, as tests/web/test_letters.py creates them."""
    with app.app_context():
        template = LetterTemplate(key=key, name=f"Staff {key}", rule_ids="gdpr.sa_notification")
        template.revisions.append(TemplateRevision(number=1, body=body, note="test"))
        db.session.add(template)
        db.session.commit()
        return template.id


def template_id(app, key: str) -> int:
    with app.app_context():
        return db.session.execute(select(LetterTemplate.id).filter_by(key=key)).scalar_one()


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as pdftotext extracts it."""
    assert pdf.startswith(b"%PDF"), pdf[:40]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", handle.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def squeeze(text: str) -> str:
    """Collapse runs of whitespace (PDF text extraction breaks lines where the layout did)."""
    return re.sub(r"\s+", " ", text).strip()


def version_of(page: str) -> tuple[str, str]:
    """The hidden version and stamp of a versioned form page."""
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    loaded_at = re.search(r'name="loaded_at" type="hidden" value="([^"]*)"', page).group(1)
    return version, loaded_at
