"""Incidents opened from the supply chain: from compromised releases (one for our own exposed
systems, one per exposed vendor) and from a notice received from a vendor.

Incidents are created and changed only through `records`, so the reference, the timeline, the
audit trail and the statutory and contractual obligations come in the caller's transaction; the
caller commits. (This is not in supply_chain.py because records and regeneration import that
module: importing records from it would make a cycle.)
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from packageurl import PackageURL

from ..extensions import db
from ..facts.purl import validate_package_url
from ..incidents import records, timeline
from ..models import (
    ComponentUse,
    CompromisedRelease,
    Counterparty,
    Incident,
    IncidentParty,
    Organization,
    System,
    User,
    VendorNotice,
)
from ..web.localtime import display
from .exposure import exposure

OURS = "our systems"
TITLE_LENGTH = 200
NAME_LENGTH = 200
NOTES_LENGTH = 1000
ADVISORY_EXCERPT = 2000
CONSERVATIVE = (
    "Recorded as a personal data breach because {reason}: the conservative reading. "
    "The clocks run until the DPO decides otherwise."
)


@dataclass
class Origin:
    """Where compromised releases reached us: our own systems (no vendor) or one vendor."""

    vendor: Counterparty | None
    hits: list[tuple[CompromisedRelease, ComponentUse]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"vendor {self.vendor.name}" if self.vendor else OURS

    @property
    def releases(self) -> list[CompromisedRelease]:
        return list({release.id: release for release, _use in self.hits}.values())

    @property
    def uses(self) -> list[ComponentUse]:
        return list({use.id: use for _release, use in self.hits}.values())

    @property
    def systems(self) -> list[System]:
        return _by_name(use.system for use in self.uses if use.system)

    @property
    def customers(self) -> list[Counterparty]:
        holders = [self.vendor] if self.vendor else self.systems
        return _by_name(customer for holder in holders for customer in holder.customers)


@dataclass
class Opened:
    """The incident of one origin, and whether this action created it or found it open."""

    origin: Origin
    incident: Incident
    created: bool


def _by_name(items) -> list:
    unique = {item.id: item for item in items}
    return sorted(unique.values(), key=lambda item: item.name)


def origins(releases: list[CompromisedRelease]) -> list[Origin]:
    """Group what the releases reach by origin: our own systems first, then each vendor."""
    ours, vendors = Origin(None), {}
    for release in releases:
        for use in exposure(release.package_url).uses:
            origin = vendors.setdefault(use.vendor_id, Origin(use.vendor)) if use.vendor else ours
            origin.hits.append((release, use))
    by_name = sorted(vendors.values(), key=lambda origin: origin.vendor.name)
    return [origin for origin in (ours, *by_name) if origin.hits]


def open_incidents(
    releases: list[CompromisedRelease], org: Organization, actor: User
) -> list[Opened]:
    """Open one incident per origin the releases reach, or link to the one open already."""
    _lock(releases)
    opened = []
    for origin in origins(releases):
        incident = existing_incident(origin)
        if incident is None:
            incident = records.record(_release_changes(origin, org), org, actor)
            opened.append(Opened(origin, incident, created=True))
        else:
            add_parties(incident, release_parties(origin), org, actor)
            opened.append(Opened(origin, incident, created=False))
    db.session.flush()
    return opened


def _lock(releases: list[CompromisedRelease]) -> None:
    """Lock the releases, so that two clicks on "open" open the incidents once: the second waits,
    then finds the incidents the first opened (on SQLite the lock is the database's write lock:
    db.py)."""
    ids = [release.id for release in releases]
    statement = db.select(CompromisedRelease.id).where(CompromisedRelease.id.in_(ids))
    db.session.execute(statement.with_for_update()).all()


def existing_incident(origin: Origin) -> Incident | None:
    """The incident not closed with a component party of one of the releases and this origin."""
    urls = [release.package_url for release in origin.releases]
    components = db.select(IncidentParty.incident_id).where(
        IncidentParty.role == "upstream_component", IncidentParty.package_url.in_(urls)
    )
    statement = (
        db.select(Incident)
        .where(Incident.id.in_(components), Incident.status != "closed")
        .order_by(Incident.id)
        .with_for_update()
    )
    found = db.session.execute(statement).scalars()
    return next((incident for incident in found if _same_origin(incident, origin)), None)


def _same_origin(incident: Incident, origin: Origin) -> bool:
    """Whether the incident's origin vendor is this origin's (or, for ours, there is none)."""
    vendors = {party.counterparty_id for party in incident.parties if party.role == "origin_vendor"}
    return origin.vendor.id in vendors if origin.vendor else not vendors


def release_parties(origin: Origin) -> list[dict]:
    """The parties of an origin's incident: the releases, the vendor, the customers reached."""
    rows = [component_row(release.package_url, release.advisory) for release in origin.releases]
    if origin.vendor:
        rows.append(counterparty_row(origin.vendor, "vendor", "origin_vendor"))
    return rows + [counterparty_row(c, "customer", "affected_customer") for c in origin.customers]


