"""The UTC datetime column type: aware in, aware UTC out, naive refused, on both backends."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import StatementError

from incident_tracker.db import NaiveDatetimeError
from incident_tracker.extensions import db
from incident_tracker.models import Incident, TimelineEvent


def _incident(**values) -> Incident:
    return Incident(reference="INC-2026-9999", title="t", **values)


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 3, 27, 17, 30, tzinfo=ZoneInfo("Europe/Berlin")),
        datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=ZoneInfo("Europe/Berlin")),
        datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York")),
        datetime(
            2028, 2, 29, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-9, minutes=-30))
        ),
    ],
)
def test_aware_datetime_comes_back_as_the_same_instant_in_utc(app_ctx, value):
    db.session.add(_incident(aware_at=value))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.execute(db.select(Incident)).scalar_one().aware_at
    # PEP 495: an ambiguous wall time never compares equal across zones, so compare instants.
    assert stored.timestamp() == value.timestamp()
    assert stored.utcoffset() == timedelta(0)


def test_naive_datetime_is_refused_and_nothing_is_written(app_ctx):
    db.session.add(_incident(aware_at=datetime(2026, 3, 27, 17, 30)))
    with pytest.raises(StatementError) as raised:
        db.session.commit()
    assert isinstance(raised.value.orig, NaiveDatetimeError)
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count()).select_from(Incident)).scalar_one() == 0


def test_naive_datetime_is_refused_in_a_query_parameter(app_ctx):
    with pytest.raises(StatementError):
        db.session.execute(db.select(Incident).where(Incident.aware_at > datetime(2026, 1, 1)))


def test_timeline_events_cannot_be_changed_or_deleted(app_ctx):
    incident = _incident()
    event = TimelineEvent(
        kind="note", text="first", occurred_at=datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))
    )
    incident.events.append(event)
    db.session.add(incident)
    db.session.commit()
    event.text = "rewritten"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(event)
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(TimelineEvent, event.id).text == "first"
