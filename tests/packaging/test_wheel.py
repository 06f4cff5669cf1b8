"""A wheel built with `pip wheel .` serves the app with its templates and CSS from a fresh venv."""

import os
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging
ROOT = Path(__file__).resolve().parents[2]


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=300, **kwargs)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory):
    """A fresh venv with only the wheel; dependencies come from the test venv through a .pth."""
    folder = tmp_path_factory.mktemp("wheel")
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        str(ROOT),
        "--no-deps",
        "--no-build-isolation",
        "-w",
        str(folder / "dist"),
    )
    wheel = next((folder / "dist").glob("incident_tracker-*.whl"))
    venv = folder / "venv"
    _run(sys.executable, "-m", "venv", str(venv))
    _run(
        str(venv / "bin" / "python"), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)
    )
    site = Path(
        _run(
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_path('purelib'))",
        ).stdout.strip()
    )
    (site / "test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return venv


def test_wheel_contains_templates_static_files_and_migrations(wheel_venv):
    code = (
        "import incident_tracker.config as c; "
        "print(*(c.resource_dir(name) for name in ('templates', 'static', 'migrations')))"
    )
    paths = _run(str(wheel_venv / "bin" / "python"), "-c", code, cwd="/").stdout.split()
    for path in paths:
        assert str(wheel_venv) in path and Path(path).is_dir()
    assert (Path(paths[0]) / "base.html").is_file()
    assert (Path(paths[1]) / "app.css").is_file()


def test_installed_wheel_upgrades_the_database_and_serves_pages(wheel_venv, tmp_path):
    env = {**os.environ, "INCIDENT_TRACKER_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("INCIDENT_TRACKER_DATABASE_URL", None)
    command = str(wheel_venv / "bin" / "incident-tracker")
    _run(command, "db", "upgrade", cwd=tmp_path, env=env)
    _run(
        command,
        "create-user",
        "admin@example.org",
        "--role",
        "admin",
        "--password-stdin",
        cwd=tmp_path,
        env=env,
        input="a long enough password\n",
    )
    port = _free_port()
    server = subprocess.Popen(
        [command, "run", "--port", str(port), "--workers", "1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        login = _get(f"http://127.0.0.1:{port}/auth/login")
        assert "Log in" in login
        assert ".pre" in _get(f"http://127.0.0.1:{port}/static/app.css")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _get(url: str, attempts: int = 100) -> str:
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")
