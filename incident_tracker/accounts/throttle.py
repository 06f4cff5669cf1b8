"""Login throttling per account and per address, kept in the database so all workers share it."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from ..extensions import db
from ..models import LoginAttempt

WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 5
PER_ADDRESS = 20


@dataclass(frozen=True)
class Refusal:
    message: str


def check(email: str, address: str, now: datetime) -> Refusal | None:
    """Refuse a login attempt when the account or the address failed too often recently."""
    for condition, limit, whose in (
        (LoginAttempt.email == email, PER_ACCOUNT, "for this account"),
        (LoginAttempt.address == address, PER_ADDRESS, "from your address"),
    ):
        wait = _wait(condition, limit, now)
        if wait is not None:
            return Refusal(f"Too many failed logins {whose}. Try again in {wait}.")
    return None


def _wait(condition, limit: int, now: datetime) -> str | None:
    """How long until fewer than `limit` failures remain in the window, or None if already so."""
    recent = (
        db.session.execute(
            select(LoginAttempt.at)
            .where(condition, LoginAttempt.at > now - WINDOW)
            .order_by(LoginAttempt.at.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )
    if len(recent) < limit:
        return None
    minutes = max(1, -(-int((recent[-1] + WINDOW - now).total_seconds()) // 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def failed(email: str, address: str, now: datetime) -> None:
    """Remember a failed attempt (the caller commits)."""
    db.session.add(LoginAttempt(email=email, address=address, at=now))


def succeeded(email: str) -> None:
    """Forget the account's failures after a successful login."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
