"""PDF render times: a 1-page and a 5-page letter through the real path, cold and warm, beside the
floor of WeasyPrint printing a minimal page.

Cold is the first render in a fresh interpreter (fonts, styles and templates not yet loaded);
warm is the median of later renders in the same process. The 1-page letter's warm time is also
taken in rounds spread over a benchmark run (`warm_round`), each beside the floor's: a render is
the same CPU work every time, so a slower round measures the machine's slower minutes (this VM's
speed varies by up to 2x), and the fastest round is the render's own time (timeit's reasoning).

    python -m bench.pdf cold one_page      # prints the milliseconds of one cold render
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from weasyprint import HTML

from incident_tracker.documents.render import render_document
from incident_tracker.documents.sample import SAMPLE

PARAGRAPH = (
    "<p>On {{ incident.aware_at }} {{ organization.name }} became aware that an unauthorised party"
    " had copied data from a system used to store contractor records. The investigation continues;"
    " this letter sets out what happened, the data concerned, the likely consequences and the"
    " measures taken or proposed to address the breach and mitigate its possible adverse effects."
    "</p>"
)
TABLE_ROW = (
    "<tr><td>{n}</td><td>{{{{ incident.title }}}}</td><td>{{{{ incident.reference }}}}</td></tr>"
)


def letter(paragraphs: int, rows: int) -> str:
    """A letter body like the shipped ones: a heading, paragraphs and a table."""
    table = "<table>" + "".join(TABLE_ROW.format(n=n) for n in range(1, rows + 1)) + "</table>"
    return "<h1>Notification of a personal data breach</h1>" + PARAGRAPH * paragraphs + table


BODIES = {"one_page": letter(3, 5), "five_pages": letter(17, 66)}
MINIMAL = "<!doctype html><html><body><p>x</p></body></html>"


def render(which: str) -> bytes:
    if which == "floor":  # WeasyPrint itself, none of the application's code
        return HTML(string=MINIMAL).write_pdf()
    return render_document(BODIES[which], SAMPLE, title="Benchmark letter").pdf


def pages(pdf: bytes) -> int:
    """The page count, as poppler's pdfinfo reads it."""
    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, timeout=30, check=True
    ).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


@dataclass(frozen=True)
class PdfTiming:
    which: str
    pages: int
    cold_ms: float
    warm_ms: float


@dataclass(frozen=True)
class Round:
    """The 1-page letter's warm render and the floor's, measured one after the other."""

    letter_ms: float
    floor_ms: float


def measure(which: str, repeat: int = 7) -> PdfTiming:
    cold = float(_cold_run(which))
    warm, pdf = _warm(which, repeat)
    return PdfTiming(which, pages(pdf), cold, warm)


def warm_round() -> Round:
    return Round(_warm("one_page")[0], _warm("floor")[0])


def _warm(which: str, repeat: int = 7) -> tuple[float, bytes]:
    """The median of `repeat` renders after a first one, and the last PDF."""
    times, pdf = [], render(which)
    for _ in range(repeat):
        start = time.perf_counter()
        pdf = render(which)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), pdf


def _cold_run(which: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bench.pdf", "cold", which],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


def _cold(which: str) -> None:
    start = time.perf_counter()
    render(which)
    print(f"{(time.perf_counter() - start) * 1000:.1f}")


if __name__ == "__main__":
    _cold(sys.argv[2])
