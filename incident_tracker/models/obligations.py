"""Obligations, their filings and the decisions that one is not required."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .common import OBLIGATION_STATUSES, append_only, enum_check, utcnow
from .incidents import Incident

if TYPE_CHECKING:
    from .documents import Document


class Obligation(db.Model):
    """One notification owed for an incident: one row per (incident, rule, jurisdiction).

    Regenerated from the engine whenever the incident's facts change; once filed or decided
    "not required" it never changes again.
    """

    __table_args__ = (
        UniqueConstraint("incident_id", "rule_id", "jurisdiction"),
        enum_check("status", OBLIGATION_STATUSES, nullable=False),
        # One status soonest first, and the incident to join (covering): the dashboard's sections
        # on SQLite, the API's list; PostgreSQL's dashboard reads a partial index (migration 0012).
        Index("ix_obligation_status_due_at_incident", "status", "due_at", "incident_id"),
        # The dashboard's counts on SQLite: the pending obligations of the live incidents.
        Index("ix_obligation_incident_status", "incident_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    rule_id: Mapped[str] = mapped_column(String(60))
    jurisdiction: Mapped[str] = mapped_column(String(6))
    regime: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(300))
    basis: Mapped[str] = mapped_column(String(300))
    anchor: Mapped[str] = mapped_column(String(60))
    anchor_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(30))
    starts_when: Mapped[str | None] = mapped_column(String(300))
    relief: Mapped[str | None] = mapped_column(String(300))
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    incident: Mapped[Incident] = relationship(back_populates="obligations")
    filings: Mapped[list["Filing"]] = relationship(
        back_populates="obligation", order_by="Filing.id"
    )
    decisions: Mapped[list["NotificationDecision"]] = relationship(
        back_populates="obligation", order_by="NotificationDecision.id"
    )
    documents: Mapped[list["Document"]] = relationship(
        back_populates="obligation", order_by="Document.id"
    )

    @property
    def key(self) -> tuple[str, str]:
        return self.rule_id, self.jurisdiction

    @property
    def frozen(self) -> bool:
        """Filed or decided: the engine no longer changes this row."""
        return self.status in ("submitted", "not_required")

    def effective_filings(self) -> list["Filing"]:
        """The filings not replaced by a correction, oldest first."""
        corrected = {filing.corrects_id for filing in self.filings if filing.corrects_id}
        return [filing for filing in self.filings if filing.id not in corrected]


class Filing(db.Model):
    """A submission of an obligation, write-once; a correction is a new row naming the old one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligation.id"), index=True)
    submitted_at: Mapped[datetime]
    due_at: Mapped[datetime | None]  # the deadline when it was filed: lateness is frozen here
    late: Mapped[bool] = mapped_column(default=False)
    recipient_reference: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    delay_reasons: Mapped[str] = mapped_column(Text, default="")
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("filing.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    obligation: Mapped[Obligation] = relationship(back_populates="filings")
    filed_by: Mapped[User] = relationship()
    document: Mapped["Document | None"] = relationship()


class NotificationDecision(db.Model):
    """A decision that an obligation is not required, with its rationale (Art. 33(5))."""

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligation.id"), index=True)
    rationale: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    obligation: Mapped[Obligation] = relationship(back_populates="decisions")
    decided_by: Mapped[User] = relationship()


append_only(Filing, NotificationDecision)
