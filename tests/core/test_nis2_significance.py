"""NIS2 significance: Art. 23(3), IR 2024/2690 Arts 3-14, at every threshold's boundary."""

from datetime import timedelta
from decimal import Decimal

import pytest

from incident_tracker.core.nis2_significance import (
    DnsMisconfiguration,
    Nis2Facts,
    Nis2Sector,
    Recurrence,
    ServiceImpact,
    assess_significance,
)
from incident_tracker.core.severity import Judgement

IR = "Commission Implementing Regulation (EU) 2024/2690"
MIN, HOUR, SECOND = timedelta(minutes=1), timedelta(hours=1), timedelta(seconds=1)


def yes(why="judged so"):
    return Judgement(True, why)


def no(why="judged not"):
    return Judgement(False, why)


def reason(result, citation):
    """Return the one reason whose citation ends with the given article point."""
    found = [item for item in result.reasons if item.citation.endswith(citation)]
    assert len(found) == 1, [item.citation for item in result.reasons]
    return found[0]


def met(sector, citation, **values):
    """Assess a sector with facts and service values; return the named criterion's outcome."""
    service = {k: v for k, v in values.items() if k in ServiceImpact.__dataclass_fields__}
    rest = {k: v for k, v in values.items() if k not in service}
    result = assess_significance(Nis2Facts(sector, service=ServiceImpact(**service), **rest))
    return reason(result, citation).met


EXPECTED_CRITERIA = {
    "dns": ["5(a)", "5(b)", "5(c)"],
    "tld": ["6(a)", "6(b)", "6(c)"],
    "cloud": ["7(a)", "7(b)", "7(c)", "7(d)"],
    "data_centre": ["8(a)", "8(b)", "8(c)", "8(d)"],
    "cdn": ["9(a)", "9(b)", "9(c)", "9(d)"],
    "managed_service": ["10(a)", "10(b)", "10(c)", "10(d)"],
    "managed_security_service": ["10(a)", "10(b)", "10(c)", "10(d)"],
    "online_marketplace": ["11(a)", "11(b)", "11(c)", "11(d)"],
    "online_search_engine": ["12(a)", "12(b)", "12(c)", "12(d)"],
    "social_network": ["13(a)", "13(b)", "13(c)", "13(d)"],
    "trust_service": ["14(a)", "14(b)", "14(c)", "14(d)", "14(e)"],
}
HORIZONTAL = ["3(1)(a)", "3(1)(b)", "3(1)(c)", "3(1)(d)", "3(1)(e)", "3(1)(f)"]


@pytest.mark.parametrize(("sector", "points"), EXPECTED_CRITERIA.items())
def test_each_covered_sector_weighs_23_3_the_horizontal_and_its_own_criteria(sector, points):
    result = assess_significance(Nis2Facts(sector))
    citations = [item.citation for item in result.reasons]
    assert citations[:2] == [
        "Directive (EU) 2022/2555 Art. 23(3)(a)",
        "Directive (EU) 2022/2555 Art. 23(3)(b)",
    ]
    assert citations[2:8] == [f"{IR} Art. {point}" for point in HORIZONTAL]
    assert citations[8:] == [f"{IR} Art. {point}" for point in points]
    assert all(item.criterion and item.detail for item in result.reasons)
    assert (result.significant, result.conclusive) == (False, False)
    assert result.not_evaluated == result.reasons
    assert result.method.endswith(f"{IR} Arts 3-14")


def test_every_sector_of_the_regulation_is_covered():
    assert set(EXPECTED_CRITERIA) | {"other"} == {sector.value for sector in Nis2Sector}


def test_other_sectors_use_article_23_3_only():
    result = assess_significance(Nis2Facts("other", malicious_access=yes(), death=yes()))
    assert [item.citation for item in result.reasons] == [
        "Directive (EU) 2022/2555 Art. 23(3)(a)",
        "Directive (EU) 2022/2555 Art. 23(3)(b)",
    ]
    assert (result.significant, result.conclusive) == (False, False)
    assert result.method == "Directive (EU) 2022/2555 Art. 23(3)"


