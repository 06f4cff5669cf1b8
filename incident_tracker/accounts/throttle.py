"""Login throttling, kept in the database so that all workers share it.

One account from one address may fail PER_PAIR times in a WINDOW; then that pair waits until the
window ends (a bounded lockout). The attempt is counted before its password is checked, in one
atomic statement (an upsert), so parallel attempts cannot all slip under the limit: twelve at
once get five checked. Failures from other addresses do not lock the real user out, and one
person's failures do not lock out everyone behind the same address (a NAT): an address is only
stopped after PER_ADDRESS failures across accounts (password spraying). A distributed guess at one
account is bounded by the password policy instead (passwords.py: more than 10^10 guesses).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import LoginAttempt, LoginThrottle

WINDOW = timedelta(minutes=15)
PER_PAIR = 5
PER_ADDRESS = 100


@dataclass(frozen=True)
class Refusal:
    message: str


def check(email: str, address: str, now: datetime) -> Refusal | None:
    """Count this attempt of the account from the address, and refuse it when the pair or the
    address failed too often in the window (the caller rolls a refusal back)."""
    attempts, started = _count_attempt(email, address, now)
    if attempts > PER_PAIR:
        wait = _minutes(started + WINDOW - now)
        return Refusal(
            f"Too many failed logins for this account from your address. Try again in {wait}."
        )
    recent = (
        db.session.execute(
            select(LoginAttempt.at)
            .where(LoginAttempt.address == address, LoginAttempt.at > now - WINDOW)
            .order_by(LoginAttempt.at.desc())
            .limit(PER_ADDRESS)
        )
        .scalars()
        .all()
    )
    if len(recent) >= PER_ADDRESS:
        wait = _minutes(recent[-1] + WINDOW - now)
        return Refusal(f"Too many failed logins from your address. Try again in {wait}.")
    return None


def _count_attempt(email: str, address: str, now: datetime) -> tuple[int, datetime]:
    """One statement: a new window when the last one ended, else one more attempt in it."""
    table = LoginThrottle.__table__
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    ended = table.c.window_started_at <= now - WINDOW
    statement = (
        dialect.insert(table)
        .values(email=email, address=address, attempts=1, window_started_at=now)
        .on_conflict_do_update(
            index_elements=[table.c.email, table.c.address],
            set_={
                "attempts": case((ended, 1), else_=table.c.attempts + 1),
                "window_started_at": case((ended, now), else_=table.c.window_started_at),
            },
        )
        .returning(table.c.attempts, table.c.window_started_at)
    )
    row = db.session.execute(statement).one()
    return row.attempts, row.window_started_at


def _minutes(left: timedelta) -> str:
    minutes = max(1, -(-int(left.total_seconds()) // 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def failed(email: str, address: str, now: datetime) -> None:
    """Remember a failed attempt for the address's count, forgetting its ended ones (the caller
    commits)."""
    ended = LoginAttempt.at <= now - WINDOW
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.address == address, ended))
    db.session.add(LoginAttempt(email=email, address=address, at=now))


def succeeded(email: str, address: str) -> None:
    """Forget the pair's attempts after a successful login."""
    db.session.execute(
        delete(LoginThrottle).where(LoginThrottle.email == email, LoginThrottle.address == address)
    )
