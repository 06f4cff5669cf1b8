"""The API's endpoints: incidents, obligations, filings, decisions, documents, deadline previews."""

from datetime import timedelta

from flask import Response, g, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from ..accounts.tokens import digest
from ..extensions import csrf, db
from ..facts import codes
from ..facts.document import FactsError, evaluate
from ..facts.purl import validate_package_url
from ..incidents import determinations, instants, records
from ..incidents.listing import ListQuery
from ..incidents.listing import statement as incident_statement
from ..models import ApiToken, Document, Incident, Obligation, utcnow
from ..obligations.filings import (
    Submission,
    decide_not_required,
    is_late,
    locked_obligation,
    record_filing,
)
from ..web import profile
from ..web.roles import DECIDERS, FILERS, INCIDENT_EDITORS
from . import schemas as s

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="The incident register as JSON.")
csrf.exempt(blp)  # token-authenticated: no cookies, so no cross-site request forgery

READ_METHODS = ("GET", "HEAD", "OPTIONS")
LAST_USED_EVERY = timedelta(hours=1)
ERRORS = (401, 403, 404, 409, 413, 415, 422)


@blp.before_request
def authenticate():
    """Find the bearer token's user; writes need a read-write token."""
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    row = (
        db.session.execute(
            db.select(ApiToken).filter_by(token_hash=digest(token))
        ).scalar_one_or_none()
        if token
        else None
    )
    if row is None or not row.active or not row.user.active:
        abort(401, message="send a valid API token as Authorization: Bearer <token>")
    if request.method not in READ_METHODS and row.scope != "read_write" and not _pure():
        abort(403, message="this token is read-only")
    g._login_user = row.user  # Flask-Login's current user for this request: audit records it
    g.api_token = row
    _note_use(row)


def _pure() -> bool:
    """POST /deadlines computes and stores nothing: a read-only token may call it."""
    return request.endpoint == "api.deadlines"


def _note_use(row: ApiToken) -> None:
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_EVERY:
        row.last_used_at = now
        db.session.commit()


def _require(roles: tuple[str, ...]) -> None:
    if g.api_token.user.role not in roles:
        abort(403, message=f"the role {g.api_token.user.role} may not do this")