@pytest.mark.parametrize(
    ("disruption", "damage", "significant", "conclusive"),
    [
        (yes(), None, True, True),
        (None, yes(), True, True),
        (no(), no(), False, True),
        (no(), None, False, False),
        (None, None, False, False),
    ],
)
def test_article_23_3_judgements(disruption, damage, significant, conclusive):
    facts = Nis2Facts("other", operational_disruption_or_loss=disruption, damage_to_others=damage)
    result = assess_significance(facts)
    assert (result.significant, result.conclusive) == (significant, conclusive)
    assert len(result.criteria_met) == int(significant)


def test_article_23_3_also_counts_for_covered_entities():
    result = assess_significance(Nis2Facts("cloud", damage_to_others=yes("customers' data")))
    assert result.significant
    assert [item.citation for item in result.criteria_met] == [
        "Directive (EU) 2022/2555 Art. 23(3)(b)"
    ]
    assert "customers' data" in result.criteria_met[0].detail


@pytest.mark.parametrize(
    ("loss", "turnover", "expected"),
    [
        ("500000", "20000000", False),  # 5 % is 1 000 000: the cap of 500 000 is the lower
        ("500000.01", "20000000", True),
        ("499999.99", "20000000", False),
        ("500000.01", None, True),  # above the cap: the turnover cannot lower the answer
        ("500000", None, None),  # at the cap: 5 % of an unknown turnover might be lower
        ("100000", "2000000", False),  # 5 % of 2 000 000 = 100 000 is the lower
        ("100000.01", "2000000", True),
        ("99999.99", "2000000", False),
        ("0", None, False),
        (None, "2000000", None),
    ],
)
def test_direct_financial_loss_threshold(loss, turnover, expected):
    values = {
        "direct_loss_eur": None if loss is None else Decimal(loss),
        "annual_turnover_eur": None if turnover is None else Decimal(turnover),
    }
    assert met("cloud", "3(1)(a)", **values) is expected


@pytest.mark.parametrize(
    ("field", "point"),
    [
        ("trade_secrets_exfiltrated", "3(1)(b)"),
        ("death", "3(1)(c)"),
        ("health_damage", "3(1)(d)"),
        ("malicious_access", "3(1)(e)"),
    ],
)
def test_horizontal_judgements_each_suffice(field, point):
    result = assess_significance(Nis2Facts("dns", **{field: yes("seen in the logs")}))
    assert result.significant
    assert [item.citation for item in result.criteria_met] == [f"{IR} Art. {point}"]
    assert met("dns", point, **{field: no()}) is False


@pytest.mark.parametrize(
    ("occurrences", "same_cause", "loss", "turnover", "expected"),
    [
        (2, True, "500000.01", None, True),
        (1, True, "500000.01", None, False),
        (3, False, "900000", None, False),
        (2, True, "500000", "20000000", False),
        (2, True, "100000.01", "2000000", True),
        (2, True, "400000", None, None),
    ],
)
def test_recurring_incidents_article_4(occurrences, same_cause, loss, turnover, expected):
    recurrence = Recurrence(occurrences, same_cause, Decimal(loss), "same phishing kit")
    money = None if turnover is None else Decimal(turnover)
    assert met("cdn", "3(1)(f)", recurrence=recurrence, annual_turnover_eur=money) is expected


DURATIONS = [
    ("dns", "5(a)", "unavailable_for", 30 * MIN),
    ("cloud", "7(a)", "unavailable_for", 30 * MIN),
    ("cdn", "9(a)", "unavailable_for", 30 * MIN),
    ("managed_service", "10(a)", "unavailable_for", 30 * MIN),
    ("managed_security_service", "10(a)", "unavailable_for", 30 * MIN),
    ("trust_service", "14(a)", "unavailable_for", 20 * MIN),
    ("trust_service", "14(b)", "unavailable_in_week", HOUR),
    ("dns", "5(b)", "slow_resolution_for", HOUR),
    ("tld", "6(b)", "slow_resolution_for", HOUR),
    ("data_centre", "8(b)", "limited_for", HOUR),
    ("tld", "6(a)", "unavailable_for", timedelta(0)),
    ("data_centre", "8(a)", "unavailable_for", timedelta(0)),
]


