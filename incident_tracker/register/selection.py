"""The breach register (GDPR Art. 33(5)): which incidents, as plain values (register_export.py
writes them as CSV, JSON and PDF).

Art. 33(5) asks the controller to document every personal data breach, "comprising the facts
relating to the personal data breach, its effects and the remedial action taken", notified or not.
This module selects the incidents for a date range and filters and turns each into plain values
(never ORM rows). It needs the database session but not a request.

Filters:

- The date range is inclusive and read in the organization's timezone. It applies to the instant
  the organization became aware of the incident, else when it was detected, else when it was
  recorded.
- An incident concerns a regime when it has an obligation of that regime (in any status, so that
  decisions "not required" and rules that no longer apply are kept), or when the regime's own test
  says it applies: a personal data breach assessed "unlikely to result in a risk" starts no GDPR
  clock but belongs in the GDPR register with the rationale of that assessment.
- An incident concerns a jurisdiction when it has an obligation there or people affected there.
- Each incident lists only the obligations that match the regime and jurisdiction filters given.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload

from ..core.regimes import REGIME_NAMES, REGIMES
from ..extensions import db
from ..facts import codes
from ..incidents.regeneration import facts_for
from ..models import (
    INCIDENT_STATUSES,
    AffectedJurisdiction,
    Assessment,
    Document,
    Filing,
    Incident,
    NotificationDecision,
    Obligation,
    Organization,
    User,
)

REGION_CODES = ("EU",)  # region-wide obligations (the GDPR data-subject notice)
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
YEARS = (1970, 2999)  # dates a register can be about (and whose day bounds can be computed)
MAX_CODE = 6  # US-XX
MAX_SHOWN = 60  # characters of a bad filter value repeated in an error message

# The date an incident is filed under: awareness, else detection, else recording.
REGISTER_INSTANT = func.coalesce(Incident.aware_at, Incident.detected_at, Incident.created_at)


class FilterError(ValueError):
    """A filter value that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class RegisterQuery:
    """Which incidents the register shows; dates are inclusive, in the organization's timezone."""

    start: date | None = None
    end: date | None = None
    status: str = ""
    regime: str = ""
    jurisdiction: str = ""

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise FilterError(
                f"the start date {self.start.isoformat()} is after the end date "
                f"{self.end.isoformat()}"
            )
        if self.status and self.status not in INCIDENT_STATUSES:
            raise FilterError(
                f"unknown status {_shown(self.status)}; use one of {', '.join(INCIDENT_STATUSES)}"
            )
        if self.regime and self.regime not in REGIME_NAMES:
            raise FilterError(
                f"unknown regime {_shown(self.regime)}; use one of {', '.join(REGIME_NAMES)}"
            )
        if self.jurisdiction:
            object.__setattr__(self, "jurisdiction", _jurisdiction(self.jurisdiction))

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "RegisterQuery":
        """Read the query string (from, to, status, regime, jurisdiction) or raise FilterError."""
        return cls(
            start=_date(args.get("from"), "from"),
            end=_date(args.get("to"), "to"),
            status=(args.get("status") or "").strip(),
            regime=(args.get("regime") or "").strip(),
            jurisdiction=(args.get("jurisdiction") or "").strip(),
        )

    def args(self) -> dict[str, str]:
        """The query string that gives this query back (empty filters left out)."""
        values = {
            "from": self.start.isoformat() if self.start else "",
            "to": self.end.isoformat() if self.end else "",
            "status": self.status,
            "regime": self.regime,
            "jurisdiction": self.jurisdiction,
        }
        return {key: value for key, value in values.items() if value}

    def describe(self) -> dict:
        """The filters as plain values (null when not given), for the exports."""
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "status": self.status or None,
            "regime": self.regime or None,
            "jurisdiction": self.jurisdiction or None,
        }

    def window(self, tz: ZoneInfo) -> tuple[datetime | None, datetime | None]:
        """The UTC instants [first, after) that the inclusive local dates cover."""
        first = _start_of_day(self.start, tz) if self.start else None
        after = _start_of_day(self.end + timedelta(days=1), tz) if self.end else None
        return first, after

    def wants(self, row: Obligation) -> bool:
        """Tell whether an obligation matches the regime and jurisdiction filters."""
        return (not self.regime or row.regime == self.regime) and (
            not self.jurisdiction or row.jurisdiction == self.jurisdiction
        )


def _shown(value: str) -> str:
    return repr(value[:MAX_SHOWN] + ("…" if len(value) > MAX_SHOWN else ""))


