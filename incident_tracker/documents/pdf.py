"""HTML to PDF with WeasyPrint, reading nothing but data: URIs and files under static/print/."""

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from ..config import resource_dir


class RefusedResource(PermissionError):
    """A document tried to read something outside what letters may use."""


def print_assets() -> Path:
    """The only folder a PDF may read files from."""
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
                raise RefusedResource(f"letters may only use files in static/print/: {url[:200]}")
        return super().fetch(url, headers)


def html_to_pdf(html: str) -> bytes:
    """Render trusted layout HTML (with a sandboxed body) to PDF bytes; refused URLs raise."""
    try:
        document = HTML(
            string=html, base_url=print_assets().as_uri() + "/", url_fetcher=PrintAssetFetcher()
        )
        return document.write_pdf()
    except FatalURLFetchingError as error:  # a BaseException: convert it so callers can handle it
        raise RefusedResource(str(error)) from None
