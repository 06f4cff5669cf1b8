"""Contracts and their notification clauses, as frozen values (issue 8).

A clause says who notifies whom, what starts the clock and how long it runs. An outbound clause
(we notify the counterparty) becomes an obligation (regimes/contracts.py); an inbound clause (the
counterparty notifies us) is kept for tracking and owes nothing.

Periods are counted in the organization's timezone with the conventions of clock.py:
- hours: elapsed time, no weekend or holiday extension (clock.add_hours);
- calendar_days: the same local clock time N days later (clock.add_wall_days); the end of day N
  would be the later reading;
- business_days: Monday to Friday except the public holidays of the governing law's country or
  US state; day 1 is the first of them after the anchor's local date, and the deadline keeps the
  anchor's local clock time (clock.add_working_days);
- business_hours: hours counted only on those working days, each 24 wall-clock hours, so 48 from
  Friday 17:00 end on Tuesday at 17:00 (clock.add_working_hours);
- without_undue_delay: no fixed deadline; no number is ever invented for it.
"""

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar


class Direction(StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"


class Trigger(StrEnum):
    AWARENESS = "awareness"
    CONFIRMATION = "confirmation"
    SUSPICION = "suspicion"


class Unit(StrEnum):
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    BUSINESS_DAYS = "business_days"
    BUSINESS_HOURS = "business_hours"
    WITHOUT_UNDUE_DELAY = "without_undue_delay"


class Scope(StrEnum):
    SECURITY_INCIDENT = "security_incident"
    PERSONAL_DATA_BREACH = "personal_data_breach"


SLUG = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,48}[a-z0-9])?")
GOVERNING_LAW = re.compile(r"[A-Z]{2}(-[A-Z]{2})?")
MAX_AMOUNT = 9999
# Sized so that a contract obligation fits the obligation row (basis and recipient: 300).
LIMITS = {
    "party": 100,
    "title": 100,
    "reference": 40,
    "recipient_contact": 150,
    "channel": 100,
    "language": 35,
    "content": 4000,
}
OPTIONAL_TEXTS = ("content", "channel", "recipient_contact", "language")
UNIT_NAMES = {
    Unit.HOURS: ("hour", "hours"),
    Unit.CALENDAR_DAYS: ("calendar day", "calendar days"),
    Unit.BUSINESS_DAYS: ("business day", "business days"),
    Unit.BUSINESS_HOURS: ("business hour", "business hours"),
}
E = TypeVar("E", bound=StrEnum)


def _shown(value: object) -> str:
    """Render a value as JSON shows it ("x", 24, null): messages read the same everywhere."""
    return json.dumps(value, ensure_ascii=False, default=repr)


def check_choice(enum: type[E], value: object) -> E:
    """Return the enumeration member named by a value, or raise ValueError listing the choices."""
    allowed = [member.value for member in enum]
    if value not in allowed:
        raise ValueError(f"{_shown(value)} is not one of {', '.join(allowed)}")
    return enum(value)


def check_slug(value: object) -> str:
    """Return an id made of lower-case letters, digits, "-" and "_" (at most 50 characters)."""
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        rule = "lower-case letters, digits, - and _, at most 50 characters"
        raise ValueError(f"{_shown(value)} is not an id of {rule}")
    return value


def check_text(value: object, name: str, required: bool = True) -> str | None:
    """Return a text field within its length limit; an optional one may be None."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected non-empty text, got {_shown(value)}")
    if len(value) > LIMITS[name]:
        raise ValueError(f"must be at most {LIMITS[name]} characters long")
    return value


def check_governing_law(value: object) -> str:
    """Return an upper-case ISO 3166-1 alpha-2 country or US-XX code; its calendar counts days."""
    if not isinstance(value, str) or not GOVERNING_LAW.fullmatch(value):
        raise ValueError(f"{_shown(value)} is not an ISO 3166-1 alpha-2 or US-XX code")
    return value


def check_amount(unit: Unit, amount: object) -> int | None:
    """Return a period's amount: a whole number from 1 to 9999, or None without undue delay."""
    if unit is Unit.WITHOUT_UNDUE_DELAY:
        if amount is not None:
            raise ValueError("must be null: without_undue_delay has no fixed period")
        return None
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise ValueError(f"expected a whole number from 1 to {MAX_AMOUNT}, got {_shown(amount)}")
    return amount


def _checked(owner: object, name: str, check: Any, *args: object) -> None:
    """Set a field to its checked value, naming the field in the error."""
    try:
        object.__setattr__(owner, name, check(*args))
    except ValueError as error:
        raise ValueError(f"{name}: {error}") from None


@dataclass(frozen=True)
class ClausePeriod:
    """How long a clause gives: a unit and how many of it (none without undue delay)."""

    kind: Unit
    amount: int | None = None

    def __post_init__(self) -> None:
        _checked(self, "kind", check_choice, Unit, self.kind)
        _checked(self, "amount", check_amount, self.kind, self.amount)

    def describe(self) -> str:
        """Say the period in words: "24 hours", "1 business day", "without undue delay"."""
        if self.kind is Unit.WITHOUT_UNDUE_DELAY:
            return "without undue delay"
        one, many = UNIT_NAMES[self.kind]
        return f"{self.amount} {one if self.amount == 1 else many}"


