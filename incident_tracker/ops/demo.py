"""Demo data: the March 2026 LiteLLM supply-chain compromise at an AI-data vendor.

Two poisoned releases of the LiteLLM Python library stole credentials across thousands of
companies; one victim, an AI-data vendor, lost platform source code, its user database, video
interviews and identity documents of contractors (with US Social Security numbers), and the
training methodology of its AI-lab customers.
"""

import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app

from ..documents import catalogue
from ..extensions import db
from ..incidents import timeline
from ..incidents.references import next_reference
from ..incidents.regeneration import regenerate
from ..models import AffectedJurisdiction, DataCategory, Incident, IncidentParty, Organization, User
from ..obligations.filings import Submission, record_filing
from ..supply_chain import cascade
from . import demo_supply_chain

DOMAIN = "mercor-demo.example"
ROLE_USERS = ("dpo", "admin", "commander", "legal", "viewer")
DUBLIN = ZoneInfo("Europe/Dublin")
LOGIN_FILE = "demo-logins.txt"

AFFECTED = {
    "US-CA": (14210, 15980),
    "US-NY": (6120, 6400),
    "US-TX": (5390, 5702),
    "US-FL": (3870, 4010),
    "US-WA": (2105, 2230),
    "US-CO": (1290, 1344),
    "GB": (2410, 2600),
    "DE": (1830, 1950),
    "FR": (905, 960),
    "NL": (452, 470),
    "ES": (701, 740),
    "PL": (1610, 1700),
    "IE": (298, 310),
    "IN": (7950, 8200),
}
CATEGORIES = (
    "contact",
    "account_credentials",
    "identity_documents",
    "government_identifiers",
    "video_voice",
    "source_code",
    "ai_training_methodology",
    "customer_confidential",
    "secrets",
)
PARTIES = (
    (
        "LiteLLM 1.82.7 (poisoned release)",
        "component",
        "upstream_component",
        "pkg:pypi/litellm@1.82.7",
        "Malicious release published 2026-03-24; exfiltrated environment variables and cloud keys.",
    ),
    (
        "LiteLLM 1.82.8 (poisoned release)",
        "component",
        "upstream_component",
        "pkg:pypi/litellm@1.82.8",
        "Second malicious release, same payload.",
    ),
    (
        "BerriAI (LiteLLM maintainers)",
        "vendor",
        "origin_vendor",
        None,
        "Maintainers of the compromised package; advisory received 2026-03-26.",
    ),
    (
        "Northwind AI (fictional AI lab)",
        "customer",
        "affected_customer",
        None,
        "Training methodology and task specifications exposed; paused work 2026-03-28.",
    ),
    (
        "Contoso Frontier Models (fictional AI lab)",
        "customer",
        "affected_customer",
        None,
        "Evaluation rubrics and contractor instructions exposed.",
    ),
    (
        "Object storage provider (processor)",
        "processor",
        "our_processor",
        None,
        "Hosts the interview video archive; access logs requested.",
    ),
)

NOTES = (
    (
        "2026-03-24T11:40",
        "litellm 1.82.7 published to PyPI with a credential-stealing payload; "
        "1.82.8 follows with the same payload.",
    ),
    ("2026-03-26T08:05", "SOC alert: unusual egress from a CI worker to an unknown host."),
    (
        "2026-03-26T16:30",
        "Forensics confirm the worker installed litellm 1.82.8 and its cloud keys were used "
        "from an external address.",
    ),
    (
        "2026-03-27T09:15",
        "Access logs show bulk reads of the contractor identity-document bucket and the user "
        "database: personal data breach confirmed (GDPR awareness).",
    ),
    (
        "2026-03-28T22:30",
        "All credentials rotated; poisoned versions blocked; exfiltration stopped.",
    ),
)

