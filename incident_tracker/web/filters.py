"""Template filters and globals: instants shown in the organization's timezone."""

from datetime import UTC, datetime
from urllib.parse import quote

from flask import Flask, g, url_for
from markupsafe import Markup, escape

from ..facts import codes
from ..models import utcnow
from .countdown import countdown, duration_words, urgency
from .localtime import display
from .profile import current, local_zone, timezone_name
from .roles import DECIDERS, INCIDENT_EDITORS, may


def init_app(app: Flask) -> None:
    app.add_template_filter(_localtime, "localtime")
    app.add_template_filter(_utc, "utc")
    app.add_template_filter(codes.name, "jurisdiction_name")
    app.add_template_filter(_words, "words")
    app.add_template_filter(_countdown, "countdown")
    app.add_template_filter(lambda due: urgency(due, utcnow()), "urgency")
    app.add_template_filter(_elapsed, "elapsed")
    app.add_template_filter(lambda value: value.isoformat() if value else "", "iso")
    app.add_template_global(instant)
    app.add_template_global(due_cell)
    app.add_template_global(status_badge)
    app.add_template_global(audit_row)
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


STATUS_COLOURS = {
    "open": "primary",
    "awaiting_anchor": "secondary",
    "no_fixed_deadline": "info",
    "submitted": "success",
    "not_required": "dark",
    "no_longer_applicable": "light",
}


# The two cells below and the audit row are Python rather than Jinja macros, built with f-strings
# and escape() rather than Markup.format (whose formatter costs 30 us a call): a page shows a
# hundred rows (the audit rows: 5 -> 1 ms of the incident page's 30).


def due_cell(row) -> Markup:
    """When an obligation (or a dashboard's PendingRow) is due, and what became of it."""
    filing = row.effective_filings()[-1] if row.status == "submitted" and row.filings else None
    if filing:
        due = instant(row.due_at) if row.due_at else _muted("no fixed deadline")
        outcome = ", <strong>late</strong>" if filing.late else ", on time" if row.due_at else ""
        return Markup(
            f'{due}<div class="small">filed {instant(filing.submitted_at)}{outcome}</div>'
        )
    if row.status in ("not_required", "no_longer_applicable"):
        return instant(row.due_at) if row.due_at else _muted("no date")
    if row.due_at:
        left = escape(_countdown(row.due_at))
        iso = escape(row.due_at.isoformat())
        return Markup(
            f'{instant(row.due_at)}<div class="small countdown" data-due="{iso}">{left}</div>'
        )
    if row.status == "awaiting_anchor":
        return _muted(row.starts_when or "awaiting its anchor")
    if row.status == "no_fixed_deadline":
        cell = _muted("without undue delay")
        if row.anchor_at:
            cell += Markup(f'<div class="small">aware {escape(_elapsed(row.anchor_at))} ago</div>')
        return cell
    return _muted("no date")


def status_badge(row) -> Markup:
    """An obligation's status as a coloured badge, and "late" for a late filing."""
    colour = STATUS_COLOURS.get(row.status, "secondary")
    badge = Markup(f'<span class="badge text-bg-{colour}">{escape(_words(row.status))}</span>')
    if row.status == "submitted" and row.filings and row.filings[-1].late:
        badge += Markup(' <span class="badge text-bg-danger">late</span>')
    return badge


def audit_row(event) -> Markup:
    """One row of an audit table: when, who, from where, what, and each value it set or changed
    (for an update, before -> after; an absent value as the empty-set sign)."""
    update = event.action == "update"
    changes = "".join(
        _change(name, before, after, update) for name, before, after in event.changes()
    )
    what = f"{escape(event.action)} {escape(_words(event.entity))} {escape(event.entity_id)}"
    return Markup(
        f"<tr><td>{int(event.id)}</td><td>{instant(event.at)}</td><td>{escape(event.actor)}</td>"
        f"<td>{escape(event.address or '')}</td><td>{what}</td><td>{changes}</td></tr>"
    )


def _change(name: str, before, after, update: bool) -> str:
    shown = f'<span class="text-muted">{_value(before)}</span> → ' if update else ""
    return f"<div><code>{escape(name)}</code>: {shown}{_value(after)}</div>"


def _value(value) -> str:
    return "∅" if value is None else escape(value)


def _countdown(due: datetime | None) -> str:
    return countdown(due, utcnow())


def _elapsed(since: datetime | None) -> str:
    return duration_words(utcnow() - since) if since else ""


def _muted(text: str) -> Markup:
    return Markup(f'<span class="text-muted">{escape(text)}</span>')


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
    return (
        value.astimezone(UTC).isoformat(sep=" ", timespec="seconds")[:19] + " UTC" if value else ""
    )


def _words(value: str | None) -> str:
    return (value or "").replace("_", " ")


def _globals() -> dict:
    return {
        "organization": current(),
        "timezone_name": timezone_name(),
        "can_edit": may(INCIDENT_EDITORS),
        "can_decide": may(DECIDERS),
    }
