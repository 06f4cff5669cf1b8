"""Forms of the supply-chain register: counterparties, contracts, notice clauses, systems and
component uses. Clause fields are checked with the core's own checks, so a form says what the
facts document would say, and a clause is built as the engine's value before it is saved."""

import re

from flask_wtf import FlaskForm
from packageurl import PackageURL
from wtforms import (
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..core import contracts as core
from ..extensions import db
from ..facts import codes
from ..facts.purl import validate_package_url
from ..models import (
    COUNTERPARTY_KINDS,
    ComponentUse,
    Contract,
    Counterparty,
    NoticeClause,
    System,
    served_customer,
)
from ..models.supply_chain import SCOPES, TRIGGERS, UNITS
from ..web.fields import CheckboxListField, JurisdictionField, choices, enum_choices
from ..web.localtime import zone
from . import exposure

HOLDERS = ("vendor", "processor")  # the kinds that hold customers' data and use components
CUSTOM = ""  # the preset choice that leaves the clock to the fields below it
SUGGESTED_LENGTH = 40  # room for a "-2" suffix within the 50 characters of an id
CUSTOM_LABEL = "Custom: set the clock below"
DIRECTION_LABELS = [
    ("outbound", "Outbound: we notify them"),
    ("inbound", "Inbound: they notify us"),
]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _core_check(check, *args):
    """Run one of the core's checks, turning its ValueError into the field's message."""
    try:
        return check(*args)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def _taken(model, name: str, own_id: int | None) -> bool:
    """Tell whether another row of the model has this name, ignoring case (in any script:
    SQLite's lower() folds ASCII only, so the comparison is made here; registers are small)."""
    rows = db.session.execute(db.select(model.id, model.name)).all()
    return any(row.name.casefold() == name.casefold() and row.id != own_id for row in rows)


def customer_choices(exclude: int | None = None) -> list:
    """The registered customers, for the "whose data it holds" checkboxes."""
    statement = db.select(Counterparty).where(Counterparty.kind == "customer")
    rows = db.session.execute(statement.order_by(Counterparty.name)).scalars()
    return choices((row.id, row.name) for row in rows if row.id != exclude)


class CounterpartyForm(FlaskForm):
    """A vendor, processor, customer or other party, and for a holder the customers it serves."""

    name = StringField("Name", filters=[_strip], validators=[DataRequired(), Length(max=100)])
    kind = SelectField("Kind", choices=enum_choices(COUNTERPARTY_KINDS))
    country = JurisdictionField("Country or US state", validators=[Length(max=6)])
    timezone = StringField("Timezone (IANA)", filters=[_strip], default="UTC")
    contact_email = EmailField(
        "Contact e-mail", filters=[_strip], validators=[Optional(), Email(), Length(max=254)]
    )
    language = StringField("Language", filters=[_strip], default="en")
    notes = TextAreaField("Notes", validators=[Length(max=20_000)])
    customers = CheckboxListField("Customers whose data it holds", coerce=int)
    submit = SubmitField("Save")

    def __init__(self, *args, party: Counterparty | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.party = party
        self.customers.choices = customer_choices(exclude=party.id if party else None)
        if party is not None and not self.is_submitted():
            self.customers.data = [customer.id for customer in party.customers]

    def validate_name(self, field):
        if _taken(Counterparty, field.data, self.party.id if self.party else None):
            raise ValidationError(f"A counterparty named {field.data!r} is already registered.")

    def validate_timezone(self, field):
        _core_check(zone, field.data or "")

    def validate_language(self, field):
        if not field.data or len(field.data) > 10:
            raise ValidationError("give a language code of at most 10 characters, e.g. en or de")

    def validate_kind(self, field):
        if self.party is None:
            return
        if field.data not in HOLDERS and holds_components(self.party):
            raise ValidationError("only a vendor or processor uses components: remove them first")
        if field.data != "customer" and held_by(self.party):
            raise ValidationError("vendors or systems hold this customer's data: unlink it first")

    def validate_customers(self, field):
        if field.data and self.kind.data not in HOLDERS:
            raise ValidationError("only a vendor or processor holds customers' data")


def holds_components(party: Counterparty) -> bool:
    """Tell whether any component use is recorded for the counterparty."""
    statement = db.select(ComponentUse.id).where(ComponentUse.vendor_id == party.id).limit(1)
    return db.session.execute(statement).first() is not None


def held_by(party: Counterparty) -> bool:
    """Tell whether a vendor or system is recorded as holding this counterparty's data."""
    statement = db.select(served_customer.c.id).where(served_customer.c.customer_id == party.id)
    return db.session.execute(statement.limit(1)).first() is not None


class ContractForm(FlaskForm):
    """A contract: its title, reference and governing law (whose holidays count business days)."""

    title = StringField("Title", filters=[_strip])
    reference = StringField("Reference", filters=[_strip], validators=[Length(max=40)])
    governing_law = StringField("Governing law (country or US state)", filters=[_strip])
    submit = SubmitField("Save contract")

    def validate_title(self, field):
        _core_check(core.check_text, field.data, "title")

    def validate_governing_law(self, field):
        code = _core_check(codes.jurisdiction_code, field.data or "")
        field.data = _core_check(core.check_governing_law, code)


def _enum_field(label: str, enum, options) -> SelectField:
    """A select checked by the core, so a bad value reads as in the facts document."""

    def check(form, field):
        field.data = _core_check(core.check_choice, enum, field.data).value

    default = next(iter(enum)).value
    return SelectField(
        label, choices=options, default=default, validate_choice=False, validators=[check]
    )


class ClauseForm(FlaskForm):
    """A notice clause: a preset or an explicit clock, direction, scope and the notice's details."""

    preset = SelectField("Preset", choices=choices([(CUSTOM, CUSTOM_LABEL)]), default=CUSTOM)
    trigger = _enum_field("Clock starts at", core.Trigger, enum_choices(TRIGGERS))
    unit = _enum_field("Period unit", core.Unit, enum_choices(UNITS))
    amount = IntegerField("How many", validators=[Optional()])
    direction = _enum_field("Direction", core.Direction, choices(DIRECTION_LABELS))
    applies_to = _enum_field("Applies to", core.Scope, enum_choices(SCOPES))
    slug = StringField("Id", filters=[_strip])
    reference = StringField("Clause reference", filters=[_strip])
    content = TextAreaField("Required content")
    channel = StringField("Channel", filters=[_strip])
    recipient_contact = StringField("Recipient contact", filters=[_strip])
    language = StringField("Language", filters=[_strip], default="en")
    submit = SubmitField("Save clause")

    def __init__(self, *args, contract: Contract, clause_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract, self.clause_id = contract, clause_id
        self.preset.choices = choices([(CUSTOM, CUSTOM_LABEL), *core.preset_choices()])

    def validate(self, extra_validators=None) -> bool:
        """Apply a chosen preset, check every field, then build the clause as the engine would."""
        self._apply_preset()
        if not self.slug.data and self.reference.data:
            self.slug.data = suggest_slug(self.contract, self.reference.data, self.clause_id)
        if not super().validate(extra_validators):
            return False
        try:
            self.clause()
        except ValueError as error:
            self._place(str(error))
            return False
        return True

    def _apply_preset(self) -> None:
        preset = core.PRESETS.get(self.preset.data or CUSTOM)
        if preset is None:
            return
        self.trigger.data = preset.trigger.value
        self.unit.data = preset.period.kind.value
        self.amount.data, self.amount.raw_data = preset.period.amount, []
        self.amount.process_errors = []

    def _place(self, message: str) -> None:
        """Show an error of the core under the field it names ("amount: ...")."""
        name, _, text = message.partition(": ")
        name = {"kind": "unit", "id": "slug"}.get(name, name)
        field = self[name] if name in self else self.slug
        field.errors = [*field.errors, text or message]

    def validate_amount(self, field):
        if not field.process_errors and self.unit.data in UNITS:
            _core_check(core.check_amount, core.Unit(self.unit.data), field.data)

    def validate_slug(self, field):
        _core_check(core.check_slug, field.data)
        if clause_slug_taken(field.data, self.clause_id):
            raise ValidationError(f"the id {field.data!r} is used by another clause")

    def validate_reference(self, field):
        _core_check(core.check_text, field.data, "reference")

    def validate_content(self, field):
        _optional_text(field, "content")

    def validate_channel(self, field):
        _optional_text(field, "channel")

    def validate_recipient_contact(self, field):
        _optional_text(field, "recipient_contact")

    def validate_language(self, field):
        _optional_text(field, "language", limit=10)

    def values(self) -> dict:
        """The clause's columns, ready to set on a NoticeClause row."""
        names = ("slug", "reference", "trigger", "unit", "amount", "direction", "applies_to")
        values = {name: self[name].data for name in names}
        values.update({name: self[name].data or "" for name in core.OPTIONAL_TEXTS})
        return values

    def clause(self) -> core.Clause:
        """The clause as the engine's value (raises ValueError naming a field it refuses)."""
        values = self.values()
        period = core.ClausePeriod(values.pop("unit"), values.pop("amount"))
        optional = {name: values.pop(name) or None for name in core.OPTIONAL_TEXTS}
        return core.Clause(id=values.pop("slug"), period=period, **values, **optional)


def suggest_slug(contract: Contract, reference: str, own_id: int | None = None) -> str:
    """An id made of the contract's reference (or title) and the clause's, not yet in use."""
    base = _slugify(f"{contract_stem(contract)}-{reference}")[:SUGGESTED_LENGTH]
    base = base.strip("-_") or "clause"
    slug, number = base, 1
    while clause_slug_taken(slug, own_id):
        number += 1
        slug = f"{base}-{number}"
    return slug


def contract_stem(contract: Contract) -> str:
    """The part of suggested clause ids that names the contract."""
    return _slugify(contract.reference or contract.title)[:30].strip("-_")


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _optional_text(field, name: str, limit: int | None = None) -> None:
    if not field.data:
        field.data = ""
        return
    if limit is not None and len(field.data) > limit:
        raise ValidationError(f"must be at most {limit} characters long")
    _core_check(core.check_text, field.data, name, False)


def clause_slug_taken(slug: str, own_id: int | None) -> bool:
    """Tell whether another clause already uses this id."""
    statement = db.select(NoticeClause.id).where(NoticeClause.slug == slug)
    if own_id is not None:
        statement = statement.where(NoticeClause.id != own_id)
    return db.session.execute(statement.limit(1)).first() is not None


class SystemForm(FlaskForm):
    """An internal system and the customers whose data it holds."""

    name = StringField("Name", filters=[_strip], validators=[DataRequired(), Length(max=100)])
    description = TextAreaField("Description", validators=[Length(max=500)])
    customers = CheckboxListField("Customers whose data it holds", coerce=int)
    submit = SubmitField("Save system")

    def __init__(self, *args, system: System | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.system = system
        self.customers.choices = customer_choices()
        if system is not None and not self.is_submitted():
            self.customers.data = [customer.id for customer in system.customers]

    def validate_name(self, field):
        if _taken(System, field.data, self.system.id if self.system else None):
            raise ValidationError(f"A system named {field.data!r} is already registered.")


class ComponentForm(FlaskForm):
    """A package (without version) and the range of its versions in use."""

    package = StringField(
        "Package URL", filters=[_strip], validators=[DataRequired(), Length(max=200)]
    )
    versions = StringField(
        "Versions", filters=[_strip], validators=[DataRequired(), Length(max=200)], default="*"
    )
    submit = SubmitField("Add component")

    def validate_package(self, field):
        canonical = _core_check(validate_package_url, field.data)
        purl = PackageURL.from_string(canonical)
        if purl.version:
            raise ValidationError(
                f"give the package without a version ({package_only(purl)}) and put the "
                f"version range under Versions (for example =={purl.version})"
            )
        if purl.qualifiers or purl.subpath:
            raise ValidationError(
                f"give the package only, without qualifiers or subpath: {package_only(purl)}"
            )
        field.data = package_only(purl)

    def validate_versions(self, field):
        field.data = _core_check(exposure.check_versions, field.data)


def package_only(purl: PackageURL) -> str:
    """The package URL of type, namespace and name, as releases are matched against it."""
    return PackageURL(purl.type, purl.namespace, purl.name).to_string()
