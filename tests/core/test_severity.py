"""ENISA (2013) severity: published scales, catalogue vectors, boundaries, monotonicity."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incident_tracker.core.facts import GdprRisk
from incident_tracker.core.severity import (
    Availability,
    Confidentiality,
    ContextFactor,
    DataCategory,
    DataType,
    Identification,
    Integrity,
    Judgement,
    SeverityFacts,
    SeverityLevel,
    assess_severity,
    level_of,
)

LOW, MEDIUM, HIGH, VERY_HIGH = (
    SeverityLevel.LOW,
    SeverityLevel.MEDIUM,
    SeverityLevel.HIGH,
    SeverityLevel.VERY_HIGH,
)
RAISE = frozenset({ContextFactor.VOLUME})
LOWER = frozenset({ContextFactor.NATURE})


def category(data_type="simple", adjustment=0, factors=None):
    """Build a data category; factors default to one in the direction of the adjustment."""
    if factors is None:
        factors = RAISE if adjustment > 0 else LOWER if adjustment < 0 else frozenset()
    return DataCategory(data_type, "what was breached", adjustment, factors)


def facts(
    data=None,
    ei="maximum",
    conf="none",
    integ="none",
    avail="none",
    malicious=False,
    **rationales,
):
    """Build SeverityFacts from short values; every rationale defaults to a non-blank text."""
    why = {name: rationales.get(name, "assessed") for name in RATIONALES}
    return SeverityFacts(
        data=(category(),) if data is None else data,
        identification=ei,
        confidentiality=conf,
        integrity=integ,
        availability=avail,
        malicious=malicious,
        **why,
    )


RATIONALES = (
    "identification_rationale",
    "confidentiality_rationale",
    "integrity_rationale",
    "availability_rationale",
    "malicious_rationale",
)


# regulatory-rules.md section 8, "Test vectors (computed here)": the catalogue's own examples.
CATALOGUE_VECTORS = [
    pytest.param(
        category("simple"),
        "maximum",
        "unknown_recipients",
        "none",
        True,
        Decimal("2.00"),
        MEDIUM,
        id="customer list exposed publicly, malicious: 2.00 medium (boundary)",
    ),
    pytest.param(
        category("sensitive"),
        "significant",
        "known_recipients",
        "none",
        False,
        Decimal("3.25"),
        HIGH,
        id="lab results to one known wrong recipient: 3.25 high",
    ),
    pytest.param(
        category("financial"),
        "negligible",
        "exposed",
        "none",
        False,
        Decimal("0.75"),
        LOW,
        id="encrypted laptop with financial data, key safe: 0.75 low",
    ),
    pytest.param(
        category("sensitive"),
        "maximum",
        "unknown_recipients",
        "none",
        True,
        Decimal("5.00"),
        VERY_HIGH,
        id="health data published, malicious: 5.00 very high",
    ),
    pytest.param(
        category("behavioural"),
        "limited",
        "none",
        "temporary",
        False,
        Decimal("1.25"),
        LOW,
        id="behavioural data, limited EI, temporary unavailability: 1.25 low",
    ),
]


@pytest.mark.parametrize(
    ("data", "ei", "conf", "avail", "malicious", "score", "level"), CATALOGUE_VECTORS
)
def test_catalogue_test_vectors(data, ei, conf, avail, malicious, score, level):
    result = assess_severity(facts((data,), ei, conf, avail=avail, malicious=malicious))
    assert result.score == score
    assert str(result.score) == str(score)  # exact Decimal, two places, no float residue
    assert result.level is level


# ENISA 2013 Assessment Table 1: example cases for each data category and the DPC each reaches
# (as reproduced by myprivacy.tools' calculator); the contextual factor named is our reading.
ENISA_DPC_EXAMPLES = [
    ("simple", 0, (), 1, "customer list of a supermarket"),
    ("simple", 1, ("controller_characteristics",), 2, "customer list of a luxury goods seller"),
    ("simple", 2, ("controller_characteristics",), 3, "delivery addresses of an adult book store"),
    ("simple", 3, ("individual_characteristics",), 4, "list of undercover officers"),
    ("behavioural", -1, ("nature_of_data",), 1, "incoming calls to an ISP helpdesk"),
    ("behavioural", 0, (), 2, "one week of call history"),
    ("behavioural", 1, ("volume",), 3, "one year of call history"),
    ("behavioural", 2, ("controller_characteristics",), 4, "calls to a psychological support line"),
    ("financial", -2, ("nature_of_data",), 1, "a bank's letter merely naming its customer"),
    ("financial", -1, ("nature_of_data",), 2, "one day of transactions without details"),
    ("financial", 0, (), 3, "one month of account balances"),
    ("financial", 1, ("volume",), 4, "one year of detailed bank statements"),
    ("sensitive", -3, ("nature_of_data",), 1, "the fact that general blood tests were done"),
    ("sensitive", -2, ("nature_of_data",), 2, "a blood test at an emergency room"),
    ("sensitive", -1, ("nature_of_data",), 3, "a test for a specific disease"),
    ("sensitive", 0, (), 4, "the results of that test"),
]


@pytest.mark.parametrize(
    ("data_type", "adjustment", "factors", "dpc", "example"),
    ENISA_DPC_EXAMPLES,
    ids=[row[-1] for row in ENISA_DPC_EXAMPLES],
)
def test_enisa_dpc_examples(data_type, adjustment, factors, dpc, example):
    data = DataCategory(data_type, example, adjustment, frozenset(factors))
    assert data.score == dpc
    assert assess_severity(facts((data,))).dpc == dpc


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("0.25", LOW),
        ("1.99", LOW),
        ("2", MEDIUM),
        ("2.00", MEDIUM),
        ("2.01", MEDIUM),
        ("2.99", MEDIUM),
        ("3", HIGH),
        ("3.01", HIGH),
        ("3.99", HIGH),
        ("4", VERY_HIGH),
        ("4.01", VERY_HIGH),
        ("6", VERY_HIGH),
    ],
)
def test_level_boundaries_are_inclusive_lower_bounds(score, level):
    assert level_of(Decimal(score)) is level


# SE moves in steps of 0.25, so "just below" and "just above" a boundary are 0.25 away.
BOUNDARY_CASES = [
    ("simple", "maximum", "unknown_recipients", "misused_recoverable", False, "1.75", LOW),
    ("simple", "maximum", "unknown_recipients", "none", True, "2.00", MEDIUM),
    ("simple", "maximum", "unknown_recipients", "misused_recoverable", True, "2.25", MEDIUM),
    ("behavioural", "maximum", "known_recipients", "altered", True, "2.75", MEDIUM),
    ("financial", "maximum", "exposed", "none", False, "3.00", HIGH),
    ("financial", "maximum", "known_recipients", "none", False, "3.25", HIGH),
    ("financial", "maximum", "known_recipients", "none", True, "3.75", HIGH),
    ("sensitive", "maximum", "none", "altered", False, "4.00", VERY_HIGH),
    ("sensitive", "maximum", "known_recipients", "none", False, "4.25", VERY_HIGH),
]


@pytest.mark.parametrize(
    ("data_type", "ei", "conf", "integ", "malicious", "score", "level"), BOUNDARY_CASES
)
def test_scores_either_side_of_each_boundary(data_type, ei, conf, integ, malicious, score, level):
    result = assess_severity(facts((category(data_type),), ei, conf, integ, malicious=malicious))
    assert (result.score, result.level) == (Decimal(score), level)


@pytest.mark.parametrize(
    ("level", "risk"),
    [
        (LOW, GdprRisk.UNLIKELY),
        (MEDIUM, GdprRisk.RISK),
        (HIGH, GdprRisk.HIGH),
        (VERY_HIGH, GdprRisk.HIGH),
    ],
)
def test_gdpr_risk_proposed_for_each_level(level, risk):
    case = next(row for row in BOUNDARY_CASES if row[-1] is level)
    data_type, ei, conf, integ, malicious, _, _ = case
    result = assess_severity(facts((category(data_type),), ei, conf, integ, malicious=malicious))
    assert result.gdpr_risk is risk


def test_published_scales():
    result = assess_severity(
        facts(ei="significant", conf="known_recipients", integ="misused_unrecoverable")
    )
    assert (result.dpc, result.ei, result.cb) == (1, Decimal("0.75"), Decimal("0.75"))
    scores = {
        (factor.name, factor.choice): factor.score
        for ei in Identification
        for factor in assess_severity(facts(ei=ei)).factors
    }
    assert scores[("Ease of identification", "negligible")] == Decimal("0.25")
    assert scores[("Ease of identification", "maximum")] == Decimal(1)


@pytest.mark.parametrize(
    ("element", "values"),
    [
        ("conf", {"exposed": "0", "known_recipients": "0.25", "unknown_recipients": "0.5"}),
        ("integ", {"altered": "0", "misused_recoverable": "0.25", "misused_unrecoverable": "0.5"}),
        ("avail", {"none": "0", "recoverable": "0", "temporary": "0.25", "permanent": "0.5"}),
        ("malicious", {False: "0", True: "0.5"}),
    ],
)
def test_circumstances_of_breach_scores(element, values):
    for value, score in values.items():
        assert assess_severity(facts(**{element: value})).cb == Decimal(score)


def test_the_highest_data_category_sets_the_dpc():
    data = (category("simple"), category("financial", 1), category("behavioural"))
    result = assess_severity(facts(data, ei="limited"))
    assert result.dpc == 4
    assert result.score == Decimal("2.00")
    counted = [factor.counts for factor in result.factors[:3]]
    assert counted == [False, True, False]
    assert [reason.met for reason in result.reasons[:3]] == [False, True, False]


def test_reasons_cover_every_factor_and_the_mapping_with_citations():
    result = assess_severity(facts(malicious=True, malicious_rationale="credential theft"))
    names = [reason.criterion for reason in result.reasons]
    assert names == [
        "Data processing context: simple data",
        "Ease of identification",
        "Loss of confidentiality",
        "Loss of integrity",
        "Loss of availability",
        "Malicious intent",
        "Proposed GDPR risk level",
    ]
    assert all(reason.citation.strip() for reason in result.reasons)
    assert "credential theft" in result.reasons[5].detail
    assert result.reasons[5].met is True and result.reasons[3].met is False
    assert "Arts 33(1), 34(1)" in result.reasons[-1].citation
    assert result.method.startswith("ENISA, Recommendations for a methodology")


@pytest.mark.parametrize("name", RATIONALES)
@pytest.mark.parametrize("blank", ["", "   ", None])
def test_every_rationale_is_required(name, blank):
    with pytest.raises(ValueError, match=name):
        facts(**{name: blank})


@pytest.mark.parametrize("blank", ["", " \n"])
def test_a_data_category_needs_a_rationale(blank):
    with pytest.raises(ValueError, match="rationale"):
        DataCategory("simple", blank)


@pytest.mark.parametrize(
    ("data_type", "adjustment", "factors", "message"),
    [
        ("simple", -1, ("nature_of_data",), "leaves 1..4"),
        ("sensitive", 1, ("volume",), "leaves 1..4"),
        ("behavioural", 3, ("volume",), "leaves 1..4"),
        ("financial", 1, (), "increasing"),
        ("financial", 1, ("public_availability",), "increasing"),
        ("financial", -1, ("volume",), "decreasing"),
    ],
)
def test_dpc_adjustments_stay_within_1_to_4_and_follow_their_factors(
    data_type, adjustment, factors, message
):
    with pytest.raises(ValueError, match=message):
        DataCategory(data_type, "why", adjustment, frozenset(factors))


def test_inputs_are_checked():
    with pytest.raises(ValueError, match="at least one"):
        facts(data=())
    with pytest.raises(ValueError):
        facts(ei="total")
    with pytest.raises(TypeError, match="malicious"):
        facts(malicious="yes")
    with pytest.raises(TypeError, match="whole number"):
        DataCategory("simple", "why", True)
    with pytest.raises(TypeError):
        Judgement("yes", "why")


def test_plain_strings_become_enumerations():
    built = facts(ei="limited", conf="exposed", integ="altered", avail="recoverable")
    assert built.identification is Identification.LIMITED
    assert built.confidentiality is Confidentiality.EXPOSED
    assert built.integrity is Integrity.ALTERED
    assert built.availability is Availability.RECOVERABLE
    assert category("financial").data_type is DataType.FINANCIAL


ORDERS = {
    "dpc": [1, 2, 3, 4],
    "ei": list(Identification),
    "conf": list(Confidentiality),
    "integ": list(Integrity),
    "avail": list(Availability),
    "malicious": [False, True],
}
profiles = st.fixed_dictionaries({name: st.sampled_from(order) for name, order in ORDERS.items()})


def assess(profile):
    data = (category("simple", profile["dpc"] - 1),)
    values = {name: value for name, value in profile.items() if name != "dpc"}
    return assess_severity(facts(data, **values))


@settings(max_examples=400, deadline=None, database=None)
@given(profiles, st.sampled_from(sorted(ORDERS)), st.data())
def test_raising_any_factor_never_lowers_the_score_or_the_level(profile, name, data):
    order = ORDERS[name]
    higher = data.draw(st.sampled_from(order[order.index(profile[name]) :]))
    before, after = assess(profile), assess({**profile, name: higher})
    assert after.score >= before.score
    assert after.level.rank >= before.level.rank


@settings(max_examples=200, deadline=None, database=None)
@given(profiles)
def test_the_score_is_the_formula_within_its_published_range(profile):
    result = assess(profile)
    assert result.score == result.dpc * result.ei + result.cb
    assert Decimal("0.25") <= result.score <= Decimal(6)
    assert result.level is level_of(result.score)