# (obligation:jurisdiction, submitted at (Dublin time), recipient's reference, reasons for a delay)
FILINGS = (
    ("nis2.early_warning:IE", "2026-03-28T08:40", "NCSC-IE-2026-0412", ""),
    ("gdpr.sa_notification:IE", "2026-03-29T17:20", "DPC BN-26-1187", ""),
    ("nis2.incident_notification:IE", "2026-03-30T08:00", "NCSC-IE-2026-0412", ""),
    (
        "uk_gdpr.ico_notification:GB",
        "2026-03-30T11:05",
        "ICO IC-401-2211",
        "The ICO reporting form was unavailable from 08:30 to 10:50 (BST); "
        "the notice was sent when it returned.",
    ),
    ("gdpr.data_subject_notice:EU", "2026-04-02T10:00", "", ""),
    ("uk_gdpr.data_subject_notice:GB", "2026-04-02T10:00", "", ""),
    ("us-ca.individual_notice:US-CA", "2026-04-10T15:00", "", ""),
    ("us-ny.individual_notice:US-NY", "2026-04-10T15:00", "", ""),
    ("us-ny.attorney_general:US-NY", "2026-04-10T16:00", "NY AG breach portal", ""),
    ("us-tx.individual_notice:US-TX", "2026-04-10T15:00", "", ""),
    ("us-tx.attorney_general:US-TX", "2026-04-10T16:10", "TX AG form", ""),
    ("us-fl.individual_notice:US-FL", "2026-04-10T15:00", "", ""),
    ("us-fl.attorney_general:US-FL", "2026-04-10T16:20", "FL DLA", ""),
    ("us-co.individual_notice:US-CO", "2026-04-10T15:00", "", ""),
    ("us-co.attorney_general:US-CO", "2026-04-10T16:30", "CO AG", ""),
    ("us-wa.individual_notice:US-WA", "2026-04-10T15:00", "", ""),
    ("us-wa.attorney_general:US-WA", "2026-04-10T16:40", "WA AG", ""),
    ("us-ca.attorney_general:US-CA", "2026-04-14T11:00", "CA AG sample notice", ""),
    ("nis2.final_report:IE", "2026-04-28T16:00", "NCSC-IE-2026-0412", ""),
    # the customers' contractual notices (demo_supply_chain.CONTRACTS)
    ("contract.contoso-dpa-8-1:FR", "2026-03-28T08:00", "CFM ticket SEC-2291", ""),
    ("contract.northwind-msa-12-3:US-CA", "2026-03-30T18:00", "NW case 88120", ""),
    ("contract.contoso-dpa-8-4:FR", "2026-04-02T10:00", "CFM ticket SEC-2291", ""),
)
LIVE_AFFECTED = (("DE", 120), ("FR", 35), ("NL", 12), ("US-CA", 48))


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=DUBLIN)


def load(now: datetime) -> tuple[bool, tuple[tuple[str, str], ...]]:
    """Load the demo unless it exists; return (created, the logins): an (e-mail, password) per
    role of ROLE_USERS, in its order (the DPO's first), each its own password; none when the
    demo was loaded before and its logins were not kept."""
    if db.session.get(Organization, 1) is not None:
        return False, _saved_logins()
    catalogue.sync_shipped()
    logins = tuple((f"{role}@{DOMAIN}", secrets.token_urlsafe(12)) for role in ROLE_USERS)
    users = [_user(role, password) for role, (_, password) in zip(ROLE_USERS, logins, strict=True)]
    organization = _organization()
    db.session.add(organization)
    db.session.add_all(users)
    counterparties = demo_supply_chain.load()
    march = _incident(owner=users[2], author=users[0])
    for party in march.parties:  # the register's contracts bind the March incident too
        party.counterparty = counterparties.get(party.name)
    db.session.add(march)
    db.session.flush()
    regenerate(march, organization, users[0], "because the incident was recorded")
    _file_march_notices(march, organization, users[0])
    _count_customer_people(march, counterparties)
    live = _live_incident(now, owner=users[2], author=users[2])
    db.session.add(live)
    regenerate(live, organization, users[2], "because the incident was recorded")
    db.session.commit()
    _save_logins(logins)
    return True, logins


def _user(role: str, password: str) -> User:
    user = User(email=f"{role}@{DOMAIN}", role=role)
    user.set_password(password)
    return user


def _organization() -> Organization:
    return Organization(
        id=1,
        name="Mercor Europe Ltd (demo)",
        country="IE",
        timezone="Europe/Dublin",
        gdpr_role="controller",
        eu_main_establishment="IE",
        nis2="important",
        nis2_sector="Digital providers / ICT service management (B2B)",
        trust_service_provider=False,
        dora=None,
        sec_registrant=False,
        hipaa=None,
        dpo_name="Aoife Byrne",
        dpo_email=f"dpo@{DOMAIN}",
        dpo_phone="+353 1 555 0100",
    )


def _incident(owner: User, author: User) -> Incident:
    incident = Incident(reference=next_reference(2026), owner=owner, **LITELLM)
    incident.data_categories = _categories()
    incident.jurisdictions = [
        AffectedJurisdiction(code=code, people=people, records=records)
        for code, (people, records) in AFFECTED.items()
    ]
    incident.parties = [
        IncidentParty(name=name, kind=kind, role=role, package_url=purl, notes=notes)
        for name, kind, role, purl, notes in PARTIES
    ]
    timeline.record(
        incident,
        "created",
        f"Incident {incident.reference} recorded by {author.email}",
        author,
        at=_at("2026-03-26T08:20"),
    )
    for when, text in NOTES:
        timeline.record(incident, "note", text, author, at=_at(when))
    return incident


