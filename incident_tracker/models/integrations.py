"""What connects the register to other tools: API tokens, calendar feeds, sent reminders."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .common import enum_check, utcnow

TOKEN_SCOPES = ("read", "read_write")


class ApiToken(db.Model):
    """A personal API token: only its SHA-256 is stored; it acts with its owner's role."""

    __table_args__ = (enum_check("scope", TOKEN_SCOPES, nullable=False),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(12))  # shown to tell tokens apart
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class CalendarFeed(db.Model):
    """A user's secret calendar URL (only its SHA-256 is stored); revoking deletes nothing else."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class ReminderSent(db.Model):
    """A reminder point already e-mailed for an obligation; the unique key makes it exactly once."""

    __table_args__ = (UniqueConstraint("obligation_id", "point"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligation.id"), index=True)
    point: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime | None]
    recipients: Mapped[str] = mapped_column(String(1000))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
