"""`incident-tracker backup` and `restore`: on SQLite (online backup API) and PostgreSQL
(pg_dump/pg_restore) a restored database holds exactly the backed-up rows, and bad input is refused.
"""

import hashlib
import os
import sqlite3
import stat
import subprocess
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.engine import make_url

from incident_tracker.extensions import db
from incident_tracker.models import (
    Document,
    Filing,
    Incident,
    LetterTemplate,
    Obligation,
    Organization,
    utcnow,
)
from incident_tracker.ops import backup, demo
from incident_tracker.ops.backup import backup_command, restore_command
from tests.helpers import PASSWORD


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    with app.app_context():
        tables = {}
        for table in db.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            tables[table.name] = [tuple(row) for row in db.session.execute(query)]
        db.session.remove()
    return tables


def _one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def _audit_chain_verifies(app) -> None:
    """`incident-tracker audit verify` passes: the restored chain and its head agree."""
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact" in result.output


@pytest.fixture
def data(app, client, runner):
    """A user created on the command line, the demo, and a generated (archived) document."""
    created = runner.invoke(
        args=["create-user", "ana@example.org", "--role", "legal", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert created.exit_code == 0, created.output
    with app.app_context():
        loaded, ((email, password), *_) = demo.load(utcnow())
        assert loaded
        live = db.session.execute(select(Incident).order_by(Incident.id.desc())).scalars().first()
        row = next(r for r in live.obligations if r.rule_id == "gdpr.sa_notification")
        template = db.session.execute(
            select(LetterTemplate).filter_by(key="gdpr_art33_authority")
        ).scalar_one()
        obligation_id, template_id = row.id, template.id
        db.session.remove()
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert response.status_code == 302
    response = client.post(
        f"/obligations/{obligation_id}/documents/new",
        data={"template": template_id, "generate": "y"},
    )
    assert response.status_code == 302, response.data
    rows = snapshot(app)
    assert len(rows["incident"]) == 2 and len(rows["document"]) == 1 and rows["filing"]
    return rows


def _change(app) -> None:
    """Delete the filings and documents, rename the organization and add an incident."""
    with app.app_context():
        with db.engine.begin() as connection:  # past the ORM's append-only guard
            connection.execute(delete(Filing))
            connection.execute(delete(Document))
            connection.execute(update(Organization).values(name="Changed after the backup"))
        db.session.add(Incident(reference="INC-2030-0001", title="after the backup"))
        db.session.commit()
        db.session.remove()


def test_backup_and_restore_bring_back_exactly_the_backed_up_rows(app, runner, data, tmp_path):
    file = tmp_path / "backup.db"
    made = runner.invoke(backup_command, [str(file)])
    assert made.exit_code == 0, made.output
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    assert str(file) in made.output and digest in made.output
    assert f"{file.stat().st_size} bytes" in made.output
    assert stat.S_IMODE(file.stat().st_mode) == 0o600  # personal data and password hashes
    assert snapshot(app) == data  # backing up changes nothing

    _change(app)
    assert snapshot(app) != data

    restored = runner.invoke(restore_command, [str(file), "--yes"])
    assert restored.exit_code == 0, restored.output
    after = snapshot(app)
    assert after == data
    with app.app_context():
        revision = db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()
        assert f"alembic revision {revision}" in restored.output
        assert "2 incident(s)" in restored.output
        references = db.session.execute(select(Incident.reference)).scalars().all()
        assert "INC-2030-0001" not in references and "INC-2026-0001" in references
        assert db.session.get(Organization, 1).name == "Mercor Europe Ltd (demo)"
        (document,) = db.session.execute(select(Document)).scalars()
        assert hashlib.sha256(document.pdf).hexdigest() == document.pdf_sha256
        assert document.pdf.startswith(b"%PDF-")
        filed = db.session.execute(
            select(Obligation).filter_by(rule_id="uk_gdpr.ico_notification")
        ).scalar_one()
        assert filed.status == "submitted" and filed.filings[0].late
        assert filed.filings[0].recipient_reference == "ICO IC-401-2211"
        db.session.remove()
    _audit_chain_verifies(app)


def test_the_restored_database_serves_the_app(app, client, runner, data, tmp_path):
    file = tmp_path / "backup.db"
    assert runner.invoke(backup_command, [str(file)]).exit_code == 0
    _change(app)
    assert runner.invoke(restore_command, [str(file), "--yes"]).exit_code == 0
    response = client.get("/incidents/INC-2026-0001")  # still logged in: users came back
    assert response.status_code == 200
    assert b"LiteLLM supply-chain compromise" in response.data
    # Category and place together: PostgreSQL's filter codes and their triggers came back too.
    both = {"category": "identity_documents", "jurisdiction": "US-CA"}
    assert b"INC-2026-0001" in client.get("/incidents/", query_string=both).data
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            triggers = db.session.execute(
                db.text("SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%filter_codes%'")
            ).scalar()
            assert triggers == 6
            live = "tgname IN ('obligation_incident_live', 'incident_live_follow')"
            assert (
                db.session.execute(
                    db.text(f"SELECT count(*) FROM pg_trigger WHERE {live}")
                ).scalar()
                == 2
            )
        db.session.remove()
    with app.app_context():
        db.session.add(Incident(reference="INC-2031-0001", title="written after the restore"))
        db.session.commit()
        assert db.session.execute(select(db.func.count()).select_from(Incident)).scalar() == 3
        db.session.remove()
    _audit_chain_verifies(app)


def test_restore_asks_before_replacing_a_database_that_holds_data(app, runner, data, tmp_path):
    file = tmp_path / "backup.db"
    assert runner.invoke(backup_command, [str(file)]).exit_code == 0
    _change(app)
    changed = snapshot(app)
    refused = runner.invoke(restore_command, [str(file)], input="n\n")
    assert refused.exit_code == 1 and "replace them with" in refused.output
    assert snapshot(app) == changed
    accepted = runner.invoke(restore_command, [str(file)], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert snapshot(app) == data


def test_restore_into_an_empty_database_does_not_ask(app, runner, data, tmp_path):
    file = tmp_path / "backup.db"
    assert runner.invoke(backup_command, [str(file)]).exit_code == 0
    from tests.conftest import clean_tables

    with app.app_context():
        clean_tables()
    restored = runner.invoke(restore_command, [str(file)])
    assert restored.exit_code == 0, restored.output
    assert "?" not in restored.output
    assert snapshot(app) == data


def test_backup_refuses_to_replace_a_file_without_force(app, runner, data, tmp_path):
    file = tmp_path / "backup.db"
    file.write_bytes(b"an older backup")
    _one_line_error(runner.invoke(backup_command, [str(file)]), str(file), "--force")
    assert file.read_bytes() == b"an older backup"
    assert list(tmp_path.iterdir()) == [file]  # no partial file left behind
    replaced = runner.invoke(backup_command, [str(file), "--force"])
    assert replaced.exit_code == 0, replaced.output
    assert file.read_bytes() != b"an older backup"
    _change(app)
    assert runner.invoke(restore_command, [str(file), "--yes"]).exit_code == 0
    assert snapshot(app) == data


def _not_a_database(path):
    path.write_text("incident,title\nINC-2026-0001,not a database\n" * 50)


def _sqlite_without_alembic_version(path):
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE incident (id INTEGER PRIMARY KEY, title TEXT)")
        connection.execute("INSERT INTO incident (title) VALUES ('foreign')")
    connection.close()


@pytest.mark.parametrize("make_file", [_not_a_database, _sqlite_without_alembic_version])
def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, data, tmp_path, make_file):
    file = tmp_path / "bogus.db"
    make_file(file)
    result = runner.invoke(restore_command, [str(file), "--yes"])
    _one_line_error(result, str(file), "not an incident-tracker")
    assert snapshot(app) == data


def test_restore_refuses_a_backup_without_an_alembic_revision(app, runner, data, tmp_path):
    """A dump of some other database (here: ours without alembic_version) is not restored."""
    file = tmp_path / "other.db"
    with app.app_context():
        dialect = db.engine.dialect.name
        if dialect == "sqlite":
            assert runner.invoke(backup_command, [str(file)]).exit_code == 0
            with sqlite3.connect(file) as connection:
                connection.execute("DROP TABLE alembic_version")
            connection.close()
        else:
            url, _ = backup.libpq_url(db.engine.url)
            dump = [backup.pg_tool("pg_dump"), "--format=custom", "--file", str(file)]
            subprocess.run([*dump, "--exclude-table=alembic_version", url], check=True)
    result = runner.invoke(restore_command, [str(file), "--yes"])
    _one_line_error(result, str(file), "not an incident-tracker", "alembic")
    assert snapshot(app) == data


def test_restore_refuses_a_missing_file(app, runner, data, tmp_path):
    result = runner.invoke(restore_command, [str(tmp_path / "missing.db"), "--yes"])
    _one_line_error(result, "missing.db", "no such backup file")
    assert snapshot(app) == data


def test_backup_and_restore_are_documented_for_both_databases():
    assert "online backup" in backup_command.help and "pg_dump --format=custom" in (
        backup_command.help
    )
    assert "pg_restore --clean --if-exists" in restore_command.help
    assert backup.COMMANDS == (backup_command, restore_command)
    assert [c.name for c in backup.COMMANDS] == ["backup", "restore"]


def test_the_libpq_url_has_no_driver_and_no_password():
    url, password = backup.libpq_url(
        make_url("postgresql+psycopg://tracker:p%40ss@db.example:5433/incidents?sslmode=require")
    )
    assert url == "postgresql://tracker@db.example:5433/incidents?sslmode=require"
    assert password == "p@ss"
    assert backup.libpq_url(make_url("postgresql+psycopg://postgres@127.0.0.1/x")) == (
        "postgresql://postgres@127.0.0.1/x",
        None,
    )


def test_the_newest_pg_tool_is_preferred(monkeypatch):
    versions = {
        "/usr/bin/pg_dump": (13, 9),
        "/usr/lib/postgresql/15/bin/pg_dump": (15, 18),
        "/usr/lib/postgresql/17/bin/pg_dump": (17, 2),
    }
    monkeypatch.setattr(backup.shutil, "which", lambda name: "/usr/bin/pg_dump")
    monkeypatch.setattr(
        backup.glob, "glob", lambda pattern: sorted(p for p in versions if "lib" in p)
    )
    monkeypatch.setattr(backup, "_tool_version", lambda path: versions[path])
    assert backup.pg_tool("pg_dump") == "/usr/lib/postgresql/17/bin/pg_dump"
    monkeypatch.setattr(backup, "_tool_version", lambda path: ())
    with pytest.raises(backup.BackupError, match="pg_dump not found"):
        backup.pg_tool("pg_dump")


def test_the_backups_files_are_private_from_their_creation(
    app, runner, data, tmp_path, monkeypatch
):
    """The temporary copy (and SQLite's journal beside it) is 0600 while it is written, not only
    once it is moved into place: under the usual umask 022 it was 0644 until the end."""
    seen = {}
    originals = {"sqlite": backup._sqlite_backup, "postgresql": backup._postgresql_backup}

    def watching(kind):
        def run(temporary):
            summary = originals[kind](temporary)
            seen["mode"] = stat.S_IMODE(temporary.stat().st_mode)
            return summary

        return run

    monkeypatch.setattr(backup, "_sqlite_backup", watching("sqlite"))
    monkeypatch.setattr(backup, "_postgresql_backup", watching("postgresql"))
    previous = os.umask(0o022)
    try:
        result = runner.invoke(backup_command, [str(tmp_path / "copy.backup")])
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert seen["mode"] == 0o600
    assert stat.S_IMODE((tmp_path / "copy.backup").stat().st_mode) == 0o600


def test_the_sqlite_database_and_its_wal_are_created_private(tmp_path, monkeypatch):
    from incident_tracker.app import create_app

    monkeypatch.setenv("INCIDENT_TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("INCIDENT_TRACKER_DATABASE_URL", raising=False)
    previous = os.umask(0o022)
    try:
        app = create_app()
        with app.app_context():
            db.session.execute(db.text("CREATE TABLE probe (x)"))
            db.session.commit()
            database = tmp_path / "incident_tracker.sqlite"
            for path in (database, tmp_path / "incident_tracker.sqlite-wal"):
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
            db.session.remove()
            db.engine.dispose()
    finally:
        os.umask(previous)


def test_an_existing_database_readable_by_others_is_made_private(tmp_path, monkeypatch):
    from incident_tracker.app import create_app

    database = tmp_path / "incident_tracker.sqlite"
    database.touch(mode=0o644)
    database.chmod(0o644)
    monkeypatch.setenv("INCIDENT_TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("INCIDENT_TRACKER_DATABASE_URL", raising=False)
    create_app()
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


def _sqlite_backup_of(app, runner, tmp_path, name: str) -> Path:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the SQLite backup's checks; PostgreSQL archives: see the note on issue 22")
    file = tmp_path / name
    assert runner.invoke(backup_command, [str(file)]).exit_code == 0
    return file


@pytest.mark.parametrize(
    "plant, words",
    [
        (
            "CREATE TRIGGER promote AFTER INSERT ON user BEGIN "
            "UPDATE user SET role = 'admin' WHERE id = NEW.id; END",
            "trigger 'promote'",
        ),
        ("CREATE VIEW everyone AS SELECT email, password_hash FROM user", "view 'everyone'"),
        ("CREATE TABLE smuggled (x)", "table 'smuggled'"),
        ("DROP TABLE login_throttle", "lacks part of its schema"),
    ],
)
def test_restore_refuses_a_backup_holding_what_the_migrations_do_not_create(
    app, runner, data, tmp_path, plant, words
):
    """Before, a backup's own trigger persisted in the live database: it made every new viewer
    an admin."""
    file = _sqlite_backup_of(app, runner, tmp_path, "planted.db")
    with closing(sqlite3.connect(file)) as connection:
        connection.execute(plant)
        connection.commit()
    result = runner.invoke(restore_command, [str(file), "--yes"])
    _one_line_error(result, str(file), words, "nothing was restored")
    assert snapshot(app) == data


def test_restore_refuses_a_backup_whose_audit_chain_is_broken(app, runner, data, tmp_path):
    file = _sqlite_backup_of(app, runner, tmp_path, "rewritten.db")
    with closing(sqlite3.connect(file)) as connection:
        connection.execute('UPDATE audit_event SET after = \'{"role": "admin"}\' WHERE id = 3')
        connection.commit()
    result = runner.invoke(restore_command, [str(file), "--yes"])
    _one_line_error(result, str(file), "broken audit trail", "nothing was restored")
    assert snapshot(app) == data


def test_restore_refuses_a_backup_of_an_unknown_schema_revision(app, runner, data, tmp_path):
    file = _sqlite_backup_of(app, runner, tmp_path, "future.db")
    with closing(sqlite3.connect(file)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()
    result = runner.invoke(restore_command, [str(file), "--yes"])
    _one_line_error(result, str(file), "'9999'", "does not know")
    assert snapshot(app) == data
