"""The cascade to our customers: for one incident, the customers it reaches, our notice to each
(drafted in bulk from the Art. 33(2) template and archived), its sending and acknowledgement, the
contractual deadline it meets, and the GDPR clock it starts for the customer.

The views own the transaction and the clock: functions here take ``now`` and never commit.
"""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo

from ..documents.context import customer_context, letter_context
from ..documents.render import Rendered, render_document
from ..extensions import db
from ..incidents import timeline
from ..models import (
    Counterparty,
    CustomerNotice,
    Document,
    Filing,
    Incident,
    IncidentParty,
    LetterTemplate,
    NoticeClause,
    Obligation,
    Organization,
    User,
)
from ..obligations.filings import Submission, is_late, record_filing
from ..web.localtime import display, zone
from .exposure import customer_clock

TEMPLATE_KEY = "gdpr_art33_2_controller"
CONTROLLER_NOTICES = ("gdpr.controller_notice", "uk_gdpr.controller_notice")
CLOCK_SKEW = timedelta(minutes=5)
TITLE_LENGTH = 300  # Document.title


def is_customer(party: IncidentParty) -> bool:
    """Tell whether a party is a registered customer (whatever its role in the incident)."""
    return party.counterparty is not None and party.counterparty.kind == "customer"


def customers(
    incident: Incident, existing: dict[int, CustomerNotice] | None = None
) -> list[Counterparty]:
    """The registered customers the incident involves, and any we already wrote to, by name
    (`existing`: the incident's notices, when the caller has read them already)."""
    found = {p.counterparty.id: p.counterparty for p in incident.parties if is_customer(p)}
    for notice in (notices(incident) if existing is None else existing).values():
        if notice.document is not None:
            found.setdefault(notice.customer_id, notice.customer)
    return sorted(found.values(), key=lambda customer: customer.name.lower())


def unregistered(incident: Incident) -> list[IncidentParty]:
    """Customer parties not linked to the register: no notice can be drafted for them."""
    return [p for p in incident.parties if p.kind == "customer" and p.counterparty is None]


def notices(incident: Incident) -> dict[int, CustomerNotice]:
    """The incident's customer notices, by customer id."""
    rows = db.session.execute(db.select(CustomerNotice).filter_by(incident_id=incident.id))
    return {notice.customer_id: notice for notice in rows.scalars()}


def contract_duties(
    incident: Incident, customer: Counterparty
) -> list[tuple[NoticeClause, Obligation]]:
    """The customer's outbound clauses (active contracts) that owe it a notice on this incident."""
    rows = {
        row.rule_id: row
        for row in incident.obligations
        if row.regime == "contract" and row.status != "no_longer_applicable"
    }
    clauses = [
        clause
        for contract in customer.contracts
        if contract.active
        for clause in contract.clauses
        if clause.direction == "outbound"
    ]
    return [(c, rows[f"contract.{c.slug}"]) for c in clauses if f"contract.{c.slug}" in rows]


def still_open(row: Obligation) -> bool:
    """Tell whether an obligation may still be filed (neither filed, decided nor retired)."""
    return not row.frozen and row.status != "no_longer_applicable"


def people_problem(incident: Incident, notice: CustomerNotice | None, people: int | None):
    """Why this count of a customer's people cannot be recorded, or None.

    The notice states the count, and it is archived as generated: once drafted, a new count is
    a new letter. A count above the incident's total would contradict the letter's totals.
    """
    if notice is not None and notice.document is not None:
        return (
            f"the notice to {notice.customer.name} is drafted and archived with the count it "
            "states; a new count needs a further letter"
        )
    total = incident.people_total
    if people is not None and people > total:
        return (
            f"more than the {total:,} people the incident's places record in all: record the "
            "people of each place on the incident first"
        )
    return None


def set_people(
    incident: Incident, customer: Counterparty, notice: CustomerNotice | None, people: int | None
) -> CustomerNotice:
    """Record the count its notice will state (None: unknown, the notice states the total)."""
    if notice is None:
        notice = CustomerNotice(incident=incident, customer=customer)
        db.session.add(notice)
    notice.people = people
    return notice


def open_duties(notice: CustomerNotice) -> list[Obligation]:
    """The customer's contractual notices on this incident that sending the notice discharges."""
    duties = contract_duties(notice.incident, notice.customer)
    return [row for _, row in duties if still_open(row)]


