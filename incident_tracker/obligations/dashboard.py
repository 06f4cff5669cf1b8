"""The home page: every pending obligation across open incidents, soonest first, a page at a time.

Three sections (dated deadlines, duties without a fixed deadline, duties awaiting their anchor),
each paginated on its own: the page costs the same few queries whether the register holds a
hundred pending duties or a hundred thousand.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime

from flask import Blueprint, render_template, request
from flask_login import login_required
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func

from ..core.regimes import REGIME_NAMES
from ..extensions import db
from ..models import Incident, Obligation, pending_index, utcnow
from ..models.common import INCIDENT_STATUSES
from ..web import page_cache
from ..web.bounds import page_number
from ..web.profile import timezone_name

bp = Blueprint("dashboard", __name__)

SECTIONS = {"dated": "open", "undated": "no_fixed_deadline", "awaiting": "awaiting_anchor"}
PER_PAGE = {"dated": 50, "undated": 25, "awaiting": 25}  # the clocks first
LIVE = tuple(status for status in INCIDENT_STATUSES if status != "closed")


@dataclass(frozen=True, slots=True)
class IncidentShown:
    reference: str
    status: str


@dataclass(frozen=True, slots=True)
class PendingRow:
    """A pending obligation as a dashboard row shows it (the obligation rows macro), read as
    plain columns: building ORM objects for a page's hundred rows cost three times the query
    (bench/RESULTS.md). Pending, so it has no filings."""

    id: int
    rule_id: str
    jurisdiction: str
    title: str
    recipient: str
    basis: str
    anchor: str
    anchor_at: datetime | None
    due_at: datetime | None
    status: str
    starts_when: str | None
    relief: str | None
    reason: str | None
    incident: IncidentShown
    filings: tuple = ()


ROW_COLUMNS = tuple(
    getattr(Obligation, column.name)
    for column in fields(PendingRow)
    if column.name not in ("incident", "filings")
)
INCIDENT_SHOWN = (Incident.reference, Incident.status)


@dataclass(frozen=True)
class Filters:
    regime: str = ""
    jurisdiction: str = ""
    incident: str = ""
    pages: dict[str, int] = field(default_factory=dict)  # section -> page number

    @classmethod
    def from_args(cls, args) -> "Filters":
        regime = args.get("regime", "")
        return cls(
            regime=regime if regime in REGIME_NAMES else "",
            jurisdiction=args.get("jurisdiction", "").strip().upper()[:6],
            incident=args.get("incident", "").strip().upper()[:20],
            pages={name: page_number(args, f"{name}_page") for name in SECTIONS},
        )

    def key(self) -> tuple:
        return (self.regime, self.jurisdiction, self.incident, tuple(sorted(self.pages.items())))

    def page(self, section: str) -> int:
        return self.pages.get(section, 1)

    def args(self, section: str) -> Callable[..., dict]:
        """For the pagination macro: the query string of another page of one section."""

        def build(page: int) -> dict:
            values = {"regime": self.regime, "jurisdiction": self.jurisdiction}
            values["incident"] = self.incident
            values |= {f"{name}_page": number for name, number in self.pages.items()}
            values[f"{section}_page"] = page
            kept = {k: v for k, v in values.items() if v not in ("", 1)}
            return kept | {"_anchor": section}

        return build


@bp.get("/")
@login_required
def index():
    """Show pending obligations soonest first: dated, then undated, then awaiting their anchor."""
    filters = Filters.from_args(request.args)
    minute = utcnow().replace(second=0, microsecond=0)  # the countdowns' resolution
    key = ("dashboard", filters.key(), timezone_name(), minute)
    sections = page_cache.fragment(key, lambda: _render_sections(filters))
    return render_template(
        "obligations/dashboard.html", filters=filters, regimes=REGIME_NAMES, sections_html=sections
    )


def _render_sections(filters: Filters) -> str:
    totals = _totals(filters)
    sections = {
        name: _section(filters, name, status, totals.get(status, 0))
        for name, status in SECTIONS.items()
    }
    return render_template(
        "obligations/_dashboard_sections.html", filters=filters, sections=sections
    )


def _pending(filters: Filters, *columns) -> Select:
    """Pending obligations of incidents not closed, filtered; selecting `columns`."""
    statement = db.select(*columns).select_from(Obligation).join(Obligation.incident)
    if pending_index.indexed():  # the partial index of the live incidents' pending duties
        statement = statement.where(pending_index.LIVE)
    else:  # SQLite walks the (status, due_at, incident) index and joins each row's incident
        statement = statement.where(Incident.status != "closed")
    if filters.incident:
        statement = statement.where(Incident.reference == filters.incident)
    return _by_place_and_regime(statement, filters)


def _by_place_and_regime(statement: Select, filters: Filters) -> Select:
    if filters.regime:
        statement = statement.where(Obligation.regime == filters.regime)
    if filters.jurisdiction:
        statement = statement.where(Obligation.jurisdiction == filters.jurisdiction)
    return statement


def _totals(filters: Filters) -> dict[str, int]:
    """How many pending obligations each section holds, in one pass.

    On PostgreSQL from the partial index of the live incidents' pending obligations alone. On
    SQLite from the live incidents' ids (an index of incidents by status, then one of obligations
    by incident and status), not by joining each pending obligation to its incident's row: at
    100,000 incidents the join read thousands of wide incident rows (bench/RESULTS.md).
    """
    statement = (
        db.select(Obligation.status, func.count())
        .where(Obligation.status.in_(SECTIONS.values()), *_of_live_incidents(filters))
        .group_by(Obligation.status)
    )
    statement = _by_place_and_regime(statement, filters)
    return {status: count for status, count in db.session.execute(statement)}


def _of_live_incidents(filters: Filters) -> list:
    """The totals' conditions on the obligation's incident: live, and the one filtered, if any."""
    incidents = db.select(Incident.id)
    if filters.incident:
        incidents = incidents.where(Incident.reference == filters.incident)
    if not pending_index.indexed():
        return [Obligation.incident_id.in_(incidents.where(Incident.status.in_(LIVE)))]
    if filters.incident:
        return [pending_index.LIVE, Obligation.incident_id.in_(incidents)]
    return [pending_index.LIVE]


def _section(filters: Filters, name: str, status: str, total: int) -> "SectionPage":
    """One page of a section, in the order of the (status, due_at, incident) index."""
    statement = (
        _pending(filters, *ROW_COLUMNS, *INCIDENT_SHOWN)
        .where(Obligation.status == status)
        .order_by(Obligation.due_at, Obligation.incident_id, Obligation.rule_id, Obligation.id)
    )
    return SectionPage(
        page=filters.page(name),
        per_page=PER_PAGE[name],
        error_out=False,
        select=statement,
        total=total,
    )


class SectionPage(Pagination):
    """Flask-SQLAlchemy's pagination over a section's plain rows, its total counted apart."""

    def _query_items(self) -> list[PendingRow]:
        page = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return [_row(*values) for values in db.session.execute(page)]

    def _query_count(self) -> int:
        return self._query_args["total"]


def _row(*values) -> PendingRow:
    *obligation, reference, incident_status = values
    return PendingRow(*obligation, IncidentShown(reference, incident_status))
