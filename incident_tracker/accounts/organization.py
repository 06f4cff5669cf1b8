"""The organization profile: the reporting entity whose duties the engine works out."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ..audit import trail as audit
from ..extensions import db
from ..incidents.regeneration import regenerate_all
from ..models import Organization
from ..web import profile, versions
from ..web.roles import PROFILE_EDITORS, role_required
from .forms import OrganizationForm

bp = Blueprint("organization", __name__, url_prefix="/organization")

PROFILE_FIELDS = (
    "name",
    "country",
    "timezone",
    "gdpr_role",
    "eu_main_establishment",
    "nis2",
    "nis2_sector",
    "trust_service_provider",
    "dora",
    "dora_relief_withdrawn",
    "sec_registrant",
    "hipaa",
    "dpo_name",
    "dpo_email",
    "dpo_phone",
)
OPTIONAL_CHOICES = ("eu_main_establishment", "nis2", "dora", "hipaa")


@bp.route("/", methods=["GET", "POST"])
@role_required(*PROFILE_EDITORS)
def edit():
    """Show and edit the organization profile; a stale form never overwrites a newer save."""
    organization = profile.current()
    form = OrganizationForm(obj=organization, loaded_at=versions.stamp())
    if not form.validate_on_submit():
        return render_template("accounts/organization.html", form=form, organization=organization)
    if organization is None:
        organization = Organization(id=1)
        db.session.add(organization)
    elif not versions.claim(Organization, 1, form.submitted_version()):
        return _conflict(organization, form)
    for name in PROFILE_FIELDS:
        value = form[name].data
        setattr(organization, name, (value or None) if name in OPTIONAL_CHOICES else value)
    regenerate_all(organization, current_user, "because the organization profile changed")
    db.session.commit()
    flash("Organization profile saved.", "success")
    return redirect(url_for("organization.edit"))


def _conflict(organization: Organization, form: OrganizationForm):
    """Someone saved first: show their changes, keep this user's input, let them save again."""
    db.session.refresh(organization)
    since = versions.loaded_at(form.loaded_at.data)
    meanwhile = [
        event for event in audit.history(entity="organization") if since is None or event.at > since
    ]
    form.mark_current(organization.version, versions.stamp())
    page = render_template(
        "accounts/organization.html", form=form, organization=organization, meanwhile=meanwhile
    )
    return page, 409
