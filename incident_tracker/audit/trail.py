"""The tamper-evident audit trail: every change to an audited row, hash-chained, verifiable.

A session hook records, after each flush, what was inserted, updated or deleted (before and
after), who did it and from which address, and appends the rows to the chain in the same
transaction. The chain's head row is locked while it grows, so concurrent writers (several
gunicorn workers, several hosts) extend one chain in one order.
"""

import getpass
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import Flask, has_request_context, request
from flask_login import current_user
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import (
    GENESIS,
    AuditEvent,
    AuditHead,
    LoginAttempt,
    LoginThrottle,
    ReferenceCounter,
    ReminderSent,
    utcnow,
)

NOT_AUDITED = (AuditEvent, AuditHead, LoginAttempt, LoginThrottle, ReferenceCounter, ReminderSent)
HIDDEN = {"pdf": None, "html": None}  # documents are audited by their hashes
SECRETS = {
    "password_hash",
    "password_history",  # the hashes of the passwords before
    "token_hash",
}  # audited as a fingerprint: a change shows, the secret not
COLLECTIONS = {"data_categories", "customers"}  # many-to-many changes recorded on their owner


def init_app(app: Flask) -> None:
    """Nothing to configure per app: the hook is registered once for every session."""


@event.listens_for(Session, "after_flush")
def _record(session: Session, _context) -> None:
    changes = [_change(obj, "insert") for obj in session.new if _audited(obj)]
    changes += [
        _change(obj, "update")
        for obj in session.dirty
        if _audited(obj) and session.is_modified(obj)
    ]
    changes += [_change(obj, "delete") for obj in session.deleted if _audited(obj)]
    changes = [change for change in changes if change.before != change.after]
    if changes:
        _append(session, changes)


def session_event(action: str, email: str, user_id: int | None = None) -> None:
    """Chain a login ("login"), a failed login ("failed") or a logout ("logout") into the trail,
    in the request's transaction (the caller commits)."""
    entity_id = str(user_id) if user_id is not None else "unknown"
    change = Change(action, "session", entity_id, None, None, {"email": email})
    _append(db.session, [change])


def _audited(obj) -> bool:
    return not isinstance(obj, NOT_AUDITED)


@dataclass
class Change:
    action: str
    entity: str
    entity_id: str
    incident_id: int | None
    before: dict | None
    after: dict | None


def _change(obj, action: str) -> Change:
    state = inspect(obj)
    before, after = _values(state, action)
    return Change(
        action, state.mapper.local_table.name, _identity(state), _incident_of(obj), before, after
    )


