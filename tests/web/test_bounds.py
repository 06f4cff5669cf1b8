"""web/bounds.py: the whole numbers a request may name."""

import pytest

from incident_tracker.web.bounds import MAX_ID, MAX_PAGE, page_number, query_int


@pytest.mark.parametrize(
    "value, expected",
    [
        ("7", 7),
        (7, 7),  # a form's coerced value
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 40, None),
        ("0", None),
        ("-3", None),
        ("3.5", None),
        ("", None),
        ("٣", None),  # a digit of another script: not a number the database reads
        (True, None),
    ],
)
def test_query_int(value, expected):
    assert query_int({"n": value}, "n") == expected


def test_page_numbers_out_of_range_are_the_first_page():
    assert page_number({"page": str(MAX_PAGE)}) == MAX_PAGE
    assert page_number({"page": str(MAX_PAGE + 1)}) == 1
    assert page_number({}) == 1
