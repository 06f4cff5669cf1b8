"""What every feature's forms share: the form that only carries CSRF, the versioned form that
refuses a stale save, the bound on long text, the optional integer of a select."""

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    StringField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput

LONG_TEXT = 20_000


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


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
