"""PostgreSQL's filter codes (migration 0010): kept by triggers in step with the two tables,
whatever writes them, and read by the list only where they exist."""

from sqlalchemy import func, insert, text

from incident_tracker.extensions import db
from incident_tracker.models import AffectedJurisdiction, DataCategory, Incident, filter_index
from incident_tracker.models.incidents import incident_data_category
from tests.helpers import utc

EXPECTED = """
SELECT incident.id, coalesce(array_agg(codes.code ORDER BY codes.code)
                             FILTER (WHERE codes.code IS NOT NULL), '{}')
FROM incident LEFT JOIN (
    SELECT link.incident_id, 'category:' || category.code FROM incident_data_category AS link
    JOIN data_category AS category ON category.id = link.data_category_id
    UNION SELECT incident_id, 'place:' || code FROM affected_jurisdiction WHERE people > 0
) AS codes(incident_id, code) ON codes.incident_id = incident.id
GROUP BY incident.id
"""


def _incident(number: int, places: dict[str, int], category_codes: list[str]) -> Incident:
    categories = db.session.scalars(
        db.select(DataCategory).where(DataCategory.code.in_(category_codes))
    ).all()
    incident = Incident(
        reference=f"INC-2026-{number:04d}",
        title=f"Incident {number}",
        status="open",
        aware_at=utc(2026, 3, 27, 17, 30),
        data_categories=list(categories),
        jurisdictions=[AffectedJurisdiction(code=c, people=n) for c, n in places.items()],
    )
    db.session.add(incident)
    return incident


def _stored() -> dict[int, list[str]]:
    return dict(db.session.execute(text("SELECT id, filter_codes FROM incident")).all())


def test_filter_codes_follow_every_writer(app_ctx):
    if not filter_index.indexed():
        assert db.engine.dialect.name == "sqlite"
        columns = db.session.execute(text("PRAGMA table_info(incident)")).all()
        assert filter_index.COLUMN not in {column.name for column in columns}
        return
    kept = _incident(1, {"DE": 10, "FR": 0}, ["health", "source_code"])
    changed = _incident(2, {"IE": 3}, ["secrets"])
    emptied = _incident(3, {"US-CA": 5}, ["health"])
    db.session.commit()
    assert _stored()[kept.id] == ["category:health", "category:source_code", "place:DE"]
    kept.jurisdictions[1].people = 3  # an UPDATE alone: FR now has people affected
    changed.jurisdictions[0].people = 0
    changed.jurisdictions.append(AffectedJurisdiction(code="NL", people=1))
    changed.data_categories = []  # DELETEs from the link table
    emptied.jurisdictions.clear()
    db.session.flush()
    secrets = db.session.scalar(db.select(DataCategory.id).filter_by(code="secrets"))
    rows = [{"incident_id": emptied.id, "data_category_id": secrets}]
    db.session.execute(insert(incident_data_category), rows)  # a bulk writer, not the ORM
    db.session.commit()
    stored = _stored()
    assert stored[kept.id][-2:] == ["place:DE", "place:FR"]
    assert stored[changed.id] == ["place:NL"]
    assert stored[emptied.id] == ["category:health", "category:secrets"]  # no place left
    assert stored == dict(db.session.execute(text(EXPECTED)).all())


def test_a_failed_write_leaves_the_codes_as_they_were(app_ctx):
    if not filter_index.indexed():
        assert db.engine.dialect.name == "sqlite"
        return
    incident = _incident(4, {"DE": 1}, ["health"])
    db.session.commit()
    incident.jurisdictions.append(AffectedJurisdiction(code="FR", people=2))
    db.session.flush()
    assert _stored()[incident.id] == ["category:health", "place:DE", "place:FR"]
    db.session.rollback()
    assert _stored()[incident.id] == ["category:health", "place:DE"]
    assert db.session.scalar(db.select(func.count()).select_from(AffectedJurisdiction)) == 1
