"""The global audit log, for admins and DPOs, and the chain's verification on demand."""

from flask import Blueprint, render_template, request

from ..extensions import db
from ..models import AuditEvent
from ..web.bounds import page_number, query_int
from ..web.roles import PROFILE_EDITORS, role_required
from . import trail as audit

bp = Blueprint("audit_log", __name__, url_prefix="/audit")

PER_PAGE = 100


@bp.get("/")
@role_required(*PROFILE_EDITORS)
def index():
    """List audit rows, newest first, optionally of one kind of row or one incident; verify the
    chain on request (it reads every row: seconds at a large register, so not on every view)."""
    entity = request.args.get("entity", "")[:40]
    incident_id = query_int(request.args, "incident")
    statement = db.select(AuditEvent).order_by(AuditEvent.id.desc())
    if entity:
        statement = statement.where(AuditEvent.entity == entity)
    if incident_id:
        statement = statement.where(AuditEvent.incident_id == incident_id)
    page = db.paginate(
        statement, page=page_number(request.args), per_page=PER_PAGE, error_out=False
    )
    entities = db.session.execute(
        db.select(AuditEvent.entity).distinct().order_by(AuditEvent.entity)
    ).scalars()
    return render_template(
        "audit/index.html",
        page=page,
        entity=entity,
        entities=list(entities),
        incident_id=incident_id,
        verdict=audit.verify() if request.args.get("verify") else None,
    )
