"""DORA major ICT-related incident: Regulation (EU) 2022/2554 Art. 18 and the classification RTS,
Commission Delegated Regulation (EU) 2024/1772 Arts 6, 8 and 9.

Major (RTS Art. 8(1)) = critical services affected (Art. 6) AND either the Art. 9(5)(b) threshold
(successful, malicious, unauthorised access that may result in data losses) OR two or more of the
other thresholds of Art. 9(1)-(6). Recurring incidents (Art. 8(2)) are a judgement. Every threshold
is "higher than", "longer than" or "exceed": strictly greater. The instant of the assessment is
given by the shell; it anchors the DORA clock once the classification is confirmed.

Readings chosen (the conservative one each time): the "other" thresholds of Art. 8(1)(b) are
9(1), 9(2), 9(3), 9(4), 9(5)(a) and 9(6); a malicious access that may lose data meets 9(5)(b) even
where 9(5)(a) also applies ("not covered by point (a)" never defeats the proposal, Recital 10);
"two or more Member States" counts the entity's own; an unanswered Art. 8(2) question keeps a
"not major" proposal inconclusive.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from decimal import Decimal

from .severity import (
    Judgement,
    Outcome,
    Reason,
    Weighed,
    all_of,
    any_of,
    at_least,
    check_measures,
    judged,
)

DORA = "Regulation (EU) 2022/2554"
RTS = "Commission Delegated Regulation (EU) 2024/1772"
METHOD = f"{DORA} Art. 18; {RTS} Arts 6, 8 and 9"
MEMBER_STATE_SHAPE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclass(frozen=True)
class ClientImpact:
    """RTS Art. 9(1) figures (actual, or estimated from comparable periods); None: unknown."""

    clients_affected: int | None = None
    clients_total: int | None = None  # clients using the affected service
    counterparts_affected: int | None = None
    counterparts_total: int | None = None
    transactions_affected: int | None = None
    transactions_daily_average: Decimal | None = None
    value_affected_eur: Decimal | None = None
    value_daily_average_eur: Decimal | None = None
    relevant_clients_affected: Judgement | None = None  # relevant per RTS Art. 1(3)

    def __post_init__(self) -> None:
        check_measures(self)


@dataclass(frozen=True)
class DoraFacts:
    """What the classifier measured or judged; None means not yet known."""

    critical_functions: Judgement | None = None  # Art. 6(a)
    supervised_services: Judgement | None = None  # Art. 6(b)
    malicious_access: Judgement | None = None  # Art. 6(c)
    data_loss_possible: Judgement | None = None  # Art. 9(5)(b): that access may lose data
    clients: ClientImpact = field(default_factory=ClientImpact)
    reputational_impact: Judgement | None = None  # Art. 9(2) with Art. 2(1)(a)-(d)
    duration: timedelta | None = None  # Art. 9(3)(a), measured per Art. 3(1)
    downtime: timedelta | None = None  # Art. 9(3)(b): services supporting critical functions
    member_states: frozenset[str] | None = None  # Art. 9(4): with a significant impact (Art. 4)
    data_impact: Judgement | None = None  # Art. 9(5)(a)
    costs_and_losses_eur: Decimal | None = None  # Art. 9(6), per Art. 7
    recurring: Judgement | None = None  # Art. 8(2): recurring incidents together meet Art. 8(1)

    def __post_init__(self) -> None:
        check_measures(self)
        if self.member_states is not None:
            states = frozenset(self.member_states)
            for code in states:
                if len(code) != 2 or not set(code) <= MEMBER_STATE_SHAPE:
                    raise ValueError(f"member state {code!r} is not an upper-case ISO code")
            object.__setattr__(self, "member_states", states)


@dataclass(frozen=True)
class DoraClassification(Weighed):
    """The proposal: major or not, with every criterion and the instant it was assessed."""

    major: bool
    conclusive: bool  # False while a criterion not yet known could make it major
    assessed_at: datetime
    reasons: tuple[Reason, ...]
    method: str = METHOD

    @property
    def classified_major_at(self) -> datetime | None:
        """Return the DORA clock anchor proposed by this assessment, if it proposes major."""
        return self.assessed_at if self.major else None


def classify(facts: DoraFacts, assessed_at: datetime) -> DoraClassification:
    """Propose whether an ICT-related incident is major under DORA, and say why."""
    if not isinstance(assessed_at, datetime) or assessed_at.utcoffset() is None:
        raise ValueError("assessed_at must be an aware datetime")
    gate, alone, recurring = _gate(facts), _malicious_data_access(facts), _recurring(facts)
    others = tuple(_reason(text, cite, test(facts)) for text, cite, test in OTHER_THRESHOLDS)
    two = at_least(2, (reason.met for reason in others))
    route = any_of((alone.met, two))
    major = any_of((all_of((gate.met, route)), recurring.met))
    reasons = (gate, alone, *others, recurring)
    return DoraClassification(major is True, major is not None, assessed_at, reasons)


def _reason(text: str, citation: str, outcome: Outcome) -> Reason:
    return Reason(text, citation, outcome[0], outcome[1])


def _gate(facts: DoraFacts) -> Reason:
    limbs = (
        ("a", "ICT services supporting critical or important functions", facts.critical_functions),
        ("b", "financial services that are authorised or supervised", facts.supervised_services),
        ("c", "successful, malicious and unauthorised access", facts.malicious_access),
    )
    outcomes = [(point, text, *judged(judgement)) for point, text, judgement in limbs]
    met = any_of(value for _, _, value, _ in outcomes)
    points = [f"6({point})" for point, _, value, _ in outcomes if value] or ["6"]
    detail = "; ".join(f"({point}) {text}: {said}" for point, text, _, said in outcomes)
    cite = f"{RTS} Arts 8(1), {', '.join(points)}"
    return Reason("Critical services affected (necessary condition)", cite, met, detail)


def _malicious_data_access(facts: DoraFacts) -> Reason:
    access, access_said = judged(facts.malicious_access)
    loss, loss_said = judged(facts.data_loss_possible)
    met = all_of((access, loss))
    detail = f"access: {access_said}; may result in data losses: {loss_said}; sufficient alone"
    text = "Successful, malicious, unauthorised access that may result in data losses"
    return Reason(text, f"{RTS} Arts 8(1)(a), 9(5)(b)", met, detail)


def _recurring(facts: DoraFacts) -> Reason:
    met, detail = judged(facts.recurring)
    text = "Recurring incidents: twice in 6 months, same root cause, together major"
    return Reason(text, f"{RTS} Art. 8(2)", met, detail)


def share_over(part: int | Decimal | None, whole: object, share: str) -> bool | None:
    """Tell whether part is higher than share x whole; None when a figure is missing."""
    if part is None:
        return None
    if not part:
        return False
    if not isinstance(whole, int | Decimal):
        return None
    return part > Decimal(share) * whole


def over(value: int | Decimal | timedelta | None, limit: object) -> bool | None:
    """Tell whether a figure is strictly greater than its limit; None when it is missing."""
    return None if value is None else value > limit  # type: ignore[operator]


def _clients(facts: DoraFacts) -> Outcome:
    c = facts.clients
    relevant, relevant_said = judged(c.relevant_clients_affected)
    points = {
        "a": ("clients > 10 %", share_over(c.clients_affected, c.clients_total, "0.1")),
        "b": ("clients > 100 000", over(c.clients_affected, 100_000)),
        "c": (
            "financial counterparts > 30 %",
            share_over(c.counterparts_affected, c.counterparts_total, "0.3"),
        ),
        "d": (
            "transactions > 10 % of the daily average number",
            share_over(c.transactions_affected, c.transactions_daily_average, "0.1"),
        ),
        "e": (
            "transactions > 10 % of the daily average value",
            share_over(c.value_affected_eur, c.value_daily_average_eur, "0.1"),
        ),
        "f": (f"relevant clients or counterparts affected ({relevant_said})", relevant),
    }
    met = any_of(value for _, value in points.values())
    return met, f"{_figures(c)}; {_points_detail('9(1)', points)}"


def _figures(impact: ClientImpact) -> str:
    given = [
        f"{item.name} {value:,}"
        for item in fields(impact)
        if isinstance(value := getattr(impact, item.name), int | Decimal)
    ]
    return ", ".join(given) or "no figures given"


def _points_detail(article: str, points: dict[str, tuple[str, bool | None]]) -> str:
    words = {True: "met", False: "not met", None: "unknown"}
    said = (f"({p}) {text}: {words[value]}" for p, (text, value) in points.items())
    return f"Art. {article} " + "; ".join(said)


def _duration(facts: DoraFacts) -> Outcome:
    points = {
        "a": (f"duration > 24 h ({facts.duration})", over(facts.duration, timedelta(hours=24))),
        "b": (f"downtime > 2 h ({facts.downtime})", over(facts.downtime, timedelta(hours=2))),
    }
    return any_of(value for _, value in points.values()), _points_detail("9(3)", points)


def _spread(facts: DoraFacts) -> Outcome:
    states = facts.member_states
    if states is None:
        return None, "member states with a significant impact not stated"
    return len(states) >= 2, f"{len(states)} member state(s): {', '.join(sorted(states)) or 'none'}"


def _costs(facts: DoraFacts) -> Outcome:
    costs = facts.costs_and_losses_eur
    if costs is None:
        return None, "costs and losses not estimated"
    return costs > 100_000, f"EUR {costs:,} {'>' if costs > 100_000 else '<='} EUR 100,000"


OTHER_THRESHOLDS: tuple[tuple[str, str, Callable[[DoraFacts], Outcome]], ...] = (
    ("Clients, financial counterparts and transactions", f"{RTS} Art. 9(1)", _clients),
    ("Reputational impact", f"{RTS} Arts 9(2), 2(1)", lambda f: judged(f.reputational_impact)),
    ("Duration and service downtime", f"{RTS} Art. 9(3)", _duration),
    ("Geographical spread: two or more Member States", f"{RTS} Arts 9(4), 4", _spread),
    (
        "Data losses with an adverse impact",
        f"{RTS} Arts 9(5)(a), 5",
        lambda f: judged(f.data_impact),
    ),
    ("Economic impact above EUR 100 000", f"{RTS} Arts 9(6), 7", _costs),
)
