"""Security headers and error pages."""

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
    """Refuse NUL characters in any submitted value: no database stores them faithfully."""
    values = list(request.args.values())
    body = b""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        values += request.form.values()
        body = request.get_data(cache=True)
    if any("\x00" in value for value in values) or b"\\u0000" in body:
        abort(400, description="NUL characters are not allowed in any field.")
    return None


def _add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["HTTPS"]:
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    if response.mimetype == "text/html":
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
    return response


def _csrf_error(error: CSRFError):
    message = (
        f"The form expired or was not sent by this site ({error.description}). "
        "Reload and try again."
    )
    return render_template("error.html", code=400, message=message), 400
