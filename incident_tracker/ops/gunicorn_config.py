"""gunicorn settings for `incident-tracker run` (and the load tests and benchmarks).

gunicorn -c python:incident_tracker.ops.gunicorn_config 'incident_tracker.app:create_app()'
"""

import gc
import re

from gunicorn.glogging import Logger

# A calendar feed's URL is its secret (calendar apps cannot log in): the access log keeps the
# path without it, and so does every other URL-bearing field of a log line.
SECRET_IN_URL = re.compile(r"(/calendar/)[^/?#\s]+(\.ics)")


def redact(text: str | None) -> str | None:
    return SECRET_IN_URL.sub(r"\1[secret]\2", text) if text else text


class RedactingLogger(Logger):
    """gunicorn's logger, with the secrets taken out of the access log's URLs."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            atoms[key] = redact(atoms.get(key))
        return atoms


logger_class = RedactingLogger


def post_worker_init(worker) -> None:
    """Once a worker has built the app, warm it up and freeze the objects alive now.

    Warming up: the holiday calendars are imported on first use (about 200 ms), which the first
    request of every worker used to pay (the p95 of bench/RESULTS.md); the engine computes a few
    sample incidents here instead.

    Freezing (gc.freeze):

    A worker's heap is mostly the app itself: SQLAlchemy's mappers and compiled statements, Jinja's
    templates, the holiday calendars, WeasyPrint's fonts. Python's full collections kept walking
    all of it; frozen objects are left out of every collection.
    """
    warm_up()
    gc.freeze()


def warm_up() -> None:
    """Run the engine over sample facts, so that its calendars and caches are loaded."""
    from datetime import UTC, datetime

    from ..core import engine
    from ..core.facts import Facts
    from ..core.facts import Organization as OrganizationFacts

    aware = datetime(2026, 3, 27, 9, 15, tzinfo=UTC)
    for country, zone in (("IE", "Europe/Dublin"), ("US", "America/New_York")):
        organization = OrganizationFacts(country=country, timezone=zone, sec_registrant=True)
        affected = {"IE": 1, "DE": 1, "FR": 1, "GB": 1, "US-CA": 1, "US-NY": 1, "US-TX": 1}
        facts = Facts(
            organization=organization,
            personal_data_breach=True,
            aware_at=aware,
            discovered_at=aware,
            affected=affected,
        )
        engine.compute(facts)
