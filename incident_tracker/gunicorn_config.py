"""gunicorn settings for `incident-tracker run` (and the load tests and benchmarks).

gunicorn -c python:incident_tracker.gunicorn_config 'incident_tracker.app:create_app()'
"""

import gc


def post_worker_init(worker) -> None:
    """Once a worker has built the app, freeze the objects alive now (gc.freeze).

    A worker's heap is mostly the app itself: SQLAlchemy's mappers and compiled statements, Jinja's
    templates, the holiday calendars, WeasyPrint's fonts. Python's full collections kept walking
    all of it, which showed as pauses of 100-300 ms in one request out of ten (the p95 of
    bench/RESULTS.md); frozen objects are left out of every collection.
    """
    gc.freeze()
