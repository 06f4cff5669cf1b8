"""Account protection: login throttling, the password policy, HTTPS settings."""

import threading
from datetime import timedelta

import pytest

from incident_tracker.accounts import passwords
from incident_tracker.accounts.throttle import PER_ADDRESS
from incident_tracker.extensions import db
from incident_tracker.models import AuditEvent, LoginAttempt, LoginThrottle, User, utcnow
from tests.helpers import PASSWORD


def _login(client, email, password, address="10.0.0.1"):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_five_failures_from_one_address_lock_that_address_out_of_the_account(client, make_user):
    user = make_user("dpo")
    for _ in range(5):
        assert _login(client, user.email, "wrong password!").status_code == 200
    refused = _login(client, user.email, PASSWORD)
    assert refused.status_code == 429
    assert (
        "Too many failed logins for this account from your address. Try again in 15 minutes."
        in refused.data.decode()
    )
    assert client.get("/").status_code == 302
    # The real user, elsewhere, is not locked out by someone else's guesses.
    assert _login(client, user.email, PASSWORD, address="10.0.0.2").status_code == 302


def test_one_persons_failures_do_not_lock_out_everyone_behind_the_same_address(client, make_user):
    user = make_user("dpo")
    for number in range(20):
        _login(client, f"nobody{number}@example.org", "wrong password!", address="10.9.9.9")
    assert _login(client, user.email, PASSWORD, address="10.9.9.9").status_code == 302


def test_spraying_many_accounts_from_one_address_is_stopped(app, client, make_user):
    user = make_user("dpo")
    with app.app_context():
        now = utcnow()
        db.session.add_all(
            [
                LoginAttempt(email=f"x{n}@example.org", address="10.9.9.9", at=now)
                for n in range(PER_ADDRESS)
            ]
        )
        db.session.commit()
    refused = _login(client, user.email, PASSWORD, address="10.9.9.9")
    assert refused.status_code == 429 and b"from your address" in refused.data
    assert _login(client, user.email, PASSWORD, address="10.1.1.1").status_code == 302


def test_an_ended_window_no_longer_counts_and_success_clears_the_pair(app, client, make_user):
    user = make_user("dpo")
    with app.app_context():
        old = utcnow() - timedelta(minutes=16)
        db.session.add(
            LoginThrottle(email=user.email, address="10.0.0.1", attempts=9, window_started_at=old)
        )
        db.session.commit()
    assert _login(client, user.email, PASSWORD).status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(LoginThrottle)).scalars().all() == []


def test_parallel_attempts_get_no_more_than_five_passwords_checked(app, make_user):
    """The attempt is counted in one statement before its password is checked: twelve at once
    used to get six checked."""
    user = make_user("dpo")
    results, start = [], threading.Barrier(12)

    def attempt():
        client = app.test_client()
        start.wait()
        results.append(_login(client, user.email, "wrong password!").status_code)

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == [200] * 5 + [429] * 7


def test_a_deactivated_account_is_checked_like_any_other(app, client, make_user, monkeypatch):
    """Its password is hashed too, so the answer takes as long as for an active account (about
    20 ms against 210 ms before) and tells nobody which accounts are deactivated."""
    user = make_user("legal")
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    checked = []
    original = User.check_password
    monkeypatch.setattr(
        User, "check_password", lambda self, pw: checked.append(self.email) or original(self, pw)
    )
    answer = _login(client, user.email, PASSWORD)
    assert answer.status_code == 200 and b"Unknown e-mail or wrong password." in answer.data
    assert checked == [user.email]


@pytest.mark.parametrize(
    "password,problem",
    [
        ("short", "use at least 12 characters"),
        ("password1234", "it is too easy to guess"),
        ("aaaaaaaaaaaaaaa", "it is too easy to guess"),
        ("abcdabcdabcd", "it is too easy to guess"),
        ("qwertyuiop12", "it is too easy to guess"),
        ("Summer2026!!", "it is too easy to guess"),
        ("incidenttracker2026", "it is too easy to guess"),
        ("my-dpo.person-secret", "do not use your e-mail address in it"),
    ],
)
def test_the_password_policy_explains_what_is_wrong(password, problem):
    found = passwords.problems(password, "dpo.person@example.org")
    assert any(text.startswith(problem) for text in found), found
    if problem.startswith("it is too easy"):  # with zxcvbn's hint, when it has one
        assert all(len(text) < 120 for text in found)


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


def test_a_password_change_refuses_the_current_and_the_previous_ones(client, make_user, login):
    user = make_user("legal")
    login(user)
    chosen = ["violet staple orbit lantern", "harbour quiet maple engine", "copper dune fable"]
    current = PASSWORD
    for new in chosen:
        change = {"current": current, "new": new, "confirm": new}
        assert client.post("/auth/password", data=change).status_code == 302
        current = new
    for used in (current, PASSWORD, chosen[0]):
        again = {"current": current, "new": used, "confirm": used}
        page = client.post("/auth/password", data=again)
        assert b"choose a password you have not used before" in page.data, used


def test_the_audit_trail_keeps_no_password_hash_old_or_new(app, client, make_user, login):
    user = make_user("legal")
    login(user)
    new = "violet staple orbit lantern"
    change = {"current": PASSWORD, "new": new, "confirm": new}
    assert client.post("/auth/password", data=change).status_code == 302
    with app.app_context():
        rows = db.session.execute(
            db.select(AuditEvent.before, AuditEvent.after).filter_by(entity="user")
        ).all()
    audited = " ".join(f"{before} {after}" for before, after in rows)
    assert "password_history" in audited and "scrypt:" not in audited
