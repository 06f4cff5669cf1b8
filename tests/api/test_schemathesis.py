"""Schemathesis against a live server: no 5xx and no response that violates the OpenAPI document."""

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import flask_migrate
import pytest
from werkzeug.serving import make_server

from incident_tracker.accounts.tokens import new_secret
from incident_tracker.app import create_app
from incident_tracker.extensions import db
from incident_tracker.models import ApiToken, User, utcnow
from incident_tracker.ops import demo

pytestmark = pytest.mark.live
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    )
)


@pytest.fixture
def live_api(tmp_path):
    """A live server on a loopback port with the demo loaded and an admin's read-write token."""
    app = create_app(
        {
            "SECRET_KEY": "st",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'st.sqlite'}",
            "INSTANCE_PATH": str(tmp_path),
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
        demo.load(utcnow())
        admin = db.session.execute(db.select(User).filter_by(role="admin")).scalar_one()
        token, digest = new_secret()
        db.session.add(
            ApiToken(
                user=admin, name="st", prefix=token[:12], token_hash=digest, scope="read_write"
            )
        )
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", token
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_api):
    base, token = live_api
    command = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or "schemathesis"
    result = subprocess.run(
        [
            command,
            "run",
            f"{base}/api/v1/openapi.json",
            "--url",
            base,
            "-H",
            f"Authorization: Bearer {token}",
            "--checks",
            CHECKS,
            "--max-examples",
            "25",
            "--seed",
            "1",
            "--request-timeout",
            "20",
            "--generation-deterministic",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(result.stdout[-3000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
