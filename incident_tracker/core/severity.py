"""ENISA (2013) personal data breach severity, SE = DPC x EI + CB, and a proposed GDPR risk level.

Also holds the small values the three assessments share (``Reason``, ``Judgement``, three-valued
logic and input checks); nis2_significance.py and dora_classification.py import them from here.

Scores are Decimals built from exact literals, so a boundary such as SE = 2 is exactly 2.
"""

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from typing import get_args

from .facts import GdprRisk

METHOD = (
    "ENISA, Recommendations for a methodology of the assessment of severity of personal data "
    "breaches, Working Document v1.0, December 2013"
)
ENISA = "ENISA 2013 severity methodology"
GDPR = "Regulation (EU) 2016/679"


@dataclass(frozen=True)
class Reason:
    """One criterion of an assessment: met (True), not met (False) or not evaluable (None)."""

    criterion: str
    citation: str
    met: bool | None
    detail: str


Outcome = tuple[bool | None, str]  # a criterion's verdict (None: not evaluable) and its detail


class Weighed:
    """For a result whose ``reasons`` weigh each criterion: those met, those not evaluated."""

    reasons: tuple[Reason, ...]

    @property
    def criteria_met(self) -> tuple[Reason, ...]:
        return tuple(reason for reason in self.reasons if reason.met)

    @property
    def not_evaluated(self) -> tuple[Reason, ...]:
        return tuple(reason for reason in self.reasons if reason.met is None)


@dataclass(frozen=True)
class Judgement:
    """A yes/no judgement made by a person, with the reason they gave for it."""

    value: bool
    rationale: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, bool):
            raise TypeError(f"a judgement is yes or no, not {self.value!r}")
        require_text("rationale", self.rationale)

    def __str__(self) -> str:
        return f"{'yes' if self.value else 'no'}: {self.rationale}"


def require_text(name: str, value: object) -> None:
    """Refuse a rationale that is missing or blank: the shell stores it as the reason."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} is required and must not be blank")


def check_measures(value: object) -> None:
    """Refuse bools and non-judgements where they do not belong, floats and negative measures."""
    for item in fields(value):  # type: ignore[arg-type]
        allowed = get_args(item.type) or (item.type,)
        _check_kind(item.name, getattr(value, item.name), allowed)
        _check_measure(item.name, getattr(value, item.name))


def _check_kind(name: str, value: object, allowed: tuple[object, ...]) -> None:
    if isinstance(value, bool) and bool not in allowed:
        raise TypeError(f"{name} must not be a bool")
    if Judgement in allowed and value is not None and not isinstance(value, Judgement):
        raise TypeError(f"{name} must be a Judgement (a yes/no with its rationale)")


def _check_measure(name: str, value: object) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, Judgement):
        return
    if isinstance(value, float):
        raise TypeError(f"{name} must be an int or a Decimal, not a float")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{name} must be a finite amount, not {value}")
    if isinstance(value, int | Decimal) and value < 0:
        raise ValueError(f"{name} must not be negative ({value})")
    if isinstance(value, timedelta) and value < timedelta(0):
        raise ValueError(f"{name} must not be a negative duration ({value})")


def any_of(values: Iterable[bool | None]) -> bool | None:
    """Kleene OR: True if any is True, False if all are False, otherwise unknown (None)."""
    seen = list(values)
    if True in seen:
        return True
    return None if None in seen else False


def all_of(values: Iterable[bool | None]) -> bool | None:
    """Kleene AND: False if any is False, True if all are True, otherwise unknown (None)."""
    seen = list(values)
    if False in seen:
        return False
    return None if None in seen else True


def at_least(count: int, values: Iterable[bool | None]) -> bool | None:
    """Tell whether at least ``count`` are True; None while the unknown ones could decide it."""
    seen = list(values)
    met, unknown = seen.count(True), seen.count(None)
    if met >= count:
        return True
    return None if met + unknown >= count else False


def judged(judgement: Judgement | None) -> tuple[bool | None, str]:
    """Return a judgement's value and its detail, or (None, "not assessed")."""
    if judgement is None:
        return None, "not assessed"
    return judgement.value, str(judgement)


class DataType(StrEnum):
    """ENISA's four data categories, each with its basic DPC score."""

    SIMPLE = "simple"
    BEHAVIOURAL = "behavioural"
    FINANCIAL = "financial"
    SENSITIVE = "sensitive"


BASIC_SCORES = dict(zip(DataType, (1, 2, 3, 4), strict=True))


class ContextFactor(StrEnum):
    """ENISA's contextual factors that raise or lower the basic DPC score."""

    VOLUME = "volume"
    CONTROLLER = "controller_characteristics"
    INDIVIDUALS = "individual_characteristics"
    INVALIDITY = "invalidity_or_inaccuracy"
    PUBLIC_AVAILABILITY = "public_availability"
    NATURE = "nature_of_data"


