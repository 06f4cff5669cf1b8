"""Notices received from vendors: record one, archive its letter, and open or update the incident
it starts."""

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import func
from sqlalchemy.orm import defer

from ..extensions import db
from ..models import Counterparty, VendorNotice, utcnow
from ..web import profile
from ..web.roles import SUPPLY_CHAIN_RESPONDERS, may, role_required
from . import opening
from .forms import LETTER_LIMIT, MB, VendorNoticeForm, vendor_choices

bp = Blueprint("vendor_notices", __name__, url_prefix="/vendor-notices")

FORM_ROOM = 1 * MB  # the other fields of the form, beside the letter


@bp.url_value_preprocessor
def _allow_letters(endpoint, _values):
    """Let the notice form carry a 10 MB letter (the app's limit is smaller); this runs before
    any hook reads the request body."""
    if endpoint == "vendor_notices.new":
        request.max_content_length = LETTER_LIMIT + FORM_ROOM


@bp.errorhandler(413)
def _too_large(_error):
    message = "The upload is too large: a vendor's letter may be at most 10 MB. Nothing was saved."
    return render_template("error.html", code=413, message=message), 413


@bp.get("/")
@login_required
def index():
    """List the notices received from vendors, newest first."""
    statement = (
        db.select(VendorNotice)
        .options(defer(VendorNotice.letter))  # up to 10 MB each: only the download reads it
        .order_by(VendorNotice.received_at.desc())
    )
    notices = list(db.session.execute(statement).scalars())
    return render_template(
        "supply_chain/vendor_notices/index.html",
        notices=notices,
        may_respond=may(SUPPLY_CHAIN_RESPONDERS),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*SUPPLY_CHAIN_RESPONDERS)
def new():
    """Record a notice from a vendor and open an incident from it, or add it to one."""
    org = profile.current()
    if org is None:
        flash("Set up the organization profile first: its duties drive every clock.", "warning")
        return redirect(url_for("organization.edit"))
    form = VendorNoticeForm(
        data={"received_at": utcnow()}, meta={"timezone": profile.timezone_name()}
    )
    form.vendor.choices = vendor_choices()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("supply_chain/vendor_notices/new.html", form=form), status
    notice = _notice(form)
    incident = opening.receive_notice(
        notice, org, current_user._get_current_object(), form.target, form.aware_at.data
    )
    db.session.commit()
    verb = "opened" if form.target is None else "updated"
    flash(f"Notice from {notice.vendor.name} recorded; {incident.reference} {verb}.", "success")
    return redirect(url_for("vendor_notices.show", notice_id=notice.id))


@bp.get("/<int:notice_id>")
@login_required
def show(notice_id: int):
    """Show a notice received: what the vendor said, its letter and the incident it belongs to."""
    notice = db.get_or_404(VendorNotice, notice_id, options=[defer(VendorNotice.letter)])
    size = db.session.scalar(
        db.select(func.length(VendorNotice.letter)).where(VendorNotice.id == notice_id)
    )
    return render_template("supply_chain/vendor_notices/show.html", notice=notice, letter_size=size)


@bp.get("/<int:notice_id>/letter")
@login_required
def letter(notice_id: int):
    """Download the vendor's letter exactly as received; never shown inline."""
    notice = db.get_or_404(VendorNotice, notice_id)
    if notice.letter is None:
        abort(404)
    response = send_file(
        BytesIO(notice.letter),
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=notice.letter_name or f"vendor-notice-{notice.id}",
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Content-SHA256"] = notice.letter_sha256
    response.headers["Cache-Control"] = "no-store"
    return response


def _notice(form: VendorNoticeForm) -> VendorNotice:
    notice = VendorNotice(
        vendor=db.session.get(Counterparty, form.vendor.data),
        received_at=form.received_at.data,
        summary=form.summary.data.strip(),
        components=(form.components.data or "").strip(),
        data_involved=(form.data_involved.data or "").strip(),
        recorded_by=current_user._get_current_object(),
    )
    if form.letter_bytes is not None:
        opening.archive_letter(notice, form.letter_bytes, form.letter_name)
    return notice
