"""The PDF renderer reads only data: URIs and files in static/print/; PDFs embed nothing else."""

import subprocess

import pytest

from incident_tracker.documents.pdf import RefusedResource, html_to_pdf, print_assets

HOSTILE = {
    "img": '<img src="file:///etc/passwd">',
    "attachment": '<link rel="attachment" href="file:///etc/passwd">',
    "import": "<style>@import url(file:///etc/passwd);</style>",
    "font-face": "<style>@font-face { font-family: x; src: url(file:///etc/passwd); }</style>"
    '<p style="font-family: x">x</p>',
    "base": '<base href="file:///etc/"><img src="passwd">',
    "relative escape": '<img src="../app.css">',
    "symlink-style path": '<img src="file:///work/../etc/passwd">',
    "http": '<img src="http://127.0.0.1:9/logo.png">',
    "https": '<link rel="stylesheet" href="https://127.0.0.1:9/x.css">',
    "http attachment": '<link rel="attachment" href="http://169.254.169.254/">',
}


@pytest.mark.parametrize("html", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_resources_stop_the_render(html):
    with pytest.raises(RefusedResource) as refused:
        html_to_pdf(f"<p>letter</p>{html}")
    # The editor reads why, but not where the app is installed.
    install = str(print_assets().resolve().parents[1])
    assert install not in str(refused.value) and "/static/print" not in str(refused.value)


def _attachments(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout


def test_allowed_resources_render_and_nothing_is_embedded(tmp_path):
    svg = (
        "data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 "
        "width=%221%22 height=%221%22/%3E"
    )
    html = f'<link rel="stylesheet" href="letter.css"><img src="{svg}"><h1>Letter</h1>'
    pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert _attachments(pdf, tmp_path).startswith("0 embedded files")


def test_print_assets_folder_is_static_print():
    assert print_assets().parts[-2:] == ("static", "print")
    assert (print_assets() / "letter.css").is_file()


def test_the_stylesheet_numbers_pages(tmp_path):
    pdf = html_to_pdf(
        '<link rel="stylesheet" href="letter.css"><p>One</p><p style="break-before: page">Two</p>'
    )
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Page 1 of 2" in text and "Page 2 of 2" in text