def component_row(package_url: str, notes: str = "") -> dict:
    """A software component as an incident party (kind component, role upstream component)."""
    purl = PackageURL.from_string(package_url)
    name = f"{purl.name} {purl.version}" if purl.version else purl.name
    return {
        "name": name[:NAME_LENGTH],
        "kind": "component",
        "role": "upstream_component",
        "package_url": package_url,
        "notes": notes.strip()[:NOTES_LENGTH],
    }


def counterparty_row(counterparty: Counterparty, kind: str, role: str) -> dict:
    """A registered counterparty as an incident party, linked to it (its contracts apply)."""
    return {
        "name": counterparty.name,
        "kind": kind,
        "role": role,
        "package_url": None,
        "notes": "",
        "counterparty_id": counterparty.id,
    }


def add_parties(incident: Incident, rows: list[dict], org: Organization, actor: User) -> bool:
    """Add the parties the incident does not name yet, through records (obligations follow)."""
    current = [_party_row(party) for party in incident.parties]
    named = {key for row in current for key in _party_keys(row)}
    missing = [row for row in rows if not _party_keys(row) & named]
    if missing:
        changes = records.Changes(parties=current + missing)
        # the version is bumped: an edit form read before this change is now stale
        records.change(incident, changes, org, actor, version=records.ANY_VERSION)
    return bool(missing)


def _party_row(party: IncidentParty) -> dict:
    names = ("name", "kind", "role", "package_url", "notes", "counterparty_id")
    return {name: getattr(party, name) for name in names}


def _party_keys(row: dict) -> set[tuple]:
    """What makes a party the same: its package URL, or its counterparty or name, in its role."""
    if row.get("package_url"):
        return {(row["role"], row["package_url"])}
    keys = {(row["role"], row["name"].strip().lower())}
    if row.get("counterparty_id") is not None:
        keys.add((row["role"], row["counterparty_id"]))
    return keys


def _release_changes(origin: Origin, org: Organization) -> records.Changes:
    known_at = min(release.known_at for release in origin.releases)
    scalars = {
        "title": _release_title(origin),
        "summary": _release_summary(origin, ZoneInfo(org.timezone)),
        "status": "open",
        "aware_at": known_at,
        "discovered_at": known_at,
        "malicious": True,
        "personal_data_breach": bool(origin.customers),
    }
    return records.Changes(scalars=scalars, parties=release_parties(origin))


def _release_title(origin: Origin) -> str:
    where = f" ({origin.name})"
    names = ", ".join(release.package_url for release in origin.releases)
    room = TITLE_LENGTH - len("Compromised ") - len(where)
    if len(names) > room:
        names = names[: room - 1] + "…"
    return f"Compromised {names}{where}"


def _release_summary(origin: Origin, tz: ZoneInfo) -> str:
    lines = ["Compromised releases:"]
    lines += [f"- {r.package_url} (known {display(r.known_at, tz)})" for r in origin.releases]
    lines += ["", f"Exposed at {origin.name}:"]
    lines += [f"- {_holder(use)}: {_use_text(use, origin)}" for use in origin.uses]
    lines += ["", _customers_text(origin)]
    for release in origin.releases:
        if release.advisory.strip():
            lines += ["", f"Advisory for {release.package_url}:"]
            lines.append(release.advisory.strip()[:ADVISORY_EXCERPT])
    return "\n".join(lines)


