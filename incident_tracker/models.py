"""ORM models: the register's rows. Instants are aware UTC (see db.UTCDateTime)."""

from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .core.facts import DoraEntity, GdprRisk, GdprRole, HipaaRole, Nis2Status
from .extensions import db

ROLES = ("admin", "dpo", "commander", "legal", "viewer")
GDPR_ROLES = tuple(map(str, GdprRole))
NIS2_STATUSES = tuple(map(str, Nis2Status))
DORA_ENTITY_TYPES = tuple(map(str, DoraEntity))
HIPAA_ROLES = tuple(map(str, HipaaRole))
INCIDENT_STATUSES = ("open", "contained", "closed")
SEVERITIES = ("low", "medium", "high", "critical")
GDPR_RISKS = tuple(map(str, GdprRisk))
OBLIGATION_STATUSES = (
    "open",
    "awaiting_anchor",
    "no_fixed_deadline",
    "submitted",
    "not_required",
    "no_longer_applicable",
)
PARTY_KINDS = ("vendor", "processor", "customer", "authority", "component", "other")
PARTY_ROLES = (
    "origin_vendor",
    "affected_customer",
    "our_processor",
    "our_controller",
    "upstream_component",
    "authority",
    "other",
)


def utcnow() -> datetime:
    """Return the current instant, aware, in UTC (the shell's clock; the core never reads it)."""
    return datetime.now(UTC)


def _enum_check(column: str, values: tuple[str, ...], nullable: bool = True) -> CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    condition = f"{column} IN ({allowed})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=f"{column}_allowed")


class User(UserMixin, db.Model):
    __table_args__ = (_enum_check("role", ROLES, nullable=False),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_active(self) -> bool:
        return self.active

    def set_password(self, password: str) -> None:
        """Hash with scrypt (Werkzeug's default KDF)."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class Organization(db.Model):
    """The reporting entity; one row (id 1)."""

    __table_args__ = (
        _enum_check("gdpr_role", GDPR_ROLES),
        _enum_check("nis2", NIS2_STATUSES),
        _enum_check("dora", DORA_ENTITY_TYPES),
        _enum_check("hipaa", HIPAA_ROLES),
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
)


class Incident(db.Model):
    __table_args__ = (
        _enum_check("status", INCIDENT_STATUSES, nullable=False),
        _enum_check("severity", SEVERITIES),
        _enum_check("gdpr_risk", GDPR_RISKS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
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


class AffectedJurisdiction(db.Model):
    """Who is affected where: an ISO 3166-1 country or a US-XX state, with approximate counts."""

    __table_args__ = (
        UniqueConstraint("incident_id", "code"),
        CheckConstraint("people >= 0", name="people_not_negative"),
        CheckConstraint("records IS NULL OR records >= 0", name="records_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(6), index=True)
    people: Mapped[int] = mapped_column(default=0)
    records: Mapped[int | None]

    incident: Mapped[Incident] = relationship(back_populates="jurisdictions")


class IncidentParty(db.Model):
    """A vendor, processor, customer, authority or software component involved in an incident."""

    __table_args__ = (
        _enum_check("kind", PARTY_KINDS, nullable=False),
        _enum_check("role", PARTY_ROLES, nullable=False),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(30))
    package_url: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(String(1000), default="")

    incident: Mapped[Incident] = relationship(back_populates="parties")


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


class Obligation(db.Model):
    """One notification owed for an incident: one row per (incident, rule, jurisdiction).

    Regenerated from the engine whenever the incident's facts change; once filed or decided
    "not required" it never changes again.
    """

    __table_args__ = (
        UniqueConstraint("incident_id", "rule_id", "jurisdiction"),
        _enum_check("status", OBLIGATION_STATUSES, nullable=False),
        Index("ix_obligation_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
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


class LetterTemplate(db.Model):
    """A letter or report template: shipped with the product (read-only) or a staff copy."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(1000), default="")
    rule_ids: Mapped[str] = mapped_column(String(1000), default="")  # obligations it suits
    shipped: Mapped[bool] = mapped_column(default=False)
    based_on: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    revisions: Mapped[list["TemplateRevision"]] = relationship(
        back_populates="template", order_by="TemplateRevision.number"
    )

    @property
    def current(self) -> "TemplateRevision":
        return self.revisions[-1]

    def suits(self, rule_id: str) -> bool:
        return rule_id in self.rule_ids.split()


class TemplateRevision(db.Model):
    """One saved text of a template: immutable, so every document can cite the exact text used."""

    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("letter_template.id"), index=True)
    number: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(300), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    template: Mapped[LetterTemplate] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class Document(db.Model):
    """A generated document, archived exactly as produced: its HTML, its PDF and their hashes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligation.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("template_revision.id"))
    title: Mapped[str] = mapped_column(String(300))
    html: Mapped[str] = mapped_column(Text)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    html_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    generated_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    generated_at: Mapped[datetime] = mapped_column(default=utcnow)

    obligation: Mapped[Obligation] = relationship(back_populates="documents")
    revision: Mapped[TemplateRevision] = relationship()
    generated_by: Mapped[User] = relationship()


@event.listens_for(TimelineEvent, "before_update")
@event.listens_for(TimelineEvent, "before_delete")
@event.listens_for(Filing, "before_update")
@event.listens_for(Filing, "before_delete")
@event.listens_for(NotificationDecision, "before_update")
@event.listens_for(NotificationDecision, "before_delete")
@event.listens_for(TemplateRevision, "before_update")
@event.listens_for(TemplateRevision, "before_delete")
@event.listens_for(Document, "before_update")
@event.listens_for(Document, "before_delete")
def _append_only(_mapper, _connection, target):
    raise PermissionError(f"{type(target).__name__} {target.id} is append-only")
