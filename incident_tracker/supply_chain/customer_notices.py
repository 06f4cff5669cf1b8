"""Our notices to customers (the Art. 33(2) package): generate them in bulk for an incident, track
each as sent and acknowledged, and show the clock each notice starts for its customer."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from ..documents.forms import DocumentForm
from ..documents.pdf import RefusedResource
from ..documents.sandbox import TemplateProblem
from ..extensions import db
from ..incidents.references import incident_or_404
from ..models import MAX_PEOPLE, CustomerNotice, Incident, LetterTemplate, utcnow
from ..obligations.filings import Submission
from ..web import profile
from ..web.fields import InstantField, choices
from ..web.forms import LONG_TEXT
from ..web.pdf_response import pdf_response
from ..web.roles import NOTIFIERS, may, role_required
from . import cascade

bp = Blueprint("customer_notices", __name__, url_prefix="/incidents")
NOTICE = "/<reference>/customer-notices/<int:notice_id>"


class SentForm(FlaskForm):
    """Record when a notice was sent to the customer (blank: now)."""

    sent_at = InstantField("Sent at", validators=[Optional()])
    recipient_reference = StringField("Customer's reference", validators=[Length(max=200)])
    delay_reasons = TextAreaField("Reasons for the delay", validators=[Length(max=LONG_TEXT)])
    submit = SubmitField("Mark sent")


class PeopleForm(FlaskForm):
    """How many of one customer's data subjects the incident affects (blank: not known)."""

    people = IntegerField(
        "People among their data subjects", validators=[Optional(), NumberRange(0, MAX_PEOPLE)]
    )
    submit = SubmitField("Save")


class AcknowledgedForm(FlaskForm):
    """Record when the customer acknowledged the notice (blank: now)."""

    acknowledged_at = InstantField("Acknowledged at", validators=[Optional()])
    submit = SubmitField("Mark acknowledged")


@bp.get("/<reference>/customer-notices")
@login_required
def index(reference: str):
    """List the incident's customers: notice status, contractual deadline, their GDPR clock."""
    return _index_page(incident_or_404(reference), _generate_form())


@bp.post("/<reference>/customer-notices/generate")
@role_required(*NOTIFIERS)
def generate(reference: str):
    """Draft and archive the Art. 33(2) notice for every customer that has none yet."""
    incident = incident_or_404(reference, for_update=True)
    form = _generate_form()
    if not form.validate_on_submit():
        return _index_page(incident, form), 422
    try:
        outcome = cascade.generate(incident, _drafting(form))
    except (TemplateProblem, RefusedResource) as error:
        db.session.rollback()
        form.template.errors.append(f"The template does not render for this incident: {error}")
        return _index_page(incident_or_404(reference), form), 422
    warn = outcome.skipped or outcome.over_total
    return _commit(reference, _outcome_message(outcome), "warning" if warn else None)


@bp.post("/<reference>/customer-notices/people/<int:customer_id>")
@role_required(*NOTIFIERS)
def set_people(reference: str, customer_id: int):
    """Record how many of a customer's data subjects are affected, for its notice to state."""
    incident = incident_or_404(reference, for_update=True)
    existing = cascade.notices(incident)
    customers = cascade.customers(incident, existing)
    customer = next((c for c in customers if c.id == customer_id), None)
    if customer is None:
        abort(404)
    form, notice = _people_form(customer_id), existing.get(customer_id)
    if form.validate_on_submit():
        problem = cascade.people_problem(incident, notice, form.people.data)
        if problem is None:
            cascade.set_people(incident, customer, notice, form.people.data)
            return _commit(reference, _people_message(customer.name, form.people.data))
        form.people.errors.append(problem)
    return _index_page(incident, _generate_form(), {customer_id: form}), 422


def _people_message(name: str, people: int | None) -> str:
    if people is None:
        return f"The count for {name} is cleared: its notice will state the incident's total."
    return f"{name}: its notice will state {people:,} of its data subjects."


@bp.get(NOTICE)
@login_required
def show(reference: str, notice_id: int):
    """Show one customer's notice, its deadlines and clock, with the forms to track it."""
    return _show_page(_notice(reference, notice_id), _sent_form(), _acknowledged_form())


@bp.post(f"{NOTICE}/sent")
@role_required(*NOTIFIERS)
def mark_sent(reference: str, notice_id: int):
    """Record the sending; file the customer's open contractual notices with the document."""
    notice = _notice(reference, notice_id, for_update=True)
    form, now = _sent_form(), utcnow()
    if not form.validate_on_submit():
        return _show_page(notice, form, _acknowledged_form()), 422
    submission = Submission(
        submitted_at=form.sent_at.data or now,
        recipient_reference=form.recipient_reference.data or "",
        delay_reasons=form.delay_reasons.data or "",
    )
    problem = cascade.sent_problem(notice, submission, now, profile.local_zone())
    if problem:
        getattr(form, problem[0]).errors.append(problem[1])
        return _show_page(notice, form, _acknowledged_form()), 422
    filings = cascade.mark_sent(notice, submission, _me(), profile.current())
    filed = f" Filed: {', '.join(f.obligation.title for f in filings)}." if filings else ""
    return _commit(reference, f"Notice to {notice.customer.name} recorded as sent.{filed}")


