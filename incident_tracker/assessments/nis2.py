"""NIS2 significance as an assessment: the form's inputs become core Nis2Facts, the core weighs
Art. 23(3) and, for the digital providers of IR 2024/2690, its Arts 3-14, and the decision sets
the incident's NIS2 significance (and so whether the NIS2 clocks run).

A proposal that is not conclusive (a criterion that could make the incident significant was not
evaluated for lack of input) is "significant": the clocks do not wait for missing inputs, as
regeneration treats an unassessed incident as significant. Deciding otherwise needs a reason.
"""

import re
from dataclasses import asdict
from datetime import datetime, timedelta
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import FormField, SelectField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

from ..core.nis2_significance import (
    IR,
    NIS2,
    DnsMisconfiguration,
    Nis2Facts,
    Nis2Sector,
    Nis2Significance,
    Recurrence,
    ServiceImpact,
    assess_significance,
)
from ..core.severity import Judgement, Reason
from ..models import Incident, Organization
from ..web import profile
from ..web.fields import choices
from . import methods
from .fields import AmountField, CountField, DurationForm
from .methods import AssessmentError, Criterion, Outcome

RATIONALE_LENGTH = 4000
SECTORS = {
    Nis2Sector.DNS: "DNS service provider (IR Art. 5)",
    Nis2Sector.TLD: "Top-level domain name registry (IR Art. 6)",
    Nis2Sector.CLOUD: "Cloud computing service provider (IR Art. 7)",
    Nis2Sector.DATA_CENTRE: "Data centre service provider (IR Art. 8)",
    Nis2Sector.CDN: "Content delivery network provider (IR Art. 9)",
    Nis2Sector.MSP: "Managed service provider (IR Art. 10)",
    Nis2Sector.MSSP: "Managed security service provider (IR Art. 10)",
    Nis2Sector.MARKETPLACE: "Online marketplace provider (IR Art. 11)",
    Nis2Sector.SEARCH_ENGINE: "Online search engine provider (IR Art. 12)",
    Nis2Sector.SOCIAL_NETWORK: "Social networking services platform provider (IR Art. 13)",
    Nis2Sector.TRUST_SERVICE: "Trust service provider (IR Art. 14)",
    Nis2Sector.OTHER: "Another essential or important entity (Art. 23(3) only)",
}
SECTOR_WORDS = (  # the first match wins, so the narrower names come first
    (Nis2Sector.TLD, r"\btld\b|top[- ]level domain|domain name registr"),
    (Nis2Sector.DNS, r"\bdns\b|domain name system"),
    (Nis2Sector.CDN, r"\bcdn\b|content delivery"),
    (Nis2Sector.DATA_CENTRE, r"data ?cent(re|er)"),
    (Nis2Sector.CLOUD, r"\bcloud\b"),
    (Nis2Sector.MSSP, r"\bmssp\b|managed security"),
    (Nis2Sector.MSP, r"\bmsp\b|managed service|ict service management"),
    (Nis2Sector.MARKETPLACE, r"marketplace"),
    (Nis2Sector.SEARCH_ENGINE, r"search engine"),
    (Nis2Sector.SOCIAL_NETWORK, r"social network"),
    (Nis2Sector.TRUST_SERVICE, r"trust service"),
)
ANSWERS = choices([("", "Not assessed"), ("yes", "Yes"), ("no", "No")])
CHOICES = (("significant", "significant"), ("not_significant", "not significant"))

