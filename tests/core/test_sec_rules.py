"""SEC Form 8-K Item 1.05: four US business days after the materiality determination."""

from zoneinfo import ZoneInfo

import pytest

NEW_YORK = ZoneInfo("America/New_York")
REGISTRANT = {"sec_registrant": True}


@pytest.mark.parametrize(
    ("determined", "expected_new_york"),
    [
        ("2026-03-09T10:00:00-04:00", "2026-03-13T17:30:00-04:00"),  # Monday -> Friday
        ("2026-03-06T16:00:00-05:00", "2026-03-12T17:30:00-04:00"),  # Friday -> Thursday
        ("2026-03-07T16:00:00-05:00", "2026-03-12T17:30:00-04:00"),  # Saturday -> Thursday
        ("2026-07-01T10:00:00-04:00", "2026-07-08T17:30:00-04:00"),  # over 3 July (observed)
        ("2026-11-23T10:00:00-05:00", "2026-11-30T17:30:00-05:00"),  # over Thanksgiving
    ],
)
def test_form_8k_is_due_at_17_30_new_york_on_the_fourth_business_day(
    owed, determined, expected_new_york
):
    found = owed(REGISTRANT, sec_materiality_determined_at=determined)
    form = found["sec.form_8k:US"]
    assert form.due_at.astimezone(NEW_YORK).isoformat() == expected_new_york
    assert (form.status, form.anchor) == ("open", "sec_materiality_determined_at")
    assert form.basis == "SEC Form 8-K Item 1.05; General Instruction B.1"


@pytest.mark.parametrize(
    ("org", "determined"),
    [({"sec_registrant": False}, "2026-03-09T10:00:00-04:00"), (REGISTRANT, None)],
)
def test_form_8k_needs_a_registrant_and_a_determination(owed, org, determined):
    assert owed(org, sec_materiality_determined_at=determined) == {}
