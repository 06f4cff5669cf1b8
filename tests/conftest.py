"""Fixtures shared by the shell's tests: one migrated database per run, cleaned before each test.

The database is SQLite in a temporary folder, or the PostgreSQL server named by
INCIDENT_TRACKER_TEST_DATABASE_URL (make test starts a private one).
"""

import os

import flask_migrate
import pytest
from hypothesis import settings
from sqlalchemy import text

from incident_tracker.app import create_app
from incident_tracker.extensions import db
from incident_tracker.models import Organization, User
from incident_tracker.web import page_cache

from .helpers import PASSWORD

# Speed is measured in bench/, not by tests: no example fails for being slow, which a property
# test could when the SQLite and PostgreSQL stages share the machine's two cores (scripts/test.sh).
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")

KEEP_TABLES = {"data_category", "alembic_version", "audit_head"}


def database_url(tmp_path_factory) -> str:
    """The test database: PostgreSQL when the test command provides one, else a SQLite file."""
    url = os.environ.get("INCIDENT_TRACKER_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def app_config(url: str, instance, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": url,
        "WTF_CSRF_ENABLED": False,
        "INSTANCE_PATH": str(instance),
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def db_url(tmp_path_factory):
    return database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def _migrated_app(db_url, instance_dir):
    app = create_app(app_config(db_url, instance_dir))
    with app.app_context():
        _reset_schema()
        flask_migrate.upgrade()
    yield app
    dispose(app)


def dispose(app) -> None:
    """Close the app's pooled connections (PostgreSQL warns about connections left open)."""
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def make_app(db_url, instance_dir):
    """Build another app on the test database with some settings changed; closed afterwards."""
    apps = []

    def make(**overrides):
        apps.append(create_app(app_config(db_url, instance_dir, **overrides)))
        return apps[-1]

    yield make
    for app in apps:
        dispose(app)


def _reset_schema() -> None:
    """Start from an empty database (the PostgreSQL one may hold a previous run's tables)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


def clean_tables() -> None:
    """Delete every row but the seeded vocabulary, children first."""
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())
        connection.execute(
            text("UPDATE audit_head SET last_id = 0, last_hash = :genesis"), {"genesis": "0" * 64}
        )


@pytest.fixture
def app(_migrated_app):
    with _migrated_app.app_context():
        clean_tables()
        db.session.remove()
    page_cache.clear()  # the cleaned register is back at the audit chain's first version
    yield _migrated_app
    with _migrated_app.app_context():
        db.session.remove()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    def make(role: str = "dpo", email: str | None = None) -> User:
        with app.app_context():
            user = User(email=email or f"{role}@example.org", role=role)
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


@pytest.fixture
def login(client):
    """Log a user in on the test client, or on another client (`on`) for a second session."""

    def log_in(user: User, password: str = PASSWORD, on=None):
        credentials = {"email": user.email, "password": password}
        response = (on or client).post("/auth/login", data=credentials)
        assert response.status_code == 302, response.data
        return response

    return log_in


@pytest.fixture
def org(app):
    """An organization profile in Europe/Berlin."""
    with app.app_context():
        organization = Organization(
            id=1,
            name="Example GmbH",
            country="DE",
            timezone="Europe/Berlin",
            gdpr_role="controller",
            eu_main_establishment="DE",
            nis2="essential",
        )
        db.session.add(organization)
        db.session.commit()
    return organization


@pytest.fixture
def as_role(make_user, login, org):
    """Log the test client in with a fresh user of the given role."""

    def log_in_as(role: str) -> User:
        user = make_user(role)
        login(user)
        return user

    return log_in_as


PURE = ("core", "facts")  # the pure core and the facts document: no database, no app


def pytest_collection_modifyitems(items) -> None:
    """Mark the tests of the pure core `pure`: they never touch a database, so the PostgreSQL
    stage of `make test` leaves them to the SQLite stage (their results cannot differ)."""
    for item in items:
        if item.path.parent.name in PURE and item.path.parent.parent.name == "tests":
            item.add_marker(pytest.mark.pure)
