"""How instants are written for people: the wall time to the minute in a zone, and UTC to the
second, built from isoformat (faster than strftime, so it must say exactly what strftime says)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from incident_tracker.web.filters import _utc
from incident_tracker.web.localtime import display, to_wall_time_text

ZONES = ["Europe/Berlin", "Europe/Dublin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]
INSTANTS = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@given(INSTANTS, st.sampled_from(ZONES))
def test_display_is_the_wall_time_to_the_minute_and_the_zone_abbreviation(value, name):
    local = value.astimezone(ZoneInfo(name))
    assert display(value, ZoneInfo(name)) == local.strftime("%Y-%m-%d %H:%M ") + local.tzname()


@given(INSTANTS)
def test_utc_is_written_to_the_second(value):
    assert _utc(value) == value.strftime("%Y-%m-%d %H:%M:%S UTC")


def test_daylight_saving_examples():
    berlin = ZoneInfo("Europe/Berlin")
    assert display(datetime(2026, 3, 29, 0, 59, tzinfo=UTC), berlin) == "2026-03-29 01:59 CET"
    assert display(datetime(2026, 3, 29, 1, 0, tzinfo=UTC), berlin) == "2026-03-29 03:00 CEST"
    # 02:30 happens twice on 25 October 2026: a form shows which one with its offset.
    assert to_wall_time_text(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), berlin) == (
        "2026-10-25 02:30+02:00"
    )
    assert to_wall_time_text(datetime(2026, 10, 25, 1, 30, tzinfo=UTC), berlin) == (
        "2026-10-25 02:30+01:00"
    )
    assert _utc(datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC)) == "2024-02-29 23:59:59 UTC"
