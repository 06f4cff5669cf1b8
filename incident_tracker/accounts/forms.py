"""The forms of accounts: login, password, API tokens, the organization profile."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..facts import codes
from ..models import (
    DORA_ENTITY_TYPES,
    GDPR_ROLES,
    HIPAA_ROLES,
    NIS2_STATUSES,
)
from ..web.fields import (
    CountryField,
    choices,
    enum_choices,
)
from ..web.forms import VersionedForm
from ..web.localtime import zone

NO_ENUM = "None"


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


class TokenForm(FlaskForm):
    """Create a personal API token."""

    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    scope = SelectField(
        "Scope", choices=choices([("read", "Read only"), ("read_write", "Read and write")])
    )
    submit = SubmitField("Create token")
