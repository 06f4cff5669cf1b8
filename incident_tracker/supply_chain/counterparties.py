"""The supply-chain register: counterparties (vendors, processors, customers), their contracts and
notice clauses, internal systems and the components they and vendors use.

A change to a contract or a clause regenerates, in the same transaction, the obligations of every
incident that is not closed and involves the counterparty, so contractual clocks follow the
register as statutory ones follow the facts (a moved deadline is logged on the timeline).
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..core.contracts import PRESETS
from ..extensions import db
from ..models import (
    COUNTERPARTY_KINDS,
    ComponentUse,
    Contract,
    Counterparty,
    NoticeClause,
    System,
)
from ..web.forms import PostForm
from ..web.roles import REGISTER_EDITORS, may, role_required
from . import party_incidents
from .counterparty_forms import (
    HOLDERS,
    ClauseForm,
    ComponentForm,
    ContractForm,
    CounterpartyForm,
    SystemForm,
    contract_stem,
)

bp = Blueprint("counterparties", __name__, url_prefix="/counterparties")


@bp.context_processor
def _permissions() -> dict:
    return {"may_edit_register": may(REGISTER_EDITORS)}


PARTY_FIELDS = ("name", "kind", "timezone", "contact_email", "language", "notes")
CONTRACT_FIELDS = ("title", "reference", "governing_law")
PRESET_FIELDS = {  # what the clause form's script fills in when a preset is chosen
    key: {"trigger": p.trigger.value, "unit": p.period.kind.value, "amount": p.period.amount}
    for key, p in PRESETS.items()
}


@bp.get("/")
@login_required
def index():
    """List the registered counterparties, of one kind when ?kind= names one."""
    kind = request.args.get("kind", "")
    statement = db.select(Counterparty).order_by(Counterparty.name)
    if kind in COUNTERPARTY_KINDS:
        statement = statement.where(Counterparty.kind == kind)
    rows = list(db.session.execute(statement).scalars())
    return render_template(
        "supply_chain/counterparties/index.html",
        counterparties=rows,
        kind=kind,
        kinds=COUNTERPARTY_KINDS,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*REGISTER_EDITORS)
def new():
    """Register a counterparty."""
    form = CounterpartyForm()
    if not form.validate_on_submit():
        return _page("supply_chain/counterparties/form.html", form, party=None)
    party = Counterparty()
    _fill_party(party, form)
    db.session.add(party)
    db.session.flush()
    linked = party_incidents.link_mentions(party)
    party_incidents.refresh_incidents(party, f"because {party.name} was registered")
    db.session.commit()
    flash(f"{party.name} registered.{party_incidents.linked_message(linked)}", "success")
    return redirect(url_for("counterparties.show", party_id=party.id))


@bp.get("/<int:party_id>")
@login_required
def show(party_id: int):
    """Show a counterparty with its contracts, clauses, customers and components."""
    return _show_page(db.get_or_404(Counterparty, party_id), ComponentForm())


@bp.route("/<int:party_id>/edit", methods=["GET", "POST"])
@role_required(*REGISTER_EDITORS)
def edit(party_id: int):
    """Edit a counterparty; its contracts' obligations follow a change of name."""
    party = db.get_or_404(Counterparty, party_id)
    form = CounterpartyForm(obj=party, party=party)
    if not form.validate_on_submit():
        return _page("supply_chain/counterparties/form.html", form, party=party)
    _fill_party(party, form)
    linked = party_incidents.link_mentions(party)
    party_incidents.refresh_incidents(party, f"because the counterparty {party.name} changed")
    db.session.commit()
    flash(f"{party.name} saved.{party_incidents.linked_message(linked)}", "success")
    return redirect(url_for("counterparties.show", party_id=party.id))


@bp.route("/<int:party_id>/contracts/new", methods=["GET", "POST"])
@role_required(*REGISTER_EDITORS)
def new_contract(party_id: int):
    """Add a contract with a counterparty."""
    party = db.get_or_404(Counterparty, party_id)
    form = ContractForm()
    if not form.validate_on_submit():
        return _page(
            "supply_chain/counterparties/contract_form.html", form, party=party, contract=None
        )
    contract = Contract(**{name: form[name].data for name in CONTRACT_FIELDS})
    party.contracts.append(contract)
    return _contract_saved(contract, f"Contract {contract.title} added.")


