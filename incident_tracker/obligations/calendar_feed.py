"""A per-user secret iCalendar feed of every open deadline, for calendar apps that cannot log in.

The token in the URL is the credential: only its SHA-256 is stored, and revoking it ends the feed.
Each open, dated obligation of an incident that is not closed is one event at its deadline, with
alarms 24 hours and 2 hours before; clocks without a time (awaiting their anchor, no fixed
deadline) are not events.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app
from icalendar import Alarm, Calendar, Event, vDuration

from ..accounts import tokens
from ..extensions import db
from ..models import CalendarFeed, Incident, Obligation, User, utcnow
from ..web import profile
from ..web.localtime import display, zone

bp = Blueprint("calendar_feed", __name__)

CALENDAR_NAME = "incident_tracker deadlines"
PRODID = "-//incident_tracker//deadlines//EN"
EVENT_LENGTH = timedelta(minutes=15)
ALARMS = (timedelta(hours=24), timedelta(hours=2))
UTC_ZONE = ZoneInfo("UTC")
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Disposition": 'inline; filename="incident-tracker.ics"',
}


@bp.get("/calendar/<token>.ics")
def show(token: str):
    """The feed for a valid, unrevoked token of an active user; 404 (plain text) otherwise."""
    if _active_feed(token) is None:
        return Response("Not found.\n", status=404, mimetype="text/plain")
    # The configured address, not the request's Host header, which anyone may set.
    base_url = str(current_app.config["APP_BASE_URL"]).rstrip("/")
    body = feed(open_obligations(), base_url, utcnow(), profile.timezone_name())
    return Response(body, mimetype="text/calendar", headers=HEADERS)


def _active_feed(token: str) -> CalendarFeed | None:
    statement = (
        db.select(CalendarFeed)
        .join(CalendarFeed.user)
        .where(
            CalendarFeed.token_hash == tokens.digest(token),
            CalendarFeed.revoked_at.is_(None),
            User.active.is_(True),
        )
    )
    return db.session.execute(statement).scalar_one_or_none()


def open_obligations() -> list[Obligation]:
    """Every open, dated obligation of an incident that is not closed, soonest first."""
    statement = (
        db.select(Obligation)
        .join(Obligation.incident)
        .where(
            Obligation.status == "open",
            Obligation.due_at.is_not(None),
            Incident.status != "closed",
        )
        .options(db.contains_eager(Obligation.incident))
        .order_by(Obligation.due_at, Obligation.id)
    )
    return list(db.session.execute(statement).scalars())


def feed(obligations, base_url: str, now: datetime, timezone: str = "UTC") -> bytes:
    """The VCALENDAR with one event per open, dated obligation of an incident not closed."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("x-wr-timezone", timezone)
    tz = zone(timezone)
    for row in obligations:
        if _is_event(row):
            calendar.add_component(_event(row, base_url, now, tz))
    return calendar.to_ical()


def _is_event(row: Obligation) -> bool:
    return row.status == "open" and row.due_at is not None and row.incident.status != "closed"


def _event(row: Obligation, base_url: str, now: datetime, tz: ZoneInfo) -> Event:
    link = incident_link(base_url, row.incident.reference)
    event = Event()
    event.add("uid", f"obligation-{row.id}@incident-tracker")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", row.due_at.astimezone(UTC))
    event.add("duration", EVENT_LENGTH)
    event.add("summary", summary(row))
    event.add("description", _description(row, link, tz))
    event.add("url", link)
    for before in ALARMS:
        event.add_component(_alarm(row, before))
    return event


def incident_link(base_url: str, reference: str) -> str:
    return f"{base_url.rstrip('/')}/incidents/{reference}"


def summary(row: Obligation) -> str:
    return f"{row.title} ({row.jurisdiction}) — {row.incident.reference}"


def _description(row: Obligation, link: str, tz: ZoneInfo) -> str:
    anchor = row.anchor.replace("_", " ")
    if row.anchor_at is not None:
        anchor += f": {display(row.anchor_at, tz)}"
    lines = (
        f"{row.title} ({row.jurisdiction}) due {display(row.due_at, tz)} "
        f"({display(row.due_at, UTC_ZONE)})",
        f"Basis: {row.basis}",
        f"Recipient: {row.recipient}",
        f"Clock started by: {anchor}",
        f"Incident: {row.incident.reference}: {row.incident.title}",
        link,
    )
    return "\n".join(lines)


def _alarm(row: Obligation, before: timedelta) -> Alarm:
    hours = int(before.total_seconds() // 3600)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", _Hours(-before))
    alarm.add("description", f"{summary(row)} is due in {hours} h")
    return alarm


class _Hours(vDuration):
    """A duration written in hours ("-PT24H"): elapsed time, never a nominal calendar day."""

    def to_ical(self) -> bytes:
        hours = int(self.td.total_seconds() // 3600)
        return f"{'-' if hours < 0 else ''}PT{abs(hours)}H".encode()
