"""NIS2 significant incident: Directive (EU) 2022/2555 Art. 23(3) and, for the digital providers
of Commission Implementing Regulation (EU) 2024/2690, its Art. 3 and 4 horizontal thresholds and
the entity-specific thresholds of Arts 5-14.

Every threshold is "more than" (strictly greater), as the texts say. "X % or N users, whichever
number is smaller" is exceeded when the count exceeds either figure, so an absolute count above N
is decisive even when the total number of users in the Union is unknown.

Readings chosen (the conservative one each time): the Art. 23(3) judgements are weighed for the
covered entities too, although IR Recital 30 calls its criteria exhaustive, because national law
may go further (NIS2 Art. 5); "capable of causing" counts as met (IR Recital 31); the Art. 3(2)
exclusion of planned maintenance applies only when a person judges that it does.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from .severity import (
    Judgement,
    Outcome,
    Reason,
    Weighed,
    all_of,
    any_of,
    check_measures,
    judged,
    require_text,
)

NIS2 = "Directive (EU) 2022/2555"
IR = "Commission Implementing Regulation (EU) 2024/2690"
LOSS_CAP, LOSS_SHARE = Decimal(500_000), Decimal("0.05")
HALF_HOUR, HOUR = timedelta(minutes=30), timedelta(hours=1)


class Nis2Sector(StrEnum):
    """The entity types of IR 2024/2690 Art. 1; OTHER is any other NIS2 entity."""

    DNS = "dns"
    TLD = "tld"
    CLOUD = "cloud"
    DATA_CENTRE = "data_centre"
    CDN = "cdn"
    MSP = "managed_service"
    MSSP = "managed_security_service"
    MARKETPLACE = "online_marketplace"
    SEARCH_ENGINE = "online_search_engine"
    SOCIAL_NETWORK = "social_network"
    TRUST_SERVICE = "trust_service"
    OTHER = "other"


@dataclass(frozen=True)
class Recurrence:
    """Earlier incidents with this one, for IR Art. 4 (each not significant on its own)."""

    occurrences_in_6_months: int  # this incident included
    same_root_cause: bool
    collective_loss_eur: Decimal
    rationale: str

    def __post_init__(self) -> None:
        check_measures(self)
        require_text("rationale", self.rationale)


@dataclass(frozen=True)
class DnsMisconfiguration:
    """The Art. 5(c) exception: only incorrect data caused by misconfiguration."""

    domains_incorrect: int
    domains_managed: int
    rationale: str

    def __post_init__(self) -> None:
        check_measures(self)
        require_text("rationale", self.rationale)


@dataclass(frozen=True)
class ServiceImpact:
    """Measured effects on the service (IR Arts 5-14); None means not measured.

    User counts follow IR Art. 3(3): contracted customers plus the persons associated with
    business customers, in the Union.
    """

    eu_users: int | None = None
    unavailable_for: timedelta | None = None  # longest complete unavailability
    unavailable_users: int | None = None  # users for whom the service was completely unavailable
    unavailable_in_week: timedelta | None = None  # trust services, per calendar week
    slow_resolution_for: timedelta | None = None  # DNS: average response above 10 s for
    limited_for: timedelta | None = None
    limited_users: int | None = None
    data_compromised: Judgement | None = None  # integrity, confidentiality or authenticity
    compromised_by_malice: Judgement | None = None  # ... as a result of a suspectedly malicious act
    compromised_users: int | None = None
    misconfiguration: DnsMisconfiguration | None = None  # None: the Art. 5(c) exception not claimed
    physical_access_compromised: Judgement | None = None

    def __post_init__(self) -> None:
        check_measures(self)


@dataclass(frozen=True)
class Nis2Facts:
    """What the assessor measured or judged; a judgement covers "caused or capable of causing"."""

    sector: Nis2Sector
    operational_disruption_or_loss: Judgement | None = None
    damage_to_others: Judgement | None = None
    scheduled_maintenance: Judgement | None = None
    direct_loss_eur: Decimal | None = None
    annual_turnover_eur: Decimal | None = None
    trade_secrets_exfiltrated: Judgement | None = None
    death: Judgement | None = None
    health_damage: Judgement | None = None
    malicious_access: Judgement | None = None
    recurrence: Recurrence | None = None
    service: ServiceImpact = field(default_factory=ServiceImpact)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sector", Nis2Sector(self.sector))
        check_measures(self)

    @property
    def covered(self) -> bool:
        """Tell whether IR 2024/2690 applies to this entity type (its Art. 1)."""
        return self.sector is not Nis2Sector.OTHER


@dataclass(frozen=True)
class Nis2Significance(Weighed):
    """The proposal: significant or not, with every criterion weighed."""

    significant: bool
    conclusive: bool  # False while a criterion not yet evaluable could make it significant
    reasons: tuple[Reason, ...]
    excluded_by: Reason | None
    method: str


Test = Callable[[Nis2Facts], Outcome]


@dataclass(frozen=True)
class Criterion:
    citation: str
    text: str
    test: Test


def assess_significance(facts: Nis2Facts) -> Nis2Significance:
    """Propose whether an incident is significant under NIS2, and say why."""
    criteria = CRITERIA_23_3 + (HORIZONTAL + SPECIFIC[facts.sector] if facts.covered else ())
    reasons = tuple(_weigh(criterion, facts) for criterion in criteria)
    outcome = any_of(reason.met for reason in reasons)
    excluded = _exclusion(facts)
    if excluded is not None and excluded.met:
        outcome = False
    method = f"{NIS2} Art. 23(3)" + (f"; {IR} Arts 3-14" if facts.covered else "")
    return Nis2Significance(outcome is True, outcome is not None, reasons, excluded, method)


def _weigh(criterion: Criterion, facts: Nis2Facts) -> Reason:
    met, detail = criterion.test(facts)
    return Reason(criterion.text, criterion.citation, met, detail)


def _exclusion(facts: Nis2Facts) -> Reason | None:
    if not facts.covered or facts.scheduled_maintenance is None:
        return None
    text = "Scheduled interruption or planned consequence of scheduled maintenance"
    met, detail = judged(facts.scheduled_maintenance)
    return Reason(text, f"{IR} Art. 3(2)", met, f"{detail}; such incidents are not significant")


def exceeds_smaller(count: int | Decimal | None, cap: int, share: Decimal, base: object) -> Outcome:
    """Tell whether count is more than the smaller of cap and share x base."""
    if count is None:
        return None, "not measured"
    if count > cap:
        return True, f"{count:,} > {cap:,}"
    if not count:
        return False, "none"
    if not isinstance(base, int | Decimal):
        return None, f"{count:,} is not above {cap:,}; the total to take {share:%} of is missing"
    limit = share * base
    return count > limit, f"{count:,} {'>' if count > limit else '<='} {share:%} of {base:,}"


def longer(value: timedelta | None, limit: timedelta) -> Outcome:
    """Tell whether a measured duration is more than a limit (any duration when the limit is 0)."""
    if value is None:
        return None, "not measured"
    return value > limit, f"{value} {'>' if value > limit else '<='} {limit}"


def _said(name: str) -> Test:
    """Test a judgement: a field of the facts, or of their service impact."""

    def test(facts: Nis2Facts) -> Outcome:
        source = facts if hasattr(facts, name) else facts.service
        return judged(getattr(source, name))

    return test


def _longer(name: str, limit: timedelta) -> Test:
    return lambda facts: longer(getattr(facts.service, name), limit)


def _users(name: str, share: str, cap: int) -> Test:
    def test(facts: Nis2Facts) -> Outcome:
        count = getattr(facts.service, name)
        return exceeds_smaller(count, cap, Decimal(share), facts.service.eu_users)

    return test


def _direct_loss(facts: Nis2Facts) -> Outcome:
    loss, turnover = facts.direct_loss_eur, facts.annual_turnover_eur
    met, detail = exceeds_smaller(loss, LOSS_CAP, LOSS_SHARE, turnover)
    return met, f"direct financial loss EUR: {detail}"


def _recurring(facts: Nis2Facts) -> Outcome:
    rec, turnover = facts.recurrence, facts.annual_turnover_eur
    if rec is None:
        return None, "not assessed"
    loss, _ = exceeds_smaller(rec.collective_loss_eur, LOSS_CAP, LOSS_SHARE, turnover)
    met = all_of((rec.occurrences_in_6_months >= 2, rec.same_root_cause, loss))
    detail = (
        f"{rec.occurrences_in_6_months} in 6 months, same root cause: {rec.same_root_cause}, "
        f"collective loss EUR {rec.collective_loss_eur:,}; {rec.rationale}"
    )
    return met, detail


def _limited_for_an_hour(facts: Nis2Facts) -> Outcome:
    users, users_detail = MANY_LIMITED(facts)
    hours, hours_detail = longer(facts.service.limited_for, HOUR)
    return all_of((users, hours)), f"users: {users_detail}; duration: {hours_detail}"


def _dns_data(facts: Nis2Facts) -> Outcome:
    met, detail = judged(facts.service.data_compromised)
    wrong = facts.service.misconfiguration
    if not met or wrong is None:
        return met, detail
    few = wrong.domains_incorrect < 1000
    exempt = few and wrong.domains_incorrect * 100 <= wrong.domains_managed
    counts = f"{wrong.domains_incorrect:,} of {wrong.domains_managed:,} domain names incorrect"
    outcome = "excepted" if exempt else "not within the exception"
    return not exempt, f"{detail}; misconfiguration, {counts}: {outcome} ({wrong.rationale})"


Row = tuple[str, str, Test]


def _rows(citation: str, *rows: Row) -> tuple[Criterion, ...]:
    return tuple(Criterion(f"{citation}({point})", text, test) for point, text, test in rows)


MILLION = 1_000_000
DOWN_ANY = _longer("unavailable_for", timedelta(0))
DOWN_20 = _longer("unavailable_for", timedelta(minutes=20))
DOWN_30 = _longer("unavailable_for", HALF_HOUR)
SLOW = _longer("slow_resolution_for", HOUR)
LIMITED_HOUR = _longer("limited_for", HOUR)
WEEK_HOUR = _longer("unavailable_in_week", HOUR)
MANY_DOWN = _users("unavailable_users", "0.05", MILLION)
MANY_LIMITED = _users("limited_users", "0.05", MILLION)
MANY_COMPROMISED = _users("compromised_users", "0.05", MILLION)
MALICE = _said("compromised_by_malice")
PHYSICAL = _said("physical_access_compromised")
MANY = "> 5 % or > 1 million EU users (the smaller)"

CRITERIA_23_3 = _rows(
    f"{NIS2} Art. 23(3)",
    (
        "a",
        "Severe operational disruption or financial loss",
        _said("operational_disruption_or_loss"),
    ),
    ("b", "Considerable damage to other natural or legal persons", _said("damage_to_others")),
)
HORIZONTAL = _rows(
    f"{IR} Art. 3(1)",
    ("a", "Direct financial loss > EUR 500 000 or 5 % of turnover (the lower)", _direct_loss),
    ("b", "Exfiltration of trade secrets", _said("trade_secrets_exfiltrated")),
    ("c", "Death of a natural person", _said("death")),
    ("d", "Considerable damage to a natural person's health", _said("health_damage")),
    ("e", "Successful, suspectedly malicious, unauthorised access", _said("malicious_access")),
    ("f", "Recurring incidents meeting Art. 4", _recurring),
)


def _provider(article: int, thing: str) -> tuple[Criterion, ...]:
    """Arts 7, 9 and 10: 30 minutes down, limited for many users for an hour, data compromised."""
    return _rows(
        f"{IR} Art. {article}",
        ("a", f"{thing} completely unavailable > 30 min", DOWN_30),
        ("b", f"{thing} limited for {MANY} for > 1 h", _limited_for_an_hour),
        ("c", "Data compromised by a suspectedly malicious action", MALICE),
        ("d", f"Data compromised with an impact on {MANY}", MANY_COMPROMISED),
    )


def _platform(article: int, thing: str) -> tuple[Criterion, ...]:
    """Arts 11-13: unavailable or limited for many users, data compromised."""
    return _rows(
        f"{IR} Art. {article}",
        ("a", f"{thing} completely unavailable for {MANY}", MANY_DOWN),
        ("b", f"{thing} limited for {MANY}", MANY_LIMITED),
        ("c", "Data compromised by a suspectedly malicious action", MALICE),
        ("d", f"Data compromised with an impact on {MANY}", MANY_COMPROMISED),
    )


SPECIFIC: dict[Nis2Sector, tuple[Criterion, ...]] = {
    Nis2Sector.DNS: _rows(
        f"{IR} Art. 5",
        ("a", "DNS resolution completely unavailable > 30 min", DOWN_30),
        ("b", "Average DNS response time > 10 s for > 1 h", SLOW),
        ("c", "Authoritative resolution data compromised (save the exception)", _dns_data),
    ),
    Nis2Sector.TLD: _rows(
        f"{IR} Art. 6",
        ("a", "Authoritative DNS resolution completely unavailable", DOWN_ANY),
        ("b", "Average DNS response time > 10 s for > 1 h", SLOW),
        ("c", "Data of the technical operation of the TLD compromised", _said("data_compromised")),
    ),
    Nis2Sector.CLOUD: _provider(7, "Cloud computing service"),
    Nis2Sector.DATA_CENTRE: _rows(
        f"{IR} Art. 8",
        ("a", "Data centre service completely unavailable", DOWN_ANY),
        ("b", "Data centre service availability limited > 1 h", LIMITED_HOUR),
        ("c", "Data compromised by a suspectedly malicious action", MALICE),
        ("d", "Physical access to a data centre compromised", PHYSICAL),
    ),
    Nis2Sector.CDN: _provider(9, "Content delivery network"),
    Nis2Sector.MSP: _provider(10, "Managed service"),
    Nis2Sector.MSSP: _provider(10, "Managed security service"),
    Nis2Sector.MARKETPLACE: _platform(11, "Online marketplace"),
    Nis2Sector.SEARCH_ENGINE: _platform(12, "Online search engine"),
    Nis2Sector.SOCIAL_NETWORK: _platform(13, "Social networking service platform"),
    Nis2Sector.TRUST_SERVICE: _rows(
        f"{IR} Art. 14",
        ("a", "Trust service completely unavailable > 20 min", DOWN_20),
        ("b", "Trust service unavailable > 1 h in a calendar week", WEEK_HOUR),
        (
            "c",
            "Limited for > 1 % or > 200 000 EU users (the smaller)",
            _users("limited_users", "0.01", 200_000),
        ),
        ("d", "Physical access to restricted areas compromised", PHYSICAL),
        (
            "e",
            "Data compromised for > 0.1 % or > 100 EU users (the smaller)",
            _users("compromised_users", "0.001", 100),
        ),
    ),
    Nis2Sector.OTHER: (),
}