def _date(text: str | None, name: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    if DATE_PATTERN.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if YEARS[0] <= day.year <= YEARS[1]:
                return day
            raise FilterError(f"{name}: {text} is outside the years {YEARS[0]} to {YEARS[1]}")
    raise FilterError(f"{name}: {_shown(text)} is not a date; use YYYY-MM-DD")


def _jurisdiction(text: str) -> str:
    """A country, a US-XX state or territory, or a region (EU), upper case; else FilterError."""
    code = text.strip().upper()
    if code in REGION_CODES:
        return code
    if len(code) > MAX_CODE:
        raise FilterError(f"jurisdiction: {_shown(text.strip())} is not a country or US-XX code")
    try:
        return codes.jurisdiction_code(text)
    except ValueError as error:
        raise FilterError(f"jurisdiction: {error}") from None


def _start_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of a local date (where midnight is skipped, the moment clocks jump)."""
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


def organization_zone(organization: Organization | None) -> ZoneInfo:
    return ZoneInfo(organization.timezone if organization else "UTC")


def current_organization() -> Organization | None:
    return db.session.get(Organization, 1)


# --- the query -------------------------------------------------------------------------------


def _loading_options():
    """Everything the entries read, loaded with one SELECT per relationship, whatever the count."""
    obligations = selectinload(Incident.obligations)
    filings = obligations.selectinload(Obligation.filings)
    return (
        selectinload(Incident.data_categories),
        selectinload(Incident.jurisdictions),
        filings.selectinload(Filing.filed_by).load_only(User.id, User.email),
        # Only the hash of the document sent: never its HTML or PDF bytes.
        filings.selectinload(Filing.document).load_only(Document.id, Document.pdf_sha256),
        obligations.selectinload(Obligation.decisions)
        .selectinload(NotificationDecision.decided_by)
        .load_only(User.id, User.email),
    )


def statement(query: RegisterQuery, tz: ZoneInfo):
    """The SELECT of the register's incidents, oldest first (before the regime test)."""
    stmt = db.select(Incident).options(*_loading_options())
    first, after = query.window(tz)
    if first is not None:
        stmt = stmt.where(REGISTER_INSTANT >= first)
    if after is not None:
        stmt = stmt.where(REGISTER_INSTANT < after)
    if query.status:
        stmt = stmt.where(Incident.status == query.status)
    if query.jurisdiction:
        stmt = stmt.where(
            or_(
                Incident.obligations.any(Obligation.jurisdiction == query.jurisdiction),
                Incident.jurisdictions.any(
                    (AffectedJurisdiction.code == query.jurisdiction)
                    & (AffectedJurisdiction.people > 0)
                ),
            )
        )
    if query.regime and _applies_test(query.regime) is None:
        stmt = stmt.where(Incident.obligations.any(Obligation.regime == query.regime))
    return stmt.order_by(REGISTER_INSTANT.asc(), Incident.reference.asc())


def _applies_test(regime: str) -> Callable | None:
    """The regime's own "does it apply to these facts" function, where it has one."""
    for module in REGIMES:
        if any(rule.regime == regime for rule in module.RULES):
            return getattr(module, "applies", None)
    return None


def _concerns_regime(incident: Incident, regime: str, organization: Organization | None) -> bool:
    if any(row.regime == regime for row in incident.obligations):
        return True
    applies = _applies_test(regime)
    return bool(applies and organization and applies(facts_for(incident, organization)))


def incidents(query: RegisterQuery, organization: Organization | None = None) -> list[Incident]:
    """The incidents of the register, with everything the entries read already loaded."""
    tz = organization_zone(organization)
    found = db.session.execute(statement(query, tz)).scalars().all()
    if query.regime:
        found = [row for row in found if _concerns_regime(row, query.regime, organization)]
    return list(found)


def entries(query: RegisterQuery, organization: Organization | None = None) -> list[dict]:
    """The register's entries as plain values; the organization defaults to the stored profile."""
    if organization is None:
        organization = current_organization()
    tz = organization_zone(organization)
    found = incidents(query, organization)
    assessed = _assessments([incident.id for incident in found], tz)
    return [
        entry(incident, query, tz) | {"assessments": assessed[incident.id]} for incident in found
    ]


def _assessments(incident_ids: list[int], tz: ZoneInfo) -> dict[int, dict]:
    """The current version of each incident's assessments (one SELECT for all incidents)."""
    found: dict[int, dict] = {incident_id: {} for incident_id in incident_ids}
    rows = db.session.execute(
        db.select(Assessment)
        .where(Assessment.incident_id.in_(incident_ids))
        .options(selectinload(Assessment.assessed_by).load_only(User.id, User.email))
        .order_by(Assessment.version)
    ).scalars()
    for row in rows:  # later versions replace earlier ones
        found[row.incident_id][row.kind] = {
            "decision": row.decision,
            "proposal": row.proposal,
            "override_reason": row.override_reason,
            "summary": row.summary,
            "version": row.version,
            "assessed_by": row.assessed_by.email,
            "assessed_at": iso(row.assessed_at, tz),
        }
    return found


# --- the entries -----------------------------------------------------------------------------


def iso(value: datetime | None, tz: ZoneInfo) -> str | None:
    """ISO 8601 with the offset of the organization's timezone, to the second."""
    return value.astimezone(tz).isoformat(timespec="seconds") if value else None


def entry(incident: Incident, query: RegisterQuery, tz: ZoneInfo) -> dict:
    """One incident of the register as plain values."""
    return {
        "reference": incident.reference,
        "title": incident.title,
        "status": incident.status,
        "severity": incident.severity,
        **{name: iso(getattr(incident, name), tz) for name in INSTANTS},
        "recorded_at": iso(incident.created_at, tz),
        "nature": incident.summary or "",
        "malicious": incident.malicious,
        "cross_border": incident.cross_border,
        "personal_data_breach": incident.personal_data_breach,
        **_data_hit(incident),
        "likely_consequences": incident.consequences or "",
        "measures_taken": incident.measures_taken or "",
        "root_cause": incident.root_cause or "",
        "gdpr_risk": incident.gdpr_risk,
        "gdpr_risk_rationale": incident.gdpr_risk_rationale or "",
        "nis2_significant": incident.nis2_significant,
        "nis2_significance_rationale": incident.nis2_significance_rationale or "",
        "obligations": [
            obligation_entry(row, tz) for row in incident.obligations if query.wants(row)
        ],
    }


INSTANTS = ("occurred_at", "detected_at", "aware_at", "contained_at", "closed_at")


def _data_hit(incident: Incident) -> dict:
    """The data categories and the places with their counts (a total of records only if known)."""
    places = [
        {
            "code": row.code,
            "name": codes.name(row.code),
            "people": row.people,
            "records": row.records,
        }
        for row in incident.jurisdictions
        if row.people or row.records
    ]
    known_records = [place["records"] for place in places if place["records"] is not None]
    categories = incident.data_categories
    return {
        "data_categories": [category.name for category in categories],
        "special_categories": [c.name for c in categories if c.special_category],
        "people_total": sum(place["people"] for place in places),
        "records_total": sum(known_records) if known_records else None,
        "places": places,
    }


def obligation_entry(row: Obligation, tz: ZoneInfo) -> dict:
    """One obligation with its filings (corrections included) and its decisions."""
    return {
        "id": row.id,
        "rule_id": row.rule_id,
        "regime": row.regime,
        "jurisdiction": row.jurisdiction,
        "title": row.title,
        "recipient": row.recipient,
        "basis": row.basis,
        "due_at": iso(row.due_at, tz),
        "starts_when": row.starts_when or "",
        "status": row.status,
        "reason": row.reason or "",
        "filings": [
            {
                "id": filing.id,
                "submitted_at": iso(filing.submitted_at, tz),
                "due_at": iso(filing.due_at, tz),
                "late": filing.late,
                "recipient_reference": filing.recipient_reference,
                "delay_reasons": filing.delay_reasons,
                "note": filing.note,
                "corrects": filing.corrects_id,
                "filed_by": filing.filed_by.email,
                "document_sha256": filing.document.pdf_sha256 if filing.document else None,
            }
            for filing in row.filings
        ],
        "decisions": [
            {
                "decision": "not required",
                "rationale": decision.rationale,
                "decided_by": decision.decided_by.email,
                "decided_at": iso(decision.decided_at, tz),
            }
            for decision in row.decisions
        ],
    }


def organization_entry(organization: Organization | None) -> dict | None:
    """Who keeps the register (with the contact point of GDPR Art. 33(3)(b))."""
    if organization is None:
        return None
    return {
        "name": organization.name,
        "country": organization.country,
        "timezone": organization.timezone,
        "dpo_name": organization.dpo_name or "",
        "dpo_email": organization.dpo_email or "",
        "dpo_phone": organization.dpo_phone or "",
    }
