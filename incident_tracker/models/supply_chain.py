"""The supply chain: the parties we deal with, their contracts and notice clauses, the software
components our systems and vendors use, compromised releases, notices received from vendors and
the notices we send our customers."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.contracts import Direction, Scope, Trigger, Unit
from ..extensions import db
from .accounts import User
from .common import COUNT, enum_check, utcnow
from .documents import Document
from .incidents import Incident

COUNTERPARTY_KINDS = ("vendor", "processor", "customer", "other")
DIRECTIONS = tuple(map(str, Direction))
TRIGGERS = tuple(map(str, Trigger))
UNITS = tuple(map(str, Unit))
SCOPES = tuple(map(str, Scope))

served_customer = db.Table(  # whose data an internal system or a vendor holds
    "served_customer",
    db.Column("id", db.Integer, primary_key=True),
    db.Column("system_id", ForeignKey("system.id", ondelete="CASCADE"), nullable=True),
    db.Column("vendor_id", ForeignKey("counterparty.id", ondelete="CASCADE"), nullable=True),
    db.Column("customer_id", ForeignKey("counterparty.id", ondelete="CASCADE"), nullable=False),
    CheckConstraint("(system_id IS NULL) <> (vendor_id IS NULL)", name="one_holder"),
    UniqueConstraint("system_id", "vendor_id", "customer_id"),
)


class Counterparty(db.Model):
    """A vendor, processor or customer the organization has a relationship (and contracts) with."""

    __table_args__ = (enum_check("kind", COUNTERPARTY_KINDS, nullable=False),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(6))
    timezone: Mapped[str] = mapped_column(String(60), default="UTC")  # the customer's clocks
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    language: Mapped[str] = mapped_column(String(10), default="en")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contracts: Mapped[list["Contract"]] = relationship(
        back_populates="counterparty", order_by="Contract.id", cascade="all, delete-orphan"
    )
    customers: Mapped[list["Counterparty"]] = relationship(
        secondary=served_customer,
        primaryjoin=lambda: Counterparty.id == served_customer.c.vendor_id,
        secondaryjoin=lambda: Counterparty.id == served_customer.c.customer_id,
        order_by=lambda: Counterparty.name,
        overlaps="customers",  # System.customers writes other rows of the same table
    )


class Contract(db.Model):
    """A data processing or master agreement with a counterparty, under a governing law."""

    id: Mapped[int] = mapped_column(primary_key=True)
    counterparty_id: Mapped[int] = mapped_column(ForeignKey("counterparty.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    reference: Mapped[str] = mapped_column(String(40), default="")
    governing_law: Mapped[str] = mapped_column(String(6))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    counterparty: Mapped[Counterparty] = relationship(back_populates="contracts")
    clauses: Mapped[list["NoticeClause"]] = relationship(
        back_populates="contract", order_by="NoticeClause.id", cascade="all, delete-orphan"
    )


class NoticeClause(db.Model):
    """Who notifies whom, from what, within how long, with what content (core.contracts.Clause)."""

    __table_args__ = (
        enum_check("direction", DIRECTIONS, nullable=False),
        enum_check("trigger", TRIGGERS, nullable=False),
        enum_check("unit", UNITS, nullable=False),
        enum_check("applies_to", SCOPES, nullable=False),
        CheckConstraint(
            "(unit = 'without_undue_delay' AND amount IS NULL)"
            " OR (unit <> 'without_undue_delay' AND amount BETWEEN 1 AND 9999)",
            name="amount_fits_unit",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    slug: Mapped[str] = mapped_column(String(50), unique=True)  # obligation id contract.<slug>
    reference: Mapped[str] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(10), default="outbound")
    trigger: Mapped[str] = mapped_column(String(20), default="awareness")
    unit: Mapped[str] = mapped_column(String(30))
    amount: Mapped[int | None]
    applies_to: Mapped[str] = mapped_column(String(30), default="security_incident")
    content: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(100), default="")
    recipient_contact: Mapped[str] = mapped_column(String(150), default="")
    language: Mapped[str] = mapped_column(String(10), default="en")

    contract: Mapped[Contract] = relationship(back_populates="clauses")


class System(db.Model):
    """An internal system: what it runs (component uses) and whose data it holds."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")

    customers: Mapped[list[Counterparty]] = relationship(
        secondary=served_customer,
        primaryjoin=lambda: System.id == served_customer.c.system_id,
        secondaryjoin=lambda: Counterparty.id == served_customer.c.customer_id,
        order_by=lambda: Counterparty.name,
        overlaps="customers",  # Counterparty.customers writes other rows of the same table
    )


class ComponentUse(db.Model):
    """A package (package URL without version) used in a range of versions by a system or vendor."""

    __table_args__ = (
        CheckConstraint("(system_id IS NULL) <> (vendor_id IS NULL)", name="one_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    package: Mapped[str] = mapped_column(String(200), index=True)  # pkg:pypi/litellm
    versions: Mapped[str] = mapped_column(String(200))  # PEP 440 specifiers: ">=1.82,<1.83"
    system_id: Mapped[int | None] = mapped_column(ForeignKey("system.id", ondelete="CASCADE"))
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("counterparty.id", ondelete="CASCADE"))

    system: Mapped[System | None] = relationship()
    vendor: Mapped[Counterparty | None] = relationship()


class CompromisedRelease(db.Model):
    """A release known to be malicious, e.g. pkg:pypi/litellm@1.82.7; write-once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    package_url: Mapped[str] = mapped_column(String(300), unique=True)
    advisory: Mapped[str] = mapped_column(Text, default="")
    known_at: Mapped[datetime]  # when we learned of it: the awareness of the incidents it opens
    marked_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)

    marked_by: Mapped[User] = relationship()


class VendorNotice(db.Model):
    """A notice received from a vendor, with its letter archived exactly as received."""

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("counterparty.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"), index=True)
    received_at: Mapped[datetime]
    summary: Mapped[str] = mapped_column(Text)
    components: Mapped[str] = mapped_column(Text, default="")
    data_involved: Mapped[str] = mapped_column(Text, default="")
    letter: Mapped[bytes | None] = mapped_column(LargeBinary)
    letter_name: Mapped[str] = mapped_column(String(200), default="")
    letter_sha256: Mapped[str] = mapped_column(String(64), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    vendor: Mapped[Counterparty] = relationship()
    incident: Mapped[Incident | None] = relationship()
    recorded_by: Mapped[User] = relationship()


class CustomerNotice(db.Model):
    """Our notice to one customer about one incident: drafted, sent, acknowledged."""

    __table_args__ = (UniqueConstraint("incident_id", "customer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("counterparty.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    people: Mapped[int | None] = mapped_column(COUNT)  # of this customer's data subjects, if known
    sent_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    incident: Mapped[Incident] = relationship()
    customer: Mapped[Counterparty] = relationship()
    document: Mapped[Document | None] = relationship()
