"""The organization profile: the reporting entity whose duties the engine works out."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from . import profile
from .extensions import db
from .forms import OrganizationForm
from .models import Organization
from .regeneration import regenerate_all
from .roles import PROFILE_EDITORS, role_required

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
    """Show and edit the organization profile."""
    organization = profile.current()
    form = OrganizationForm(obj=organization)
    if form.validate_on_submit():
        if organization is None:
            organization = Organization(id=1)
            db.session.add(organization)
        for name in PROFILE_FIELDS:
            value = form[name].data
            setattr(organization, name, (value or None) if name in OPTIONAL_CHOICES else value)
        regenerate_all(organization, current_user, "because the organization profile changed")
        db.session.commit()
        flash("Organization profile saved.", "success")
        return redirect(url_for("organization.edit"))
    return render_template("organization/edit.html", form=form, organization=organization)
