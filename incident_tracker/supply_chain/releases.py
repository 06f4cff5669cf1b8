"""Compromised releases: mark a package version compromised, see every exposed system, vendor,
customer and contract, and open the incidents in one action."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..incidents.contracts import engine_contract
from ..models import CompromisedRelease, Incident, utcnow
from ..web import profile
from ..web.bounds import query_int
from ..web.fields import choices
from ..web.roles import SUPPLY_CHAIN_RESPONDERS, may, role_required
from . import exposure as release_exposure
from . import opening
from .forms import OpenIncidentsForm, ReleaseForm

bp = Blueprint("releases", __name__, url_prefix="/releases")

RACE = "Someone marked one of these releases at the same moment; nothing was saved. Try again."


@bp.get("/")
@login_required
def index():
    """List the releases marked compromised, newest first."""
    return render_template(
        "supply_chain/releases/index.html",
        releases=_releases(),
        may_respond=may(SUPPLY_CHAIN_RESPONDERS),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*SUPPLY_CHAIN_RESPONDERS)
def new():
    """Mark one or more releases compromised (each row is written once and never changed)."""
    form = ReleaseForm(data={"known_at": utcnow()}, meta={"timezone": profile.timezone_name()})
    if not form.validate_on_submit():
        return render_template(
            "supply_chain/releases/new.html", form=form
        ), 422 if form.is_submitted() else 200
    rows = [
        CompromisedRelease(
            package_url=url,
            advisory=(form.advisory.data or "").strip(),
            known_at=form.known_at.data,
            marked_by=current_user._get_current_object(),
        )
        for url in form.releases
    ]
    db.session.add_all(rows)
    try:
        db.session.commit()
    except IntegrityError:  # someone marked one of them at the same moment
        db.session.rollback()
        form.package_urls.errors.append(RACE)
        return render_template("supply_chain/releases/new.html", form=form), 409
    flash(f"{len(rows)} release(s) marked compromised.", "success")
    return redirect(url_for("releases.exposure", release=[row.id for row in rows]))


@bp.get("/exposure")
@login_required
def exposure():
    """Show what the chosen releases (or all) reach: systems, vendors, customers, contracts."""
    releases = _chosen(request.args.getlist("release"))
    form = OpenIncidentsForm(data={"releases": [release.id for release in releases]})
    form.releases.choices = _release_choices()
    return _exposure_page(releases, form)


@bp.post("/open")
@role_required(*SUPPLY_CHAIN_RESPONDERS)
def open_incidents():
    """Open one incident for our exposed systems and one per exposed vendor, in one action."""
    form = OpenIncidentsForm()
    form.releases.choices = _release_choices()
    if not form.validate_on_submit():
        known = {str(choice.value) for choice in form.releases.choices}
        chosen = [value for value in form.releases.raw_data or [] if value in known]
        return _exposure_page(_chosen(chosen), form), 422
    org = profile.current()
    if org is None:
        flash("Set up the organization profile first: its duties drive every clock.", "warning")
        return redirect(url_for("organization.edit"))
    releases, actor = _chosen(form.releases.data), current_user._get_current_object()
    opened = opening.open_incidents(releases, org, actor)
    db.session.commit()
    if not opened:
        flash("No system or vendor uses these releases: no incident was opened.", "info")
        return redirect(url_for("releases.exposure", release=form.releases.data))
    created = [item.incident.reference for item in opened if item.created]
    linked = [item.incident.reference for item in opened if not item.created]
    flash(_opened_message(created, linked), "success")
    return redirect(url_for("releases.opened", created=created, linked=linked))


@bp.get("/opened")
@login_required
def opened():
    """Show the incidents an "open incidents" action opened or linked, with their obligations."""
    created = request.args.getlist("created")
    linked = request.args.getlist("linked")
    statement = db.select(Incident).where(Incident.reference.in_(created + linked))
    incidents = list(db.session.execute(statement.order_by(Incident.reference)).scalars())
    return render_template(
        "supply_chain/releases/opened.html", incidents=incidents, created=set(created)
    )


def _opened_message(created: list[str], linked: list[str]) -> str:
    parts = []
    if created:
        parts.append(f"Opened {len(created)} incident(s): {', '.join(created)}.")
    if linked:
        parts.append(f"Already open, linked instead of opening again: {', '.join(linked)}.")
    return " ".join(parts)


def _exposure_page(releases: list[CompromisedRelease], form: OpenIncidentsForm):
    found = [release_exposure.exposure(release.package_url) for release in releases]
    contracts = {c.id: engine_contract(c) for item in found for c in item.contracts}
    return render_template(
        "supply_chain/releases/exposure.html",
        pairs=list(zip(releases, found, strict=True)),
        contracts=contracts,
        origins=opening.origins(releases),
        form=form,
        may_respond=may(SUPPLY_CHAIN_RESPONDERS),
    )


def _releases() -> list[CompromisedRelease]:
    statement = db.select(CompromisedRelease).order_by(
        CompromisedRelease.known_at.desc(), CompromisedRelease.package_url
    )
    return list(db.session.execute(statement).scalars())


def _release_choices() -> list:
    return choices((release.id, release.package_url) for release in _releases())


def _chosen(ids: list) -> list[CompromisedRelease]:
    """The releases with these ids (every release when none is given); 404 for an unknown one."""
    if not ids:
        return sorted(_releases(), key=lambda release: release.package_url)
    wanted = {query_int({"id": value}, "id") for value in ids}
    if None in wanted:
        abort(404)
    statement = db.select(CompromisedRelease).where(CompromisedRelease.id.in_(wanted))
    rows = list(db.session.execute(statement.order_by(CompromisedRelease.package_url)).scalars())
    if len(rows) != len(wanted):
        abort(404)
    return rows
