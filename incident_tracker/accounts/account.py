"""One's own account: API tokens and calendar feeds (each secret shown once, then hashed)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import ApiToken, CalendarFeed, utcnow
from ..web.forms import PostForm
from .forms import TokenForm
from .tokens import new_calendar_feed, new_secret, revoke_calendar_feed

bp = Blueprint("account", __name__, url_prefix="/account")

WRITERS = ("admin", "dpo", "commander", "legal")


@bp.get("/")
@login_required
def index():
    """List one's API tokens and calendar feeds."""
    return _page(TokenForm())


@bp.post("/tokens")
@login_required
def create_token():
    """Create an API token; its secret is shown once."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form), 422
    if form.scope.data == "read_write" and current_user.role not in WRITERS:
        form.scope.errors.append("your role cannot write, so a read-write token would not work")
        return _page(form), 422
    token, digest = new_secret()
    row = ApiToken(
        user=_me(),
        name=form.name.data.strip(),
        prefix=token[:12],
        token_hash=digest,
        scope=form.scope.data,
    )
    db.session.add(row)
    db.session.commit()
    return _page(TokenForm(), secret=token, secret_kind="API token")


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of one's API tokens."""
    row = _own(ApiToken, token_id)
    row.revoked_at = row.revoked_at or utcnow()
    db.session.commit()
    flash(f"Token “{row.name}” revoked.", "success")
    return redirect(url_for("account.index"))


@bp.post("/calendar")
@login_required
def create_feed():
    """Create a secret calendar URL; it is shown once."""
    if not PostForm().validate_on_submit():
        abort(400)
    token = new_calendar_feed(_me())
    db.session.commit()
    url = url_for("calendar_feed.show", token=token, _external=True)
    return _page(TokenForm(), secret=url, secret_kind="calendar URL")


@bp.post("/calendar/<int:feed_id>/revoke")
@login_required
def revoke_feed(feed_id: int):
    """Revoke a calendar URL: calendars that use it stop updating."""
    revoke_calendar_feed(_own(CalendarFeed, feed_id), utcnow())
    db.session.commit()
    flash("Calendar URL revoked.", "success")
    return redirect(url_for("account.index"))


def _me():
    return current_user._get_current_object()


def _own(model, row_id: int):
    row = db.session.get(model, row_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    return row


def _page(form: TokenForm, secret: str | None = None, secret_kind: str = ""):
    user_id = current_user.id
    tokens = db.session.execute(
        db.select(ApiToken).filter_by(user_id=user_id).order_by(ApiToken.id.desc())
    )
    feeds = db.session.execute(
        db.select(CalendarFeed).filter_by(user_id=user_id).order_by(CalendarFeed.id.desc())
    )
    return render_template(
        "accounts/account.html",
        form=form,
        tokens=list(tokens.scalars()),
        feeds=list(feeds.scalars()),
        secret=secret,
        secret_kind=secret_kind,
    )