FACT_JUDGEMENTS = (
    "operational_disruption_or_loss",
    "damage_to_others",
    "scheduled_maintenance",
    "trade_secrets_exfiltrated",
    "death",
    "health_damage",
    "malicious_access",
)
SERVICE_JUDGEMENTS = ("data_compromised", "compromised_by_malice", "physical_access_compromised")
JUDGEMENTS = FACT_JUDGEMENTS + SERVICE_JUDGEMENTS
AMOUNTS = ("direct_loss_eur", "annual_turnover_eur", "recurrence_collective_loss_eur")
COUNTS = ("eu_users", "unavailable_users", "limited_users", "compromised_users")
DURATIONS = ("unavailable_for", "unavailable_in_week", "slow_resolution_for", "limited_for")
NEEDED = {  # what a group of inputs (recurrence, DNS exception) lacks, said at its field
    "recurrence_occurrences": "give the number of incidents, or clear the recurrence",
    "recurrence_same_root_cause": "say whether the incidents share the apparent root cause",
    "recurrence_collective_loss_eur": "give their direct financial loss together (0 if none)",
    "recurrence_rationale": "name the incidents and why they are related",
    "misconfiguration_domains_incorrect": "give the number, or clear the exception",
    "misconfiguration_domains_managed": "give the number managed (at least the incorrect ones)",
    "misconfiguration_rationale": "say why a misconfiguration alone made the data incorrect",
}


def _answer(label: str) -> SelectField:
    return SelectField(label, choices=ANSWERS, default="")


def _why(label: str = "Why") -> TextAreaField:
    return TextAreaField(label, validators=[Length(max=RATIONALE_LENGTH)], render_kw={"rows": 2})


def _duration(label: str) -> FormField:
    return FormField(DurationForm, label)


class Nis2Form(FlaskForm):
    """The inputs of core Nis2Facts; a blank field is not given, a blank judgement not assessed."""

    sector = SelectField("Entity type", choices=choices(SECTORS.items()))
    operational_disruption_or_loss = _answer(
        "Severe operational disruption of the services or financial loss for the entity"
    )
    operational_disruption_or_loss_rationale = _why()
    damage_to_others = _answer(
        "Other natural or legal persons affected by considerable material or non-material damage"
    )
    damage_to_others_rationale = _why()
    direct_loss_eur = AmountField("Direct financial loss (EUR)")
    annual_turnover_eur = AmountField("Total annual turnover, preceding financial year (EUR)")
    trade_secrets_exfiltrated = _answer("Trade secrets exfiltrated (Directive (EU) 2016/943)")
    trade_secrets_exfiltrated_rationale = _why()
    death = _answer("Death of a natural person")
    death_rationale = _why()
    health_damage = _answer("Considerable damage to a natural person's health")
    health_damage_rationale = _why()
    malicious_access = _answer(
        "Successful, suspectedly malicious and unauthorised access to network and information "
        "systems, capable of causing severe operational disruption"
    )
    malicious_access_rationale = _why()
    recurrence_occurrences = CountField("Incidents in the last 6 months, this one included")
    recurrence_same_root_cause = _answer("Same apparent root cause")
    recurrence_collective_loss_eur = AmountField("Their direct financial loss together (EUR)")
    recurrence_rationale = _why("Which incidents, and why they are related")
    eu_users = CountField("Users of the service in the Union (total)")
    unavailable_for = _duration("Longest complete unavailability")
    unavailable_users = CountField("Users for whom it was completely unavailable")
    unavailable_in_week = _duration("Complete unavailability in one calendar week")
    slow_resolution_for = _duration("Average DNS response time above 10 s for")
    limited_for = _duration("Availability limited for")
    limited_users = CountField("Users affected by the limited availability")
    data_compromised = _answer("Integrity, confidentiality or authenticity of data compromised")
    data_compromised_rationale = _why()
    compromised_by_malice = _answer("Compromised as a result of a suspectedly malicious action")
    compromised_by_malice_rationale = _why()
    compromised_users = CountField("Users affected by the compromise")
    misconfiguration_domains_incorrect = CountField("Domain names with incorrect data")
    misconfiguration_domains_managed = CountField("Domain names managed")
    misconfiguration_rationale = _why("Why the data is incorrect only through misconfiguration")
    physical_access_compromised = _answer("Physical access compromised (restricted areas)")
    physical_access_compromised_rationale = _why()
    scheduled_maintenance = _answer(
        "Scheduled interruption or planned consequence of scheduled maintenance"
    )
    scheduled_maintenance_rationale = _why()


