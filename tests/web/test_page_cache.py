"""The fragment cache of the dashboard and the incident page: a change anywhere (any worker, any
host) shows at once."""

from datetime import timedelta

from incident_tracker.extensions import db
from incident_tracker.incidents import timeline
from incident_tracker.models import Incident, Obligation, User, utcnow
from incident_tracker.web import page_cache
from tests.helpers import incident_form, reference_from


def _create(client, title: str) -> str:
    aware = (utcnow() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = incident_form(title=title, occurred_at=None, detected_at=None, aware_at=aware)
    return reference_from(client.post("/incidents/new", data=data))


def _counting(app):
    from bench.measure import counting_queries

    return counting_queries(app)


def test_a_repeated_view_is_served_from_the_cache_with_fewer_queries(app, client, as_role):
    as_role("commander")
    _create(client, "First")
    client.get("/incidents/")  # shows (and consumes) the flashed message
    with _counting(app) as counter:
        first = client.get("/").get_data(as_text=True)
        rendered = counter[0]
        again = client.get("/").get_data(as_text=True)
        cached = counter[0] - rendered
    assert first == again
    assert cached < rendered


def test_a_change_made_through_another_worker_shows_at_once(app, client, as_role, make_app):
    as_role("commander")
    reference = _create(client, "First")
    assert reference in client.get("/").get_data(as_text=True)
    other = make_app()  # another worker: its own process memory, the same database
    with other.app_context():
        row = db.session.execute(db.select(Obligation).limit(1)).scalar_one()
        row.status = "not_required"  # as a decision recorded elsewhere would
        rule, jurisdiction = row.rule_id, row.jurisdiction
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert f'data-obligation="{rule}:{jurisdiction}"' not in page.split('id="undated"')[0]


def test_a_repeated_incident_page_is_served_from_the_cache_with_fewer_queries(app, client, as_role):
    as_role("commander")
    reference = _create(client, "First")
    client.get("/incidents/")  # shows (and consumes) the flashed message
    with _counting(app) as counter:
        first = client.get(f"/incidents/{reference}").get_data(as_text=True)
        rendered = counter[0]
        again = client.get(f"/incidents/{reference}").get_data(as_text=True)
        cached = counter[0] - rendered
    assert first == again
    assert 'id="timeline-events"' in again and 'id="audit"' in again
    assert cached == 1 < rendered  # the user, the organization and the register's version


def test_a_commit_in_a_request_moves_the_version_its_fragments_are_kept_under(app):
    with app.test_request_context():
        before = page_cache.register_version()
        db.session.add(User(email="new@example.com", password_hash="x", role="viewer"))
        db.session.commit()
        after = page_cache.register_version()
    assert after[0] > before[0] and after[1] != before[1]


def test_the_incident_page_is_cached_per_role(app, client, make_user, login, org):
    commander, legal = client, app.test_client()
    login(make_user("commander"))
    login(make_user("legal"), on=legal)  # may read, not edit
    reference = _create(commander, "First")
    commander.get(f"/incidents/{reference}")  # consumes the flash; caches the editor's page
    for_editor = commander.get(f"/incidents/{reference}").get_data(as_text=True)
    for_reader = legal.get(f"/incidents/{reference}").get_data(as_text=True)
    assert f"/incidents/{reference}/edit" in for_editor and "/notes" in for_editor
    assert f"/incidents/{reference}/edit" not in for_reader and "/notes" not in for_reader
    assert 'id="timeline-events"' in for_reader


def test_a_note_added_through_another_worker_shows_on_the_incident_page(
    app, client, as_role, make_app
):
    as_role("commander")
    reference = _create(client, "First")
    client.get(f"/incidents/{reference}")
    assert "Seen from the other worker" not in client.get(f"/incidents/{reference}").text
    other = make_app()  # another worker: its own process memory, the same database
    with other.app_context():
        incident = db.session.execute(
            db.select(Incident).filter_by(reference=reference)
        ).scalar_one()
        timeline.record(incident, "note", "Seen from the other worker", None, at=utcnow())
        db.session.commit()
    assert "Seen from the other worker" in client.get(f"/incidents/{reference}").text


def test_an_unknown_incident_is_not_found_each_time_and_nothing_is_cached(app, client, as_role):
    as_role("commander")
    for _ in range(2):  # a render that aborts stores nothing under the unknown reference
        assert client.get("/incidents/INC-2026-9999").status_code == 404
