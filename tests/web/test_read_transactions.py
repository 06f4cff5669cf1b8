"""A page view that wrote nothing ends with COMMIT (PostgreSQL keeps its prepared statements);
anything that wrote, or may have, is still rolled back, so nothing is half-saved."""

import pytest
from sqlalchemy import event, update

from incident_tracker.extensions import db
from incident_tracker.models import User


@pytest.fixture
def probe(make_app, make_user, login):
    """A fresh app with routes that write in ways a refused request may, and the ends of its
    transactions as the engine saw them."""
    app = make_app(WTF_CSRF_ENABLED=False)
    user = make_user("dpo", email="probe@example.org")

    def flush():
        db.session.add(_user("flushed@example.org"))
        db.session.flush()
        return "flushed"

    def dirty():
        db.session.get(User, user.id).email = "changed@example.org"
        return "changed, not flushed"

    def statement():
        db.session.execute(update(User).where(User.id == user.id).values(role="legal"))
        return "updated by a statement"

    def driver():
        sql = f"UPDATE \"user\" SET role = 'legal' WHERE id = {int(user.id)}"
        db.session.connection().exec_driver_sql(sql)
        return "updated on the session's connection, past the ORM"

    def raises():
        flush()
        raise RuntimeError("the view failed after writing")

    for view in (flush, dirty, statement, driver, raises):
        app.add_url_rule(f"/probe/{view.__name__}", view.__name__, view, methods=["GET", "POST"])
    client = app.test_client()
    login(user, on=client)
    ends = []
    with app.app_context():
        event.listen(db.engine, "commit", lambda _connection: ends.append("COMMIT"))
        event.listen(db.engine, "rollback", lambda _connection: ends.append("ROLLBACK"))
    ends.clear()
    return app, client, ends, user


def _user(email: str) -> User:
    user = User(email=email, role="dpo")
    user.set_password("a long enough password")
    return user


@pytest.mark.parametrize("page", ["/", "/incidents/"])
def test_a_page_view_ends_with_commit(probe, page):
    _app, client, ends, _user = probe
    assert client.get(page).status_code == 200
    assert ends == ["COMMIT"]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("route", ["flush", "dirty", "statement", "driver"])
def test_a_request_that_wrote_is_rolled_back(probe, route, method):
    app, client, ends, user = probe
    assert getattr(client, method)(f"/probe/{route}").status_code == 200
    assert ends == ["ROLLBACK"]
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert (saved.email, saved.role) == ("probe@example.org", "dpo")
        assert (
            db.session.execute(db.select(User).filter_by(email="flushed@example.org")).first()
            is None
        )


def test_a_read_only_post_is_rolled_back(probe):
    _app, client, ends, _user = probe
    assert client.post("/probe/nothing").status_code == 404  # routed nowhere, read the user
    assert ends == ["ROLLBACK"]


def test_a_view_that_raised_is_rolled_back(probe):
    app, client, ends, _user = probe
    with pytest.raises(RuntimeError):
        client.get("/probe/raises")
    assert ends == ["ROLLBACK"]
    with app.app_context():
        assert (
            db.session.execute(db.select(User).filter_by(email="flushed@example.org")).first()
            is None
        )
