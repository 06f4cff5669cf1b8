"""Obligations: file a notification, decide one is not required, and see its history."""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Obligation, utcnow
from ..web import profile
from ..web.fields import choices
from ..web.localtime import display
from ..web.roles import DECIDERS, FILERS, role_required
from .filings import Submission, decide_not_required, is_late, locked_obligation, record_filing
from .forms import DecisionForm, FilingForm

bp = Blueprint("obligations", __name__, url_prefix="/obligations")

CLOCK_SKEW = timedelta(minutes=5)
DELAY_BASIS = "GDPR Art. 33(1); DORA RTS 2025/301 Art. 5(3)"


@bp.get("/<int:obligation_id>")
@login_required
def show(obligation_id: int):
    """Show an obligation with its rule, deadline, filings and decisions."""
    row = db.get_or_404(Obligation, obligation_id)
    return _page(row, _filing_form(row), DecisionForm())


@bp.post("/<int:obligation_id>/filings")
@role_required(*FILERS)
def file(obligation_id: int):
    """Record a submission; a late one needs the reasons for the delay."""
    row = _locked(obligation_id)
    form = _filing_form(row)
    if not (form.validate_on_submit() and _filing_is_sound(form, row)):
        return _page(row, form, DecisionForm()), 422
    submission = Submission(
        submitted_at=form.submitted_at.data,
        recipient_reference=form.recipient_reference.data or "",
        note=form.note.data or "",
        delay_reasons=form.delay_reasons.data or "",
        corrects_id=form.corrects.data,
        document_id=form.document.data,
    )
    filing = record_filing(row, submission, _me(), profile.current())
    late = " It was late; the reasons for the delay are recorded." if filing.late else ""
    return _commit(row, f"Filing of {row.title} ({row.jurisdiction}) recorded.{late}")


@bp.post("/<int:obligation_id>/decision")
@role_required(*DECIDERS)
def decide(obligation_id: int):
    """Decide that an obligation is not required; the rationale is kept as evidence."""
    row = _locked(obligation_id)
    form = DecisionForm()
    if row.status in ("submitted", "not_required"):
        form.rationale.errors = [f"This obligation is already {row.status.replace('_', ' ')}."]
        return _page(row, _filing_form(row), form), 409
    if not form.validate_on_submit():
        return _page(row, _filing_form(row), form), 422
    decide_not_required(row, form.rationale.data, _me())
    return _commit(row, f"{row.title} ({row.jurisdiction}) recorded as not required.")


def _locked(obligation_id: int) -> Obligation:
    """Load the obligation, locking it (on PostgreSQL) against concurrent filings and edits."""
    row = locked_obligation(obligation_id)
    if row is None:
        abort(404)
    return row


def _filing_form(row: Obligation) -> FilingForm:
    form = FilingForm(meta={"timezone": profile.timezone_name()})
    tz = profile.local_zone()
    earlier = [(f.id, f"Filing of {display(f.submitted_at, tz)}") for f in row.effective_filings()]
    form.corrects.choices = choices([("", "No: a new submission"), *earlier])
    documents = [(d.id, f"{d.title} ({display(d.generated_at, tz)})") for d in row.documents]
    form.document.choices = choices([("", "None recorded"), *documents])
    return form


def _filing_is_sound(form: FilingForm, row: Obligation) -> bool:
    submitted_at = form.submitted_at.data
    if submitted_at > utcnow() + CLOCK_SKEW:
        form.submitted_at.errors.append("a submission cannot be in the future")
        return False
    if is_late(row, submitted_at) and not (form.delay_reasons.data or "").strip():
        due = display(row.due_at, profile.local_zone())
        message = f"this filing is late (due {due}): give the reasons for the delay ({DELAY_BASIS})"
        form.delay_reasons.errors.append(message)
        return False
    return True


def _me():
    return current_user._get_current_object()


def _commit(row: Obligation, message: str):
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash(
            "Someone else changed this incident at the same moment; nothing was saved. Try again.",
            "danger",
        )
        return redirect(url_for("obligations.show", obligation_id=row.id), code=303)
    flash(message, "success")
    return redirect(
        url_for("incidents.show", reference=row.incident.reference, _anchor="obligations")
    )


def _page(row: Obligation, filing_form: FilingForm, decision_form: DecisionForm) -> str:
    return render_template(
        "obligations/show.html",
        row=row,
        filing_form=filing_form,
        decision_form=decision_form,
        may_file=current_user.role in FILERS,
        may_decide=current_user.role in DECIDERS,
    )
