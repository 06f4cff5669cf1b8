"""API fixtures: users with tokens of each scope."""

import pytest

from incident_tracker.accounts.tokens import new_secret
from incident_tracker.extensions import db
from incident_tracker.models import ApiToken, User


@pytest.fixture
def token_for(app, make_user, org):
    """Make a user of a role and a token of a scope; return the Authorization header."""

    def make(role: str = "dpo", scope: str = "read_write") -> dict:
        user = make_user(role, email=f"{role}-{scope}@example.org")
        token, digest = new_secret()
        with app.app_context():
            row = ApiToken(
                user_id=user.id, name="test", prefix=token[:12], token_hash=digest, scope=scope
            )
            db.session.add(row)
            db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def api_user(app):
    def find(email: str) -> User:
        with app.app_context():
            return db.session.execute(db.select(User).filter_by(email=email)).scalar_one()

    return find
