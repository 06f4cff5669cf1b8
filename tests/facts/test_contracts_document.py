"""The facts document's optional `contracts` list, through `incident-tracker deadlines`.

Deadlines are hand-computed; bad contracts exit with status 2 and one line naming the field path.
"""

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incident_tracker.facts.document import FactsError, deadlines, parse_facts

KEYS = ["id", "jurisdiction", "recipient", "due_at", "status", "basis", "anchor"]
DESIGN = json.loads((Path(__file__).parent / "design_example.json").read_text())
MSA = "Master Services Agreement 2025 (Acme AI)"
DPA = "Data Processing Addendum (Beta Labs)"
# An AI-data vendor in Los Angeles learns of the breach on Friday 27 March 2026 at 17:30 PDT;
# its logs show the first sign on Thursday at 22:00 PDT.
VENDOR = {
    "organization": {"country": "US", "timezone": "America/Los_Angeles"},
    "aware_at": "2026-03-27T17:30:00-07:00",
    "discovered_at": "2026-03-26T22:00:00-07:00",
    "contracts": [
        {
            "id": "acme-msa",
            "party": "Acme AI",
            "title": "Master Services Agreement 2025",
            "governing_law": "IE",
            "clauses": [
                {
                    "id": "acme-msa-9-2",
                    "reference": "Clause 9.2",
                    "direction": "outbound",
                    "trigger": "awareness",
                    "period": {"kind": "hours", "amount": 24},
                    "applies_to": "security_incident",
                    "content": "Nature of the incident, data and systems affected, contact point",
                    "channel": "e-mail",
                    "recipient_contact": "security@acme.example",
                    "language": "en",
                },
                {
                    "id": "acme-msa-9-4",
                    "reference": "Clause 9.4",
                    "trigger": "awareness",
                    "period": {"kind": "business_hours", "amount": 48},
                    "applies_to": "personal_data_breach",
                },
                {
                    "id": "acme-msa-12-1",
                    "reference": "Clause 12.1",
                    "direction": "inbound",
                    "trigger": "awareness",
                    "period": {"kind": "hours", "amount": 72},
                },
            ],
        },
        {
            "id": "beta-dpa",
            "party": "Beta Labs",
            "title": "Data Processing Addendum",
            "governing_law": "US-CA",
            "clauses": [
                {
                    "id": "beta-dpa-7",
                    "reference": "Section 7(a)",
                    "trigger": "suspicion",
                    "period": {"kind": "business_days", "amount": 3},
                },
                {
                    "id": "beta-dpa-8",
                    "reference": "Section 8",
                    "trigger": "confirmation",
                    "period": {"kind": "without_undue_delay"},
                },
            ],
        },
    ],
}
VENDOR_OBLIGATIONS = [
    # aware Friday 17:30 PDT + 24 elapsed hours
    {
        "id": "contract.acme-msa-9-2",
        "jurisdiction": "IE",
        "recipient": "Acme AI (security@acme.example)",
        "due_at": "2026-03-28T17:30:00-07:00",
        "status": "open",
        "basis": f"{MSA}, Clause 9.2: 24 hours from awareness",
        "anchor": "aware_at",
    },
    # suspected Thursday 26 March: Fri 27 (1), Mon 30 (2), Tue 31 is Cesar Chavez Day in
    # California, Wed 1 April (3), at the anchor's clock time
    {
        "id": "contract.beta-dpa-7",
        "jurisdiction": "US-CA",
        "recipient": "Beta Labs",
        "due_at": "2026-04-01T22:00:00-07:00",
        "status": "open",
        "basis": f"{DPA}, Section 7(a): 3 business days from suspicion",
        "anchor": "discovered_at",
    },
    # not yet confirmed: counted from awareness, the earlier reading
    {
        "id": "contract.beta-dpa-8",
        "jurisdiction": "US-CA",
        "recipient": "Beta Labs",
        "due_at": None,
        "status": "no_fixed_deadline",
        "basis": f"{DPA}, Section 8: without undue delay after confirmation",
        "anchor": "aware_at",
    },
]


def run(document):
    text = document if isinstance(document, str) else json.dumps(document)
    return CliRunner().invoke(deadlines, ["-"], input=text)


