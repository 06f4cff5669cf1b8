"""The legal determinations: whether and how gravely the law is engaged by an incident (a personal
data or PHI breach, the GDPR risk, NIS2 significance, DORA's major classification, SEC materiality).

They are the DPO's, or an admin's, to decide. Anyone who may edit an incident may raise one, which
only adds duties (raising the alarm needs no permission); lowering one, clearing it or moving its
date later would end or delay a duty, so from anyone else such a change is not applied: the web
form keeps it as a proposal on the incident's timeline, for the DPO to decide; the API refuses it
(403), so nothing is half-saved. The reasons typed for a risk or a significance go with the
decision, and are a proposal too when they come from someone else.

An incident is recorded against "nothing decided yet": no personal data or PHI breach, the risk
and significance not assessed (their clocks run, as the engine treats an open question), no
classification and no materiality.
"""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..models import Incident, User
from ..web.roles import DECIDERS
from . import timeline

FLAGS = ("personal_data_breach", "phi_breach")
INSTANTS = ("dora_classified_major_at", "sec_materiality_determined_at")
REASONS = ("gdpr_risk_rationale", "nis2_significance_rationale")
DETERMINATIONS = (*FLAGS, "gdpr_risk", "nis2_significant", *INSTANTS, *REASONS)
# The duties a GDPR risk level starts: "unlikely" none; not assessed and "risk" the authority's
# notice (Art. 33); "high" the people's notice too (Art. 34).
RISK_DUTIES = {"unlikely": 0, None: 1, "risk": 1, "high": 2}
UNDECIDED = {name: None for name in DETERMINATIONS} | {name: False for name in FLAGS}


@dataclass(frozen=True)
class Proposal:
    """A determination someone who does not decide it wanted changed."""

    name: str
    value: object
    current: object


def may_decide(user: User | None) -> bool:
    return user is not None and user.role in DECIDERS


def withheld(incident: Incident | None, scalars: dict, actor: User) -> list[Proposal]:
    """The changes among `scalars` that only a DPO or an admin may make, when `actor` is neither
    (none for them); `incident` None for one being recorded."""
    if may_decide(actor):
        return []
    found = []
    for name, value in scalars.items():
        if name not in DETERMINATIONS:
            continue
        current = getattr(incident, name) if incident is not None else UNDECIDED[name]
        if value != current and _lessens(name, current, value):
            found.append(Proposal(name, value, current))
    return found


def _lessens(name: str, current, value) -> bool:
    """Would the change end or delay a duty (or change the reasons given for a decision)?"""
    if name in FLAGS:
        return bool(current) and not value
    if name == "gdpr_risk":
        return RISK_DUTIES.get(value, 1) < RISK_DUTIES.get(current, 1)
    if name == "nis2_significant":  # not assessed counts as significant
        return value is False
    if name in INSTANTS:  # a classification made: clearing or moving it later delays the clocks
        return current is not None and (value is None or value > current)
    return True  # the reasons for a decision


def sentence(proposals: list[Proposal], actor: User, tz: ZoneInfo) -> str:
    """The timeline's words for a proposal."""
    listed = "; ".join(
        f"{timeline.phrase(p.name)} {timeline.show_value(p.value, tz)} "
        f"(now {timeline.show_value(p.current, tz)})"
        for p in proposals
    )
    return f"{actor.email} proposes: {listed}. Not applied: a DPO or an admin decides."


def refusal(proposals: list[Proposal]) -> str:
    """Why the API refuses a change (nothing of it is saved)."""
    names = ", ".join(p.name for p in proposals)
    return (
        f"only a DPO or an admin may lower, clear or postpone {names}: a legal determination; "
        "raise it, or propose the change in the incident's form"
    )