@bp.post(f"{NOTICE}/acknowledged")
@role_required(*NOTIFIERS)
def mark_acknowledged(reference: str, notice_id: int):
    """Record that the customer acknowledged the notice."""
    notice = _notice(reference, notice_id, for_update=True)
    form, now = _acknowledged_form(), utcnow()
    if not form.validate_on_submit():
        return _show_page(notice, _sent_form(), form), 422
    at = form.acknowledged_at.data or now
    problem = cascade.acknowledged_problem(notice, at, now, profile.local_zone())
    if problem:
        form.acknowledged_at.errors.append(problem)
        return _show_page(notice, _sent_form(), form), 422
    cascade.mark_acknowledged(notice, at, _me(), profile.current())
    return _commit(reference, f"{notice.customer.name} recorded as having acknowledged.")


@bp.get(f"{NOTICE}/pdf")
@login_required
def download(reference: str, notice_id: int):
    """Return the notice's archived PDF, exactly as generated."""
    document = _notice(reference, notice_id).document
    if document is None:
        abort(404)
    return pdf_response(document.pdf, f"{reference}-customer-notice-{notice_id}.pdf")


def _notice(reference: str, notice_id: int, for_update: bool = False) -> CustomerNotice:
    statement = (
        db.select(CustomerNotice)
        .join(CustomerNotice.incident)
        .where(CustomerNotice.id == notice_id, Incident.reference == reference)
    )
    notice = db.session.execute(_locking(statement, for_update)).scalar_one_or_none()
    if notice is None:
        abort(404)
    return notice


def _locking(statement, for_update: bool):
    """Lock the row (on PostgreSQL) when the request will change it."""
    return statement.with_for_update() if for_update else statement


def _generate_form() -> DocumentForm:
    form = DocumentForm()
    form.template.choices = choices((t.id, _label(t)) for t in cascade.templates())
    return form


def _label(template: LetterTemplate) -> str:
    origin = "shipped" if template.shipped else "our copy"
    return f"{template.name} ({origin}, revision {template.current.number})"


def _drafting(form: DocumentForm) -> cascade.Drafting:
    return cascade.Drafting(
        template=db.session.get(LetterTemplate, form.template.data),
        organization=profile.current(),
        actor=_me(),
        now=utcnow(),
        extra={
            "delay_reasons": form.delay_reasons.data or "",
            "additional_information": form.additional_information.data or "",
        },
    )


def _outcome_message(outcome: cascade.Outcome) -> str:
    if outcome.drafted:
        message = f"Drafted and archived {len(outcome.drafted)} notice(s): "
        message += ", ".join(outcome.drafted) + "."
    else:
        message = "No new notice was needed."
    if outcome.skipped:
        message += (
            f" No notice could be drafted for {', '.join(outcome.skipped)}: the incident owes "
            "them none yet (we are not their processor under GDPR here, and no outbound clause "
            "of their contract applies)."
        )
    if outcome.over_total:
        message += (
            f" Not drafted for {', '.join(outcome.over_total)}: the count of their people "
            "recorded is more than the incident's places now hold in all; correct one or the other."
        )
    return message


def _sent_form() -> SentForm:
    return SentForm(meta={"timezone": profile.timezone_name()})


def _acknowledged_form() -> AcknowledgedForm:
    return AcknowledgedForm(meta={"timezone": profile.timezone_name()})


def _me():
    return current_user._get_current_object()


def _commit(reference: str, message: str, category: str | None = None):
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash("Someone else changed these notices at the same moment; nothing was saved.", "danger")
    else:
        flash(message, category or "success")
    return redirect(url_for("customer_notices.index", reference=reference))


def _index_page(incident: Incident, form: DocumentForm, refused: dict | None = None) -> str:
    """The customers' page; `refused` holds a people form sent back with its errors."""
    rows = cascade.rows(incident, utcnow())
    people_forms = {row.customer.id: _people_form_of(row, refused or {}) for row in rows}
    return render_template(
        "supply_chain/customer_notices/index.html",
        incident=incident,
        rows=rows,
        people_forms=people_forms,
        total=incident.people_total,
        unregistered=cascade.unregistered(incident),
        form=form,
        may_notify=may(NOTIFIERS),
    )


def _people_form(customer_id: int, **unbound) -> PeopleForm:
    """One customer's people form (its own prefix: the page has one per customer)."""
    return PeopleForm(prefix=f"customer-{customer_id}", **unbound)


def _people_form_of(row: cascade.Row, refused: dict) -> PeopleForm:
    if row.customer.id in refused:
        return refused[row.customer.id]
    people = row.notice.people if row.notice else None
    return _people_form(row.customer.id, formdata=None, people=people)


def _show_page(notice: CustomerNotice, sent_form: SentForm, acknowledged_form) -> str:
    now = utcnow()
    row = cascade.customer_row(notice.incident, notice.customer, notice, now)
    late = bool(cascade.late_duties(notice, now)) or bool(sent_form.delay_reasons.errors)
    return render_template(
        "supply_chain/customer_notices/show.html",
        incident=notice.incident,
        row=row,
        notice=notice,
        sent_form=sent_form,
        acknowledged_form=acknowledged_form,
        ask_reasons=late,
        may_notify=may(NOTIFIERS),
    )
