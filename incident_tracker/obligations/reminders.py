"""Reminder e-mails as deadlines approach and pass: `incident-tracker remind`, run from cron.

REMINDER_POINTS lists when to remind, for every open, dated obligation of an incident that is not
closed: a percentage of the window from the obligation's anchor to its deadline ("50%"), a time
before the deadline ("2h", "30m", "1d"), or "overdue" (the deadline itself). The e-mail goes to
the incident's owner and the organization's DPO (de-duplicated), or, when neither exists, to every
active admin and DPO.

Exactly once per obligation and point, even when runs overlap: a reminder is claimed by inserting
its ReminderSent row (unique per obligation and point), the e-mail is sent inside that same
transaction, and only then is it committed. A run that meets a row another run is holding waits
for it and then skips it; a failed send rolls the claim back, so a later run tries again.

When several points have passed since the last run (a deadline first seen when it is already
overdue, or after the cron job was down), only the latest one is sent; the earlier ones are
recorded in the same claim as skipped (their recipients column says so) and are never sent late.
A point whose deadline moved after it was sent is not sent again.
"""

import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError, OperationalError

from ..extensions import db
from ..models import Incident, Obligation, Organization, ReminderSent, User, utcnow
from ..web.countdown import duration_words
from ..web.localtime import display, zone
from .mail import ConfigurationError, Mailer, MailSettings, reason

OVERDUE = "overdue"
UNITS = {"m": "minutes", "h": "hours", "d": "days"}
PERCENT = re.compile(r"(\d{1,2}(?:\.\d{1,2})?)\s*%")
BEFORE = re.compile(r"(\d{1,5})\s*([mhd])")
UTC_ZONE = ZoneInfo("UTC")
FALLBACK_ROLES = ("admin", "dpo")
SUBJECT_PREFIX = "[incident_tracker]"


@dataclass(frozen=True)
class Point:
    """One moment to remind at: a fraction of the window, a time before the deadline, or overdue."""

    label: str
    fraction: float | None = None
    before: timedelta = timedelta(0)

    def at(self, anchor_at: datetime | None, due_at: datetime) -> datetime | None:
        """When this point passes for a deadline; None for a percentage without an anchor."""
        if self.fraction is None:
            return due_at - self.before
        return None if anchor_at is None else anchor_at + (due_at - anchor_at) * self.fraction


def parse_points(setting) -> tuple[Point, ...]:
    """Read REMINDER_POINTS ("50%,80%,2h,overdue" or a list); refuse it naming the bad point."""
    items = setting.split(",") if isinstance(setting, str) else list(setting or ())
    points = tuple(parse_point(str(item)) for item in items if str(item).strip())
    if not points:
        raise ConfigurationError("REMINDER_POINTS is empty: give at least one, e.g. 80%,2h,overdue")
    labels = [point.label for point in points]
    for label in labels:
        if labels.count(label) > 1:
            raise ConfigurationError(f"REMINDER_POINTS: {label!r} is given twice")
    return points


def parse_point(text: str) -> Point:
    item = text.strip().lower()
    if item == OVERDUE:
        return Point(OVERDUE)
    percent, before = PERCENT.fullmatch(item), BEFORE.fullmatch(item)
    if percent and 0 < float(percent[1]) < 100:
        return Point(f"{float(percent[1]):g}%", fraction=float(percent[1]) / 100)
    if before and int(before[1]) > 0:
        amount, unit = int(before[1]), before[2]
        return Point(f"{amount}{unit}", before=timedelta(**{UNITS[unit]: amount}))
    raise ConfigurationError(
        f"REMINDER_POINTS: {text.strip()!r} is not a reminder point; use a percentage of the "
        "window between 0% and 100% (80%), a time before the deadline (2h, 30m, 1d) or overdue"
    )


@dataclass(frozen=True)
class Reminder:
    """One e-mail to send: the point it is for, and the earlier points it supersedes."""

    obligation_id: int
    point: str
    superseded: tuple[str, ...]
    due_at: datetime
    recipients: tuple[str, ...]
    subject: str
    body: str

    def describe(self) -> str:
        to = ", ".join(self.recipients) or "nobody"
        skipped = f" (skipping {', '.join(self.superseded)})" if self.superseded else ""
        return f"{self.point} reminder{skipped} to {to}: {self.subject}"