INCREASING = frozenset({ContextFactor.VOLUME, ContextFactor.CONTROLLER, ContextFactor.INDIVIDUALS})
DECREASING = frozenset(ContextFactor) - INCREASING


class Identification(StrEnum):
    NEGLIGIBLE = "negligible"
    LIMITED = "limited"
    SIGNIFICANT = "significant"
    MAXIMUM = "maximum"


class Confidentiality(StrEnum):
    NONE = "none"  # no loss of confidentiality
    EXPOSED = "exposed"  # exposed to a confidentiality risk, no evidence of unlawful processing
    KNOWN_RECIPIENTS = "known_recipients"
    UNKNOWN_RECIPIENTS = "unknown_recipients"


class Integrity(StrEnum):
    NONE = "none"  # no loss of integrity
    ALTERED = "altered"  # altered, no evidence of incorrect or illegal use (or recovered)
    MISUSED_RECOVERABLE = "misused_recoverable"
    MISUSED_UNRECOVERABLE = "misused_unrecoverable"


class Availability(StrEnum):
    NONE = "none"  # no loss of availability
    RECOVERABLE = "recoverable"  # recoverable without difficulty
    TEMPORARY = "temporary"
    PERMANENT = "permanent"


class SeverityLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"

    @property
    def rank(self) -> int:
        """Return 0 for low up to 3 for very high, for comparing levels."""
        return list(SeverityLevel).index(self)


QUARTER, HALF, CENT = Decimal("0.25"), Decimal("0.5"), Decimal("0.01")
EI_SCORES = dict(zip(Identification, (QUARTER, HALF, Decimal("0.75"), Decimal(1)), strict=True))
# Each loss element, in its declared order: none and the published 0 / +0.25 / +0.5 steps.
CB_STEPS = (Decimal(0), Decimal(0), QUARTER, HALF)
CB_SCORES: dict[StrEnum, Decimal] = {
    element: step
    for kind in (Confidentiality, Integrity, Availability)
    for element, step in zip(kind, CB_STEPS, strict=True)
}
MALICE = HALF
# Lower bounds are inclusive: SE = 2 exactly is medium (regulatory-rules.md section 8).
LEVEL_FLOORS = (
    (Decimal(4), SeverityLevel.VERY_HIGH),
    (Decimal(3), SeverityLevel.HIGH),
    (Decimal(2), SeverityLevel.MEDIUM),
)
# ENISA predates the GDPR; this is the indicative reading of section 8 (SE >= 2: notify the
# authority; high and very high: also tell the people), which the DPO confirms or overrides.
GDPR_RISK = {
    SeverityLevel.LOW: GdprRisk.UNLIKELY,
    SeverityLevel.MEDIUM: GdprRisk.RISK,
    SeverityLevel.HIGH: GdprRisk.HIGH,
    SeverityLevel.VERY_HIGH: GdprRisk.HIGH,
}


ENUMS: dict[str, type[StrEnum]] = {
    "identification": Identification,
    "confidentiality": Confidentiality,
    "integrity": Integrity,
    "availability": Availability,
}


@dataclass(frozen=True)
class DataCategory:
    """One category of breached data, its DPC adjustment and the factors that justify it.

    Every category may end anywhere from 1 to 4 (ENISA, DPC step 2); a raise needs an increasing
    factor (volume, controller, individuals) and a cut a decreasing one.
    """

    data_type: DataType
    rationale: str
    adjustment: int = 0
    factors: frozenset[ContextFactor] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_type", DataType(self.data_type))
        object.__setattr__(self, "factors", frozenset(map(ContextFactor, self.factors)))
        require_text("rationale", self.rationale)
        if isinstance(self.adjustment, bool) or not isinstance(self.adjustment, int):
            raise TypeError(f"adjustment must be a whole number, not {self.adjustment!r}")
        if not 1 <= self.score <= 4:
            raise ValueError(f"{self.data_type} data adjusted by {self.adjustment} leaves 1..4")
        if self.adjustment > 0 and not self.factors & INCREASING:
            raise ValueError("raising the DPC score needs an increasing contextual factor")
        if self.adjustment < 0 and not self.factors & DECREASING:
            raise ValueError("lowering the DPC score needs a decreasing contextual factor")

    @property
    def score(self) -> int:
        """Return the adjusted DPC score of this category."""
        return BASIC_SCORES[self.data_type] + self.adjustment


