"""The breach register (GDPR Art. 33(5)): a filtered preview, and CSV, JSON and PDF downloads."""

from flask import Blueprint, Response, render_template, request

from ..core.regimes import REGIME_NAMES
from ..models import INCIDENT_STATUSES, utcnow
from ..web import profile
from ..web.pdf_response import pdf_response
from ..web.roles import role_required
from .export import readable, render_register_pdf, to_csv, to_json
from .selection import FilterError, RegisterQuery, entries

bp = Blueprint("register", __name__, url_prefix="/register")

REGISTER_READERS = ("admin", "dpo", "legal")
PREVIEW_LIMIT = 200
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}


@bp.get("/")
@role_required(*REGISTER_READERS)
def index():
    """Show the filter form, a preview of the register and the download links."""
    try:
        query = RegisterQuery.from_args(request.args)
    except FilterError as error:
        return _page(None, [], error=str(error)), 400
    return _page(query, entries(query, profile.current()))


@bp.get("/export.<any(csv, json, pdf):fmt>")
@role_required(*REGISTER_READERS)
def export(fmt: str):
    """Download the register for the filters as a dated CSV, JSON or PDF attachment."""
    try:
        query = RegisterQuery.from_args(request.args)
    except FilterError as error:
        message = f"The register cannot be exported with these filters: {error}."
        return render_template("error.html", code=400, message=message), 400
    organization = profile.current()
    now = utcnow()
    rows = entries(query, organization)
    filename = f"breach-register-{now.astimezone(profile.local_zone()):%Y-%m-%d}.{fmt}"
    if fmt == "pdf":
        pdf = render_register_pdf(rows, generated_at=now, organization=organization, query=query)
        return pdf_response(pdf, filename)
    if fmt == "csv":
        body = to_csv(rows)
    else:
        body = to_json(rows, generated_at=now, organization=organization, query=query)
    response = Response(body.encode("utf-8"), mimetype=MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(query: RegisterQuery | None, rows: list[dict], error: str | None = None) -> str:
    tz = profile.local_zone()
    return render_template(
        "register/index.html",
        query=query,
        form=request.args if query is None else query.args(),
        rows=rows[:PREVIEW_LIMIT],
        total=len(rows),
        error=error,
        regimes=REGIME_NAMES,
        statuses=INCIDENT_STATUSES,
        when=lambda text: readable(text, tz),
    )
