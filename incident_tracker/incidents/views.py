"""Incidents: record, edit, list and show what happened, when, to which data and to whom."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from ..audit import trail as audit
from ..core import engine
from ..core.regimes import REGIME_NAMES
from ..extensions import db
from ..models import Contract, Counterparty, Incident, IncidentParty, Obligation, User, utcnow
from ..web import page_cache, profile, versions
from ..web.fields import choices
from ..web.roles import INCIDENT_EDITORS, role_required
from . import determinations, records, timeline
from .forms import IncidentForm, NoteForm, tri_state_data
from .listing import COUNT_CAP, ListQuery, search
from .records import SCALAR_FIELDS
from .references import incident_or_404
from .regeneration import facts_for

bp = Blueprint("incidents", __name__, url_prefix="/incidents")

BLANK_JURISDICTION_ROWS = 3
BLANK_PARTY_ROWS = 2
AUDIT_SHOWN = 25  # the newest changes; the audit log has them all


@bp.get("/")
@login_required
def index():
    """List incidents with search, filters, sorting and pagination."""
    query = ListQuery.from_args(request.args)
    page = search(query)
    categories = records.categories()
    return render_template(
        "incidents/index.html", page=page, query=query, categories=categories, count_cap=COUNT_CAP
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*INCIDENT_EDITORS)
def new():
    """Record a new incident."""
    org = profile.current()
    if org is None:
        flash(
            "Set up the organization profile first: its timezone and duties drive every clock.",
            "warning",
        )
        return redirect(url_for("organization.edit"))
    form = _form(data=_blank_rows())
    if form.validate_on_submit():
        changes, user = _changes(form), current_user._get_current_object()
        incident = records.record(changes, org, user)
        db.session.commit()
        flash(f"Incident {incident.reference} recorded.", "success")
        _flash_proposals(determinations.withheld(None, changes.scalars, user))
        return redirect(url_for("incidents.show", reference=incident.reference))
    return render_template("incidents/form.html", form=form, incident=None)


@bp.get("/<reference>")
@login_required
def show(reference: str):
    """Show an incident with its data, people affected, parties and timeline."""
    return _show_page(reference, _note_form())


@bp.route("/<reference>/edit", methods=["GET", "POST"])
@role_required(*INCIDENT_EDITORS)
def edit(reference: str):
    """Edit an incident; every change goes to its timeline, and a stale form never overwrites."""
    incident = incident_or_404(reference)
    form = _form(data=_form_data(incident))
    if not form.validate_on_submit():
        return render_template("incidents/form.html", form=form, incident=incident)
    try:
        saved = records.change(
            incident,
            _changes(form),
            profile.current(),
            current_user._get_current_object(),
            version=form.submitted_version(),
        )
    except records.Stale:
        return _conflict(incident, form)
    db.session.commit()
    if saved.sentences or not saved.proposals:
        flash(f"Saved {incident.reference}: {len(saved.sentences)} change(s).", "success")
    _flash_proposals(saved.proposals)
    return redirect(url_for("incidents.show", reference=incident.reference))


def _flash_proposals(proposals) -> None:
    if proposals:
        names = ", ".join(timeline.phrase(proposal.name) for proposal in proposals)
        flash(
            f"Proposed, not applied: {names}. A DPO or an admin decides; the proposal is on the "
            "incident's timeline.",
            "warning",
        )


def _conflict(incident: Incident, form: IncidentForm):
    """Someone saved first: show what they changed, keep this user's input, let them save again."""
    db.session.refresh(incident)
    since = versions.loaded_at(form.loaded_at.data)
    meanwhile = [
        event
        for event in incident.events
        if event.kind in ("edited", "deadline", "filing", "decision")
        and (since is None or event.recorded_at > since)
    ]
    form.mark_current(incident.version, versions.stamp())
    page = render_template(
        "incidents/form.html", form=form, incident=incident, meanwhile=meanwhile, conflict=True
    )
    return page, 409


@bp.post("/<reference>/notes")
@role_required(*INCIDENT_EDITORS)
def add_note(reference: str):
    """Add a manual event (what happened when) to the timeline."""
    incident = incident_or_404(reference)
    form = _note_form()
    if form.validate_on_submit():
        timeline.record(
            incident, "note", form.text.data.strip(), current_user, at=form.occurred_at.data
        )
        db.session.commit()
        flash("Added to the timeline.", "success")
        return redirect(url_for("incidents.show", reference=reference, _anchor="timeline"))
    return _show_page(reference, form), 422


