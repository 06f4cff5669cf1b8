"""Form fields of the assessment methods: counts and amounts typed as text (a browser sends a
number input it cannot read as blank, which would silently become "not given"), and durations
in hours and minutes."""

import re
from decimal import Decimal

from wtforms import DecimalField, Form, IntegerField
from wtforms.widgets import TextInput

MAX_COUNT = 10**10


def _number(text: str, pattern: str, example: str) -> str | None:
    """The digits typed, or None when blank; a ValueError in words for anything else."""
    text = text.strip()
    if not text:
        return None
    if text.startswith("-"):
        raise ValueError("must not be negative")
    if not re.fullmatch(pattern, text):
        raise ValueError(f"enter {example}, without thousands separators")
    return text


class CountField(IntegerField):
    """A whole number of 0 or more; blank means not given (None).

    A text input, not type="number": a browser sends a number input it cannot read as blank,
    which would silently become "not given".
    """

    widget = TextInput()

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = None
            digits = _number(valuelist[0], r"[0-9]{1,11}", "a whole number such as 1200")
            if digits is not None and int(digits) > MAX_COUNT:
                raise ValueError(f"must be at most {MAX_COUNT:,}")
            self.data = int(digits) if digits is not None else None


class AmountField(DecimalField):
    """An amount in euro of 0 or more, to the cent; blank means not given (None)."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = None
            example = "an amount in euro such as 500000 or 1250.50"
            digits = _number(valuelist[0], r"[0-9]{1,15}(\.[0-9]{1,2})?", example)
            self.data = Decimal(digits) if digits is not None else None


class DurationForm(Form):
    hours = CountField("Hours")
    minutes = CountField("Minutes")

    def minutes_total(self) -> int | None:
        if self.hours.data is None and self.minutes.data is None:
            return None
        return (self.hours.data or 0) * 60 + (self.minutes.data or 0)
