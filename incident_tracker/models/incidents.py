"""Incidents and what they touch: data categories, places, parties, and their timeline."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .common import (
    COUNT,
    GDPR_RISKS,
    INCIDENT_STATUSES,
    PARTY_KINDS,
    PARTY_ROLES,
    SEVERITIES,
    append_only,
    enum_check,
    utcnow,
)

if TYPE_CHECKING:
    from .obligations import Obligation
    from .supply_chain import Counterparty


class ReferenceCounter(db.Model):
    """The last incident number given out in a year; incremented inside the creating transaction."""

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class DataCategory(db.Model):
    """The controlled vocabulary of data categories (seeded by a migration)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(400), default="")
    personal: Mapped[bool] = mapped_column(default=True)
    special_category: Mapped[bool] = mapped_column(default=False)
    phi: Mapped[bool] = mapped_column(default=False)
    sort_order: Mapped[int] = mapped_column(default=0)


incident_data_category = db.Table(
    "incident_data_category",
    db.Column("incident_id", ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True),
    db.Column("data_category_id", ForeignKey("data_category.id"), primary_key=True),
    # The list's category filter starts from one category's incidents.
    Index("ix_incident_data_category_category", "data_category_id", "incident_id"),
)


class Incident(db.Model):
    __table_args__ = (
        enum_check("status", INCIDENT_STATUSES, nullable=False),
        enum_check("severity", SEVERITIES),
        enum_check("gdpr_risk", GDPR_RISKS),
        # The live incidents' ids answered from the index alone (PostgreSQL's indexes do not
        # carry the row id as SQLite's do).
        Index("ix_incident_status_id", "status", "id"),
        # The list filtered by status, newest first, read in the index's order.
        Index("ix_incident_status_created_at", "status", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    severity: Mapped[str | None] = mapped_column(String(20))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    occurred_at: Mapped[datetime | None]
    detected_at: Mapped[datetime | None]
    aware_at: Mapped[datetime | None]
    dora_classified_major_at: Mapped[datetime | None]
    sec_materiality_determined_at: Mapped[datetime | None]
    discovered_at: Mapped[datetime | None]
    breach_determined_at: Mapped[datetime | None]
    contained_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    personal_data_breach: Mapped[bool] = mapped_column(default=False)
    phi_breach: Mapped[bool] = mapped_column(default=False)
    malicious: Mapped[bool | None]
    cross_border: Mapped[bool | None]
    root_cause: Mapped[str] = mapped_column(Text, default="")
    consequences: Mapped[str] = mapped_column(Text, default="")
    measures_taken: Mapped[str] = mapped_column(Text, default="")
    gdpr_risk: Mapped[str | None] = mapped_column(String(20))
    gdpr_risk_rationale: Mapped[str] = mapped_column(Text, default="")
    nis2_significant: Mapped[bool | None]
    nis2_significance_rationale: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)  # bumped by every save; a stale form is refused

    owner: Mapped["User | None"] = relationship()
    data_categories: Mapped[list[DataCategory]] = relationship(
        secondary=incident_data_category, order_by=DataCategory.sort_order
    )
    jurisdictions: Mapped[list["AffectedJurisdiction"]] = relationship(
        back_populates="incident",
        cascade="all, delete-orphan",
        order_by="AffectedJurisdiction.code",
    )
    parties: Mapped[list["IncidentParty"]] = relationship(
        back_populates="incident", cascade="all, delete-orphan", order_by="IncidentParty.id"
    )
    events: Mapped[list["TimelineEvent"]] = relationship(
        back_populates="incident", order_by="TimelineEvent.id"
    )
    obligations: Mapped[list["Obligation"]] = relationship(
        back_populates="incident", order_by="Obligation.id"
    )

    @property
    def people_total(self) -> int:
        """The people affected in every place together (each place's approximate count)."""
        return sum(place.people for place in self.jurisdictions)


class AffectedJurisdiction(db.Model):
    """Who is affected where: an ISO 3166-1 country or a US-XX state, with approximate counts."""

    __table_args__ = (
        UniqueConstraint("incident_id", "code"),
        # The list's place filter (code, people > 0) answered from the index alone.
        Index("ix_affected_jurisdiction_code_people", "code", "people", "incident_id"),
        CheckConstraint("people >= 0", name="people_not_negative"),
        CheckConstraint("records IS NULL OR records >= 0", name="records_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(6))
    people: Mapped[int] = mapped_column(COUNT, default=0)
    records: Mapped[int | None] = mapped_column(COUNT)

    incident: Mapped[Incident] = relationship(back_populates="jurisdictions")


class IncidentParty(db.Model):
    """A vendor, processor, customer, authority or software component involved in an incident."""

    __table_args__ = (
        enum_check("kind", PARTY_KINDS, nullable=False),
        enum_check("role", PARTY_ROLES, nullable=False),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(30))
    package_url: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(String(1000), default="")
    # The counterparty in the supply-chain register, whose contracts then apply to the incident.
    counterparty_id: Mapped[int | None] = mapped_column(ForeignKey("counterparty.id"), index=True)

    incident: Mapped[Incident] = relationship(back_populates="parties")
    counterparty: Mapped["Counterparty | None"] = relationship()


class TimelineEvent(db.Model):
    """An append-only entry in an incident's history."""

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    occurred_at: Mapped[datetime]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)

    incident: Mapped[Incident] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


append_only(TimelineEvent)
