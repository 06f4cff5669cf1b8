"""A realistic synthetic register for benchmarks: years of incidents, most closed, a few live.

Each synthetic incident has affected places, data categories, parties (vendors, customers,
package-URL components), a timeline, and the obligations the real engine computes from its facts,
in every status: filed on time or late (with the filing row), decided "not required" (with the
rationale), no longer applicable, and, for live incidents, open, awaiting their anchor or without a
fixed deadline. Every incident and filing also gets its hash-chained audit row, extended from the
chain's head with the application's own digest, so `audit verify` still passes.

Rows are written with bulk INSERTs (explicit ids, a batch per transaction): the ORM path would
take hours at 100,000 incidents. Seeding is incremental: ``seed(app, 10_000)`` on a register of
1,000 synthetic incidents adds 9,000.

    python -m bench.seed --incidents 10000 [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, text, update

from incident_tracker.audit import trail as audit
from incident_tracker.core import engine
from incident_tracker.core.facts import Facts
from incident_tracker.extensions import db
from incident_tracker.incidents.regeneration import organization_facts
from incident_tracker.models import (
    AffectedJurisdiction,
    AuditEvent,
    AuditHead,
    DataCategory,
    Filing,
    Incident,
    IncidentParty,
    NotificationDecision,
    Obligation,
    Organization,
    ReferenceCounter,
    TimelineEvent,
    User,
    filter_index,
)
from incident_tracker.ops import demo

BATCH = 2_000
LIVE_SHARE = 0.03  # open or contained; the rest of the register is closed history
PLACES = ("IE", "DE", "FR", "NL", "ES", "IT", "PL", "GB", "US-CA", "US-NY", "US-TX", "US-FL")
WORDS = (
    "credential",
    "phishing",
    "ransomware",
    "misdirected",
    "e-mail",
    "laptop",
    "stolen",
    "bucket",
    "exposed",
    "supply-chain",
    "token",
    "leak",
    "payroll",
    "CRM",
    "backup",
    "vendor",
    "API",
    "insider",
    "misconfiguration",
    "scraping",
    "invoice",
    "portal",
    "VPN",
    "SSO",
    "database",
)
VENDORS = ("Acme Cloud", "Northwind Payroll", "Globex CRM", "Initech Mail", "Umbrella Hosting")
COMPONENTS = ("pkg:pypi/litellm@1.82.7", "pkg:npm/left-pad@1.3.0", "pkg:pypi/requests@2.31.0")
FILED_STATUSES = ("submitted", "submitted", "submitted", "not_required", "no_longer_applicable")


@dataclass
class Ids:
    """The next free id of each table written here (bulk rows carry explicit ids)."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


@dataclass
class Batch:
    """The rows of one transaction, by table."""

    rows: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, table: str, row: dict) -> None:
        self.rows.setdefault(table, []).append(row)


TABLES = {
    "incident": Incident,
    "affected_jurisdiction": AffectedJurisdiction,
    "incident_party": IncidentParty,
    "timeline_event": TimelineEvent,
    "obligation": Obligation,
    "filing": Filing,
    "notification_decision": NotificationDecision,
}


def synthetic_count() -> int:
    """How many incidents the seeder has written (their titles start with "Synthetic")."""
    return db.session.scalar(
        select(func.count()).select_from(Incident).where(Incident.title.like("Synthetic%"))
    )


def seed(total: int, now: datetime, rng_seed: int = 7) -> int:
    """Add synthetic incidents until there are `total`; return how many were added.

    Needs an application context on a migrated database; loads the demo (organization, users,
    templates) first when it is missing.
    """
    demo.load(now)
    start = synthetic_count()
    organization = db.session.get(Organization, 1)
    context = _Context.build(organization, now, random.Random(rng_seed + start))
    for first in range(start, total, BATCH):
        batch = Batch()
        for number in range(first, min(first + BATCH, total)):
            _incident(context, batch, number)
        _write(batch, context)
    _advance_sequences()
    _analyze()
    return max(0, total - start)