def obligations(document):
    result = run(document)
    assert (result.exit_code, result.stderr, result.exception) == (0, "", None), result.stderr
    rows = json.loads(result.stdout)["obligations"]
    assert all(list(row) == KEYS for row in rows)
    return rows


def vendor(**changes):
    """The vendor document with changes at dotted paths ("contracts.0.clauses.1.id")."""
    document = copy.deepcopy(VENDOR)
    for path, value in changes.items():
        *parents, last = path.split(".")
        target = document
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        target[int(last) if isinstance(target, list) else last] = value
    return document


def test_the_vendor_owes_its_customers_the_notices_their_contracts_set():
    assert obligations(VENDOR) == VENDOR_OBLIGATIONS


def test_a_personal_data_breach_adds_the_clauses_limited_to_personal_data():
    rows = obligations(vendor(personal_data_breach=True))
    (clause,) = [row for row in rows if row["id"] == "contract.acme-msa-9-4"]
    # Friday 17:30 PDT: Friday 6.5 h, Monday 24 h, Tuesday 17.5 h (Irish calendar: no holiday)
    assert (clause["due_at"], clause["status"]) == ("2026-03-31T17:30:00-07:00", "open")
    assert clause["basis"] == f"{MSA}, Clause 9.4: 48 business hours from awareness"


def test_a_recorded_confirmation_anchors_the_confirmation_clause():
    rows = obligations(vendor(breach_determined_at="2026-03-30T09:00:00-07:00"))
    (clause,) = [row for row in rows if row["id"] == "contract.beta-dpa-8"]
    assert clause["anchor"] == "breach_determined_at"


def test_the_design_example_with_contracts_keeps_every_statutory_obligation():
    plain = obligations(DESIGN)
    with_contracts = obligations({**DESIGN, "contracts": VENDOR["contracts"]})
    statutory = [row for row in with_contracts if not row["id"].startswith("contract.")]
    assert statutory == plain
    added = {row["id"] for row in with_contracts} - {row["id"] for row in plain}
    assert added == {
        "contract.acme-msa-9-2",
        "contract.acme-msa-9-4",
        "contract.beta-dpa-7",
        "contract.beta-dpa-8",
    }


@pytest.mark.parametrize(
    "contracts",
    [[], None, [{"id": "empty", "party": "P", "title": "T", "governing_law": "FR"}]],
)
def test_no_contracts_or_no_clauses_owe_nothing(contracts):
    document = {"organization": VENDOR["organization"], "contracts": contracts}
    assert obligations(document) == []


@pytest.mark.parametrize("key", ["contract.acme-msa-9-2", "contract.acme-msa-9-2:IE"])
def test_a_contract_notice_is_submitted_by_its_obligation_id(key):
    rows = obligations(vendor(submissions={key: "2026-03-28T08:00:00-07:00"}))
    assert (rows[0]["id"], rows[0]["status"]) == ("contract.acme-msa-9-2", "submitted")
    assert rows[0]["due_at"] == "2026-03-28T17:30:00-07:00"


def test_lower_case_governing_law_is_read_as_its_code():
    rows = obligations(vendor(**{"contracts.1.governing_law": "us-ca"}))
    assert rows[1]["jurisdiction"] == "US-CA"


CLAUSE = "contracts.0.clauses.0"
PERIOD = f"{CLAUSE}.period"


def bad(name, document, line):
    return pytest.param(document, line, id=name)


