"""Security headers and error pages."""

import json
from http import HTTPStatus

from flask import Flask, abort, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..extensions import db

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
MESSAGES = {
    400: "The request could not be understood.",
    401: "Authentication is required.",
    403: "Your role does not allow this.",
    404: "There is nothing here.",
    405: "That method is not allowed here.",
    409: "The request conflicts with the current state.",
    413: "The request is too large.",
    415: "Send JSON (Content-Type: application/json).",
    422: "The request's content is not valid.",
    429: "Too many requests.",
    500: "Something went wrong on our side; nothing was saved.",
}


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul)
    app.after_request(_add_headers)
    for code in MESSAGES:
        app.register_error_handler(code, _error_page)
    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(CSRFError, _csrf_error)


def _refuse_nul():
    """Refuse what no database stores faithfully, in any submitted value: NUL characters, and
    lone UTF-16 surrogates (a JSON "\\ud800" alone); JSON nested too deep to read is refused too
    (before, each ended in a 500)."""
    values = list(request.args.values())
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        values += request.form.values()
        body = request.get_data(cache=True)
        if request.is_json:
            values += _json_strings(body)
        elif b"\x00" in body:
            values.append("\x00")
    if any("\x00" in value for value in values):
        abort(400, description="NUL characters are not allowed in any field.")
    if any(_lone_surrogate(value) for value in values):
        abort(400, description="A text holds a lone UTF-16 surrogate, which is not a character.")
    return None


def _json_strings(body: bytes) -> list[str]:
    """Every string (keys too) of a JSON body, the escapes read (so "C:\\u0000dir", an escaped
    backslash, holds no NUL); none for a body that is not JSON (the endpoint says what is wrong
    with it)."""
    try:
        document = json.loads(body)
    except RecursionError:
        abort(400, description="The JSON is nested too deeply.")
    except ValueError:
        return []
    found, pending = [], [document]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            found.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["HTTPS"]:
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    if not request.path.startswith("/static/"):  # pages, JSON, PDFs, CSV, calendars
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _error_page(error):
    db.session.rollback()  # nothing of a failed request is saved
    code = getattr(error, "code", 500) or 500
    if request.path.startswith("/api/"):
        return _problem(error, code)
    return render_template("error.html", code=code, message=_message(error, code)), code


def _message(error, code: int) -> str:
    """Our own description when the code gave one, else the standard message for the code."""
    description = getattr(error, "description", None)
    if description and description != getattr(type(error), "description", None):
        return description
    return MESSAGES.get(code, "")


def _problem(error, code: int):
    """An RFC 9457 problem-details response for the JSON API."""
    data = getattr(error, "data", None) or {}
    body = {
        "type": "about:blank",
        "title": HTTPStatus(code).phrase,
        "status": code,
        "detail": data.get("message") or _message(error, code),
    }
    errors = data.get("errors") or data.get("messages")
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = code
    response.mimetype = "application/problem+json"
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="incident_tracker"'
    return response


def _csrf_error(error: CSRFError):
    message = (
        f"The form expired or was not sent by this site ({error.description}). "
        "Reload and try again."
    )
    return render_template("error.html", code=400, message=message), 400
