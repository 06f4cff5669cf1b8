"""The Containerfile and compose.yaml, as a user runs them: podman builds the image (from a local
Debian 12 base: scripts/container-base.sh), starts it beside a PostgreSQL container with the
environment compose.yaml gives, upgrades the database with the `migrate` service's command, creates
an admin, serves with the `app` service's command, runs the reminder job's command, and a login
reaches the dashboard. The image runs as a non-root user and holds the runtime only."""

import re
import secrets
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from .conftest import ADMIN, ROOT, Client, free_port, run, wait_for_port

pytestmark = pytest.mark.deploy
HERE = Path(__file__).parent
IMAGE = "localhost/incident-tracker:test"
POSTGRES_IMAGE = "localhost/incident-tracker-test-postgres:15"
HOST_CA = "/etc/ssl/certs/ca-certificates.crt"  # this machine's, which trusts its TLS proxy


@pytest.fixture(scope="module")
def podman() -> list[str]:
    started = time.monotonic()
    command = run(str(ROOT / "scripts" / "container-base.sh")).stdout.split()
    run(
        *command, "build", "--network", "host", "--build-arg", "BASE=localhost/debian:bookworm",
        "--build-arg", "PIP_CERT=/run/host-ca.crt", "-v", f"{HOST_CA}:/run/host-ca.crt:ro",
        "-t", IMAGE, "-f", str(ROOT / "Containerfile"), str(ROOT),
    )  # fmt: skip
    run(*command, "build", "--network", "host", "-t", POSTGRES_IMAGE, str(HERE / "postgres"))
    print(f"container images built in {time.monotonic() - started:.0f} s")
    return command


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error}, from `variables` (a .env file)."""

    def one(match: re.Match) -> str:
        name, operator, rest = match.group(1), match.group(2), match.group(3)
        if name in variables:
            return variables[name]
        if operator == ":?":
            raise AssertionError(f"compose.yaml needs {name}: {rest}")
        return rest or ""

    return re.sub(r"\$\{([A-Z0-9_]+)(?:(:[-?])([^}]*))?\}", one, value)


@pytest.fixture(scope="module")
def stack(podman, compose):
    """The db, migrate and app services on the host network, `db` resolving to loopback."""
    dotenv = {
        "POSTGRES_PASSWORD": secrets.token_urlsafe(16),
        "INCIDENT_TRACKER_SECRET_KEY": secrets.token_hex(32),
    }
    services = compose["services"]
    database_port, app_port, suffix = free_port(), free_port(), secrets.token_hex(4)
    names = {"db": f"it-test-db-{suffix}", "app": f"it-test-app-{suffix}"}
    database = services["db"]
    database_env = {k: interpolate(v, dotenv) for k, v in database["environment"].items()}
    app_env = {
        key: interpolate(str(value), dotenv).replace("@db:5432/", f"@db:{database_port}/")
        for key, value in services["app"]["environment"].items()
    }
    assert f"@db:{database_port}/" in app_env["INCIDENT_TRACKER_DATABASE_URL"]

    def options(environment: dict) -> list[str]:
        flags = ["--network", "host", "--add-host", "db:127.0.0.1"]
        return flags + [f"--env={key}={value}" for key, value in environment.items()]

    try:
        run(
            *podman, "run", "-d", "--name", names["db"], *options(database_env),
            "--env", f"PGPORT={database_port}", POSTGRES_IMAGE,
        )  # fmt: skip
        wait_for_port(database_port)
        time.sleep(1)  # the first start initialises, stops and starts the server again
        wait_for_port(database_port)
        container = [*podman, "run", "--rm", *options(app_env), IMAGE]
        migrate = services["migrate"]["command"]
        upgraded = _retry(lambda: run(*container, *migrate))
        assert "Running upgrade" in upgraded.stderr
        run(
            *podman, "run", "--rm", "-i", *options(app_env), IMAGE, "incident-tracker",
            "create-user", ADMIN[0], "--role", "admin", "--password-stdin", input=ADMIN[1] + "\n",
        )  # fmt: skip
        serve = [
            {"0.0.0.0": "127.0.0.1", "8000": str(app_port), "4": "2"}.get(word, word)
            for word in services["app"]["command"]
        ]
        run(*podman, "run", "-d", "--name", names["app"], *options(app_env), IMAGE, *serve)
        wait_for_port(app_port, seconds=90)
        yield {"port": app_port, "container": container, "names": names, "services": services}
    finally:
        for name in names.values():
            subprocess.run([*podman, "rm", "-f", name], capture_output=True, timeout=120)


def _retry(action, attempts: int = 20):
    for _ in range(attempts - 1):
        try:
            return action()
        except AssertionError:
            time.sleep(1)
    return action()


def test_a_login_to_the_container_reaches_the_dashboard(stack):
    client = Client(stack["port"])
    answer = client.log_in(*ADMIN)
    assert answer.status == 302, answer.body[:500]
    dashboard = client.get(answer.header("Location"))
    assert dashboard.status == 200 and "Deadlines" in dashboard.body


def test_the_reminder_job_runs_against_the_same_database(stack):
    command = stack["services"]["remind"]["command"]
    assert command[:2] == ["sh", "-c"] and "incident-tracker remind;" in command[2]
    result = run(*stack["container"], "incident-tracker", "remind", "--dry-run")
    assert "0 reminder(s) would be sent" in result.stdout


def test_the_image_runs_as_a_non_root_user_with_the_runtime_only(podman, stack):
    whoami = run(*podman, "exec", stack["names"]["app"], "id", "-u").stdout.strip()
    assert whoami == "10001"
    for tool in ("pytest", "playwright", "hatchling", "ruff"):
        probe = subprocess.run(
            [*podman, "run", "--rm", IMAGE, "python3", "-c", f"import {tool}"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert probe.returncode != 0, f"the image holds {tool}"
    checked = run(*podman, "run", "--rm", IMAGE, "pip", "check")
    assert "No broken requirements" in checked.stdout
