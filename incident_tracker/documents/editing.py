"""Letter templates: shipped ones to copy, staff copies to edit, revisions to compare, restore."""

import difflib

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import LetterTemplate, TemplateRevision
from ..web.bounds import query_int
from ..web.pdf_response import pdf_response
from ..web.roles import TEMPLATE_EDITORS, may, role_required
from .context import variables
from .forms import CopyForm, TemplateForm
from .pdf import RefusedResource
from .render import render_document
from .sample import SAMPLE
from .sandbox import TemplateProblem, problems

bp = Blueprint("letters", __name__, url_prefix="/letters")


@bp.get("/")
@login_required
def index():
    """List the shipped templates and the staff copies."""
    templates = db.session.execute(
        db.select(LetterTemplate).order_by(LetterTemplate.shipped.desc(), LetterTemplate.name)
    )
    return render_template("documents/editing/index.html", templates=list(templates.scalars()))


@bp.get("/variables")
@login_required
def variables_page():
    """Document every variable a template may use, with its meaning and an example."""
    return render_template("documents/editing/variables.html", variables=variables())


@bp.get("/<key>")
@login_required
def show(key: str):
    """Show a template's current text and its revisions."""
    template = _get(key)
    return render_template(
        "documents/editing/show.html",
        template=template,
        copy_form=CopyForm(name=f"{template.name} (our version)"),
        may_edit=may(TEMPLATE_EDITORS),
    )


@bp.post("/<key>/copy")
@role_required(*TEMPLATE_EDITORS)
def copy(key: str):
    """Copy a template into a new staff template that can be edited."""
    original = _get(key)
    form = CopyForm()
    if not form.validate_on_submit():
        page = render_template(
            "documents/editing/show.html", template=original, copy_form=form, may_edit=True
        )
        return page, 422
    template = LetterTemplate(
        key=_new_key(original.key),
        name=form.name.data.strip(),
        description=original.description,
        rule_ids=original.rule_ids,
        based_on=original.key,
    )
    template.revisions.append(
        _revision(
            1,
            original.current.body,
            f"copied from {original.key} revision {original.current.number}",
        )
    )
    db.session.add(template)
    db.session.commit()
    flash(f"Copied to “{template.name}”. Edit it below.", "success")
    return redirect(url_for("letters.edit", key=template.key))


@bp.route("/<key>/edit", methods=["GET", "POST"])
@role_required(*TEMPLATE_EDITORS)
def edit(key: str):
    """Edit a staff template; it is checked and test-printed before it becomes a new revision."""
    template = _get(key)
    if template.shipped:
        abort(403)
    form = TemplateForm(body=template.current.body)
    if form.validate_on_submit() and _checks_out(form):
        template.revisions.append(
            _revision(template.current.number + 1, form.body.data, form.note.data or "")
        )
        db.session.commit()
        flash(f"Saved revision {template.current.number}.", "success")
        return redirect(url_for("letters.show", key=key))
    return render_template(
        "documents/editing/edit.html", template=template, form=form
    ), 422 if form.errors else 200


@bp.post("/<key>/preview")
@role_required(*TEMPLATE_EDITORS)
def preview_draft(key: str):
    """Print the text being edited with the sample context, without saving it."""
    template = _get(key)
    form = TemplateForm()
    if not (form.validate_on_submit() and _checks_out(form)):
        return render_template("documents/editing/edit.html", template=template, form=form), 422
    return pdf_response(_sample_pdf(form.body.data, template.name), f"preview-{key}.pdf")


@bp.get("/<key>/revisions/<int:number>/preview")
@login_required
def preview(key: str, number: int):
    """Print a saved revision with the sample context."""
    revision = _revision_of(_get(key), number)
    try:
        pdf = _sample_pdf(revision.body, revision.template.name)
    except (TemplateProblem, RefusedResource) as error:
        return render_template(
            "error.html", code=422, message=f"This revision does not render: {error}"
        ), 422
    return pdf_response(pdf, f"preview-{key}-r{number}.pdf")


@bp.get("/<key>/compare")
@login_required
def compare(key: str):
    """Show the differences between two revisions as a unified diff (plain text)."""
    template = _get(key)
    first = _revision_of(template, query_int(request.args, "a", 1))
    second = _revision_of(template, query_int(request.args, "b", template.current.number))
    diff = difflib.unified_diff(
        first.body.splitlines(),
        second.body.splitlines(),
        f"revision {first.number}",
        f"revision {second.number}",
        lineterm="",
    )
    return render_template(
        "documents/editing/compare.html",
        template=template,
        first=first,
        second=second,
        diff=list(diff),
    )


@bp.post("/<key>/revisions/<int:number>/restore")
@role_required(*TEMPLATE_EDITORS)
def restore(key: str, number: int):
    """Restore an earlier revision: its text becomes a new revision (history is never rewritten)."""
    template = _get(key)
    if template.shipped:
        abort(403)
    old = _revision_of(template, number)
    template.revisions.append(
        _revision(template.current.number + 1, old.body, f"restored revision {number}")
    )
    db.session.commit()
    flash(f"Revision {number} restored as revision {template.current.number}.", "success")
    return redirect(url_for("letters.show", key=key))


def _get(key: str) -> LetterTemplate:
    template = db.session.execute(db.select(LetterTemplate).filter_by(key=key)).scalar_one_or_none()
    if template is None:
        abort(404)
    return template


def _revision_of(template: LetterTemplate, number: int) -> TemplateRevision:
    found = next((r for r in template.revisions if r.number == number), None)
    if found is None:
        abort(404)
    return found


def _revision(number: int, body: str, note: str) -> TemplateRevision:
    return TemplateRevision(
        number=number,
        body=body.replace("\r\n", "\n"),
        note=note.strip(),
        author=current_user._get_current_object(),
    )


def _new_key(base: str) -> str:
    taken = set(db.session.execute(db.select(LetterTemplate.key)).scalars())
    number = 1
    while f"{base}-copy-{number}" in taken:
        number += 1
    return f"{base}-copy-{number}"


def _checks_out(form: TemplateForm) -> bool:
    """Check the text (syntax, names) and print it with sample data; errors go on the field."""
    found = problems(form.body.data, SAMPLE)
    if not found:
        try:
            _sample_pdf(form.body.data, "check")
        except (TemplateProblem, RefusedResource) as error:
            found = [str(error)]
    form.body.errors = list(form.body.errors) + found
    return not found


def _sample_pdf(source: str, title: str) -> bytes:
    return render_document(source, SAMPLE, title).pdf
