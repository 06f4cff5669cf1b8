"""Account protection: login throttling, the password policy, HTTPS settings."""

from datetime import timedelta

import pytest

from incident_tracker.accounts import passwords
from incident_tracker.extensions import db
from incident_tracker.models import LoginAttempt, utcnow
from tests.helpers import PASSWORD


def _login(client, email, password, address="10.0.0.1"):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_five_failures_lock_the_account_for_a_while_with_a_clear_message(client, make_user):
    user = make_user("dpo")
    for _ in range(5):
        assert _login(client, user.email, "wrong password!").status_code == 200
    refused = _login(client, user.email, PASSWORD)
    assert refused.status_code == 429
    assert (
        "Too many failed logins for this account. Try again in 15 minutes." in refused.data.decode()
    )
    assert client.get("/").status_code == 302


def test_failures_from_one_address_are_throttled_across_accounts(client, make_user):
    user = make_user("dpo")
    for number in range(20):
        _login(client, f"nobody{number}@example.org", "wrong password!", address="10.9.9.9")
    refused = _login(client, user.email, PASSWORD, address="10.9.9.9")
    assert refused.status_code == 429 and b"from your address" in refused.data
    assert _login(client, user.email, PASSWORD, address="10.1.1.1").status_code == 302


def test_old_failures_no_longer_count_and_success_clears_them(app, client, make_user):
    user = make_user("dpo")
    with app.app_context():
        old = utcnow() - timedelta(minutes=16)
        db.session.add_all(
            [LoginAttempt(email=user.email, address="10.0.0.1", at=old) for _ in range(5)]
        )
        db.session.commit()
    assert _login(client, user.email, PASSWORD).status_code == 302
    with app.app_context():
        count = db.session.execute(
            db.select(db.func.count()).select_from(LoginAttempt)
        ).scalar_one()
    assert count == 0


@pytest.mark.parametrize(
    "password,problem",
    [
        ("short", "use at least 12 characters"),
        ("password1234", "it is too easy to guess"),
        ("aaaaaaaaaaaaaaa", "it is too easy to guess"),
        ("my-dpo.person-secret", "do not use your e-mail address in it"),
    ],
)
def test_the_password_policy_explains_what_is_wrong(password, problem):
    assert problem in passwords.problems(password, "dpo.person@example.org")


def test_a_good_password_passes_the_policy():
    assert passwords.problems("violet staple orbit lantern", "dpo@example.org") == []


def test_changing_ones_password(client, make_user, login):
    user = make_user("legal")
    login(user)
    weak = {"current": PASSWORD, "new": "short", "confirm": "short"}
    assert b"use at least 12 characters" in client.post("/auth/password", data=weak).data
    wrong = {
        "current": "not it",
        "new": "violet staple orbit lantern",
        "confirm": "violet staple orbit lantern",
    }
    assert b"this is not your current password" in client.post("/auth/password", data=wrong).data
    good = {**wrong, "current": PASSWORD}
    assert client.post("/auth/password", data=good).status_code == 302
    client.post("/auth/logout")
    assert _login(client, user.email, "violet staple orbit lantern").status_code == 302


def test_https_setting_secures_cookies_and_adds_hsts(make_app, make_user):
    secure = make_app(HTTPS=True)
    assert secure.config["SESSION_COOKIE_SECURE"] and secure.config["REMEMBER_COOKIE_SECURE"]
    user = make_user("viewer")
    response = secure.test_client().post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD},
        base_url="https://localhost",
    )
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_forwarded_addresses_are_trusted_only_behind_a_configured_proxy(make_app, make_user):
    user = make_user("dpo")
    plain = make_app().test_client()
    proxied = make_app(TRUSTED_PROXIES=1).test_client()
    for _ in range(20):
        plain.post(
            "/auth/login",
            data={"email": "x@example.org", "password": "wrong password!"},
            headers={"X-Forwarded-For": "203.0.113.7"},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},
        )
    # the 20 failures count against the proxy's own address, not the forged one
    response = proxied.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert response.status_code == 302
