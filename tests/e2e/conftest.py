"""A live server on a loopback port, and Debian's Chromium driven by Playwright.

Chromium that cannot start fails these tests; it never skips them.
"""

import os
import threading
from pathlib import Path

import flask_migrate
import pytest
from werkzeug.serving import make_server

from incident_tracker.app import create_app
from incident_tracker.extensions import db
from incident_tracker.models import User, utcnow
from incident_tracker.ops import demo
from tests.helpers import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
USERS = {
    "commander": "commander@example.org",
    "viewer": "viewer@example.org",
    "dpo": "dpo@example.org",
    "legal": "legal@example.org",
}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)"
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    app = create_app(
        {
            "SECRET_KEY": "e2e-secret",
            "DATABASE_URL": f"sqlite:///{folder / 'e2e.sqlite'}",
            "INSTANCE_PATH": str(folder),
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
        _seed()
    return app


def _seed() -> None:
    """The demo (Europe/Dublin; INC-2026-0001 and the live INC-2026-0002) plus test users."""
    demo.load(utcnow())
    for role, email in USERS.items():
        user = User(email=email, role=role)
        user.set_password(PASSWORD)
        db.session.add(user)
    db.session.commit()


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


@pytest.fixture
def log_in(page):
    def as_user(role: str) -> None:
        page.goto("/auth/login")
        page.get_by_label("E-mail").fill(USERS[role])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/")

    return as_user
