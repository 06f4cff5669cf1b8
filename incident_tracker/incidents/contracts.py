"""The contracts in the register as the engine sees them: the active contracts of every registered
counterparty involved in an incident become the core's contract values (`contracts_for`), so
contractual clocks flow through the same engine as statutory ones; and which named parties are
registered counterparties."""

from sqlalchemy import func

from ..core import contracts as core
from ..extensions import db
from ..models import Contract, Counterparty, Incident


def engine_contract(contract: Contract) -> core.Contract:
    """A contract row as the engine's value (clause ids are the clauses' slugs)."""
    return core.Contract(
        id=f"contract-{contract.id}",
        party=contract.counterparty.name,
        title=contract.title,
        governing_law=contract.governing_law,
        clauses=tuple(_clause(clause) for clause in contract.clauses),
    )


def _clause(row) -> core.Clause:
    return core.Clause(
        id=row.slug,
        reference=row.reference,
        trigger=row.trigger,
        period=core.ClausePeriod(row.unit, row.amount),
        direction=row.direction,
        applies_to=row.applies_to,
        content=row.content or None,
        channel=row.channel or None,
        recipient_contact=row.recipient_contact or None,
        language=row.language or None,
    )


def contracts_for(incident: Incident) -> tuple[core.Contract, ...]:
    """The active contracts of every registered counterparty involved in the incident."""
    found: dict[int, core.Contract] = {}
    for party in incident.parties:
        for contract in party.counterparty.contracts if party.counterparty else ():
            if contract.active and contract.id not in found:
                found[contract.id] = engine_contract(contract)
    return tuple(found[key] for key in sorted(found))


def registered(names: list[str]) -> dict[str, Counterparty]:
    """Registered counterparties by lower-cased name, for the names given (one query)."""
    wanted = {name.strip().lower() for name in names if name}
    if not wanted:
        return {}
    rows = db.session.execute(
        db.select(Counterparty).where(func.lower(Counterparty.name).in_(wanted))
    ).scalars()
    return {row.name.lower(): row for row in rows}
