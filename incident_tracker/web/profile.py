"""The organization profile of this installation, loaded once per request."""

from zoneinfo import ZoneInfo

from flask import g
from sqlalchemy import bindparam, select

from ..extensions import db
from ..models import AuditHead, Organization, User
from .localtime import zone
from .page_cache import HEAD_COLUMNS, keep_version

_FIRST_READ = (  # built once: one round trip where three were made
    select(User, Organization, *HEAD_COLUMNS)
    .select_from(User)
    .outerjoin(Organization, Organization.id == 1)
    .outerjoin(AuditHead, AuditHead.id == 1)
    .where(User.id == bindparam("user_id"))
)


def first_read(user_id: int) -> User | None:
    """A request's first read: the user with this id and, kept for the request, the organization
    profile and the register's version, which nearly every page shows or caches under."""
    row = db.session.execute(_FIRST_READ, {"user_id": user_id}).first()
    if row is None:
        return None
    user, g.organization, *head = row
    keep_version(head)
    return user


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
