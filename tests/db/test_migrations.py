"""Migrations: an empty database reaches the head, and the head matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from incident_tracker.extensions import db
from incident_tracker.models import DataCategory
from incident_tracker.models.search_index import modelled


def test_migrated_schema_matches_the_models(app_ctx):
    with db.engine.connect() as connection:
        options = {"compare_type": True, "include_name": modelled}  # as migrations/env.py does
        context = MigrationContext.configure(connection, opts=options)
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migration_seeds_the_data_category_vocabulary(app_ctx):
    codes = set(db.session.execute(db.select(DataCategory.code)).scalars())
    assert {
        "identity_documents",
        "government_identifiers",
        "source_code",
        "ai_training_methodology",
        "customer_confidential",
        "health",
        "video_voice",
        "secrets",
    } <= codes
    personal = dict(db.session.execute(db.select(DataCategory.code, DataCategory.personal)).all())
    assert personal["source_code"] is False and personal["identity_documents"] is True


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(app_ctx):
    if db.engine.dialect.name != "sqlite":
        assert db.engine.dialect.name == "postgresql"
        return
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_cli_db_upgrade_brings_an_empty_database_to_head(tmp_path):
    from click.testing import CliRunner

    from incident_tracker.app import create_app
    from incident_tracker.cli import main

    database = tmp_path / "fresh.sqlite"
    env = {
        "INCIDENT_TRACKER_DATABASE_URL": f"sqlite:///{database}",
        "INCIDENT_TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    result = CliRunner().invoke(main, ["db", "upgrade"], env=env)
    assert result.exit_code == 0, result.output
    again = CliRunner().invoke(main, ["db", "upgrade"], env=env)
    assert again.exit_code == 0, again.output
    app = create_app(
        {
            "SECRET_KEY": "x",
            "DATABASE_URL": f"sqlite:///{database}",
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert {"incident", "user", "organization", "timeline_event", "alembic_version"} <= tables
