"""`incident-tracker run` (gunicorn, as the systemd unit and the container run it) writes an access
log without the secrets of URLs: a calendar feed's URL is its secret, and it was in every line a
calendar app's poll wrote."""

import subprocess
import time
import urllib.error
import urllib.request

import pytest

from incident_tracker.ops.gunicorn_config import redact

from .conftest import SCRIPT, free_port, stop, wait_for_port

pytestmark = pytest.mark.deploy
SECRET = "itc_aVeryPrivateFeedSecret_1234567890"


def test_the_access_log_holds_no_calendar_secret(behind_proxy, tmp_path):
    port, log = free_port(), tmp_path / "access.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(SCRIPT), "run", "--port", str(port), "--workers", "1"],
            env=behind_proxy.env,
            cwd=behind_proxy.instance,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for_port(port, server)
            for path in (f"/calendar/{SECRET}.ics", "/auth/login"):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10).close()
                except urllib.error.HTTPError as error:
                    assert error.code == 404  # an unknown feed
                    error.close()
            time.sleep(0.5)
        finally:
            stop(server)
    text = log.read_text()
    assert "GET /calendar/[secret].ics" in text and "GET /auth/login" in text
    assert SECRET not in text


@pytest.mark.parametrize(
    "line, shown",
    [
        ("GET /calendar/abc_DEF-1.ics HTTP/1.1", "GET /calendar/[secret].ics HTTP/1.1"),
        (
            "https://x.example/calendar/s3cr3t.ics?x=1",
            "https://x.example/calendar/[secret].ics?x=1",
        ),
        ("GET /incidents/INC-2026-0001 HTTP/1.1", "GET /incidents/INC-2026-0001 HTTP/1.1"),
        (None, None),
    ],
)
def test_redact(line, shown):
    assert redact(line) == shown
