"""Marshmallow schemas: they validate API input and document every response."""

import marshmallow as ma
from marshmallow import validate

from ..models import (
    GDPR_RISKS,
    INCIDENT_STATUSES,
    MAX_PEOPLE,
    MAX_RECORDS,
    OBLIGATION_STATUSES,
    PARTY_KINDS,
    PARTY_ROLES,
    SEVERITIES,
)
from ..web.bounds import MAX_ID

TEXT = 20_000


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details."""

    type = ma.fields.String()
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    errors = ma.fields.Dict()


def instant(**kwargs) -> ma.fields.AwareDateTime:
    """An ISO 8601 instant with its offset; a naive one is refused."""
    kwargs.setdefault("allow_none", not kwargs.get("required", False))
    return ma.fields.AwareDateTime(format="iso", **kwargs)


class PlaceSchema(ma.Schema):
    code = ma.fields.String(required=True, validate=validate.Length(max=6))
    people = ma.fields.Integer(
        required=True, validate=validate.Range(min=0, max=MAX_PEOPLE), strict=True
    )
    records = ma.fields.Integer(
        allow_none=True, validate=validate.Range(min=0, max=MAX_RECORDS), strict=True
    )


class PartySchema(ma.Schema):
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = ma.fields.String(required=True, validate=validate.OneOf(PARTY_KINDS))
    role = ma.fields.String(required=True, validate=validate.OneOf(PARTY_ROLES))
    package_url = ma.fields.String(allow_none=True, validate=validate.Length(max=300))
    notes = ma.fields.String(load_default="", validate=validate.Length(max=1000))


class _IncidentFacts(ma.Schema):
    """The clock anchors and the yes/no facts, read and written alike."""

    occurred_at = instant()
    detected_at = instant()
    aware_at = instant()
    dora_classified_major_at = instant()
    sec_materiality_determined_at = instant()
    discovered_at = instant()
    breach_determined_at = instant()
    contained_at = instant()
    closed_at = instant()
    personal_data_breach = ma.fields.Boolean()
    phi_breach = ma.fields.Boolean()
    malicious = ma.fields.Boolean(allow_none=True)
    cross_border = ma.fields.Boolean(allow_none=True)
    nis2_significant = ma.fields.Boolean(allow_none=True)


def _text(**kwargs) -> ma.fields.String:
    return ma.fields.String(validate=validate.Length(max=TEXT), **kwargs)


class IncidentInSchema(_IncidentFacts):
    """An incident to create (every field) or to change (PATCH: only the fields given)."""

    title = ma.fields.String(validate=validate.Length(min=1, max=200))
    summary = _text()
    status = ma.fields.String(validate=validate.OneOf(INCIDENT_STATUSES))
    severity = ma.fields.String(allow_none=True, validate=validate.OneOf(SEVERITIES))
    root_cause = _text()
    consequences = _text()
    measures_taken = _text()
    gdpr_risk = ma.fields.String(allow_none=True, validate=validate.OneOf(GDPR_RISKS))
    gdpr_risk_rationale = _text()
    nis2_significance_rationale = _text()
    data_categories = ma.fields.List(
        ma.fields.String(validate=validate.Length(max=40)), validate=validate.Length(max=50)
    )
    affected = ma.fields.List(ma.fields.Nested(PlaceSchema), validate=validate.Length(max=400))
    parties = ma.fields.List(ma.fields.Nested(PartySchema), validate=validate.Length(max=200))
    version = ma.fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "PATCH: the version read; a stale one gets 409"},
    )


class IncidentSchema(_IncidentFacts):
    """An incident as stored, with its obligations' ids."""

    reference = ma.fields.String()
    version = ma.fields.Integer()
    title = ma.fields.String()
    summary = ma.fields.String()
    status = ma.fields.String()
    severity = ma.fields.String(allow_none=True)
    root_cause = ma.fields.String()
    consequences = ma.fields.String()
    measures_taken = ma.fields.String()
    gdpr_risk = ma.fields.String(allow_none=True)
    gdpr_risk_rationale = ma.fields.String()
    nis2_significance_rationale = ma.fields.String()
    data_categories = ma.fields.List(ma.fields.String())
    affected = ma.fields.List(ma.fields.Nested(PlaceSchema))
    parties = ma.fields.List(ma.fields.Nested(PartySchema))
    obligations = ma.fields.List(ma.fields.Integer())
    created_at = instant()


class ObligationSchema(ma.Schema):
    id = ma.fields.Integer()
    incident = ma.fields.String()
    rule_id = ma.fields.String()
    jurisdiction = ma.fields.String()
    title = ma.fields.String()
    recipient = ma.fields.String()
    basis = ma.fields.String()
    anchor = ma.fields.String()
    anchor_at = instant()
    due_at = instant()
    status = ma.fields.String(validate=validate.OneOf(OBLIGATION_STATUSES))
    starts_when = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True)


class FilingInSchema(ma.Schema):
    submitted_at = instant(required=True)
    recipient_reference = ma.fields.String(load_default="", validate=validate.Length(max=200))
    note = ma.fields.String(load_default="", validate=validate.Length(max=TEXT))
    delay_reasons = ma.fields.String(load_default="", validate=validate.Length(max=TEXT))


class DecisionInSchema(ma.Schema):
    rationale = ma.fields.String(required=True, validate=validate.Length(min=20, max=TEXT))


class DocumentSchema(ma.Schema):
    id = ma.fields.Integer()
    obligation = ma.fields.Integer()
    incident = ma.fields.String()
    title = ma.fields.String()
    pdf_sha256 = ma.fields.String()
    html_sha256 = ma.fields.String()
    generated_at = instant()
    generated_by = ma.fields.String()


class PageArgsSchema(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


class IncidentQuerySchema(PageArgsSchema):
    q = ma.fields.String(load_default="", validate=validate.Length(max=200))
    status = ma.fields.String(validate=validate.OneOf(INCIDENT_STATUSES))
    jurisdiction = ma.fields.String(validate=validate.Length(max=6))
    category = ma.fields.String(validate=validate.Length(max=40))


class ObligationQuerySchema(PageArgsSchema):
    status = ma.fields.String(validate=validate.OneOf(OBLIGATION_STATUSES))
    regime = ma.fields.String(validate=validate.Length(max=20))
    jurisdiction = ma.fields.String(validate=validate.Length(max=6))
    incident = ma.fields.String(validate=validate.Length(max=20))


def page_of(item_schema) -> type[ma.Schema]:
    """A paginated list of items."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "page": ma.fields.Integer(),
            "per_page": ma.fields.Integer(),
            "total": ma.fields.Integer(),
        },
        name=f"{item_schema.__name__.removesuffix('Schema')}Page",
    )


class DeadlinesSchema(ma.Schema):
    obligations = ma.fields.List(ma.fields.Dict())
