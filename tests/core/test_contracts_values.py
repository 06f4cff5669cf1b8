"""Contracts and clauses as values: normalised, validated, frozen, described; presets; calendars."""

from dataclasses import FrozenInstanceError
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incident_tracker.core import clock
from incident_tracker.core.contracts import (
    PRESETS,
    Clause,
    ClausePeriod,
    Contract,
    Direction,
    Scope,
    Trigger,
    Unit,
    preset_choices,
)
from incident_tracker.core.facts import Facts, Organization

HOURS_24 = ClausePeriod("hours", 24)


def clause(clause_id="acme-9-2", **fields):
    return Clause(**{"id": clause_id, "reference": "Clause 9.2", "trigger": "awareness",
                     "period": HOURS_24, **fields})  # fmt: skip


def contract(contract_id="acme-msa", clauses=(), **fields):
    values = {"party": "Acme AI", "title": "MSA 2025", "governing_law": "IE", **fields}
    return Contract(contract_id, clauses=clauses, **values)


def test_plain_strings_become_enumerations_and_defaults_are_outbound_for_any_incident():
    made = clause()
    assert (made.trigger, made.period.kind) == (Trigger.AWARENESS, Unit.HOURS)
    assert (made.direction, made.applies_to) == (Direction.OUTBOUND, Scope.SECURITY_INCIDENT)
    assert contract(clauses=[made]).clauses == (made,)


@pytest.mark.parametrize(
    ("kind", "amount", "message"),
    [
        ("hours", 0, "amount: expected a whole number from 1 to 9999, got 0"),
        ("hours", -24, "amount: expected a whole number from 1 to 9999, got -24"),
        ("business_days", 1.5, "got 1.5"),
        ("business_days", True, "got true"),
        ("calendar_days", "5", 'got "5"'),
        ("calendar_days", None, "got null"),
        ("business_hours", 10_000, "got 10000"),
        ("without_undue_delay", 24, "amount: must be null: without_undue_delay has no fixed"),
        ("weeks", 2, 'kind: "weeks" is not one of hours, calendar_days, business_days'),
    ],
)
def test_a_period_needs_a_whole_positive_amount_unless_it_has_no_fixed_end(kind, amount, message):
    with pytest.raises(ValueError, match=message):
        ClausePeriod(kind, amount)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"clause_id": "Clause 9.2"}, 'id: "Clause 9.2" is not an id of lower-case letters'),
        ({"clause_id": "x" * 51}, "id: .* is not an id"),
        ({"clause_id": "-acme"}, "id: "),
        ({"reference": " "}, 'reference: expected non-empty text, got " "'),
        ({"reference": "R" * 41}, "reference: must be at most 40 characters long"),
        ({"trigger": "rumour"}, 'trigger: "rumour" is not one of awareness, confirmation'),
        ({"direction": "both"}, 'direction: "both" is not one of outbound, inbound'),
        ({"applies_to": "outage"}, "applies_to: "),
        ({"channel": ""}, "channel: expected non-empty text"),
        ({"recipient_contact": 42}, "recipient_contact: expected non-empty text, got 42"),
    ],
)
def test_a_bad_clause_is_refused_naming_the_field(fields, message):
    with pytest.raises(ValueError, match=message):
        clause(**fields)


def test_a_clause_period_must_be_a_clause_period():
    with pytest.raises(TypeError, match="period"):
        clause(period={"kind": "hours", "amount": 24})


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"governing_law": "ie"}, 'governing_law: "ie" is not an ISO 3166-1 alpha-2 or US-XX'),
        ({"governing_law": "US-CAL"}, "governing_law: "),
        ({"governing_law": None}, "governing_law: null"),
        ({"party": ""}, "party: expected non-empty text"),
        ({"title": "T" * 101}, "title: must be at most 100 characters long"),
        ({"contract_id": "Acme MSA"}, "id: "),
    ],
)
def test_a_bad_contract_is_refused_naming_the_field(fields, message):
    with pytest.raises(ValueError, match=message):
        contract(**fields)


def test_clauses_must_be_clauses():
    with pytest.raises(TypeError, match="clauses"):
        contract(clauses=[{"id": "acme-9-2"}])


@pytest.mark.parametrize(
    ("contracts", "message"),
    [
        ((contract(), contract()), "contract id 'acme-msa' is used more than once"),
        (
            (contract(clauses=[clause()]), contract("beta-dpa", clauses=[clause()])),
            "clause id 'acme-9-2' is used more than once",
        ),
        ((contract(clauses=[clause(), clause()]),), "clause id 'acme-9-2'"),
    ],
)
def test_ids_are_unique_within_the_facts(contracts, message):
    org = Organization("DE", "Europe/Berlin")
    with pytest.raises(ValueError, match=message):
        Facts(org, contracts=contracts)


def test_facts_keep_contracts_as_a_tuple_and_default_to_none():
    org = Organization("DE", "Europe/Berlin")
    assert Facts(org).contracts == ()
    assert Facts(org, contracts=[contract()]).contracts == (contract(),)
    with pytest.raises(TypeError, match="contracts"):
        Facts(org, contracts=[{"id": "acme-msa"}])


