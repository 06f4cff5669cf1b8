"""The incident-tracker command: create-user, demo, and configuration on first run."""

import multiprocessing
import os
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from incident_tracker.app import create_app
from incident_tracker.extensions import db
from incident_tracker.models import Incident, Organization, User
from incident_tracker.ops import demo
from incident_tracker.supply_chain import cascade
from tests.helpers import PASSWORD


def _users(app) -> dict[str, str]:
    with app.app_context():
        return {u.email: u.role for u in db.session.execute(db.select(User)).scalars()}


def test_create_user_reads_the_password_from_stdin(app, runner):
    result = runner.invoke(
        args=["create-user", "Ana@Example.org", "--role", "dpo", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert _users(app) == {"ana@example.org": "dpo"}
    with app.app_context():
        assert db.session.execute(db.select(User)).scalar_one().check_password(PASSWORD)


def test_create_user_prompts_twice_for_the_password(app, runner):
    result = runner.invoke(
        args=["create-user", "bo@example.org", "--role", "viewer"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password" in result.output and PASSWORD not in result.output


@pytest.mark.parametrize(
    "args,stdin,message",
    [
        (["create-user", "not-an-email", "--role", "dpo", "--password-stdin"], PASSWORD, "EMAIL"),
        (
            ["create-user", "a@example.org", "--role", "owner", "--password-stdin"],
            PASSWORD,
            "owner",
        ),
        (
            ["create-user", "a@example.org", "--role", "dpo", "--password-stdin"],
            "short",
            "at least 12",
        ),
    ],
)
def test_create_user_refuses_bad_input_and_creates_nobody(app, runner, args, stdin, message):
    result = runner.invoke(args=args, input=stdin + "\n")
    assert result.exit_code == 2
    assert message in result.output
    assert _users(app) == {}


def test_create_user_refuses_a_duplicate_email(app, runner, make_user):
    make_user("dpo", email="dup@example.org")
    result = runner.invoke(
        args=["create-user", "DUP@example.org", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert _users(app) == {"dup@example.org": "dpo"}


def test_demo_loads_once_and_prints_a_working_login(app, runner, client):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "Demo logins, each with its own password:" in first.output
    printed = dict(line.split()[1:] for line in first.output.splitlines() if "@" in line)
    assert sorted(printed) == sorted(f"{role}@mercor-demo.example" for role in demo.ROLE_USERS)
    assert len(set(printed.values())) == len(demo.ROLE_USERS), "every account its own password"
    password = printed["dpo@mercor-demo.example"]
    second = runner.invoke(args=["demo"])
    assert "already present" in second.output and all(p in second.output for p in printed.values())
    for email, secret in printed.items():
        other = app.test_client()
        answer = other.post("/auth/login", data={"email": email, "password": secret})
        assert answer.status_code == 302, email
        wrong = app.test_client().post("/auth/login", data={"email": email, "password": password})
        assert (wrong.status_code == 302) == (email == "dpo@mercor-demo.example")
    with app.app_context():
        assert (
            db.session.execute(db.select(db.func.count()).select_from(Incident)).scalar_one() == 2
        )
        incident = db.session.execute(
            db.select(Incident).filter_by(reference="INC-2026-0001")
        ).scalar_one()
        assert db.session.get(Organization, 1).timezone == "Europe/Dublin"
    response = client.post(
        "/auth/login", data={"email": "dpo@mercor-demo.example", "password": password}
    )
    assert response.status_code == 302
    page = client.get(f"/incidents/{incident.reference}").data.decode()
    for expected in (
        "pkg:pypi/litellm@1.82.7",
        "pkg:pypi/litellm@1.82.8",
        "Government identifiers",
        "AI training methodology",
        "US-CA",
        "Northwind AI",
    ):
        assert expected in page


def test_demo_data_is_rich_enough_for_the_motivating_case(app, runner):
    runner.invoke(args=["demo"])
    with app.app_context():
        incident = db.session.execute(
            db.select(Incident).filter_by(reference="INC-2026-0001")
        ).scalar_one()
        codes = {row.code for row in incident.jurisdictions}
        categories = {category.code for category in incident.data_categories}
        assert {"US-CA", "US-NY", "US-TX", "DE", "FR", "GB"} <= codes
        assert sum(row.people for row in incident.jurisdictions) > 40_000
        assert {
            "source_code",
            "identity_documents",
            "government_identifiers",
            "video_voice",
            "ai_training_methodology",
        } <= categories
        assert {party.role for party in incident.parties} >= {
            "upstream_component",
            "origin_vendor",
            "affected_customer",
        }
        notices = cascade.notices(incident).values()
        counted = {notice.customer.name: notice.people for notice in notices}
        assert counted == {"Contoso Frontier Models (fictional AI lab)": 1_840}


def test_first_run_writes_a_private_random_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_TRACKER_INSTANCE_PATH", str(tmp_path / "one"))
    monkeypatch.setenv("INCIDENT_TRACKER_DATABASE_URL", "sqlite://")
    first = create_app()
    monkeypatch.setenv("INCIDENT_TRACKER_INSTANCE_PATH", str(tmp_path / "two"))
    second = create_app()
    config_file = tmp_path / "one" / "config.py"
    assert stat.S_IMODE(os.stat(config_file).st_mode) == 0o600
    assert len(first.secret_key) == 64 and first.secret_key != second.secret_key
    monkeypatch.setenv("INCIDENT_TRACKER_INSTANCE_PATH", str(tmp_path / "one"))
    assert create_app().secret_key == first.secret_key


def _write_then_read(folder: str, start) -> str:
    from incident_tracker.config import write_instance_config

    start.wait()
    write_instance_config(Path(folder))
    return (Path(folder) / "config.py").read_text()


def test_workers_starting_together_on_a_first_run_share_one_key(tmp_path):
    """Every gunicorn worker builds the app: on a first start they race to write config.py. The
    one that lost used to fail with FileExistsError (and gunicorn stops when a worker fails to
    boot)."""
    workers = 8
    for attempt in range(3):
        folder = tmp_path / f"instance-{attempt}"
        with multiprocessing.Manager() as manager:
            start = manager.Barrier(workers)
            with ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("fork")
            ) as pool:
                texts = list(pool.map(_write_then_read, [str(folder)] * workers, [start] * workers))
        assert len(set(texts)) == 1 and "SECRET_KEY = '" in texts[0]
        assert sorted(p.name for p in folder.iterdir()) == ["config.py"]  # no draft left behind
        assert stat.S_IMODE(os.stat(folder / "config.py").st_mode) == 0o600


def test_environment_overrides_the_instance_file(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("INCIDENT_TRACKER_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("INCIDENT_TRACKER_DATABASE_URL", "postgresql://u@127.0.0.1:5/x")
    app = create_app()
    assert app.secret_key == "from-the-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1:5/x"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("INCIDENT_TRACKER_DATABASE_URL", raising=False)
    assert (
        create_app().config["SQLALCHEMY_DATABASE_URI"]
        == f"sqlite:///{tmp_path / 'incident_tracker.sqlite'}"
    )
