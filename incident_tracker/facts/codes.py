"""ISO 3166 codes: countries (alpha-2) and US states and territories (US-XX)."""

from functools import cache

import pycountry

from ..core.facts import EEA  # noqa: F401  (re-exported for the forms)

_HINTS = {"UK": "GB", "EL": "GR"}


@cache
def _countries() -> dict[str, str]:
    return {country.alpha_2: country.name for country in pycountry.countries}


@cache
def _us_states() -> dict[str, str]:
    return {sub.code: sub.name for sub in pycountry.subdivisions.get(country_code="US")}


def country_code(text: str) -> str:
    """Return the ISO 3166-1 alpha-2 code, or raise ValueError with a hint."""
    code = text.strip().upper()
    if code in _HINTS:
        raise ValueError(f"{code!r} is not an ISO 3166-1 code; use {_HINTS[code]!r}")
    if code not in _countries():
        raise ValueError(f"{text.strip()!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def jurisdiction_code(text: str) -> str:
    """Return a country code or a US-XX state/territory code, or raise ValueError."""
    code = text.strip().upper()
    if code.startswith("US-"):
        if code not in _us_states():
            raise ValueError(f"{text.strip()!r} is not a US state, DC or territory code")
        return code
    return country_code(code)


def name(code: str) -> str:
    """Return the English name of a country or US state code."""
    return _us_states().get(code) or _countries().get(code, code)


def country_choices() -> list[tuple[str, str]]:
    """All countries as (code, "Name (XX)") pairs, sorted by name."""
    pairs = sorted(_countries().items(), key=lambda item: item[1])
    return [(code, f"{label} ({code})") for code, label in pairs]
