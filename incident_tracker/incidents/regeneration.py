"""The one path from an incident's facts to its stored obligations.

``regenerate`` turns the incident's rows into a facts value, runs the pure engine and reconciles
the stored obligations in the caller's transaction: new duties are added, open ones follow the
facts (every moved deadline is written to the timeline with the reason), filed or decided ones
never change, and an unfiled one whose rule no longer applies stays visible as "no longer
applicable" with the reason. The UI, the API and the CLI all call this function.
"""

from dataclasses import fields
from zoneinfo import ZoneInfo

from ..core import engine
from ..core.facts import INSTANTS, Facts
from ..core.facts import Organization as OrganizationFacts
from ..extensions import db
from ..models import Incident, Obligation, Organization, User
from ..web.localtime import display
from . import timeline
from .contracts import contracts_for

COPIED = (
    "regime",
    "title",
    "recipient",
    "basis",
    "anchor",
    "anchor_at",
    "due_at",
    "starts_when",
    "relief",
)


def facts_for(incident: Incident, organization: Organization) -> Facts:
    """The engine's view of an incident: its anchors, assessments, people affected and filings."""
    return Facts(
        organization=organization_facts(organization),
        personal_data_breach=incident.personal_data_breach,
        gdpr_risk=incident.gdpr_risk,
        # Not yet assessed counts as significant: the 24-hour clock does not wait for it.
        nis2_significant=incident.nis2_significant is not False,
        phi_breach=incident.phi_breach,
        affected={row.code: row.people for row in incident.jurisdictions},
        submissions=submissions(incident),
        contracts=contracts_for(incident),
        **{name: getattr(incident, name) for name in INSTANTS},
    )


def organization_facts(organization: Organization) -> OrganizationFacts:
    """The organization profile as the engine sees it (the profile's columns share the names)."""
    names = [field.name for field in fields(OrganizationFacts)]
    return OrganizationFacts(**{name: getattr(organization, name) for name in names})


def submissions(incident: Incident) -> dict[str, tuple]:
    """Each filed obligation's submission instants, keyed "rule:JURISDICTION"."""
    found = {}
    for row in incident.obligations:
        instants = tuple(filing.submitted_at for filing in row.effective_filings())
        if instants:
            found[f"{row.rule_id}:{row.jurisdiction}"] = instants
    return found


def regenerate(
    incident: Incident, organization: Organization, actor: User | None, because: str
) -> engine.Result:
    """Bring the incident's stored obligations in line with its facts (no commit)."""
    result = engine.compute(facts_for(incident, organization))
    tz = ZoneInfo(organization.timezone)
    stored = {row.key: row for row in incident.obligations}
    for duty in result.obligations:
        row = stored.pop((duty.id, duty.jurisdiction), None)
        if row is None:
            _add(incident, duty)
        elif not row.frozen:
            _follow(incident, row, duty, tz, actor, because)
    for row in stored.values():
        _retire(incident, row, actor, because)
    return result


def _add(incident: Incident, duty: engine.Obligation) -> None:
    row = Obligation(rule_id=duty.id, jurisdiction=duty.jurisdiction, status=str(duty.status))
    _copy(row, duty)
    incident.obligations.append(row)


def _copy(row: Obligation, duty: engine.Obligation) -> None:
    for name in COPIED:
        setattr(row, name, getattr(duty, name))
    row.status = str(duty.status)
    row.reason = None


def _follow(incident, row: Obligation, duty: engine.Obligation, tz, actor, because: str) -> None:
    before, revived = row.due_at, row.status == "no_longer_applicable"
    _copy(row, duty)
    if revived:
        timeline.record(incident, "deadline", f"{_name(row)} applies again {because}", actor)
    elif before != row.due_at:
        moved = f"{_name(row)} moved from {_when(before, tz)} to {_when(row.due_at, tz)} {because}"
        timeline.record(incident, "deadline", moved, actor)


def _retire(incident, row: Obligation, actor, because: str) -> None:
    if row.frozen or row.status == "no_longer_applicable":
        return
    row.status = "no_longer_applicable"
    row.reason = f"The rule no longer applies {because}."
    timeline.record(incident, "deadline", f"{_name(row)} no longer applies {because}", actor)


def _name(row: Obligation) -> str:
    return f"{row.title} ({row.jurisdiction})"


def _when(value, tz: ZoneInfo) -> str:
    return display(value, tz) if value else "no date (awaiting its anchor)"


def regenerate_all(organization: Organization, actor: User | None, because: str) -> int:
    """Regenerate every incident that is not closed (after the organization profile changed).

    Their rows are locked first, in one order, as an edit or a filing locks its incident before
    it rewrites the obligations (filings.locked_obligation): one waits for the other."""
    live = db.select(Incident).where(Incident.status != "closed").order_by(Incident.id)
    incidents = db.session.execute(live.with_for_update()).scalars()
    count = 0
    for incident in incidents:
        regenerate(incident, organization, actor, because)
        count += 1
    return count