@dataclass(frozen=True)
class SeverityFacts:
    """The judgements ENISA's method scores; every one carries the assessor's rationale."""

    data: tuple[DataCategory, ...]
    identification: Identification
    identification_rationale: str
    confidentiality: Confidentiality
    confidentiality_rationale: str
    integrity: Integrity
    integrity_rationale: str
    availability: Availability
    availability_rationale: str
    malicious: bool
    malicious_rationale: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "data", tuple(self.data))
        if not self.data or not all(isinstance(item, DataCategory) for item in self.data):
            raise ValueError("data needs at least one DataCategory")
        for name, kind in ENUMS.items():
            object.__setattr__(self, name, kind(getattr(self, name)))
            require_text(f"{name}_rationale", getattr(self, f"{name}_rationale"))
        if not isinstance(self.malicious, bool):
            raise TypeError(f"malicious must be a bool, not {self.malicious!r}")
        require_text("malicious_rationale", self.malicious_rationale)


@dataclass(frozen=True)
class Factor:
    """One scored factor of the breakdown: what was chosen, its score and why."""

    name: str
    citation: str
    choice: str
    score: Decimal
    rationale: str
    counts: bool = True  # False for a data category below the highest one


@dataclass(frozen=True)
class SeverityAssessment:
    """The ENISA score, its level and the GDPR risk level it suggests."""

    score: Decimal
    level: SeverityLevel
    gdpr_risk: GdprRisk
    dpc: int
    ei: Decimal
    cb: Decimal
    factors: tuple[Factor, ...]
    method: str = METHOD

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """Return the breakdown as criteria, met meaning the factor raised the score."""
        scored = tuple(_reason(factor) for factor in self.factors)
        return (*scored, _mapping_reason(self))


def level_of(score: Decimal) -> SeverityLevel:
    """Return ENISA's severity level for a score: < 2 low, < 3 medium, < 4 high, else very high."""
    return next((level for floor, level in LEVEL_FLOORS if score >= floor), SeverityLevel.LOW)


def assess_severity(facts: SeverityFacts) -> SeverityAssessment:
    """Score a personal data breach with ENISA's method and propose a GDPR risk level."""
    dpc = max(category.score for category in facts.data)
    ei = EI_SCORES[facts.identification]
    circumstances = _circumstances(facts)
    cb = sum((factor.score for factor in circumstances), Decimal(0))
    score = (dpc * ei + cb).quantize(CENT)
    level = level_of(score)
    factors = (*_data_factors(facts.data, dpc), _identification(facts), *circumstances)
    return SeverityAssessment(score, level, GDPR_RISK[level], dpc, ei, cb, factors)


def _data_factors(data: tuple[DataCategory, ...], dpc: int) -> tuple[Factor, ...]:
    citation = f"{ENISA}: Data Processing Context (basic score and contextual adjustment)"
    return tuple(
        Factor(
            name=f"Data processing context: {category.data_type} data",
            citation=citation,
            choice=_adjustment_text(category),
            score=Decimal(category.score),
            rationale=category.rationale,
            counts=category.score == dpc,
        )
        for category in data
    )


def _adjustment_text(category: DataCategory) -> str:
    basic = BASIC_SCORES[category.data_type]
    if not category.adjustment:
        return f"{category.data_type} (basic score {basic})"
    factors = ", ".join(sorted(category.factors))
    return f"{category.data_type} (basic score {basic}, {category.adjustment:+d}: {factors})"


def _identification(facts: SeverityFacts) -> Factor:
    return Factor(
        name="Ease of identification",
        citation=f"{ENISA}: Ease of Identification",
        choice=str(facts.identification),
        score=EI_SCORES[facts.identification],
        rationale=facts.identification_rationale,
    )


def _circumstances(facts: SeverityFacts) -> tuple[Factor, ...]:
    citation = f"{ENISA}: Circumstances of breach"
    elements = (
        ("Loss of confidentiality", facts.confidentiality, facts.confidentiality_rationale),
        ("Loss of integrity", facts.integrity, facts.integrity_rationale),
        ("Loss of availability", facts.availability, facts.availability_rationale),
    )
    scored = [Factor(name, citation, str(c), CB_SCORES[c], why) for name, c, why in elements]
    malice = MALICE if facts.malicious else Decimal(0)
    choice = "intentional" if facts.malicious else "not intentional"
    scored.append(Factor("Malicious intent", citation, choice, malice, facts.malicious_rationale))
    return tuple(scored)


def _reason(factor: Factor) -> Reason:
    met = factor.counts and factor.score > 0
    detail = f"{factor.choice}: {factor.score} ({factor.rationale})"
    if not factor.counts:
        detail += "; not the highest category, so it does not set the DPC"
    return Reason(factor.name, factor.citation, met, detail)


def _mapping_reason(result: SeverityAssessment) -> Reason:
    detail = (
        f"SE = {result.dpc} x {result.ei} + {result.cb} = {result.score} ({result.level}); "
        "low -> unlikely, medium -> risk, high and very high -> high (indicative; the DPO decides)"
    )
    citation = f"{GDPR} Arts 33(1), 34(1); {ENISA}: severity levels"
    return Reason(
        "Proposed GDPR risk level", citation, result.gdpr_risk != GdprRisk.UNLIKELY, detail
    )
