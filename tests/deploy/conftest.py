"""What the deployment tests share: free ports, a gunicorn of the app on a temporary instance, and a
small HTTPS client that keeps cookies and can speak from another loopback address."""

import http.client
import http.cookies
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "incident-tracker"
ADMIN = ("admin@example.org", "a long enough deploy password")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{args}: {result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result


def wait_for_port(port: int, process: subprocess.Popen | None = None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@dataclass
class App:
    port: int
    instance: Path
    env: dict

    @property
    def database(self) -> Path:
        return self.instance / "incident_tracker.sqlite"


@pytest.fixture(scope="module")
def behind_proxy(tmp_path_factory):
    """gunicorn serving a fresh SQLite instance with one admin, configured as docs/deploy.md
    configures production: HTTPS on, one trusted proxy."""
    instance = tmp_path_factory.mktemp("instance")
    env = {
        **os.environ,
        "INCIDENT_TRACKER_INSTANCE_PATH": str(instance),
        "INCIDENT_TRACKER_HTTPS": "true",
        "INCIDENT_TRACKER_TRUSTED_PROXIES": "1",
    }
    env.pop("INCIDENT_TRACKER_DATABASE_URL", None)
    run(str(SCRIPT), "db", "upgrade", env=env, cwd=instance)
    run(
        str(SCRIPT), "create-user", ADMIN[0], "--role", "admin", "--password-stdin",
        env=env, cwd=instance, input=ADMIN[1] + "\n",
    )  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [str(SCRIPT), "run", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=instance,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_port(port, server)
        yield App(port, instance, env)
    finally:
        stop(server)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Client:
    """HTTP(S) with cookies, from a chosen loopback address; redirects are not followed."""

    port: int
    context: ssl.SSLContext | None = None
    source: str = "127.0.0.1"
    cookies: http.cookies.SimpleCookie = field(default_factory=http.cookies.SimpleCookie)

    def request(self, method: str, path: str, form: dict | None = None, headers=None) -> Response:
        kind = http.client.HTTPSConnection if self.context else http.client.HTTPConnection
        options = {"context": self.context} if self.context else {}
        connection = kind(
            "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0), **options
        )
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for value in answer.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        return Response(answer.status, answer.headers, text)

    def get(self, path: str, **options) -> Response:
        return self.request("GET", path, **options)

    def log_in(self, email: str, password: str, headers=None) -> Response:
        """Post the login form as a browser does (over HTTPS the CSRF check wants its Referer)."""
        page = self.get("/auth/login")
        assert page.status == 200, page.status
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.body)
        assert token, "no CSRF token on the login page"
        form = {"csrf_token": token.group(1), "email": email, "password": password}
        scheme = "https" if self.context else "http"
        sent = {"Referer": f"{scheme}://127.0.0.1:{self.port}/auth/login", **(headers or {})}
        return self.request("POST", "/auth/login", form=form, headers=sent)
