"""The documented context of letter templates: plain values built from an incident, never ORM rows.

Every variable a template may use is described in DESCRIPTIONS and exemplified by SAMPLE; the
editor checks templates against SAMPLE, and the app's variables page lists both.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from ..assessments import methods
from ..core.contracts import ClausePeriod, Trigger, describe_clock
from ..facts import codes
from ..models import (
    ASSESSMENT_KINDS,
    Counterparty,
    Incident,
    NoticeClause,
    Obligation,
    Organization,
)
from .sample import SAMPLE

DESCRIPTIONS = {
    "organization": "The reporting organization (the profile).",
    "organization.name": "Legal name of the organization.",
    "organization.country": "Country of establishment (ISO 3166-1 code).",
    "organization.country_name": "Country of establishment, in words.",
    "organization.timezone": "The IANA timezone in which times are shown.",
    "organization.gdpr_role": "Controller, joint controller or processor.",
    "organization.nis2": "NIS2 status: essential, important or none.",
    "organization.nis2_sector": "NIS2 sector.",
    "organization.dora": "DORA financial entity type, or none.",
    "organization.dpo_name": "Name of the DPO or other contact point (GDPR Art. 33(3)(b)).",
    "organization.dpo_email": "E-mail of the DPO or contact point.",
    "organization.dpo_phone": "Telephone of the DPO or contact point.",
    "incident": "The incident.",
    "incident.reference": "The incident's reference, INC-YYYY-NNNN.",
    "incident.title": "Short title.",
    "incident.summary": "What happened (the nature of the breach).",
    "incident.status": "Open, contained or closed.",
    "incident.severity": "Low, medium, high, critical, or empty.",
    "incident.occurred_at": "When it occurred, in the organization's timezone (empty if unknown).",
    "incident.detected_at": "When it was detected.",
    "incident.aware_at": "When the organization became aware (the GDPR and NIS2 clock).",
    "incident.discovered_at": "When it was discovered (HIPAA, US states).",
    "incident.breach_determined_at": "When the breach was determined (TX, FL, CO).",
    "incident.dora_classified_major_at": "When it was classified as a major ICT incident (DORA).",
    "incident.sec_materiality_determined_at": "When it was determined to be material (SEC).",
    "incident.contained_at": "When it was contained.",
    "incident.closed_at": "When it was closed.",
    "incident.malicious": "Whether the cause is malicious: yes, no or not yet assessed.",
    "incident.cross_border": "Whether it has cross-border impact: yes, no or not yet assessed.",
    "incident.root_cause": "The root cause, as far as known.",
    "incident.consequences": "The likely consequences (GDPR Art. 33(3)(c)).",
    "incident.measures_taken": "Measures taken or proposed, including mitigation (Art. 33(3)(d)).",
    "incident.gdpr_risk": "GDPR risk to people: unlikely, risk, high, or not yet assessed.",
    "incident.gdpr_risk_rationale": "Why that risk level.",
    "incident.nis2_significant": "Whether it is a significant incident under NIS2.",
    "incident.nis2_significance_rationale": "Why it is (or is not) significant.",
    "incident.personal_data_breach": "True if personal data were breached.",
    "incident.people_total": "Approximate number of people affected, all places (a number).",
    "incident.records_total": "Approximate number of records affected, all places (a number).",
    "incident.places": "Affected places: a list of {code, name, people, records}.",
    "incident.data_categories": "Names of every data category concerned (a list).",
    "incident.personal_data_categories": "Names of the personal-data categories concerned.",
    "incident.special_categories": "Names of the special categories (GDPR Art. 9) concerned.",
    "incident.non_personal_categories": "Non-personal categories (source code, trade secrets).",
    "incident.parties": "Parties involved: a list of {name, kind, role, package_url, notes}.",
    "incident.components": "Package URLs of the compromised software components (a list).",
    "incident.assessments": "The current assessments: enisa, nis2 and dora, each as below.",
    "incident.assessments.enisa": "ENISA severity: {decision, proposal, summary, version, "
    "assessed_at, assessed_by, override_reason} (blank values when not assessed).",
    "incident.assessments.nis2": "NIS2 significance, with the same values.",
    "incident.assessments.dora": "DORA classification, with the same values.",
    "obligation": "The obligation the document is for.",
    "obligation.title": "The notice's name, e.g. GDPR supervisory authority notification.",
    "obligation.rule_id": "The rule's id, e.g. gdpr.sa_notification.",
    "obligation.jurisdiction": "Country or state code, EU or US.",
    "obligation.jurisdiction_name": "The jurisdiction in words.",
    "obligation.recipient": "Who receives it.",
    "obligation.basis": "The legal basis (citation).",
    "obligation.due_at": "The deadline, in the organization's timezone (empty if none).",
    "obligation.anchor": "What started the clock.",
    "obligation.filings": "Earlier submissions: a list of {submitted_at, reference}.",
    "customer": "The customer a notice goes to (blank in documents that are not customer notices).",
    "customer.name": "The customer's name.",
    "customer.contact_email": "The customer's contact e-mail.",
    "customer.country": "The customer's country (ISO 3166-1 code).",
    "customer.country_name": "The customer's country, in words.",
    "customer.language": "The language the customer is written to in (a code such as en).",
    "customer.people": "People affected among the customer's data subjects (else the total).",
    "customer.contract_title": "The contract whose notice clause the notice meets.",
    "customer.contract_reference": "That contract's reference.",
    "customer.clause_reference": "The notice clause, e.g. Clause 9.2.",
    "customer.clause_period": "The clause's period in words, e.g. 24 hours from awareness.",
    "letter": "About this document.",
    "letter.date": "The date of the document.",
    "letter.is_late": "True if the deadline has passed.",
    "letter.delay_reasons": "The reasons for the delay, given when drafting a late notice.",
    "letter.additional_information": "Free text added when drafting.",
}


def _when(value: datetime | None, tz: ZoneInfo) -> str:
    if value is None:
        return ""
    local = value.astimezone(tz)
    return f"{local.day} {local:%B %Y, %H:%M} {local.tzname()}"


def _tri(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "not yet assessed")


def organization_context(org: Organization) -> dict:
    return {
        "name": org.name,
        "country": org.country,
        "country_name": codes.name(org.country),
        "timezone": org.timezone,
        "gdpr_role": (org.gdpr_role or "").replace("_", " "),
        "nis2": org.nis2 or "none",
        "nis2_sector": org.nis2_sector or "",
        "dora": (org.dora or "none").replace("_", " "),
        "dpo_name": org.dpo_name or "",
        "dpo_email": org.dpo_email or "",
        "dpo_phone": org.dpo_phone or "",
    }


INSTANT_FIELDS = (
    "occurred_at",
    "detected_at",
    "aware_at",
    "discovered_at",
    "breach_determined_at",
    "dora_classified_major_at",
    "sec_materiality_determined_at",
    "contained_at",
    "closed_at",
)
TEXT_FIELDS = (
    "reference",
    "title",
    "summary",
    "status",
    "root_cause",
    "consequences",
    "measures_taken",
    "gdpr_risk_rationale",
    "nis2_significance_rationale",
)


def incident_context(incident: Incident, tz: ZoneInfo) -> dict:
    categories = incident.data_categories
    values = {name: getattr(incident, name) or "" for name in TEXT_FIELDS}
    values.update({name: _when(getattr(incident, name), tz) for name in INSTANT_FIELDS})
    values.update(
        severity=incident.severity or "",
        malicious=_tri(incident.malicious),
        cross_border=_tri(incident.cross_border),
        gdpr_risk=incident.gdpr_risk or "not yet assessed",
        nis2_significant=_tri(incident.nis2_significant),
        personal_data_breach=incident.personal_data_breach,
        people_total=incident.people_total,
        records_total=sum(row.records or 0 for row in incident.jurisdictions),
        places=_places(incident),
        data_categories=[c.name for c in categories],
        personal_data_categories=[c.name for c in categories if c.personal],
        special_categories=[c.name for c in categories if c.special_category],
        non_personal_categories=[c.name for c in categories if not c.personal],
        parties=_parties(incident),
        components=[p.package_url for p in incident.parties if p.package_url],
        assessments=assessments_context(incident, tz),
    )
    return values


def _places(incident: Incident) -> list[dict]:
    """The places where people were affected, with their counts."""
    return [
        {
            "code": row.code,
            "name": codes.name(row.code),
            "people": row.people,
            "records": row.records or 0,
        }
        for row in incident.jurisdictions
        if row.people
    ]


def _parties(incident: Incident) -> list[dict]:
    return [
        {
            "name": p.name,
            "kind": p.kind.replace("_", " "),
            "role": p.role.replace("_", " "),
            "package_url": p.package_url or "",
            "notes": p.notes,
        }
        for p in incident.parties
    ]


ASSESSMENT_FIELDS = (
    "decision",
    "proposal",
    "summary",
    "version",
    "assessed_at",
    "assessed_by",
    "override_reason",
)


def assessments_context(incident: Incident, tz: ZoneInfo) -> dict:
    """The current version of each assessment (blank values where there is none yet)."""
    found = {}
    for kind in ASSESSMENT_KINDS:
        row = methods.latest(incident, kind) if incident.id else None
        found[kind] = (
            {
                "decision": row.decision.replace("_", " "),
                "proposal": row.proposal.replace("_", " "),
                "summary": row.summary,
                "version": row.version,
                "assessed_at": _when(row.assessed_at, tz),
                "assessed_by": row.assessed_by.email,
                "override_reason": row.override_reason,
            }
            if row
            else dict.fromkeys(ASSESSMENT_FIELDS, "")
        )
    return found


def obligation_context(row: Obligation, tz: ZoneInfo) -> dict:
    return {
        "title": row.title,
        "rule_id": row.rule_id,
        "jurisdiction": row.jurisdiction,
        "jurisdiction_name": _place_name(row.jurisdiction),
        "recipient": row.recipient,
        "basis": row.basis,
        "due_at": _when(row.due_at, tz),
        "anchor": row.anchor.replace("_", " "),
        "filings": [
            {"submitted_at": _when(f.submitted_at, tz), "reference": f.recipient_reference}
            for f in row.effective_filings()
        ],
    }


def _place_name(code: str) -> str:
    return {"EU": "European Union", "US": "United States"}.get(code) or codes.name(code)


BLANK_CUSTOMER = dict.fromkeys(SAMPLE["customer"], "") | {"people": None}


def customer_context(
    customer: Counterparty, clause: NoticeClause | None, people: int | None
) -> dict:
    """A customer notice's recipient, and the contract clause it meets (people None: unknown)."""
    contract = clause.contract if clause else None
    return {
        "name": customer.name,
        "contact_email": customer.contact_email or "",
        "country": customer.country or "",
        "country_name": codes.name(customer.country) if customer.country else "",
        "language": customer.language or "",
        "people": people,
        "contract_title": contract.title if contract else "",
        "contract_reference": contract.reference if contract else "",
        "clause_reference": clause.reference if clause else "",
        "clause_period": _period_words(clause) if clause else "",
    }


