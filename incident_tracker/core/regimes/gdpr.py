"""EU GDPR (Regulation (EU) 2016/679) Arts. 33-34: authority, data-subject, controller notices."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from ..facts import EEA, Facts, GdprRisk, GdprRole
from ..rules import NO_FIXED_DEADLINE, Duty, Rule, duty, hours

GDPR = "Regulation (EU) 2016/679"
APPLIES_FROM = date(2018, 5, 25)

SA_NOTIFICATION = Rule(
    id="gdpr.sa_notification",
    regime="gdpr",
    title="GDPR supervisory authority notification",
    recipient="Supervisory authority ({jurisdiction})",
    anchor="aware_at",
    period=hours(72),
    citation=f"{GDPR} Art. 33(1)",
    in_force_from=APPLIES_FROM,
)
DATA_SUBJECT_NOTICE = Rule(
    id="gdpr.data_subject_notice",
    regime="gdpr",
    title="GDPR communication to data subjects",
    recipient="Affected data subjects",
    anchor="aware_at",
    period=NO_FIXED_DEADLINE,
    citation=f"{GDPR} Art. 34(1)",
    in_force_from=APPLIES_FROM,
)
CONTROLLER_NOTICE = Rule(
    id="gdpr.controller_notice",
    regime="gdpr",
    title="GDPR processor notice to the controller",
    recipient="Controller",
    anchor="aware_at",
    period=NO_FIXED_DEADLINE,
    citation=f"{GDPR} Art. 33(2)",
    in_force_from=APPLIES_FROM,
)
RULES = (SA_NOTIFICATION, DATA_SUBJECT_NOTICE, CONTROLLER_NOTICE)
FAN_OUT = "EDPB Guidelines 9/2022 para. 73"


@dataclass(frozen=True)
class Authority:
    """Where an authority notice goes: jurisdiction, recipient, legal basis."""

    jurisdiction: str
    recipient: str | None = None
    basis: str | None = None


@dataclass(frozen=True)
class Notices:
    """The three notices of a GDPR-shaped regime, and the jurisdiction of the region-wide ones."""

    authority: Rule
    data_subjects: Rule
    controller: Rule
    region: str


NOTICES = Notices(SA_NOTIFICATION, DATA_SUBJECT_NOTICE, CONTROLLER_NOTICE, "EU")


def applies(facts: Facts) -> bool:
    """Tell whether a personal data breach touches the EU/EEA (establishment or people affected)."""
    touches = facts.organization.established_in_eea or bool(facts.affected_where(EEA))
    return facts.personal_data_breach and touches


def authorities(facts: Facts) -> tuple[Authority, ...]:
    """Return the authorities to notify: lead, own country, or each affected EEA country."""
    org = facts.organization
    if org.eu_main_establishment is not None:
        code = org.eu_main_establishment
        return (Authority(code, f"Lead supervisory authority ({code})"),)
    if org.country in EEA:
        return (Authority(org.country),)
    basis = f"{SA_NOTIFICATION.citation}; {FAN_OUT}"
    return tuple(Authority(code, basis=basis) for code in facts.affected_where(EEA))


def duties(facts: Facts) -> Iterator[Duty]:
    """Yield the GDPR notices owed for these facts."""
    if applies(facts):
        yield from breach_duties(facts, NOTICES, authorities(facts))


def breach_duties(
    facts: Facts, notices: Notices, authorities: Iterable[Authority]
) -> Iterator[Duty]:
    """Yield a GDPR-shaped regime's notices for the organization's role and the assessed risk.

    An unknown role is reported and read conservatively: the controller's notices apply and the
    processor's notice is listed too. An unknown risk is reported and read as "risk": the authority
    notice applies, the data-subject notice is not assumed.
    """
    role = facts.organization.gdpr_role
    unknown_role = ("organization.gdpr_role",) if role is None else ()
    if role is not GdprRole.PROCESSOR:
        yield from _controller_duties(facts, notices, authorities, unknown_role)
    if role is None or role is GdprRole.PROCESSOR:
        yield duty(notices.controller, facts, notices.region, needing=unknown_role)


def _controller_duties(
    facts: Facts, notices: Notices, authorities: Iterable[Authority], unknown: tuple[str, ...]
) -> Iterator[Duty]:
    risk = facts.gdpr_risk
    if risk is GdprRisk.UNLIKELY:
        return
    decisions = unknown + (("gdpr_risk",) if risk is None else ())
    for place in authorities:
        yield duty(
            notices.authority,
            facts,
            place.jurisdiction,
            recipient=place.recipient,
            basis=place.basis,
            needing=decisions,
        )
    if risk is GdprRisk.HIGH:
        yield duty(notices.data_subjects, facts, notices.region, needing=unknown)