def _holder(use: ComponentUse) -> str:
    return f"system {use.system.name}" if use.system else f"vendor {use.vendor.name}"


def _use_text(use: ComponentUse, origin: Origin) -> str:
    versions = [
        release.package_url.rsplit("@", 1)[-1] for release, hit in origin.hits if hit is use
    ]
    return f"uses {use.package} {use.versions}, which includes {', '.join(versions)}"


def _customers_text(origin: Origin) -> str:
    if not origin.customers:
        return f"No customer's data is recorded as held by {origin.name}."
    names = ", ".join(customer.name for customer in origin.customers)
    reason = f"{origin.name} hold the data of these customers"
    return f"Customers whose data they hold: {names}.\n" + CONSERVATIVE.format(reason=reason)


def archive_letter(notice: VendorNotice, letter: bytes, filename: str) -> None:
    """Keep the vendor's letter exactly as received, with its SHA-256 and file name."""
    notice.letter = letter
    notice.letter_name = filename
    notice.letter_sha256 = hashlib.sha256(letter).hexdigest()


def receive_notice(
    notice: VendorNotice,
    org: Organization,
    actor: User,
    incident: Incident | None = None,
    aware_at: datetime | None = None,
) -> Incident:
    """Open an incident from a vendor's notice, or add the notice to an incident (no commit)."""
    if incident is None:
        incident = records.record(_notice_changes(notice, aware_at), org, actor)
    else:
        add_parties(
            incident, [counterparty_row(notice.vendor, "vendor", "origin_vendor")], org, actor
        )
    notice.incident = incident
    db.session.add(notice)
    text = _received_text(notice, ZoneInfo(org.timezone))
    timeline.record(incident, "note", text, actor, at=notice.received_at)
    return incident


def _notice_changes(notice: VendorNotice, aware_at: datetime | None) -> records.Changes:
    vendor, aware = notice.vendor, aware_at or notice.received_at
    holds_data = vendor.kind == "processor" or bool(vendor.customers)  # see _holding
    scalars = {
        "title": f"Notice from {vendor.name}: {_first_line(notice.summary)}"[:TITLE_LENGTH],
        "summary": _notice_summary(notice, holds_data),
        "status": "open",
        "aware_at": aware,
        "discovered_at": aware,
        "personal_data_breach": holds_data,
    }
    parties = [counterparty_row(vendor, "vendor", "origin_vendor")]
    parties += [counterparty_row(c, "customer", "affected_customer") for c in vendor.customers]
    return records.Changes(scalars=scalars, parties=parties + _components(notice.components))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def _notice_summary(notice: VendorNotice, holds_data: bool) -> str:
    parts = [notice.summary.strip()]
    for label, text in (("Components", notice.components), ("Data", notice.data_involved)):
        if text.strip():
            parts.append(f"{label} involved: {text.strip()}")
    if holds_data:
        parts.append(CONSERVATIVE.format(reason=_holding(notice.vendor)))
    return "\n\n".join(parts)


def _holding(vendor: Counterparty) -> str:
    """Why a vendor's incident is taken to touch personal data."""
    if vendor.customers:
        names = ", ".join(customer.name for customer in vendor.customers)
        return f"{vendor.name} holds the data of our customers {names}"
    return f"{vendor.name} is our processor"


def _components(text: str) -> list[dict]:
    """The package URLs named in the notice's components, as component parties."""
    found: dict[str, dict] = {}
    for token in text.replace(",", " ").split():
        if token.startswith("pkg:"):
            try:
                url = validate_package_url(token)
            except ValueError:
                continue
            found.setdefault(url, component_row(url))
    return list(found.values())


def _received_text(notice: VendorNotice, tz: ZoneInfo) -> str:
    text = f"Notice received from {notice.vendor.name} at {display(notice.received_at, tz)}"
    if notice.letter is not None:
        text += f"; letter {notice.letter_name} archived (SHA-256 {notice.letter_sha256})"
    return text
