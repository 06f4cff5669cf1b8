"""Assessing an incident with a published method, and recording the decision that follows.

A method (assessment_enisa.py, assessment_nis2.py, assessment_dora.py) turns a form's inputs into
an `Outcome`: the level it proposes, the criteria with their reasons, a summary for letters. The
DPO confirms the proposal or chooses another level with a reason. `record` keeps both as a new,
write-once version (models.Assessment) and sets the incident's own fields from the decision
through records.change, so the timeline, the audit trail and the obligations follow as for any
other edit: the confirmed level, not the proposal, drives the clocks.
"""

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Protocol

from flask_wtf import FlaskForm

from ..extensions import db
from ..incidents import records, timeline
from ..models import Assessment, Incident, Organization, User


class AssessmentError(ValueError):
    """An input the method cannot use, named by its form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Criterion:
    """One criterion as a page or a letter shows it."""

    criterion: str
    citation: str
    met: bool | None  # None: could not be evaluated (an input is missing)
    detail: str


@dataclass(frozen=True)
class Outcome:
    """What a method proposes, from which criteria, in which words."""

    proposal: str  # one of the values of `choices`
    choices: tuple[tuple[str, str], ...]  # every level a person may decide: (value, label)
    criteria: tuple[Criterion, ...]
    summary: str  # one paragraph: the method, the level and the decisive criteria
    details: dict[str, Any] = field(default_factory=dict)  # JSON-able: scores and the like

    def label(self, value: str) -> str:
        return dict(self.choices).get(value, value)


class Method(Protocol):
    """What each assessment module provides (see assessment_enisa.py for an example)."""

    kind: str  # "enisa", "nis2" or "dora"
    title: str  # "ENISA breach severity"
    template: str  # the form's fields, included in templates/assessments/form.html
    form_class: type[FlaskForm]

    def prefill(self, inputs: dict, incident: Incident) -> dict:
        """The form's data from the last version's inputs (or the incident, the first time)."""

    def inputs(self, form: FlaskForm) -> dict:
        """The JSON-able inputs of a validated form."""

    def assess(self, inputs: dict, incident: Incident, organization: Organization) -> Outcome:
        """Apply the method; raise AssessmentError naming the field of an unusable input."""

    def scalars(self, decision: str, outcome: Outcome, classified_at: datetime | None) -> dict:
        """The incident fields the decision sets (records.SCALAR_FIELDS names)."""


METHODS: dict[str, Method] = {}


def register(method: Method) -> Method:
    METHODS[method.kind] = method
    return method


def latest(incident: Incident, kind: str) -> Assessment | None:
    statement = (
        db.select(Assessment)
        .filter_by(incident_id=incident.id, kind=kind)
        .order_by(Assessment.version.desc())
        .limit(1)
    )
    return db.session.execute(statement).scalar_one_or_none()


def history(incident: Incident) -> list[Assessment]:
    statement = (
        db.select(Assessment)
        .filter_by(incident_id=incident.id)
        .order_by(Assessment.kind, Assessment.version.desc())
    )
    return list(db.session.execute(statement).scalars())


@dataclass(frozen=True)
class Decision:
    value: str
    reason: str
    classified_at: datetime | None = None


def decision_problem(outcome: Outcome, decision: Decision) -> str | None:
    """Why a decision cannot be recorded, or None."""
    if decision.value not in dict(outcome.choices):
        return f"choose one of: {', '.join(label for _value, label in outcome.choices)}"
    if decision.value != outcome.proposal and not decision.reason.strip():
        return (
            f"the method proposes {outcome.label(outcome.proposal)}: give the reason for "
            f"deciding {outcome.label(decision.value)} instead"
        )
    return None


def record(
    incident: Incident,
    method: Method,
    inputs: dict,
    outcome: Outcome,
    decision: Decision,
    actor: User,
    organization: Organization,
) -> Assessment:
    """Keep the version, set the incident's fields from the decision, regenerate (no commit)."""
    previous = latest(incident, method.kind)
    row = Assessment(
        incident_id=incident.id,
        kind=method.kind,
        version=(previous.version + 1) if previous else 1,
        inputs=_json(inputs),
        result=_json({"criteria": [asdict(c) for c in outcome.criteria], **outcome.details}),
        proposal=outcome.proposal,
        decision=decision.value,
        override_reason=decision.reason.strip(),
        summary=outcome.summary,
        classified_at=decision.classified_at,
        assessed_by_id=actor.id,
    )
    db.session.add(row)
    changes = records.Changes(
        scalars=method.scalars(decision.value, outcome, decision.classified_at)
    )
    records.change(incident, changes, organization, actor, version=records.ANY_VERSION)
    timeline.record(incident, "assessment", _sentence(method, row, outcome, actor), actor)
    return row


def _sentence(method: Method, row: Assessment, outcome: Outcome, actor: User) -> str:
    decided = outcome.label(row.decision)
    text = f"{method.title}, version {row.version}: the method proposes "
    text += f"{outcome.label(row.proposal)}; {actor.email} decided {decided}"
    return text + (f" because {row.override_reason}" if row.overridden else " (confirmed)")


def _json(value: dict) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def criteria(row: Assessment) -> list[dict]:
    """The criteria of a stored version, for pages and letters."""
    return json.loads(row.result).get("criteria", [])


def inputs_of(row: Assessment | None) -> dict:
    return json.loads(row.inputs) if row else {}
