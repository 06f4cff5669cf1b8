"""Optimistic concurrency: a save claims the version its form was read at, or is refused."""

from datetime import datetime

from sqlalchemy import update

from ..extensions import db
from ..models import utcnow


def claim(model, row_id: int, version: int | None) -> bool:
    """Bump the row's version if it is still the one the form was read at (atomic)."""
    if version is None:
        return False
    statement = (
        update(model)
        .where(model.id == row_id, model.version == version)
        .values(version=model.version + 1)
        .execution_options(synchronize_session="fetch")
    )
    return db.session.execute(statement).rowcount == 1


def bump(model, row_id: int) -> None:
    """Bump the row's version whatever it is (and lock the row until commit): for a writer that
    read no form of it, so that every form read before is then stale."""
    statement = (
        update(model)
        .where(model.id == row_id)
        .values(version=model.version + 1)
        .execution_options(synchronize_session="fetch")
    )
    db.session.execute(statement)


def stamp() -> str:
    """The moment a form is handed out, to show later what changed since."""
    return utcnow().isoformat()


def loaded_at(text: str | None) -> datetime | None:
    """Read a form's stamp back; a missing or forged one means "unknown"."""
    try:
        value = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return value if value.utcoffset() is not None else None
