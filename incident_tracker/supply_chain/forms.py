"""Forms of the supply-chain response: mark releases compromised, open their incidents, and
record a notice received from a vendor (with its letter)."""

from datetime import timedelta

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..extensions import db
from ..facts.purl import validate_package_url
from ..models import CompromisedRelease, Counterparty, Incident, utcnow
from ..web.fields import CheckboxListField, InstantField, choices, required_instant
from ..web.forms import LONG_TEXT
from .exposure import release_parts

CLOCK_SKEW = timedelta(minutes=5)
MAX_RELEASES = 200
MB = 1024 * 1024
LETTER_LIMIT = 10 * MB
LETTER_NAME_LENGTH = 200
SENDERS = ("vendor", "processor")  # the counterparties whose notices we receive


def _not_in_future(field) -> None:
    if field.data and field.data > utcnow() + CLOCK_SKEW:
        raise ValidationError("this cannot be in the future")


class ReleaseForm(FlaskForm):
    """Mark one or more releases compromised (rows that are never changed afterwards)."""

    package_urls = TextAreaField(
        "Compromised releases: one package URL with its version a line",
        validators=[DataRequired(), Length(max=60_000)],
        render_kw={"rows": 4, "placeholder": "pkg:pypi/litellm@1.82.7\npkg:pypi/litellm@1.82.8"},
    )
    advisory = TextAreaField("Advisory", validators=[Length(max=LONG_TEXT)])
    known_at = InstantField("Known at (when we learned of it)", validators=[required_instant])
    submit = SubmitField("Mark compromised")

    def validate_package_urls(self, field):
        self.releases, errors = parse_releases(field.data or "")
        field.errors.extend(errors)

    def validate_known_at(self, field):
        _not_in_future(field)


def parse_releases(text: str) -> tuple[list[str], list[str]]:
    """The canonical package URLs of the lines, and one message per bad line."""
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1)]
    lines = [(number, line) for number, line in lines if line]
    if len(lines) > MAX_RELEASES:
        return [], [f"at most {MAX_RELEASES} releases at a time"]
    found: dict[str, int] = {}
    errors = []
    for number, line in lines:
        try:
            url = validate_package_url(line)
            release_parts(url)
        except ValueError as error:
            errors.append(f"line {number}: {error}")
            continue
        if url in found:
            errors.append(f"line {number}: {url} is already on line {found[url]}")
        found.setdefault(url, number)
    return list(found), errors + _already_marked(found)


def _already_marked(found: dict[str, int]) -> list[str]:
    statement = db.select(CompromisedRelease.package_url).where(
        CompromisedRelease.package_url.in_(list(found))
    )
    marked = set(db.session.execute(statement).scalars()) if found else set()
    return [
        f"line {found[url]}: {url} is already marked compromised (a marked release is never "
        "changed; leave it out)"
        for url in sorted(marked, key=found.get)
    ]


class OpenIncidentsForm(FlaskForm):
    """Open the incidents of the chosen releases in one action."""

    releases = CheckboxListField(
        "Releases", coerce=int, validators=[DataRequired(message="choose at least one release")]
    )
    submit = SubmitField("Open incidents")


class VendorNoticeForm(FlaskForm):
    """A notice received from a vendor, and the incident it opens or joins."""

    vendor = SelectField("Vendor", coerce=int, validate_choice=True)
    received_at = InstantField("Received at", validators=[required_instant])
    summary = TextAreaField("Summary", validators=[DataRequired(), Length(max=LONG_TEXT)])
    components = TextAreaField(
        "Components involved (package URLs become component parties)",
        validators=[Length(max=LONG_TEXT)],
    )
    data_involved = TextAreaField("Data involved", validators=[Length(max=LONG_TEXT)])
    letter = FileField("The vendor's letter (optional, at most 10 MB)")
    action = RadioField(
        "Incident",
        choices=choices([("new", "Open a new incident"), ("existing", "Add to incident")]),
        default="new",
    )
    aware_at = InstantField("Aware at, if not at receipt (new incident only)")
    incident_reference = StringField("Incident reference", validators=[Length(max=20)])
    submit = SubmitField("Record notice")

    letter_bytes: bytes | None = None
    letter_name = ""
    target: Incident | None = None

    def validate_received_at(self, field):
        _not_in_future(field)

    def validate_aware_at(self, field):
        if field.data and self.action.data == "existing":
            raise ValidationError("the incident has its own awareness time: leave this empty")
        _not_in_future(field)

    def validate_letter(self, field):
        upload = field.data
        if not isinstance(upload, FileStorage) or not upload.filename:
            return
        data = upload.read(LETTER_LIMIT + 1)
        if len(data) > LETTER_LIMIT:
            raise ValidationError(
                "the letter is larger than 10 MB: nothing was saved; record the notice with a "
                "smaller copy, or without the letter"
            )
        if not data:
            raise ValidationError("the letter file is empty")
        self.letter_bytes, self.letter_name = data, clean_filename(upload.filename)

    def validate_incident_reference(self, field):
        if self.action.data != "existing":
            return
        reference = (field.data or "").strip().upper()
        if not reference:
            raise ValidationError("give the reference of the incident to add the notice to")
        found = db.session.execute(
            db.select(Incident).filter_by(reference=reference).with_for_update()
        ).scalar_one_or_none()
        if found is None:
            raise ValidationError(f"there is no incident {reference}")
        if found.status == "closed":
            raise ValidationError(f"{reference} is closed: open a new incident instead")
        self.target = found


def vendor_choices() -> list:
    """The counterparties whose notices we receive (vendors and processors), by name."""
    statement = (
        db.select(Counterparty).where(Counterparty.kind.in_(SENDERS)).order_by(Counterparty.name)
    )
    rows = db.session.execute(statement).scalars()
    return choices((row.id, f"{row.name} ({row.kind})") for row in rows)


def clean_filename(name: str) -> str:
    """The file name as sent, without folders or control characters, at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(char if char.isprintable() else "_" for char in base).strip()
    return (printable or "letter")[-LETTER_NAME_LENGTH:]
