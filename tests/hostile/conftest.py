"""Fixtures for the hostile-input tests: a logged-in DPO, an incident, obligations, templates."""

import pytest

from incident_tracker.documents import catalogue
from incident_tracker.extensions import db
from tests.helpers import get_incident, incident_form, reference_from
from tests.hostile.hostile_support import add_staff_template


@pytest.fixture
def editor(as_role):
    """The client logged in as the DPO: the one role that may use every form."""
    return as_role("dpo")


@pytest.fixture
def incident(client, editor):
    """A valid incident recorded through the form; its reference."""
    response = client.post("/incidents/new", data=incident_form())
    assert response.status_code == 302, response.data[:300]
    return reference_from(response)


@pytest.fixture
def obligation_ids(app, incident) -> dict[str, int]:
    """The incident's obligations by "rule:JURISDICTION"."""
    with app.app_context():
        return {
            f"{row.rule_id}:{row.jurisdiction}": row.id
            for row in get_incident(incident).obligations
        }


@pytest.fixture
def shipped(app):
    """The shipped templates (templates/letters/*.html) in the database."""
    with app.app_context():
        catalogue.sync_shipped()
        db.session.commit()


@pytest.fixture
def staff_template(app, editor) -> str:
    """A staff template that prints every free-text value; its key."""
    add_staff_template(app, "staff")
    return "staff"
