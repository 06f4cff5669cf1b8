"""The organization profile of this installation, loaded once per request."""

from flask import g

from .extensions import db
from .models import Organization


def current() -> Organization | None:
    """Return the organization profile (cached for the request), or None before setup."""
    if "organization" not in g:
        g.organization = db.session.get(Organization, 1)
    return g.organization


def timezone_name() -> str:
    """The organization's IANA timezone, UTC before the profile exists."""
    organization = current()
    return organization.timezone if organization else "UTC"
