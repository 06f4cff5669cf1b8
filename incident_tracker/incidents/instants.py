"""The rules an incident's instants keep, for every writer (the form, the API, opening from a
release): each within the years the facts document reads (1970 to 2999), and the clock anchors in
their order. The API used to keep only two of the orders and no years: a breach determined in
9999 was saved and then failed every page of its incident with a 500, and a containment before
the occurrence made every later save in the form fail."""

from collections.abc import Mapping
from datetime import datetime

from ..web.localtime import FIRST_YEAR, LAST_YEAR

INSTANTS = (
    "occurred_at",
    "detected_at",
    "aware_at",
    "dora_classified_major_at",
    "sec_materiality_determined_at",
    "discovered_at",
    "breach_determined_at",
    "contained_at",
    "closed_at",
)
# (the later one, the earlier one, what each is called)
ORDER = (
    ("detected_at", "occurred_at", "detection", "occurrence"),
    ("aware_at", "detected_at", "awareness", "detection"),
    ("contained_at", "occurred_at", "containment", "occurrence"),
    ("closed_at", "detected_at", "closure", "detection"),
)


def problems(values: Mapping[str, datetime | None]) -> dict[str, str]:
    """What is wrong with these instants, by field (the first problem of each); {} when none."""
    found: dict[str, str] = {}
    for name in INSTANTS:
        value = values.get(name)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            found[name] = f"must be within the years {FIRST_YEAR} to {LAST_YEAR}"
    for later, earlier, what, than in ORDER:
        first, then = values.get(earlier), values.get(later)
        if first and then and then < first and later not in found:
            found[later] = f"{what} cannot be before {than}"
    return found
