"""The engine's input: an organization and the facts of one incident, as frozen values.

The shell builds these from a facts document (facts_document.parse_facts) or from database rows.
Constructors normalise plain strings to the enumerations below and refuse what would make a
deadline wrong: naive datetimes, negative counts, unknown enumeration values.
"""

import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .contracts import Contract, unique_contracts

EU = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
EEA = frozenset(EU.split()) | {"IS", "LI", "NO"}


class GdprRole(StrEnum):
    CONTROLLER = "controller"
    JOINT_CONTROLLER = "joint_controller"
    PROCESSOR = "processor"


class GdprRisk(StrEnum):
    UNLIKELY = "unlikely"
    RISK = "risk"
    HIGH = "high"


class Nis2Status(StrEnum):
    ESSENTIAL = "essential"
    IMPORTANT = "important"


class DoraEntity(StrEnum):
    CREDIT_INSTITUTION = "credit_institution"
    CENTRAL_COUNTERPARTY = "central_counterparty"
    TRADING_VENUE = "trading_venue"
    OTHER = "other"


class HipaaRole(StrEnum):
    COVERED_ENTITY = "covered_entity"
    BUSINESS_ASSOCIATE = "business_associate"


ENUMS = {
    "gdpr_role": GdprRole,
    "gdpr_risk": GdprRisk,
    "nis2": Nis2Status,
    "dora": DoraEntity,
    "hipaa": HipaaRole,
}
COUNTRY = re.compile(r"[A-Z]{2}")
PLACE = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?")
MACHINE_ZONES = frozenset({"localtime", "Factory"})
INSTANTS = (
    "aware_at",
    "dora_classified_major_at",
    "sec_materiality_determined_at",
    "discovered_at",
    "breach_determined_at",
)
FLAGS = (
    "trust_service_provider",
    "dora_relief_withdrawn",
    "sec_registrant",
    "personal_data_breach",
    "nis2_significant",
    "phi_breach",
)


def _set(value: object, name: str, new: object) -> None:
    object.__setattr__(value, name, new)


def _normalise(value: object) -> None:
    """Coerce enumeration strings, None flags and check instants on a dataclass being built."""
    for item in fields(value):  # type: ignore[arg-type]
        current = getattr(value, item.name)
        if item.name in ENUMS and current is not None:
            _set(value, item.name, ENUMS[item.name](current))
        elif item.name in FLAGS:
            _set(value, item.name, _flag(item.name, current))
        elif item.name in INSTANTS and current is not None:
            _aware(item.name, current)


def _flag(name: str, value: object) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
    return value


def _aware(name: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.utcoffset() is None:
        raise ValueError(f"{name} is a naive datetime ({value.isoformat()}); attach a timezone")
    return value


@dataclass(frozen=True)
class Organization:
    """The reporting entity: where it is established, its zone, and its regulatory roles."""

    country: str
    timezone: str
    gdpr_role: GdprRole | None = None
    eu_main_establishment: str | None = None
    nis2: Nis2Status | None = None
    trust_service_provider: bool = False
    dora: DoraEntity | None = None
    dora_relief_withdrawn: bool = False
    sec_registrant: bool = False
    hipaa: HipaaRole | None = None

    def __post_init__(self) -> None:
        _normalise(self)
        _code("country", self.country, COUNTRY)
        _zone(self.timezone)
        if self.eu_main_establishment is not None and self.eu_main_establishment not in EEA:
            main = self.eu_main_establishment
            raise ValueError(f"eu_main_establishment {main} is not in the EU/EEA")

    @cached_property
    def zone(self) -> ZoneInfo:
        """Return the organization's timezone (looked up once)."""
        return _zone(self.timezone)

    @property
    def established_in_eea(self) -> bool:
        """Tell whether the organization is established in the EU/EEA."""
        return self.country in EEA or self.eu_main_establishment is not None


def _code(name: str, value: object, shape: re.Pattern[str]) -> None:
    """Refuse a code that is not upper-case ISO 3166 shaped ("DE", "US-CA")."""
    if not isinstance(value, str) or not shape.fullmatch(value):
        raise ValueError(f"{name} {value!r} is not an upper-case ISO 3166 code")


def _zone(name: str) -> ZoneInfo:
    """Return a named IANA zone; refuse unknown names and the machine's own "localtime"."""
    if isinstance(name, str) and name not in MACHINE_ZONES:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise ValueError(f"unknown IANA timezone {name!r}")


def _counts(affected: Mapping[str, int]) -> Mapping[str, int]:
    for code, count in affected.items():
        _code("affected", code, PLACE)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"affected[{code}] must be a whole number >= 0, not {count!r}")
    return MappingProxyType(dict(sorted(affected.items())))


def _instants(name: str, value: datetime | Iterable[datetime]) -> tuple[datetime, ...]:
    instants = (value,) if isinstance(value, datetime) else tuple(value)
    return tuple(_aware(f"submissions[{name}]", instant) for instant in instants)


def _submissions(submissions: Mapping[str, object]) -> Mapping[str, tuple[datetime, ...]]:
    return MappingProxyType({key: _instants(key, value) for key, value in submissions.items()})


@dataclass(frozen=True)
class Facts:
    """What the engine reasons about for one incident; every instant is aware.

    ``affected`` maps ISO codes ("DE", "US-CA") to the number of people affected there (0 means
    not affected). ``submissions`` maps an obligation id, or "id:JURISDICTION", to the instants it
    was submitted; a single datetime is accepted and the latest instant counts. ``contracts`` are
    the contracts with the parties involved; their outbound clauses are obligations too.
    """

    organization: Organization
    personal_data_breach: bool = False
    gdpr_risk: GdprRisk | None = None
    nis2_significant: bool = False
    phi_breach: bool = False
    aware_at: datetime | None = None
    dora_classified_major_at: datetime | None = None
    sec_materiality_determined_at: datetime | None = None
    discovered_at: datetime | None = None
    breach_determined_at: datetime | None = None
    affected: Mapping[str, int] = field(default_factory=dict, hash=False)
    submissions: Mapping[str, tuple[datetime, ...]] = field(default_factory=dict, hash=False)
    contracts: tuple[Contract, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.organization, Organization):
            raise TypeError("organization must be an Organization")
        _normalise(self)
        _set(self, "affected", _counts(self.affected or {}))
        _set(self, "submissions", _submissions(self.submissions or {}))
        _set(self, "contracts", unique_contracts(self.contracts or ()))

    def affected_in(self, code: str) -> int:
        """Return the number of people affected in a country or state (0 if none)."""
        return self.affected.get(code, 0)

    def affected_where(self, codes: Container[str]) -> tuple[str, ...]:
        """Return the codes among ``codes`` with at least one person affected, sorted.

        Walks the few affected places rather than ``codes`` (the EEA's 30 countries, say).
        """
        return tuple(sorted(code for code, n in self.affected.items() if n > 0 and code in codes))

    def us_total(self) -> int:
        """Return the people affected in the US: the "US" entry plus every "US-XX" entry."""
        return sum(n for code, n in self.affected.items() if code == "US" or code.startswith("US-"))

    def submitted_at(self, obligation_id: str, jurisdiction: str) -> datetime | None:
        """Return the latest submission of an obligation; "id:JURISDICTION" wins over "id"."""
        if not self.submissions:
            return None
        specific = f"{obligation_id}:{jurisdiction}"
        key = specific if specific in self.submissions else obligation_id
        return max(self.submissions.get(key, ()), default=None)
