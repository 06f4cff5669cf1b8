"""ENISA (2013) breach severity: the form, and the method that scores it with core.severity.

The DPO records each factor of SE = DPC x EI + CB with a rationale; the method proposes the GDPR
risk level that the severity suggests (low: unlikely, medium: a risk, high or very high: a high
risk), and the decision sets the incident's GDPR risk, which drives the Art. 33 and 34 notices.
"""

from datetime import datetime
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.facts import GdprRisk
from ..core.severity import (
    METHOD,
    Availability,
    Confidentiality,
    ContextFactor,
    DataCategory,
    DataType,
    Identification,
    Integrity,
    SeverityAssessment,
    SeverityFacts,
    assess_severity,
)
from ..models import Incident, Organization
from ..web.fields import choices
from . import methods
from .methods import AssessmentError, Criterion, Outcome

RATIONALE_LENGTH = 4000
BLANK_ROWS = 2
MIN_ROWS = 3
PICK = ("", "Choose…")
ELEMENTS = ("identification", "confidentiality", "integrity", "availability", "malicious")
RISKS = (
    (GdprRisk.UNLIKELY.value, "unlikely to result in a risk"),
    (GdprRisk.RISK.value, "a risk"),
    (GdprRisk.HIGH.value, "a high risk"),
)
DATA_TYPES = {
    DataType.SIMPLE: "Simple (1): name, contact, biographical, education, professional",
    DataType.BEHAVIOURAL: "Behavioural (2): location, traffic, preferences, habits",
    DataType.FINANCIAL: "Financial (3): income, transactions, bank statements, cards",
    DataType.SENSITIVE: "Sensitive (4): health, political, religious, sexual life",
}
FACTORS = {
    ContextFactor.VOLUME: "Volume of data (raises)",
    ContextFactor.CONTROLLER: "Characteristics of the controller (raises)",
    ContextFactor.INDIVIDUALS: "Vulnerable individuals (raises)",
    ContextFactor.INVALIDITY: "Data invalid or inaccurate (lowers)",
    ContextFactor.PUBLIC_AVAILABILITY: "Publicly available before the breach (lowers)",
    ContextFactor.NATURE: "Nature of the data reveals less (lowers)",
}
IDENTIFICATION = {
    Identification.NEGLIGIBLE: "Negligible (0.25)",
    Identification.LIMITED: "Limited (0.5)",
    Identification.SIGNIFICANT: "Significant (0.75)",
    Identification.MAXIMUM: "Maximum (1)",
}
CONFIDENTIALITY = {
    Confidentiality.NONE: "No loss of confidentiality (0)",
    Confidentiality.EXPOSED: "Exposed, no evidence of unlawful processing (0)",
    Confidentiality.KNOWN_RECIPIENTS: "Disclosed to known recipients (+0.25)",
    Confidentiality.UNKNOWN_RECIPIENTS: "Disclosed to an unknown number of recipients (+0.5)",
}
INTEGRITY = {
    Integrity.NONE: "No loss of integrity (0)",
    Integrity.ALTERED: "Altered, no evidence of misuse, or recovered (0)",
    Integrity.MISUSED_RECOVERABLE: "Altered, possibly misused, recoverable (+0.25)",
    Integrity.MISUSED_UNRECOVERABLE: "Altered, possibly misused, not recoverable (+0.5)",
}
AVAILABILITY = {
    Availability.NONE: "No loss of availability (0)",
    Availability.RECOVERABLE: "Recoverable without difficulty (0)",
    Availability.TEMPORARY: "Temporarily unavailable (+0.25)",
    Availability.PERMANENT: "Fully or permanently unavailable (+0.5)",
}
MALICE = {"yes": "Yes: intentional (theft, hacking, harm, sale) (+0.5)", "no": "No (0)"}
YES_NO = {True: "yes", False: "no"}


def _choices(labels: dict, blank: bool = True) -> list:
    pairs = [(str(value), label) for value, label in labels.items()]
    return choices([PICK, *pairs] if blank else pairs)


def _rationale(label: str = "Rationale") -> TextAreaField:
    return TextAreaField(label, validators=[Length(max=RATIONALE_LENGTH)], render_kw={"rows": 2})


def _judgement(label: str, labels: dict) -> SelectField:
    return SelectField(label, choices=_choices(labels), validators=[DataRequired()])


class DataRowForm(Form):
    """One category of breached data: its type, the adjustment and the factors that justify it."""

    data_type = SelectField("Data type", choices=_choices(DATA_TYPES))
    adjustment = SelectField(
        "Adjustment",
        coerce=int,
        default=0,
        choices=choices((n, f"{n:+d}" if n else "0") for n in range(-3, 4)),
    )
    factors = SelectMultipleField(
        "Contextual factors", choices=_choices(FACTORS, blank=False), render_kw={"size": 6}
    )
    rationale = StringField("Rationale", validators=[Length(max=RATIONALE_LENGTH)])

    def is_blank(self) -> bool:
        text = (self.rationale.data or "").strip()
        return not (self.data_type.data or text or self.adjustment.data or self.factors.data)

    def validate_data_type(self, field):
        if not field.data and not self.is_blank():
            raise ValidationError("choose the type of data")

    def values(self) -> dict:
        return {
            "data_type": self.data_type.data,
            "adjustment": self.adjustment.data or 0,
            "factors": sorted(self.factors.data or []),
            "rationale": (self.rationale.data or "").strip(),
        }


