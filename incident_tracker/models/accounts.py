"""Users and the organization profile."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .common import (
    DORA_ENTITY_TYPES,
    GDPR_ROLES,
    HIPAA_ROLES,
    NIS2_STATUSES,
    ROLES,
    enum_check,
    utcnow,
)


class User(UserMixin, db.Model):
    __table_args__ = (enum_check("role", ROLES, nullable=False),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Named by every session of the user (get_id); bumped by logout and a password change, which
    # so end every session of the user, on any device.
    session_generation: Mapped[int] = mapped_column(default=1, server_default="1")
    # The hashes of the few passwords before the current one (JSON), so a change refuses them.
    password_history: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What the session cookie holds: the user and the generation of their sessions."""
        return f"{self.id}.{self.session_generation}"

    def end_sessions(self) -> None:
        """End every session of this user (the caller commits)."""
        self.session_generation = (self.session_generation or 1) + 1

    def set_password(self, password: str) -> None:
        """Hash with scrypt (Werkzeug's default KDF)."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @staticmethod
    def matches(hashed: str, password: str) -> bool:
        """Is `password` the one behind `hashed` (a hash kept in the password history)?"""
        return check_password_hash(hashed, password)


class Organization(db.Model):
    """The reporting entity; one row (id 1)."""

    __table_args__ = (
        enum_check("gdpr_role", GDPR_ROLES),
        enum_check("nis2", NIS2_STATUSES),
        enum_check("dora", DORA_ENTITY_TYPES),
        enum_check("hipaa", HIPAA_ROLES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    gdpr_role: Mapped[str | None] = mapped_column(String(20))
    eu_main_establishment: Mapped[str | None] = mapped_column(String(2))
    nis2: Mapped[str | None] = mapped_column(String(20))
    nis2_sector: Mapped[str | None] = mapped_column(String(120))
    trust_service_provider: Mapped[bool] = mapped_column(default=False)
    dora: Mapped[str | None] = mapped_column(String(30))
    dora_relief_withdrawn: Mapped[bool] = mapped_column(default=False)
    sec_registrant: Mapped[bool] = mapped_column(default=False)
    hipaa: Mapped[str | None] = mapped_column(String(30))
    dpo_name: Mapped[str | None] = mapped_column(String(200))
    dpo_email: Mapped[str | None] = mapped_column(String(254))
    dpo_phone: Mapped[str | None] = mapped_column(String(50))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)  # bumped by every save; a stale form is refused


class LoginThrottle(db.Model):
    """The recent failed logins of one account from one address, counted in one atomic statement
    before a password is checked (login throttling; see accounts/throttle.py)."""

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column()


class LoginAttempt(db.Model):
    """A failed login, kept for throttling per account and per address (shared by all workers)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