# The March incident's facts, as its incident commander recorded them.
LITELLM = dict(
    title="LiteLLM supply-chain compromise: credential theft and platform data exfiltration",
    summary=(
        "Two poisoned releases of the open-source LiteLLM library (1.82.7 and 1.82.8) ran "
        "in a build worker and exfiltrated cloud credentials. With them an attacker copied "
        "about 4 TB: 939 GB of platform source code, the 211 GB user database, and about "
        "3 TB of video interviews and identity documents of more than 40,000 contractors, "
        "including names and US Social Security numbers. AI-lab customers' training "
        "methodology was exposed."
    ),
    status="contained",
    severity="critical",
    occurred_at=_at("2026-03-24T11:40"),
    detected_at=_at("2026-03-26T08:05"),
    aware_at=_at("2026-03-27T09:15"),
    discovered_at=_at("2026-03-27T09:15"),
    contained_at=_at("2026-03-28T22:30"),
    personal_data_breach=True,
    phi_breach=False,
    malicious=True,
    cross_border=True,
    root_cause="Unpinned dependency on litellm pulled the poisoned releases into a CI worker "
    "holding long-lived cloud credentials.",
    consequences="Identity theft and fraud risk for contractors (SSNs, ID documents, video); "
    "exposure of customers' trade secrets; platform source code in attacker hands.",
    measures_taken="Credentials rotated; poisoned versions blocked; dependencies hash-pinned; "
    "identity-protection service offered to affected contractors; forensic firm engaged.",
    gdpr_risk="high",
    gdpr_risk_rationale="Identity documents and national identifiers of contractors were "
    "exfiltrated by a malicious actor: high risk of identity theft (ENISA severity very high).",
    nis2_significant=True,
    nis2_significance_rationale="Malicious unauthorised access capable of severe operational "
    "disruption (IR 2024/2690 Art. 3(1)(e)); exfiltration of customers' trade secrets.",
)


def _categories(codes=CATEGORIES) -> list[DataCategory]:
    rows = db.session.execute(db.select(DataCategory).where(DataCategory.code.in_(codes)))
    return list(rows.scalars())


def _file_march_notices(incident: Incident, organization: Organization, dpo: User) -> None:
    """File the March incident's notices as they were sent (the ICO notice 50 minutes late)."""
    for key, when, reference, delay in FILINGS:
        rule_id, jurisdiction = key.split(":")
        row = next(r for r in incident.obligations if r.key == (rule_id, jurisdiction))
        submission = Submission(
            submitted_at=_at(when), recipient_reference=reference, delay_reasons=delay
        )
        record_filing(row, submission, dpo, organization)


def _count_customer_people(incident: Incident, counterparties: dict) -> None:
    """Record, before drafting, how many of each customer's people the incident hit (what the
    customer must itself report, GDPR Art. 33(3)(a)); a customer left out states the total."""
    for name, people in demo_supply_chain.CUSTOMER_PEOPLE.items():
        cascade.set_people(incident, counterparties[name], None, people)


def _live_incident(now: datetime, owner: User, author: User) -> Incident:
    """A second, current incident whose clocks are running while the demo is looked at."""
    detected = now.replace(second=0, microsecond=0) - timedelta(hours=2)
    incident = Incident(
        reference=next_reference(now.astimezone(DUBLIN).year),
        title="Stolen CI token reused against the contractor portal",
        summary="A CI token that survived the March rotation was used to read contractor profiles "
        "through the portal's internal API.",
        status="open",
        severity="high",
        owner=owner,
        detected_at=detected,
        aware_at=detected + timedelta(hours=1),
        discovered_at=detected + timedelta(hours=1),
        personal_data_breach=True,
        malicious=True,
        gdpr_risk="high",
        nis2_significant=True,
        gdpr_risk_rationale="Contact and account data of contractors read by an attacker.",
    )
    incident.data_categories = _categories(("contact", "account_credentials"))
    incident.jurisdictions = [
        AffectedJurisdiction(code=code, people=people) for code, people in LIVE_AFFECTED
    ]
    timeline.record(
        incident,
        "created",
        f"Incident {incident.reference} recorded by {author.email}",
        author,
        at=detected,
    )
    return incident


def _login_path() -> Path:
    return Path(current_app.instance_path) / LOGIN_FILE


def _save_logins(logins: tuple[tuple[str, str], ...]) -> None:
    """Keep the logins for `incident-tracker demo` to print again: a file of the instance folder,
    created readable by its owner only."""
    path = _login_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.writelines(f"{email}\t{password}\n" for email, password in logins)


def _saved_logins() -> tuple[tuple[str, str], ...]:
    path = _login_path()
    if not path.exists():
        return ()
    rows = [line.split("\t") for line in path.read_text().splitlines()]
    return tuple((row[0], row[1]) for row in rows if len(row) == 2)
