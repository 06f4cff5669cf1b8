"""DORA classification: is the ICT-related incident major (DORA Art. 18, RTS 2024/1772)?

The form gathers what core.dora_classification.classify reasons about; a blank is "not given"
and keeps a "not major" proposal inconclusive. The classification instant is the person's own:
once "major" is recorded it becomes the incident's dora_classified_major_at, and the DORA
clocks run from it (core/regimes/dora.py).
"""

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..core.dora_classification import ClientImpact, DoraClassification, DoraFacts, classify
from ..core.severity import Judgement
from ..facts.codes import EEA
from ..models import Incident, Organization, utcnow
from ..web.fields import InstantField, choices, ensure_unique
from ..web.forms import LONG_TEXT
from ..web.localtime import display
from . import methods
from .methods import AssessmentError, Criterion, Outcome

CHOICES = (("major", "major"), ("not_major", "not major"))
YES_NO = choices([("", "Not assessed"), ("yes", "Yes"), ("no", "No")])
# A person's judgements (core Judgement, each with its rationale), named as in the core.
JUDGEMENTS = (
    "critical_functions",
    "supervised_services",
    "malicious_access",
    "data_loss_possible",
    "relevant_clients_affected",
    "reputational_impact",
    "data_impact",
    "recurring",
)
COUNTS = (
    "clients_affected",
    "clients_total",
    "counterparts_affected",
    "counterparts_total",
    "transactions_affected",
)
AMOUNTS = (
    "transactions_daily_average",
    "value_affected_eur",
    "value_daily_average_eur",
    "costs_and_losses_eur",
)
CLIENT_FIGURES = (
    *COUNTS,
    "transactions_daily_average",
    "value_affected_eur",
    "value_daily_average_eur",
)
PERIODS = ("duration", "downtime")  # each typed as <name>_hours and <name>_minutes
PERIOD_FIELDS = tuple(f"{name}_{unit}" for name in PERIODS for unit in ("hours", "minutes"))
RATIONALES = tuple(f"{name}_rationale" for name in JUDGEMENTS)
FIELDS = frozenset(
    (*JUDGEMENTS, *RATIONALES, *COUNTS, *AMOUNTS, *PERIOD_FIELDS, "member_states", "classified_at")
)
CORE_NAMES = {"duration": "duration_hours", "downtime": "downtime_hours", "member": "member_states"}
FUTURE_SLACK = timedelta(minutes=5)  # the browser's clock may run a little ahead
MAX_COUNT, MAX_AMOUNT, MAX_HOURS = 10**12, Decimal(10) ** 15, 10**6


def _judgement(label: str) -> SelectField:
    return SelectField(label, choices=YES_NO)


class ReasonFor:
    """Require a rationale when its judgement was made (the core keeps it as the reason)."""

    def __init__(self, judgement: str) -> None:
        self.judgement = judgement

    def __call__(self, form, field) -> None:
        if form[self.judgement].data and not (field.data or "").strip():
            raise ValidationError("give the reason for this judgement")


def _rationale(judgement: str) -> TextAreaField:
    validators = [ReasonFor(judgement), Length(max=LONG_TEXT)]
    return TextAreaField("Why", validators=validators, render_kw={"rows": 2})


def _count(label: str) -> IntegerField:
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=MAX_COUNT)])


def _finite(_form, field) -> None:
    if field.data is not None and not field.data.is_finite():
        raise ValidationError("enter an amount, such as 125000.50")


def _amount(label: str) -> DecimalField:
    validators = [Optional(), _finite, NumberRange(min=0, max=MAX_AMOUNT)]
    return DecimalField(label, validators=validators, places=None)


def _hours(label: str) -> IntegerField:
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=MAX_HOURS)])


def _minutes() -> IntegerField:
    return IntegerField("minutes", validators=[Optional(), NumberRange(min=0, max=59)])


