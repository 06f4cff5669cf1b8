"""Demo data: the supply chain around the March 2026 LiteLLM compromise.

The demo organization (an AI-data vendor) serves two AI labs under contracts with notice clauses
(one governed by California law, one by French law), entrusts interview videos to a vendor that
itself runs LiteLLM, and runs LiteLLM in its own systems. Marking pkg:pypi/litellm@1.82.7 and
@1.82.8 compromised (Supply chain > Releases) reaches all of them.
"""

from ..extensions import db
from ..models import ComponentUse, Contract, Counterparty, NoticeClause, System

LITELLM = "pkg:pypi/litellm"
NORTHWIND = "Northwind AI (fictional AI lab)"
CONTOSO = "Contoso Frontier Models (fictional AI lab)"
STORAGE = "Object storage provider (processor)"
# the contractors who worked on a customer's projects, for its notice (Northwind's not yet known)
CUSTOMER_PEOPLE = {CONTOSO: 1_840}
INTERVIEWS = "Interviewly Video Ltd (fictional vendor)"

# name: (kind, country, timezone, contact)
COUNTERPARTIES = {
    NORTHWIND: ("customer", "US-CA", "America/Los_Angeles", "security@northwind-ai.example"),
    CONTOSO: ("customer", "FR", "Europe/Paris", "dpo@contoso-frontier.example"),
    STORAGE: ("processor", "IE", "Europe/Dublin", "incidents@storage.example"),
    INTERVIEWS: ("vendor", "IE", "Europe/Dublin", "trust@interviewly.example"),
}
# counterparty: (title, reference, governing law, [(slug, clause, direction, trigger, unit,
#                amount, applies to, content)])
CONTRACTS = {
    NORTHWIND: (
        "Master Services Agreement 2025",
        "NW-MSA-2025",
        "US-CA",
        [
            (
                "northwind-msa-12-3",
                "Clause 12.3",
                "outbound",
                "awareness",
                "business_hours",
                48,
                "security_incident",
                "Nature of the incident, Northwind data and projects affected, "
                "containment, a contact who can answer 24/7.",
            ),
        ],
    ),
    CONTOSO: (
        "Data Processing Agreement 2025",
        "CFM-DPA-2025",
        "FR",
        [
            (
                "contoso-dpa-8-1",
                "Clause 8.1 (GDPR Art. 28(3)(f), 33(2))",
                "outbound",
                "awareness",
                "hours",
                24,
                "personal_data_breach",
                "The Art. 33(3) particulars: nature, categories and numbers, DPO contact, likely "
                "consequences, measures; in phases where not yet known.",
            ),
            (
                "contoso-dpa-8-4",
                "Clause 8.4 (security incidents)",
                "outbound",
                "suspicion",
                "business_days",
                5,
                "security_incident",
                "Any security incident affecting the services, even without personal data.",
            ),
        ],
    ),
    STORAGE: (
        "Data Processing Agreement 2024",
        "OSP-DPA-2024",
        "IE",
        [
            (
                "storage-dpa-9",
                "Clause 9",
                "inbound",
                "awareness",
                "hours",
                24,
                "personal_data_breach",
                "The processor notifies us of a personal data breach.",
            ),
        ],
    ),
    INTERVIEWS: (
        "Video Processing Agreement 2025",
        "IV-VPA-2025",
        "IE",
        [
            (
                "interviewly-vpa-6-2",
                "Clause 6.2",
                "inbound",
                "awareness",
                "hours",
                24,
                "security_incident",
                "The vendor notifies us of any security incident.",
            ),
        ],
    ),
}
# system: (description, customers whose data it holds, LiteLLM versions it runs)
SYSTEMS = {
    "Talent platform API": (
        "Matches contractors to AI-lab projects; calls language models through LiteLLM.",
        (NORTHWIND, CONTOSO),
        ">=1.80,<1.83",
    ),
    "CI workers": ("Build and test workers; hold deployment credentials.", (), "*"),
    "Evaluation pipeline": (
        "Scores contractor submissions; pinned to a release before the poisoned ones.",
        (NORTHWIND,),
        "==1.82.6",
    ),
}
VENDOR_USES = {INTERVIEWS: (">=1.82,<1.83", (CONTOSO,))}


def load() -> dict[str, Counterparty]:
    """Add the register (counterparties, contracts, clauses, systems, components); by name."""
    parties = {name: _counterparty(name, *row) for name, row in COUNTERPARTIES.items()}
    for name, (title, reference, law, clauses) in CONTRACTS.items():
        parties[name].contracts.append(_contract(title, reference, law, clauses))
    for name, (description, customers, versions) in SYSTEMS.items():
        system = System(name=name, description=description)
        system.customers = [parties[customer] for customer in customers]
        db.session.add(system)
        db.session.add(ComponentUse(package=LITELLM, versions=versions, system=system))
    for name, (versions, customers) in VENDOR_USES.items():
        parties[name].customers = [parties[customer] for customer in customers]
        db.session.add(ComponentUse(package=LITELLM, versions=versions, vendor=parties[name]))
    db.session.add_all(parties.values())
    return parties


def _counterparty(name, kind, country, timezone, contact) -> Counterparty:
    return Counterparty(
        name=name, kind=kind, country=country, timezone=timezone, contact_email=contact
    )


def _contract(title, reference, law, clauses) -> Contract:
    contract = Contract(title=title, reference=reference, governing_law=law)
    for slug, clause, direction, trigger, unit, amount, scope, content in clauses:
        contract.clauses.append(
            NoticeClause(
                slug=slug,
                reference=clause,
                direction=direction,
                trigger=trigger,
                unit=unit,
                amount=amount,
                applies_to=scope,
                content=content,
                channel="e-mail",
            )
        )
    return contract
