"""Contract clauses in the engine: which clauses owe a notice, and their status, like any rule."""

from datetime import datetime

import pytest

from incident_tracker.core.contracts import Clause, ClausePeriod, Contract
from incident_tracker.core.engine import MissingFact, compute
from incident_tracker.core.regimes import OBLIGATION_IDS, REGIME_NAMES, TITLES
from incident_tracker.core.rules import Status

at = datetime.fromisoformat
AWARE = "2026-03-10T09:00:00+01:00"  # a Tuesday in Berlin
MSA = "Master Services Agreement 2025"


def clause(clause_id, period=("hours", 24), **details):
    reference = f"Clause {clause_id.rsplit('-', 1)[-1]}"
    return Clause(clause_id, reference, "awareness", ClausePeriod(*period), **details)


def acme(*clauses, law="IE"):
    return Contract("acme-msa", "Acme AI", MSA, law, clauses)


def obligations(make_facts, *contracts, **facts):
    facts.setdefault("aware_at", AWARE)
    return compute(make_facts(contracts=contracts, **facts)).obligations


def test_an_outbound_clause_is_an_obligation_citing_its_contract_and_clause(make_facts):
    contact = "security@acme.example"
    (notice,) = obligations(make_facts, acme(clause("acme-9", recipient_contact=contact)))
    assert notice.id == "contract.acme-9"
    assert (notice.jurisdiction, notice.regime) == ("IE", "contract")
    assert notice.title == "Contractual notice to Acme AI"
    assert notice.recipient == "Acme AI (security@acme.example)"
    assert notice.basis == f"{MSA} (Acme AI), Clause 9: 24 hours from awareness"
    assert (notice.anchor, notice.anchor_at) == ("aware_at", at(AWARE))
    assert (notice.due_at, notice.status) == (at("2026-03-11T09:00:00+01:00"), Status.OPEN)
    assert (notice.starts_when, notice.submitted_at, notice.relief) == (None, None, None)


def test_an_inbound_clause_owes_nothing(make_facts):
    inbound = clause("acme-12", period=("hours", 72), direction="inbound")
    assert obligations(make_facts, acme(inbound)) == ()


@pytest.mark.parametrize(
    ("personal_data_breach", "expected"),
    [(False, ["contract.acme-1"]), (True, ["contract.acme-1", "contract.acme-2"])],
)
def test_a_personal_data_clause_applies_only_to_a_personal_data_breach(
    make_facts, personal_data_breach, expected
):
    contract = acme(clause("acme-1"), clause("acme-2", applies_to="personal_data_breach"))
    owed = obligations(make_facts, contract, personal_data_breach=personal_data_breach)
    assert [notice.id for notice in owed if notice.regime == "contract"] == expected


def test_without_an_anchor_fact_the_notice_awaits_it_and_the_fact_is_missing(make_facts):
    result = compute(make_facts(contracts=(acme(clause("acme-9")),)))
    (notice,) = result.obligations
    assert (notice.status, notice.due_at, notice.anchor) == (
        Status.AWAITING_ANCHOR,
        None,
        "aware_at",
    )
    assert notice.starts_when == "starts when the awareness time is recorded"
    assert result.missing == (
        MissingFact("aware_at", "contract.acme-9", "needed by contract.acme-9: record the "
                    "awareness time"),
    )  # fmt: skip


def test_without_undue_delay_has_no_fixed_deadline_and_needs_no_fact(make_facts):
    result = compute(
        make_facts(contracts=(acme(clause("acme-9", period=("without_undue_delay",))),))
    )
    (notice,) = result.obligations
    assert (notice.status, notice.due_at, result.missing) == (Status.NO_FIXED_DEADLINE, None, ())
    assert notice.basis.endswith("Clause 9: without undue delay after awareness")


@pytest.mark.parametrize("key", ["contract.acme-9", "contract.acme-9:IE"])
def test_a_submission_marks_the_notice_submitted_and_keeps_its_due_at(make_facts, key):
    (notice,) = obligations(
        make_facts, acme(clause("acme-9")), submissions={key: at("2026-03-12T10:00:00+01:00")}
    )
    assert notice.status is Status.SUBMITTED
    assert notice.due_at == at("2026-03-11T09:00:00+01:00")
    assert notice.submitted_at == at("2026-03-12T09:00:00+00:00")


def test_contract_notices_sort_with_the_statutory_ones_soonest_first(make_facts):
    contracts = (
        acme(clause("acme-1", period=("hours", 24)), clause("acme-5", period=("hours", 96))),
        Contract(
            "beta-dpa",
            "Beta Labs",
            "Data Processing Agreement",
            "US-CA",
            (clause("beta-1", period=("without_undue_delay",)),),
        ),
    )
    owed = obligations(
        make_facts,
        *contracts,
        org={"gdpr_role": "controller"},
        personal_data_breach=True,
        gdpr_risk="risk",
        affected={"DE": 10},
    )
    assert [(notice.id, notice.jurisdiction) for notice in owed] == [
        ("contract.acme-1", "IE"),
        ("gdpr.sa_notification", "DE"),
        ("contract.acme-5", "IE"),
        ("contract.beta-1", "US-CA"),
    ]


def test_braces_in_a_party_name_are_kept_as_written(make_facts):
    contract = Contract("odd", "Odd {Jurisdiction} Ltd", "MSA", "GB", (clause("odd-1"),))
    (notice,) = obligations(make_facts, contract)
    assert notice.recipient == "Odd {Jurisdiction} Ltd"


def test_contracts_are_a_named_regime_outside_the_statutory_catalogue():
    assert REGIME_NAMES["contract"] == "Contracts"
    assert not any(name.startswith("contract.") for name in OBLIGATION_IDS | TITLES.keys())


def test_facts_without_contracts_owe_what_they_owed_before(make_facts):
    facts = make_facts({"gdpr_role": "controller"}, personal_data_breach=True, aware_at=at(AWARE))
    assert [notice.id for notice in compute(facts).obligations] == ["gdpr.sa_notification"]
