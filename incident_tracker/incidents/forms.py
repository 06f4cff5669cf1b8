"""The incident's forms: its facts (aware instants, ISO codes, places and parties) and notes."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..facts.purl import validate_package_url
from ..models import (
    GDPR_RISKS,
    INCIDENT_STATUSES,
    MAX_PEOPLE,
    MAX_RECORDS,
    PARTY_KINDS,
    PARTY_ROLES,
    SEVERITIES,
)
from ..web.fields import (
    CheckboxListField,
    InstantField,
    JurisdictionField,
    choices,
    ensure_unique,
    enum_choices,
    required_instant,
)
from ..web.forms import LONG_TEXT, VersionedForm, optional_int
from . import instants
from .records import SCALAR_FIELDS

TRI_STATE = choices([("", "Not yet assessed"), ("yes", "Yes"), ("no", "No")])


TRI_STATE_FIELDS = ("malicious", "cross_border", "nis2_significant")


def _maybe_bool(value):
    return {"yes": True, "no": False}.get(value)


def _bool_choice_data(value):
    return {True: "yes", False: "no"}.get(value, "")


class JurisdictionRowForm(Form):
    code = JurisdictionField("Code", validators=[Length(max=6)])
    people = IntegerField("People", validators=[Optional(), NumberRange(min=0, max=MAX_PEOPLE)])
    records = IntegerField("Records", validators=[Optional(), NumberRange(min=0, max=MAX_RECORDS)])

    def is_blank(self) -> bool:
        return not self.code.data and self.people.data is None and self.records.data is None

    def validate_code(self, field):
        if not field.data and not self.is_blank():
            raise ValidationError("enter a country or US state code")


class PartyRowForm(Form):
    name = StringField("Name", validators=[Length(max=200)])
    kind = SelectField("Kind", choices=enum_choices(PARTY_KINDS))
    role = SelectField("Role in the incident", choices=enum_choices(PARTY_ROLES))
    package_url = StringField("Package URL", validators=[Length(max=300)])
    notes = StringField("Notes", validators=[Length(max=1000)])

    def is_blank(self) -> bool:
        return not (self.name.data or "").strip() and not (self.package_url.data or "").strip()

    def validate_name(self, field):
        if not self.is_blank() and not (field.data or "").strip():
            raise ValidationError("a party needs a name")

    def validate_package_url(self, field):
        field.data = (field.data or "").strip() or None
        if field.data:
            try:
                field.data = validate_package_url(field.data)
            except ValueError as error:
                raise ValidationError(str(error)) from error


class IncidentForm(VersionedForm):
    """Every field of an incident; the instants are read in the organization's timezone."""

    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField("Summary", validators=[Length(max=LONG_TEXT)])
    status = SelectField("Status", choices=enum_choices(INCIDENT_STATUSES))
    severity = SelectField("Severity", choices=enum_choices(SEVERITIES, blank="Not set"))
    owner_id = SelectField("Owner (incident commander)", coerce=optional_int, validate_choice=True)
    occurred_at = InstantField("Occurred")
    detected_at = InstantField("Detected")
    aware_at = InstantField("Aware (GDPR / NIS2 clock)")
    dora_classified_major_at = InstantField("Classified major (DORA)")
    sec_materiality_determined_at = InstantField("Materiality determined (SEC)")
    discovered_at = InstantField("Discovered (HIPAA, US states)")
    breach_determined_at = InstantField("Breach determined (TX, FL, CO)")
    contained_at = InstantField("Contained")
    closed_at = InstantField("Closed")
    personal_data_breach = BooleanField("Personal data breach")
    phi_breach = BooleanField("Breach of unsecured protected health information (HIPAA)")
    malicious = SelectField("Malicious cause", choices=TRI_STATE)
    cross_border = SelectField("Cross-border impact", choices=TRI_STATE)
    root_cause = TextAreaField("Root cause", validators=[Length(max=LONG_TEXT)])
    consequences = TextAreaField("Likely consequences", validators=[Length(max=LONG_TEXT)])
    measures_taken = TextAreaField("Measures taken or proposed", validators=[Length(max=LONG_TEXT)])
    gdpr_risk = SelectField(
        "GDPR risk to people", choices=enum_choices(GDPR_RISKS, "Not yet assessed")
    )
    gdpr_risk_rationale = TextAreaField("Why this risk level", validators=[Length(max=LONG_TEXT)])
    nis2_significant = SelectField("NIS2 significant incident", choices=TRI_STATE)
    nis2_significance_rationale = TextAreaField("Why", validators=[Length(max=LONG_TEXT)])
    data_categories = CheckboxListField("Data categories", coerce=int)
    jurisdictions = FieldList(FormField(JurisdictionRowForm), min_entries=1, max_entries=400)
    parties = FieldList(FormField(PartyRowForm), min_entries=1, max_entries=200)
    submit = SubmitField("Save incident")

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then the rules every writer's instants keep (instants.py)."""
        valid = super().validate(extra_validators)
        shown = {name: self[name].data for name in instants.INSTANTS if not self[name].errors}
        for name, problem in instants.problems(shown).items():
            self[name].errors.append(problem)
            valid = False
        return valid

    def validate_jurisdictions(self, field):
        ensure_unique([row.form.code.data for row in field if row.form.code.data], "Jurisdiction")

    def jurisdiction_rows(self) -> list[dict]:
        """The filled jurisdiction rows as plain values."""
        return [
            {"code": row.code.data, "people": row.people.data or 0, "records": row.records.data}
            for row in (entry.form for entry in self.jurisdictions)
            if not row.is_blank()
        ]

    def party_rows(self) -> list[dict]:
        """The filled party rows as plain values."""
        return [
            {
                "name": row.name.data.strip(),
                "kind": row.kind.data,
                "role": row.role.data,
                "package_url": row.package_url.data,
                "notes": (row.notes.data or "").strip(),
            }
            for row in (entry.form for entry in self.parties)
            if not row.is_blank()
        ]

    def scalar_values(self) -> dict:
        """The incident's own columns, ready to set on the model."""
        values = {name: self[name].data for name in SCALAR_FIELDS}
        for name in ("severity", "gdpr_risk"):
            values[name] = values[name] or None
        for name in ("malicious", "cross_border", "nis2_significant"):
            values[name] = _maybe_bool(values[name])
        return values


def tri_state_data(incident) -> dict:
    """Form data for the yes/no/unknown selects from an incident."""
    return {name: _bool_choice_data(getattr(incident, name)) for name in TRI_STATE_FIELDS}


class NoteForm(FlaskForm):
    occurred_at = InstantField("When", validators=[required_instant])
    text = TextAreaField("What happened", validators=[DataRequired(), Length(max=LONG_TEXT)])
    submit = SubmitField("Add to timeline")
