"""Logging in, the login requirement on every page, roles, logout and safe redirects."""

import pytest
from werkzeug.routing import IntegerConverter

from incident_tracker.accounts.auth import load_user
from incident_tracker.extensions import db
from incident_tracker.models import AuditEvent, User
from tests.helpers import PASSWORD, incident_form

PAGES = [
    "/",
    "/incidents/",
    "/incidents/new",
    "/incidents/INC-2026-0001",
    "/incidents/INC-2026-0001/edit",
    "/organization/",
]


# Not pages: the API answers 401 without a token, the calendar feed 404 without a valid secret,
# and the OpenAPI document is public.
NOT_PAGES = {"static", "auth.login", "bootstrap.static", "api-docs.openapi_json"}


def test_every_page_but_login_needs_a_login(app, client):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_PAGES or rule.rule.startswith(("/api/", "/calendar/")):
            continue
        numeric = {
            name
            for name, converter in rule._converters.items()
            if isinstance(converter, IntegerConverter)
        }
        values = {name: 1 if name in numeric else "INC-2026-0001" for name in rule.arguments}
        for name, converter in rule._converters.items():
            if hasattr(converter, "items"):  # any(csv, json, pdf)
                values[name] = sorted(converter.items)[0]
        url = rule.build(values)[1]
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        assert response.status_code == 302, url
        assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitor_is_sent_to_login_with_next(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_login_with_right_password_goes_to_dashboard(client, make_user):
    user = make_user("commander")
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_email_is_case_insensitive(client, make_user):
    user = make_user("commander")
    response = client.post("/auth/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "email,password", [("dpo@example.org", "wrong"), ("nobody@example.org", PASSWORD)]
)
def test_wrong_credentials_get_the_same_message(client, make_user, email, password):
    make_user("dpo")
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert response.status_code == 200
    assert b"Unknown e-mail or wrong password" in response.data
    assert client.get("/").status_code == 302


def test_inactive_user_cannot_log_in(app, client, make_user):
    from incident_tracker.extensions import db
    from incident_tracker.models import User

    user = make_user("dpo")
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert b"Unknown e-mail or wrong password" in response.data


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/incidents/", "/incidents/"),
        ("/incidents/?q=a&status=open", "/incidents/?q=a&status=open"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("\\\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("http:/evil.example", "/"),
    ],
)
def test_next_parameter_never_leaves_the_site(client, make_user, target, expected):
    user = make_user("dpo")
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == expected


def test_logout_is_a_post(client, as_role):
    as_role("viewer")
    assert client.get("/auth/logout").status_code == 405
    response = client.post("/auth/logout")
    assert response.headers["Location"] == "/auth/login"
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "path,data",
    [
        ("/incidents/new", incident_form()),
        (
            "/organization/",
            {"name": "X", "country": "DE", "timezone": "UTC", "gdpr_role": "controller"},
        ),
        ("/incidents/INC-2026-0001/notes", {"occurred_at": "2026-03-27 10:00", "text": "x"}),
        ("/incidents/INC-2026-0001/edit", incident_form()),
    ],
)
def test_viewer_changes_nothing(client, as_role, path, data):
    as_role("viewer")
    assert client.post(path, data=data).status_code == 403


@pytest.mark.parametrize("role", ["legal", "viewer", "commander"])
def test_only_admin_and_dpo_edit_the_organization(client, as_role, role):
    as_role(role)
    assert client.get("/organization/").status_code == 403


@pytest.mark.parametrize("role", ["admin", "dpo", "commander"])
def test_editors_may_open_the_new_incident_form(client, as_role, role):
    as_role(role)
    assert client.get("/incidents/new").status_code == 200


def test_legal_reads_incidents_but_does_not_edit_them(client, as_role):
    as_role("legal")
    assert client.get("/incidents/").status_code == 200
    assert client.get("/incidents/new").status_code == 403


def test_password_is_stored_as_a_scrypt_hash(app, make_user):
    from incident_tracker.extensions import db
    from incident_tracker.models import User

    user = make_user("dpo")
    with app.app_context():
        stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("scrypt:")
    assert PASSWORD not in stored


def test_the_api_and_the_calendar_need_their_secrets(app, client):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/api/v1/", "/calendar/")) or rule.endpoint in NOT_PAGES:
            continue
        values = {name: "1" for name in rule.arguments}
        url = rule.build(values)[1]
        method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        status = client.open(url, method=method).status_code
        assert status == (401 if url.startswith("/api/") else 404), url


NEW_PASSWORD = "violet staple orbit lantern"


def _copy_of(app, client):
    """A second browser holding a copy of the first one's session cookie."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/").status_code == 200, "the copied cookie works while the session lives"
    return copy


def test_logout_ends_every_session_of_the_user_and_a_copied_cookie(app, client, make_user, login):
    user = make_user("dpo")
    login(user)
    copy = _copy_of(app, client)
    elsewhere = app.test_client()
    login(user, on=elsewhere)
    client.post("/auth/logout")
    assert copy.get("/").headers["Location"].startswith("/auth/login")
    assert elsewhere.get("/").headers["Location"].startswith("/auth/login")


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(
    app, client, make_user, login
):
    user = make_user("commander")
    login(user)
    other = app.test_client()
    login(user, on=other)
    copy = _copy_of(app, other)
    change = {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post("/auth/password", data=change).status_code == 302
    assert client.get("/").status_code == 200, "the session that changed it goes on"
    assert other.get("/").status_code == 302 and copy.get("/").status_code == 302


def test_deactivation_ends_the_users_sessions(app, client, make_user, login):
    user = make_user("legal")
    login(user)
    copy = _copy_of(app, client)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert client.get("/").status_code == 302 and copy.get("/").status_code == 302


@pytest.mark.parametrize("session_id", ["1", "1.", ".1", "1.x", "1.1.1", "9" * 60 + ".1", "-1.1"])
def test_a_session_naming_no_current_generation_is_refused(app, make_user, session_id):
    make_user("admin")
    with app.test_request_context():
        assert load_user(session_id) is None


def test_logins_failed_logins_and_logouts_go_into_the_audit_trail(app, client, make_user, login):
    user = make_user("dpo")
    client.post("/auth/login", data={"email": user.email, "password": "not the password"})
    login(user)
    client.post("/auth/logout")
    with app.app_context():
        rows = db.session.execute(
            db.select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.actor)
            .filter_by(entity="session")
            .order_by(AuditEvent.id)
        ).all()
    assert rows == [
        ("failed", "unknown", "anonymous"),
        ("login", str(user.id), user.email),
        ("logout", str(user.id), user.email),
    ]
    verified = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "intact" in verified.output
