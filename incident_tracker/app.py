"""The application factory."""

from pathlib import Path

from flask import Flask
from sqlalchemy.engine import make_url
from werkzeug.middleware.proxy_fix import ProxyFix

from . import api, cli
from .accounts import account, auth, organization
from .assessments import views as assessments
from .audit import trail as audit
from .audit import views as audit_log
from .config import (
    ENV_PREFIX,
    Defaults,
    database_uri,
    instance_path,
    keep_private,
    resource_dir,
    write_instance_config,
)
from .documents import editing as letters
from .documents import views as documents_views
from .extensions import bootstrap, csrf, db, login_manager, migrate
from .incidents import views as incidents
from .obligations import calendar_feed, dashboard
from .obligations import views as obligations
from .register import views as register_views
from .supply_chain import counterparties, customer_notices, releases, vendor_notices
from .web import filters, security, transactions
from .web.bounds import IdConverter


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application; tests pass a dict that replaces file and environment config."""
    app = Flask(
        __name__,
        instance_path=(test_config or {}).get("INSTANCE_PATH") or instance_path(),
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    app.url_map.converters["int"] = IdConverter  # an id a column cannot hold is not found
    app.config.from_object(Defaults)
    if test_config is None:
        write_instance_config(Path(app.instance_path))
        app.config.from_pyfile("config.py")
        app.config.from_prefixed_env(ENV_PREFIX)
    else:
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(
        app.config.get("DATABASE_URL"), Path(app.instance_path)
    )
    _private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set: see instance/config.py")
    _serve_safely(app)
    _init_extensions(app)
    return app


def _private_sqlite_file(uri: str) -> None:
    url = make_url(uri)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        if not url.database.startswith("file:"):
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            keep_private(Path(url.database))


def _serve_safely(app: Flask) -> None:
    """Secure cookies over HTTPS; trust forwarded headers only from the configured proxies."""
    if app.config["HTTPS"]:
        app.config.update(
            SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https"
        )
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    for module in (audit, filters, security, cli, auth, api, transactions):
        module.init_app(app)
    blueprints = (
        account,
        assessments,
        audit_log,
        auth,
        calendar_feed,
        counterparties,
        customer_notices,
        dashboard,
        documents_views,
        incidents,
        letters,
        obligations,
        organization,
        register_views,
        releases,
        vendor_notices,
    )
    for module in blueprints:
        app.register_blueprint(module.bp)
