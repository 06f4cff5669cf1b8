"""The organization profile of this installation, loaded once per request."""

from zoneinfo import ZoneInfo

from flask import g

from .extensions import db
from .localtime import zone
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


def local_zone() -> ZoneInfo:
    """The organization's zone (UTC before the profile exists), looked up once per request: a
    page shows a hundred instants."""
    try:
        return g.local_zone
    except AttributeError:
        g.local_zone = zone(timezone_name())
        return g.local_zone
