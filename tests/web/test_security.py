"""CSRF on every form, security headers, error pages without stack traces."""

import pytest

from tests.helpers import PASSWORD, incident_form


@pytest.fixture
def csrf_client(app, make_app):
    """A client of an app with CSRF protection on, sharing the test database."""
    return make_app(WTF_CSRF_ENABLED=True).test_client()


def test_login_without_csrf_token_is_refused(csrf_client, make_user):
    user = make_user("dpo")
    response = csrf_client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert b"CSRF" in response.data


def _csrf_token(client, path: str) -> str:
    import re

    page = client.get(path).data.decode()
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _log_in(client, user) -> None:
    token = _csrf_token(client, "/auth/login")
    data = {"email": user.email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/auth/login", data=data).status_code == 302


@pytest.mark.parametrize("path", ["/incidents/new", "/organization/", "/auth/logout"])
def test_post_without_csrf_token_is_refused_when_logged_in(csrf_client, make_user, org, path):
    _log_in(csrf_client, make_user("dpo"))
    response = csrf_client.post(path, data=incident_form())
    assert response.status_code == 400


def test_post_with_csrf_token_is_accepted(csrf_client, make_user, org):
    _log_in(csrf_client, make_user("dpo"))
    token = _csrf_token(csrf_client, "/incidents/new")
    response = csrf_client.post("/incidents/new", data=incident_form(csrf_token=token))
    assert response.status_code == 302


def test_security_headers_on_every_page(client, as_role):
    as_role("viewer")
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_not_found_page_has_no_stack_trace(client, as_role):
    as_role("viewer")
    response = client.get("/incidents/INC-1999-0001")
    assert response.status_code == 404
    assert b"Traceback" not in response.data


def test_oversized_request_gets_413(client, as_role):
    as_role("dpo")
    response = client.post("/incidents/new", data={"summary": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


def test_server_error_page_rolls_back_and_hides_details(make_app):
    failing = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @failing.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = failing.test_client().get("/boom")
    assert response.status_code == 500
    assert b"secret detail" not in response.data and b"Traceback" not in response.data
