"""parse_facts: the facts document of DESIGN section 6 in, Facts out, one clear error otherwise."""

import copy
import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incident_tracker.core.engine import compute
from incident_tracker.core.facts import DoraEntity, GdprRisk, GdprRole, Nis2Status
from incident_tracker.facts.document import FactsError, parse_facts

at = datetime.fromisoformat
MINIMAL = {"organization": {"country": "DE", "timezone": "Europe/Berlin"}}
DESIGN_EXAMPLE = json.loads((Path(__file__).parent / "design_example.json").read_text())


def with_changes(base, path, value):
    """Return a deep copy of a document with one dotted path set (or removed for ...)."""
    document = copy.deepcopy(base)
    *parents, last = path.split("/")
    target = document
    for key in parents:
        target = target[key]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return document


def test_the_design_example_parses_into_facts():
    facts = parse_facts(DESIGN_EXAMPLE)
    org = facts.organization
    assert (org.country, org.timezone, org.eu_main_establishment) == ("DE", "Europe/Berlin", "DE")
    assert (org.gdpr_role, org.nis2, org.dora) == (GdprRole.CONTROLLER, Nis2Status.ESSENTIAL, None)
    assert facts.gdpr_risk is GdprRisk.HIGH and facts.personal_data_breach
    assert facts.aware_at == at("2026-03-27T17:30:00+01:00")
    assert dict(facts.affected) == {"DE": 1200, "FR": 40, "US-CA": 610}
    assert dict(facts.submissions) == {
        "nis2.incident_notification": (at("2026-03-29T10:00:00+02:00"),),
        "gdpr.sa_notification:DE": (at("2026-03-29T11:00:00+02:00"),),
        "dora.intermediate_report": (at("2026-04-02T09:00:00+00:00"),),
    }


def test_only_country_and_timezone_are_required():
    facts = parse_facts(MINIMAL)
    assert facts.organization.gdpr_role is None and not facts.organization.sec_registrant
    assert (facts.personal_data_breach, facts.aware_at, dict(facts.affected)) == (False, None, {})


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("organization/dora", "credit_institution", DoraEntity.CREDIT_INSTITUTION),
        ("aware_at", "2026-03-27T16:30:00Z", at("2026-03-27T16:30:00+00:00")),
        ("aware_at", "2026-03-27T16:30:00.250+00:00", at("2026-03-27T16:30:00.250+00:00")),
        ("personal_data_breach", None, False),
        ("submissions", {"gdpr.data_subject_notice:EU": []}, {"gdpr.data_subject_notice:EU": ()}),
        ("submissions", {"hipaa.media_notice:US-NY": None}, {"hipaa.media_notice:US-NY": ()}),
        ("affected", {"US-DC": 3, "US-PR": 0, "GR": 1}, {"US-DC": 3, "US-PR": 0, "GR": 1}),
    ],
)
def test_accepted_values(path, value, expected):
    facts = parse_facts(with_changes(MINIMAL, path, value))
    top = path.split("/")
    found = getattr(facts.organization if top[0] == "organization" else facts, top[-1])
    assert (dict(found) if isinstance(expected, dict) else found) == expected