class EnisaForm(FlaskForm):
    """The judgements ENISA's method scores, each with the assessor's rationale."""

    categories = FieldList(FormField(DataRowForm), min_entries=1, max_entries=20)
    identification = _judgement("Ease of identification (EI)", IDENTIFICATION)
    identification_rationale = _rationale()
    confidentiality = _judgement("Loss of confidentiality", CONFIDENTIALITY)
    confidentiality_rationale = _rationale()
    integrity = _judgement("Loss of integrity", INTEGRITY)
    integrity_rationale = _rationale()
    availability = _judgement("Loss of availability", AVAILABILITY)
    availability_rationale = _rationale()
    malicious = _judgement("Malicious intent", MALICE)
    malicious_rationale = _rationale()


class EnisaMethod:
    """ENISA's severity score, proposing the GDPR risk level for the DPO to decide."""

    kind = "enisa"
    title = "ENISA breach severity"
    template = "assessments/enisa.html"
    form_class = EnisaForm

    def prefill(self, inputs: dict, incident: Incident) -> dict:
        """The form's data from the last version's inputs, or from the incident the first time."""
        data = dict(inputs) if inputs else _from_incident(incident)
        rows = list(data.get("categories", []))
        data["categories"] = rows + [{}] * max(BLANK_ROWS, MIN_ROWS - len(rows))
        data["malicious"] = YES_NO.get(data.get("malicious"), "")
        return data

    def inputs(self, form: FlaskForm) -> dict:
        """The JSON-able inputs of a validated form: the filled rows and each judgement."""
        rows = [entry.form for entry in form.categories]
        values = {"categories": [row.values() for row in rows if not row.is_blank()]}
        for name in ELEMENTS:
            values[name] = form[name].data
            values[f"{name}_rationale"] = (form[f"{name}_rationale"].data or "").strip()
        values["malicious"] = {"yes": True, "no": False}.get(values["malicious"])
        return values

    def assess(self, inputs: dict, incident: Incident, organization: Organization) -> Outcome:
        """Score the breach with ENISA's method and propose the GDPR risk level."""
        result = assess_severity(_facts(inputs))
        return Outcome(
            proposal=str(result.gdpr_risk),
            choices=RISKS,
            criteria=tuple(
                Criterion(r.criterion, r.citation, r.met, r.detail) for r in result.reasons
            ),
            summary=_summary(result),
            details=_details(result),
        )

    def scalars(self, decision: str, outcome: Outcome, classified_at: datetime | None) -> dict:
        """The decided risk level sets the incident's GDPR risk, the summary its rationale."""
        return {"gdpr_risk": decision, "gdpr_risk_rationale": outcome.summary}


def _from_incident(incident: Incident) -> dict:
    """A first guess: one row per ENISA type among the incident's personal data categories."""
    names: dict[DataType, list[str]] = {}
    for category in incident.data_categories:
        if category.personal:
            names.setdefault(_data_type(category), []).append(category.name)
    rows = [
        {"data_type": str(kind), "rationale": f"Recorded on the incident: {', '.join(names[kind])}"}
        for kind in DataType
        if kind in names
    ]
    return {"categories": rows, "malicious": incident.malicious}


def _data_type(category) -> DataType:
    if category.special_category or category.phi or category.code == "criminal":
        return DataType.SENSITIVE
    return DataType.FINANCIAL if category.code == "financial" else DataType.SIMPLE


def _facts(inputs: dict) -> SeverityFacts:
    """The core's facts from the stored inputs; an unusable input names its form field."""
    data = tuple(_category(number, row) for number, row in enumerate(inputs["categories"], 1))
    if not data:
        raise AssessmentError("categories", "enter at least one category of breached data")
    try:
        return SeverityFacts(data=data, **{name: inputs[name] for name in _judgement_names()})
    except (TypeError, ValueError) as error:
        raise _named(str(error)) from error


def _judgement_names() -> list[str]:
    return [name for element in ELEMENTS for name in (element, f"{element}_rationale")]


def _category(number: int, row: dict) -> DataCategory:
    try:
        return DataCategory(row["data_type"], row["rationale"], row["adjustment"], row["factors"])
    except (TypeError, ValueError) as error:
        raise AssessmentError("categories", f"Data category {number}: {error}") from error


def _named(message: str) -> AssessmentError:
    """Map the core's message ("integrity_rationale is required ...") to the field it names."""
    name = message.split()[0]
    if name.endswith("_rationale"):
        return AssessmentError(name, message.replace(name, "the rationale", 1))
    field = next((element for element in ELEMENTS if element in message.lower()), "categories")
    return AssessmentError(field, message)


def _words(level) -> str:
    return str(level).replace("_", " ")


def _number(value: Decimal) -> str:
    """A factor as the scales print it: 1, 0.5, 0.75 (never 1.0 or 0.50)."""
    return format(value.normalize(), "f")


def _summary(result: SeverityAssessment) -> str:
    equation = f"{result.dpc} x {_number(result.ei)} + {_number(result.cb)} = {result.score}"
    risk = dict(RISKS)[str(result.gdpr_risk)]
    return (
        f"Assessed with {METHOD}: SE = DPC x EI + CB = {equation}, a {_words(result.level)} "
        f"severity. Proposed GDPR risk level: {risk} (Regulation (EU) 2016/679 Arts 33 and 34; "
        "an indicative reading of the severity that the DPO confirms or overrides)."
    )


def _details(result: SeverityAssessment) -> dict:
    return {
        "score": str(result.score),
        "level": str(result.level),
        "dpc": result.dpc,
        "ei": _number(result.ei),
        "cb": _number(result.cb),
    }


ENISA_METHOD = methods.register(EnisaMethod())
