"""The application as gunicorn serves it in benchmarks, plus the floor route (a constant string).

gunicorn 'bench.wsgi:create()'
"""

from flask import Flask

from incident_tracker.app import create_app

from .measure import add_floor_route


def create() -> Flask:
    return add_floor_route(create_app())
