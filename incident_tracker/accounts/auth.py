"""Logging in and out, the user loader and the role checks every view uses."""

import functools
from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from ..audit import trail as audit
from ..extensions import db, login_manager
from ..models import User, utcnow
from ..web import profile
from ..web.forms import PostForm
from . import passwords, throttle
from .forms import LoginForm, PasswordForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    app.context_processor(lambda: {"logout_form": PostForm(formdata=None)})


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Return the active user the session names, if the session is of the user's current
    generation; else None, which logs the session out (after logout or a password change)."""
    user_id, _, generation = session_id.partition(".")
    if not (user_id.isdigit() and generation.isdigit()) or len(session_id) > 40:
        return None
    user = profile.first_read(int(user_id))
    if user is None or not user.active or user.session_generation != int(generation):
        return None
    return user


def safe_next(target: str | None) -> str:
    """Return a same-site path to go to after login; anything else goes to the dashboard."""
    if target and any(ord(character) < 32 or ord(character) == 127 for character in target):
        target = None  # a newline would split the Location header (it ended in a 500)
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log a user in with e-mail and password."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form)
    email = form.email.data.strip().lower()[:254]  # lower() can lengthen some letters
    address, now = (request.remote_addr or "unknown")[:64], utcnow()
    refusal = throttle.check(email, address, now)
    if refusal is not None:
        db.session.rollback()  # a refused attempt does not extend the wait
        flash(refusal.message, "danger")
        return render_template("accounts/login.html", form=form), 429
    user = _authenticate(email, form.password.data)
    if user is None:
        throttle.failed(email, address, now)
        audit.session_event("failed", email)
        db.session.commit()
        flash("Unknown e-mail or wrong password.", "danger")
        return render_template("accounts/login.html", form=form), 200
    throttle.succeeded(email, address)
    login_user(user)
    audit.session_event("login", user.email, user.id)
    db.session.commit()
    return redirect(safe_next(request.args.get("next")))


def _authenticate(email: str, password: str) -> User | None:
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    if user is None:
        _spend_equal_time(password)
        return None
    right = user.check_password(password)  # also for a deactivated account: the same time
    return user if right and user.active else None


@functools.cache
def _dummy_hash() -> str:
    dummy = User()
    dummy.set_password("not a password")
    return dummy.password_hash


def _spend_equal_time(password: str) -> None:
    """Hash anyway for unknown e-mails, so response times do not reveal which accounts exist."""
    check_password_hash(_dummy_hash(), password)


@bp.post("/logout")
@login_required
def logout():
    """Log out (a POST, so that a link on another site cannot do it): every session of the user
    ends, on every device, and a copy of the cookie no longer works."""
    current_user.end_sessions()
    audit.session_event("logout", current_user.email, current_user.id)
    db.session.commit()
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password (the policy of passwords.py applies)."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not user.check_password(form.current.data):
            form.current.errors.append("this is not your current password")
        else:
            form.new.errors.extend(passwords.problems(form.new.data, user.email))
            if passwords.used_before(user, form.new.data):
                form.new.errors.append("choose a password you have not used before")
        if not form.current.errors and not form.new.errors:
            passwords.remember(user)
            user.set_password(form.new.data)
            user.end_sessions()  # every other session ends; this one is renewed below
            db.session.commit()
            login_user(user)
            flash("Your password is changed; your other sessions have ended.", "success")
            return redirect(url_for("dashboard.index"))
    return render_template("accounts/password.html", form=form)
