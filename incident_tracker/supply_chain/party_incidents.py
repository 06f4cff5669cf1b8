"""The open incidents a counterparty is involved in, as the register's changes reach them:
linking the parties that name a newly registered counterparty, and regenerating the incidents
whose contracts changed (no commit: the view that changed the register commits once)."""

from flask_login import current_user
from sqlalchemy import func

from ..extensions import db
from ..incidents import timeline
from ..incidents.regeneration import regenerate
from ..models import Counterparty, Incident, IncidentParty
from ..web import profile


def open_incidents(party: Counterparty, for_update: bool = False) -> list[Incident]:
    """The incidents that are not closed and involve the counterparty, by id; with `for_update`
    their rows are locked in that order, as the profile's regeneration locks every live incident
    (regeneration.regenerate_all) and a filing or an edit locks its incident first."""
    involved = db.select(IncidentParty.incident_id).where(IncidentParty.counterparty_id == party.id)
    statement = (
        db.select(Incident)
        .where(Incident.id.in_(involved), Incident.status != "closed")
        .order_by(Incident.id)
    )
    if for_update:
        statement = statement.with_for_update()
    return list(db.session.execute(statement).scalars())


def link_mentions(party: Counterparty) -> list[str]:
    """Link the parties of open incidents that name the counterparty but were recorded before it
    was registered (or given this name), as saving those incidents would have: its contracts
    then reach them. Each link is noted on the incident's timeline; returns their references."""
    statement = (
        db.select(IncidentParty)
        .join(IncidentParty.incident)
        .where(
            IncidentParty.counterparty_id.is_(None),
            func.lower(func.trim(IncidentParty.name)) == party.name.strip().lower(),
            Incident.status != "closed",
        )
        .order_by(IncidentParty.id)
    )
    mentions = list(db.session.execute(statement).scalars())
    for mention in mentions:
        mention.counterparty = party
        text = f"Party {mention.name} linked to the registered counterparty {party.name}."
        timeline.record(mention.incident, "edited", text, current_user)
    return sorted({mention.incident.reference for mention in mentions})


def linked_message(references: list[str]) -> str:
    if not references:
        return ""
    return f" Linked to the open incident(s) naming it: {', '.join(references)}."


def refresh_incidents(party: Counterparty, because: str) -> None:
    """Regenerate the obligations of every open incident involving the counterparty (no commit)."""
    organization = profile.current()
    if organization is None or party.id is None:
        return
    actor = current_user._get_current_object()
    for incident in open_incidents(party, for_update=True):
        regenerate(incident, organization, actor, because)
