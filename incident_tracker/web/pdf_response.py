"""PDF responses: always downloads, so staff-made content is never shown inline in the app."""

import hashlib

from flask import Response


def pdf_response(pdf: bytes, filename: str) -> Response:
    """Send PDF bytes as an attachment, with their SHA-256 in a header."""
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-SHA256"] = hashlib.sha256(pdf).hexdigest()
    response.headers["Cache-Control"] = "no-store"
    return response