def describe_clock(trigger: Trigger, period: ClausePeriod) -> str:
    """Say a clock in words: "24 hours from awareness", "without undue delay after suspicion"."""
    if period.kind is Unit.WITHOUT_UNDUE_DELAY:
        return f"without undue delay after {trigger.value}"
    return f"{period.describe()} from {trigger.value}"


@dataclass(frozen=True)
class Clause:
    """One notification clause: direction, what starts the clock, the period and the details."""

    id: str
    reference: str
    trigger: Trigger
    period: ClausePeriod
    direction: Direction = Direction.OUTBOUND
    applies_to: Scope = Scope.SECURITY_INCIDENT
    content: str | None = None
    channel: str | None = None
    recipient_contact: str | None = None
    language: str | None = None

    def __post_init__(self) -> None:
        _checked(self, "id", check_slug, self.id)
        _checked(self, "reference", check_text, self.reference, "reference")
        _checked(self, "trigger", check_choice, Trigger, self.trigger)
        _checked(self, "direction", check_choice, Direction, self.direction)
        _checked(self, "applies_to", check_choice, Scope, self.applies_to)
        if not isinstance(self.period, ClausePeriod):
            raise TypeError("period must be a ClausePeriod")
        for name in OPTIONAL_TEXTS:
            _checked(self, name, check_text, getattr(self, name), name, False)

    def describe(self) -> str:
        """Say the clause's clock in words: "24 hours from awareness"."""
        return describe_clock(self.trigger, self.period)


@dataclass(frozen=True)
class Contract:
    """A contract with a counterparty, the law that governs it, and its notification clauses."""

    id: str
    party: str
    title: str
    governing_law: str
    clauses: tuple[Clause, ...] = ()

    def __post_init__(self) -> None:
        _checked(self, "id", check_slug, self.id)
        _checked(self, "party", check_text, self.party, "party")
        _checked(self, "title", check_text, self.title, "title")
        _checked(self, "governing_law", check_governing_law, self.governing_law)
        object.__setattr__(self, "clauses", tuple(self.clauses))
        if not all(isinstance(clause, Clause) for clause in self.clauses):
            raise TypeError("clauses must be Clause values")

    def citation(self, clause: Clause) -> str:
        """Cite a clause: "Master Services Agreement 2025 (Acme AI), Clause 9.2: 24 hours ..."."""
        return f"{self.title} ({self.party}), {clause.reference}: {clause.describe()}"

    def recipient(self, clause: Clause) -> str:
        """Name who a clause's notice goes to: the counterparty, with the contact if given."""
        contact = clause.recipient_contact
        return f"{self.party} ({contact})" if contact else self.party


def unique_contracts(contracts: Iterable[Contract]) -> tuple[Contract, ...]:
    """Return the contracts as a tuple; refuse a repeated contract id or clause id."""
    contracts = tuple(contracts)
    if not all(isinstance(contract, Contract) for contract in contracts):
        raise TypeError("contracts must be Contract values")
    for kind, ids in (
        ("contract", [contract.id for contract in contracts]),
        ("clause", [clause.id for contract in contracts for clause in contract.clauses]),
    ):
        repeated = sorted({item for item in ids if ids.count(item) > 1})
        if repeated:
            raise ValueError(f"{kind} id {repeated[0]!r} is used more than once")
    return contracts


@dataclass(frozen=True)
class Preset:
    """A common clause clock that a form can offer: what starts it and how long it runs."""

    trigger: Trigger
    period: ClausePeriod

    @property
    def label(self) -> str:
        """Say the preset in words, as its clause would be described."""
        return describe_clock(self.trigger, self.period)

    def clause(self, id: str, reference: str, **details: Any) -> Clause:
        """Build an outbound clause with this clock (details: any other Clause field)."""
        return Clause(id, reference, self.trigger, self.period, **details)


PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        "24_hours": Preset(Trigger.AWARENESS, ClausePeriod(Unit.HOURS, 24)),
        "48_business_hours": Preset(Trigger.AWARENESS, ClausePeriod(Unit.BUSINESS_HOURS, 48)),
        "72_hours": Preset(Trigger.AWARENESS, ClausePeriod(Unit.HOURS, 72)),
        "5_business_days": Preset(Trigger.AWARENESS, ClausePeriod(Unit.BUSINESS_DAYS, 5)),
        "without_undue_delay": Preset(Trigger.AWARENESS, ClausePeriod(Unit.WITHOUT_UNDUE_DELAY)),
    }
)


def preset_choices() -> list[tuple[str, str]]:
    """Return the presets as (key, label) pairs for a select field."""
    return [(key, preset.label) for key, preset in PRESETS.items()]
