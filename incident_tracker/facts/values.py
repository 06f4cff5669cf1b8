"""What the facts document's parsers share: the one-line error and the checks of JSON shapes."""

import json
from collections.abc import Callable, Iterable, Mapping
from difflib import get_close_matches
from typing import Any, NoReturn


class FactsError(ValueError):
    """Bad input in a facts document; its text is one line: "<field>: <message>"."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(_printable(f"{field}: {message}"))
        self.field = _printable(field)
        self.message = message


def _printable(text: str) -> str:
    """Escape line breaks and other control characters so that an error stays on one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def shown(value: object) -> str:
    """Render a JSON value as it appeared in the document."""
    return json.dumps(value, ensure_ascii=False, default=str)


def fail(field: str, message: str) -> NoReturn:
    raise FactsError(field, message)


def json_object(value: object, field: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        fail(field, f"expected a JSON object, got {shown(value)[:40]}")
    return value


def only_known(document: Mapping[str, Any], known: Iterable[str], prefix: str) -> None:
    for key in document:
        if key not in known:
            close = get_close_matches(key, list(known), n=1, cutoff=0.5)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            fail(f"{prefix}{key}", f"unknown field{hint}")


def parse_code(value: object, field: str, parse: Callable[[str], str]) -> str:
    if not isinstance(value, str):
        fail(field, f'expected a code such as "DE" or "US-CA", got {shown(value)}')
    try:
        return parse(value)
    except ValueError as error:
        fail(field, str(error))
