"""HTML to PDF with WeasyPrint, reading nothing but data: URIs and files under static/print/."""

import re
import threading
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from ..config import resource_dir


class RefusedResource(PermissionError):
    """A document tried to read something outside what letters may use."""


@cache
def print_assets() -> Path:
    """The only folder a PDF may read files from (resolved once: it is read on every render)."""
    return (resource_dir("static") / "print").resolve()


class PrintAssetFetcher(URLFetcher):
    """Allow data: URIs and files under one folder; anything else stops the render."""

    def __init__(self, root: Path | None = None) -> None:
        super().__init__(
            allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=True
        )
        self.root = (root or print_assets()).resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("data", "file"):
            raise RefusedResource(f"letters may not fetch {scheme or 'relative'} URLs: {url[:200]}")
        if scheme == "file":
            path = Path(url2pathname(parts.path)).resolve()
            if parts.netloc not in ("", "localhost") or not path.is_relative_to(self.root):
                raise RefusedResource(
                    f"letters may only use files in static/print/, not {path.name or 'a folder'!r}"
                )
        return super().fetch(url, headers)

    def open(self, url, data=None, timeout=None):
        """Refuse prepared requests: the base class keeps one for the next fetch, and a fetcher is
        reused for a thread's renders, so no request may outlive the check of its own URL."""
        if not isinstance(url, str):
            raise RefusedResource("letters may only fetch plain URLs")
        return self.fetch(url)


class _Parsed(threading.local):
    """Each thread's font configuration, URL fetcher and parsed print stylesheets, made once.

    Parsing the stylesheet and setting up fonts took a fifth of a letter's render time, and a
    fetcher builds a urllib opener with nine handlers (about 2% of a render). They are per thread
    because WeasyPrint's font configuration wraps Pango and fontconfig objects and a fetcher is
    not safe to share between threads.
    """

    def __init__(self) -> None:
        self.fonts = FontConfiguration()
        self.fetcher = PrintAssetFetcher()
        self.stylesheets: dict[str, CSS] = {}

    def stylesheet(self, name: str) -> CSS:
        if name not in self.stylesheets:
            path = print_assets() / name
            if not path.is_file() or path.parent != print_assets():
                raise RefusedResource(f"no print stylesheet {name!r} in static/print/")
            self.stylesheets[name] = CSS(
                filename=str(path), url_fetcher=self.fetcher, font_config=self.fonts
            )
        return self.stylesheets[name]


_parsed = _Parsed()


def html_to_pdf(html: str, stylesheet: str | None = None) -> bytes:
    """Render trusted layout HTML (with a sandboxed body) to PDF bytes; refused URLs raise.

    `stylesheet` names a file in static/print/ that styles the document (parsed once per thread).
    """
    try:
        document = HTML(
            string=html, base_url=print_assets().as_uri() + "/", url_fetcher=_parsed.fetcher
        )
        sheets = [_parsed.stylesheet(stylesheet)] if stylesheet else []
        return document.write_pdf(stylesheets=sheets, font_config=_parsed.fonts)
    except FatalURLFetchingError as error:  # a BaseException: convert it so callers can handle it
        raise RefusedResource(without_paths(str(error))) from None


def without_paths(message: str) -> str:
    """A message for a template's editor without this installation's paths: a file URL is shown
    by its name alone (an editor has no business knowing where the app is installed)."""
    return FILE_URL.sub(lambda match: f"file {Path(url2pathname(match.group(1))).name!r}", message)


FILE_URL = re.compile(r"file://(?:localhost)?(/[^\s'\"<>]*)")
