"""One's account page: API tokens and calendar URLs are created, shown once and revoked."""

import re

from incident_tracker.accounts.tokens import digest
from incident_tracker.extensions import db
from incident_tracker.models import ApiToken, CalendarFeed


def _secret(page: str) -> str:
    return re.search(r"<code>([^<]+)</code></pre>", page).group(1)


def test_a_token_is_shown_once_stored_hashed_and_works_until_revoked(app, client, as_role):
    as_role("commander")
    page = client.post(
        "/account/tokens", data={"name": "SIEM", "scope": "read_write"}
    ).data.decode()
    token = _secret(page)
    with app.app_context():
        row = db.session.execute(db.select(ApiToken)).scalar_one()
        assert row.token_hash == digest(token) and token not in (row.prefix + row.name)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/incidents", headers=headers).status_code == 200
    assert token not in client.get("/account/").data.decode()
    client.post(f"/account/tokens/{row.id}/revoke")
    assert client.get("/api/v1/incidents", headers=headers).status_code == 401


def test_a_viewer_cannot_make_a_read_write_token(app, client, as_role):
    as_role("viewer")
    response = client.post("/account/tokens", data={"name": "x", "scope": "read_write"})
    assert response.status_code == 422 and b"your role cannot write" in response.data
    assert client.post("/account/tokens", data={"name": "x", "scope": "read"}).status_code == 200


def test_a_calendar_url_is_shown_once_and_revocable(app, client, as_role):
    as_role("dpo")
    url = _secret(client.post("/account/calendar").data.decode())
    path = url.split("localhost", 1)[1]
    assert client.get(path).mimetype == "text/calendar"
    with app.app_context():
        feed_id = db.session.execute(db.select(CalendarFeed.id)).scalar_one()
    client.post(f"/account/calendar/{feed_id}/revoke")
    assert client.get(path).status_code == 404


def test_nobody_revokes_someone_elses_token(app, client, as_role, make_user, login):
    as_role("dpo")
    client.post("/account/tokens", data={"name": "mine", "scope": "read"})
    with app.app_context():
        token_id = db.session.execute(db.select(ApiToken.id)).scalar_one()
    login(make_user("admin"))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