def _show_page(reference: str, note_form: NoteForm) -> str:
    """The incident page: everything but the note form is cached between changes (page_cache),
    per role (what may be edited or followed to the audit log), zone and minute (countdowns)."""
    minute = utcnow().replace(second=0, microsecond=0)
    key = ("incident", reference, current_user.role, profile.timezone_name(), minute)
    record, history = page_cache.fragments(key, lambda: _render_sections(reference))
    return render_template(
        "incidents/show.html",
        reference=reference,
        note_form=note_form,
        record=record,
        history=history,
    )


def _render_sections(reference: str) -> tuple[str, str]:
    """The incident's record (header to timeline) and its newest audit rows; 404 if unknown."""
    incident = incident_or_404(reference, options=PAGE_LOADS)
    org = profile.current()
    missing = engine.compute(facts_for(incident, org)).missing if org else ()
    record = render_template(
        "incidents/_record.html",
        incident=incident,
        missing=missing,
        obligation_groups=_by_regime(incident.obligations),
        events=timeline.shown(incident.id),
    )
    history = render_template(
        "incidents/_history.html",
        incident=incident,
        audit_events=audit.history(incident_id=incident.id, limit=AUDIT_SHOWN),
        audit_shown=AUDIT_SHOWN,
    )
    return record, history


def _by_regime(rows: list[Obligation]) -> list[tuple[str, list[Obligation]]]:
    """Group obligations by regime in catalogue order, soonest first within each."""
    groups: dict[str, list[Obligation]] = {}
    for row in sorted(
        rows, key=lambda r: (r.due_at is None, r.due_at or r.created_at, r.rule_id, r.jurisdiction)
    ):
        groups.setdefault(row.regime, []).append(row)
    order = {name: index for index, name in enumerate(REGIME_NAMES)}
    return [
        (REGIME_NAMES.get(name, name), groups[name])
        for name in sorted(groups, key=lambda n: order.get(n, 99))
    ]


# What the incident page shows, loaded in one query per collection (never one per row); its
# timeline is read as plain rows (timeline.shown).
# Each collection in one query whatever its size; the small ones below a collection joined to
# it rather than loaded in a query of their own (on PostgreSQL every query costs about 1 ms).
PAGE_LOADS = (
    selectinload(Incident.obligations).joinedload(Obligation.filings),
    selectinload(Incident.jurisdictions),
    selectinload(Incident.parties)
    .joinedload(IncidentParty.counterparty)
    .selectinload(Counterparty.contracts)
    .joinedload(Contract.clauses),
    selectinload(Incident.data_categories),
    joinedload(Incident.owner),
)


def _form(data: dict) -> IncidentForm:
    form = IncidentForm(data=data, meta={"timezone": profile.timezone_name()})
    form.data_categories.choices = choices(
        (category.id, category.name) for category in records.categories()
    )
    form.owner_id.choices = choices([("", "Nobody yet"), *_owner_choices()])
    return form


def _owner_choices() -> list[tuple[int, str]]:
    owners = (
        db.select(User).where(User.role.in_(INCIDENT_EDITORS), User.active).order_by(User.email)
    )
    return [
        (user.id, f"{user.email} ({user.role})") for user in db.session.execute(owners).scalars()
    ]


def _note_form() -> NoteForm:
    return NoteForm(meta={"timezone": profile.timezone_name()})


def _blank_rows() -> dict:
    return {"jurisdictions": [{}] * BLANK_JURISDICTION_ROWS, "parties": [{}] * BLANK_PARTY_ROWS}


def _form_data(incident: Incident) -> dict:
    data = {name: getattr(incident, name) for name in SCALAR_FIELDS}
    data.update(tri_state_data(incident), version=incident.version, loaded_at=versions.stamp())
    data["severity"] = incident.severity or ""
    data["gdpr_risk"] = incident.gdpr_risk or ""
    data["data_categories"] = [category.id for category in incident.data_categories]
    rows = [
        {"code": j.code, "people": j.people, "records": j.records} for j in incident.jurisdictions
    ]
    data["jurisdictions"] = rows + [{}] * BLANK_JURISDICTION_ROWS
    parties = [_party_data(party) for party in incident.parties]
    data["parties"] = parties + [{}] * BLANK_PARTY_ROWS
    return data


def _party_data(party: IncidentParty) -> dict:
    fields = ("name", "kind", "role", "package_url", "notes")
    return {name: getattr(party, name) or "" for name in fields}


def _changes(form: IncidentForm) -> records.Changes:
    return records.Changes(
        scalars=form.scalar_values(),
        category_ids=list(form.data_categories.data or []),
        places=form.jurisdiction_rows(),
        parties=form.party_rows(),
    )
