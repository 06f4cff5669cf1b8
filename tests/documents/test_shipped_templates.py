"""The shipped letter templates: each is valid for the editor, renders from the demo incident to a
PDF, and contains every element its law requires (read back with pdftotext)."""

import copy
import subprocess
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm.attributes import set_committed_value

from incident_tracker.config import resource_dir
from incident_tracker.documents import catalogue
from incident_tracker.documents.context import letter_context
from incident_tracker.documents.render import render_document
from incident_tracker.documents.sample import SAMPLE
from incident_tracker.documents.sandbox import problems, render
from incident_tracker.extensions import db
from incident_tracker.models import Obligation, Organization
from incident_tracker.ops import demo
from tests.helpers import get_incident

NOW = datetime(2026, 4, 15, 9, 0, tzinfo=UTC)  # after every March deadline but Texas's
KEYS = [shipped.key for shipped in catalogue.SHIPPED]
REASONS = "The forensic firm could only confirm which buckets were read on 30 March."
BUREAUS = ("Equifax", "1-800-685-1111", "Experian", "1-888-397-3742", "TransUnion")
BUREAUS += ("1-888-909-8872",)
CA_HEADINGS = ("What Happened", "What Information Was Involved", "What We Are Doing")
CA_HEADINGS += ("What You Can Do", "For More Information")

# key: (rule_id, jurisdiction, extra) of a demo obligation, or the fields of an in-memory one
FILED = {
    "gdpr_art33_authority": ("gdpr.sa_notification", "IE", {"delay_reasons": REASONS}),
    "gdpr_art34_data_subjects": ("gdpr.data_subject_notice", "EU", {}),
    "nis2_early_warning": ("nis2.early_warning", "IE", {}),
    "nis2_incident_notification": ("nis2.incident_notification", "IE", {}),
    "nis2_final_report": ("nis2.final_report", "IE", {}),
    "us_state_consumer_notice": ("us-ca.individual_notice", "US-CA", {}),
    "us_state_attorney_general": ("us-tx.attorney_general", "US-TX", {}),
}
CBI, DORA = "Central Bank of Ireland", "Regulation (EU) 2022/2554 Art. 19(4)"
IN_MEMORY = {  # key: (rule_id, jurisdiction, recipient, basis) of an obligation the demo lacks
    "gdpr_art33_2_controller": ("gdpr.controller_notice", "EU", "Northwind AI", "GDPR Art. 33(2)"),
    "dora_initial_notification": ("dora.initial_notification", "IE", CBI, f"{DORA}(a)"),
    "dora_intermediate_report": ("dora.intermediate_report", "IE", CBI, f"{DORA}(b)"),
    "dora_final_report": ("dora.final_report", "IE", CBI, f"{DORA}(c)"),
    "sec_form_8k_item_105": ("sec.form_8k", "US", "U.S. SEC", "Form 8-K Item 1.05"),
    "customer_vendor_notice": ("contract.notice", "EU", "Northwind AI", "clause 12 of the MSA"),
}
_RENDERED: dict[str, tuple[dict, str]] = {}


def transient(incident, rule_id, jurisdiction, recipient, basis) -> Obligation:
    """An obligation kept out of the session: the incident is set without its backref, which
    would make autoflush warn about an obligation outside the session."""
    row = Obligation(rule_id=rule_id, jurisdiction=jurisdiction, recipient=recipient, basis=basis)
    row.title, row.regime = rule_id, rule_id.split(".")[0]
    row.anchor, row.status = "aware_at", "open"
    set_committed_value(row, "incident", incident)
    return row


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with all whitespace removed, so that line wrapping cannot split a needle."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True)
    assert out.returncode == 0, out.stderr
    return "".join(out.stdout.decode("utf-8").split())


def render_all() -> dict[str, tuple[dict, str]]:
    demo.load(NOW)
    march = get_incident("INC-2026-0001")
    org = db.session.get(Organization, 1)
    rendered = {}
    for shipped in catalogue.SHIPPED:
        if shipped.key in FILED:
            rule_id, jurisdiction, extra = FILED[shipped.key]
            row = next(r for r in march.obligations if r.key == (rule_id, jurisdiction))
        else:
            row, extra = transient(march, *IN_MEMORY[shipped.key]), {}
        context = letter_context(row, org, NOW, extra)
        document = render_document(catalogue.source(shipped.key), context, shipped.name)
        assert document.pdf.startswith(b"%PDF")
        rendered[shipped.key] = (context, pdf_text(document.pdf))
    assert not db.session.new
    return rendered