def _period_words(clause: NoticeClause) -> str:
    return describe_clock(Trigger(clause.trigger), ClausePeriod(clause.unit, clause.amount))


def _customer(values: dict | None, people_total: int) -> dict:
    """The customer values, blank outside customer notices; unknown people: the incident's total."""
    merged = BLANK_CUSTOMER | (values or {})
    return merged | {"people": people_total if merged["people"] is None else merged["people"]}


def letter_context(
    row: Obligation,
    org: Organization,
    now: datetime,
    extra: dict | None = None,
    customer: dict | None = None,
) -> dict:
    """The whole context for a document about this obligation, drafted at ``now``.

    ``customer`` (from customer_context) is given for a notice to one customer.
    """
    tz = ZoneInfo(org.timezone)
    extra = extra or {}
    incident = incident_context(row.incident, tz)
    letter = {
        "date": f"{now.astimezone(tz).day} {now.astimezone(tz):%B %Y}",
        "is_late": row.due_at is not None and now > row.due_at,
        "delay_reasons": extra.get("delay_reasons", ""),
        "additional_information": extra.get("additional_information", ""),
    }
    return {
        "organization": organization_context(org),
        "incident": incident,
        "obligation": obligation_context(row, tz),
        "customer": _customer(customer, incident["people_total"]),
        "letter": letter,
    }


def variables() -> list[tuple[str, str, str]]:
    """(name, meaning, example) for the variables page, in documentation order."""
    rows = []
    for name, meaning in DESCRIPTIONS.items():
        head, _, tail = name.partition(".")
        example = SAMPLE[head].get(tail) if tail else ""
        rows.append((name, meaning, "" if isinstance(example, dict) else _example(example)))
    return rows


def _example(value) -> str:
    if isinstance(value, list):
        return "; ".join(_example(item) for item in value[:3]) + ("; …" if len(value) > 3 else "")
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
