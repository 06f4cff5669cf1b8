"""The rule catalogue as data: every rule cited, dated, anchored, and every DESIGN id present."""

from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from incident_tracker.core.facts import INSTANTS
from incident_tracker.core.regimes import OBLIGATION_IDS, REGIMES, RULES
from incident_tracker.core.rules import PeriodKind

DESIGN_IDS = {
    "gdpr.sa_notification",
    "gdpr.data_subject_notice",
    "gdpr.controller_notice",
    "uk_gdpr.ico_notification",
    "uk_gdpr.data_subject_notice",
    "uk_gdpr.controller_notice",
    "nis2.early_warning",
    "nis2.incident_notification",
    "nis2.final_report",
    "dora.initial_notification",
    "dora.intermediate_report",
    "dora.final_report",
    "sec.form_8k",
    "hipaa.individual_notice",
    "hipaa.media_notice",
    "hipaa.hhs_notice",
    "hipaa.covered_entity_notice",
}
STATES = ("ca", "ny", "tx", "fl", "co", "wa")
STATE_IDS = {f"us-{s}.{kind}" for s in STATES for kind in ("individual_notice", "attorney_general")}
PREFIX = {"us_state": "us-"}


def test_the_catalogue_holds_exactly_the_design_ids_and_the_six_states():
    assert OBLIGATION_IDS == DESIGN_IDS | STATE_IDS


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.id}@{rule.citation}")
def test_every_rule_is_cited_titled_dated_and_named_after_its_regime(rule):
    assert rule.citation.strip() and rule.title.strip() and rule.recipient.strip()
    assert isinstance(rule.in_force_from, date)
    assert rule.id.startswith(PREFIX.get(rule.regime, f"{rule.regime}."))


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.id}@{rule.citation}")
def test_every_anchor_is_a_fact_or_another_obligation(rule):
    assert rule.anchor in INSTANTS or (rule.anchor in OBLIGATION_IDS and rule.anchor != rule.id)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.id}@{rule.citation}")
def test_every_counted_period_is_positive(rule):
    uncounted = {PeriodKind.NO_FIXED_DEADLINE, PeriodKind.WITH_ANCHOR}
    assert rule.period.kind in uncounted or rule.period.amount > 0


def test_rule_variants_are_distinct_declarations():
    keys = [(r.id, r.anchor, r.period, r.citation, r.in_force_from) for r in RULES]
    assert len(keys) == len(set(keys))


def test_every_regime_module_declares_rules_and_duties():
    for regime in REGIMES:
        assert regime.RULES and callable(regime.duties), regime.__name__


def test_rules_are_frozen():
    with pytest.raises(FrozenInstanceError):
        RULES[0].citation = "anything"  # type: ignore[misc]


def test_dated_versions_are_declared_oldest_first():
    from incident_tracker.core.regimes.us_states import LAWS

    for law in LAWS:
        for versions in (law.notice, law.regulator):
            dates = [rule.in_force_from for rule in versions]
            assert dates == sorted(dates), law.code  # in_force() relies on this order
