"""Forms: they validate input and hand the views domain values (aware instants, ISO codes)."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from . import codes
from .fields import (
    CountryField,
    InstantField,
    JurisdictionField,
    choices,
    ensure_unique,
    enum_choices,
    required_instant,
)
from .localtime import zone
from .models import (
    DORA_ENTITY_TYPES,
    GDPR_RISKS,
    GDPR_ROLES,
    HIPAA_ROLES,
    INCIDENT_STATUSES,
    MAX_PEOPLE,
    MAX_RECORDS,
    NIS2_STATUSES,
    PARTY_KINDS,
    PARTY_ROLES,
    SEVERITIES,
)
from .purl import validate_package_url
from .records import SCALAR_FIELDS

LONG_TEXT = 20_000
NO_ENUM = "None"


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def _maybe_bool(value):
    return {"yes": True, "no": False}.get(value)


def _bool_choice_data(value):
    return {True: "yes", False: "no"}.get(value, "")


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField("Log in")


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=1000)])
    new = PasswordField("New password", validators=[DataRequired(), Length(max=1000)])
    confirm = PasswordField("New password again", validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField("Change password")

    def validate_confirm(self, field):
        if field.data != self.new.data:
            raise ValidationError("the two new passwords differ")


class PostForm(FlaskForm):
    """An empty form: a CSRF token for buttons that POST (logout)."""


class VersionedForm(FlaskForm):
    """A form for a row that others may save meanwhile: it carries the version it was read at."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    loaded_at = StringField(widget=HiddenInput(), validators=[Length(max=40)])

    def submitted_version(self) -> int | None:
        """The version the browser sent back; a form without one is treated as stale."""
        version = self.version.data if self.version.raw_data else None
        return version if isinstance(version, int) and 0 < version < 2**31 else None

    def mark_current(self, version: int, loaded_at: str) -> None:
        """Make the form carry this version (after a conflict, the user saves over it knowingly)."""
        self.version.data, self.version.raw_data = version, [str(version)]
        self.loaded_at.data, self.loaded_at.raw_data = loaded_at, [loaded_at]


class OrganizationForm(VersionedForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    country = CountryField("Country of establishment", validators=[DataRequired()])
    timezone = StringField(
        "Timezone (IANA)", validators=[DataRequired(), Length(max=64)], default="Europe/Berlin"
    )
    gdpr_role = SelectField("Default GDPR role", choices=enum_choices(GDPR_ROLES))
    eu_main_establishment = CountryField("EU/EEA main establishment", blank="None")
    nis2 = SelectField("NIS2 status", choices=enum_choices(NIS2_STATUSES, blank=NO_ENUM))
    nis2_sector = StringField("NIS2 sector", validators=[Length(max=120)])
    trust_service_provider = BooleanField("Trust service provider (eIDAS)")
    dora = SelectField(
        "DORA financial entity type", choices=enum_choices(DORA_ENTITY_TYPES, NO_ENUM)
    )
    dora_relief_withdrawn = BooleanField(
        "Authority withdrew DORA weekend relief (RTS 2025/301 Art. 5(6))"
    )
    sec_registrant = BooleanField("SEC registrant")
    hipaa = SelectField("HIPAA role", choices=enum_choices(HIPAA_ROLES, blank=NO_ENUM))
    dpo_name = StringField("DPO name", validators=[Length(max=200)])
    dpo_email = EmailField("DPO e-mail", validators=[Optional(), Email(), Length(max=254)])
    dpo_phone = StringField("DPO phone", validators=[Length(max=50)])
    submit = SubmitField("Save")

    def validate_timezone(self, field):
        try:
            zone(field.data.strip())
        except ValueError as error:
            raise ValidationError(str(error)) from error
        field.data = field.data.strip()

    def validate_eu_main_establishment(self, field):
        if field.data and field.data not in codes.EEA:
            raise ValidationError(f"{field.data} is not in the EU/EEA")


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


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


TRI_STATE = choices([("", "Not yet assessed"), ("yes", "Yes"), ("no", "No")])


class IncidentForm(VersionedForm):
    """Every field of an incident; the instants are read in the organization's timezone."""

    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField("Summary", validators=[Length(max=LONG_TEXT)])
    status = SelectField("Status", choices=enum_choices(INCIDENT_STATUSES))
    severity = SelectField("Severity", choices=enum_choices(SEVERITIES, blank="Not set"))
    owner_id = SelectField("Owner (incident commander)", coerce=_optional_int, validate_choice=True)
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

    def validate_detected_at(self, field):
        _not_before(field, self.occurred_at, "detection", "occurrence")

    def validate_aware_at(self, field):
        _not_before(field, self.detected_at, "awareness", "detection")

    def validate_contained_at(self, field):
        _not_before(field, self.occurred_at, "containment", "occurrence")

    def validate_closed_at(self, field):
        _not_before(field, self.detected_at, "closure", "detection")

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


def _not_before(field, earlier, what: str, than: str) -> None:
    if field.data and earlier.data and field.data < earlier.data:
        raise ValidationError(f"{what} cannot be before {than}")


TRI_STATE_FIELDS = ("malicious", "cross_border", "nis2_significant")


def tri_state_data(incident) -> dict:
    """Form data for the yes/no/unknown selects from an incident."""
    return {name: _bool_choice_data(getattr(incident, name)) for name in TRI_STATE_FIELDS}


class NoteForm(FlaskForm):
    occurred_at = InstantField("When", validators=[required_instant])
    text = TextAreaField("What happened", validators=[DataRequired(), Length(max=LONG_TEXT)])
    submit = SubmitField("Add to timeline")


class FilingForm(FlaskForm):
    """Record that an obligation was submitted to its recipient."""

    submitted_at = InstantField("Submitted at", validators=[required_instant])
    recipient_reference = StringField("Recipient's reference", validators=[Length(max=200)])
    note = TextAreaField("Note", validators=[Length(max=LONG_TEXT)])
    delay_reasons = TextAreaField("Reasons for the delay", validators=[Length(max=LONG_TEXT)])
    corrects = SelectField("Corrects an earlier filing", coerce=_optional_int, validate_choice=True)
    document = SelectField("Document sent", coerce=_optional_int, validate_choice=True)
    submit = SubmitField("Record filing")


class DecisionForm(FlaskForm):
    """Decide that an obligation is not required, with the reasons (GDPR Art. 33(5))."""

    rationale = TextAreaField(
        "Why no notification is required",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[DataRequired(), Length(min=20, max=LONG_TEXT)],
    )
    submit = SubmitField("Decide: not required")


class TemplateForm(FlaskForm):
    """Edit a staff copy of a letter template; every save is a new revision."""

    body = TextAreaField("Template", validators=[DataRequired(), Length(max=200_000)])
    note = StringField("What changed", validators=[Length(max=300)])
    submit = SubmitField("Save as a new revision")


class CopyForm(FlaskForm):
    name = StringField("Name of the copy", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Copy to edit")


class DocumentForm(FlaskForm):
    """Draft a document for an obligation from a template."""

    template = SelectField("Template", coerce=int, validate_choice=True)
    delay_reasons = TextAreaField(
        "Reasons for the delay (if late)", validators=[Length(max=LONG_TEXT)]
    )
    additional_information = TextAreaField(
        "Additional information", validators=[Length(max=LONG_TEXT)]
    )
    preview = SubmitField("Preview PDF")
    generate = SubmitField("Generate and archive")


class TokenForm(FlaskForm):
    """Create a personal API token."""

    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    scope = SelectField(
        "Scope", choices=choices([("read", "Read only"), ("read_write", "Read and write")])
    )
    submit = SubmitField("Create token")
