"""The breach register's formats: CSV (safe to open in a spreadsheet), JSON and PDF, from the
plain entries of register.py."""

import csv
import io
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from ..core.regimes import REGIME_NAMES
from ..documents.pdf import html_to_pdf
from ..documents.render import _layouts
from ..models import ASSESSMENT_KINDS, Organization
from ..web.localtime import display
from .selection import RegisterQuery, iso, organization_entry, organization_zone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# --- CSV -------------------------------------------------------------------------------------

INCIDENT_COLUMNS = (
    "reference",
    "title",
    "status",
    "severity",
    "occurred_at",
    "detected_at",
    "aware_at",
    "contained_at",
    "closed_at",
    "recorded_at",
    "nature",
    "malicious",
    "cross_border",
    "personal_data_breach",
    "data_categories",
    "special_categories",
    "people_total",
    "records_total",
    "places",
    "likely_consequences",
    "measures_taken",
    "root_cause",
    "gdpr_risk",
    "gdpr_risk_rationale",
    "nis2_significant",
    "nis2_significance_rationale",
    *(f"{kind}_assessment" for kind in ASSESSMENT_KINDS),
)
OBLIGATION_COLUMNS = (
    "obligation_id",
    "rule_id",
    "regime",
    "jurisdiction",
    "obligation",
    "recipient",
    "basis",
    "due_at",
    "starts_when",
    "obligation_status",
    "obligation_reason",
    "submitted_at",
    "late",
    "recipient_reference",
    "delay_reasons",
    "filed_by",
    "document_sha256",
    "decision",
    "decision_rationale",
    "decided_by",
    "decided_at",
)
CSV_COLUMNS = INCIDENT_COLUMNS + OBLIGATION_COLUMNS
SEPARATOR = "\n"  # between several filings or decisions in one cell, in the same order per column


def neutralise(value: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (CWE-1236): prefix an apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return neutralise("; ".join(str(item) for item in value))
    return neutralise(str(value))


def _places(places: list[dict]) -> str:
    parts = []
    for place in places:
        text = f"{place['code']}: {place['people']} people"
        if place["records"] is not None:
            text += f", {place['records']} records"
        parts.append(text)
    return "; ".join(parts)


def _joined(items: Iterable[dict], key: str) -> str:
    return SEPARATOR.join(_cell(item[key]) for item in items)


def _obligation_cells(row: dict) -> dict:
    filings, decisions = row["filings"], row["decisions"]
    return {
        "obligation_id": _cell(row["id"]),
        "rule_id": _cell(row["rule_id"]),
        "regime": _cell(row["regime"]),
        "jurisdiction": _cell(row["jurisdiction"]),
        "obligation": _cell(row["title"]),
        "recipient": _cell(row["recipient"]),
        "basis": _cell(row["basis"]),
        "due_at": _cell(row["due_at"]),
        "starts_when": _cell(row["starts_when"]),
        "obligation_status": _cell(row["status"]),
        "obligation_reason": _cell(row["reason"]),
        "submitted_at": _joined(filings, "submitted_at"),
        "late": _joined(filings, "late"),
        "recipient_reference": _joined(filings, "recipient_reference"),
        "delay_reasons": _joined(filings, "delay_reasons"),
        "filed_by": _joined(filings, "filed_by"),
        "document_sha256": _joined(filings, "document_sha256"),
        "decision": _joined(decisions, "decision"),
        "decision_rationale": _joined(decisions, "rationale"),
        "decided_by": _joined(decisions, "decided_by"),
        "decided_at": _joined(decisions, "decided_at"),
    }


def csv_rows(entries: Iterable[dict]) -> Iterable[dict]:
    """One row per obligation, the incident's columns repeated; one row for none."""
    for item in entries:
        incident = {name: _cell(item[name]) for name in INCIDENT_COLUMNS if name in item}
        incident["places"] = neutralise(_places(item["places"]))
        for kind in ASSESSMENT_KINDS:
            incident[f"{kind}_assessment"] = neutralise(_assessed(item["assessments"].get(kind)))
        obligations = item["obligations"] or [None]
        for row in obligations:
            cells = _obligation_cells(row) if row else dict.fromkeys(OBLIGATION_COLUMNS, "")
            yield {**incident, **cells}


def _assessed(values: dict | None) -> str:
    """An assessment in one cell: the decision, the proposal if it differed and why, who, when."""
    if not values:
        return ""
    text = f"{values['decision']} (version {values['version']}"
    if values["decision"] != values["proposal"]:
        text += f"; proposed {values['proposal']}; decided otherwise: {values['override_reason']}"
    return text + f"; {values['assessed_by']}, {values['assessed_at']})"


def to_csv(entries: Iterable[dict]) -> str:
    """The register as CSV text (RFC 4180 quoting, CRLF line ends, header first)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(csv_rows(entries))
    return buffer.getvalue()


# --- JSON and PDF ----------------------------------------------------------------------------


def to_json(
    entries: list[dict],
    *,
    generated_at: datetime | None = None,
    organization: Organization | None = None,
    query: RegisterQuery | None = None,
) -> str:
    """The register as a JSON document: when, by whom it is kept, the filters, the incidents."""
    tz = organization_zone(organization)
    document = {
        "generated_at": iso(generated_at or datetime.now(UTC), tz),
        "organization": organization_entry(organization),
        "filters": (query or RegisterQuery()).describe(),
        "incidents": entries,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_register_html(
    entries: list[dict],
    *,
    generated_at: datetime,
    organization: Organization | None = None,
    query: RegisterQuery | None = None,
) -> str:
    """The register in the trusted print layout (templates/print/register.html, autoescaped)."""
    tz = organization_zone(organization)
    query = query or RegisterQuery()
    layout = _layouts().get_template("register.html")
    return layout.render(
        entries=entries,
        organization=organization_entry(organization),
        filters=query.describe(),
        regime_names=REGIME_NAMES,
        generated_at=iso(generated_at, tz),
        when=lambda text: readable(text, tz),
    )


def render_register_pdf(
    entries: list[dict],
    *,
    generated_at: datetime,
    organization: Organization | None = None,
    query: RegisterQuery | None = None,
) -> bytes:
    """The register as a PDF, through the same locked-down renderer as letters."""
    html = render_register_html(
        entries, generated_at=generated_at, organization=organization, query=query
    )
    return html_to_pdf(html, stylesheet="register.css")


def readable(text: str | None, tz: ZoneInfo) -> str:
    """An ISO 8601 instant of the entries as "2026-03-27 17:30 CET" (empty for none)."""
    return display(datetime.fromisoformat(text), tz) if text else ""
