"""WTForms fields that turn the web's shapes into domain values."""

from datetime import datetime

from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..facts import codes
from .localtime import parse_instant, to_wall_time_text, zone


class InstantField(StringField):
    """An instant typed as wall time in the form's timezone (or with an explicit offset).

    The form is built with ``meta={"timezone": "Europe/Berlin"}``; the field's data is an aware
    UTC datetime or None.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"placeholder": "YYYY-MM-DD HH:MM", "autocomplete": "off"}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    @property
    def timezone(self) -> str:
        return getattr(self.meta, "timezone", "UTC")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return to_wall_time_text(self.data, zone(self.timezone)) if self.data else ""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        try:
            self.data = parse_instant(text, zone(self.timezone))
        except ValueError as error:
            self.data = None
            raise ValueError(str(error)) from error

    def process_data(self, value):
        if isinstance(value, datetime) and value.utcoffset() is None:
            raise TypeError("InstantField needs an aware datetime")
        self.data = value


def required_instant(_form, field) -> None:
    """Require an instant, keeping the field's own message for text it could not read, such as
    a wall time that does not exist in the zone (DataRequired would replace that message with
    "This field is required")."""
    if field.data is None and not field.process_errors:
        raise StopValidation("This field is required.")


class JurisdictionField(StringField):
    """A country code (DE, GB) or a US state code (US-CA), normalised to upper case."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = text.upper() if text else ""
        if text:
            try:
                self.data = codes.jurisdiction_code(text)
            except ValueError as error:
                raise ValueError(str(error)) from error


class CountryField(SelectField):
    """A select of ISO 3166-1 countries; optional when ``blank`` is given."""

    def __init__(self, label=None, validators=None, blank: str | None = None, **kwargs):
        pairs = codes.country_choices()
        if blank is not None:
            pairs = [("", blank), *pairs]
        super().__init__(label, validators, choices=choices(pairs), **kwargs)


def choices(pairs) -> list[SelectChoice]:
    """Select choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def enum_choices(values: tuple[str, ...], blank: str | None = None) -> list[SelectChoice]:
    """Select choices for an enumeration, labelled in words."""
    pairs = [(value, value.replace("_", " ").capitalize()) for value in values]
    return choices([("", blank), *pairs] if blank is not None else pairs)


def none_if_blank(value):
    """Coerce an empty select value to None."""
    return value or None


def ensure_unique(values: list[str], what: str) -> None:
    """Raise ValidationError when a value appears twice."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValidationError(f"{what} {value} appears twice")
        seen.add(value)


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
