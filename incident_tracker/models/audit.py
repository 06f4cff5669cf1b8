"""The audit trail: append-only rows, each carrying the hash of the one before it."""

import json
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .common import append_only

GENESIS = "0" * 64


class AuditEvent(db.Model):
    """One change to one row: who, when, from where, what, before and after; hash-chained."""

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # gapless: head + 1
    at: Mapped[datetime]
    actor_id: Mapped[int | None]
    actor: Mapped[str] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(10))
    entity: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[str] = mapped_column(String(40))
    incident_id: Mapped[int | None] = mapped_column(index=True)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every value this change set or altered."""
        before = json.loads(self.before) if self.before else {}
        after = json.loads(self.after) if self.after else {}
        names = sorted(set(before) | set(after))
        return [
            (name, before.get(name), after.get(name))
            for name in names
            if before.get(name) != after.get(name)
        ]


class AuditHead(db.Model):
    """The end of the chain (one row): the last id and hash, locked while the chain grows."""

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


append_only(AuditEvent)
