"""Who may do what: the role groups and the decorator every view uses."""

import functools

from flask import abort, has_request_context
from flask_login import current_user, login_required

INCIDENT_EDITORS = ("admin", "dpo", "commander")
PROFILE_EDITORS = ("admin", "dpo")
FILERS = ("admin", "dpo", "commander", "legal")
DECIDERS = ("admin", "dpo")
TEMPLATE_EDITORS = ("admin", "dpo", "legal")
REGISTER_EDITORS = ("admin", "dpo", "legal")  # counterparties, contracts, systems, components
SUPPLY_CHAIN_RESPONDERS = ("admin", "dpo", "commander")  # releases, vendor notices
NOTIFIERS = ("admin", "dpo", "legal")  # customer notices


def role_required(*roles: str):
    """Require a login and one of the roles; others get 403."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def may(roles: tuple[str, ...]) -> bool:
    """Tell whether the logged-in user has one of the roles (never outside a request)."""
    return has_request_context() and current_user.is_authenticated and current_user.role in roles
