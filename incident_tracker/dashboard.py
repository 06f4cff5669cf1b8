"""The home page: every open obligation across incidents, soonest first."""

from dataclasses import dataclass

from flask import Blueprint, render_template, request
from flask_login import login_required

from .core.regimes import REGIME_NAMES
from .extensions import db
from .models import Incident, Obligation

bp = Blueprint("dashboard", __name__)

PENDING = ("open", "awaiting_anchor", "no_fixed_deadline")

LIMIT = 500


@dataclass(frozen=True)
class Filters:
    regime: str = ""
    jurisdiction: str = ""
    incident: str = ""

    @classmethod
    def from_args(cls, args) -> "Filters":
        regime = args.get("regime", "")
        return cls(
            regime=regime if regime in REGIME_NAMES else "",
            jurisdiction=args.get("jurisdiction", "").strip().upper()[:6],
            incident=args.get("incident", "").strip().upper()[:20],
        )


@bp.get("/")
@login_required
def index():
    """Show open obligations soonest first, then undated and awaiting ones."""
    filters = Filters.from_args(request.args)
    rows = _pending(filters)
    return render_template(
        "dashboard/index.html",
        filters=filters,
        regimes=REGIME_NAMES,
        dated=[row for row in rows if row.status == "open"],
        awaiting=[row for row in rows if row.status == "awaiting_anchor"],
        undated=[row for row in rows if row.status == "no_fixed_deadline"],
        incidents=_open_incident_references(),
    )


def _pending(filters: Filters) -> list[Obligation]:
    statement = (
        db.select(Obligation)
        .join(Obligation.incident)
        .where(Obligation.status.in_(PENDING), Incident.status != "closed")
        .options(db.contains_eager(Obligation.incident))
        .order_by(Obligation.due_at.asc().nulls_last(), Incident.reference, Obligation.rule_id)
        .limit(LIMIT)
    )
    if filters.regime:
        statement = statement.where(Obligation.regime == filters.regime)
    if filters.jurisdiction:
        statement = statement.where(Obligation.jurisdiction == filters.jurisdiction)
    if filters.incident:
        statement = statement.where(Incident.reference == filters.incident)
    return list(db.session.execute(statement).scalars())


def _open_incident_references() -> list[str]:
    statement = (
        db.select(Incident.reference)
        .where(Incident.status != "closed")
        .order_by(Incident.reference)
    )
    return list(db.session.execute(statement).scalars())