class MemberStatesField(StringField):
    """EU/EEA country codes separated by commas or spaces; data is a sorted tuple or None."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return ", ".join(self.data or ())

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").replace(",", " ").replace(";", " ")
        found = [code.upper() for code in text.split()]
        self.data = tuple(sorted(found)) if found else None
        unknown = [code for code in found if code not in EEA]
        if unknown:
            raise ValueError(f"{', '.join(unknown)}: not an EU/EEA country code (such as DE)")
        try:
            ensure_unique(found, "Member State")
        except ValidationError as error:
            raise ValueError(str(error)) from error

    def process_data(self, value):
        self.data = tuple(value) if value is not None else None


class DoraForm(FlaskForm):
    """The inputs of RTS 2024/1772 Arts 6, 8 and 9, and the classification instant."""

    critical_functions = _judgement(
        "ICT services supporting critical or important functions affected (Art. 6(a))"
    )
    critical_functions_rationale = _rationale("critical_functions")
    supervised_services = _judgement(
        "Financial services that are authorised, registered or supervised affected (Art. 6(b))"
    )
    supervised_services_rationale = _rationale("supervised_services")
    malicious_access = _judgement(
        "Successful, malicious and unauthorised access to network and information systems "
        "(Art. 6(c))"
    )
    malicious_access_rationale = _rationale("malicious_access")
    data_loss_possible = _judgement("That access may result in data losses (Art. 9(5)(b))")
    data_loss_possible_rationale = _rationale("data_loss_possible")
    clients_affected = _count("Clients affected")
    clients_total = _count("Clients using the affected service")
    counterparts_affected = _count("Financial counterparts affected")
    counterparts_total = _count("Financial counterparts in total")
    transactions_affected = _count("Transactions affected")
    transactions_daily_average = _amount("Daily average number of transactions")
    value_affected_eur = _amount("Value of the transactions affected (EUR)")
    value_daily_average_eur = _amount("Daily average value of transactions (EUR)")
    relevant_clients_affected = _judgement(
        "Relevant clients or financial counterparts affected (Arts 9(1)(f), 1(3))"
    )
    relevant_clients_affected_rationale = _rationale("relevant_clients_affected")
    reputational_impact = _judgement("Reputational impact (Arts 9(2), 2)")
    reputational_impact_rationale = _rationale("reputational_impact")
    duration_hours = _hours("Duration (Art. 9(3)(a)): hours")
    duration_minutes = _minutes()
    downtime_hours = _hours(
        "Downtime of services supporting critical or important functions (Art. 9(3)(b)): hours"
    )
    downtime_minutes = _minutes()
    member_states = MemberStatesField(
        "Member States with a significant impact, your own included (Arts 9(4), 4)",
        render_kw={"placeholder": "DE, FR"},
    )
    data_impact = _judgement("Data losses with an adverse impact (Arts 9(5)(a), 5)")
    data_impact_rationale = _rationale("data_impact")
    costs_and_losses_eur = _amount("Direct and indirect costs and losses (EUR, Arts 9(6), 7)")
    recurring = _judgement(
        "Recurring: twice in 6 months, same root cause, together major (Art. 8(2))"
    )
    recurring_rationale = _rationale("recurring")
    classified_at = InstantField(
        "Classified at (the DORA clocks run from here once recorded as major)",
        validators=[InputRequired(message="enter when the incident was classified")],
        default=utcnow,
    )

    def validate_clients_affected(self, field):
        _not_above(field, self.clients_total, "clients who use the service")

    def validate_counterparts_affected(self, field):
        _not_above(field, self.counterparts_total, "counterparts in total")

    def validate_classified_at(self, field):
        if field.data and field.data > utcnow() + FUTURE_SLACK:
            raise ValidationError("the classification time is in the future")


def _not_above(field, total, what: str) -> None:
    if field.data is not None and total.data is not None and field.data > total.data:
        raise ValidationError(f"more than the {total.data:,} {what}")


class DoraMethod:
    """The DORA major-incident classification as an methods.Method."""

    kind = "dora"
    title = "DORA classification"
    template = "assessments/dora.html"
    form_class = DoraForm

    def prefill(self, inputs: dict, incident: Incident) -> dict:
        """Last version's inputs, or the incident's; the current DORA anchor, or now."""
        data = form_data(inputs) if inputs else {"malicious_access": _choice(incident.malicious)}
        data["classified_at"] = incident.dora_classified_major_at or utcnow()
        return data

    def inputs(self, form: FlaskForm) -> dict:
        """The form's values as JSON: yes/no as booleans, amounts as text, instants ISO 8601."""
        values: dict = {name: _boolean(form[name].data) for name in JUDGEMENTS}
        for name in JUDGEMENTS:
            values[f"{name}_rationale"] = (form[f"{name}_rationale"].data or "").strip()
        for name in (*COUNTS, *PERIOD_FIELDS):
            values[name] = form[name].data
        for name in AMOUNTS:
            values[name] = None if form[name].data is None else format(form[name].data, "f")
        states = form.member_states.data
        values["member_states"] = None if states is None else list(states)
        values["classified_at"] = form.classified_at.data.isoformat()
        return values

    def assess(self, inputs: dict, incident: Incident, organization: Organization) -> Outcome:
        """Classify with the core at the classification instant the person gave."""
        classified_at = _instant(inputs.get("classified_at"))
        try:
            facts = dora_facts(inputs)
        except AssessmentError:
            raise
        except (TypeError, ValueError) as error:
            raise _named(error) from error
        result = classify(facts, assessed_at=classified_at)
        return outcome(result, ZoneInfo(organization.timezone))

    def scalars(self, decision: str, outcome: Outcome, classified_at: datetime | None) -> dict:
        """A major incident's clocks start at the classification; "not major" stops them."""
        return {"dora_classified_major_at": classified_at if decision == "major" else None}