@bp.route("/contracts/<int:contract_id>/edit", methods=["GET", "POST"])
@role_required(*REGISTER_EDITORS)
def edit_contract(contract_id: int):
    """Edit a contract's title, reference or governing law."""
    contract = db.get_or_404(Contract, contract_id)
    form = ContractForm(obj=contract)
    if not form.validate_on_submit():
        party = contract.counterparty
        return _page(
            "supply_chain/counterparties/contract_form.html", form, party=party, contract=contract
        )
    for name in CONTRACT_FIELDS:
        setattr(contract, name, form[name].data)
    return _contract_saved(contract, f"Contract {contract.title} saved.")


@bp.post("/contracts/<int:contract_id>/deactivate")
@role_required(*REGISTER_EDITORS)
def deactivate_contract(contract_id: int):
    """Stop applying a contract: its unfiled obligations become no longer applicable."""
    return _set_active(contract_id, False)


@bp.post("/contracts/<int:contract_id>/activate")
@role_required(*REGISTER_EDITORS)
def activate_contract(contract_id: int):
    """Apply a deactivated contract again."""
    return _set_active(contract_id, True)


@bp.route("/contracts/<int:contract_id>/clauses/new", methods=["GET", "POST"])
@role_required(*REGISTER_EDITORS)
def new_clause(contract_id: int):
    """Add a notice clause to a contract."""
    contract = db.get_or_404(Contract, contract_id)
    form = ClauseForm(contract=contract)
    if not form.validate_on_submit():
        return _clause_page(form, contract, clause=None)
    contract.clauses.append(NoticeClause(**form.values()))
    return _contract_saved(contract, f"Clause {form.reference.data} added.")


@bp.route("/clauses/<int:clause_id>/edit", methods=["GET", "POST"])
@role_required(*REGISTER_EDITORS)
def edit_clause(clause_id: int):
    """Edit a notice clause; open obligations follow it."""
    clause = db.get_or_404(NoticeClause, clause_id)
    form = ClauseForm(obj=clause, contract=clause.contract, clause_id=clause.id)
    if not form.validate_on_submit():
        return _clause_page(form, clause.contract, clause=clause)
    for name, value in form.values().items():
        setattr(clause, name, value)
    return _contract_saved(clause.contract, f"Clause {clause.reference} saved.")


@bp.post("/clauses/<int:clause_id>/delete")
@role_required(*REGISTER_EDITORS)
def delete_clause(clause_id: int):
    """Delete a clause; filed obligations stay, unfiled ones become no longer applicable."""
    clause = db.get_or_404(NoticeClause, clause_id)
    _require_post_form()
    contract = clause.contract
    contract.clauses.remove(clause)
    return _contract_saved(contract, f"Clause {clause.reference} deleted.")


@bp.get("/systems/")
@login_required
def systems():
    """List the internal systems."""
    rows = db.session.execute(db.select(System).order_by(System.name)).scalars()
    return render_template("supply_chain/counterparties/systems.html", systems=list(rows))


@bp.route("/systems/new", methods=["GET", "POST"])
@role_required(*REGISTER_EDITORS)
def new_system():
    """Register an internal system."""
    form = SystemForm()
    if not form.validate_on_submit():
        return _page("supply_chain/counterparties/system_form.html", form, system=None)
    system = System()
    _fill_system(system, form)
    db.session.add(system)
    db.session.commit()
    flash(f"System {system.name} registered.", "success")
    return redirect(url_for("counterparties.show_system", system_id=system.id))


@bp.get("/systems/<int:system_id>")
@login_required
def show_system(system_id: int):
    """Show an internal system with the customers it serves and the components it uses."""
    return _system_page(db.get_or_404(System, system_id), ComponentForm())


@bp.route("/systems/<int:system_id>/edit", methods=["GET", "POST"])
@role_required(*REGISTER_EDITORS)
def edit_system(system_id: int):
    """Edit an internal system."""
    system = db.get_or_404(System, system_id)
    form = SystemForm(obj=system, system=system)
    if not form.validate_on_submit():
        return _page("supply_chain/counterparties/system_form.html", form, system=system)
    _fill_system(system, form)
    db.session.commit()
    flash(f"System {system.name} saved.", "success")
    return redirect(url_for("counterparties.show_system", system_id=system.id))


@bp.post("/systems/<int:system_id>/components")
@role_required(*REGISTER_EDITORS)
def add_system_component(system_id: int):
    """Record a component that an internal system uses."""
    system = db.get_or_404(System, system_id)
    form = ComponentForm()
    if not form.validate_on_submit():
        return _system_page(system, form), 422
    db.session.add(_component(form, system=system))
    db.session.commit()
    flash(f"{form.package.data} {form.versions.data} recorded for {system.name}.", "success")
    return redirect(url_for("counterparties.show_system", system_id=system.id))