@dataclass
class _Context:
    organization: Organization
    org_facts: object
    now: datetime
    rng: random.Random
    ids: Ids
    author: User
    dpo: User
    categories: list[DataCategory]
    counters: dict[int, int]
    audit_last_id: int = 0
    audit_last_hash: str = ""

    @classmethod
    def build(cls, organization: Organization, now: datetime, rng: random.Random) -> _Context:
        head = db.session.get(AuditHead, 1)
        users = {user.role: user for user in db.session.scalars(select(User))}
        counters = {
            row.year: row.last_number for row in db.session.scalars(select(ReferenceCounter))
        }
        return cls(
            organization=organization,
            org_facts=organization_facts(organization),
            now=now,
            rng=rng,
            ids=Ids({name: _next_id(model) for name, model in TABLES.items()}),
            author=users["commander"],
            dpo=users["dpo"],
            categories=list(db.session.scalars(select(DataCategory))),
            counters=counters,
            audit_last_id=head.last_id,
            audit_last_hash=head.last_hash,
        )


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _incident(context: _Context, batch: Batch, number: int) -> None:
    rng = context.rng
    live = rng.random() < LIVE_SHARE
    aware_at = _aware_at(context, live)
    year = aware_at.year
    context.counters[year] = context.counters.get(year, 0) + 1
    incident_id = context.ids.take("incident")
    places = {code: rng.choice((0, 3, 40, 250, 1200, 60_000)) for code in _sample(rng, PLACES, 3)}
    personal = rng.random() < 0.8
    row = {
        "id": incident_id,
        "reference": f"INC-{year}-{context.counters[year]:04d}",
        "title": f"Synthetic {number}: {' '.join(_sample(rng, WORDS, 3))}",
        "summary": "Synthetic incident written by the benchmark seeder.",
        "status": rng.choice(("open", "contained")) if live else "closed",
        "severity": rng.choice(("low", "medium", "high", "critical")),
        "owner_id": context.author.id,
        "occurred_at": aware_at - timedelta(days=rng.randint(0, 20)),
        "detected_at": aware_at - timedelta(hours=rng.randint(1, 48)),
        "aware_at": aware_at,
        "discovered_at": aware_at - timedelta(hours=rng.randint(1, 48)),
        "breach_determined_at": None if live else aware_at + timedelta(days=2),
        "contained_at": None if live else aware_at + timedelta(days=3),
        "closed_at": None if live else aware_at + timedelta(days=40),
        "personal_data_breach": personal,
        "phi_breach": False,
        "gdpr_risk": rng.choice(("unlikely", "risk", "high")) if personal else None,
        "gdpr_risk_rationale": "Synthetic assessment.",
        "nis2_significant": rng.random() < 0.3,
        "created_at": aware_at + timedelta(hours=1),
        "updated_at": aware_at + timedelta(hours=2),
        "version": 1,
        **_blank_texts(),
    }
    batch.add("incident", row)
    for code, people in places.items():
        batch.add(
            "affected_jurisdiction",
            {
                "id": context.ids.take("affected_jurisdiction"),
                "incident_id": incident_id,
                "code": code,
                "people": people,
                "records": people,
            },
        )
    for category in _sample(rng, context.categories, 3):
        batch.add(
            "incident_data_category", {"incident_id": incident_id, "data_category_id": category.id}
        )
    _parties(context, batch, incident_id)
    _timeline(context, batch, incident_id, row)
    facts = Facts(
        organization=context.org_facts,
        personal_data_breach=personal,
        gdpr_risk=row["gdpr_risk"],
        nis2_significant=row["nis2_significant"],
        aware_at=aware_at,
        discovered_at=row["discovered_at"],
        breach_determined_at=row["breach_determined_at"],
        affected=places,
    )
    for duty in engine.compute(facts).obligations:
        _obligation(context, batch, incident_id, duty, live)
    _audit(context, batch, "incident", incident_id, incident_id, {"reference": row["reference"]})