@dataclass
class Report:
    planned: list[Reminder] = field(default_factory=list)  # --dry-run: what would be sent
    sent: list[Reminder] = field(default_factory=list)
    failed: list[tuple[Reminder, str]] = field(default_factory=list)  # not recorded: retried
    refused: list[tuple[Reminder, str]] = field(default_factory=list)  # sent, some refused
    skipped: int = 0  # claimed by an overlapping run, or no longer open when claimed

    @property
    def ok(self) -> bool:
        return not (self.failed or self.refused)


def remind(now: datetime, dry_run: bool = False) -> Report:
    """Send every reminder whose point has passed at now and that no run has sent yet."""
    if now.utcoffset() is None:
        raise ValueError("remind() needs an aware instant")
    points = parse_points(current_app.config["REMINDER_POINTS"])
    mailer = Mailer(MailSettings.from_config(current_app.config))
    reminders = plan(now, points)
    db.session.rollback()  # end the read: each claim below is its own transaction
    report = Report()
    if dry_run:
        report.planned = reminders
        return report
    try:
        for reminder in reminders:
            _deliver(reminder, mailer, report)
    finally:
        mailer.close()
    return report


# Planning: which obligation is due which reminder


@dataclass(frozen=True)
class _Context:
    now: datetime
    tz: ZoneInfo
    base_url: str
    dpo_email: str | None
    fallback: tuple[str, ...]


def plan(now: datetime, points: tuple[Point, ...]) -> list[Reminder]:
    """The reminders due at now: the latest passed point of each obligation, if not yet sent."""
    rows = _open_obligations()
    recorded = _recorded([row.id for row in rows])
    context = _context(now)
    reminders = []
    for row in rows:
        passed = _passed(row, points, now)
        done = recorded.get(row.id, set())
        if passed and passed[-1] not in done:
            earlier = tuple(label for label in passed[:-1] if label not in done)
            reminders.append(_reminder(row, passed[-1], earlier, context))
    return reminders


def _open_obligations() -> list[Obligation]:
    statement = (
        db.select(Obligation)
        .join(Obligation.incident)
        .where(
            Obligation.status == "open",
            Obligation.due_at.is_not(None),
            Incident.status != "closed",
        )
        .options(db.contains_eager(Obligation.incident).joinedload(Incident.owner))
        .order_by(Obligation.id)
    )
    return list(db.session.execute(statement).unique().scalars())


