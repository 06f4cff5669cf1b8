"""The regimes, one module each: its RULES (the catalogue as data) and duties(facts).

Adding a regime means adding a module with those two names and listing it here. Contracts have
no catalogue (their rules come with the facts), so they are a source of duties but not a regime
with RULES.
"""

from . import contracts, dora, gdpr, hipaa, nis2, sec, uk_gdpr, us_states

REGIMES = (gdpr, uk_gdpr, nis2, dora, sec, hipaa, us_states)
DUTY_SOURCES = (*REGIMES, contracts)
RULES = tuple(rule for regime in REGIMES for rule in regime.RULES)
OBLIGATION_IDS = frozenset(rule.id for rule in RULES)
TITLES = {rule.id: rule.title for rule in RULES}
REGIME_NAMES = {
    "gdpr": "GDPR",
    "uk_gdpr": "UK GDPR",
    "nis2": "NIS2",
    "dora": "DORA",
    "sec": "SEC",
    "hipaa": "HIPAA",
    "us_state": "US states",
    contracts.REGIME: "Contracts",
}