ERRORS = [
    bad(
        "a zero amount",
        vendor(**{f"{PERIOD}.amount": 0}),
        "contracts[0].clauses[0].period.amount: expected a whole number from 1 to 9999, got 0",
    ),
    bad(
        "a negative amount",
        vendor(**{f"{PERIOD}.amount": -24}),
        "contracts[0].clauses[0].period.amount: expected a whole number from 1 to 9999, got -24",
    ),
    bad(
        "a fractional amount",
        vendor(**{f"{PERIOD}.amount": 1.5}),
        "contracts[0].clauses[0].period.amount: expected a whole number from 1 to 9999, got 1.5",
    ),
    bad(
        "a string amount",
        vendor(**{f"{PERIOD}.amount": "24"}),
        'contracts[0].clauses[0].period.amount: expected a whole number from 1 to 9999, got "24"',
    ),
    bad(
        "a missing amount",
        vendor(**{PERIOD: {"kind": "business_days"}}),
        "contracts[0].clauses[0].period.amount: expected a whole number from 1 to 9999, got null",
    ),
    bad(
        "an amount without undue delay",
        vendor(**{PERIOD: {"kind": "without_undue_delay", "amount": 24}}),
        "contracts[0].clauses[0].period.amount: must be null: without_undue_delay has no fixed "
        "period",
    ),
    bad(
        "an unknown period kind",
        vendor(**{f"{PERIOD}.kind": "weeks"}),
        'contracts[0].clauses[0].period.kind: "weeks" is not one of hours, calendar_days, '
        "business_days, business_hours, without_undue_delay",
    ),
    bad(
        "a period without a kind",
        vendor(**{PERIOD: {"amount": 24}}),
        "contracts[0].clauses[0].period.kind: required",
    ),
    bad(
        "an unknown period field",
        vendor(**{f"{PERIOD}.duration": "P1D"}),
        "contracts[0].clauses[0].period.duration: unknown field",
    ),
    bad(
        "a period that is not an object",
        vendor(**{PERIOD: "24 hours"}),
        'contracts[0].clauses[0].period: expected a JSON object, got "24 hours"',
    ),
    bad(
        "an unknown direction",
        vendor(**{f"{CLAUSE}.direction": "both"}),
        'contracts[0].clauses[0].direction: "both" is not one of outbound, inbound',
    ),
    bad(
        "an empty direction is not the default",
        vendor(**{f"{CLAUSE}.direction": ""}),
        'contracts[0].clauses[0].direction: "" is not one of outbound, inbound',
    ),
    bad(
        "an unknown trigger",
        vendor(**{f"{CLAUSE}.trigger": "rumour"}),
        'contracts[0].clauses[0].trigger: "rumour" is not one of awareness, confirmation, '
        "suspicion",
    ),
    bad(
        "an unknown scope",
        vendor(**{f"{CLAUSE}.applies_to": "outage"}),
        'contracts[0].clauses[0].applies_to: "outage" is not one of security_incident, '
        "personal_data_breach",
    ),
    bad(
        "a misspelt clause field",
        vendor(**{f"{CLAUSE}.recipient_contacts": "x"}),
        "contracts[0].clauses[0].recipient_contacts: unknown field; "
        'did you mean "recipient_contact"?',
    ),
    bad(
        "a clause without a reference",
        vendor(**{f"{CLAUSE}.reference": None}),
        "contracts[0].clauses[0].reference: required",
    ),
    bad(
        "a clause id that is not a slug",
        vendor(**{f"{CLAUSE}.id": "Clause 9.2"}),
        'contracts[0].clauses[0].id: "Clause 9.2" is not an id of lower-case letters, digits, '
        "- and _, at most 50 characters",
    ),
    bad(
        "a clause id used twice",
        vendor(**{"contracts.1.clauses.1.id": "acme-msa-9-2"}),
        'contracts[1].clauses[1].id: "acme-msa-9-2" is already the id of contracts[0].clauses[0]',
    ),
    bad(
        "a contract id used twice",
        vendor(**{"contracts.1.id": "acme-msa"}),
        'contracts[1].id: "acme-msa" is already the id of contracts[0]',
    ),
    bad(
        "an unknown governing law",
        vendor(**{"contracts.0.governing_law": "XX"}),
        "contracts[0].governing_law: 'XX' is not an ISO 3166-1 alpha-2 country code",
    ),
    bad(
        "UK as governing law",
        vendor(**{"contracts.0.governing_law": "UK"}),
        "contracts[0].governing_law: 'UK' is not an ISO 3166-1 code; use 'GB'",
    ),
    bad(
        "an unknown US state as governing law",
        vendor(**{"contracts.1.governing_law": "US-ZZ"}),
        "contracts[1].governing_law: 'US-ZZ' is not a US state, DC or territory code",
    ),
    bad(
        "a contract without a governing law",
        vendor(**{"contracts.1.governing_law": None}),
        "contracts[1].governing_law: required",
    ),
    bad(
        "an empty party",
        vendor(**{"contracts.0.party": " "}),
        'contracts[0].party: expected non-empty text, got " "',
    ),
    bad(
        "a party name too long for the obligation's citation",
        vendor(**{"contracts.0.party": "A" * 101}),
        "contracts[0].party: must be at most 100 characters long",
    ),
    bad(
        "an unknown contract field",
        vendor(**{"contracts.0.parties": []}),
        'contracts[0].parties: unknown field; did you mean "party"?',
    ),
    bad(
        "contracts that are not a list",
        vendor(contracts={"acme-msa": {}}),
        'contracts: expected a JSON list, got {"acme-msa": {}}',
    ),
    bad(
        "clauses that are not a list",
        vendor(**{"contracts.0.clauses": "all"}),
        'contracts[0].clauses: expected a JSON list, got "all"',
    ),
    bad(
        "a contract that is not an object",
        vendor(contracts=["acme-msa"]),
        'contracts[0]: expected a JSON object, got "acme-msa"',
    ),
    bad(
        "a submission for an unknown clause",
        vendor(submissions={"contract.acme-msa-9-9": "2026-03-28T08:00:00Z"}),
        'submissions.contract.acme-msa-9-9: no clause in contracts has the id "acme-msa-9-9"',
    ),
    bad(
        "a submission for an inbound clause",
        vendor(submissions={"contract.acme-msa-12-1": "2026-03-28T08:00:00Z"}),
        "submissions.contract.acme-msa-12-1: an inbound clause (the counterparty notifies us) has "
        "no notice to submit",
    ),
    bad(
        "a clause whose anchor fact is missing",
        vendor(aware_at=None, discovered_at=None),
        "aware_at: missing; needed by contract.acme-msa-9-2, contract.beta-dpa-7",
    ),
]