@dataclass(frozen=True)
class CustomerClock:
    """The GDPR clock our notice starts (or would start, if sent now) for a customer."""

    starts_at: datetime
    due_at: datetime | None  # None: no GDPR clock is computed for this customer
    timezone: str
    hypothetical: bool

    @property
    def hours(self) -> int:
        return round((self.due_at - self.starts_at) / timedelta(hours=1)) if self.due_at else 0

    @property
    def starts_utc(self) -> str:
        return display(self.starts_at, UTC)

    @property
    def due_local(self) -> str:
        return display(self.due_at, _zone_or_utc(self.timezone))

    @property
    def due_utc(self) -> str:
        return display(self.due_at, UTC)


def _zone_or_utc(name: str) -> tzinfo:
    try:
        return zone(name)
    except ValueError:
        return UTC


def clock(customer: Counterparty, notice: CustomerNotice | None, now: datetime) -> CustomerClock:
    """The clock from our notice's sending, or from ``now`` while it is not sent."""
    sent_at = notice.sent_at if notice else None
    starts_at = sent_at or now
    found = customer_clock(customer, starts_at)
    due_at = found.due_at if found else None
    return CustomerClock(starts_at, due_at, customer.timezone or "UTC", sent_at is None)


@dataclass(frozen=True)
class Row:
    """One customer on the cascade page: its notice, its contractual deadlines, its clock."""

    customer: Counterparty
    notice: CustomerNotice | None
    duties: list[tuple[NoticeClause, Obligation]]
    clock: CustomerClock

    @property
    def status(self) -> str:
        notice = self.notice
        if notice is None or notice.document is None:
            return "not drafted"
        if notice.acknowledged_at:
            return "acknowledged"
        return "sent" if notice.sent_at else "drafted"


def rows(incident: Incident, now: datetime) -> list[Row]:
    """Every customer of the incident, with its notice, deadlines and clock."""
    found = notices(incident)
    return [
        customer_row(incident, customer, found.get(customer.id), now)
        for customer in customers(incident, found)
    ]


def customer_row(
    incident: Incident, customer: Counterparty, notice: CustomerNotice | None, now: datetime
) -> Row:
    """One customer's row."""
    return Row(customer, notice, contract_duties(incident, customer), clock(customer, notice, now))


def templates() -> list[LetterTemplate]:
    """The Art. 33(2) template and the organization's copies of it, copies (newest) first."""
    statement = db.select(LetterTemplate).where(
        (LetterTemplate.key == TEMPLATE_KEY) | (LetterTemplate.based_on == TEMPLATE_KEY)
    )
    found = db.session.execute(statement).scalars()
    return sorted(found, key=lambda t: (t.shipped, -t.id))


def letter_obligation(
    incident: Incident, customer: Counterparty
) -> tuple[Obligation, NoticeClause | None] | None:
    """The obligation a customer's notice is drafted for and archived under, with its clause.

    The processor's notice to the controller (GDPR Art. 33(2)) comes first, as the template is
    written for it; without one, the customer's own contractual notice.
    """
    duties = contract_duties(incident, customer)
    clause = duties[0][0] if duties else None
    regulatory = [
        row
        for row in incident.obligations
        if row.rule_id in CONTROLLER_NOTICES and row.status != "no_longer_applicable"
    ]
    preferred = "uk_gdpr.controller_notice" if customer.country == "GB" else CONTROLLER_NOTICES[0]
    regulatory.sort(key=lambda row: row.rule_id != preferred)
    if regulatory:
        return regulatory[0], clause
    return (duties[0][1], clause) if duties else None


@dataclass
class Outcome:
    """What a bulk run did: the customers drafted for, and those it could not draft for."""

    drafted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    over_total: list[str] = field(default_factory=list)  # their count exceeds the incident's


@dataclass(frozen=True)
class Drafting:
    """Who drafts, when, with which template and what the person drafting adds."""

    template: LetterTemplate
    organization: Organization
    actor: User
    now: datetime
    extra: dict


def generate(incident: Incident, drafting: Drafting) -> Outcome:
    """Draft and archive a notice for every customer without one yet (idempotent; no commit)."""
    existing = notices(incident)
    outcome = Outcome()
    for customer in customers(incident, existing):
        notice = existing.get(customer.id)
        if notice is not None and notice.document is not None:
            continue
        if notice is not None and people_problem(incident, None, notice.people):
            outcome.over_total.append(customer.name)  # the places were lowered since
            continue
        basis = letter_obligation(incident, customer)
        if basis is None:
            outcome.skipped.append(customer.name)
            continue
        if notice is None:
            notice = CustomerNotice(incident=incident, customer=customer)
            db.session.add(notice)
        notice.document = _archive(notice, *basis, drafting)
        outcome.drafted.append(customer.name)
    return outcome