INPUTS = tuple(name for name, value in vars(Nis2Form).items() if isinstance(value, UnboundField))


def guess_sector(organization: Organization | None) -> Nis2Sector:
    """The entity type the profile's free-text NIS2 sector most likely names (else OTHER)."""
    text = ((organization.nis2_sector if organization else None) or "").lower()
    for sector, pattern in SECTOR_WORDS:
        if re.search(pattern, text):
            return sector
    if organization is not None and organization.trust_service_provider:
        return Nis2Sector.TRUST_SERVICE
    return Nis2Sector.OTHER


def form_inputs(form: FlaskForm) -> dict:
    """The JSON-able inputs of a validated form: amounts as text, durations in minutes."""
    return {name: _input(form[name]) for name in INPUTS}


def _input(field):
    if isinstance(field, FormField):
        return field.form.minutes_total()
    if isinstance(field, AmountField):
        return None if field.data is None else str(field.data)
    if isinstance(field, SelectField | TextAreaField):
        return (field.data or "").strip() or None
    return field.data


def form_data(inputs: dict) -> dict:
    """The form's data from stored inputs (the inverse of form_inputs)."""
    data = {name: value for name, value in inputs.items() if value is not None}
    for name in AMOUNTS:
        data[name] = Decimal(data[name]) if name in data else None
    for name in DURATIONS:
        hours, minutes = divmod(data[name], 60) if name in data else (None, None)
        data[name] = {"hours": hours, "minutes": minutes}
    return data


def first_data(incident: Incident, organization: Organization | None) -> dict:
    """The form's data before any assessment: the profile's sector, the incident's malice."""
    data = {"sector": str(guess_sector(organization))}
    if incident.malicious is not None:
        said = "malicious cause suspected" if incident.malicious else "cause not malicious"
        data["malicious_access"] = "yes" if incident.malicious else "no"
        data["malicious_access_rationale"] = f"As recorded on the incident: {said}."
    return data


def facts_from(inputs: dict) -> Nis2Facts:
    """The core's facts from the stored inputs; AssessmentError names the field at fault."""
    try:
        return Nis2Facts(
            sector=Nis2Sector(inputs.get("sector") or Nis2Sector.OTHER),
            direct_loss_eur=_amount(inputs, "direct_loss_eur"),
            annual_turnover_eur=_amount(inputs, "annual_turnover_eur"),
            recurrence=_recurrence(inputs),
            service=_service(inputs),
            **{name: _judgement(inputs, name) for name in FACT_JUDGEMENTS},
        )
    except AssessmentError:
        raise
    except (TypeError, ValueError) as error:
        raise AssessmentError(_field_of(str(error)), str(error)) from error


def _field_of(message: str) -> str:
    """The form field a core message names by its first word ("" when none: shown as a flash)."""
    name = message.split(" ", 1)[0]
    return name if name in INPUTS and name not in DURATIONS else ""


def _amount(inputs: dict, name: str) -> Decimal | None:
    return Decimal(inputs[name]) if inputs.get(name) is not None else None


def _judgement(inputs: dict, name: str) -> Judgement | None:
    answer = inputs.get(name)
    if answer not in ("yes", "no"):
        return None
    rationale = (inputs.get(f"{name}_rationale") or "").strip()
    if not rationale:
        raise AssessmentError(f"{name}_rationale", "give the reason for this judgement")
    return Judgement(answer == "yes", rationale)


def _service(inputs: dict) -> ServiceImpact:
    durations = {
        name: timedelta(minutes=inputs[name]) if inputs.get(name) is not None else None
        for name in DURATIONS
    }
    return ServiceImpact(
        **{name: inputs.get(name) for name in COUNTS},
        **durations,
        **{name: _judgement(inputs, name) for name in SERVICE_JUDGEMENTS},
        misconfiguration=_misconfiguration(inputs),
    )


