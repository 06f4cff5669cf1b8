"""Letter templates, their immutable revisions, and archived documents."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .common import append_only, utcnow
from .obligations import Obligation


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


append_only(TemplateRevision, Document)