def test_contracts_and_clauses_are_frozen_and_hashable():
    made = contract(clauses=[clause()])
    with pytest.raises(FrozenInstanceError):
        made.party = "Someone else"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        made.clauses[0].period.amount = 48  # type: ignore[misc]
    assert hash(Facts(Organization("DE", "Europe/Berlin"), contracts=[made]))


@pytest.mark.parametrize(
    ("trigger", "period", "words"),
    [
        ("awareness", ("hours", 24), "24 hours from awareness"),
        ("awareness", ("hours", 1), "1 hour from awareness"),
        ("confirmation", ("calendar_days", 30), "30 calendar days from confirmation"),
        ("suspicion", ("business_days", 1), "1 business day from suspicion"),
        ("awareness", ("business_hours", 48), "48 business hours from awareness"),
        ("suspicion", ("without_undue_delay",), "without undue delay after suspicion"),
    ],
)
def test_a_clause_describes_its_clock_in_words(trigger, period, words):
    assert clause(trigger=trigger, period=ClausePeriod(*period)).describe() == words


def test_a_contract_cites_its_clause_and_names_the_recipient():
    made = contract(title="Master Services Agreement 2025")
    plain, reached = clause(), clause(recipient_contact="security@acme.example")
    assert made.citation(plain) == (
        "Master Services Agreement 2025 (Acme AI), Clause 9.2: 24 hours from awareness"
    )
    assert made.recipient(plain) == "Acme AI"
    assert made.recipient(reached) == "Acme AI (security@acme.example)"


def test_presets_offer_the_common_clauses_for_a_form():
    assert preset_choices() == [
        ("24_hours", "24 hours from awareness"),
        ("48_business_hours", "48 business hours from awareness"),
        ("72_hours", "72 hours from awareness"),
        ("5_business_days", "5 business days from awareness"),
        ("without_undue_delay", "without undue delay after awareness"),
    ]
    built = PRESETS["48_business_hours"].clause("acme-9-3", "Clause 9.3", language="en")
    assert built.period == ClausePeriod(Unit.BUSINESS_HOURS, 48)
    assert (built.trigger, built.direction, built.language) == ("awareness", "outbound", "en")
    with pytest.raises(TypeError):
        PRESETS["extra"] = PRESETS["72_hours"]  # type: ignore[index]


def test_a_state_calendar_is_the_states_own_as_the_holidays_package_knows_it():
    california, federal = clock.public_holidays("US-CA", 2026), clock.public_holidays("US", 2026)
    assert date(2026, 3, 31) in california - federal  # Cesar Chavez Day
    assert date(2026, 11, 27) in california - federal  # the day after Thanksgiving
    assert date(2026, 11, 26) in california & federal  # Thanksgiving
    assert date(2026, 10, 12) in federal - california  # Columbus Day is not a state holiday


def test_an_unknown_subdivision_has_the_national_calendar_and_an_unknown_country_none():
    assert clock.public_holidays("US-ZZ", 2026) == clock.public_holidays("US", 2026)
    assert clock.public_holidays("ZZ", 2026) == frozenset()
    assert clock.is_working_day(date(2026, 3, 17), "DE")
    assert not clock.is_working_day(date(2026, 3, 17), "IE")  # St Patrick's Day


ZONES = [ZoneInfo(name) for name in ("Europe/Berlin", "Europe/Dublin", "America/New_York")]
CALENDARS = ["DE", "IE", "US", "US-CA", "GB", "ZZ"]
anchors = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2035, 12, 31),
    timezones=st.sampled_from(ZONES),
    allow_imaginary=False,
)
PROPERTY = settings(max_examples=200, deadline=None, database=None)


@PROPERTY
@given(anchor=anchors, days=st.integers(1, 30), calendar=st.sampled_from(CALENDARS))
def test_working_days_end_on_working_day_n_at_the_anchors_clock_time(anchor, days, calendar):
    zone = anchor.tzinfo
    due = clock.add_working_days(anchor, days, zone, calendar)
    start, end = clock.local_wall(anchor, zone), clock.local_wall(due, zone)
    between = [
        start.date() + timedelta(days=i) for i in range(1, (end.date() - start.date()).days + 1)
    ]
    assert clock.is_working_day(end.date(), calendar)
    assert sum(clock.is_working_day(day, calendar) for day in between) == days
    assert end.time() == start.time() or due.utcoffset() != anchor.utcoffset()


@PROPERTY
@given(anchor=anchors, hours=st.integers(1, 200), calendar=st.sampled_from(CALENDARS))
def test_working_hours_never_end_sooner_than_elapsed_hours_and_grow_with_the_count(
    anchor, hours, calendar
):
    zone = anchor.tzinfo
    due = clock.add_working_hours(anchor, hours, zone, calendar)
    assert due >= clock.add_hours(anchor, hours) - timedelta(hours=1)  # a DST hour at most
    assert clock.add_working_hours(anchor, hours + 1, zone, calendar) > due
    end = clock.local_wall(due, zone)
    on_working_day = clock.is_working_day(end.date(), calendar)
    assert on_working_day or end.time() == datetime.min.time()
