"""An incident's append-only history, and the words for what an edit changed."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ..extensions import db
from ..models import Incident, TimelineEvent, User, utcnow
from ..web.localtime import display

EXCERPT = 80
PHRASES = {
    "occurred_at": "occurrence time",
    "detected_at": "detection time",
    "aware_at": "awareness time",
    "dora_classified_major_at": "DORA major-incident classification time",
    "sec_materiality_determined_at": "SEC materiality determination time",
    "discovered_at": "discovery time",
    "breach_determined_at": "breach determination time",
    "contained_at": "containment time",
    "closed_at": "closure time",
    "gdpr_risk": "GDPR risk",
    "owner_id": "owner",
    "nis2_significant": "NIS2 significance",
    "phi_breach": "unsecured PHI breach",
    "personal_data_breach": "personal data breach",
    "gdpr_risk_rationale": "reasons for the GDPR risk",
    "nis2_significance_rationale": "reasons for the NIS2 significance",
}


@dataclass(frozen=True, slots=True)
class Shown:
    """A timeline entry as the incident page shows it, read as plain columns: the demo's 30
    entries as ORM objects with their actors cost 2.9 ms on PostgreSQL and 1.6 on SQLite, as
    rows 1.8 and 0.6 (bench/RESULTS.md)."""

    occurred_at: datetime
    kind: str
    text: str
    actor: str | None  # the actor's e-mail address


def shown(incident_id: int) -> list[Shown]:
    """The incident's timeline, oldest first (entries of the same instant in the order recorded)."""
    statement = (
        db.select(TimelineEvent.occurred_at, TimelineEvent.kind, TimelineEvent.text, User.email)
        .outerjoin(User, User.id == TimelineEvent.actor_id)
        .where(TimelineEvent.incident_id == incident_id)
        .order_by(TimelineEvent.occurred_at, TimelineEvent.id)
    )
    return [Shown(*row) for row in db.session.execute(statement)]


def record(incident: Incident, kind: str, text: str, actor: User | None, at=None) -> TimelineEvent:
    """Append an event to the incident's timeline (added to the session by the relationship)."""
    event = TimelineEvent(kind=kind, text=text, occurred_at=at or utcnow())
    event.actor = getattr(actor, "_get_current_object", lambda: actor)()  # unwrap current_user
    incident.events.append(event)
    return event


def snapshot(incident: Incident, fields: tuple[str, ...]) -> dict[str, object]:
    """The values an edit may change, in a comparable form."""
    values = {name: getattr(incident, name) for name in fields}
    if "owner_id" in values:
        owner = db.session.get(User, values["owner_id"]) if values["owner_id"] else None
        values["owner_id"] = owner.email if owner else None
    values["data_categories"] = sorted(category.name for category in incident.data_categories)
    values["jurisdictions"] = sorted(_jurisdiction_text(row) for row in incident.jurisdictions)
    values["parties"] = sorted(_party_text(row) for row in incident.parties)
    return values


def _jurisdiction_text(row) -> str:
    records = "" if row.records is None else f", {row.records} records"
    return f"{row.code} ({row.people} people{records})"


def _party_text(row) -> str:
    package = f" {row.package_url}" if row.package_url else ""
    return f"{row.name} ({row.role.replace('_', ' ')}){package}"


def changes(before: dict, after: dict, tz: ZoneInfo, actor: User) -> list[str]:
    """One sentence per changed value: "awareness time changed from ... to ... by ..."."""
    return [
        f"{phrase(name)} changed from {show_value(before[name], tz)} "
        f"to {show_value(after[name], tz)} by {actor.email}"
        for name in after
        if before.get(name) != after[name]
    ]


def phrase(name: str) -> str:
    return PHRASES.get(name, name.replace("_", " "))


def show_value(value: object, tz: ZoneInfo) -> str:
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, datetime):
        return display(value, tz)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(value)
    text = str(value).replace("\n", " ")
    return f'"{text[:EXCERPT]}…"' if len(text) > EXCERPT else f'"{text}"'


def because(before: dict, after: dict) -> str:
    """The reason for regenerated deadlines: "because the awareness time and GDPR risk changed"."""
    changed = [phrase(name) for name in after if before.get(name) != after[name]]
    if not changed:
        return "because the incident was saved"
    listed = changed[0] if len(changed) == 1 else ", ".join(changed[:-1]) + " and " + changed[-1]
    return f"because the {listed} changed"
