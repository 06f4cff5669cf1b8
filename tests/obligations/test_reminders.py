"""Reminder e-mails via a real SMTP server on loopback: once per point, even when runs overlap."""

import asyncio
import socket
import threading
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from incident_tracker.extensions import db
from incident_tracker.models import Obligation, Organization, ReminderSent, User
from incident_tracker.obligations import reminders
from tests.helpers import get_incident, incident_form, reference_from

AWARE = datetime(2026, 3, 27, 16, 30, tzinfo=UTC)  # 17:30 CET in the form
EARLY_DUE = AWARE + timedelta(hours=24)  # NIS2 early warning
NOTIFICATION_DUE = AWARE + timedelta(hours=72)  # GDPR and NIS2 incident notification
HALF_OF_EARLY = AWARE + timedelta(hours=12, minutes=30)  # only the early warning's 50 % passed


class Collector:
    """An aiosmtpd handler that keeps every message, optionally slowly (to make runs overlap)."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.messages.append((sorted(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mail_app(make_app, smtp):
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, APP_BASE_URL="https://it.example")


@pytest.fixture
def owner(make_user):
    return make_user("commander", "owner@example.org")


@pytest.fixture
def reference(app, client, as_role, owner):
    as_role("dpo")
    with app.app_context():
        db.session.get(Organization, 1).dpo_email = "privacy@example.org"
        db.session.commit()
    return record(client, owner_id=str(owner.id))


def record(client, **overrides) -> str:
    return reference_from(client.post("/incidents/new", data=incident_form(**overrides)))


def run(app, now: datetime, **options) -> reminders.Report:
    with app.app_context():
        return reminders.remind(now, **options)


def messages(smtp) -> list:
    return smtp.handler.messages


def subject_of(message) -> str:
    return str(message["Subject"]).strip()  # a folded header may unfold with a leading space


def subjects(smtp) -> list[str]:
    return sorted(subject_of(message) for _, message in messages(smtp))


def obligation_id(app, reference: str, key: str) -> int:
    with app.app_context():
        for row in get_incident(reference).obligations:
            if f"{row.rule_id}:{row.jurisdiction}" == key:
                return row.id
    raise AssertionError(key)


def recorded(app) -> dict[tuple[int, str], str]:
    with app.app_context():
        rows = db.session.execute(db.select(ReminderSent)).scalars()
        return {(row.obligation_id, row.point): row.recipients for row in rows}


def test_a_passed_point_mails_the_owner_and_the_dpo_once(app, mail_app, smtp, reference):
    report = run(mail_app, HALF_OF_EARLY)
    assert report.ok and len(report.sent) == 1
    [(recipients, message)] = messages(smtp)
    assert recipients == ["owner@example.org", "privacy@example.org"]
    assert subject_of(message) == (
        f"[incident_tracker] NIS2 early warning (DE) for {reference} due in 11 h 30 min"
    )
    assert str(message["From"]) == "incident-tracker@localhost"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "text/plain"
    text = message.get_content()
    early = obligation_id(app, reference, "nis2.early_warning:DE")
    assert "Due:              2026-03-28 17:30 CET (2026-03-28 16:30 UTC)" in text
    assert "Directive (EU) 2022/2555 Art. 23(4)(a)" in text
    assert "Recipient:        CSIRT or competent authority (DE)" in text
    assert "Credential theft via poisoned dependency" in text
    assert f"https://it.example/incidents/{reference}" in text
    assert f"https://it.example/obligations/{early}" in text
    assert "<" not in text
    assert recorded(app) == {(early, "50%"): "owner@example.org, privacy@example.org"}
    again = run(mail_app, HALF_OF_EARLY + timedelta(minutes=1))
    assert again.sent == [] and again.ok
    assert len(messages(smtp)) == 1


def test_each_point_is_sent_when_it_passes_and_never_again(app, mail_app, smtp, reference):
    early = obligation_id(app, reference, "nis2.early_warning:DE")
    for when in (
        HALF_OF_EARLY,  # 50 %
        AWARE + timedelta(hours=19, minutes=13),  # 80 % of 24 h is 19 h 12 min
        EARLY_DUE - timedelta(hours=2),
        EARLY_DUE,
        EARLY_DUE + timedelta(hours=1),
    ):
        run(mail_app, when)
    early_subjects = [s for s in subjects(smtp) if "early warning" in s]
    assert len(early_subjects) == 4
    assert f"[incident_tracker] NIS2 early warning (DE) for {reference} due in 2 h 0 min" in (
        early_subjects
    )
    assert (
        f"[incident_tracker] NIS2 early warning (DE) for {reference} due in 0 min" in early_subjects
    )
    assert {point for (row, point) in recorded(app) if row == early} == {
        "50%",
        "80%",
        "2h",
        "overdue",
    }


def test_first_seen_overdue_sends_only_overdue_and_skips_the_earlier_points(
    app, mail_app, smtp, reference
):
    now = NOTIFICATION_DUE + timedelta(hours=3)
    report = run(mail_app, now)
    assert len(report.sent) == 3 and len(messages(smtp)) == 3
    assert all("is OVERDUE by" in subject for subject in subjects(smtp))
    assert (
        f"[incident_tracker] NIS2 early warning (DE) for {reference} is OVERDUE by 2 d 3 h 0 min"
        in subjects(smtp)
    )
    early = obligation_id(app, reference, "nis2.early_warning:DE")
    rows = recorded(app)
    assert rows[(early, "overdue")] == "owner@example.org, privacy@example.org"
    assert rows[(early, "50%")] == rows[(early, "2h")] == "(skipped: overdue sent instead)"
    assert run(mail_app, now + timedelta(days=1)).sent == []
    assert len(messages(smtp)) == 3


def test_several_points_at_once_send_the_latest(app, mail_app, smtp, reference):
    run(mail_app, NOTIFICATION_DUE - timedelta(hours=1))  # 50 %, 80 % and 2 h have passed
    notification = obligation_id(app, reference, "gdpr.sa_notification:DE")
    rows = recorded(app)
    assert rows[(notification, "2h")].startswith("owner@")
    assert rows[(notification, "80%")] == "(skipped: 2h sent instead)"
    assert (notification, "overdue") not in rows
    assert (
        f"[incident_tracker] GDPR supervisory authority notification (DE) for {reference} "
        "due in 1 h 0 min" in subjects(smtp)
    )


def test_submitted_obligations_and_closed_incidents_get_no_reminders(
    app, client, mail_app, smtp, reference
):
    early = obligation_id(app, reference, "nis2.early_warning:DE")
    filed = client.post(
        f"/obligations/{early}/filings",
        data={"submitted_at": "2026-03-28 10:00", "recipient_reference": "BSI-1"},
    )
    assert filed.status_code == 302
    closed = record(client, status="closed", closed_at="2026-04-02 12:00")
    with app.app_context():
        assert get_incident(closed).status == "closed"
    report = run(mail_app, NOTIFICATION_DUE + timedelta(days=1))
    sent = {reminder.obligation_id for reminder in report.sent}
    with app.app_context():
        expected = {
            row.id
            for row in get_incident(reference).obligations
            if row.status == "open" and row.due_at is not None
        }
    assert sent == expected and early not in sent and len(sent) == 2
    assert all(reference in subject for subject in subjects(smtp))


def test_without_owner_or_dpo_address_every_active_admin_and_dpo_is_mailed(
    app, client, mail_app, smtp, as_role, make_user
):
    as_role("dpo")  # dpo@example.org
    make_user("admin", "admin@example.org")
    make_user("viewer", "viewer@example.org")
    gone = make_user("admin", "gone@example.org")
    with app.app_context():
        db.session.get(User, gone.id).active = False
        db.session.commit()
    record(client)
    run(mail_app, HALF_OF_EARLY)
    [(recipients, message)] = messages(smtp)
    assert recipients == ["admin@example.org", "dpo@example.org"]


def test_with_nobody_to_mail_the_reminder_fails_and_stays_due(app, client, mail_app, as_role):
    as_role("commander")  # no owner, no DPO address, no admin or DPO user
    record(client)
    report = run(mail_app, HALF_OF_EARLY)
    [(reminder, reason)] = report.failed
    assert reminder.recipients == () and reason.startswith("nobody to send it to")
    assert recorded(app) == {}


def test_the_owner_and_the_dpo_are_not_mailed_twice(app, client, mail_app, smtp, as_role):
    dpo = as_role("dpo")
    with app.app_context():
        db.session.get(Organization, 1).dpo_email = "DPO@example.org"
        db.session.commit()
    record(client, owner_id=str(dpo.id))
    run(mail_app, HALF_OF_EARLY)
    [(recipients, message)] = messages(smtp)
    assert recipients == ["dpo@example.org"]


def test_overlapping_runs_send_each_reminder_exactly_once(app, make_app, smtp, reference):
    smtp.handler.delay = 0.2  # each claim is held while its e-mail is on the wire
    apps = [make_app(MAIL_PORT=smtp.port) for _ in range(2)]
    now = NOTIFICATION_DUE + timedelta(minutes=5)
    start = threading.Barrier(len(apps))
    reports, errors = [], []

    def worker(each_app):
        try:
            with each_app.app_context():
                start.wait()
                reports.append(reminders.remind(now))
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(each,)) for each in (apps[0], apps[1])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert all(report.ok for report in reports)
    assert sum(len(report.sent) for report in reports) == 3
    assert sum(report.skipped for report in reports) >= 1
    assert len(messages(smtp)) == 3
    assert len(set(subjects(smtp))) == 3
    assert len([row for row in recorded(app).values() if not row.startswith("(")]) == 3


def test_a_failing_mail_server_records_nothing_and_a_later_run_sends(
    app, make_app, smtp, reference
):
    broken = make_app(MAIL_PORT=free_port(), MAIL_TIMEOUT=2)  # nobody listens there
    report = run(broken, HALF_OF_EARLY)
    assert report.sent == [] and not report.ok
    [(reminder, reason)] = report.failed
    assert reminder.point == "50%" and "Connection" in reason
    assert recorded(app) == {}
    working = make_app(MAIL_PORT=smtp.port)
    assert len(run(working, HALF_OF_EARLY).sent) == 1
    assert len(messages(smtp)) == 1


def test_an_unreachable_server_is_tried_once_per_run(app, make_app, reference):
    broken = make_app(MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    report = run(broken, NOTIFICATION_DUE + timedelta(hours=1))
    assert len(report.failed) == 3
    assert [reason.startswith("ConnectionError: not tried") for _, reason in report.failed] == [
        False,
        True,
        True,
    ]
    assert recorded(app) == {}


def test_a_dry_run_sends_and_records_nothing(app, mail_app, smtp, reference):
    report = run(mail_app, HALF_OF_EARLY, dry_run=True)
    assert [reminder.point for reminder in report.planned] == ["50%"]
    assert report.sent == [] and messages(smtp) == [] and recorded(app) == {}


def test_nothing_due_sends_nothing(app, mail_app, smtp, reference):
    report = run(mail_app, AWARE + timedelta(hours=1))
    assert report.ok and report.sent == report.planned == [] and messages(smtp) == []


def test_invalid_points_are_refused_naming_the_bad_one(app, make_app, reference):
    bad = make_app(REMINDER_POINTS="50%,soon,overdue")
    with pytest.raises(reminders.ConfigurationError, match="'soon' is not a reminder point"):
        run(bad, HALF_OF_EARLY)
    assert recorded(app) == {}


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("", "REMINDER_POINTS is empty"),
        ("0%", "'0%' is not a reminder point"),
        ("100%", "'100%' is not a reminder point"),
        ("0h", "'0h' is not a reminder point"),
        ("2 weeks", "'2 weeks' is not a reminder point"),
        ("2h,overdue,2H", "'2h' is given twice"),
    ],
)
def test_point_parsing_refuses(setting, message):
    with pytest.raises(reminders.ConfigurationError, match=message):
        reminders.parse_points(setting)


def test_point_parsing_and_times():
    points = reminders.parse_points(" 50 %, 87.5%,30m, 1D ,OVERDUE")
    assert [point.label for point in points] == ["50%", "87.5%", "30m", "1d", "overdue"]
    assert reminders.parse_points(["80%", "2h"])[1].before == timedelta(hours=2)
    anchor, due = AWARE, AWARE + timedelta(hours=24)
    half, _, thirty, day, overdue = points
    assert half.at(anchor, due) == anchor + timedelta(hours=12)
    assert half.at(None, due) is None  # no anchor: percentage points are skipped
    assert thirty.at(anchor, due) == due - timedelta(minutes=30)
    assert day.at(None, due) == anchor
    assert overdue.at(None, due) == due


def test_the_command_sends_then_has_nothing_to_do(app, mail_app, smtp, reference):
    runner = mail_app.test_cli_runner()
    dry = runner.invoke(args=["remind", "--dry-run"])  # by name, as cron runs it
    assert dry.exit_code == 0, dry.output
    assert "would send overdue reminder" in dry.stdout
    assert "3 reminder(s) would be sent; nothing was recorded." in dry.stdout
    assert messages(smtp) == []
    first = runner.invoke(args=["remind"])
    assert first.exit_code == 0, first.output
    assert first.stdout.count("sent overdue reminder") == 3
    second = runner.invoke(args=["remind"])
    assert (second.exit_code, second.output) == (0, "")
    assert len(messages(smtp)) == 3


def test_the_command_exits_1_when_an_email_failed(app, make_app, reference):
    broken = make_app(MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    result = broken.test_cli_runner().invoke(args=["remind"])
    assert result.exit_code == 1
    assert result.stderr.count("FAILED overdue reminder") == 3
    assert recorded(app) == {}


def test_the_command_names_a_bad_setting(app, make_app):
    bad = make_app(REMINDER_POINTS="80%,tomorrow")
    result = bad.test_cli_runner().invoke(args=["remind"])
    assert result.exit_code == 2
    assert "'tomorrow' is not a reminder point" in result.stderr


def test_obligations_of_every_status_are_left_alone_when_not_open(app, mail_app, smtp, reference):
    with app.app_context():
        statement = db.select(Obligation).where(Obligation.status != "open")
        waiting = list(db.session.execute(statement).scalars())
        assert {row.status for row in waiting} == {"awaiting_anchor", "no_fixed_deadline"}
        ids = {row.id for row in waiting}
    report = run(mail_app, NOTIFICATION_DUE + timedelta(days=60))
    assert ids.isdisjoint(reminder.obligation_id for reminder in report.sent)