def _recurrence(inputs: dict) -> Recurrence | None:
    """IR Art. 4's facts, or None when the recurrence is left blank."""
    count, rationale = inputs.get("recurrence_occurrences"), inputs.get("recurrence_rationale")
    cause, loss = (
        inputs.get("recurrence_same_root_cause"),
        inputs.get("recurrence_collective_loss_eur"),
    )
    if count is None:
        _check("recurrence_occurrences", not (cause or loss or rationale))
        return None
    _check("recurrence_same_root_cause", cause in ("yes", "no"))
    _check("recurrence_collective_loss_eur", loss is not None)
    _check("recurrence_rationale", bool(rationale))
    return Recurrence(count, cause == "yes", Decimal(loss), rationale)


def _misconfiguration(inputs: dict) -> DnsMisconfiguration | None:
    """The IR Art. 5(c) exception's facts, or None when it is not claimed."""
    wrong = inputs.get("misconfiguration_domains_incorrect")
    managed = inputs.get("misconfiguration_domains_managed")
    why = inputs.get("misconfiguration_rationale")
    if wrong is None and managed is None and not why:
        return None
    _check("misconfiguration_domains_incorrect", wrong is not None)
    _check("misconfiguration_domains_managed", managed is not None and managed >= wrong)
    _check("misconfiguration_rationale", bool(why))
    return DnsMisconfiguration(wrong, managed, why)


def _check(field: str, ok: bool) -> None:
    if not ok:
        raise AssessmentError(field, NEEDED[field])


def outcome_of(result: Nis2Significance, sector: Nis2Sector) -> Outcome:
    """The assessment's outcome: the proposal, every criterion weighed, the summary."""
    excluded = result.excluded_by
    reasons = result.reasons + ((excluded,) if excluded else ())
    proposal = "significant" if result.significant or not result.conclusive else "not_significant"
    return Outcome(
        proposal=proposal,
        choices=CHOICES,
        criteria=tuple(Criterion(r.criterion, r.citation, r.met, r.detail) for r in reasons),
        summary=summary(result, sector, dict(CHOICES)[proposal]),
        details={
            "conclusive": result.conclusive,
            "excluded_by": asdict(excluded) if excluded and excluded.met else None,
            "sector": str(sector),
            "method": result.method,
        },
    )


def summary(result: Nis2Significance, sector: Nis2Sector, proposal: str) -> str:
    """One paragraph for the record and the letters: method, proposal, decisive criteria."""
    text = f"NIS2 significance ({result.method}), entity type: {SECTORS[sector]}. "
    text += f"The method proposes: {proposal}. "
    met = result.criteria_met
    text += f"Criteria met: {_listed(met)}." if met else "No criterion is met."
    if result.excluded_by is not None and result.excluded_by.met:
        text += f" Excluded as {_listed((result.excluded_by,))}: not significant."
    elif not result.conclusive:
        text += (
            f" Not conclusive: not evaluated for lack of input: {_listed(result.not_evaluated)}; "
            "until they are, the proposal is significant."
        )
    return text


def _listed(reasons: tuple[Reason, ...]) -> str:
    return "; ".join(f"{reason.criterion} ({_short(reason.citation)})" for reason in reasons)


def _short(citation: str) -> str:
    return citation.replace(NIS2, "NIS2").replace(IR, "IR 2024/2690")


class Nis2Method:
    """NIS2 significance: Art. 23(3) and IR 2024/2690 Arts 3-14."""

    kind = "nis2"
    title = "NIS2 significance"
    template = "assessments/nis2.html"
    form_class = Nis2Form

    def prefill(self, inputs: dict, incident: Incident) -> dict:
        return form_data(inputs) if inputs else first_data(incident, profile.current())

    def inputs(self, form: FlaskForm) -> dict:
        return form_inputs(form)

    def assess(self, inputs: dict, incident: Incident, organization: Organization) -> Outcome:
        facts = facts_from(inputs)
        return outcome_of(assess_significance(facts), facts.sector)

    def scalars(self, decision: str, outcome: Outcome, classified_at: datetime | None) -> dict:
        return {
            "nis2_significant": decision == "significant",
            "nis2_significance_rationale": outcome.summary,
        }


METHOD = methods.register(Nis2Method())
