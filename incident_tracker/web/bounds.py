"""Bounds on the integers a request may name: an id in a URL and a number in a query string are
whole numbers a database column can hold. A larger one used to reach the database and end the
request in a 500 (OverflowError on SQLite, "out of range" on PostgreSQL); now the URL is not
found (404) and a query-string number outside its range counts as not given."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the id columns are 32-bit on PostgreSQL
MAX_PAGE = 100_000


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: 1 to MAX_ID, or the URL matches nothing (404)."""

    def __init__(self, url_map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def query_int(args, name: str, default: int | None = None, high: int = MAX_ID) -> int | None:
    """The whole number 1..high given as `name`, else `default` (absent, not a number, too big)."""
    text = str(args.get(name, ""))  # a form's coerced value may be an int already
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        return default
    value = int(text)
    return value if 1 <= value <= high else default


def page_number(args, name: str = "page") -> int:
    """A page number: 1 when absent or out of range."""
    return query_int(args, name, 1, MAX_PAGE)