@pytest.fixture
def letters(app):
    if not _RENDERED:
        with app.test_request_context():
            _RENDERED.update(render_all())
    return _RENDERED


def missing(text: str, needles) -> list[str]:
    return [needle for needle in needles if "".join(str(needle).split()) not in text]


# fmt: off
def expected(key: str, ctx: dict) -> list[str]:
    """What the law requires in each document, as it must appear for the demo incident."""
    org, incident, obligation = ctx["organization"], ctx["incident"], ctx["obligation"]
    dpo = [org["dpo_name"], org["dpo_email"], org["dpo_phone"]]
    timeline = [incident["occurred_at"], incident["detected_at"], incident["aware_at"]]
    categories, components = incident["personal_data_categories"], incident["components"]
    facts = [incident["measures_taken"], obligation["basis"], *components, *timeline]
    places = [f"{p['name']} ({p['code']}) {p['people']:,} {p['records']:,}"
              for p in incident["places"]]
    eea = "Germany, Spain, France, Ireland, Netherlands, Poland"
    common = [incident["reference"], ctx["letter"]["date"], obligation["recipient"], "Page 1 of"]
    return common + {
        "gdpr_art33_authority": [
            *dpo, *categories, *places, *facts, incident["consequences"], "49,141", "52,596",
            "In accordance with Article 33(4), information that is not yet available is provided"
            " in phases: we will provide further information without undue further delay",
            "Reasons for the delay (Art. 33(1))", REASONS, "Categories of data subjects",
            f"Cross-border impact: yes. Data subjects in 6 EU/EEA States are concerned: {eea}"],
        "gdpr_art34_data_subjects": [
            *dpo, *categories, incident["measures_taken"], incident["consequences"],
            "phishing", "Change your password", "fraud alert or a freeze on your credit file",
            "identity-monitoring service", "right to complain to a data protection authority"],
        "gdpr_art33_2_controller": [
            *dpo, *categories, *places, *facts, incident["consequences"], "72-hour period",
            "We became aware of the personal data breach", "Our next update will follow by"],
        "nis2_early_warning": [
            "suspected of being caused by unlawful or malicious acts", "within 72 hours",
            "The incident could have a cross-border impact", eea, incident["aware_at"]],
        "nis2_incident_notification": [
            *facts, "Initial assessment (Art. 23(4)(b))", "critical", "early warning",
            "Indicators of compromise (file hashes, domains, IP addresses, where available) "
            "are attached separately"],
        "nis2_final_report": [
            *facts, "(progress report)", "Art. 23(4)(e)", incident["root_cause"],
            "Type of threat or root cause (Art. 23(4)(d)(ii))",
            "Applied and ongoing mitigation measures", "People are affected in 6 EU/EEA States"],
        "dora_initial_notification": [
            "[LEI — to be completed]", "Initial notification", eea, incident["detected_at"],
            "Classification criteria met (Delegated Regulation (EU) 2024/1772", "Business",
            "Data losses (Art. 5)", "within 72 hours of the submission of this initial"],
        "dora_intermediate_report": [
            "[LEI — to be completed]", "Intermediate report (Art. 3)", "Cybersecurity-related",
            "Further indicators of compromise are attached separately", incident["occurred_at"],
            "How the classification criteria are fulfilled", "Credentials rotated"],
        "dora_final_report": [
            "[LEI — to be completed]", "Final report (Art. 4)", "Unpinned dependency on litellm",
            "[gross amount — to be completed]", "[amount — to be completed]",
            "The incident is recorded as contained, not closed"],
        "sec_form_8k_item_105": [
            "Item 1.05 Material Cybersecurity Incidents", "FORM 8-K", incident["occurred_at"],
            "material impact or reasonably likely material impact", "(Form 8-K/A)",
            "financial condition and results of operations", "Instruction 2 to Item 1.05",
            "within four business days after it is determined", "approximately 49,141",
            "[date of the materiality determination — to be completed]"],
        "us_state_consumer_notice": [
            "Notice of Data Breach", *CA_HEADINGS, *categories, *BUREAUS, org["dpo_email"],
            f"between {incident['occurred_at']} and {incident['contained_at']}",
            f"We discovered the breach on {incident['discovered_at']}",
            f"The date of this notice is {ctx['letter']['date']}",
            "delayed as a result of a law enforcement investigation", "Social Security number",
            "identity theft prevention and mitigation services", "security freeze",
            "at no cost to you for 24 months"],
        "us_state_attorney_general": [
            *dpo, "approximately 5,390 Texas residents", "A sample of the notice",
            "[date of the consumer notice — to be completed]", categories[0],
            incident["measures_taken"], "free of charge for 24 months"],
        "customer_vendor_notice": [
            *dpo, *incident["data_categories"], incident["measures_taken"],
            "Which of your data may be affected", "We will send our next update by",
            "Article 33(2) GDPR"],
    }[key]
