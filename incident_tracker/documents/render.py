"""From a template revision and a context to the HTML and PDF that are sent and archived."""

import hashlib
from dataclasses import dataclass

from flask import render_template

from .pdf import html_to_pdf
from .sandbox import render


@dataclass(frozen=True)
class Rendered:
    html: str
    pdf: bytes

    @property
    def html_sha256(self) -> str:
        return hashlib.sha256(self.html.encode("utf-8")).hexdigest()

    @property
    def pdf_sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def render_document(source: str, context: dict, title: str) -> Rendered:
    """Sandbox the staff body, wrap it in the trusted print layout, and print it to PDF."""
    body = render(source, context)
    html = render_template(
        "print/letter.html", body=body, title=title, organization=context["organization"]
    )
    return Rendered(html=html, pdf=html_to_pdf(html))
