"""A small per-process cache of rendered page fragments, never stale beyond the key's minute.

The key starts with the register's version: the audit chain's head (its id and hash), which every
committed change to any audited row moves forward in its own transaction (audit.py); the hash
also tells two databases apart, or a database restored from a backup, at the same id. A fragment
cached by one worker is therefore valid for every worker until the next change anywhere, and a
worker that sees a new version renders afresh. Nothing here must be shared between workers or
hosts, so the cache breaks no rule of DESIGN section 8. Fragments that show countdowns also carry
the current minute in their key.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from threading import Lock

from flask import current_app, g, has_app_context
from markupsafe import Markup
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import AuditHead

_entries: "OrderedDict[Hashable, tuple[Markup, ...]]" = OrderedDict()
_lock = Lock()


HEAD_COLUMNS = (AuditHead.last_id, AuditHead.last_hash)
_HEAD = select(*HEAD_COLUMNS).where(AuditHead.id == 1)  # built once


def register_version() -> tuple:
    """The audit chain's head (id and hash): it moves with every committed change.

    Read once per request, usually by the request's first read beside the user (profile.py),
    and again after a commit. Read before the data a fragment shows, it is never newer than
    that data, so a fragment is never kept under a version it does not show.
    """
    if "register_version" not in g:
        keep_version(db.session.execute(_HEAD).first())
    return g.register_version


def keep_version(head) -> None:
    """Keep the head read with HEAD_COLUMNS (None before the chain's first row) for the request."""
    g.register_version = (head[0], head[1]) if head and head[0] is not None else (0, "")


@event.listens_for(Session, "after_commit")
def _forget_version(_session: Session) -> None:
    """A commit may have moved the head: the request's next read of the version asks again."""
    if has_app_context():
        g.pop("register_version", None)


def fragment(key: tuple, render: Callable[[], str]) -> Markup:
    """The cached fragment for the key (prefixed with the register version), or render it."""
    return fragments(key, lambda: (render(),))[0]


def fragments(key: tuple, render: Callable[[], Sequence[str]]) -> tuple[Markup, ...]:
    """The cached fragments of one page (its parts around what must not be cached, such as a
    form with its CSRF token), or render them; a render that raises (a 404) stores nothing."""
    size = current_app.config["PAGE_CACHE_SIZE"]
    if not size:
        return tuple(Markup(part) for part in render())
    full = (db.engine.url.render_as_string(), *register_version(), *key)
    with _lock:
        found = _entries.get(full)
        if found is not None:
            _entries.move_to_end(full)
            return found
    rendered = tuple(Markup(part) for part in render())
    with _lock:
        _entries[full] = rendered
        while len(_entries) > size:
            _entries.popitem(last=False)
    return rendered


def clear() -> None:
    """Forget every fragment: for a register reset to its first version, as the tests do."""
    with _lock:
        _entries.clear()
