"""Assessments of an incident: ENISA severity, NIS2 significance and DORA classification.

Each method proposes a level with its reasons; the DPO (or an admin) records the decision (the
proposal, or another level with the reason) as a new version; the decision sets the incident's
GDPR risk, NIS2 significance or DORA classification time, and the obligations follow.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length

from ..extensions import db
from ..incidents.references import incident_or_404
from ..models import Incident
from ..web import profile
from ..web.roles import DECIDERS, role_required
from . import dora, enisa, methods, nis2
from .methods import AssessmentError, Decision

bp = Blueprint("assessments", __name__, url_prefix="/incidents")

REASON_LENGTH = 4000
REGISTERED = (enisa, nis2, dora)  # importing them registers them


@bp.get("/<reference>/assessments")
@login_required
def index(reference: str):
    """Each assessment's current decision with its criteria, and every earlier version."""
    incident = _incident(reference)
    current = {kind: methods.latest(incident, kind) for kind in methods.METHODS}
    return render_template(
        "assessments/index.html",
        incident=incident,
        methods=methods.METHODS,
        current=current,
        history=methods.history(incident),
        criteria=methods.criteria,
        may_decide=current_user.role in DECIDERS,
    )


@bp.route("/<reference>/assessments/<kind>", methods=["GET", "POST"])
@role_required(*DECIDERS)
def assess(reference: str, kind: str):
    """Assess (the method proposes), then record the decision (a new version)."""
    incident, method = _incident(reference), methods.METHODS.get(kind) or abort(404)
    previous = methods.latest(incident, kind)
    data = method.prefill(methods.inputs_of(previous), incident)
    form = _form_class(method)(data=data, meta={"timezone": profile.timezone_name()})
    if request.method == "GET" or not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return _page(incident, method, form, outcome=None), status
    outcome = _outcome(method, form, incident)
    if outcome is None or "record" not in request.form:
        return _page(incident, method, form, outcome), 200 if outcome else 422
    return _decide(incident, method, form, outcome)


def _decide(incident: Incident, method, form, outcome):
    decision = Decision(
        value=form.decision.data or outcome.proposal,
        reason=form.reason.data or "",
        classified_at=getattr(getattr(form, "classified_at", None), "data", None),
    )
    problem = methods.decision_problem(outcome, decision)
    if problem:
        form.reason.errors = [problem]
        return _page(incident, method, form, outcome), 422
    user = current_user._get_current_object()
    row = methods.record(
        incident, method, method.inputs(form), outcome, decision, user, profile.current()
    )
    db.session.commit()
    flash(f"{method.title}, version {row.version}, recorded.", "success")
    return redirect(url_for("assessments.index", reference=incident.reference))


def _outcome(method, form, incident: Incident):
    try:
        return method.assess(method.inputs(form), incident, profile.current())
    except AssessmentError as error:
        field = getattr(form, error.field, None)
        if field is None:
            flash(error.message, "danger")
        else:
            field.errors = [*field.errors, error.message]
        return None


class _DecisionFields:
    """The decision part of every assessment form."""

    decision = SelectField("Decision", validate_choice=False)
    reason = TextAreaField(
        "Reason, when deciding otherwise than the method proposes",
        validators=[Length(max=REASON_LENGTH)],
    )


def _form_class(method):
    return type(f"{method.kind.title()}AssessmentForm", (method.form_class, _DecisionFields), {})


def _page(incident: Incident, method, form, outcome):
    form.decision.choices = list(outcome.choices) if outcome else []
    if outcome and not form.decision.data:
        form.decision.data = outcome.proposal
    return render_template(
        "assessments/form.html", incident=incident, method=method, form=form, outcome=outcome
    )


def _incident(reference: str) -> Incident:
    incident = incident_or_404(reference)
    if profile.current() is None:
        abort(409)
    return incident
