"""The facts document's optional `contracts` list (issue 8): contracts and their notice clauses.

Each field is checked with the core's own checks (core/contracts.py), so a facts document, a form
and the engine agree; an error names the field by its path, e.g.
``contracts[0].clauses[1].period.amount: expected a whole number from 1 to 9999, got 0``.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from typing import Any

from ..core.contracts import (
    OPTIONAL_TEXTS,
    Clause,
    ClausePeriod,
    Contract,
    Direction,
    Scope,
    Trigger,
    Unit,
    check_amount,
    check_choice,
    check_governing_law,
    check_slug,
    check_text,
)
from . import codes
from .values import fail, json_object, only_known, parse_code, shown

CONTRACT_FIELDS = tuple(item.name for item in fields(Contract))
CLAUSE_FIELDS = tuple(item.name for item in fields(Clause))
PERIOD_FIELDS = tuple(item.name for item in fields(ClausePeriod))
CLAUSE_DEFAULTS = {item.name: item.default for item in fields(Clause)}


def _checked(field: str, check: Callable[..., Any], *args: object) -> Any:
    """Run one of the core's field checks; its ValueError becomes a FactsError naming the field."""
    try:
        return check(*args)
    except ValueError as error:
        fail(field, str(error))


def _required(item: Mapping[str, Any], names: Iterable[str], path: str) -> None:
    for name in names:
        if item.get(name) is None:
            fail(f"{path}.{name}", "required")


def _list(value: object, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        fail(field, f"expected a JSON list, got {shown(value)[:40]}")
    return value


def _or(item: Mapping[str, Any], name: str) -> object:
    """Return a clause field, or its default when absent or null."""
    value = item.get(name)
    return CLAUSE_DEFAULTS[name] if value is None else value


def _period(value: object, path: str) -> ClausePeriod:
    item = json_object(value, path)
    only_known(item, PERIOD_FIELDS, f"{path}.")
    _required(item, ("kind",), path)
    kind = _checked(f"{path}.kind", check_choice, Unit, item["kind"])
    return ClausePeriod(kind, _checked(f"{path}.amount", check_amount, kind, item.get("amount")))


def _clause(value: object, path: str) -> Clause:
    item = json_object(value, path)
    only_known(item, CLAUSE_FIELDS, f"{path}.")
    _required(item, ("id", "reference", "trigger", "period"), path)
    return Clause(
        id=_checked(f"{path}.id", check_slug, item["id"]),
        reference=_checked(f"{path}.reference", check_text, item["reference"], "reference"),
        trigger=_checked(f"{path}.trigger", check_choice, Trigger, item["trigger"]),
        period=_period(item["period"], f"{path}.period"),
        direction=_checked(f"{path}.direction", check_choice, Direction, _or(item, "direction")),
        applies_to=_checked(f"{path}.applies_to", check_choice, Scope, _or(item, "applies_to")),
        **{
            name: _checked(f"{path}.{name}", check_text, item.get(name), name, False)
            for name in OPTIONAL_TEXTS
        },
    )


def _contract(value: object, path: str) -> Contract:
    item = json_object(value, path)
    only_known(item, CONTRACT_FIELDS, f"{path}.")
    _required(item, ("id", "party", "title", "governing_law"), path)
    law_field = f"{path}.governing_law"
    clauses = _list(item.get("clauses"), f"{path}.clauses")
    return Contract(
        id=_checked(f"{path}.id", check_slug, item["id"]),
        party=_checked(f"{path}.party", check_text, item["party"], "party"),
        title=_checked(f"{path}.title", check_text, item["title"], "title"),
        governing_law=_checked(
            law_field,
            check_governing_law,
            parse_code(item["governing_law"], law_field, codes.jurisdiction_code),
        ),
        clauses=tuple(_clause(c, f"{path}.clauses[{i}]") for i, c in enumerate(clauses)),
    )


def _unique(ids: Iterable[tuple[str, str]]) -> None:
    """Refuse an id given twice, naming where it was given second and where first."""
    seen: dict[str, str] = {}
    for path, item_id in ids:
        if item_id in seen:
            fail(path, f"{shown(item_id)} is already the id of {seen[item_id]}")
        seen[item_id] = path.removesuffix(".id")


def parse_contracts(value: object) -> tuple[Contract, ...]:
    """The optional `contracts` list of a facts document (ids unique across it)."""
    contracts = tuple(
        _contract(item, f"contracts[{i}]") for i, item in enumerate(_list(value, "contracts"))
    )
    _unique((f"contracts[{i}].id", contract.id) for i, contract in enumerate(contracts))
    _unique(
        (f"contracts[{i}].clauses[{j}].id", clause.id)
        for i, contract in enumerate(contracts)
        for j, clause in enumerate(contract.clauses)
    )
    return contracts
