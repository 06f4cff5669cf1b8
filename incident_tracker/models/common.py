"""What the model modules share: the enumerations, the clock of the shell, and helpers."""

from datetime import UTC, datetime

from sqlalchemy import BigInteger, CheckConstraint, Integer, event

from ..core.facts import DoraEntity, GdprRisk, GdprRole, HipaaRole, Nis2Status

ROLES = ("admin", "dpo", "commander", "legal", "viewer")
GDPR_ROLES = tuple(map(str, GdprRole))
NIS2_STATUSES = tuple(map(str, Nis2Status))
DORA_ENTITY_TYPES = tuple(map(str, DoraEntity))
HIPAA_ROLES = tuple(map(str, HipaaRole))
INCIDENT_STATUSES = ("open", "contained", "closed")
SEVERITIES = ("low", "medium", "high", "critical")
GDPR_RISKS = tuple(map(str, GdprRisk))
OBLIGATION_STATUSES = (
    "open",
    "awaiting_anchor",
    "no_fixed_deadline",
    "submitted",
    "not_required",
    "no_longer_applicable",
)
# A count of people or records: a breach can reach billions of accounts, and the forms and the
# API accept up to 10^10 people and 10^12 records. 64-bit on PostgreSQL; SQLite's INTEGER is.
COUNT = BigInteger().with_variant(Integer(), "sqlite")
MAX_PEOPLE, MAX_RECORDS = 10**10, 10**12  # what the forms and the API accept for a place
PARTY_KINDS = ("vendor", "processor", "customer", "authority", "component", "other")
PARTY_ROLES = (
    "origin_vendor",
    "affected_customer",
    "our_processor",
    "our_controller",
    "upstream_component",
    "authority",
    "other",
)


def utcnow() -> datetime:
    """Return the current instant, aware, in UTC (the shell's clock; the core never reads it)."""
    return datetime.now(UTC)


def enum_check(column: str, values: tuple[str, ...], nullable: bool = True) -> CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    condition = f"{column} IN ({allowed})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=f"{column}_allowed")


def append_only(*models) -> None:
    """Refuse updates and deletes of these models' rows through the ORM."""
    for model in models:
        event.listen(model, "before_update", _refuse)
        event.listen(model, "before_delete", _refuse)


def _refuse(_mapper, _connection, target):
    raise PermissionError(f"{type(target).__name__} {target.id} is append-only")
