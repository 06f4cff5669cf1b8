"""Recording and changing incidents: one path for the web forms and the JSON API.

Callers hand in plain values (already validated); this module applies them, writes the timeline,
regenerates the obligations and leaves the commit to the caller.
"""

from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from ..extensions import db
from ..models import (
    AffectedJurisdiction,
    Counterparty,
    DataCategory,
    Incident,
    IncidentParty,
    Organization,
    User,
    utcnow,
)
from ..web import versions
from . import contracts, determinations, instants, timeline
from .references import next_reference
from .regeneration import regenerate

SCALAR_FIELDS = (
    "title",
    "summary",
    "status",
    "severity",
    "owner_id",
    *instants.INSTANTS,
    "personal_data_breach",
    "phi_breach",
    "malicious",
    "cross_border",
    "root_cause",
    "consequences",
    "measures_taken",
    "gdpr_risk",
    "gdpr_risk_rationale",
    "nis2_significant",
    "nis2_significance_rationale",
)


@dataclass
class Changes:
    """What to set on an incident; None for a list means "leave it as it is"."""

    scalars: dict = field(default_factory=dict)
    category_ids: list[int] | None = None
    places: list[dict] | None = None  # {"code", "people", "records"}
    parties: list[dict] | None = None  # {"name", "kind", "role", "package_url", "notes"}


def record(changes: Changes, org: Organization, actor: User) -> Incident:
    """Create an incident with the next reference of the year, its timeline and its obligations."""
    incident = Incident(reference=next_reference(utcnow().astimezone(ZoneInfo(org.timezone)).year))
    proposals = determinations.withheld(None, changes.scalars, actor)
    _apply(_without(changes, proposals), incident)
    db.session.add(incident)
    timeline.record(
        incident, "created", f"Incident {incident.reference} recorded by {actor.email}", actor
    )
    _propose(incident, proposals, org, actor)
    regenerate(incident, org, actor, "because the incident was recorded")
    return incident


class Stale(Exception):
    """The incident changed since the caller's form or request read it."""


ANY_VERSION = object()  # a writer that read no form of the incident (a decision, a release)


def change(
    incident: Incident,
    changes: Changes,
    org: Organization,
    actor: User,
    version: int | None | object,
) -> "Saved":
    """Apply changes; one timeline sentence per changed value; regenerate the obligations.

    Every writer of an incident's facts comes here, and first claims the incident's version, which
    also locks its row until the commit: `version` is the one the caller's form or request read
    (None or another one raises Stale, and nothing is changed); ANY_VERSION, for a writer that
    read no form of the incident (an assessment's decision, opening from a release), bumps it,
    so that an edit form read before the decision is stale and cannot set its facts back. A legal
    determination the actor may not lower is not applied but proposed (determinations.py)."""
    if version is ANY_VERSION:
        versions.bump(Incident, incident.id)
    elif not versions.claim(Incident, incident.id, version):
        raise Stale(f"{incident.reference} changed since version {version}")
    proposals = determinations.withheld(incident, changes.scalars, actor)
    before = timeline.snapshot(incident, SCALAR_FIELDS)
    _apply(_without(changes, proposals), incident)
    after = timeline.snapshot(incident, SCALAR_FIELDS)
    sentences = timeline.changes(before, after, ZoneInfo(org.timezone), actor)
    for sentence in sentences:
        timeline.record(incident, "edited", sentence, actor)
    _propose(incident, proposals, org, actor)
    regenerate(incident, org, actor, timeline.because(before, after))
    return Saved(sentences, proposals)


@dataclass(frozen=True)
class Saved:
    """What a change did: its timeline sentences, and the determinations only proposed."""

    sentences: list[str]
    proposals: list[determinations.Proposal]


def _without(changes: Changes, proposals: list[determinations.Proposal]) -> Changes:
    """The changes less the determinations the actor may only propose."""
    withheld = {proposal.name for proposal in proposals}
    scalars = {name: value for name, value in changes.scalars.items() if name not in withheld}
    return replace(changes, scalars=scalars)


def _propose(incident, proposals, org: Organization, actor: User) -> None:
    if proposals:
        text = determinations.sentence(proposals, actor, ZoneInfo(org.timezone))
        timeline.record(incident, "proposal", text, actor)


def categories() -> list[DataCategory]:
    """The data-category vocabulary, in its order."""
    statement = db.select(DataCategory).order_by(DataCategory.sort_order)
    return list(db.session.execute(statement).scalars())


def _apply(changes: Changes, incident: Incident) -> None:
    for name, value in changes.scalars.items():
        setattr(incident, name, value)
    if changes.category_ids is not None:
        chosen = set(changes.category_ids)
        incident.data_categories = [category for category in categories() if category.id in chosen]
    if changes.places is not None:
        _sync_places(incident, changes.places)
    if changes.parties is not None:
        incident.parties = _parties(changes.parties)


def _parties(rows: list[dict]) -> list[IncidentParty]:
    """The party rows, each linked to the counterparty its row names by id, or else to the
    registered counterparty of the same name, if any (whose contracts then add their clauses'
    clocks to the incident)."""
    known = contracts.registered([row["name"] for row in rows])
    parties = []
    for row in rows:
        party = IncidentParty(**row)
        if party.counterparty_id is not None:
            # The relationship, not only the id: the obligations are computed before a flush.
            party.counterparty = db.session.get(Counterparty, party.counterparty_id)
        elif row["name"].strip().lower() in known:
            party.counterparty = known[row["name"].strip().lower()]
        parties.append(party)
    return parties


def _sync_places(incident: Incident, rows: list[dict]) -> None:
    """Update rows in place by code, so the (incident, code) constraint holds at every flush."""
    wanted = {row["code"]: row for row in rows}
    for existing in list(incident.jurisdictions):
        if existing.code not in wanted:
            incident.jurisdictions.remove(existing)
    db.session.flush()
    current = {row.code: row for row in incident.jurisdictions}
    for code, row in wanted.items():
        target = current.get(code) or AffectedJurisdiction(code=code)
        target.people, target.records = row["people"], row.get("records")
        if code not in current:
            incident.jurisdictions.append(target)