@pytest.mark.parametrize(("sector", "point", "field", "limit"), DURATIONS)
@pytest.mark.parametrize(
    ("offset", "expected"), [(-SECOND, False), (timedelta(0), False), (SECOND, True)]
)
def test_duration_thresholds_are_strictly_more_than(sector, point, field, limit, offset, expected):
    value = max(limit + offset, timedelta(0))
    assert met(sector, point, **{field: value}) is expected
    assert met(sector, point) is None


USERS_5_PERCENT = [
    ("online_marketplace", "11(a)", "unavailable_users"),
    ("online_search_engine", "12(a)", "unavailable_users"),
    ("social_network", "13(a)", "unavailable_users"),
    ("online_marketplace", "11(b)", "limited_users"),
    ("online_search_engine", "12(b)", "limited_users"),
    ("social_network", "13(b)", "limited_users"),
    ("cloud", "7(d)", "compromised_users"),
    ("cdn", "9(d)", "compromised_users"),
    ("managed_service", "10(d)", "compromised_users"),
    ("online_marketplace", "11(d)", "compromised_users"),
    ("social_network", "13(d)", "compromised_users"),
]


@pytest.mark.parametrize(("sector", "point", "field"), USERS_5_PERCENT)
@pytest.mark.parametrize(
    ("eu_users", "count", "expected"),
    [
        (10_000_000, 499_999, False),  # 5 % = 500 000 is the smaller
        (10_000_000, 500_000, False),
        (10_000_000, 500_001, True),
        (100_000_000, 999_999, False),  # 1 million is the smaller
        (100_000_000, 1_000_000, False),
        (100_000_000, 1_000_001, True),
        (None, 1_000_001, True),  # above the cap: decided without the total
        (None, 1_000_000, None),
        (None, 0, False),
    ],
)
def test_five_percent_or_a_million_users_whichever_is_smaller(
    sector, point, field, eu_users, count, expected
):
    assert met(sector, point, eu_users=eu_users, **{field: count}) is expected


@pytest.mark.parametrize(
    ("sector", "point"), [("cloud", "7(b)"), ("cdn", "9(b)"), ("managed_service", "10(b)")]
)
@pytest.mark.parametrize(
    ("users", "duration", "expected"),
    [
        (500_001, HOUR + SECOND, True),
        (500_000, HOUR + SECOND, False),
        (500_001, HOUR, False),
        (500_001, None, None),
        (500_000, None, False),
        (None, HOUR, False),
    ],
)
def test_limited_availability_needs_many_users_for_more_than_an_hour(
    sector, point, users, duration, expected
):
    values = {"eu_users": 10_000_000, "limited_users": users, "limited_for": duration}
    assert met(sector, point, **values) is expected


@pytest.mark.parametrize(
    ("point", "field", "eu_users", "count", "expected"),
    [
        ("14(c)", "limited_users", 1_000_000, 10_000, False),  # 1 % = 10 000
        ("14(c)", "limited_users", 1_000_000, 10_001, True),
        ("14(c)", "limited_users", 100_000_000, 200_000, False),  # 200 000 is the smaller
        ("14(c)", "limited_users", 100_000_000, 200_001, True),
        ("14(e)", "compromised_users", 50_000, 50, False),  # 0.1 % = 50
        ("14(e)", "compromised_users", 50_000, 51, True),
        ("14(e)", "compromised_users", 1_000_000, 100, False),  # 100 is the smaller
        ("14(e)", "compromised_users", 1_000_000, 101, True),
        ("14(e)", "compromised_users", None, 101, True),
    ],
)
def test_trust_service_user_thresholds(point, field, eu_users, count, expected):
    assert met("trust_service", point, eu_users=eu_users, **{field: count}) is expected


@pytest.mark.parametrize(
    ("sector", "point", "field"),
    [
        ("cloud", "7(c)", "compromised_by_malice"),
        ("data_centre", "8(c)", "compromised_by_malice"),
        ("cdn", "9(c)", "compromised_by_malice"),
        ("managed_security_service", "10(c)", "compromised_by_malice"),
        ("online_marketplace", "11(c)", "compromised_by_malice"),
        ("online_search_engine", "12(c)", "compromised_by_malice"),
        ("social_network", "13(c)", "compromised_by_malice"),
        ("tld", "6(c)", "data_compromised"),
        ("dns", "5(c)", "data_compromised"),
        ("data_centre", "8(d)", "physical_access_compromised"),
        ("trust_service", "14(d)", "physical_access_compromised"),
    ],
)
def test_judged_service_criteria(sector, point, field):
    assert met(sector, point, **{field: yes()}) is True
    assert met(sector, point, **{field: no()}) is False
    assert met(sector, point) is None