def _blank_texts() -> dict:
    return {
        name: ""
        for name in ("root_cause", "consequences", "measures_taken", "nis2_significance_rationale")
    }


def _aware_at(context: _Context, live: bool) -> datetime:
    rng = context.rng
    if live:  # live incidents are recent: their clocks run now
        return context.now - timedelta(minutes=rng.randint(10, 6 * 24 * 60))
    return context.now - timedelta(days=rng.randint(60, 7 * 365), minutes=rng.randint(0, 1440))


def _sample(rng: random.Random, items, most: int) -> list:
    return rng.sample(list(items), rng.randint(1, most))


def _parties(context: _Context, batch: Batch, incident_id: int) -> None:
    rng = context.rng
    rows = [(rng.choice(VENDORS), "vendor", "origin_vendor", None)]
    if rng.random() < 0.3:
        purl = rng.choice(COMPONENTS)
        rows.append((purl.split("/")[-1], "component", "upstream_component", purl))
    for name, kind, role, purl in rows:
        batch.add(
            "incident_party",
            {
                "id": context.ids.take("incident_party"),
                "incident_id": incident_id,
                "name": name,
                "kind": kind,
                "role": role,
                "package_url": purl,
                "notes": "",
            },
        )


def _timeline(context: _Context, batch: Batch, incident_id: int, incident: dict) -> None:
    events = [(incident["aware_at"], "created", "Incident recorded.")]
    events.append((incident["aware_at"] + timedelta(hours=3), "note", "Containment started."))
    if incident["closed_at"]:
        events.append((incident["closed_at"], "edited", "Status changed to closed."))
    for at, kind, words in events:
        batch.add(
            "timeline_event",
            {
                "id": context.ids.take("timeline_event"),
                "incident_id": incident_id,
                "occurred_at": at,
                "recorded_at": at,
                "actor_id": context.author.id,
                "kind": kind,
                "text": words,
            },
        )


def _obligation(context: _Context, batch: Batch, incident_id: int, duty, live: bool) -> None:
    rng = context.rng
    status = str(duty.status)
    if not live or rng.random() < 0.15:
        status = rng.choice(FILED_STATUSES)
    obligation_id = context.ids.take("obligation")
    stamp = duty.anchor_at or context.now
    batch.add(
        "obligation",
        {
            "id": obligation_id,
            "incident_id": incident_id,
            "rule_id": duty.id,
            "jurisdiction": duty.jurisdiction,
            "regime": duty.regime,
            "title": duty.title,
            "recipient": duty.recipient,
            "basis": duty.basis,
            "anchor": duty.anchor,
            "anchor_at": duty.anchor_at,
            "due_at": duty.due_at,
            "status": status,
            "starts_when": duty.starts_when,
            "relief": duty.relief,
            "reason": "Synthetic: no longer applicable."
            if status == "no_longer_applicable"
            else None,
            "created_at": stamp,
            "updated_at": stamp,
        },
    )
    if status == "submitted":
        _filing(context, batch, incident_id, obligation_id, duty)
    elif status == "not_required":
        batch.add(
            "notification_decision",
            {
                "id": context.ids.take("notification_decision"),
                "obligation_id": obligation_id,
                "rationale": "Synthetic: risk unlikely (Art. 33(1)).",
                "decided_by_id": context.dpo.id,
                "decided_at": stamp,
            },
        )


