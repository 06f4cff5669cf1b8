"""The facts document (DESIGN section 6): parse and validate it, serialize obligations, and the CLI.

`incident-tracker deadlines FILE` needs no database, app or configuration: it reads a JSON facts
document, runs the engine and prints ``{"obligations": [...]}``; bad input gives one line on
standard error and exit status 2.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import fields
from datetime import datetime
from difflib import get_close_matches
from enum import StrEnum
from functools import cache
from typing import Any, NoReturn
from zoneinfo import available_timezones

import click

from ..core.contracts import Clause, Contract, Direction
from ..core.engine import MissingFact, Obligation, compute
from ..core.facts import EEA, ENUMS, FLAGS, INSTANTS, MACHINE_ZONES, Facts, Organization
from ..core.regimes import OBLIGATION_IDS
from ..core.regimes.contracts import PREFIX as CONTRACT_PREFIX
from ..core.regimes.us_states import STATES
from . import codes
from .contracts import parse_contracts
from .values import FactsError, fail, json_object, only_known, parse_code, shown

ORGANIZATION_FIELDS = tuple(item.name for item in fields(Organization))
TOP_LEVEL_FIELDS = tuple(item.name for item in fields(Facts))
ORGANIZATION_CHOICES = tuple(name for name in ORGANIZATION_FIELDS if name in ENUMS)
ORGANIZATION_FLAGS = tuple(name for name in ORGANIZATION_FIELDS if name in FLAGS)
FACT_FLAGS = tuple(name for name in TOP_LEVEL_FIELDS if name in FLAGS)
EXAMPLE_INSTANT = "2026-03-27T17:30:00+01:00"
YEARS = (1970, 2999)  # keeps every deadline computable (no overflow near year 9999)
REGION_JURISDICTIONS = ("EU",)


def _flag(document: Mapping[str, Any], key: str, field: str) -> bool:
    value = document.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        fail(field, f"expected true or false, got {shown(value)}")
    return value


def _choice(document: Mapping[str, Any], key: str, field: str) -> StrEnum | None:
    value, allowed = document.get(key), [member.value for member in ENUMS[key]]
    if value is None:
        return None
    if value not in allowed:
        fail(field, f"{shown(value)} is not one of {', '.join(allowed)}")
    return ENUMS[key](value)


def parse_instant(value: object, field: str) -> datetime | None:
    """Parse an ISO 8601 date-time with an offset; refuse naive, date-only and malformed text."""
    if value is None:
        return None
    if not isinstance(value, str):
        fail(field, f"expected an ISO 8601 date-time string, got {shown(value)}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        fail(field, f"{shown(value)} is not an ISO 8601 date-time such as {EXAMPLE_INSTANT}")
    if len(value.strip()) <= 10:
        fail(
            field,
            f"{shown(value)} has no time of day; give a date-time with offset such as "
            f"{EXAMPLE_INSTANT}",
        )
    if parsed.utcoffset() is None:
        fail(field, f"naive timestamp {shown(value)}; add an offset such as +01:00 or Z")
    if not YEARS[0] <= parsed.year <= YEARS[1]:
        fail(field, f"{shown(value)} is outside the years {YEARS[0]} to {YEARS[1]}")
    return parsed


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones()) - MACHINE_ZONES


def _timezone(value: object, field: str) -> str:
    if value is None:
        fail(field, "required")
    if not isinstance(value, str) or value not in _zones():
        close = get_close_matches(str(value), sorted(_zones()), n=1)
        hint = f'; did you mean "{close[0]}"?' if close else ' such as "Europe/Berlin"'
        fail(field, f"{shown(value)} is not an IANA timezone{hint}")
    return value


def _main_establishment(value: object, field: str) -> str | None:
    if value is None:
        return None
    code = parse_code(value, field, codes.country_code)
    if code not in EEA:
        fail(field, f"{shown(code)} is not an EU/EEA country")
    return code


def _organization(value: object) -> Organization:
    org = json_object(value, "organization")
    only_known(org, ORGANIZATION_FIELDS, "organization.")
    if org.get("country") is None:
        fail("organization.country", "required")
    return Organization(
        country=parse_code(org["country"], "organization.country", codes.country_code),
        timezone=_timezone(org.get("timezone"), "organization.timezone"),
        eu_main_establishment=_main_establishment(
            org.get("eu_main_establishment"), "organization.eu_main_establishment"
        ),
        **{key: _choice(org, key, f"organization.{key}") for key in ORGANIZATION_CHOICES},
        **{key: _flag(org, key, f"organization.{key}") for key in ORGANIZATION_FLAGS},
    )


def _count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        fail(field, f"expected a whole number of people, got {shown(value)}")
    if value < 0:
        fail(field, f"count must not be negative, got {value}")
    return value


def _affected(value: object) -> dict[str, int]:
    if value is None:
        return {}
    counts: dict[str, int] = {}
    for key, count in json_object(value, "affected").items():
        code = parse_code(key, f"affected.{key}", codes.jurisdiction_code)
        if code in counts:
            fail(f"affected.{key}", f"{code} is given twice")
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
        fail(field, f"{state.upper()} is not in the US state catalogue ({catalogue})")
    close = get_close_matches(name, sorted(OBLIGATION_IDS), n=1)
    fail(field, "unknown obligation id" + (f'; did you mean "{close[0]}"?' if close else ""))


def _clause_obligation(name: str, field: str, clauses: Mapping[str, Clause]) -> str:
    clause = clauses.get(name.removeprefix(CONTRACT_PREFIX))
    if clause is None:
        fail(
            field, f"no clause in contracts has the id {shown(name.removeprefix(CONTRACT_PREFIX))}"
        )
    if clause.direction is Direction.INBOUND:
        fail(field, "an inbound clause (the counterparty notifies us) has no notice to submit")
    return name


def _submission_key(key: str, clauses: Mapping[str, Clause]) -> str:
    field = f"submissions.{key}"
    name, colon, place = key.partition(":")
    name = _obligation_id(name, field, clauses)
    if not colon:
        return name
    if place in REGION_JURISDICTIONS:
        return f"{name}:{place}"
    return f"{name}:{parse_code(place, field, codes.jurisdiction_code)}"


def _instants(value: object, field: str) -> tuple[datetime, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(_submitted(item, f"{field}[{i}]") for i, item in enumerate(value))
    return (_submitted(value, field),)


def _submitted(value: object, field: str) -> datetime:
    instant = parse_instant(value, field)
    if instant is None:
        fail(field, "expected a date-time, got null")
    return instant


def _submissions(value: object, contracts: Iterable[Contract]) -> dict[str, tuple[datetime, ...]]:
    if value is None:
        return {}
    clauses = {clause.id: clause for contract in contracts for clause in contract.clauses}
    submissions: dict[str, tuple[datetime, ...]] = {}
    for key, instants in json_object(value, "submissions").items():
        normal = _submission_key(key, clauses)
        if normal in submissions:
            fail(f"submissions.{key}", f"{normal} is given twice")
        submissions[normal] = _instants(instants, f"submissions.{key}")
    return submissions


def parse_facts(data: object) -> Facts:
    """Validate a decoded JSON facts document and return the engine's Facts, or raise FactsError."""
    document = json_object(data, "document")
    only_known(document, TOP_LEVEL_FIELDS, "")
    if document.get("organization") is None:
        fail("organization", "required")
    organization = _organization(document["organization"])
    contracts = parse_contracts(document.get("contracts"))
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
        fail(label, f"cannot read the file: {error.strerror or error}")
    except UnicodeDecodeError:
        fail(label, "the file is not UTF-8 text")
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as error:
        fail(label, f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}")
    except RecursionError:
        fail(label, "malformed JSON: nested too deeply")
    except ValueError as error:
        fail(label, f"malformed JSON: {error}")


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
