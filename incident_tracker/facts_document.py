"""The facts document (DESIGN section 6): parse and validate it, serialize obligations, and the CLI.

`incident-tracker deadlines FILE` needs no database, app or configuration: it reads a JSON facts
document, runs the engine and prints ``{"obligations": [...]}``; bad input gives one line on
standard error and exit status 2.
"""

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from datetime import datetime
from difflib import get_close_matches
from enum import StrEnum
from functools import cache
from typing import Any, NoReturn
from zoneinfo import available_timezones

import click

from . import codes
from .core.contracts import (
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
from .core.engine import MissingFact, Obligation, compute
from .core.facts import EEA, ENUMS, FLAGS, INSTANTS, MACHINE_ZONES, Facts, Organization
from .core.regimes import OBLIGATION_IDS
from .core.regimes.contracts import PREFIX as CONTRACT_PREFIX
from .core.regimes.us_states import STATES

ORGANIZATION_FIELDS = tuple(item.name for item in fields(Organization))
TOP_LEVEL_FIELDS = tuple(item.name for item in fields(Facts))
ORGANIZATION_CHOICES = tuple(name for name in ORGANIZATION_FIELDS if name in ENUMS)
ORGANIZATION_FLAGS = tuple(name for name in ORGANIZATION_FIELDS if name in FLAGS)
FACT_FLAGS = tuple(name for name in TOP_LEVEL_FIELDS if name in FLAGS)
EXAMPLE_INSTANT = "2026-03-27T17:30:00+01:00"
YEARS = (1970, 2999)  # keeps every deadline computable (no overflow near year 9999)
REGION_JURISDICTIONS = ("EU",)
CONTRACT_FIELDS = tuple(item.name for item in fields(Contract))
CLAUSE_FIELDS = tuple(item.name for item in fields(Clause))
PERIOD_FIELDS = tuple(item.name for item in fields(ClausePeriod))
CLAUSE_DEFAULTS = {item.name: item.default for item in fields(Clause)}


class FactsError(ValueError):
    """Bad input in a facts document; its text is one line: "<field>: <message>"."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(_printable(f"{field}: {message}"))
        self.field = _printable(field)
        self.message = message


def _printable(text: str) -> str:
    """Escape line breaks and other control characters so that an error stays on one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _shown(value: object) -> str:
    """Render a JSON value as it appeared in the document."""
    return json.dumps(value, ensure_ascii=False, default=str)


def _fail(field: str, message: str) -> NoReturn:
    raise FactsError(field, message)


def _object(value: object, field: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        _fail(field, f"expected a JSON object, got {_shown(value)[:40]}")
    return value


def _only_known(document: Mapping[str, Any], known: Iterable[str], prefix: str) -> None:
    for key in document:
        if key not in known:
            close = get_close_matches(key, list(known), n=1, cutoff=0.5)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            _fail(f"{prefix}{key}", f"unknown field{hint}")


def _flag(document: Mapping[str, Any], key: str, field: str) -> bool:
    value = document.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        _fail(field, f"expected true or false, got {_shown(value)}")
    return value


def _choice(document: Mapping[str, Any], key: str, field: str) -> StrEnum | None:
    value, allowed = document.get(key), [member.value for member in ENUMS[key]]
    if value is None:
        return None
    if value not in allowed:
        _fail(field, f"{_shown(value)} is not one of {', '.join(allowed)}")
    return ENUMS[key](value)


def _code(value: object, field: str, parse: Callable[[str], str]) -> str:
    if not isinstance(value, str):
        _fail(field, f'expected a code such as "DE" or "US-CA", got {_shown(value)}')
    try:
        return parse(value)
    except ValueError as error:
        _fail(field, str(error))


def parse_instant(value: object, field: str) -> datetime | None:
    """Parse an ISO 8601 date-time with an offset; refuse naive, date-only and malformed text."""
    if value is None:
        return None
    if not isinstance(value, str):
        _fail(field, f"expected an ISO 8601 date-time string, got {_shown(value)}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        _fail(field, f"{_shown(value)} is not an ISO 8601 date-time such as {EXAMPLE_INSTANT}")
    if len(value.strip()) <= 10:
        _fail(
            field,
            f"{_shown(value)} has no time of day; give a date-time with offset such as "
            f"{EXAMPLE_INSTANT}",
        )
    if parsed.utcoffset() is None:
        _fail(field, f"naive timestamp {_shown(value)}; add an offset such as +01:00 or Z")
    if not YEARS[0] <= parsed.year <= YEARS[1]:
        _fail(field, f"{_shown(value)} is outside the years {YEARS[0]} to {YEARS[1]}")
    return parsed


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones()) - MACHINE_ZONES


def _timezone(value: object, field: str) -> str:
    if value is None:
        _fail(field, "required")
    if not isinstance(value, str) or value not in _zones():
        close = get_close_matches(str(value), sorted(_zones()), n=1)
        hint = f'; did you mean "{close[0]}"?' if close else ' such as "Europe/Berlin"'
        _fail(field, f"{_shown(value)} is not an IANA timezone{hint}")
    return value


def _main_establishment(value: object, field: str) -> str | None:
    if value is None:
        return None
    code = _code(value, field, codes.country_code)
    if code not in EEA:
        _fail(field, f"{_shown(code)} is not an EU/EEA country")
    return code


def _organization(value: object) -> Organization:
    org = _object(value, "organization")
    _only_known(org, ORGANIZATION_FIELDS, "organization.")
    if org.get("country") is None:
        _fail("organization.country", "required")
    return Organization(
        country=_code(org["country"], "organization.country", codes.country_code),
        timezone=_timezone(org.get("timezone"), "organization.timezone"),
        eu_main_establishment=_main_establishment(
            org.get("eu_main_establishment"), "organization.eu_main_establishment"
        ),
        **{key: _choice(org, key, f"organization.{key}") for key in ORGANIZATION_CHOICES},
        **{key: _flag(org, key, f"organization.{key}") for key in ORGANIZATION_FLAGS},
    )


def _count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(field, f"expected a whole number of people, got {_shown(value)}")
    if value < 0:
        _fail(field, f"count must not be negative, got {value}")
    return value


def _affected(value: object) -> dict[str, int]:
    if value is None:
        return {}
    counts: dict[str, int] = {}
    for key, count in _object(value, "affected").items():
        code = _code(key, f"affected.{key}", codes.jurisdiction_code)
        if code in counts:
            _fail(f"affected.{key}", f"{code} is given twice")
        counts[code] = _count(count, f"affected.{key}")
    return counts


def _obligation_id(name: str, field: str, clauses: Mapping[str, Clause]) -> str:
    if name in OBLIGATION_IDS:
        return name
    if name.startswith(CONTRACT_PREFIX):
        return _clause_obligation(name, field, clauses)
    state = name.split(".")[0]
    if state.startswith("us-") and state[3:].upper() not in STATES:
        catalogue = ", ".join(sorted(STATES))
        _fail(field, f"{state.upper()} is not in the US state catalogue ({catalogue})")
    close = get_close_matches(name, sorted(OBLIGATION_IDS), n=1)
    _fail(field, "unknown obligation id" + (f'; did you mean "{close[0]}"?' if close else ""))


def _clause_obligation(name: str, field: str, clauses: Mapping[str, Clause]) -> str:
    clause = clauses.get(name.removeprefix(CONTRACT_PREFIX))
    if clause is None:
        _fail(
            field, f"no clause in contracts has the id {_shown(name.removeprefix(CONTRACT_PREFIX))}"
        )
    if clause.direction is Direction.INBOUND:
        _fail(field, "an inbound clause (the counterparty notifies us) has no notice to submit")
    return name


def _submission_key(key: str, clauses: Mapping[str, Clause]) -> str:
    field = f"submissions.{key}"
    name, colon, place = key.partition(":")
    name = _obligation_id(name, field, clauses)
    if not colon:
        return name
    if place in REGION_JURISDICTIONS:
        return f"{name}:{place}"
    return f"{name}:{_code(place, field, codes.jurisdiction_code)}"


def _instants(value: object, field: str) -> tuple[datetime, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(_submitted(item, f"{field}[{i}]") for i, item in enumerate(value))
    return (_submitted(value, field),)


def _submitted(value: object, field: str) -> datetime:
    instant = parse_instant(value, field)
    if instant is None:
        _fail(field, "expected a date-time, got null")
    return instant


def _submissions(value: object, contracts: Iterable[Contract]) -> dict[str, tuple[datetime, ...]]:
    if value is None:
        return {}
    clauses = {clause.id: clause for contract in contracts for clause in contract.clauses}
    submissions: dict[str, tuple[datetime, ...]] = {}
    for key, instants in _object(value, "submissions").items():
        normal = _submission_key(key, clauses)
        if normal in submissions:
            _fail(f"submissions.{key}", f"{normal} is given twice")
        submissions[normal] = _instants(instants, f"submissions.{key}")
    return submissions


def _checked(field: str, check: Callable[..., Any], *args: object) -> Any:
    """Run one of the core's field checks; its ValueError becomes a FactsError naming the field."""
    try:
        return check(*args)
    except ValueError as error:
        _fail(field, str(error))


def _required(item: Mapping[str, Any], names: Iterable[str], path: str) -> None:
    for name in names:
        if item.get(name) is None:
            _fail(f"{path}.{name}", "required")


def _list(value: object, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        _fail(field, f"expected a JSON list, got {_shown(value)[:40]}")
    return value


def _or(item: Mapping[str, Any], name: str) -> object:
    """Return a clause field, or its default when absent or null."""
    value = item.get(name)
    return CLAUSE_DEFAULTS[name] if value is None else value


def _period(value: object, path: str) -> ClausePeriod:
    item = _object(value, path)
    _only_known(item, PERIOD_FIELDS, f"{path}.")
    _required(item, ("kind",), path)
    kind = _checked(f"{path}.kind", check_choice, Unit, item["kind"])
    return ClausePeriod(kind, _checked(f"{path}.amount", check_amount, kind, item.get("amount")))


def _clause(value: object, path: str) -> Clause:
    item = _object(value, path)
    _only_known(item, CLAUSE_FIELDS, f"{path}.")
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
    item = _object(value, path)
    _only_known(item, CONTRACT_FIELDS, f"{path}.")
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
            _code(item["governing_law"], law_field, codes.jurisdiction_code),
        ),
        clauses=tuple(_clause(c, f"{path}.clauses[{i}]") for i, c in enumerate(clauses)),
    )


def _unique(ids: Iterable[tuple[str, str]]) -> None:
    """Refuse an id given twice, naming where it was given second and where first."""
    seen: dict[str, str] = {}
    for path, item_id in ids:
        if item_id in seen:
            _fail(path, f"{_shown(item_id)} is already the id of {seen[item_id]}")
        seen[item_id] = path.removesuffix(".id")


def _contracts(value: object) -> tuple[Contract, ...]:
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


def parse_facts(data: object) -> Facts:
    """Validate a decoded JSON facts document and return the engine's Facts, or raise FactsError."""
    document = _object(data, "document")
    _only_known(document, TOP_LEVEL_FIELDS, "")
    if document.get("organization") is None:
        _fail("organization", "required")
    organization = _organization(document["organization"])
    contracts = _contracts(document.get("contracts"))
    return Facts(
        organization=organization,
        gdpr_risk=_choice(document, "gdpr_risk", "gdpr_risk"),
        affected=_affected(document.get("affected")),
        submissions=_submissions(document.get("submissions"), contracts),
        contracts=contracts,
        **{key: _flag(document, key, key) for key in FACT_FLAGS},
        **{key: parse_instant(document.get(key), key) for key in INSTANTS},
    )


def obligations_document(obligations: Iterable[Obligation], facts: Facts) -> dict[str, Any]:
    """Return ``{"obligations": [...]}`` with due_at in the organization's timezone (or null)."""
    zone = facts.organization.zone
    return {
        "obligations": [
            {
                "id": item.id,
                "jurisdiction": item.jurisdiction,
                "recipient": item.recipient,
                "due_at": item.due_at.astimezone(zone).isoformat() if item.due_at else None,
                "status": item.status.value,
                "basis": item.basis,
                "anchor": item.anchor,
            }
            for item in obligations
        ]
    }


def missing_error(missing: Iterable[MissingFact]) -> FactsError:
    """Return one error naming the first missing fact and every obligation that needs it."""
    gaps = list(missing)
    first = gaps[0].field
    needers = ", ".join(gap.obligation_id for gap in gaps if gap.field == first)
    others = sorted({gap.field for gap in gaps} - {first})
    also = f" (also missing: {', '.join(others)})" if others else ""
    return FactsError(first, f"missing; needed by {needers}{also}")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise ValueError(f'key "{key}" appears twice')
        document[key] = value
    return document


def _no_constants(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def load_document(path: str) -> object:
    """Read and decode a JSON document from a path, or from standard input for "-"."""
    label = "stdin" if path == "-" else path
    try:
        with click.open_file(path, "rb") as stream:
            text = stream.read().decode("utf-8-sig")
    except OSError as error:
        _fail(label, f"cannot read the file: {error.strerror or error}")
    except UnicodeDecodeError:
        _fail(label, "the file is not UTF-8 text")
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as error:
        _fail(label, f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}")
    except RecursionError:
        _fail(label, "malformed JSON: nested too deeply")
    except ValueError as error:
        _fail(label, f"malformed JSON: {error}")


class _OneLineUsage(click.Command):
    """A command whose usage errors, like its input errors, are one line and exit status 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            click.echo(f"error: usage: {error.format_message()}", err=True)
            ctx.exit(2)


@click.command("deadlines", cls=_OneLineUsage)
@click.argument("file", metavar="FILE")
@click.pass_context
def deadlines(ctx: click.Context, file: str) -> None:
    """Print the obligations a JSON facts document starts (FILE, or - for standard input).

    Needs no database. Prints {"obligations": [...]} with due_at in the organization's timezone.
    Bad input (malformed JSON, a naive timestamp, an unknown code, a fact a rule needs but lacks)
    prints one line on standard error and exits with status 2.
    """
    try:
        document = evaluate(load_document(file))
    except FactsError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(2)
    click.echo(json.dumps(document, indent=2))


def evaluate(data: object) -> dict[str, Any]:
    """Facts document in, {"obligations": [...]} out; FactsError names the bad or missing field.

    The one path from a facts document to its deadlines, for the command line and the API.
    """
    facts = parse_facts(data)
    result = compute(facts)
    if result.missing:
        raise missing_error(result.missing)
    return obligations_document(result.obligations, facts)
