"""Staff templates render only in the sandbox: no escapes, no files, no app objects, no blanks."""

import pytest
from jinja2.exceptions import SecurityError

from incident_tracker.documents.sample import SAMPLE
from incident_tracker.documents.sandbox import TemplateProblem, problems, render

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ incident.title.__class__ }}",
    "{{ incident['__class__'] }}",
    "{{ incident.title|attr('__class__') }}",
    "{{ config }}",
    "{{ self }}",
    "{{ self._TemplateReference__context }}",
    "{{ request }}",
    "{{ range(10)|list }}",
    "{{ lipsum() }}",
    "{{ cycler(1) }}",
    "{{ namespace() }}",
    "{% include 'base.html' %}",
    "{% import 'base.html' as base %}",
    "{% from 'base.html' import x %}",
    "{% extends 'base.html' %}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_escapes_are_refused_before_saving(source):
    assert problems(source, SAMPLE)


@pytest.mark.parametrize("source", ESCAPES)
def test_escapes_do_not_render_either(source):
    with pytest.raises((TemplateProblem, SecurityError)):
        render(source, SAMPLE)


def test_the_sandbox_cannot_mutate_the_context():
    with pytest.raises(TemplateProblem):
        render("{{ incident.places.append(1) }}", SAMPLE)
    assert len(SAMPLE["incident"]["places"]) == 2


def test_values_are_escaped():
    context = {**SAMPLE, "incident": {**SAMPLE["incident"], "title": "<script>alert(1)</script>"}}
    assert str(render("{{ incident.title }}", context)) == "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.mark.parametrize(
    "source,message",
    [
        ("Dear {{ recipient }}", "line 1: unknown variable 'recipient'"),
        ("a\nb\n{{ incident.titel }}", "line 3: unknown variable 'incident.titel'"),
        ("a\n{% if x %}", "line 2: "),
        ("{{ incident.title }", "line 1: unexpected '}'"),
    ],
)
def test_problems_name_the_line(source, message):
    assert any(found.startswith(message) for found in problems(source, SAMPLE)), problems(
        source, SAMPLE
    )


def test_loop_variables_and_assignments_are_known():
    source = (
        "{% set n = incident.places|length %}"
        "{% for p in incident.places %}{{ p.name }}{% endfor %}{{ n }}"
    )
    assert problems(source, SAMPLE) == []
    assert str(render(source, SAMPLE)) == "GermanyCalifornia2"


def test_a_runtime_error_names_the_line_and_never_renders_a_blank():
    with pytest.raises(TemplateProblem, match=r"^line 2: .*has no attribute 'nmae'"):
        render("x\n{% for p in incident.places %}{{ p.nmae }}{% endfor %}", SAMPLE)


def test_thousands_separators_work_in_the_sandbox():
    assert str(render('{{ "{:,}".format(incident.people_total) }}', SAMPLE)) == "1,810"
