"""The dashboard's fragment cache: a change anywhere (any worker, any host) shows at once."""

from datetime import timedelta

from incident_tracker.extensions import db
from incident_tracker.models import Obligation, utcnow
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
