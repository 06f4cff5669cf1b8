"""Assessments of an incident (ENISA severity, NIS2 significance, DORA classification): each save
is a new version, write-once, with its inputs, the method's proposal and the person's decision."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .common import append_only, enum_check, utcnow
from .incidents import Incident

ASSESSMENT_KINDS = ("enisa", "nis2", "dora")


class Assessment(db.Model):
    """One version of one assessment: the inputs, what the method proposed and why, and what the
    DPO confirmed (or the level they chose instead, with the reason)."""

    __table_args__ = (
        UniqueConstraint("incident_id", "kind", "version"),
        enum_check("kind", ASSESSMENT_KINDS, nullable=False),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    version: Mapped[int]
    inputs: Mapped[str] = mapped_column(Text)  # JSON: the form's values, to prefill the next one
    result: Mapped[str] = mapped_column(Text)  # JSON: score/level and every criterion with reason
    proposal: Mapped[str] = mapped_column(String(30))  # e.g. "high", "significant", "major"
    decision: Mapped[str] = mapped_column(String(30))  # what the person confirmed or chose
    override_reason: Mapped[str] = mapped_column(Text, default="")  # required when they differ
    summary: Mapped[str] = mapped_column(Text, default="")  # one paragraph for letters
    classified_at: Mapped[datetime | None]  # DORA: the classification instant (the clock anchor)
    assessed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow)

    incident: Mapped[Incident] = relationship()
    assessed_by: Mapped[User] = relationship()

    @property
    def overridden(self) -> bool:
        return self.decision != self.proposal


append_only(Assessment)
