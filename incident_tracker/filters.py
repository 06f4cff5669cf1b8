"""Template filters and globals: instants shown in the organization's timezone."""

from datetime import UTC, datetime
from urllib.parse import quote

from flask import Flask, g, url_for
from markupsafe import Markup, escape

from . import codes
from .countdown import countdown, duration_words, urgency
from .localtime import display
from .models import utcnow
from .profile import current, local_zone, timezone_name
from .roles import INCIDENT_EDITORS, may


def init_app(app: Flask) -> None:
    app.add_template_filter(_localtime, "localtime")
    app.add_template_filter(_utc, "utc")
    app.add_template_filter(codes.name, "jurisdiction_name")
    app.add_template_filter(_words, "words")
    app.add_template_filter(lambda due: countdown(due, utcnow()), "countdown")
    app.add_template_filter(lambda due: urgency(due, utcnow()), "urgency")
    app.add_template_filter(
        lambda since: duration_words(utcnow() - since) if since else "", "elapsed"
    )
    app.add_template_filter(lambda value: value.isoformat() if value else "", "iso")
    app.add_template_global(instant)
    app.add_template_global(incident_url)
    app.add_template_global(obligation_url)
    app.context_processor(_globals)


NOT_RECORDED = Markup('<span class="text-muted">not recorded</span>')


def instant(value: datetime | None) -> Markup:
    """An instant as a <time> element: local time shown, UTC on hover, ISO for scripts."""
    if not value:
        return NOT_RECORDED
    iso, utc, local = escape(value.isoformat()), escape(_utc(value)), escape(_localtime(value))
    return Markup(f'<time datetime="{iso}" title="{utc}">{local}</time>')


def incident_url(reference: str) -> str:
    """url_for('incidents.show', reference=...) for long tables: the prefix is built once."""
    return _prefix("incidents.index", {}) + quote(reference, safe="")


def obligation_url(obligation_id: int) -> str:
    """url_for('obligations.show', obligation_id=...) for long tables, likewise."""
    return _prefix("obligations.show", {"obligation_id": 0})[:-1] + str(int(obligation_id))


def _prefix(endpoint: str, values: dict) -> str:
    cache = g.setdefault("url_prefixes", {})
    if endpoint not in cache:
        cache[endpoint] = url_for(endpoint, **values)
    return cache[endpoint]


def _localtime(value: datetime | None) -> str:
    return display(value, local_zone())


def _utc(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if value else ""


def _words(value: str | None) -> str:
    return (value or "").replace("_", " ")


def _globals() -> dict:
    return {
        "organization": current(),
        "timezone_name": timezone_name(),
        "can_edit": may(INCIDENT_EDITORS),
    }