def form_data(inputs: dict) -> dict:
    """The form's data from stored inputs (the inverse of DoraMethod.inputs)."""
    data = {name: inputs.get(name) for name in (*COUNTS, *PERIOD_FIELDS)}
    for name in JUDGEMENTS:
        data[name] = _choice(inputs.get(name))
        data[f"{name}_rationale"] = inputs.get(f"{name}_rationale") or ""
    for name in AMOUNTS:
        data[name] = None if inputs.get(name) is None else Decimal(str(inputs[name]))
    data["member_states"] = inputs.get("member_states")
    if inputs.get("classified_at"):
        data["classified_at"] = datetime.fromisoformat(inputs["classified_at"])
    return data


def _choice(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


def _boolean(choice: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(choice or "")


def dora_facts(inputs: dict) -> DoraFacts:
    """The core's facts from stored inputs; a missing value stays None (not known)."""
    judged = {name: _judged(inputs, name) for name in JUDGEMENTS}
    clients = ClientImpact(
        **{name: _figure(inputs, name) for name in CLIENT_FIGURES},
        relevant_clients_affected=judged.pop("relevant_clients_affected"),
    )
    return DoraFacts(
        **judged,
        clients=clients,
        duration=_period(inputs, "duration"),
        downtime=_period(inputs, "downtime"),
        member_states=_states(inputs.get("member_states")),
        costs_and_losses_eur=_figure(inputs, "costs_and_losses_eur"),
    )


def _judged(inputs: dict, name: str) -> Judgement | None:
    if inputs.get(name) is None:
        return None
    try:
        return Judgement(inputs[name], inputs.get(f"{name}_rationale") or "")
    except TypeError as error:
        raise AssessmentError(name, str(error)) from error
    except ValueError as error:
        raise AssessmentError(f"{name}_rationale", "give the reason for this judgement") from error


def _figure(inputs: dict, name: str) -> int | Decimal | None:
    value = inputs.get(name)
    if value is None or (name in COUNTS and isinstance(value, int)):
        return value
    if name in COUNTS:
        raise AssessmentError(name, f"{name} must be a whole number, not {value!r}")
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise AssessmentError(name, f"{name} must be an amount, not {value!r}") from error


def _period(inputs: dict, name: str) -> timedelta | None:
    hours, minutes = inputs.get(f"{name}_hours"), inputs.get(f"{name}_minutes")
    if hours is None and minutes is None:
        return None
    return timedelta(hours=hours or 0, minutes=minutes or 0)


def _states(codes: object) -> frozenset[str] | None:
    if codes is None:
        return None
    if not isinstance(codes, list | tuple):
        raise AssessmentError("member_states", f"member states must be a list, not {codes!r}")
    return frozenset(codes)


def _instant(text: object) -> datetime:
    if not text or not isinstance(text, str):
        raise AssessmentError("classified_at", "enter when the incident was classified")
    try:
        value = datetime.fromisoformat(text)
    except ValueError as error:
        raise AssessmentError("classified_at", f"{text!r} is not an ISO 8601 instant") from error
    if value.utcoffset() is None:
        raise AssessmentError("classified_at", f"{text!r} has no UTC offset: give the timezone")
    return value


def _named(error: Exception) -> AssessmentError:
    """Name the form field a core error is about (its message starts with the core's name)."""
    message = str(error)
    first = message.split(" ", 1)[0]
    name = CORE_NAMES.get(first, first)
    return AssessmentError(name if name in FIELDS else "", message)


def outcome(result: DoraClassification, tz: ZoneInfo) -> Outcome:
    """The core's classification as the assessments page and the letters show it."""
    criteria = tuple(
        Criterion(reason.criterion, reason.citation, reason.met, reason.detail)
        for reason in result.reasons
    )
    proposal = "major" if result.major else "not_major"
    details = {"conclusive": result.conclusive}
    return Outcome(proposal, CHOICES, criteria, summary(result, tz), details)


def summary(result: DoraClassification, tz: ZoneInfo) -> str:
    """One paragraph: the method, the proposal, the criteria met and what is still missing."""
    level = "major" if result.major else "not major"
    when = display(result.assessed_at, tz)
    text = f"DORA classification under {result.method}, as classified {when}: "
    text += f"the method proposes {level}."
    met = [reason.criterion for reason in result.criteria_met]
    text += f" Criteria met: {'; '.join(met)}." if met else " No criterion is met."
    if not result.conclusive:
        missing = "; ".join(reason.criterion for reason in result.not_evaluated)
        text += f" Not conclusive: {missing} not evaluated (inputs missing)."
    return text


METHOD = methods.register(DoraMethod())