def _filing(context: _Context, batch: Batch, incident_id: int, obligation_id: int, duty) -> None:
    base = duty.due_at or duty.anchor_at or context.now
    submitted_at = base + timedelta(hours=context.rng.choice((-30, -5, -1, 2)))
    filing_id = context.ids.take("filing")
    late = duty.due_at is not None and submitted_at > duty.due_at
    batch.add(
        "filing",
        {
            "id": filing_id,
            "obligation_id": obligation_id,
            "submitted_at": submitted_at,
            "due_at": duty.due_at,
            "late": late,
            "recipient_reference": f"REF-{filing_id}",
            "note": "",
            "delay_reasons": "Synthetic: the scope was unclear." if late else "",
            "corrects_id": None,
            "document_id": None,
            "filed_by_id": context.dpo.id,
            "recorded_at": submitted_at,
        },
    )
    _audit(context, batch, "filing", filing_id, incident_id, {"obligation_id": obligation_id})


def _audit(
    context: _Context, batch: Batch, entity: str, entity_id: int, incident_id: int, after: dict
) -> None:
    context.audit_last_id += 1
    row = {
        "id": context.audit_last_id,
        "at": context.now,
        "actor_id": None,
        "actor": "command line (benchmark seeder)",
        "address": None,
        "action": "insert",
        "entity": entity,
        "entity_id": str(entity_id),
        "incident_id": incident_id,
        "before": None,
        "after": json.dumps(after, sort_keys=True),
        "prev_hash": context.audit_last_hash,
    }
    row["hash"] = context.audit_last_hash = audit.digest(row)
    batch.add("audit_event", row)


ORDER = (
    "incident",
    "affected_jurisdiction",
    "incident_data_category",
    "incident_party",
    "timeline_event",
    "obligation",
    "filing",
    "notification_decision",
    "audit_event",
)


def _write(batch: Batch, context: _Context) -> None:
    """One transaction: the batch's rows, the reference counters and the audit head."""
    connection = db.session.connection()
    tables = db.metadata.tables
    for name in ORDER:
        if batch.rows.get(name):
            connection.execute(_insert(tables[name]), batch.rows[name])
    for year, last in context.counters.items():
        _set_counter(year, last)
    connection.execute(
        update(AuditEvent.metadata.tables["audit_head"])
        .where(AuditHead.id == 1)
        .values(last_id=context.audit_last_id, last_hash=context.audit_last_hash)
    )
    db.session.commit()


def _insert(table):
    """An INSERT of many rows; into the tables with PostgreSQL statement triggers (the filter
    codes, migration 0010), with RETURNING, which SQLAlchemy sends as one statement per thousand
    rows ("insertmanyvalues") rather than one per row: the triggers then fire per thousand rows.
    Not for the wide tables: psycopg's parsing of so long a statement costs more than it saves."""
    if table.name in filter_index.SOURCES:
        return table.insert().returning(*table.primary_key.columns)
    return table.insert()


def _set_counter(year: int, last: int) -> None:
    counter = db.session.get(ReferenceCounter, year)
    if counter is None:
        db.session.add(ReferenceCounter(year=year, last_number=last))
    else:
        counter.last_number = last
    db.session.flush()


def _advance_sequences() -> None:
    """On PostgreSQL, move each serial sequence past the explicit ids written here."""
    if db.engine.dialect.name != "postgresql":
        return
    for name in TABLES:
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
            )
        )
    db.session.commit()


def _analyze() -> None:
    """Refresh the planner's statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite)
    would on a database that grew over years rather than in a minute."""
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if db.engine.dialect.name == "postgresql":
            connection.execute(text("VACUUM ANALYZE"))
        else:
            connection.execute(text("ANALYZE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, required=True)
    parser.add_argument("--database-url", help="default: the app's configured database")
    options = parser.parse_args()
    if options.database_url:
        os.environ["INCIDENT_TRACKER_DATABASE_URL"] = options.database_url
    from flask_migrate import upgrade

    from incident_tracker.app import create_app

    app = create_app()
    with app.app_context():
        upgrade()
        added = seed(options.incidents, datetime.now(UTC))
        print(f"added {added} synthetic incidents; {synthetic_count()} in all")


if __name__ == "__main__":
    main()