def _page(statement, args, dump) -> dict:
    page = db.paginate(statement, page=args["page"], per_page=args["per_page"], error_out=False)
    return {
        "items": [dump(item) for item in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
    }


# --- incidents ------------------------------------------------------------------------------

SCALARS = [name for name in records.SCALAR_FIELDS if name != "owner_id"]


def dump_incident(incident: Incident) -> dict:
    values = {name: getattr(incident, name) for name in SCALARS}
    values.update(
        reference=incident.reference,
        version=incident.version,
        created_at=incident.created_at,
        data_categories=[category.code for category in incident.data_categories],
        affected=[
            {"code": j.code, "people": j.people, "records": j.records}
            for j in incident.jurisdictions
        ],
        parties=[
            {
                "name": p.name,
                "kind": p.kind,
                "role": p.role,
                "package_url": p.package_url,
                "notes": p.notes,
            }
            for p in incident.parties
        ],
        obligations=[row.id for row in incident.obligations],
    )
    return values


def _changes(data: dict) -> records.Changes:
    """Turn validated JSON into the changes records.py applies; bad codes are 422."""
    changes = records.Changes(scalars={name: data[name] for name in SCALARS if name in data})
    if "data_categories" in data:
        changes.category_ids = _category_ids(data["data_categories"])
    if "affected" in data:
        changes.places = _places(data["affected"])
    if "parties" in data:
        changes.parties = [_party(party, index) for index, party in enumerate(data["parties"])]
    return changes


def _category_ids(wanted: list[str]) -> list[int]:
    known = {category.code: category.id for category in records.categories()}
    unknown = sorted(set(wanted) - known.keys())
    if unknown:
        abort(
            422,
            errors={
                "json": {"data_categories": [f"unknown data categories: {', '.join(unknown)}"]}
            },
        )
    return [known[code] for code in wanted]


def _places(rows: list[dict]) -> list[dict]:
    places, seen = [], set()
    for index, row in enumerate(rows):
        try:
            code = codes.jurisdiction_code(row["code"])
        except ValueError as error:
            abort(422, errors={"json": {"affected": {str(index): {"code": [str(error)]}}}})
        if code in seen:
            abort(
                422,
                errors={"json": {"affected": {str(index): {"code": [f"{code} appears twice"]}}}},
            )
        seen.add(code)
        places.append({"code": code, "people": row["people"], "records": row.get("records")})
    return places


def _party(party: dict, index: int) -> dict:
    package_url = party.get("package_url")
    if package_url:
        try:
            package_url = validate_package_url(package_url)
        except ValueError as error:
            abort(422, errors={"json": {"parties": {str(index): {"package_url": [str(error)]}}}})
    return {
        **party,
        "name": party["name"].strip() or party["name"],
        "package_url": package_url or None,
    }


def _check_instants(incident: Incident | None, changes: records.Changes) -> None:
    """The rules every writer's instants keep (incidents/instants.py), on the incident as it
    would be saved, before anything is changed: a problem is a 422."""
    values = {name: getattr(incident, name, None) for name in instants.INSTANTS}
    values.update({k: v for k, v in changes.scalars.items() if k in instants.INSTANTS})
    found = instants.problems(values)
    if found:
        abort(422, errors={"json": {name: [problem] for name, problem in found.items()}})


def _incident(reference: str) -> Incident:
    incident = db.session.execute(
        db.select(Incident).filter_by(reference=reference)
    ).scalar_one_or_none()
    if incident is None:
        abort(404, message=f"no incident {reference}")
    return incident


@blp.route("/incidents")
class Incidents(MethodView):
    @blp.arguments(s.IncidentQuerySchema, location="query")
    @blp.response(200, s.page_of(s.IncidentSchema))
    @blp.alt_response(401, schema=s.ProblemSchema, content_type="application/problem+json")
    def get(self, args):
        """List incidents (newest first), searched and filtered like the incident list."""
        query = ListQuery(
            q=args["q"],
            status=args.get("status", ""),
            category=args.get("category", ""),
            jurisdiction=args.get("jurisdiction", "").upper(),
        )
        return _page(incident_statement(query), args, dump_incident)

    @blp.arguments(s.IncidentInSchema)
    @blp.response(201, s.IncidentSchema)
    @blp.alt_response(422, schema=s.ProblemSchema, content_type="application/problem+json")
    def post(self, data):
        """Record an incident (title required); its obligations are computed at once."""
        _require(INCIDENT_EDITORS)
        org = profile.current()
        if org is None:
            abort(409, message="set up the organization profile first")
        if not data.get("title"):
            abort(422, errors={"json": {"title": ["Missing data for required field."]}})
        changes = _changes(data)
        _check_instants(None, changes)
        _may_determine(None, changes)
        incident = records.record(changes, org, g.api_token.user)
        db.session.commit()
        return dump_incident(incident)


def _may_determine(incident: Incident | None, changes: records.Changes) -> None:
    """A legal determination only a DPO or an admin may lower is refused whole (403)."""
    proposals = determinations.withheld(incident, changes.scalars, g.api_token.user)
    if proposals:
        abort(403, message=determinations.refusal(proposals))


@blp.route("/incidents/<reference>")
class IncidentItem(MethodView):
    @blp.response(200, s.IncidentSchema)
    @blp.alt_response(404, schema=s.ProblemSchema, content_type="application/problem+json")
    def get(self, reference):
        """Read one incident."""
        return dump_incident(_incident(reference))

    @blp.arguments(s.IncidentInSchema)
    @blp.response(200, s.IncidentSchema)
    @blp.alt_response(409, schema=s.ProblemSchema, content_type="application/problem+json")
    def patch(self, data, reference):
        """Change the fields given; `version` must be the one read, or 409."""
        _require(INCIDENT_EDITORS)
        incident = _incident(reference)
        changes = _changes(data)
        _check_instants(incident, changes)
        _may_determine(incident, changes)
        try:
            records.change(
                incident,
                changes,
                profile.current(),
                g.api_token.user,
                version=data.get("version"),
            )
        except records.Stale:
            abort(
                409,
                message=f"{reference} changed since version {data.get('version')}; read it again",
            )
        db.session.commit()
        return dump_incident(incident)


# --- obligations, filings, decisions -------------------------------------------------------


def dump_obligation(row: Obligation) -> dict:
    fields = (
        "id",
        "rule_id",
        "jurisdiction",
        "title",
        "recipient",
        "basis",
        "anchor",
        "anchor_at",
        "due_at",
        "status",
        "starts_when",
        "reason",
    )
    return {name: getattr(row, name) for name in fields} | {"incident": row.incident.reference}


def _obligation(obligation_id: int) -> Obligation:
    row = locked_obligation(obligation_id)
    if row is None:
        abort(404, message=f"no obligation {obligation_id}")
    return row


@blp.route("/obligations")
class Obligations(MethodView):
    @blp.arguments(s.ObligationQuerySchema, location="query")
    @blp.response(200, s.page_of(s.ObligationSchema))
    def get(self, args):
        """List obligations, soonest first, filtered by status, regime, jurisdiction or incident."""
        statement = db.select(Obligation).join(Obligation.incident)
        for name, column in (
            ("status", Obligation.status),
            ("regime", Obligation.regime),
            ("jurisdiction", Obligation.jurisdiction),
            ("incident", Incident.reference),
        ):
            if args.get(name):
                statement = statement.where(
                    column == (args[name].upper() if name == "jurisdiction" else args[name])
                )
        statement = statement.order_by(Obligation.due_at.asc().nulls_last(), Obligation.id)
        return _page(statement, args, dump_obligation)


@blp.route("/obligations/<int:obligation_id>/filings", methods=["POST"])
@blp.arguments(s.FilingInSchema)
@blp.response(201, s.ObligationSchema)
@blp.alt_response(422, schema=s.ProblemSchema, content_type="application/problem+json")
def file_obligation(data, obligation_id):
    """Record a submission; a late one needs the reasons for the delay (lateness is frozen)."""
    _require(FILERS)
    row = _obligation(obligation_id)
    if data["submitted_at"] > utcnow() + timedelta(minutes=5):
        abort(422, errors={"json": {"submitted_at": ["a submission cannot be in the future"]}})
    if is_late(row, data["submitted_at"]) and not data["delay_reasons"].strip():
        abort(
            422,
            errors={
                "json": {"delay_reasons": ["the filing is late: give the reasons for the delay"]}
            },
        )
    record_filing(row, Submission(**data), g.api_token.user, profile.current())
    db.session.commit()
    return dump_obligation(row)


@blp.route("/obligations/<int:obligation_id>/decision", methods=["POST"])
@blp.arguments(s.DecisionInSchema)
@blp.response(201, s.ObligationSchema)
@blp.alt_response(409, schema=s.ProblemSchema, content_type="application/problem+json")
def decide_obligation(data, obligation_id):
    """Decide that an obligation is not required (DPO or admin), with the rationale."""
    _require(DECIDERS)
    row = _obligation(obligation_id)
    if row.status in ("submitted", "not_required"):
        abort(409, message=f"the obligation is already {row.status.replace('_', ' ')}")
    decide_not_required(row, data["rationale"], g.api_token.user)
    db.session.commit()
    return dump_obligation(row)


# --- documents and deadline previews --------------------------------------------------------


def dump_document(document: Document) -> dict:
    return {
        "id": document.id,
        "obligation": document.obligation_id,
        "incident": document.obligation.incident.reference,
        "title": document.title,
        "pdf_sha256": document.pdf_sha256,
        "html_sha256": document.html_sha256,
        "generated_at": document.generated_at,
        "generated_by": document.generated_by.email,
    }


@blp.route("/documents")
class Documents(MethodView):
    @blp.arguments(s.PageArgsSchema, location="query")
    @blp.response(200, s.page_of(s.DocumentSchema))
    def get(self, args):
        """List archived documents, newest first."""
        return _page(db.select(Document).order_by(Document.id.desc()), args, dump_document)


@blp.route("/documents/<int:document_id>/pdf")
@blp.response(
    200, description="The archived PDF, exactly as generated", content_type="application/pdf"
)
@blp.alt_response(404, schema=s.ProblemSchema, content_type="application/problem+json")
def document_pdf(document_id):
    """Download an archived PDF; X-Content-SHA256 carries its hash."""
    document = db.session.get(Document, document_id)
    if document is None:
        abort(404, message=f"no document {document_id}")
    response = Response(document.pdf, mimetype="application/pdf")
    response.headers["X-Content-SHA256"] = document.pdf_sha256
    response.headers["Content-Disposition"] = f'attachment; filename="document-{document.id}.pdf"'
    return response


@blp.route("/deadlines", methods=["POST"])
@blp.doc(
    requestBody={"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}
)
@blp.response(200, s.DeadlinesSchema)
@blp.alt_response(422, schema=s.ProblemSchema, content_type="application/problem+json")
def deadlines():
    """Compute the obligations of a facts document (DESIGN section 6), exactly as the CLI does."""
    try:
        document = request.get_json(silent=True)
    except RecursionError:  # '[' * 100000: nested deeper than any facts document
        document = None
    if document is None:
        abort(422, errors={"json": {"body": ["send a JSON facts document"]}})
    try:
        return evaluate(document)
    except FactsError as error:
        abort(422, message=str(error), errors={"json": {error.field: [error.message]}})
