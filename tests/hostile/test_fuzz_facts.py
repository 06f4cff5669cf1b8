"""Fuzzing the facts document: `parse_facts` and the `deadlines` command never crash.

`parse_facts` returns Facts or raises FactsError, nothing else. The command exits 0 with a valid
{"obligations": [...]} document on standard output and nothing on standard error, or exits 2 with
exactly one line on standard error and nothing on standard output; never a traceback.
"""

import copy
import json
import math
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from incident_tracker.core.engine import compute
from incident_tracker.facts.document import FactsError, deadlines, parse_facts

DESIGN = json.loads((Path(__file__).parents[1] / "facts" / "design_example.json").read_text())
OBLIGATION_KEYS = ["id", "jurisdiction", "recipient", "due_at", "status", "basis", "anchor"]
STATUSES = {"open", "awaiting_anchor", "no_fixed_deadline", "submitted"}

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ODD_STRINGS = st.sampled_from(
    [
        "",
        " ",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "null",
        "true",
        "2026-03-27T17:30:00",  # naive
        "2026-03-27",
        "2026-03-27T17:30:00+01:00",
        "2026-03-27T17:30:00Z",
        "2026-03-27 17:30:00+01:00",
        "2026-03-27T17:30:00+24:00",
        "2026-03-27T17:30:00-23:59",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "1969-12-31T23:59:59Z",
        "1970-01-01T00:00:00+23:59",
        "2999-12-31T23:59:59-23:59",
        "3000-01-01T00:00:00Z",
        "2026-02-30T10:00:00Z",
        "２０２６-０３-２７T17:30:00+01:00",
        "2026-03-27T17:30:00.123456789+01:00",
        "DE",
        "de",
        "UK",
        "EL",
        "EU",
        "US-CA",
        "us-ca",
        "US-ZZ",
        "XX",
        "Europe/Berlin",
        "Factory",
        "localtime",
        "posixrules",
        "right/UTC",
        "../../etc/passwd",
        "controller",
        "essential",
        "high",
        "gdpr.sa_notification",
        "gdpr.sa_notification:DE",
        "gdpr.sa_notification:EU",
        "us-zz.individual_notice",
        "a\nb",
        "\x00",
        "\u202e",
        "😀",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(10**40), 10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    ODD_STRINGS,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=10) | ODD_STRINGS, inner, max_size=4)
    ),
    max_leaves=12,
)

# Where a mutation may land: the top level, the organization, the counts, the submissions.
PLACES = [(), ("organization",), ("affected",), ("submissions",)]
KEYS = st.one_of(
    st.sampled_from(
        sorted(
            set(DESIGN)
            | set(DESIGN["organization"])
            | set(DESIGN["affected"])
            | set(DESIGN["submissions"])
        )
    ),
    st.text(max_size=12),
    ODD_STRINGS,
)
MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["replace", "delete", "add"]), st.sampled_from(PLACES), KEYS, JSON_VALUES
    ),
    min_size=1,
    max_size=5,
)


def mutate(document: dict, mutations) -> dict:
    document = copy.deepcopy(document)
    for action, place, key, value in mutations:
        target = document
        for step in place:
            target = target.get(step) if isinstance(target, dict) else None
        if not isinstance(target, dict):
            continue
        if action == "delete":
            existing = sorted(target) or [key]
            target.pop(existing[len(str(key)) % len(existing)], None)
        elif action == "replace" and target:
            target[sorted(target)[len(str(key)) % len(target)]] = value
        else:
            target[key] = value
    return document


def check_parse(document: object) -> None:
    """parse_facts raises only FactsError (one line, naming the field) or returns Facts."""
    try:
        facts = parse_facts(document)
    except FactsError as error:
        event("FactsError")
        text = str(error)
        assert "\n" not in text and "\r" not in text, text
        assert text.startswith(f"{error.field}: "), text
        return
    compute(facts)  # what parses also computes


def run(stdin: str | bytes):
    return CliRunner().invoke(deadlines, ["-"], input=stdin)


def check_command(stdin: str | bytes) -> None:
    result = run(stdin)
    event(f"exit {result.exit_code}")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}"
    )
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
    if result.exit_code == 0:
        assert result.stderr == ""
        output = json.loads(result.stdout)
        assert list(output) == ["obligations"] and isinstance(output["obligations"], list)
        for item in output["obligations"]:
            assert list(item) == OBLIGATION_KEYS, item
            assert item["status"] in STATUSES, item
            assert item["due_at"] is None or item["due_at"][-6] in "+-", item
    else:
        assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
        assert result.stdout == ""
        assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith("error: "), result.stderr


def dumps(document) -> str:
    return json.dumps(document, ensure_ascii=False)


@FUZZ
@given(document=JSON_VALUES)
def test_parse_facts_on_arbitrary_json(document):
    check_parse(document)


@FUZZ
@given(mutations=MUTATIONS)
def test_parse_facts_on_mutated_design_example(mutations):
    check_parse(mutate(DESIGN, mutations))


@settings(FUZZ, max_examples=100)
@given(document=JSON_VALUES)
def test_deadlines_command_on_arbitrary_json(document):
    check_command(dumps(document))


@settings(FUZZ, max_examples=100)
@given(mutations=MUTATIONS)
@example(mutations=[("replace", ("organization",), "country", "GB")])
@example(mutations=[("add", (), "aware_at", "2026-03-27T17:30:00")])
@example(mutations=[("add", ("affected",), "DE", 10**400)])
def test_deadlines_command_on_mutated_design_example(mutations):
    check_command(dumps(mutate(DESIGN, mutations)))


@settings(FUZZ, max_examples=100)
@given(
    text=st.one_of(
        st.text(max_size=200),
        st.builds(lambda cut: dumps(DESIGN)[:cut], st.integers(0, 900)),
        st.sampled_from(
            [
                "",
                "\ufeff" + dumps(DESIGN),
                "NaN",
                '{"organization": NaN}',
                '{"organization": {"country": "DE", "timezone": "Europe/Berlin"}, "a": Infinity}',
                '{"organization": 1, "organization": 2}',
                "[" * 100_000,
                '{"affected": {"DE": ' + "9" * 5000 + "}}",
                '{"affected": {"DE": 1e400}}',
                dumps(DESIGN).replace("+01:00", ""),
                dumps(DESIGN).replace("2026", "9999"),
            ]
        ),
    )
)
def test_deadlines_command_on_arbitrary_text(text):
    check_command(text)


@settings(FUZZ, max_examples=60)
@given(
    data=st.binary(max_size=300) | st.builds(lambda b: dumps(DESIGN).encode("utf-16"), st.none())
)
def test_deadlines_command_on_arbitrary_bytes(data):
    check_command(data)


def test_nan_and_infinite_numbers_are_refused_as_not_json():
    for number in (math.nan, math.inf, -math.inf):
        result = run(json.dumps({**DESIGN, "affected": {"DE": number}}))
        assert result.exit_code == 2 and "not JSON" in result.stderr, result.stderr
