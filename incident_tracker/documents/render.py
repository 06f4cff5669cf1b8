"""From a template revision and a context to the HTML and PDF that are sent and archived."""

import hashlib
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..config import resource_dir
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


@cache
def _layouts() -> Environment:
    """The trusted print layouts (templates/print/), independent of any request."""
    return Environment(
        loader=FileSystemLoader(resource_dir("templates") / "print"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
    )


def render_document(source: str, context: dict, title: str) -> Rendered:
    """Sandbox the staff body, wrap it in the trusted print layout, and print it to PDF."""
    body = render(source, context)
    layout = _layouts().get_template("letter.html")
    html = layout.render(body=body, title=title, organization=context["organization"])
    return Rendered(html=html, pdf=html_to_pdf(html, stylesheet="letter.css"))
