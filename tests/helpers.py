"""Plain helpers for the shell's tests (fixtures live in conftest.py)."""

import re
from datetime import UTC, datetime

from incident_tracker.extensions import db
from incident_tracker.models import Incident

PASSWORD = "correct horse battery staple"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def incident_form(**overrides) -> dict:
    """A valid incident form submission with two jurisdictions."""
    data = {
        "title": "Credential theft via poisoned dependency",
        "summary": "CI worker ran a malicious release.",
        "status": "open",
        "severity": "high",
        "occurred_at": "2026-03-24 11:40",
        "detected_at": "2026-03-26 08:05",
        "aware_at": "2026-03-27 17:30",
        "personal_data_breach": "y",
        "malicious": "yes",
        "cross_border": "",
        "gdpr_risk": "high",
        "nis2_significant": "yes",
        "jurisdictions-0-code": "DE",
        "jurisdictions-0-people": "1200",
        "jurisdictions-0-records": "1500",
        "jurisdictions-1-code": "us-ca",
        "jurisdictions-1-people": "610",
        "parties-0-name": "LiteLLM 1.82.7",
        "parties-0-kind": "component",
        "parties-0-role": "upstream_component",
        "parties-0-package_url": "pkg:pypi/litellm@1.82.7",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def reference_from(response) -> str:
    match = re.search(r"/incidents/(INC-\d{4}-\d{4})$", response.headers["Location"])
    assert match, response.headers.get("Location")
    return match.group(1)


def get_incident(reference: str) -> Incident:
    return db.session.execute(db.select(Incident).filter_by(reference=reference)).scalar_one()


def edit_form(client, reference: str, **overrides) -> dict:
    """An incident edit as a browser sends it: with the version and stamp of the edit page."""
    return with_version(client, f"/incidents/{reference}/edit", incident_form(**overrides))


ORGANIZATION_FORM = {  # the `org` fixture's profile, as its form sends it
    "name": "Example GmbH",
    "country": "DE",
    "timezone": "Europe/Berlin",
    "gdpr_role": "controller",
    "eu_main_establishment": "DE",
    "nis2": "essential",
    "dora": "",
    "hipaa": "",
}


def with_version(client, url: str, data: dict) -> dict:
    """Add the hidden version and stamp of the form at url, as a browser would send them back."""
    page = client.get(url).data.decode()
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    loaded_at = re.search(r'name="loaded_at" type="hidden" value="([^"]*)"', page).group(1)
    return {**data, "version": version, "loaded_at": loaded_at}