def _values(state, action: str) -> tuple[dict | None, dict | None]:
    before, after = {}, {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if action == "update" and not history.has_changes():
            continue
        old = (
            history.deleted[0]
            if history.deleted
            else (history.unchanged[0] if history.unchanged else None)
        )
        new = (
            history.added[0]
            if history.added
            else (history.unchanged[0] if history.unchanged else None)
        )
        before[attr.key], after[attr.key] = _plain(attr.key, old), _plain(attr.key, new)
    for name in COLLECTIONS & set(state.mapper.relationships.keys()):
        history = state.attrs[name].history
        if history.has_changes() or action != "update":
            before[name] = sorted(item.id for item in (*history.unchanged, *history.deleted))
            after[name] = sorted(item.id for item in (*history.unchanged, *history.added))
    return (None if action == "insert" else before), (None if action == "delete" else after)


def _plain(name: str, value):
    if name in HIDDEN:
        return None
    if name in SECRETS and value is not None:
        return "fingerprint:" + hashlib.sha256(f"audit:{value}".encode()).hexdigest()[:12]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _identity(state) -> str:
    key = state.identity or state.mapper.primary_key_from_instance(state.obj())
    return ",".join(str(part) for part in key)


def _incident_of(obj) -> int | None:
    if type(obj).__name__ == "Incident":
        return obj.id
    incident_id = getattr(obj, "incident_id", None)
    if incident_id is None and getattr(obj, "obligation", None) is not None:
        incident_id = obj.obligation.incident_id
    return incident_id


def _who() -> tuple[int | None, str, str | None]:
    if has_request_context():
        address = request.remote_addr
        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.email, address
        return None, "anonymous", address
    return None, f"command line ({getpass.getuser()})", None


def _append(session: Session, changes: list[Change]) -> None:
    """Lock the head, chain the new rows after it, move the head (all in this transaction)."""
    connection = session.connection()
    head = connection.execute(
        select(AuditHead.__table__).where(AuditHead.id == 1).with_for_update()
    ).one()
    last_id, last_hash = head.last_id, head.last_hash
    actor_id, actor, address = _who()
    rows = []
    for change in changes:
        last_id += 1
        row = {
            "id": last_id,
            "at": utcnow(),
            "actor_id": actor_id,
            "actor": actor,
            "address": address,
            "action": change.action,
            "entity": change.entity,
            "entity_id": change.entity_id,
            "incident_id": change.incident_id,
            "before": _json(change.before),
            "after": _json(change.after),
            "prev_hash": last_hash,
        }
        row["hash"] = last_hash = digest(row)
        rows.append(row)
    connection.execute(AuditEvent.__table__.insert(), rows)
    connection.execute(
        update(AuditHead.__table__)
        .where(AuditHead.id == 1)
        .values(last_id=last_id, last_hash=last_hash)
    )


def _json(values: dict | None) -> str | None:
    return (
        None
        if values is None
        else json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    )


FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor",
    "address",
    "action",
    "entity",
    "entity_id",
    "incident_id",
    "before",
    "after",
)


def digest(row: dict) -> str:
    """The hash of a row: SHA-256 of the previous hash and the row's canonical JSON."""
    content = {name: row[name] for name in FIELDS}
    content["at"] = _utc_text(content["at"])
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((row["prev_hash"] + canonical).encode("utf-8")).hexdigest()


def _utc_text(value) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


@dataclass(frozen=True)
class Verdict:
    intact: bool
    rows: int
    message: str


def verify() -> Verdict:
    """Walk the chain in order and name the first altered, inserted or deleted row."""
    previous_hash, expected_id = GENESIS, 1
    for row in _rows_in_order():
        problem = _problem(row, expected_id, previous_hash)
        if problem:
            return Verdict(False, expected_id - 1, problem)
        previous_hash, expected_id = row["hash"], expected_id + 1
    head = db.session.get(AuditHead, 1)
    count = expected_id - 1
    if head is None or head.last_id != count or head.last_hash != previous_hash:
        last = "none" if head is None else head.last_id
        return Verdict(
            False,
            count,
            f"the chain ends at row {count} but its head says row {last}: rows were deleted",
        )
    return Verdict(True, count, f"audit chain intact: {count} rows, last hash {previous_hash}")


def _rows_in_order(batch: int = 1000):
    """Every audit row by id, a batch at a time (no cursor is left open on an early stop)."""
    table, last = AuditEvent.__table__, None
    while True:
        statement = select(table).order_by(table.c.id).limit(batch)
        if last is not None:
            statement = statement.where(table.c.id > last)
        rows = [dict(row) for row in db.session.execute(statement).mappings()]
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1]["id"]


def _problem(row: dict, expected_id: int, previous_hash: str) -> str | None:
    if row["id"] != expected_id:
        return f"row {expected_id} is missing (deleted); the next row is {row['id']}"
    if row["prev_hash"] != previous_hash:
        return f"row {row['id']} does not follow row {expected_id - 1} (inserted or reordered)"
    if digest(row) != row["hash"]:
        return (
            f"row {row['id']} was altered ({row['action']} of {row['entity']} {row['entity_id']})"
        )
    return None


def history(
    incident_id: int | None = None, entity: str | None = None, limit: int = 200
) -> list[AuditEvent]:
    """The newest audit rows, for one incident or one kind of row if asked."""
    statement = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if incident_id is not None:
        statement = statement.where(AuditEvent.incident_id == incident_id)
    if entity:
        statement = statement.where(AuditEvent.entity == entity)
    return list(db.session.execute(statement).scalars())
