"""DORA major incidents: RTS 2024/1772 Art. 8 combination rule and Art. 9 thresholds."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from incident_tracker.core.dora_classification import ClientImpact, DoraFacts, classify
from incident_tracker.core.severity import Judgement

RTS = "Commission Delegated Regulation (EU) 2024/1772"
AT = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
SECOND, HOUR = timedelta(seconds=1), timedelta(hours=1)


def yes(why="judged so"):
    return Judgement(True, why)


def no(why="judged not"):
    return Judgement(False, why)


CRITICAL = {"critical_functions": yes("payment processing supports a critical function")}
# Two "other" thresholds, each met on its own: economic impact and geographical spread.
TWO_OTHERS = {"costs_and_losses_eur": Decimal(250_000), "member_states": {"DE", "FR"}}
ONE_OTHER = {"costs_and_losses_eur": Decimal(250_000)}
MALICIOUS = {"malicious_access": yes("attacker used stolen keys"), "data_loss_possible": yes()}


def threshold(name, **values):
    """Return the outcome of one Art. 9 threshold, found by its criterion name."""
    result = classify(DoraFacts(**values), AT)
    found = [item for item in result.reasons if item.criterion.startswith(name)]
    assert len(found) == 1
    return found[0].met


@pytest.mark.parametrize(
    ("values", "major", "conclusive"),
    [
        pytest.param({**CRITICAL, **TWO_OTHERS}, True, True, id="critical + two thresholds"),
        pytest.param({**CRITICAL, **ONE_OTHER}, False, False, id="critical + one, rest unknown"),
        pytest.param(MALICIOUS, True, True, id="malicious access alone: Art. 6(c) and 9(5)(b)"),
        pytest.param(
            {**CRITICAL, "malicious_access": no(), "data_loss_possible": yes()},
            False,
            False,
            id="no malicious access: 9(5)(b) not met",
        ),
        pytest.param(
            {"malicious_access": yes(), "data_loss_possible": no(), **TWO_OTHERS},
            True,
            True,
            id="malicious access without data loss still opens the gate",
        ),
        pytest.param(
            {
                "critical_functions": no(),
                "supervised_services": no(),
                "malicious_access": no(),
                "recurring": no(),
                **TWO_OTHERS,
            },
            False,
            True,
            id="thresholds without critical services",
        ),
        pytest.param(TWO_OTHERS, False, False, id="critical services not assessed"),
        pytest.param(
            {"supervised_services": yes("deposit taking"), **TWO_OTHERS},
            True,
            True,
            id="supervised services affected open the gate",
        ),
        pytest.param({"recurring": yes("three outages since January")}, True, True, id="Art. 8(2)"),
    ],
)
def test_article_8_combination_rule(values, major, conclusive):
    result = classify(DoraFacts(**values), AT)
    assert (result.major, result.conclusive) == (major, conclusive)


def test_the_critical_services_gate_is_not_counted_as_a_threshold():
    result = classify(DoraFacts(**CRITICAL, **ONE_OTHER, reputational_impact=no()), AT)
    met = [item.citation for item in result.criteria_met]
    assert met == [f"{RTS} Arts 8(1), 6(a)", f"{RTS} Arts 9(6), 7"]
    assert not result.major


def test_everything_answered_and_below_the_thresholds_is_a_conclusive_no():
    facts = DoraFacts(
        critical_functions=yes(),
        malicious_access=no(),
        data_loss_possible=no(),
        clients=ClientImpact(
            clients_affected=10,
            clients_total=1_000,
            counterparts_affected=0,
            transactions_affected=0,
            value_affected_eur=Decimal(0),
            relevant_clients_affected=no(),
        ),
        reputational_impact=no(),
        duration=3 * HOUR,
        downtime=HOUR,
        member_states={"IE"},
        data_impact=no(),
        costs_and_losses_eur=Decimal("99999.99"),
        recurring=no(),
    )
    result = classify(facts, AT)
    assert (result.major, result.conclusive, result.not_evaluated) == (False, True, ())
    assert result.classified_major_at is None


NONE_AFFECTED = {
    "clients_affected": 0,
    "counterparts_affected": 0,
    "transactions_affected": 0,
    "value_affected_eur": Decimal(0),
    "relevant_clients_affected": no(),
}


@pytest.mark.parametrize(
    ("clients", "expected"),
    [
        ({"clients_affected": 1_000, "clients_total": 10_000}, False),  # exactly 10 %
        ({"clients_affected": 1_001, "clients_total": 10_000}, True),
        ({"clients_affected": 999, "clients_total": 10_000}, False),
        ({"clients_affected": 100_000, "clients_total": 10_000_000}, False),  # 100 000, 1 %
        ({"clients_affected": 100_001, "clients_total": 10_000_000}, True),
        ({"clients_affected": 100_001}, True),  # absolute figure decides without the total
        ({"counterparts_affected": 30, "counterparts_total": 100}, False),  # exactly 30 %
        ({"counterparts_affected": 31, "counterparts_total": 100}, True),
        ({"transactions_affected": 500, "transactions_daily_average": Decimal(5_000)}, False),
        ({"transactions_affected": 501, "transactions_daily_average": Decimal(5_000)}, True),
        (
            {
                "value_affected_eur": Decimal("100000.00"),
                "value_daily_average_eur": Decimal("1000000.00"),
            },
            False,
        ),
        (
            {
                "value_affected_eur": Decimal("100000.01"),
                "value_daily_average_eur": Decimal("1000000.00"),
            },
            True,
        ),
        ({"relevant_clients_affected": yes("a systemic counterparty")}, True),
        ({"clients_affected": 50}, None),  # no total, far below 100 000
        ({"relevant_clients_affected": None}, None),
    ],
)
def test_clients_counterparts_and_transactions_article_9_1(clients, expected):
    figures = {**NONE_AFFECTED, **clients}
    assert threshold("Clients", clients=ClientImpact(**figures)) is expected


def test_an_unanswered_sub_point_of_article_9_1_leaves_it_open():
    assert threshold("Clients", clients=ClientImpact(clients_affected=100_000)) is None
    assert threshold("Clients", clients=ClientImpact(**NONE_AFFECTED)) is False


@pytest.mark.parametrize(
    ("duration", "downtime", "expected"),
    [
        (24 * HOUR, None, None),
        (24 * HOUR, 2 * HOUR, False),
        (24 * HOUR + SECOND, None, True),
        (24 * HOUR - SECOND, 2 * HOUR - SECOND, False),
        (None, 2 * HOUR + SECOND, True),
        (timedelta(0), 2 * HOUR, False),
    ],
)
def test_duration_and_downtime_article_9_3(duration, downtime, expected):
    assert threshold("Duration", duration=duration, downtime=downtime) is expected


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        (None, None),
        (set(), False),
        ({"DE"}, False),
        ({"DE", "FR"}, True),
        ({"DE", "FR", "IT"}, True),
    ],
)
def test_geographical_spread_article_9_4(states, expected):
    assert threshold("Geographical spread", member_states=states) is expected


@pytest.mark.parametrize(
    ("costs", "expected"),
    [
        (Decimal("99999.99"), False),
        (Decimal(100_000), False),
        (Decimal("100000.01"), True),
        (100_001, True),
        (None, None),
    ],
)
def test_economic_impact_article_9_6(costs, expected):
    assert threshold("Economic impact", costs_and_losses_eur=costs) is expected


@pytest.mark.parametrize(
    ("name", "field"),
    [("Reputational impact", "reputational_impact"), ("Data losses", "data_impact")],
)
def test_judged_thresholds(name, field):
    assert threshold(name, **{field: yes("in the national press")}) is True
    assert threshold(name, **{field: no()}) is False
    assert threshold(name) is None


def test_any_two_other_thresholds_make_it_major():
    others = {
        "reputational_impact": yes("in the national press"),
        "duration": 25 * HOUR,
        "member_states": {"DE", "AT"},
        "data_impact": yes("ledger integrity lost"),
        "costs_and_losses_eur": Decimal(150_000),
        "clients": ClientImpact(clients_affected=200_000),
    }
    names = sorted(others)
    for first in names:
        alone = classify(DoraFacts(**CRITICAL, **{first: others[first]}), AT)
        assert not alone.major
        for second in names[names.index(first) + 1 :]:
            pair = {first: others[first], second: others[second]}
            assert classify(DoraFacts(**CRITICAL, **pair), AT).major, pair


def test_the_assessment_instant_anchors_the_dora_clock():
    result = classify(DoraFacts(**MALICIOUS), AT)
    assert result.assessed_at == AT
    assert result.classified_major_at == AT
    assert classify(DoraFacts(), AT).classified_major_at is None


def test_reasons_cite_their_articles_and_report_what_is_missing():
    result = classify(DoraFacts(**CRITICAL), AT)
    citations = [item.citation for item in result.reasons]
    assert citations == [
        f"{RTS} Arts 8(1), 6(a)",
        f"{RTS} Arts 8(1)(a), 9(5)(b)",
        f"{RTS} Art. 9(1)",
        f"{RTS} Arts 9(2), 2(1)",
        f"{RTS} Art. 9(3)",
        f"{RTS} Arts 9(4), 4",
        f"{RTS} Arts 9(5)(a), 5",
        f"{RTS} Arts 9(6), 7",
        f"{RTS} Art. 8(2)",
    ]
    assert len(result.not_evaluated) == 8
    assert "payment processing" in result.reasons[0].detail
    assert result.method == (
        "Regulation (EU) 2022/2554 Art. 18; Commission Delegated Regulation (EU) 2024/1772 "
        "Arts 6, 8 and 9"
    )


def test_client_figures_are_shown_in_the_detail():
    clients = ClientImpact(clients_affected=100_001, clients_total=2_000_000)
    result = classify(DoraFacts(clients=clients), AT)
    detail = result.reasons[2].detail
    assert "clients_affected 100,001" in detail and "clients_total 2,000,000" in detail
    assert "(b) clients > 100 000: met" in detail


@pytest.mark.parametrize(
    "build",
    [
        lambda: classify(DoraFacts(), datetime(2026, 3, 2, 9, 15)),
        lambda: DoraFacts(member_states={"de"}),
        lambda: DoraFacts(member_states={"DEU"}),
        lambda: DoraFacts(duration=-SECOND),
        lambda: DoraFacts(costs_and_losses_eur=100000.5),
        lambda: ClientImpact(clients_affected=-1),
        lambda: ClientImpact(clients_affected=True),
        lambda: DoraFacts(critical_functions=True),
    ],
)
def test_bad_inputs_are_refused(build):
    with pytest.raises((TypeError, ValueError)):
        build()
