"""Builders for core tests: facts from plain values, obligations keyed by "id:JURISDICTION"."""

from datetime import datetime

import pytest

from incident_tracker.core.engine import Obligation, compute
from incident_tracker.core.facts import INSTANTS, Facts, Organization

BERLIN = {"country": "DE", "timezone": "Europe/Berlin"}


def _instant(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _submitted(value):
    if isinstance(value, list):
        return [_instant(item) for item in value]
    return _instant(value)


def build_facts(org=None, **values):
    """Build Facts; ISO strings become datetimes; the organization defaults to Berlin."""
    for name in INSTANTS:
        if name in values:
            values[name] = _instant(values[name])
    if "submissions" in values:
        values["submissions"] = {k: _submitted(v) for k, v in values["submissions"].items()}
    return Facts(organization=Organization(**{**BERLIN, **(org or {})}), **values)


def owed_by(facts: Facts) -> dict[str, Obligation]:
    """Compute obligations and key them by "id:JURISDICTION"."""
    return {f"{item.id}:{item.jurisdiction}": item for item in compute(facts).obligations}


@pytest.fixture
def make_facts():
    return build_facts


@pytest.fixture
def owed():
    """Return a function: build facts from keyword values and compute what is owed."""
    return lambda org=None, **values: owed_by(build_facts(org, **values))


@pytest.fixture
def instant():
    """Return the ISO 8601 parser, for expected instants written as text."""
    return datetime.fromisoformat