def _archive(
    notice: CustomerNotice, row: Obligation, clause: NoticeClause | None, drafting: Drafting
) -> Document:
    rendered = _render(notice, row, clause, drafting)
    template = drafting.template
    name = f"Notice to {notice.customer.name}, “{template.name}” r{template.current.number}"
    document = Document(
        title=name[:TITLE_LENGTH],
        html=rendered.html,
        pdf=rendered.pdf,
        html_sha256=rendered.html_sha256,
        pdf_sha256=rendered.pdf_sha256,
        revision=template.current,
        generated_by=drafting.actor,
    )
    row.documents.append(document)
    text = f"{name} generated by {drafting.actor.email}; PDF SHA-256 {document.pdf_sha256}"
    timeline.record(notice.incident, "document", text, drafting.actor)
    return document


def _render(
    notice: CustomerNotice, row: Obligation, clause: NoticeClause | None, drafting: Drafting
) -> Rendered:
    values = customer_context(notice.customer, clause, notice.people)
    context = letter_context(row, drafting.organization, drafting.now, drafting.extra, values)
    if row.rule_id in CONTROLLER_NOTICES:
        # Every controller shares this obligation: its filings are not earlier notices to this
        # customer, and the customer's deadline is the one its contract sets.
        context["obligation"]["filings"] = []
        duties = contract_duties(notice.incident, notice.customer)
        late = any(still_open(due) and is_late(due, drafting.now) for _, due in duties)
        context["letter"]["is_late"] = late
    title = f"{notice.incident.reference}: notice to {notice.customer.name}"
    return render_document(drafting.template.current.body, context, title)


def late_duties(notice: CustomerNotice, sent_at: datetime) -> list[Obligation]:
    """The open contractual notices whose deadline a sending at this instant misses."""
    return [row for row in open_duties(notice) if is_late(row, sent_at)]


def sent_problem(
    notice: CustomerNotice, submission: Submission, now: datetime, tz: tzinfo
) -> tuple[str, str] | None:
    """What is wrong with recording the notice as sent: (form field, message), or None."""
    sent_at = submission.submitted_at
    if notice.document is None:
        return "sent_at", "the notice has not been generated yet"
    if notice.sent_at is not None:
        return "sent_at", f"already recorded as sent at {display(notice.sent_at, tz)}"
    if sent_at > now + CLOCK_SKEW:
        return "sent_at", "a notice cannot be sent in the future"
    late = late_duties(notice, sent_at)
    if late and not submission.delay_reasons.strip():
        due = display(late[0].due_at, tz)
        return "delay_reasons", f"this notice is late (due {due}): give the reasons for the delay"
    return None


def mark_sent(
    notice: CustomerNotice, submission: Submission, actor: User, organization: Organization
) -> list[Filing]:
    """Record the sending, then file each open contractual notice with the notice attached."""
    submission = replace(submission, document_id=notice.document_id)
    notice.sent_at = submission.submitted_at
    when = display(notice.sent_at, zone(organization.timezone))
    text = f"Notice to {notice.customer.name} sent at {when}, recorded by {actor.email}"
    timeline.record(notice.incident, "notice", text, actor, at=notice.sent_at)
    duties = open_duties(notice)
    return [
        record_filing(row, _reasons_if_late(row, submission), actor, organization) for row in duties
    ]


def _reasons_if_late(row: Obligation, submission: Submission) -> Submission:
    """The reasons for a delay belong only to the filings that are late."""
    return (
        submission
        if is_late(row, submission.submitted_at)
        else replace(submission, delay_reasons="")
    )


def acknowledged_problem(
    notice: CustomerNotice, at: datetime, now: datetime, tz: tzinfo
) -> str | None:
    """What is wrong with recording the acknowledgement at this instant, or None."""
    if notice.sent_at is None:
        return "the notice is not recorded as sent yet"
    if notice.acknowledged_at is not None:
        return f"already recorded as acknowledged at {display(notice.acknowledged_at, tz)}"
    if at > now + CLOCK_SKEW:
        return "an acknowledgement cannot be in the future"
    if at < notice.sent_at:
        return f"the notice was sent later, at {display(notice.sent_at, tz)}"
    return None


def mark_acknowledged(
    notice: CustomerNotice, at: datetime, actor: User, organization: Organization
) -> None:
    """Record that the customer acknowledged our notice."""
    notice.acknowledged_at = at
    when = display(at, zone(organization.timezone))
    text = f"{notice.customer.name} acknowledged our notice at {when}, recorded by {actor.email}"
    timeline.record(notice.incident, "notice", text, actor, at=at)
