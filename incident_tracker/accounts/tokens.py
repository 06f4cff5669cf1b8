"""Secrets handed to people once (API tokens, calendar URLs): only their SHA-256 is stored."""

import hashlib
import secrets
from datetime import datetime

from ..extensions import db
from ..models import CalendarFeed, User

PREFIX = "itk_"


def new_secret() -> tuple[str, str]:
    """A fresh secret and the hash to store."""
    token = PREFIX + secrets.token_urlsafe(32)
    return token, digest(token)


def digest(token: str) -> str:
    """The stored form of a secret."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_calendar_feed(user: User) -> str:
    """Create a secret calendar URL token for the user and return it (once); the caller commits."""
    token, token_hash = new_secret()
    db.session.add(CalendarFeed(user_id=user.id, token_hash=token_hash))
    return token


def revoke_calendar_feed(feed: CalendarFeed, now: datetime) -> None:
    """End a feed: its URL answers 404 from now on (the row is kept); the caller commits."""
    if feed.revoked_at is None:
        feed.revoked_at = now