def _recorded(ids: list[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    if ids:
        statement = db.select(ReminderSent.obligation_id, ReminderSent.point).where(
            ReminderSent.obligation_id.in_(ids)
        )
        for obligation_id, point in db.session.execute(statement):
            found.setdefault(obligation_id, set()).add(point)
    return found


def _passed(row: Obligation, points: tuple[Point, ...], now: datetime) -> list[str]:
    """The labels of the points passed at now, earliest first (ties in configuration order)."""
    passed = []
    for order, point in enumerate(points):
        at = point.at(row.anchor_at, row.due_at)
        if at is not None and at <= now:
            passed.append((at, order, point.label))
    return [label for _, _, label in sorted(passed)]


def _context(now: datetime) -> _Context:
    organization = db.session.get(Organization, 1)
    fallback = db.select(User.email).where(User.role.in_(FALLBACK_ROLES), User.active)
    return _Context(
        now=now,
        tz=zone(organization.timezone) if organization else UTC_ZONE,
        base_url=str(current_app.config["APP_BASE_URL"]).rstrip("/"),
        dpo_email=organization.dpo_email if organization else None,
        fallback=tuple(sorted(db.session.execute(fallback).scalars())),
    )


def _recipients(row: Obligation, context: _Context) -> tuple[str, ...]:
    owner = row.incident.owner
    candidates = [owner.email if owner and owner.active else None, context.dpo_email]
    unique: dict[str, str] = {}
    for address in filter(None, (value and value.strip() for value in candidates)):
        unique.setdefault(address.lower(), address)
    return tuple(unique.values()) or context.fallback


def _reminder(row: Obligation, point: str, earlier: tuple[str, ...], context: _Context) -> Reminder:
    return Reminder(
        obligation_id=row.id,
        point=point,
        superseded=earlier,
        due_at=row.due_at,
        recipients=_recipients(row, context),
        subject=subject(row, context.now),
        body=body(row, point, context),
    )


def subject(row: Obligation, now: datetime) -> str:
    name = f"{row.title} ({row.jurisdiction}) for {row.incident.reference}"
    left = row.due_at - now
    if left < timedelta(0):
        return f"{SUBJECT_PREFIX} {name} is OVERDUE by {duration_words(left)}"
    return f"{SUBJECT_PREFIX} {name} due in {duration_words(left)}"


def body(row: Obligation, point: str, context: _Context) -> str:
    left = row.due_at - context.now
    state = (
        f"is OVERDUE by {duration_words(left)}"
        if left < timedelta(0)
        else f"is due in {duration_words(left)}"
    )
    anchor = row.anchor.replace("_", " ")
    if row.anchor_at is not None:
        anchor += f": {display(row.anchor_at, context.tz)}"
    incident = row.incident
    lines = (
        f"{row.title} ({row.jurisdiction}) for {incident.reference} {state}.",
        f"Incident: {incident.title}",
        "",
        f"Due:              {display(row.due_at, context.tz)} ({display(row.due_at, UTC_ZONE)})",
        f"Rule:             {row.title}",
        f"Basis:            {row.basis}",
        f"Recipient:        {row.recipient}",
        f"Clock started by: {anchor}",
        "",
        f"Incident:   {context.base_url}/incidents/{incident.reference}",
        f"Obligation: {context.base_url}/obligations/{row.id}",
        "",
        f"This is the {point} reminder, sent to the incident's owner and the data protection",
        "officer (or to every admin and DPO when neither is known) by incident-tracker remind.",
    )
    return "\n".join(lines) + "\n"


# Delivery: claim, send, commit


def _deliver(reminder: Reminder, mailer: Mailer, report: Report) -> None:
    if not reminder.recipients:
        report.failed.append((reminder, "nobody to send it to: no owner, DPO, admin or DPO user"))
        return
    try:
        if not _claim(reminder):
            report.skipped += 1
            return
        refused = mailer.send(message(reminder, mailer.settings.sender))
    except (OSError, ValueError, OperationalError) as error:  # smtplib's errors are OSErrors
        db.session.rollback()
        report.failed.append((reminder, reason(error)))
        return
    db.session.commit()
    report.sent.append(reminder)
    if refused:
        report.refused.append((reminder, f"refused by the mail server: {', '.join(refused)}"))


def _claim(reminder: Reminder) -> bool:
    """Insert the reminder's rows in one order (so overlapping claims cannot deadlock)."""
    recipients = ", ".join(reminder.recipients)[:1000]
    skipped = f"(skipped: {reminder.point} sent instead)"
    rows = [
        {
            "obligation_id": reminder.obligation_id,
            "point": label,
            "due_at": reminder.due_at,
            "recipients": recipients if label == reminder.point else skipped,
        }
        for label in sorted((reminder.point, *reminder.superseded))
    ]
    try:
        db.session.execute(insert(ReminderSent), rows)
    except IntegrityError:  # another run holds or sent it
        db.session.rollback()
        return False
    return _still_due(reminder)


def _still_due(reminder: Reminder) -> bool:
    current = db.session.execute(
        db.select(Obligation.status, Obligation.due_at).where(
            Obligation.id == reminder.obligation_id
        )
    ).one_or_none()
    if current is not None and tuple(current) == ("open", reminder.due_at):
        return True
    db.session.rollback()
    return False


def message(reminder: Reminder, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = reminder.subject
    mail["From"] = sender
    mail["To"] = ", ".join(reminder.recipients)
    mail["Date"] = format_datetime(utcnow())
    mail["Message-ID"] = make_msgid("reminder", domain=sender.rpartition("@")[2] or "localhost")
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(reminder.body)
    return mail


# The command


@click.command("remind")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and record nothing.")
@with_appcontext
def remind_command(dry_run: bool) -> None:
    """E-mail the reminders whose points have passed (for cron: safe to run every minute).

    Prints a line per e-mail sent and nothing when there is nothing to do; exits 1 when an e-mail
    could not be sent (after trying the others; a later run retries it), 2 on a bad setting.
    """
    try:
        report = remind(utcnow(), dry_run=dry_run)
    except ConfigurationError as error:
        raise _SettingError(str(error)) from error
    if dry_run:
        for reminder in report.planned:
            click.echo(f"would send {reminder.describe()}")
        click.echo(f"{len(report.planned)} reminder(s) would be sent; nothing was recorded.")
    for reminder in report.sent:
        click.echo(f"sent {reminder.describe()}")
    for reminder, why in report.failed + report.refused:
        click.echo(f"FAILED {reminder.describe()}: {why}", err=True)
    if not report.ok:
        sys.exit(1)


class _SettingError(click.ClickException):
    exit_code = 2


COMMANDS = (remind_command,)
