"""The forms of an obligation: filing it, and deciding it is not required."""

from flask_wtf import FlaskForm
from wtforms import (
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from ..web.fields import (
    InstantField,
    required_instant,
)
from ..web.forms import LONG_TEXT, optional_int


class FilingForm(FlaskForm):
    """Record that an obligation was submitted to its recipient."""

    submitted_at = InstantField("Submitted at", validators=[required_instant])
    recipient_reference = StringField("Recipient's reference", validators=[Length(max=200)])
    note = TextAreaField("Note", validators=[Length(max=LONG_TEXT)])
    delay_reasons = TextAreaField("Reasons for the delay", validators=[Length(max=LONG_TEXT)])
    corrects = SelectField("Corrects an earlier filing", coerce=optional_int, validate_choice=True)
    document = SelectField("Document sent", coerce=optional_int, validate_choice=True)
    submit = SubmitField("Record filing")


class DecisionForm(FlaskForm):
    """Decide that an obligation is not required, with the reasons (GDPR Art. 33(5))."""

    rationale = TextAreaField(
        "Why no notification is required",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[DataRequired(), Length(min=20, max=LONG_TEXT)],
    )
    submit = SubmitField("Decide: not required")
