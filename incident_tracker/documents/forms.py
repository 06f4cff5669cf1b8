"""The forms of documents: a letter template's source, its copy, and a document's draft."""

from flask_wtf import FlaskForm
from wtforms import (
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from ..web.forms import LONG_TEXT


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
