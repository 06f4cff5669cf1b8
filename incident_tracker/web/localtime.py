"""Wall-clock entry and display of instants in a named timezone.

Form fields give naive wall times in the organization's timezone; this module is the one place
where such a wall time becomes an aware instant, and where a wall time that does not exist or
occurs twice (daylight-saving changes) is refused with a clear message.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

ACCEPTED_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


MACHINE_ZONES = frozenset({"localtime", "Factory"})


def zone(name: str) -> ZoneInfo:
    """Return the IANA zone or raise ValueError naming it (not the machine-dependent ones)."""
    if name not in _zone_names() or name in MACHINE_ZONES:
        raise ValueError(f"unknown IANA timezone {name!r} (for example Europe/Berlin)")
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError as error:  # pragma: no cover - the set above comes from tzdata
        raise ValueError(f"unknown IANA timezone {name!r}") from error


def _zone_names() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones()
    return _ZONES


_ZONES: set[str] | None = None


FIRST_YEAR, LAST_YEAR = 1970, 2999  # the same range as the facts document


def parse_instant(text: str, tz: ZoneInfo) -> datetime:
    """Read "YYYY-MM-DD HH:MM" as wall time in tz, or an ISO 8601 instant with its own offset."""
    text = text.strip()
    explicit = _parse_with_offset(text)
    wall = explicit or _parse_wall_time(text)
    if not FIRST_YEAR <= wall.year <= LAST_YEAR:
        raise ValueError(f"{text!r} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    try:
        return explicit.astimezone(UTC) if explicit else wall_time_to_instant(wall, tz)
    except OverflowError as error:
        raise ValueError(f"{text!r} is outside the years {FIRST_YEAR} to {LAST_YEAR}") from error


def _parse_with_offset(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    return value if value.utcoffset() is not None else None


def _parse_wall_time(text: str) -> datetime:
    for pattern in ACCEPTED_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date and time; use YYYY-MM-DD HH:MM")


def wall_time_to_instant(wall: datetime, tz: ZoneInfo) -> datetime:
    """Attach tz to a wall time, refusing times skipped or repeated by a clock change."""
    first = wall.replace(tzinfo=tz, fold=0)
    second = wall.replace(tzinfo=tz, fold=1)
    if _round_trips(first) and _round_trips(second) and first.utcoffset() != second.utcoffset():
        raise ValueError(
            f"{wall:%Y-%m-%d %H:%M} occurs twice in {tz.key} (clocks went back); add the offset, "
            f"for example {wall:%Y-%m-%d %H:%M}{_offset(first)} or {_offset(second)}"
        )
    if not _round_trips(first):
        raise ValueError(f"{wall:%Y-%m-%d %H:%M} does not exist in {tz.key} (clocks went forward)")
    return first.astimezone(UTC)


def _round_trips(value: datetime) -> bool:
    return value.astimezone(UTC).astimezone(value.tzinfo).replace(tzinfo=None) == value.replace(
        tzinfo=None
    )


def _offset(value: datetime) -> str:
    return value.isoformat()[-6:]


def to_wall_time_text(value: datetime | None, tz: ZoneInfo) -> str:
    """Format an instant for a form field, as wall time in tz (with the offset when ambiguous)."""
    if value is None:
        return ""
    local = value.astimezone(tz)
    text = minutes(local)
    try:
        wall_time_to_instant(local.replace(tzinfo=None), tz)
    except ValueError:
        return text + _offset(local)
    return text


def display(value: datetime | None, tz: ZoneInfo) -> str:
    """Show an instant as "2026-03-27 17:30 CET" in tz."""
    if value is None:
        return ""
    local = value.astimezone(tz)
    return f"{minutes(local)} {local.tzname()}"


def minutes(value: datetime) -> str:
    """ "2026-03-27 17:30": its wall time to the minute (isoformat: a quarter of strftime's cost,
    which a page showing a hundred instants notices)."""
    return value.isoformat(sep=" ", timespec="minutes")[:16]
