"""The due and status cells of obligation tables (filters.due_cell, filters.status_badge), every
branch, in the organization's zone (Europe/Berlin)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from incident_tracker.models import utcnow
from incident_tracker.web.filters import due_cell, status_badge

DUE = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # 10:00 CEST
FILED = datetime(2026, 3, 28, 9, 0, tzinfo=UTC)  # 10:00 CET


@dataclass
class Filing:
    submitted_at: datetime
    late: bool = False
    id: int = 1
    corrects_id: int | None = None


@dataclass
class Row:
    status: str = "open"
    due_at: datetime | None = None
    anchor_at: datetime | None = None
    starts_when: str | None = None
    filings: tuple = ()

    def effective_filings(self) -> list[Filing]:
        corrected = {filing.corrects_id for filing in self.filings if filing.corrects_id}
        return [filing for filing in self.filings if filing.id not in corrected]


@pytest.fixture
def request_ctx(app, org):
    with app.test_request_context("/"):
        yield


def test_a_filed_obligation_shows_its_deadline_and_when_it_was_filed(request_ctx):
    on_time = str(due_cell(Row("submitted", DUE, filings=(Filing(FILED),))))
    assert "2026-03-30 10:00 CEST" in on_time and "filed <time" in on_time
    assert "2026-03-28 10:00 CET" in on_time and on_time.endswith(", on time</div>")
    late = Row("submitted", DUE, filings=(Filing(FILED), Filing(FILED, True, 2, corrects_id=1)))
    assert str(due_cell(late)).endswith(", <strong>late</strong></div>")
    undated = str(due_cell(Row("submitted", None, filings=(Filing(FILED),))))
    assert undated.startswith('<span class="text-muted">no fixed deadline</span>')
    assert undated.endswith("</time></div>")  # neither late nor on time without a deadline


def test_decided_and_dropped_obligations_show_their_date_or_none(request_ctx):
    for status in ("not_required", "no_longer_applicable"):
        assert str(due_cell(Row(status, DUE))).startswith('<time datetime="2026-03-30T08:00')
        assert str(due_cell(Row(status))) == '<span class="text-muted">no date</span>'


def test_an_open_deadline_counts_down(request_ctx):
    due = utcnow() + timedelta(hours=5, minutes=30)
    cell = str(due_cell(Row("open", due)))
    assert f'data-due="{due.isoformat()}"' in cell
    assert "countdown" in cell and "5 h" in cell


def test_undated_duties_say_why(request_ctx):
    waiting = Row("awaiting_anchor", starts_when="when the <final> report is due")
    assert str(due_cell(waiting)) == (
        '<span class="text-muted">when the &lt;final&gt; report is due</span>'
    )
    assert "awaiting its anchor" in str(due_cell(Row("awaiting_anchor")))
    assert str(due_cell(Row("no_fixed_deadline"))) == (
        '<span class="text-muted">without undue delay</span>'
    )
    aware = Row("no_fixed_deadline", anchor_at=utcnow() - timedelta(days=2, hours=1))
    assert str(due_cell(aware)).endswith('<div class="small">aware 2 d 1 h 0 min ago</div>')
    assert str(due_cell(Row("open"))) == '<span class="text-muted">no date</span>'


def test_status_badges_are_coloured_and_flag_a_late_filing(request_ctx):
    assert str(status_badge(Row("awaiting_anchor"))) == (
        '<span class="badge text-bg-secondary">awaiting anchor</span>'
    )
    late = Row("submitted", DUE, filings=(Filing(FILED, late=True),))
    assert str(status_badge(late)) == (
        '<span class="badge text-bg-success">submitted</span>'
        ' <span class="badge text-bg-danger">late</span>'
    )
    assert "danger" not in str(status_badge(Row("submitted", DUE, filings=(Filing(FILED),))))
    assert 'text-bg-secondary">made up' in str(status_badge(Row("made_up")))
