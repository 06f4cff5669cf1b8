"""`incident-tracker backup FILE` and `incident-tracker restore FILE`.

SQLite: the online backup API of Python's sqlite3, from and into the live database file, so that a
running app keeps working and never sees a half-written file. PostgreSQL: `pg_dump` (custom
format) and `pg_restore`, found on PATH or under /usr/lib/postgresql/*/bin (the newest wins).

A backup holds password hashes and personal data: it is written with mode 0600, first to a
temporary file next to FILE, checked, then moved into place.
"""

import glob
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import URL

from ..config import create_private
from ..extensions import db
from ..models import Incident
from . import restore_checks

# Rows the migrations write, present in an "empty" database: the vocabulary, the audit chain's head.
SEEDED_TABLES = {"data_category", "audit_head"}
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
PG_TIMEOUT = 3600


class BackupError(click.ClickException):
    """A refusal or a failure: one line on standard error, exit status 2."""

    exit_code = 2


# ---------------------------------------------------------------------------------------------
# The commands


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@with_appcontext
def backup_command(file: Path, force: bool) -> None:
    """Write a consistent copy of the database to FILE while the app keeps running.

    \b
    SQLite: SQLite's online backup API copies the live database file into FILE (a
    self-contained SQLite file), then `PRAGMA integrity_check` checks the copy.
    PostgreSQL: runs `pg_dump --format=custom --no-owner --file FILE <database URL>`
    and checks the archive with `pg_restore --list`. pg_dump is taken from PATH or
    /usr/lib/postgresql/*/bin, the newest version first; it must not be older than the
    server. The password, if any, is passed in PGPASSWORD, not on the command line.

    An existing FILE is refused unless --force is given. Prints the path, size and
    SHA-256 of the backup. The file holds personal data and password hashes: it is
    written with mode 0600; keep it as safe as the database.
    """
    if file.exists() and not force:
        raise BackupError(f"{file} exists; pass --force to replace it")
    dialect = db.engine.dialect.name
    temporary = file.with_name(f".{file.name}.{os.getpid()}.partial")
    db.session.remove()
    try:
        create_private(temporary)  # 0600 from the start, and so SQLite's journal beside it
        if dialect == "sqlite":
            summary = _sqlite_backup(temporary)
        elif dialect == "postgresql":
            summary = _postgresql_backup(temporary)
        else:
            raise BackupError(f"backups of {dialect} databases are not supported")
        _move_into_place(temporary, file, force)
    finally:
        temporary.unlink(missing_ok=True)
    click.echo(
        f"Backed up the {dialect} database to {file} ({file.stat().st_size} bytes, "
        f"SHA-256 {_sha256(file)}{summary})."
    )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace a database that holds data without asking.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database's contents with the backup in FILE.

    \b
    SQLite: FILE must be an intact SQLite database with an alembic_version table. The
    app's connections are closed and FILE is copied into the live database file with
    SQLite's online backup API, in one write transaction: a running app sees either
    the old database or the restored one.
    PostgreSQL: FILE must be a pg_dump custom-format archive with an alembic_version
    table (checked with `pg_restore --list`); then runs `pg_restore --clean --if-exists
    --no-owner --single-transaction --dbname <database URL> FILE`, which drops and
    recreates the archived tables in one transaction (all or nothing). pg_restore is
    taken from PATH or /usr/lib/postgresql/*/bin, the newest version first.

    A database that holds data is replaced only after confirmation, or with --yes.
    Afterwards prints the restored alembic revision and the number of incidents; a
    backup older than this version of the app needs `incident-tracker db upgrade`.
    """
    live = _checked_backup(file)
    rows = _rows_in_use()
    if rows and not yes:
        click.confirm(
            f"The database {_where()} holds {rows} row(s); replace them with {file}?",
            abort=True,
        )
    _close_connections()
    if live is not None:
        _sqlite_restore(file, live)
    else:
        _postgresql_restore(file)
    _close_connections()
    _report_restored(file)


def _checked_backup(file: Path) -> Path | None:
    """Refuse a FILE that cannot be restored; return the live SQLite file (None on PostgreSQL)."""
    if not file.is_file():
        raise BackupError(f"{file}: no such backup file")
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        live = _sqlite_database()
        if live.resolve() == file.resolve():
            raise BackupError(f"{file} is the live database itself")
        _check_sqlite_backup(file)
        return live
    if dialect == "postgresql":
        _check_postgresql_archive(file)
        return None
    raise BackupError(f"restoring {dialect} databases is not supported")


def _report_restored(file: Path) -> None:
    """What was restored, and whether the backup's schema needs `db upgrade`."""
    revision, incidents = _describe()
    click.echo(
        f"Restored {file} into {_where()}: alembic revision {revision}, {incidents} incident(s)."
    )
    heads = _migration_heads()
    if heads and revision not in heads:
        click.echo(
            f"The backup's schema ({revision}) is not this version's ({', '.join(heads)}): "
            "run `incident-tracker db upgrade`."
        )


COMMANDS = (backup_command, restore_command)


# ---------------------------------------------------------------------------------------------
# Shared helpers


def _where() -> str:
    return db.engine.url.render_as_string(hide_password=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _move_into_place(temporary: Path, file: Path, force: bool) -> None:
    """Rename the checked temporary file to FILE; without --force never replace one."""
    if force:
        os.replace(temporary, file)
        return
    try:
        os.link(temporary, file)  # atomic, and fails if FILE appeared in the meantime
    except FileExistsError as error:
        raise BackupError(f"{file} exists; pass --force to replace it") from error
    except OSError:  # a file system without hard links
        try:
            create_private(file)
        except FileExistsError as error:
            raise BackupError(f"{file} exists; pass --force to replace it") from error
        with temporary.open("rb") as source, file.open("r+b") as target:
            shutil.copyfileobj(source, target)


def _rows_in_use() -> int:
    """Rows in the app's tables, but for the vocabulary the migrations seed."""
    present = set(inspect(db.engine).get_table_names())
    total = 0
    for table in db.metadata.sorted_tables:
        if table.name in present and table.name not in SEEDED_TABLES:
            total += db.session.execute(select(func.count()).select_from(table)).scalar_one()
    db.session.remove()
    return total


def _close_connections() -> None:
    """Return the session's connection and close the pool's, so none holds a lock or a cache."""
    db.session.remove()
    db.engine.dispose()


def _describe() -> tuple[str, int]:
    revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    incidents = db.session.execute(select(func.count()).select_from(Incident)).scalar_one()
    db.session.remove()
    return revision, incidents


def _migration_heads() -> tuple[str, ...]:
    scripts = restore_checks.migration_scripts()
    return tuple(scripts.get_heads()) if scripts else ()


# ---------------------------------------------------------------------------------------------
# SQLite


def _sqlite_database() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(f"cannot back up or restore the SQLite database {database!r}")
    path = Path(database)
    if not path.is_file():
        raise BackupError(f"the database file {path} does not exist")
    return path


def _sqlite_uri(path: Path, mode: str) -> str:
    return f"{path.resolve().as_uri()}?mode={mode}"


def _sqlite_backup(temporary: Path) -> str:
    live = _sqlite_database()
    try:
        with (
            closing(sqlite3.connect(_sqlite_uri(live, "rw"), uri=True)) as source,
            closing(sqlite3.connect(temporary)) as copy,
        ):
            source.execute("PRAGMA busy_timeout = 10000")
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            revision = copy.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as error:
        raise BackupError(f"the backup of {live} failed: {error}") from error
    if problems != ["ok"]:
        raise BackupError(f"the copy of {live} is damaged: {'; '.join(problems[:3])}")
    return f", alembic revision {revision[0] if revision else 'none'}"


def _check_sqlite_backup(file: Path) -> None:
    try:
        with closing(sqlite3.connect(_sqlite_uri(file, "ro"), uri=True)) as backup:
            problems = [row[0] for row in backup.execute("PRAGMA quick_check")]
            revision = backup.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as error:
        raise BackupError(f"{file} is not an incident-tracker SQLite backup: {error}") from error
    if problems != ["ok"]:
        raise BackupError(f"{file} is damaged: {'; '.join(problems[:3])}")
    if revision is None:
        raise BackupError(f"{file} is not an incident-tracker SQLite backup: no alembic revision")
    problem = restore_checks.schema_problem(file, revision[0]) or restore_checks.audit_problem(file)
    if problem:
        raise BackupError(f"{file} {problem}; nothing was restored")


def _sqlite_restore(file: Path, live: Path) -> None:
    try:
        with (
            closing(sqlite3.connect(_sqlite_uri(file, "ro"), uri=True)) as backup,
            closing(sqlite3.connect(_sqlite_uri(live, "rw"), uri=True)) as target,
        ):
            target.execute("PRAGMA busy_timeout = 10000")
            backup.backup(target)  # all pages in one step: one write transaction
            problems = [row[0] for row in target.execute("PRAGMA quick_check")]
    except sqlite3.Error as error:
        raise BackupError(f"the restore into {live} failed: {error}") from error
    if problems != ["ok"]:
        raise BackupError(f"the restored database {live} is damaged: {'; '.join(problems[:3])}")


# ---------------------------------------------------------------------------------------------
# PostgreSQL


def libpq_url(url: URL) -> tuple[str, str | None]:
    """postgresql+psycopg://user:secret@host/db -> (postgresql://user@host/db, secret)."""
    libpq = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    password = None if url.password is None else str(url.password)
    return libpq.render_as_string(hide_password=False), password


def _libpq_url() -> tuple[str, dict]:
    """The app's database as a libpq URL, and the environment that carries its password."""
    url, password = libpq_url(db.engine.url)
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = password
    return url, env


def _tool_version(path: str) -> tuple[int, ...]:
    try:
        output = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    match = re.search(r"\)\s+(\d+)(?:\.(\d+))?", output)
    return tuple(int(part) for part in match.groups() if part) if match else ()


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: from PATH or /usr/lib/postgresql/*/bin, the newest version."""
    candidates = sorted(glob.glob(f"{PG_BIN_GLOB}/{name}"))
    on_path = shutil.which(name)
    if on_path:
        candidates.insert(0, on_path)
    versions = [(version, path) for path in candidates if (version := _tool_version(path))]
    if not versions:
        raise BackupError(f"{name} not found (install the PostgreSQL client: postgresql-client)")
    newest = max(version for version, _ in versions)
    return next(path for version, path in versions if version == newest)


def _run(name: str, arguments: list[str], env: dict | None = None) -> str:
    command = [pg_tool(name), *arguments]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=PG_TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise BackupError(f"{name} failed: {error}") from error
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {first_error(result.stderr)}")
    return result.stdout


def first_error(stderr: str) -> str:
    """The first error line of pg_dump's or pg_restore's messages, without the tool's prefix."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    line = next((line for line in lines if "error:" in line or "FATAL" in line), None)
    line = line or (lines[-1] if lines else "no message")
    return re.sub(r"^pg_\w+: (error: )?", "", line)


def _postgresql_backup(temporary: Path) -> str:
    url, env = _libpq_url()
    _run("pg_dump", ["--format=custom", "--no-owner", "--file", str(temporary), url], env)
    tables = _archived_tables(temporary)
    return f", {len(tables)} tables"


def _archived_tables(file: Path) -> set[str]:
    listing = _run("pg_restore", ["--list", str(file)])
    entries = re.findall(r"^\d+;\s+\d+\s+\d+\s+TABLE\s+(?!DATA\s)\S+\s+(\S+)", listing, re.M)
    return set(entries)


def _check_postgresql_archive(file: Path) -> None:
    try:
        tables = _archived_tables(file)
    except BackupError as error:
        detail = error.message.removeprefix("pg_restore failed: ")
        raise BackupError(
            f"{file} is not an incident-tracker backup (a pg_dump custom-format archive): {detail}"
        ) from error
    if "alembic_version" not in tables:
        raise BackupError(f"{file} is not an incident-tracker backup: no alembic_version table")


def _postgresql_restore(file: Path) -> None:
    url, env = _libpq_url()
    _run(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            url,
            str(file),
        ],
        env,
    )
