"""The organization profile form."""

import pytest

from incident_tracker.extensions import db
from incident_tracker.models import Organization
from tests.helpers import with_version

VALID = {
    "name": "Example SE",
    "country": "BE",
    "timezone": "Europe/Brussels",
    "gdpr_role": "processor",
    "eu_main_establishment": "",
    "nis2": "important",
    "nis2_sector": "Cloud computing",
    "trust_service_provider": "y",
    "dora": "",
    "sec_registrant": "y",
    "hipaa": "business_associate",
    "dpo_name": "Jan Peeters",
    "dpo_email": "dpo@example.be",
    "dpo_phone": "+32 2 555 01 00",
}


def test_profile_is_created_then_updated(app, client, make_user, login):
    login(make_user("admin"))
    assert client.post("/organization/", data=VALID).status_code == 302
    renamed = with_version(client, "/organization/", {**VALID, "name": "Renamed SE"})
    assert client.post("/organization/", data=renamed).status_code == 302
    with app.app_context():
        organization = db.session.get(Organization, 1)
        assert organization.name == "Renamed SE"
        assert organization.eu_main_establishment is None and organization.dora is None
        assert organization.trust_service_provider and organization.hipaa == "business_associate"


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("timezone", "Europe/Atlantis", "unknown IANA timezone"),
        ("timezone", "CEST", "unknown IANA timezone"),
        ("country", "UK", "Not a valid choice"),
        ("eu_main_establishment", "US", "US is not in the EU/EEA"),
        ("gdpr_role", "owner", "Not a valid choice"),
        ("nis2", "critical", "Not a valid choice"),
        ("dora", "bank", "Not a valid choice"),
        ("hipaa", "doctor", "Not a valid choice"),
        ("dpo_email", "not-an-address", "Invalid email address"),
        ("name", "", "This field is required"),
    ],
)
def test_invalid_profile_is_refused_with_a_message(
    app, client, make_user, login, field, value, message
):
    login(make_user("dpo"))
    response = client.post("/organization/", data={**VALID, field: value})
    assert response.status_code == 200
    assert message in response.data.decode()
    with app.app_context():
        assert db.session.get(Organization, 1) is None
