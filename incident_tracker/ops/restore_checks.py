"""What a SQLite backup must be before it replaces the live database (`incident-tracker restore`):
exactly what this version's migrations create at the backup's revision (a backup's own trigger
would run in the live database: one made every new viewer an admin), and an audit trail that
verifies. Each check reads the backup or a copy of it; nothing of the live database changes."""

import logging
import secrets
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import flask_migrate
from flask import current_app

from ..audit import trail as audit
from ..config import resource_dir
from ..extensions import db


def schema_problem(file: Path, revision: str) -> str | None:
    """What the backup holds that the migrations do not create at its revision, or lacks."""
    if revision not in _migration_revisions():
        return f"has the schema revision {revision!r}, which this version does not know"
    with tempfile.TemporaryDirectory() as folder:
        reference = Path(folder) / "reference.sqlite"
        with _scratch_app(reference).app_context():
            logging.disable(logging.INFO)  # Alembic's progress is not the command's output
            try:
                flask_migrate.upgrade(directory=str(resource_dir("migrations")), revision=revision)
            finally:
                logging.disable(logging.NOTSET)
                db.engine.dispose()
        expected = sqlite_schema(reference)
    found = sqlite_schema(file)
    extra = sorted(found - expected)
    if extra:
        listed = ", ".join(f"{kind} {name!r}" for kind, name, _ in extra[:5])
        return f"holds what this version's migrations do not create ({listed})"
    missing = sorted({(k, n) for k, n, _ in expected} - {(k, n) for k, n, _ in found})
    if missing:
        listed = ", ".join(f"{kind} {name!r}" for kind, name in missing[:5])
        return f"lacks part of its schema ({listed})"
    return None


def sqlite_schema(file: Path) -> set[tuple[str, str, str | None]]:
    """(type, name, SQL) of every table, index, view and trigger; the SQL of views and triggers
    (what would run), whitespace folded; SQLite's own objects left out."""
    with closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)) as database:
        rows = database.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    return {
        (kind, name, " ".join((sql or "").split()) if kind in ("view", "trigger") else None)
        for kind, name, sql in rows
        if not name.startswith("sqlite_")
    }


def audit_problem(file: Path) -> str | None:
    """`audit verify` on a copy of the backup."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.sqlite"
        shutil.copyfile(file, copy)
        with _scratch_app(copy).app_context():
            try:
                verdict = audit.verify()
            finally:
                db.session.remove()
                db.engine.dispose()
    return None if verdict.intact else f"has a broken audit trail ({verdict.message})"


def _scratch_app(database: Path):
    """The app on a scratch SQLite file, apart from the live database."""
    from ..app import create_app  # imported late: the app imports the commands

    return create_app(
        {
            "SECRET_KEY": secrets.token_hex(16),
            "DATABASE_URL": f"sqlite:///{database}",
            "INSTANCE_PATH": str(database.parent),
        }
    )


def migration_scripts():
    """This version's migrations (alembic's script directory), or None outside Flask-Migrate."""
    from alembic.script import ScriptDirectory

    migrate = current_app.extensions.get("migrate")
    return ScriptDirectory.from_config(migrate.migrate.get_config()) if migrate else None


def _migration_revisions() -> set[str]:
    scripts = migration_scripts()
    return {script.revision for script in scripts.walk_revisions()} if scripts else set()