@bp.post("/<int:party_id>/components")
@role_required(*REGISTER_EDITORS)
def add_vendor_component(party_id: int):
    """Record a component that a vendor or processor uses."""
    party = db.get_or_404(Counterparty, party_id)
    if party.kind not in HOLDERS:
        abort(404)
    form = ComponentForm()
    if not form.validate_on_submit():
        return _show_page(party, form), 422
    db.session.add(_component(form, vendor=party))
    db.session.commit()
    flash(f"{form.package.data} {form.versions.data} recorded for {party.name}.", "success")
    return redirect(url_for("counterparties.show", party_id=party.id))


@bp.post("/components/<int:use_id>/delete")
@role_required(*REGISTER_EDITORS)
def remove_component(use_id: int):
    """Remove a component use from a system or vendor."""
    use = db.get_or_404(ComponentUse, use_id)
    _require_post_form()
    back, message = _holder_url(use), f"{use.package} {use.versions} removed."
    db.session.delete(use)
    db.session.commit()
    flash(message, "success")
    return redirect(back)


def _page(template: str, form, **context):
    """A form page: 422 when a submitted form was refused, so nothing looks saved."""
    page = render_template(template, form=form, **context)
    return (page, 422) if form.is_submitted() else page


def _show_page(party: Counterparty, component_form: ComponentForm):
    return render_template(
        "supply_chain/counterparties/show.html",
        party=party,
        component_form=component_form,
        button_form=PostForm(formdata=None),
        incidents=party_incidents.open_incidents(party),
        uses=_uses(ComponentUse.vendor_id == party.id),
        holders=_holders(party) if party.kind == "customer" else ([], []),
    )


def _system_page(system: System, component_form: ComponentForm):
    return render_template(
        "supply_chain/counterparties/system.html",
        system=system,
        component_form=component_form,
        button_form=PostForm(formdata=None),
        uses=_uses(ComponentUse.system_id == system.id),
    )


def _clause_page(form: ClauseForm, contract: Contract, clause: NoticeClause | None):
    return _page(
        "supply_chain/counterparties/clause_form.html",
        form,
        contract=contract,
        clause=clause,
        example=f"{contract_stem(contract) or 'msa'}-clause-9-2",
        presets=PRESET_FIELDS,
    )


def _fill_party(party: Counterparty, form: CounterpartyForm) -> None:
    for name in PARTY_FIELDS:
        setattr(party, name, form[name].data or "")
    party.country = form.country.data or None
    party.customers = _customers(form.customers.data) if party.kind in HOLDERS else []


def _fill_system(system: System, form: SystemForm) -> None:
    system.name = form.name.data
    system.description = form.description.data or ""
    system.customers = _customers(form.customers.data)


def _customers(ids: list[int] | None) -> list[Counterparty]:
    """The chosen customers (the form allowed only registered customers)."""
    if not ids:
        return []
    statement = db.select(Counterparty).where(Counterparty.id.in_(ids))
    return list(db.session.execute(statement.order_by(Counterparty.name)).scalars())


def _component(form: ComponentForm, **holder) -> ComponentUse:
    return ComponentUse(package=form.package.data, versions=form.versions.data, **holder)


def _uses(condition) -> list[ComponentUse]:
    statement = db.select(ComponentUse).where(condition).order_by(ComponentUse.package)
    return list(db.session.execute(statement).scalars())


def _holder_url(use: ComponentUse) -> str:
    if use.system_id is not None:
        return url_for("counterparties.show_system", system_id=use.system_id)
    return url_for("counterparties.show", party_id=use.vendor_id)


def _holders(customer: Counterparty) -> tuple[list[Counterparty], list[System]]:
    """The vendors and the systems recorded as holding a customer's data."""
    vendors = db.select(Counterparty).where(Counterparty.customers.contains(customer))
    systems = db.select(System).where(System.customers.contains(customer))
    return (
        list(db.session.execute(vendors.order_by(Counterparty.name)).scalars()),
        list(db.session.execute(systems.order_by(System.name)).scalars()),
    )


def _set_active(contract_id: int, active: bool):
    contract = db.get_or_404(Contract, contract_id)
    _require_post_form()
    contract.active = active
    state = "applies again" if active else "deactivated"
    return _contract_saved(contract, f"Contract {contract.title} {state}.")


def _require_post_form() -> None:
    """Check the CSRF token of a button form (a failed check answers 400)."""
    if not PostForm().validate_on_submit():
        abort(400)


def _contract_saved(contract: Contract, message: str):
    """Regenerate the incidents the contract binds, commit once, and go back to its party."""
    party_incidents.refresh_incidents(
        contract.counterparty, f"because the contract {contract.title} changed"
    )
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("counterparties.show", party_id=contract.counterparty.id))
