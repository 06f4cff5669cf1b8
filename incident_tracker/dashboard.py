"""The home page: what needs attention now."""

from flask import Blueprint, render_template
from flask_login import login_required

from .extensions import db
from .models import Incident

bp = Blueprint("dashboard", __name__)

RECENT = 10


@bp.get("/")
@login_required
def index():
    """Show open incidents, most recent first."""
    open_incidents = db.session.execute(
        db.select(Incident)
        .where(Incident.status != "closed")
        .order_by(Incident.created_at.desc())
        .limit(RECENT)
    ).scalars()
    return render_template("dashboard/index.html", incidents=list(open_incidents))
