"""Configuration: defaults in code, then instance/config.py, then INCIDENT_TRACKER_* variables."""

import os
import secrets
from pathlib import Path

ENV_PREFIX = "INCIDENT_TRACKER"
PACKAGE_DIR = Path(__file__).resolve().parent


class Defaults:
    """Safe defaults; the secret key and database come from the instance folder or environment."""

    SECRET_KEY = None
    DATABASE_URL = None  # any SQLAlchemy URL; default is the SQLite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a form opened at 3 a.m. may be submitted at 9 a.m.
    BOOTSTRAP_SERVE_LOCAL = True  # the CSP allows only 'self': no CDN
    INCIDENTS_PER_PAGE = 25
    PAGE_CACHE_SIZE = 256  # rendered dashboard and incident page parts per worker (0: off)
    HTTPS = False  # served over HTTPS: secure cookies and HSTS
    TRUSTED_PROXIES = 0  # reverse proxies in front (X-Forwarded-For/-Proto are trusted this deep)
    # Reminder e-mails (`incident-tracker remind`, run from cron every minute)
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 25
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_STARTTLS = False
    MAIL_TIMEOUT = 10  # seconds per SMTP connection: a cron run stays bounded
    MAIL_FROM = "incident-tracker@localhost"
    # 50% of the window from the anchor to the deadline, a time before it (2h, 30m, 1d), overdue
    REMINDER_POINTS = "50%,80%,2h,overdue"
    APP_BASE_URL = "http://127.0.0.1:5000"  # for the links in reminder e-mails


def resource_dir(name: str) -> Path:
    """Locate templates/, static/ or migrations/ in a checkout or in an installed wheel."""
    bundled = PACKAGE_DIR / "_data" / name
    return bundled if bundled.is_dir() else PACKAGE_DIR.parent / name


def instance_path() -> str | None:
    """Let INCIDENT_TRACKER_INSTANCE_PATH move the instance folder (useful for installed wheels)."""
    return os.environ.get(f"{ENV_PREFIX}_INSTANCE_PATH")


def write_instance_config(folder: Path) -> None:
    """Create instance/config.py with a random SECRET_KEY on the first run.

    Every gunicorn worker builds the app, so on a first start several may get here at once: the
    file is written whole under a name of its own, then linked into place, which fails for all but
    the first; the others keep the first one's key (a reader never sees half a file)."""
    path = folder / "config.py"
    if path.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    text = (
        "# Written on first run. Keep it secret; it is not in version control.\n"
        f"SECRET_KEY = {secrets.token_hex(32)!r}\n"
    )
    draft = folder / f".config.py.{os.getpid()}.{secrets.token_hex(4)}"
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(draft, path)
    except FileExistsError:
        pass  # another worker was first: its key stands
    finally:
        draft.unlink(missing_ok=True)


def create_private(path: Path) -> None:
    """Create an empty file readable and writable by its owner only, before anything writes into
    it (a file created by another program takes the umask's mode, 0644 under the usual 022)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def keep_private(database: Path) -> None:
    """The SQLite database holds personal data and password hashes: create it 0600 (SQLite gives
    its -wal and -shm files the database's mode), and take the group's and others' access from
    an existing one of ours."""
    try:
        create_private(database)
    except FileExistsError:
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            try:
                status = path.stat()
            except FileNotFoundError:
                continue
            if status.st_uid == os.geteuid() and status.st_mode & 0o077:
                path.chmod(status.st_mode & 0o700)


def database_uri(url: str | None, folder: Path) -> str:
    """Turn the configured URL into the one SQLAlchemy uses (psycopg 3 for PostgreSQL)."""
    if not url:
        return f"sqlite:///{folder / 'incident_tracker.sqlite'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
