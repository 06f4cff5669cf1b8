"""The shipped letter and report templates (templates/letters/*.html), synced to the database.

Shipped templates are read-only in the app; staff copy one to edit it. Each file's text becomes a
revision of its shipped template, so that every document can cite the exact text it came from.
"""

from dataclasses import dataclass

from ..config import resource_dir
from ..extensions import db
from ..models import LetterTemplate, TemplateRevision

US_STATES = ("us-ca", "us-ny", "us-tx", "us-fl", "us-co", "us-wa")


@dataclass(frozen=True)
class Shipped:
    key: str
    name: str
    rule_ids: tuple[str, ...]
    description: str


SHIPPED = (
    Shipped(
        "gdpr_art33_authority",
        "GDPR Art. 33 notification to a supervisory authority",
        ("gdpr.sa_notification", "uk_gdpr.ico_notification"),
        "The four Art. 33(3) elements, the phased-notification statement (Art. 33(4)) and the "
        "reasons for a delay.",
    ),
    Shipped(
        "gdpr_art34_data_subjects",
        "GDPR Art. 34 letter to the people affected",
        ("gdpr.data_subject_notice", "uk_gdpr.data_subject_notice"),
        "Plain language: what happened, likely consequences, what we did, what to do, whom to ask.",
    ),
    Shipped(
        "gdpr_art33_2_controller",
        "Processor's notice to the controller (GDPR Art. 33(2))",
        ("gdpr.controller_notice", "uk_gdpr.controller_notice"),
        "Everything the controller needs to file its own notification within 72 hours.",
    ),
    Shipped(
        "nis2_early_warning",
        "NIS2 early warning (Art. 23(4)(a))",
        ("nis2.early_warning",),
        "Suspected unlawful or malicious cause; possible cross-border impact.",
    ),
    Shipped(
        "nis2_incident_notification",
        "NIS2 incident notification (Art. 23(4)(b))",
        ("nis2.incident_notification",),
        "Update of the early warning; initial assessment, severity, impact, indicators.",
    ),
    Shipped(
        "nis2_final_report",
        "NIS2 final report (Art. 23(4)(d))",
        ("nis2.final_report",),
        "Detailed description, root cause, mitigation, cross-border impact.",
    ),
    Shipped(
        "dora_initial_notification",
        "DORA initial notification (RTS 2025/301 Art. 2)",
        ("dora.initial_notification",),
        "The initial-notification fields of RTS 2025/301 Arts. 1-2.",
    ),
    Shipped(
        "dora_intermediate_report",
        "DORA intermediate report (RTS 2025/301 Art. 3)",
        ("dora.intermediate_report",),
        "The intermediate-report fields of RTS 2025/301 Arts. 1 and 3.",
    ),
    Shipped(
        "dora_final_report",
        "DORA final report (RTS 2025/301 Art. 4)",
        ("dora.final_report",),
        "The final-report fields of RTS 2025/301 Arts. 1 and 4.",
    ),
    Shipped(
        "sec_form_8k_item_105",
        "SEC Form 8-K Item 1.05 draft",
        ("sec.form_8k",),
        "Nature, scope and timing of the incident and its material impact.",
    ),
    Shipped(
        "us_state_consumer_notice",
        "US state consumer breach notice",
        tuple(f"{state}.individual_notice" for state in US_STATES) + ("hipaa.individual_notice",),
        "The elements California requires (Civ. Code 1798.82(d)), under the required headings.",
    ),
    Shipped(
        "us_state_attorney_general",
        "Cover letter to a state attorney general",
        tuple(f"{state}.attorney_general" for state in US_STATES),
        "Cover letter with the sample notice.",
    ),
    Shipped(
        "customer_vendor_notice",
        "Notice to customers or vendors",
        (),
        "A contractual notice to a customer or vendor about the incident.",
    ),
)


def source(key: str) -> str:
    """The text of a shipped template file."""
    return (resource_dir("templates") / "letters" / f"{key}.html").read_text(encoding="utf-8")


def sync_shipped() -> int:
    """Create the shipped templates, or add a revision where a file changed; count changes."""
    changed = 0
    for shipped in SHIPPED:
        template = db.session.execute(
            db.select(LetterTemplate).filter_by(key=shipped.key)
        ).scalar_one_or_none()
        if template is None:
            template = LetterTemplate(key=shipped.key, shipped=True)
            db.session.add(template)
        template.name, template.description = shipped.name, shipped.description
        template.rule_ids = " ".join(shipped.rule_ids)
        body = source(shipped.key)
        if not template.revisions or template.current.body != body:
            number = len(template.revisions) + 1
            template.revisions.append(
                TemplateRevision(number=number, body=body, note="shipped version")
            )
            changed += 1
    return changed