BAD = [
    # (path to change, new value or ... to delete, expected error text)
    ("organization", ..., "organization: required"),
    ("organization/country", ..., "organization.country: required"),
    ("organization/timezone", ..., "organization.timezone: required"),
    ("organization", "DE", "organization: expected a JSON object"),
    (
        "organization/country",
        "UK",
        "organization.country: 'UK' is not an ISO 3166-1 code; use 'GB'",
    ),
    (
        "organization/country",
        "EL",
        "organization.country: 'EL' is not an ISO 3166-1 code; use 'GR'",
    ),
    ("organization/country", "XX", "organization.country: 'XX' is not an ISO 3166-1"),
    ("organization/country", 276, "organization.country: expected a code"),
    (
        "organization/timezone",
        "Europe/Berln",
        'organization.timezone: "Europe/Berln" is not an IANA timezone; '
        'did you mean "Europe/Berlin"?',
    ),
    ("organization/timezone", "localtime", 'organization.timezone: "localtime" is not an IANA'),
    ("organization/timezone", "+01:00", 'organization.timezone: "+01:00" is not an IANA'),
    (
        "organization/eu_main_establishment",
        "GB",
        'organization.eu_main_establishment: "GB" is not an EU/EEA country',
    ),
    (
        "organization/gdpr_role",
        "owner",
        'organization.gdpr_role: "owner" is not one of controller, joint_controller, processor',
    ),
    ("organization/nis2", "yes", 'organization.nis2: "yes" is not one of essential, important'),
    (
        "organization/dora",
        "bank",
        'organization.dora: "bank" is not one of credit_institution, '
        "central_counterparty, trading_venue, other",
    ),
    ("organization/hipaa", True, "organization.hipaa: true is not one of covered_entity"),
    (
        "organization/sec_registrant",
        "true",
        'organization.sec_registrant: expected true or false, got "true"',
    ),
    (
        "organization/nis2_status",
        "essential",
        'organization.nis2_status: unknown field; did you mean "nis2"?',
    ),
    ("aware", "2026-03-27T17:30:00+01:00", 'aware: unknown field; did you mean "aware_at"?'),
    ("gdpr_risk", "medium", 'gdpr_risk: "medium" is not one of unlikely, risk, high'),
    ("personal_data_breach", 1, "personal_data_breach: expected true or false, got 1"),
    (
        "aware_at",
        "2026-03-27T17:30:00",
        'aware_at: naive timestamp "2026-03-27T17:30:00"; add an offset such as +01:00 or Z',
    ),
    ("aware_at", "2026-03-27", 'aware_at: "2026-03-27" has no time of day'),
    ("discovered_at", "yesterday", 'discovered_at: "yesterday" is not an ISO 8601 date-time'),
    ("discovered_at", "2026-02-30T10:00:00Z", 'discovered_at: "2026-02-30T10:00:00Z" is not an'),
    (
        "aware_at",
        "9999-12-31T23:00:00Z",
        'aware_at: "9999-12-31T23:00:00Z" is outside the years 1970 to 2999',
    ),
    ("aware_at", "0001-01-01T00:30:00+01:00", 'aware_at: "0001-01-01T00:30:00+01:00" is outside'),
    ("breach_determined_at", 1711557000, "breach_determined_at: expected an ISO 8601 date-time"),
    ("affected", ["DE"], "affected: expected a JSON object"),
    ("affected", {"US-ZZ": 1}, "affected.US-ZZ: 'US-ZZ' is not a US state, DC or territory code"),
    ("affected", {"UK": 1}, "affected.UK: 'UK' is not an ISO 3166-1 code; use 'GB'"),
    ("affected", {"DE": -1}, "affected.DE: count must not be negative, got -1"),
    ("affected", {"DE": 1.5}, "affected.DE: expected a whole number of people, got 1.5"),
    ("affected", {"DE": "3"}, 'affected.DE: expected a whole number of people, got "3"'),
    ("affected", {"DE": True}, "affected.DE: expected a whole number of people, got true"),
    ("affected", {"DE": None}, "affected.DE: expected a whole number of people, got null"),
    ("affected", {"de": 1, "DE": 2}, "affected.DE: DE is given twice"),
    (
        "submissions",
        {"gdpr.sa_notice": "2026-03-29T11:00:00Z"},
        'submissions.gdpr.sa_notice: unknown obligation id; did you mean "gdpr.sa_notification"?',
    ),
    (
        "submissions",
        {"us-nj.individual_notice": "2026-03-29T11:00:00Z"},
        "submissions.us-nj.individual_notice: US-NJ is not in the US state catalogue",
    ),
    (
        "submissions",
        {"gdpr.sa_notification:UK": "2026-03-29T11:00:00Z"},
        "submissions.gdpr.sa_notification:UK: 'UK' is not an ISO 3166-1 code; use 'GB'",
    ),
    (
        "submissions",
        {"nis2.early_warning": "2026-03-29T11:00:00"},
        'submissions.nis2.early_warning: naive timestamp "2026-03-29T11:00:00"',
    ),
    (
        "submissions",
        {"dora.intermediate_report": ["2026-04-02T09:00:00Z", "soon"]},
        'submissions.dora.intermediate_report[1]: "soon" is not an ISO 8601 date-time',
    ),
    (
        "submissions",
        {"dora.intermediate_report": [None]},
        "submissions.dora.intermediate_report[0]: expected a date-time, got null",
    ),
    ("submissions", {"sec.form_8k": 5}, "submissions.sec.form_8k: expected an ISO 8601 date-time"),
]


@pytest.mark.parametrize(("path", "value", "expected"), BAD, ids=[row[2][:60] for row in BAD])
def test_bad_documents_raise_one_line_naming_the_field(path, value, expected):
    with pytest.raises(FactsError) as caught:
        parse_facts(with_changes(MINIMAL, path, value))
    text = str(caught.value)
    assert text.startswith(expected)
    assert "\n" not in text
    assert text.startswith(f"{caught.value.field}: ")


def test_a_key_with_a_line_break_still_gives_one_line():
    with pytest.raises(FactsError) as caught:
        parse_facts({**MINIMAL, "aware\nat": "x"})
    assert str(caught.value) == 'aware\\nat: unknown field; did you mean "aware_at"?'


@pytest.mark.parametrize("document", [[], "facts", None, 3])
def test_a_document_must_be_an_object(document):
    with pytest.raises(FactsError, match="^document: expected a JSON object"):
        parse_facts(document)


PLAUSIBLE = st.sampled_from(
    [
        "2026-03-27T17:30:00+01:00",
        "2026-03-27T17:30:00",
        "2026-03-27",
        "9999-12-31T23:59:59Z",
        "DE",
        "GB",
        "UK",
        "US-CA",
        "US-ZZ",
        "controller",
        "processor",
        "high",
        "essential",
        "other",
        "covered_entity",
        "Europe/Berlin",
        "gdpr.sa_notification",
        "us-ca.individual_notice",
    ]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 2000) | st.floats(allow_nan=False) | PLAUSIBLE,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(PLAUSIBLE, inner, max_size=3),
    max_leaves=8,
)
organizations = st.fixed_dictionaries(
    {
        "country": st.sampled_from(["DE", "US", "GB", "CZ", "uk"]),
        "timezone": st.sampled_from(["Europe/Berlin", "America/New_York", "Nowhere/City"]),
    },
    optional={
        name: json_values
        for name in (
            "gdpr_role",
            "nis2",
            "dora",
            "hipaa",
            "eu_main_establishment",
            "sec_registrant",
        )
    },
)
documents = st.fixed_dictionaries(
    {"organization": organizations},
    optional={
        "personal_data_breach": st.booleans(),
        "phi_breach": st.booleans() | json_values,
        "gdpr_risk": json_values,
        "aware_at": json_values,
        "discovered_at": json_values,
        "affected": st.dictionaries(PLAUSIBLE, json_values, max_size=3) | json_values,
        "submissions": st.dictionaries(PLAUSIBLE, json_values, max_size=3) | json_values,
    },
)


@settings(max_examples=300, deadline=None, database=None)
@given(document=documents)
def test_any_document_either_parses_and_computes_or_raises_a_facts_error(document):
    try:
        facts = parse_facts(document)
    except FactsError as error:
        assert "\n" not in str(error) and str(error).startswith(f"{error.field}: ")
        return
    compute(facts)
