"""The `incident-tracker` command: a Flask CLI group bound to create_app."""

import os
import sys

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask
from flask.cli import AppGroup, FlaskGroup, routes_command, shell_command, with_appcontext

from .accounts import passwords
from .audit import trail as audit
from .documents import catalogue
from .extensions import db
from .facts.document import deadlines
from .incidents.regeneration import regenerate
from .models import ROLES, Incident, Organization, User, utcnow
from .obligations import reminders
from .ops import backup, demo


def _create_app():
    from .app import create_app  # imported late: `deadlines` must work without an app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def main():
    """Breach incident response and regulatory notification tracker."""


def init_app(app: Flask) -> None:
    commands = (
        create_user,
        demo_command,
        sync_obligations,
        sync_templates,
        audit_group,
        *backup.COMMANDS,
        *reminders.COMMANDS,
    )
    for command in commands:
        app.cli.add_command(command)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="The user's one role.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user(email: str, role: str, password_stdin: bool) -> None:
    """Create a user; prompts for the password unless --password-stdin is given."""
    address = _valid_email(email)
    if db.session.execute(db.select(User).filter_by(email=address)).scalar_one_or_none():
        raise click.UsageError(f"a user with e-mail {address} already exists")
    password = _read_password(password_stdin, address)
    user = User(email=address, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {role} {address}.")


def _valid_email(email: str) -> str:
    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="EMAIL") from error


def _read_password(from_stdin: bool, email: str) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    found = passwords.problems(password, email)
    if found:
        raise click.BadParameter("; ".join(found), param_hint="password")
    return password


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo organization, users and incident (does nothing if they exist)."""
    created, logins = demo.load(utcnow())
    click.echo("Demo data loaded." if created else "Demo data already present; nothing changed.")
    if logins:
        click.echo("Demo logins, each with its own password:")
        for role, (email, password) in zip(demo.ROLE_USERS, logins, strict=False):
            click.echo(f"  {role:<10} {email:<32} {password}")


@click.command("sync-obligations")
@with_appcontext
def sync_obligations() -> None:
    """Recompute every incident's obligations from its facts; filed ones never change."""
    organization = db.session.get(Organization, 1)
    if organization is None:
        click.echo("No organization profile yet; nothing to do.")
        return
    incidents = list(db.session.execute(db.select(Incident)).scalars())
    for incident in incidents:
        regenerate(incident, organization, None, "because the obligations were recomputed")
    db.session.commit()
    click.echo(f"Obligations of {len(incidents)} incident(s) are up to date.")


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def run_command(host: str, port: int, workers: int) -> None:
    """Serve the application with gunicorn."""
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:incident_tracker.ops.gunicorn_config",
        "--workers",
        str(workers),
        "--bind",
        f"{host}:{port}",
        "--access-logfile",
        "-",
        "incident_tracker.app:create_app()",
    ]
    os.execv(sys.executable, argv)


main.add_command(run_command)
main.add_command(deadlines)
main.add_command(shell_command)
main.add_command(routes_command)


@click.command("sync-templates")
@with_appcontext
def sync_templates() -> None:
    """Load the shipped letter templates; a changed file becomes a new revision."""
    changed = catalogue.sync_shipped()
    db.session.commit()
    click.echo(f"Shipped templates are up to date ({changed} added or changed).")


audit_group = AppGroup("audit", help="The tamper-evident audit trail.")


@audit_group.command("verify")
def audit_verify() -> None:
    """Check the hash chain; name the first altered, inserted or deleted row (exit 1)."""
    verdict = audit.verify()
    if not verdict.intact:
        click.echo(f"AUDIT CHAIN BROKEN: {verdict.message}", err=True)
        sys.exit(1)
    click.echo(verdict.message)
