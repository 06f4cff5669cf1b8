"""The supply chain as the engine and the register see it.

- (The contracts that bind an incident's parties become the core's values in
  incidents/contracts.py, which regeneration reads.)
- A compromised release (a package URL with a version) is matched against what our systems and
  vendors use (PEP 440 version ranges for every package type; an exact version otherwise), and
  the exposure reaches every customer whose data those systems and vendors hold.
- Our notice to a customer starts the customer's own clocks: `customer_clock` runs the engine
  for the customer as a controller made aware at the moment our notice was sent.
"""

from dataclasses import dataclass, field
from datetime import datetime

from packageurl import PackageURL
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from ..core import engine
from ..core.facts import Facts
from ..core.facts import Organization as OrganizationFacts
from ..extensions import db
from ..models import ComponentUse, Contract, Counterparty, System


def release_parts(package_url: str) -> tuple[str, str]:
    """Split pkg:pypi/litellm@1.82.7 into ("pkg:pypi/litellm", "1.82.7"); a version is required."""
    purl = PackageURL.from_string(package_url)
    if not purl.version:
        raise ValueError("a compromised release names its version, e.g. pkg:pypi/litellm@1.82.7")
    package = PackageURL(purl.type, purl.namespace, purl.name).to_string()
    return package, purl.version


def check_versions(spec: str) -> str:
    """Validate a version range: PEP 440 specifiers (">=1.82,<1.83", "==1.82.7") or "*"."""
    spec = spec.strip()
    if spec == "*":
        return spec
    try:
        SpecifierSet(spec)
    except InvalidSpecifier:
        raise ValueError(
            f"{spec!r} is not a version range: use PEP 440 specifiers such as >=1.82,<1.83, "
            "==1.82.7, ===2024.01-custom for a version that is not PEP 440, or * for every version"
        ) from None
    return spec


def in_range(version: str, spec: str) -> bool:
    """Whether a version lies in a range; a version that is not PEP 440 must be listed exactly
    (with ===, the only operator that takes one: ===2024.01-custom)."""
    if spec.strip() == "*":
        return True
    specifiers = SpecifierSet(spec)
    try:
        return Version(version) in specifiers
    except InvalidVersion:
        exact = [item for item in specifiers if item.operator in ("==", "===")]
        return any(item.version == version for item in exact)


@dataclass
class Exposure:
    """What one compromised release reaches: uses, systems, vendors, customers, contracts."""

    package_url: str
    uses: list[ComponentUse] = field(default_factory=list)
    systems: list[System] = field(default_factory=list)
    vendors: list[Counterparty] = field(default_factory=list)
    customers: list[Counterparty] = field(default_factory=list)

    @property
    def contracts(self) -> list[Contract]:
        parties = [*self.vendors, *self.customers]
        return [contract for party in parties for contract in party.contracts if contract.active]


def exposure(package_url: str) -> Exposure:
    """Every system and vendor using the release, and every customer whose data they hold."""
    package, version = release_parts(package_url)
    uses = db.session.execute(
        db.select(ComponentUse).where(ComponentUse.package == package).order_by(ComponentUse.id)
    ).scalars()
    found = Exposure(package_url, uses=[use for use in uses if in_range(version, use.versions)])
    found.systems = _unique(use.system for use in found.uses if use.system)
    found.vendors = _unique(use.vendor for use in found.uses if use.vendor)
    served = [c for holder in (*found.systems, *found.vendors) for c in holder.customers]
    found.customers = _unique(served)
    return found


def _unique(items) -> list:
    seen: dict[int, object] = {}
    for item in items:
        seen.setdefault(item.id, item)
    return sorted(seen.values(), key=lambda item: item.name)


# --- the customer's own clock ----------------------------------------------------------------


def customer_clock(customer: Counterparty, notified_at: datetime) -> engine.Obligation | None:
    """The 72-hour GDPR clock our notice starts for a customer (the controller), if it has one.

    The customer becomes aware when our notice reaches it (Art. 33(2) then Art. 33(1)); the engine
    computes its deadline exactly as it does ours, in the customer's own timezone.
    """
    if not customer.country or "-" in customer.country:
        return None
    facts = Facts(
        organization=OrganizationFacts(
            country=customer.country,
            timezone=customer.timezone or "UTC",
            gdpr_role="controller",
            eu_main_establishment=None,
        ),
        personal_data_breach=True,
        gdpr_risk="risk",
        aware_at=notified_at,
        affected={customer.country: 1},
    )
    found = [o for o in engine.compute(facts).obligations if o.id == "gdpr.sa_notification"]
    return found[0] if found else None
