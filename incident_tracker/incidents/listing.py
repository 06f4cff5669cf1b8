"""The incident list's query: search, filters, sorting and pagination."""

from dataclasses import dataclass

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func

from ..extensions import db
from ..models import (
    INCIDENT_STATUSES,
    AffectedJurisdiction,
    DataCategory,
    Incident,
    filter_index,
    search_index,
)
from ..models.incidents import incident_data_category
from ..web.bounds import page_number

SORTS = {
    "reference": Incident.reference,
    "title": Incident.title,
    "status": Incident.status,
    "aware_at": Incident.aware_at,
    "created_at": Incident.created_at,
}
MAX_SEARCH = 200
COUNT_CAP = 1000


@dataclass(frozen=True)
class ListQuery:
    q: str = ""
    status: str = ""
    category: str = ""
    jurisdiction: str = ""
    sort: str = "created_at"
    descending: bool = True
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "ListQuery":
        """Read the query string, ignoring values that are not allowed."""
        sort = args.get("sort", "created_at")
        status = args.get("status", "")
        return cls(
            q=args.get("q", "").strip()[:MAX_SEARCH],
            status=status if status in INCIDENT_STATUSES else "",
            category=args.get("category", "")[:40],
            jurisdiction=args.get("jurisdiction", "").strip().upper()[:6],
            sort=sort if sort in SORTS else "created_at",
            descending=args.get("order", "desc") != "asc",
            page=page_number(args),
        )

    def args(self, **changes) -> dict:
        """Query-string arguments for a link that changes some of these values."""
        values = {
            "q": self.q,
            "status": self.status,
            "category": self.category,
            "jurisdiction": self.jurisdiction,
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
            "page": self.page,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value not in ("", None)}


def statement(query: ListQuery) -> Select:
    """The SELECT for a list query."""
    column = SORTS[query.sort]
    stmt = _filtered(db.select(Incident), query)
    if query.q:
        indexed = column is Incident.created_at
        stmt = stmt.where(search_index.matching(query.q, in_index_order=indexed))
    order = column.desc() if query.descending else column.asc()
    if column.nullable:  # NULLS LAST on a NOT NULL column would keep PostgreSQL off its index
        order = order.nulls_last()
    return stmt.order_by(order, Incident.id.desc())


def _filtered(stmt: Select, query: ListQuery) -> Select:
    """`stmt` kept to the incidents in the status, category and place asked for.

    Category and place together come from the filter codes' index where the database keeps one
    (filter_index.py); otherwise, and for either alone, from the two tables' indexes.
    """
    if query.status:
        stmt = stmt.where(Incident.status == query.status)
    if query.category and query.jurisdiction and filter_index.indexed():
        return stmt.where(filter_index.having(category=query.category, place=query.jurisdiction))
    narrowed = _narrowed(query)
    if narrowed is not None:
        stmt = stmt.where(Incident.id.in_(narrowed))
    return stmt


def _narrowed(query: ListQuery) -> Select | None:
    """The ids of the incidents in the category and with people affected in the place, or None.

    One IN (subquery), joining the two filters' indexes, rather than EXISTS or one IN per
    filter: the database starts from the few rows of one category and keeps those with people in
    the place, instead of testing every incident or gathering both filters' incidents apart
    (3x faster at 100,000 incidents on SQLite; bench/RESULTS.md).
    """
    ids = None
    if query.category:
        ids = (
            db.select(incident_data_category.c.incident_id)
            .join(DataCategory)
            .where(DataCategory.code == query.category)
        )
    if query.jurisdiction:
        if ids is None:
            ids = db.select(AffectedJurisdiction.incident_id)
        else:
            same = AffectedJurisdiction.incident_id == incident_data_category.c.incident_id
            ids = ids.join(AffectedJurisdiction, same)
        ids = ids.where(
            AffectedJurisdiction.code == query.jurisdiction, AffectedJurisdiction.people > 0
        )
    return ids


def search(query: ListQuery) -> Pagination:
    """One page of incidents for the query, and how many match, counted up to COUNT_CAP + 1.

    Counting every match of a broad search in a large register costs more than finding the page;
    past COUNT_CAP the list says "more than 1,000" (the register export counts them all).
    Without a search, one query reads the ids of the first COUNT_CAP + 1 matches in the list's
    order, which are both the count and (unless the page lies beyond them) the page: the
    filters' work is done once, not once for the page and again for the count (SQLite's join of
    a category and a place at 100,000 incidents took 14 ms for each). A search is counted apart
    (_count_capped), as its index is read differently for the count.
    """
    per_page = current_app.config["INCIDENTS_PER_PAGE"]
    stmt = statement(query)
    if query.q:
        return _by_offset(stmt, query.page, per_page, total=_count_capped(query))
    ids = db.session.scalars(stmt.with_only_columns(Incident.id).limit(COUNT_CAP + 1)).all()
    if len(ids) <= COUNT_CAP or query.page * per_page <= len(ids):
        return _FirstMatches(page=query.page, per_page=per_page, error_out=False, ids=ids)
    return _by_offset(stmt, query.page, per_page, total=len(ids))  # a page past the first ones


def _by_offset(stmt: Select, number: int, per_page: int, total: int) -> Pagination:
    page = db.paginate(stmt, page=number, per_page=per_page, error_out=False, count=False)
    page.total = total
    return page


class _FirstMatches(Pagination):
    """A page cut from the ids of the first matches, in order, and their number as the total."""

    def _query_items(self) -> list[Incident]:
        start = (self.page - 1) * self.per_page
        wanted = self._query_args["ids"][start : start + self.per_page]
        found = db.session.scalars(db.select(Incident).where(Incident.id.in_(wanted)))
        by_id = {incident.id: incident for incident in found}
        return [by_id[id_] for id_ in wanted if id_ in by_id]  # one deleted meanwhile is left out

    def _query_count(self) -> int:
        return len(self._query_args["ids"])


def _count_capped(query: ListQuery) -> int:
    """How many incidents match the query, counted up to COUNT_CAP + 1.

    On PostgreSQL the matches are a MATERIALIZED common table expression, planned without the
    cap: planned with it, PostgreSQL expected a substring search to stop early and read the
    table row by row instead of using the trigram index (31 -> 8 ms at 100,000 incidents). It
    reads such an expression only as far as asked, so the cap still bounds the work. SQLite
    would compute it in full first, so there it stays a plain subquery, its search joined.
    """
    ids = _filtered(db.select(Incident.id), query)
    if query.q:
        ids = search_index.narrowed(ids, query.q)
    if db.engine.dialect.name == "postgresql":
        matches = ids.cte("matches").prefix_with("MATERIALIZED")
    else:
        matches = ids.subquery("matches")
    capped = db.select(matches.c.id).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(db.select(func.count()).select_from(capped))
