"""Filing an obligation and deciding one is not required: write-once records, then regeneration."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ..extensions import db
from ..incidents import timeline
from ..incidents.regeneration import regenerate
from ..models import Filing, Incident, NotificationDecision, Obligation, Organization, User
from ..web.localtime import display


@dataclass(frozen=True)
class Submission:
    """What the person filing says: when it was sent, the recipient's reference, notes."""

    submitted_at: datetime
    recipient_reference: str = ""
    note: str = ""
    delay_reasons: str = ""
    corrects_id: int | None = None
    document_id: int | None = None


def locked_obligation(obligation_id: int) -> Obligation | None:
    """The obligation to file or decide, locked (on PostgreSQL) after its incident's row.

    Filing regenerates the incident's other obligations, and an edit of the incident, which
    locks the incident first, rewrites them (closing it flags every one: migration 0012). Both
    taking the incident first, they wait for each other instead of each holding a row the other
    needs (a deadlock, which PostgreSQL ends by failing one of them)."""
    incident_id = db.select(Obligation.incident_id).where(Obligation.id == obligation_id)
    incident = db.select(Incident.id).where(Incident.id == incident_id.scalar_subquery())
    db.session.execute(incident.with_for_update())
    statement = db.select(Obligation).filter_by(id=obligation_id).with_for_update()
    return db.session.execute(statement).scalar_one_or_none()


def is_late(row: Obligation, submitted_at: datetime) -> bool:
    """Tell whether a submission at this instant misses the obligation's deadline."""
    return row.due_at is not None and submitted_at > row.due_at


def record_filing(
    row: Obligation, submission: Submission, actor: User, organization: Organization
) -> Filing:
    """Add a filing (its lateness frozen), mark the obligation submitted, regenerate."""
    filing = Filing(
        submitted_at=submission.submitted_at,
        due_at=row.due_at,
        late=is_late(row, submission.submitted_at),
        recipient_reference=submission.recipient_reference.strip(),
        note=submission.note.strip(),
        delay_reasons=submission.delay_reasons.strip(),
        corrects_id=submission.corrects_id,
        document_id=submission.document_id,
        filed_by=actor,
    )
    row.filings.append(filing)
    row.status, row.reason = "submitted", None
    text = _filing_text(row, filing, actor, ZoneInfo(organization.timezone))
    timeline.record(row.incident, "filing", text, actor, at=submission.submitted_at)
    regenerate(
        row.incident,
        organization,
        actor,
        f"because the {row.title} ({row.jurisdiction}) was submitted",
    )
    return filing


def _filing_text(row: Obligation, filing: Filing, actor: User, tz: ZoneInfo) -> str:
    verb = "filing corrected: submitted" if filing.corrects_id else "submitted"
    when = display(filing.submitted_at, tz)
    text = f"{row.title} ({row.jurisdiction}) {verb} at {when}, recorded by {actor.email}"
    if filing.recipient_reference:
        text += f"; recipient's reference {filing.recipient_reference}"
    return text + ("; late, with reasons for the delay" if filing.late else "")


def decide_not_required(row: Obligation, rationale: str, actor: User) -> NotificationDecision:
    """Record that an obligation is not required, with the rationale (no commit)."""
    decision = NotificationDecision(rationale=rationale.strip(), decided_by=actor)
    row.decisions.append(decision)
    row.status, row.reason = "not_required", _excerpt(decision.rationale)
    who = f"{row.title} ({row.jurisdiction}) decided not required by {actor.email}"
    text = f"{who}: {decision.rationale}"
    timeline.record(row.incident, "decision", text, actor)
    return decision


REASON_LENGTH = 500  # the obligation shows an excerpt; the decision keeps the whole rationale


def _excerpt(text: str) -> str:
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"