@pytest.mark.parametrize(
    ("incorrect", "managed", "expected"),
    [
        (999, 99_900, False),  # fewer than 1 000 and exactly 1 %: excepted
        (999, 99_899, True),  # just over 1 %
        (999, 1_000_000, False),
        (1_000, 1_000_000, True),  # not fewer than 1 000
        (0, 10, False),
    ],
)
def test_dns_misconfiguration_exception(incorrect, managed, expected):
    wrong = DnsMisconfiguration(incorrect, managed, "zone file typo")
    values = {"data_compromised": yes(), "misconfiguration": wrong}
    assert met("dns", "5(c)", **values) is expected
    assert met("dns", "5(c)", data_compromised=yes()) is True


def test_planned_maintenance_is_not_significant():
    service = ServiceImpact(unavailable_for=2 * HOUR)
    maintenance = yes("announced maintenance window, foreseen outage")
    result = assess_significance(
        Nis2Facts("cloud", scheduled_maintenance=maintenance, service=service)
    )
    assert (result.significant, result.conclusive) == (False, True)
    assert result.excluded_by.citation == f"{IR} Art. 3(2)"
    assert [item.citation for item in result.criteria_met] == [f"{IR} Art. 7(a)"]
    unplanned = Nis2Facts("cloud", scheduled_maintenance=no(), service=service)
    assert assess_significance(unplanned).significant


def test_the_maintenance_exclusion_belongs_to_the_regulation_only():
    facts = Nis2Facts("other", scheduled_maintenance=yes(), damage_to_others=yes())
    result = assess_significance(facts)
    assert result.significant and result.excluded_by is None


def test_a_met_criterion_makes_the_proposal_conclusive_despite_gaps():
    result = assess_significance(Nis2Facts("cloud", service=ServiceImpact(unavailable_for=HOUR)))
    assert (result.significant, result.conclusive) == (True, True)
    assert len(result.not_evaluated) == len(result.reasons) - 1


def test_nothing_met_and_nothing_missing_is_a_conclusive_no():
    service = ServiceImpact(
        eu_users=1_000,
        unavailable_for=timedelta(0),
        unavailable_users=0,
        unavailable_in_week=timedelta(0),
        limited_users=0,
        compromised_users=0,
        physical_access_compromised=no(),
    )
    facts = Nis2Facts(
        "trust_service",
        operational_disruption_or_loss=no(),
        damage_to_others=no(),
        direct_loss_eur=Decimal(0),
        trade_secrets_exfiltrated=no(),
        death=no(),
        health_damage=no(),
        malicious_access=no(),
        recurrence=Recurrence(1, False, Decimal(0), "first of its kind"),
        service=service,
    )
    result = assess_significance(facts)
    assert (result.significant, result.conclusive, result.not_evaluated) == (False, True, ())


@pytest.mark.parametrize(
    "build",
    [
        lambda: ServiceImpact(eu_users=-1),
        lambda: ServiceImpact(unavailable_for=-SECOND),
        lambda: Nis2Facts("cloud", direct_loss_eur=500000.0),
        lambda: Nis2Facts("cloud", direct_loss_eur=Decimal("NaN")),
        lambda: Nis2Facts("telecoms"),
        lambda: Recurrence(2, True, Decimal(1), " "),
        lambda: DnsMisconfiguration(1, 10, ""),
        lambda: Judgement(True, ""),
        lambda: Nis2Facts("cloud", death=True),
        lambda: ServiceImpact(data_compromised="yes"),
        lambda: ServiceImpact(limited_users=True),
        lambda: Recurrence(True, True, Decimal(1), "why"),
    ],
)
def test_bad_inputs_are_refused(build):
    with pytest.raises((TypeError, ValueError)):
        build()


def test_sector_strings_become_the_enumeration():
    assert Nis2Facts("data_centre").sector is Nis2Sector.DATA_CENTRE
