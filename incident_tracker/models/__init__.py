"""ORM models: the register's rows. Instants are aware UTC (see db.UTCDateTime)."""

from .accounts import LoginAttempt, Organization, User
from .audit import GENESIS, AuditEvent, AuditHead
from .common import (
    DORA_ENTITY_TYPES,
    GDPR_RISKS,
    GDPR_ROLES,
    HIPAA_ROLES,
    INCIDENT_STATUSES,
    NIS2_STATUSES,
    OBLIGATION_STATUSES,
    PARTY_KINDS,
    PARTY_ROLES,
    ROLES,
    SEVERITIES,
    utcnow,
)
from .documents import Document, LetterTemplate, TemplateRevision
from .incidents import (
    AffectedJurisdiction,
    DataCategory,
    Incident,
    IncidentParty,
    ReferenceCounter,
    TimelineEvent,
    incident_data_category,
)
from .integrations import TOKEN_SCOPES, ApiToken, CalendarFeed, ReminderSent
from .obligations import Filing, NotificationDecision, Obligation

__all__ = [
    "DORA_ENTITY_TYPES",
    "GDPR_RISKS",
    "GDPR_ROLES",
    "HIPAA_ROLES",
    "INCIDENT_STATUSES",
    "NIS2_STATUSES",
    "OBLIGATION_STATUSES",
    "PARTY_KINDS",
    "PARTY_ROLES",
    "ROLES",
    "SEVERITIES",
    "GENESIS",
    "TOKEN_SCOPES",
    "ApiToken",
    "CalendarFeed",
    "ReminderSent",
    "AuditEvent",
    "AuditHead",
    "LoginAttempt",
    "AffectedJurisdiction",
    "DataCategory",
    "Document",
    "Filing",
    "Incident",
    "IncidentParty",
    "LetterTemplate",
    "NotificationDecision",
    "Obligation",
    "Organization",
    "ReferenceCounter",
    "TemplateRevision",
    "TimelineEvent",
    "User",
    "incident_data_category",
    "utcnow",
]