@pytest.mark.parametrize(("document", "line"), ERRORS)
def test_a_bad_contract_exits_2_with_one_line_naming_the_field_path(document, line):
    result = run(document)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: {line}\n"


contract_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-2, 10_001)
    | st.floats(allow_nan=False)
    | st.sampled_from(["", "IE", "US-CA", "uk", "hours", "business_hours", "x y", "awareness"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)
VALID_LAWS = ["IE", "DE", "us-ca", "US-CA", "GB", "FR", "US-NY"]
VALID_TRIGGERS = ["awareness", "confirmation", "suspicion"] * 3
periods = st.fixed_dictionaries(
    {"kind": st.sampled_from(["hours", "calendar_days", "business_days", "business_hours"])},
    optional={"amount": st.integers(-1, 10_001) | st.integers(1, 200) | contract_values},
) | st.sampled_from([{"kind": "without_undue_delay"}, {"kind": "weeks", "amount": 2}, "24h"])
clauses = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["a-1", "a-2", "b-1", "A 1"]),
        "reference": st.sampled_from(["Clause 1", "Clause 2", "Annex 3", "", None]),
        "trigger": st.sampled_from([*VALID_TRIGGERS, "rumour"]),
        "period": periods,
    },
    optional={
        "direction": st.sampled_from(["outbound", "inbound", "", None]),
        "applies_to": st.sampled_from(["security_incident", "personal_data_breach"]),
        "language": contract_values,
    },
)
contracts = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.sampled_from(["c-1", "c-2"]),
            "party": st.sampled_from(["Acme AI", "Beta {Labs}", "Gamma", ""]),
            "title": st.just("MSA"),
            "governing_law": st.sampled_from([*VALID_LAWS, "US-ZZ"]),
        },
        optional={"clauses": st.lists(clauses, max_size=3)},
    ),
    max_size=2,
)


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(contracts=contracts | contract_values)
def test_any_contracts_value_either_computes_or_exits_2_with_one_line(contracts):
    document = {**VENDOR, "contracts": contracts}
    try:
        parse_facts(document)
    except FactsError as error:
        assert "\n" not in str(error)
    result = run(document)
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.stdout == "" and result.stderr.count("\n") == 1
    else:
        assert all(list(row) == KEYS for row in json.loads(result.stdout)["obligations"])
