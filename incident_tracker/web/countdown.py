"""Words for the time left before a deadline, or by how much it is overdue."""

from datetime import datetime, timedelta

DAY = timedelta(days=1)
URGENT = timedelta(hours=24)
SOON = timedelta(hours=72)


def duration_words(span: timedelta) -> str:
    """Say a duration in days, hours and minutes: "2 d 4 h 5 min"."""
    minutes = int(abs(span).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d"] if days else []
    if days or hours:
        parts.append(f"{hours} h")
    parts.append(f"{minutes} min")
    return " ".join(parts)


def countdown(due_at: datetime | None, now: datetime) -> str:
    """ "in 2 d 4 h 5 min" or "overdue by 3 h 0 min"."""
    if due_at is None:
        return ""
    left = due_at - now
    return (
        f"overdue by {duration_words(left)}"
        if left < timedelta(0)
        else f"in {duration_words(left)}"
    )


def urgency(due_at: datetime | None, now: datetime) -> str:
    """A name for how close a deadline is: overdue, urgent (24 h), soon (72 h) or later."""
    if due_at is None:
        return "none"
    left = due_at - now
    if left < timedelta(0):
        return "overdue"
    if left < URGENT:
        return "urgent"
    return "soon" if left < SOON else "later"
