"""The JSON API under /api/v1, documented as OpenAPI 3.1 at /api/v1/openapi.json.

Why flask-smorest: it builds the OpenAPI document from the same marshmallow schemas that
validate requests and shape responses (so the document cannot drift from the code), it works
with a plain Flask app and blueprint (no change to the rest of the application), and it is
maintained alongside marshmallow/apispec. Errors are RFC 9457 problem details.
"""

import http

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from .schemas import ProblemSchema

PROBLEM = "application/problem+json"


class ProblemApi(Api):
    """flask-smorest's Api with problem+json errors (rendered by security.py for /api/ paths)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        """The application's own error handlers answer /api/ paths with problem details."""

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM if status >= 400 else "application/json")
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


api = ProblemApi()


def init_app(app: Flask) -> None:
    from .views import blp  # imported late: the views import the models and the app's modules

    app.config.setdefault("API_TITLE", "incident_tracker API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "security": [{"bearerAuth": []}],
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        },
    )
    api.init_app(app)
    api.register_blueprint(blp)
