"""`incident-tracker deadlines FILE`: JSON out on success, one line and status 2 on bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from incident_tracker.facts.document import deadlines

ROOT = Path(__file__).parents[2]
DESIGN_EXAMPLE = (Path(__file__).parent / "design_example.json").read_text()
NIS2 = "Directive (EU) 2022/2555"
CSIRT = "CSIRT or competent authority (DE)"
# Hand-computed. Aware 17:30 CET = 16:30Z; Berlin moves to CEST at 01:00Z on 29 March.
DESIGN_OBLIGATIONS = [
    # 16:30Z + 24 h = 28 March 16:30Z, still CET
    {
        "id": "nis2.early_warning",
        "jurisdiction": "DE",
        "recipient": CSIRT,
        "due_at": "2026-03-28T17:30:00+01:00",
        "status": "open",
        "basis": f"{NIS2} Art. 23(4)(a)",
        "anchor": "aware_at",
    },
    # 16:30Z + 72 h = 30 March 16:30Z = 18:30 CEST; submitted 29 March, due_at kept
    {
        "id": "gdpr.sa_notification",
        "jurisdiction": "DE",
        "recipient": "Lead supervisory authority (DE)",
        "due_at": "2026-03-30T18:30:00+02:00",
        "status": "submitted",
        "basis": "Regulation (EU) 2016/679 Art. 33(1)",
        "anchor": "aware_at",
    },
    {
        "id": "nis2.incident_notification",
        "jurisdiction": "DE",
        "recipient": CSIRT,
        "due_at": "2026-03-30T18:30:00+02:00",
        "status": "submitted",
        "basis": f"{NIS2} Art. 23(4)(b)",
        "anchor": "aware_at",
    },
    # discovered 27 March (day 0) + 30 calendar days = 26 April, 23:59:59 local
    {
        "id": "us-ca.individual_notice",
        "jurisdiction": "US-CA",
        "recipient": "Affected California residents",
        "due_at": "2026-04-26T23:59:59+02:00",
        "status": "open",
        "basis": "Cal. Civ. Code 1798.82(a) as amended by SB 446",
        "anchor": "discovered_at",
    },
    # incident notification submitted 29 March 10:00 CEST + 1 month = 29 April 10:00 CEST
    {
        "id": "nis2.final_report",
        "jurisdiction": "DE",
        "recipient": CSIRT,
        "due_at": "2026-04-29T10:00:00+02:00",
        "status": "open",
        "basis": f"{NIS2} Art. 23(4)(d)",
        "anchor": "nis2.incident_notification",
    },
    {
        "id": "gdpr.data_subject_notice",
        "jurisdiction": "EU",
        "recipient": "Affected data subjects",
        "due_at": None,
        "status": "no_fixed_deadline",
        "basis": "Regulation (EU) 2016/679 Art. 34(1)",
        "anchor": "aware_at",
    },
    # 610 > 500 California residents; 15 days after the consumer notice, not yet submitted
    {
        "id": "us-ca.attorney_general",
        "jurisdiction": "US-CA",
        "recipient": "California Attorney General",
        "due_at": None,
        "status": "awaiting_anchor",
        "basis": "Cal. Civ. Code 1798.82(f) as amended by SB 446",
        "anchor": "us-ca.individual_notice",
    },
]


def run(args, stdin=None):
    return CliRunner().invoke(deadlines, args, input=stdin)


@pytest.fixture
def example_file(tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(DESIGN_EXAMPLE)
    return path


def test_the_design_example_prints_its_obligations(example_file):
    result = run([str(example_file)])
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {"obligations": DESIGN_OBLIGATIONS}
    assert result.stdout.startswith('{\n  "obligations": [\n    {\n      "id": ')


def test_a_dash_reads_standard_input():
    result = run(["-"], stdin=DESIGN_EXAMPLE)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["obligations"] == DESIGN_OBLIGATIONS


def test_due_times_are_shown_in_the_organizations_timezone():
    document = {
        "organization": {"country": "DE", "timezone": "Europe/Berlin", "sec_registrant": True},
        "sec_materiality_determined_at": "2026-03-09T10:00:00-04:00",
    }
    result = run(["-"], stdin=json.dumps(document))
    (form,) = json.loads(result.stdout)["obligations"]
    # Friday 13 March 17:30 EDT (US already on summer time) = 21:30Z = 22:30 CET
    assert form["due_at"] == "2026-03-13T22:30:00+01:00"
    assert list(form) == ["id", "jurisdiction", "recipient", "due_at", "status", "basis", "anchor"]


def test_nothing_owed_prints_an_empty_list():
    result = run(["-"], stdin='{"organization": {"country": "FR", "timezone": "Europe/Paris"}}')
    assert (result.exit_code, json.loads(result.stdout)) == (0, {"obligations": []})


MISSING_AWARENESS = json.dumps(
    {
        "organization": {
            "country": "DE",
            "timezone": "Europe/Berlin",
            "gdpr_role": "controller",
            "nis2": "important",
        },
        "personal_data_breach": True,
        "gdpr_risk": "risk",
        "nis2_significant": True,
    }
)
BAD_INPUT = [
    # (standard input, error line)
    ('{"organization": {"country": "DE",}', "error: stdin: malformed JSON at line 1, column 35"),
    ("", "error: stdin: malformed JSON at line 1, column 1: Expecting value"),
    (
        '{"aware_at": 1, "aware_at": 2}',
        'error: stdin: malformed JSON: key "aware_at" appears twice',
    ),
    ('{"organization": NaN}', "error: stdin: malformed JSON: NaN is not JSON"),
    ("[" * 100_000, "error: stdin: malformed JSON: nested too deeply"),
    (b"\xff\xfe{}", "error: stdin: the file is not UTF-8 text"),
    ("[1, 2]", "error: document: expected a JSON object, got [1, 2]"),
    (
        '{"organization": {"country": "DE", "timezone": "Europe/Berlin"}, '
        '"aware_at": "2026-03-27T17:30:00"}',
        'error: aware_at: naive timestamp "2026-03-27T17:30:00"; add an offset such as +01:00 or Z',
    ),
    (
        '{"organization": {"country": "DE", "timezone": "Mars/Olympus"}}',
        'error: organization.timezone: "Mars/Olympus" is not an IANA timezone',
    ),
    (
        '{"organization": {"country": "UK", "timezone": "Europe/London"}}',
        "error: organization.country: 'UK' is not an ISO 3166-1 code; use 'GB'",
    ),
    (
        '{"organization": {"country": "DE", "timezone": "UTC"}, "affected": {"US-ZZ": 3}}',
        "error: affected.US-ZZ: ",
    ),
    (
        '{"organization": {"country": "DE", "timezone": "UTC"}, "affected": {"FR": -3}}',
        "error: affected.FR: count must not be negative",
    ),
    (
        '{"organization": {"country": "DE", "timezone": "UTC", "nis2": "vital"}}',
        'error: organization.nis2: "vital" is not one of essential, important',
    ),
    (
        '{"organization": {"country": "DE", "timezone": "UTC"}, "submissions": {"gdpr.x": []}}',
        "error: submissions.gdpr.x: unknown obligation id",
    ),
    (
        MISSING_AWARENESS,
        "error: aware_at: missing; needed by gdpr.sa_notification, nis2.early_warning, "
        "nis2.incident_notification",
    ),
    (
        '{"organization": {"country": "US", "timezone": "America/New_York",'
        ' "gdpr_role": "controller"}, "personal_data_breach": true,'
        ' "aware_at": "2026-03-27T17:30:00Z", "affected": {"IE": 2}}',
        "error: gdpr_risk: missing; needed by gdpr.sa_notification",
    ),
]


@pytest.mark.parametrize(("stdin", "line"), BAD_INPUT, ids=[row[1][:50] for row in BAD_INPUT])
def test_bad_input_prints_one_line_and_exits_with_status_2(stdin, line):
    result = run(["-"], stdin=stdin)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(line)
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["no/such/facts.json"], "error: no/such/facts.json: cannot read the file: No such file"),
        ([], "error: usage: Missing argument 'FILE'."),
        (["a.json", "b.json"], "error: usage: Got unexpected extra argument (b.json)"),
    ],
)
def test_unreadable_files_and_usage_errors_are_one_line_too(args, line):
    result = run(args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(line) and result.stderr.count("\n") == 1


def test_a_directory_is_not_a_facts_file(tmp_path):
    result = run([str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {tmp_path}: cannot read the file: Is a directory")


def test_help_explains_the_file_argument():
    result = run(["--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Usage: deadlines [OPTIONS] FILE" in text and "- for standard input" in text


def test_the_command_needs_no_flask_app_and_imports_no_flask(example_file):
    code = (
        "import sys; from incident_tracker.facts.document import deadlines; "
        "assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules; "
        f"deadlines.main([{str(example_file)!r}], prog_name='deadlines')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["obligations"] == DESIGN_OBLIGATIONS