# fmt: on


@pytest.mark.parametrize("key", KEYS)
def test_each_document_contains_what_its_law_requires(letters, key):
    context, text = letters[key]
    assert missing(text, expected(key, context)) == []


def test_the_late_notification_is_late_and_the_processor_notice_is_not(letters):
    assert letters["gdpr_art33_authority"][0]["letter"]["is_late"] is True
    assert letters["gdpr_art33_2_controller"][0]["letter"]["is_late"] is False


@pytest.mark.parametrize("key", KEYS)
def test_shipped_templates_pass_the_editor_check(key):
    assert problems(catalogue.source(key), SAMPLE) == []


def test_every_shipped_entry_has_a_file_and_every_file_an_entry():
    files = {path.stem for path in (resource_dir("templates") / "letters").glob("*.html")}
    assert files == set(KEYS)


def sparse() -> dict:
    """A context where nothing is known yet: empty strings, lists and zero counts."""
    context = copy.deepcopy(SAMPLE)
    for head in ("organization", "incident", "obligation"):
        for name, value in context[head].items():
            context[head][name] = type(value)()
    context["incident"].update(
        reference="INC-2026-0009", status="open", gdpr_risk="not yet assessed"
    )
    context["incident"]["assessments"] = {  # none yet: every value blank, as context.py gives
        kind: dict.fromkeys(values, "")
        for kind, values in SAMPLE["incident"]["assessments"].items()
    }
    context["organization"].update(name="Org", nis2="none", dora="none")
    context["letter"].update(is_late=True)
    return context


def sample(**changes) -> dict:
    context = copy.deepcopy(SAMPLE)
    for name, value in changes.items():
        head, _, tail = name.partition("__")
        context[head][tail] = value
    return context


@pytest.mark.parametrize("key", KEYS)
def test_each_renders_with_the_sample_and_a_sparse_context(key):
    html = render(catalogue.source(key), SAMPLE)
    assert f'data-reference="{SAMPLE["incident"]["reference"]}"' in html
    assert SAMPLE["organization"]["name"] in html
    assert "None" not in render(catalogue.source(key), sparse())  # nothing known yet


def test_each_sample_document_prints(app):
    with app.test_request_context():
        for shipped in catalogue.SHIPPED:
            document = render_document(catalogue.source(shipped.key), SAMPLE, shipped.name)
            assert "Page1of" in pdf_text(document.pdf), shipped.key


def test_reasons_for_the_delay_only_when_late():
    source = catalogue.source("gdpr_art33_authority")
    assert "Reasons for the delay" not in render(source, SAMPLE)
    late = render(source, sample(letter__is_late=True))
    assert "Reasons for the delay" in late and "[Reasons for the delay" in late
    follow_up = [{"submitted_at": "29 March 2026, 17:20 CEST", "reference": "BN-1"}]
    supplement = render(source, sample(letter__is_late=True, obligation__filings=follow_up))
    assert "Reasons for the delay" not in supplement
    assert "supplements our notification" in supplement


def test_identity_protection_only_when_identifiers_were_exposed():
    source = catalogue.source("us_state_consumer_notice")
    assert "24 months" in render(source, SAMPLE)  # identity documents (driver's licences)
    contact_only = render(source, sample(incident__data_categories=["Contact details"]))
    assert "24 months" not in contact_only and "1-888-397-3742" in contact_only


def test_the_consumer_notice_serves_hipaa_and_new_york():
    source = catalogue.source("us_state_consumer_notice")
    hipaa = render(source, sample(obligation__rule_id="hipaa.individual_notice"))
    assert "health and other personal information" in hipaa
    assert SAMPLE["incident"]["discovered_at"] in hipaa
    new_york = render(source, sample(obligation__jurisdiction="US-NY"))
    assert "1-800-771-7755" in new_york and "1-800-771-7755" not in hipaa


def test_the_attorney_general_letter_counts_the_residents_of_its_state():
    source = catalogue.source("us_state_attorney_general")
    california = render(
        source, sample(obligation__jurisdiction="US-CA", obligation__jurisdiction_name="California")
    )
    assert "approximately <strong>610</strong> California residents" in california
    texas = render(source, sample(obligation__jurisdiction="US-TX"))
    assert "[number, or an estimate — to be completed]" in texas
