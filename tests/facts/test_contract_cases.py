"""Contract cases for `incident-tracker deadlines`, derived by hand from DESIGN.md sections 5-6.

Rows are (id, jurisdiction, due_at, status, anchor); recipient and basis must be non-empty.
"""

import json
import subprocess
from pathlib import Path
from unittest.mock import ANY

import pytest
from click.testing import CliRunner

from incident_tracker.facts.document import deadlines

BIN = Path(__file__).parents[2] / ".venv" / "bin" / "incident-tracker"
KEYS = ["id", "jurisdiction", "recipient", "due_at", "status", "basis", "anchor"]


def org(country, tz, **kw):
    return {"country": country, "timezone": tz, **kw}


def doc(organization, **kw):
    return {"organization": organization, **kw}


def o(oid, jur, due, status="open", anchor="aware_at"):
    if due is None and status == "open":
        status = "no_fixed_deadline"
    return (oid, jur, due, status, anchor)


def wait(oid, jur, anchor):
    return (oid, jur, None, "awaiting_anchor", anchor)


def run(document):
    text = document if isinstance(document, str) else json.dumps(document)
    return CliRunner().invoke(deadlines, ["-"], input=text)


def obligations(document):
    result = run(document)
    assert (result.exit_code, result.stderr, result.exception) == (0, "", None), result.stderr
    rows = json.loads(result.stdout)["obligations"]
    for row in rows:
        assert list(row) == KEYS
        assert isinstance(row["recipient"], str) and row["recipient"].strip()
        assert isinstance(row["basis"], str) and row["basis"].strip()
    return sorted((r["id"], r["jurisdiction"], r["due_at"], r["status"], r["anchor"]) for r in rows)


def case(name, document, expected, bug=None):
    marks = [pytest.mark.xfail(strict=True, reason=f"ENGINE BUG: {bug}")] if bug else []
    return pytest.param(document, expected, id=name, marks=marks)


# ---------------------------------------------------------------- GDPR / UK GDPR
DE = org("DE", "Europe/Berlin")
T = "2026-03-10T09:15:00+01:00"  # Tue; + 72 h = Fri 13 March 09:15 CET (Berlin DST starts 29 March)
T72 = "2026-03-13T09:15:00+01:00"
SA, DSN, CN = "gdpr.sa_notification", "gdpr.data_subject_notice", "gdpr.controller_notice"
ICO, UDSN = "uk_gdpr.ico_notification", "uk_gdpr.data_subject_notice"
UCN = "uk_gdpr.controller_notice"


def gdpr(organization, risk="risk", role="controller", affected=None, aware=T, **kw):
    organization = {**organization, "gdpr_role": role}
    return doc(
        organization,
        personal_data_breach=True,
        gdpr_risk=risk,
        aware_at=aware,
        affected=affected if affected is not None else {"DE": 10},
        **kw,
    )


US_NY = org("US", "America/New_York")
GDPR_CASES = [
    case(
        "an EU controller with a risk notifies its own authority 72 hours after awareness",
        gdpr(DE),
        [o(SA, "DE", T72)],
    ),
    case(
        "a breach unlikely to result in a risk needs no notification", gdpr(DE, risk="unlikely"), []
    ),
    case(
        "high risk adds the data-subject notice with no fixed deadline",
        gdpr(DE, risk="high"),
        [o(DSN, "EU", None), o(SA, "DE", T72)],
    ),
    case(
        "a joint controller is treated as a controller",
        gdpr(DE, risk="high", role="joint_controller"),
        [o(DSN, "EU", None), o(SA, "DE", T72)],
    ),
    case(
        "a processor owes only the controller notice even when the risk is unlikely",
        gdpr(DE, risk="unlikely", role="processor"),
        [o(CN, "EU", None)],
    ),
    case(
        "a processor owes no authority or data-subject notice even for high risk",
        gdpr(DE, risk="high", role="processor"),
        [o(CN, "EU", None)],
    ),
    # main establishment IE is the lead authority, whoever is affected; due in Berlin time
    case(
        "the main establishment's authority is the lead authority",
        gdpr({**DE, "eu_main_establishment": "IE"}, affected={"FR": 100, "DE": 5}),
        [o(SA, "IE", T72)],
    ),
    case(
        "an EU organization with no main establishment notifies its own country's authority",
        gdpr(org("FR", "Europe/Paris"), affected={"DE": 10}),
        [o(SA, "FR", T72)],
    ),
    case(
        "Norway is in the EEA so a Norwegian controller is established there",
        gdpr(org("NO", "Europe/Oslo"), affected={"NO": 3}),
        [o(SA, "NO", T72)],
    ),
    # 5 March 12:00 EST = 17:00Z; + 72 h = 8 March 17:00Z;
    # New York on EDT since 8 March 02:00 -> 13:00-04:00
    case(
        "a controller outside the EEA notifies every affected EEA country but not zero counts",
        gdpr(US_NY, aware="2026-03-05T12:00:00-05:00", affected={"DE": 10, "FR": 3, "IT": 0}),
        [o(SA, "DE", "2026-03-08T13:00:00-04:00"), o(SA, "FR", "2026-03-08T13:00:00-04:00")],
    ),
    case(
        "a controller outside the EEA with no EEA residents affected owes nothing",
        gdpr(org("CH", "Europe/Zurich"), affected={"CH": 100}),
        [],
    ),
    case(
        "a Swiss controller with Norwegians affected notifies the Norwegian authority",
        gdpr(org("CH", "Europe/Zurich"), affected={"NO": 5, "CH": 100}),
        [o(SA, "NO", T72)],
    ),
    case(
        "no personal data breach means no GDPR duty",
        {**gdpr(DE, risk="high"), "personal_data_breach": False},
        [],
    ),
    case(
        "a processor outside the EEA owes a single EU-wide controller notice",
        gdpr(US_NY, role="processor", affected={"DE": 1, "FR": 1}),
        [o(CN, "EU", None)],
    ),
    # an EU main establishment means the organization is established in the EU (one-stop shop)
    case(
        "a non-EU company with an EU main establishment notifies only the lead authority",
        gdpr(
            {**US_NY, "eu_main_establishment": "IE"},
            aware="2026-03-05T12:00:00-05:00",
            affected={"DE": 10, "FR": 3},
        ),
        [o(SA, "IE", "2026-03-08T13:00:00-04:00")],
    ),
    # 27 March 10:00Z + 72 h = 30 March 10:00Z; London on BST from 29 March -> 11:00+01:00
    case(
        "a British controller notifies the ICO in 72 hours across the BST change",
        gdpr(org("GB", "Europe/London"), aware="2026-03-27T10:00:00+00:00", affected={"GB": 100}),
        [o(ICO, "GB", "2026-03-30T11:00:00+01:00")],
    ),
    case(
        "an EU controller with British people affected also owes the ICO and UK subjects",
        gdpr(DE, risk="high", affected={"DE": 5, "GB": 5}),
        [o(DSN, "EU", None), o(SA, "DE", T72), o(ICO, "GB", T72), o(UDSN, "GB", None)],
    ),
    case(
        "a British processor owes the UK controller notice",
        gdpr(org("GB", "Europe/London"), role="processor", affected={"GB": 10}),
        [o(UCN, "GB", None)],
    ),
    case(
        "zero British residents is not British people affected",
        gdpr(DE, affected={"DE": 5, "GB": 0}),
        [o(SA, "DE", T72)],
    ),
    # 10 March 09:15Z + 72 h = 13 March 09:15Z, GMT
    case(
        "a British controller with French people affected also notifies France under GDPR",
        gdpr(
            org("GB", "Europe/London"),
            aware="2026-03-10T09:15:00+00:00",
            affected={"GB": 10, "FR": 2},
        ),
        [o(SA, "FR", "2026-03-13T09:15:00+00:00"), o(ICO, "GB", "2026-03-13T09:15:00+00:00")],
    ),
    # established in the EU: the authority notice is owed though nobody in the EEA is affected;
    # CA: 10 Feb 10:00 PST = 19:00 CET, day 0 = 10 Feb + 30 = 12 Mar 23:59:59 CET
    case(
        "an EU controller notifies its authority even when only Californians are affected",
        gdpr(DE, affected={"US-CA": 10}, discovered_at="2026-02-10T10:00:00-08:00"),
        [
            o(SA, "DE", T72),
            o(
                "us-ca.individual_notice",
                "US-CA",
                "2026-03-12T23:59:59+01:00",
                anchor="discovered_at",
            ),
        ],
    ),
    # the plain key covers every instance; the specific empty list wins for FR (not submitted)
    case(
        "a specific empty submission wins over the plain key for that jurisdiction",
        gdpr(
            US_NY,
            aware="2026-03-05T12:00:00-05:00",
            affected={"DE": 1, "FR": 1},
            submissions={SA: "2026-03-06T09:00:00Z", f"{SA}:FR": []},
        ),
        [
            o(SA, "DE", "2026-03-08T13:00:00-04:00", "submitted"),
            o(SA, "FR", "2026-03-08T13:00:00-04:00"),
        ],
    ),
]

# ---------------------------------------------------------------- NIS2
EW, IN, FIN = "nis2.early_warning", "nis2.incident_notification", "nis2.final_report"


def nis2(aware, organization=DE, kind="essential", subs=None, **kw):
    return doc(
        {**organization, "nis2": kind, **kw},
        nis2_significant=True,
        aware_at=aware,
        submissions=subs or {},
    )


# 16:30Z; +24 h = 28 Mar 17:30 CET; +72 h = 30 Mar 16:30Z = 18:30 CEST
A1 = "2026-03-27T17:30:00+01:00"
N_A1 = [
    o(EW, "DE", "2026-03-28T17:30:00+01:00"),
    o(IN, "DE", "2026-03-30T18:30:00+02:00"),
    wait(FIN, "DE", IN),
]
A2 = "2026-01-29T10:00:00+01:00"  # +24 h = 30 Jan 10:00; +72 h = 1 Feb 10:00 (CET)
EW2, IN2 = "2026-01-30T10:00:00+01:00", "2026-02-01T10:00:00+01:00"
S2 = {IN: "2026-01-31T10:00:00+01:00"}
NIS2_CASES = [
    case(
        "an essential entity owes early warning, notification, and a final report awaiting the "
        "notification",
        nis2(A1),
        sorted(N_A1),
    ),
    case("an important entity owes the same", nis2(A1, kind="important"), sorted(N_A1)),
    case(
        "an incident that is not significant triggers nothing",
        {**nis2(A1), "nis2_significant": False},
        [],
    ),
    case("an organization outside NIS2 owes nothing", nis2(A1, kind=None), []),
    case(
        "a trust service provider's incident notification is due in 24 hours",
        nis2(A1, trust_service_provider=True),
        [
            wait(FIN, "DE", IN),
            o(EW, "DE", "2026-03-28T17:30:00+01:00"),
            o(IN, "DE", "2026-03-28T17:30:00+01:00"),
        ],
    ),
    case("a DORA financial entity is outside NIS2", nis2(A1, dora="other"), []),
    # submitted 31 Jan 10:00 + 1 month -> 28 Feb (clamped) 10:00 CET
    case(
        "the final report runs one month from submission, clamped at February's end",
        nis2(A2, subs=S2),
        [
            o(FIN, "DE", "2026-02-28T10:00:00+01:00", anchor=IN),
            o(EW, "DE", EW2),
            o(IN, "DE", IN2, "submitted"),
        ],
    ),
    # Czech Republic: 31 Jan + 30 calendar days = 2 March, same clock time
    case(
        "in the Czech Republic the final report is due 30 days after the notification",
        nis2(A2, organization=org("CZ", "Europe/Prague"), subs=S2),
        [
            o(FIN, "CZ", "2026-03-02T10:00:00+01:00", anchor=IN),
            o(EW, "CZ", EW2),
            o(IN, "CZ", IN2, "submitted"),
        ],
    ),
    # 15 Mar 23:30Z = 16 Mar 00:30 CET; +1 month = 16 Apr 00:30 CEST (not 15 Apr 23:30Z)
    case(
        "the month is added to the wall time in the organization's timezone",
        nis2("2026-03-14T12:00:00+01:00", subs={IN: "2026-03-15T23:30:00Z"}),
        [
            o(FIN, "DE", "2026-04-16T00:30:00+02:00", anchor=IN),
            o(EW, "DE", "2026-03-15T12:00:00+01:00"),
            o(IN, "DE", "2026-03-17T12:00:00+01:00", "submitted"),
        ],
    ),
    # 26 Feb 2028 02:30 + 1 month = 26 Mar 2028 02:30, inside the spring-forward gap -> 03:30 CEST
    case(
        "a month ending in the spring-forward gap moves later by the gap",
        nis2("2028-02-24T12:00:00+01:00", subs={IN: "2028-02-26T02:30:00+01:00"}),
        [
            o(FIN, "DE", "2028-03-26T03:30:00+02:00", anchor=IN),
            o(EW, "DE", "2028-02-25T12:00:00+01:00"),
            o(IN, "DE", "2028-02-27T12:00:00+01:00", "submitted"),
        ],
    ),
    # 25 Sep 02:30 CEST + 1 month = 25 Oct 02:30, which occurs twice; first occurrence is CEST
    case(
        "a month ending in the repeated autumn hour takes the first occurrence",
        nis2("2026-09-23T12:00:00+02:00", subs={IN: "2026-09-25T02:30:00+02:00"}),
        [
            o(FIN, "DE", "2026-10-25T02:30:00+02:00", anchor=IN),
            o(EW, "DE", "2026-09-24T12:00:00+02:00"),
            o(IN, "DE", "2026-09-26T12:00:00+02:00", "submitted"),
        ],
    ),
    # 31 Jan 2028 + 1 month = 29 Feb 2028 (leap year)
    case(
        "January 31st plus one month is February 29th in a leap year",
        nis2("2028-01-29T10:00:00+01:00", subs={IN: "2028-01-31T12:00:00+01:00"}),
        [
            o(FIN, "DE", "2028-02-29T12:00:00+01:00", anchor=IN),
            o(EW, "DE", "2028-01-30T10:00:00+01:00"),
            o(IN, "DE", "2028-02-01T10:00:00+01:00", "submitted"),
        ],
    ),
    # aware 07:00Z 30 Mar; latest of the list is 3 Apr 09:00 CEST (listed first) -> 3 May 09:00
    case(
        "with a list of submissions the latest one anchors the final report",
        nis2(
            "2026-03-30T09:00:00+02:00",
            subs={IN: ["2026-04-03T09:00:00+02:00", "2026-04-01T10:00:00+02:00"]},
        ),
        [
            o(FIN, "DE", "2026-05-03T09:00:00+02:00", anchor=IN),
            o(EW, "DE", "2026-03-31T09:00:00+02:00"),
            o(IN, "DE", "2026-04-02T09:00:00+02:00", "submitted"),
        ],
    ),
    case(
        "an empty list of submissions means not submitted",
        nis2("2026-03-30T09:00:00+02:00", subs={IN: []}),
        [
            wait(FIN, "DE", IN),
            o(EW, "DE", "2026-03-31T09:00:00+02:00"),
            o(IN, "DE", "2026-04-02T09:00:00+02:00"),
        ],
    ),
    case(
        "a submitted final report keeps its due date",
        nis2(A2, subs={**S2, FIN: "2026-02-20T10:00:00+01:00"}),
        [
            o(FIN, "DE", "2026-02-28T10:00:00+01:00", "submitted", IN),
            o(EW, "DE", EW2),
            o(IN, "DE", IN2, "submitted"),
        ],
    ),
    # 24 Oct 10:00Z + 24 h = 25 Oct 10:00Z = 11:00 CET; + 72 h = 27 Oct 10:00Z = 11:00 CET
    case(
        "hour periods keep the instant across the autumn change",
        nis2("2026-10-24T12:00:00+02:00"),
        [
            wait(FIN, "DE", IN),
            o(EW, "DE", "2026-10-25T11:00:00+01:00"),
            o(IN, "DE", "2026-10-27T11:00:00+01:00"),
        ],
    ),
]

# ---------------------------------------------------------------- DORA
INI, INT, DFIN = "dora.initial_notification", "dora.intermediate_report", "dora.final_report"
CLS = "dora_classified_major_at"


def dora(aware, classified, kind="other", organization=DE, subs=None, **kw):
    return doc(
        {**organization, "dora": kind, **kw},
        aware_at=aware,
        nis2_significant=True,
        dora_classified_major_at=classified,
        submissions=subs or {},
    )


def pending(jur="DE"):
    return [wait(INT, jur, INI), wait(DFIN, jur, INT)]


DA = "2026-03-10T08:00:00+01:00"  # Tuesday
# Friday; classified Sat 09:00 -> min(Sat 13:00, Sat 18:00) = Sat 13:00
FRI = "2026-03-13T18:00:00+01:00"
SAT13 = "2026-03-14T13:00:00+01:00"
MON12 = "2026-03-16T12:00:00+01:00"
INI_MAR30 = {INI: "2026-03-30T13:00:00+02:00"}
DORA_CASES = [
    case(
        "the initial notification is due 4 hours after classification when that is earlier",
        dora(DA, "2026-03-10T12:00:00+01:00"),
        [o(INI, "DE", "2026-03-10T16:00:00+01:00", anchor=CLS), *pending()],
    ),
    # classified 22 h after awareness: min(11 Mar 10:00, 11 Mar 08:00) = 08:00
    case(
        "the initial notification is due 24 hours after awareness when that is earlier",
        dora(DA, "2026-03-11T06:00:00+01:00"),
        [o(INI, "DE", "2026-03-11T08:00:00+01:00"), *pending()],
    ),
    # exactly 24 h is not "more than 24 h": min(12:00, 08:00) = 08:00
    case(
        "classification exactly 24 hours after awareness still takes the earlier deadline",
        dora(DA, "2026-03-11T08:00:00+01:00"),
        [o(INI, "DE", "2026-03-11T08:00:00+01:00"), *pending()],
    ),
    case(
        "classification more than 24 hours after awareness gives 4 hours from classification",
        dora(DA, "2026-03-12T09:00:00+01:00"),
        [o(INI, "DE", "2026-03-12T13:00:00+01:00", anchor=CLS), *pending()],
    ),
    case(
        "an initial notification due on Saturday moves to noon Monday for other entities",
        dora(FRI, "2026-03-14T09:00:00+01:00"),
        [o(INI, "DE", MON12, anchor=CLS), *pending()],
    ),
    *[
        case(
            f"a {kind.replace('_', ' ')} gets no weekend relief for the initial notification",
            dora(FRI, "2026-03-14T09:00:00+01:00", kind),
            [o(INI, "DE", SAT13, anchor=CLS), *pending()],
        )
        for kind in ("credit_institution", "central_counterparty", "trading_venue")
    ],
    case(
        "a NIS2 essential entity gets no relief for the initial notification and owes no NIS2",
        dora(FRI, "2026-03-14T09:00:00+01:00", nis2="essential"),
        [o(INI, "DE", SAT13, anchor=CLS), *pending()],
    ),
    case(
        "withdrawn relief keeps the Saturday deadline",
        dora(FRI, "2026-03-14T09:00:00+01:00", dora_relief_withdrawn=True),
        [o(INI, "DE", SAT13, anchor=CLS), *pending()],
    ),
    case("an incident not classified major owes nothing under DORA", dora(DA, None), []),
    # initial submitted Wed 11 Mar 10:00 + 72 h = Sat 14 Mar 10:00 -> Mon 16 Mar 12:00
    case(
        "the intermediate report runs 72 hours from the initial submission with weekend relief",
        dora(DA, "2026-03-10T12:00:00+01:00", subs={INI: "2026-03-11T10:00:00+01:00"}),
        [
            o(INI, "DE", "2026-03-10T16:00:00+01:00", "submitted", CLS),
            o(INT, "DE", MON12, anchor=INI),
            wait(DFIN, "DE", INT),
        ],
    ),
    case(
        "a central counterparty's intermediate report gets no weekend relief",
        dora(
            DA,
            "2026-03-10T12:00:00+01:00",
            "central_counterparty",
            subs={INI: "2026-03-11T10:00:00+01:00"},
        ),
        [
            o(INI, "DE", "2026-03-10T16:00:00+01:00", "submitted", CLS),
            o(INT, "DE", "2026-03-14T10:00:00+01:00", anchor=INI),
            wait(DFIN, "DE", INT),
        ],
    ),
    # 31 Mar 15:00 + 72 h = Fri 3 Apr (Good Friday); Sat, Sun, Mon 6 Apr (Easter Monday)
    # -> Tue 7 Apr 12:00
    case(
        "Good Friday and Easter Monday push the intermediate report to Tuesday noon",
        dora(
            "2026-03-30T08:00:00+02:00",
            "2026-03-30T10:00:00+02:00",
            subs={INI: "2026-03-31T15:00:00+02:00"},
        ),
        [
            o(INI, "DE", "2026-03-30T14:00:00+02:00", "submitted", CLS),
            o(INT, "DE", "2026-04-07T12:00:00+02:00", anchor=INI),
            wait(DFIN, "DE", INT),
        ],
    ),
    # 1 Jun 11:00 + 72 h = Thu 4 Jun (Corpus Christi, regional only in Germany): no relief
    case(
        "a German regional holiday gives no relief",
        dora(
            "2026-06-01T08:00:00+02:00",
            "2026-06-01T09:00:00+02:00",
            subs={INI: "2026-06-01T11:00:00+02:00"},
        ),
        [
            o(INI, "DE", "2026-06-01T13:00:00+02:00", "submitted", CLS),
            o(INT, "DE", "2026-06-04T11:00:00+02:00", anchor=INI),
            wait(DFIN, "DE", INT),
        ],
    ),
    # Sat 18 Jul 09:00 + 72 h = Tue 21 Jul, Belgian National Day -> Wed 22 Jul 12:00
    case(
        "the Belgian National Day pushes a Belgian intermediate report to the next day at noon",
        dora(
            "2026-07-17T08:00:00+02:00",
            "2026-07-17T09:00:00+02:00",
            organization=org("BE", "Europe/Brussels"),
            subs={INI: "2026-07-18T09:00:00+02:00"},
        ),
        [
            o(INI, "BE", "2026-07-17T13:00:00+02:00", "submitted", CLS),
            o(INT, "BE", "2026-07-22T12:00:00+02:00", anchor=INI),
            wait(DFIN, "BE", INT),
        ],
    ),
    # init due 30 Mar 14:00 CEST; submitted 13:00 -> intermediate Thu 2 Apr 13:00 (no relief needed)
    # intermediates 31 Mar 09:00Z and 1 Apr 08:00Z (latest = 10:00 CEST) + 1 month
    # -> Fri 1 May (holiday) -> Mon 4 May 12:00
    case(
        "the final report runs a month from the latest intermediate report with relief for a "
        "credit institution",
        dora(
            "2026-03-30T08:00:00+02:00",
            "2026-03-30T10:00:00+02:00",
            "credit_institution",
            subs={**INI_MAR30, INT: ["2026-04-01T08:00:00Z", "2026-03-31T09:00:00Z"]},
        ),
        [
            o(DFIN, "DE", "2026-05-04T12:00:00+02:00", anchor=INT),
            o(INI, "DE", "2026-03-30T14:00:00+02:00", "submitted", CLS),
            o(INT, "DE", "2026-04-02T13:00:00+02:00", "submitted", INI),
        ],
    ),
    case(
        "withdrawn relief also applies to the final report",
        dora(
            "2026-03-30T08:00:00+02:00",
            "2026-03-30T10:00:00+02:00",
            "credit_institution",
            dora_relief_withdrawn=True,
            subs={**INI_MAR30, INT: ["2026-04-01T08:00:00Z", "2026-03-31T09:00:00Z"]},
        ),
        [
            o(DFIN, "DE", "2026-05-01T10:00:00+02:00", anchor=INT),
            o(INI, "DE", "2026-03-30T14:00:00+02:00", "submitted", CLS),
            o(INT, "DE", "2026-04-02T13:00:00+02:00", "submitted", INI),
        ],
    ),
    # init submitted Wed 10 Jun 12:00 + 72 h = Sat 13 Jun -> Mon 15 Jun 12:00 (kept once submitted)
    # intermediate 14 Jun 09:30 + 1 month = Tue 14 Jul (French national day) -> Wed 15 Jul 12:00
    case(
        "the French 14 July pushes a French final report to the next day at noon",
        dora(
            "2026-06-10T08:00:00+02:00",
            "2026-06-10T09:00:00+02:00",
            organization=org("FR", "Europe/Paris"),
            subs={INI: "2026-06-10T12:00:00+02:00", INT: "2026-06-14T09:30:00+02:00"},
        ),
        [
            o(DFIN, "FR", "2026-07-15T12:00:00+02:00", anchor=INT),
            o(INI, "FR", "2026-06-10T13:00:00+02:00", "submitted", CLS),
            o(INT, "FR", "2026-06-15T12:00:00+02:00", "submitted", INI),
        ],
    ),
    # init 27 Jan 12:00 + 72 h = Fri 30 Jan 12:00;
    # int 31 Jan + 1 month = Sat 28 Feb -> Mon 2 Mar 12:00
    *[
        case(
            f"a final report clamped to Saturday 28 February moves to Monday noon ({label})",
            dora(
                "2026-01-27T08:00:00+01:00",
                "2026-01-27T09:00:00+01:00",
                nis2=n2,
                subs={INI: "2026-01-27T12:00:00+01:00", INT: "2026-01-31T10:00:00+01:00"},
            ),
            [
                o(DFIN, "DE", "2026-03-02T12:00:00+01:00", anchor=INT),
                o(INI, "DE", "2026-01-27T13:00:00+01:00", "submitted", CLS),
                o(INT, "DE", "2026-01-30T12:00:00+01:00", "submitted", INI),
            ],
        )
        for n2, label in ((None, "other entity"), ("important", "even a NIS2 entity"))
    ],
    # aware Fri 00:30 CET + 24 h = Sat 00:30 CET (Fri 23:30Z): local Saturday -> Mon 12:00
    case(
        "relief looks at the local day, not the UTC day",
        dora("2026-03-13T00:30:00+01:00", "2026-03-13T21:00:00+01:00"),
        [o(INI, "DE", MON12), *pending()],
    ),
    # int 23 Apr 10:00 + 1 month = Sat 23 May; Sun 24, Mon 25 (Whit Monday) -> Tue 26 May 12:00
    case(
        "Whit Monday extends the final report's relief to Tuesday noon",
        dora(
            "2026-04-20T08:00:00+02:00",
            "2026-04-20T09:00:00+02:00",
            subs={INI: "2026-04-20T12:00:00+02:00", INT: "2026-04-23T10:00:00+02:00"},
        ),
        [
            o(DFIN, "DE", "2026-05-26T12:00:00+02:00", anchor=INT),
            o(INI, "DE", "2026-04-20T13:00:00+02:00", "submitted", CLS),
            o(INT, "DE", "2026-04-23T12:00:00+02:00", "submitted", INI),
        ],
    ),
    # aware 28 Mar 09:00Z + 24 h = 29 Mar 09:00Z = 11:00 CEST;
    # class 07:30Z + 4 h = 11:30Z; min = 11:00
    case(
        "awareness plus 24 hours crosses the spring change for a credit institution on Sunday",
        dora("2026-03-28T10:00:00+01:00", "2026-03-29T09:30:00+02:00", "credit_institution"),
        [o(INI, "DE", "2026-03-29T11:00:00+02:00"), *pending()],
    ),
]

# ---------------------------------------------------------------- SEC
F8K = "sec.form_8k"


def sec(determined, organization=US_NY):
    return doc({**organization, "sec_registrant": True}, sec_materiality_determined_at=determined)


def f8k(due):
    return [o(F8K, "US", due, anchor="sec_materiality_determined_at")]


SEC_CASES = [
    case(
        "Monday: Tue, Wed, Thu, Fri -> Friday 17:30",
        sec("2026-03-02T10:00:00-05:00"),
        f8k("2026-03-06T17:30:00-05:00"),
    ),
    case(
        "Thursday: Fri, Mon, Tue, Wed across the US spring change",
        sec("2026-03-05T15:00:00-05:00"),
        f8k("2026-03-11T17:30:00-04:00"),
    ),
    case(
        "a Saturday determination starts with Monday as day 1 (Mon..Thu)",
        sec("2026-03-07T10:00:00-05:00"),
        f8k("2026-03-12T17:30:00-04:00"),
    ),
    case(
        "a Friday-evening determination still counts Friday as day 0 (Mon..Thu)",
        sec("2026-03-06T20:00:00-05:00"),
        f8k("2026-03-12T17:30:00-04:00"),
    ),
    # Wed 1 Jul: Thu 2 (1), Fri 3 Jul observed Independence Day, Mon 6 (2), Tue 7 (3), Wed 8 (4)
    case(
        "Independence Day observed on Friday 3 July is not a business day",
        sec("2026-07-01T09:00:00-04:00"),
        f8k("2026-07-08T17:30:00-04:00"),
    ),
    # Thanksgiving Thu 26 Nov: Fri 27 (1), Mon 30 (2), Tue 1 Dec (3), Wed 2 Dec (4)
    case(
        "a determination on Thanksgiving starts with the next business day",
        sec("2026-11-26T11:00:00-05:00"),
        f8k("2026-12-02T17:30:00-05:00"),
    ),
    # Sun 18 Jan, Mon 19 MLK: Tue 20 (1) .. Fri 23 (4)
    case(
        "a Sunday before Martin Luther King Day starts on Tuesday",
        sec("2026-01-18T12:00:00-05:00"),
        f8k("2026-01-23T17:30:00-05:00"),
    ),
    # Tue 16 Jun: Wed 17 (1), Thu 18 (2), Fri 19 Juneteenth, Mon 22 (3), Tue 23 (4)
    case(
        "Juneteenth is skipped", sec("2026-06-16T09:00:00-04:00"), f8k("2026-06-23T17:30:00-04:00")
    ),
    # Mon 27 Dec 2027: Tue 28 (1), Wed 29 (2), Thu 30 (3), Fri 31 (New Year 2028 observed),
    # Mon 3 Jan (4)
    case(
        "New Year's Day 2028 observed on Friday 31 December 2027 is skipped",
        sec("2027-12-27T10:00:00-05:00"),
        f8k("2028-01-03T17:30:00-05:00"),
    ),
    # Mon 9 Mar -> Fri 13 Mar 17:30 EDT = 21:30Z = Sat 14 Mar 06:30 JST
    case(
        "the due time is shown in a Tokyo organization's zone",
        sec("2026-03-09T10:00:00-04:00", org("JP", "Asia/Tokyo")),
        f8k("2026-03-14T06:30:00+09:00"),
    ),
    # 3 Mar 02:00 CET = Mon 2 Mar 20:00 EST -> Fri 6 Mar 17:30 EST = 22:30Z = 23:30 CET
    case(
        "the anchor's date is taken in New York, not in the organization's zone",
        sec("2026-03-03T02:00:00+01:00", DE),
        f8k("2026-03-06T23:30:00+01:00"),
    ),
    # Thu 29 Oct: Fri 30 (1), Mon 2 Nov (2), Tue 3 (3), Wed 4 (4); EST since 1 Nov
    case(
        "business days across the US autumn change",
        sec("2026-10-29T10:00:00-04:00"),
        f8k("2026-11-04T17:30:00-05:00"),
    ),
    case(
        "a company that is not a registrant owes no Form 8-K",
        doc(US_NY, sec_materiality_determined_at="2026-03-02T10:00:00-05:00"),
        [],
    ),
]

# ---------------------------------------------------------------- HIPAA
CHI = org("US", "America/Chicago")
HI, HM, HHS, HCE = (
    "hipaa.individual_notice",
    "hipaa.media_notice",
    "hipaa.hhs_notice",
    "hipaa.covered_entity_notice",
)
D = "discovered_at"
DJ = "2026-01-15T10:00:00-06:00"  # day 0 = 15 Jan; 16 + 28 + 16 = 60 -> 16 March (CDT from 8 March)
DUE60 = "2026-03-16T23:59:59-05:00"
ANNUAL26 = o(HHS, "US", "2027-03-01T23:59:59-06:00", anchor=D)  # 31 Dec 2026 + 60 days = 1 March


def hipaa(affected, discovered=DJ, kind="covered_entity", organization=CHI, **kw):
    return doc(
        {**organization, "hipaa": kind},
        phi_breach=True,
        discovered_at=discovered,
        affected=affected,
        **kw,
    )


HIPAA_CASES = [
    case(
        "fewer than 500 people: individual notice in 60 days and HHS by 1 March next year",
        hipaa({"US-OH": 100}),
        [o(HHS, "US", "2027-03-01T23:59:59-06:00", anchor=D), o(HI, "US", DUE60, anchor=D)],
    ),
    case(
        "499 people across states is still the annual HHS log",
        hipaa({"US-OH": 300, "US-PA": 199}),
        [ANNUAL26, o(HI, "US", DUE60, anchor=D)],
    ),
    case(
        "500 people in total means HHS together with the individual notice",
        hipaa({"US-OH": 300, "US-PA": 200}),
        [o(HHS, "US", DUE60, anchor=ANY), o(HI, "US", DUE60, anchor=D)],
    ),
    case(
        "territories and DC count toward the 500 total",
        hipaa({"US-DC": 250, "US-PR": 250}),
        [o(HHS, "US", DUE60, anchor=ANY), o(HI, "US", DUE60, anchor=D)],
    ),
    case(
        "media notice only for a state with more than 500 residents",
        hipaa({"US-OH": 501, "US-PA": 500}),
        [
            o(HHS, "US", DUE60, anchor=ANY),
            o(HI, "US", DUE60, anchor=D),
            o(HM, "US-OH", DUE60, anchor=D),
        ],
    ),
    # HHS for >= 500 is due at the earlier of 16 Mar and the individual submission (1 Feb 12:00)
    case(
        "HHS notice is due when the individual notice was submitted, if earlier",
        hipaa({"US-OH": 600}, submissions={HI: "2026-02-01T12:00:00-06:00"}),
        [
            o(HHS, "US", "2026-02-01T12:00:00-06:00", anchor=ANY),
            o(HI, "US", DUE60, "submitted", D),
            o(HM, "US-OH", DUE60, anchor=D),
        ],
    ),
    case(
        "a late individual notice does not move HHS past the individual deadline",
        hipaa({"US-OH": 500}, submissions={HI: "2026-03-20T09:00:00-05:00"}),
        [o(HHS, "US", DUE60, anchor=ANY), o(HI, "US", DUE60, "submitted", D)],
    ),
    case(
        "a submitted HHS notice keeps its due date",
        hipaa({"US": 500}, submissions={HHS: "2026-03-01T09:00:00-06:00"}),
        [o(HHS, "US", DUE60, "submitted", ANY), o(HI, "US", DUE60, anchor=D)],
    ),
    # 10 Jun 2027 + 60 = 9 Aug; 31 Dec 2027 + 60 days = 29 Feb 2028
    case(
        "the annual HHS deadline is 29 February in a leap year",
        hipaa({"US-OH": 10}, "2027-06-10T10:00:00-05:00"),
        [
            o(HHS, "US", "2028-02-29T23:59:59-06:00", anchor=D),
            o(HI, "US", "2027-08-09T23:59:59-05:00", anchor=D),
        ],
    ),
    # 1 Jan 03:00Z = 31 Dec 2026 21:00 Chicago: day 0 = 31 Dec 2026 -> 1 Mar 2027; log year 2026
    case(
        "the discovery date and year are taken in the organization's zone",
        hipaa({"US-OH": 10}, "2027-01-01T03:00:00Z"),
        [ANNUAL26, o(HI, "US", "2027-03-01T23:59:59-06:00", anchor=D)],
    ),
    # 5 Sep + 60 = 4 Nov; US DST ends 1 Nov -> CST
    case(
        "a 60-day period across the US autumn change ends at 23:59:59 standard time",
        hipaa({"US-OH": 10}, "2026-09-05T10:00:00-05:00"),
        [ANNUAL26, o(HI, "US", "2026-11-04T23:59:59-06:00", anchor=D)],
    ),
    case(
        "a business associate owes the covered entity notice in 60 days and nothing else",
        hipaa({"US-OH": 1000}, kind="business_associate"),
        [o(HCE, "US", DUE60, anchor=D)],
    ),
    case("no PHI breach means no HIPAA duty", {**hipaa({"US-OH": 1000}), "phi_breach": False}, []),
    case(
        "a specific media submission wins for its state; the plain empty list leaves the other",
        hipaa(
            {"US-OH": 600, "US-PA": 700},
            submissions={HM: [], f"{HM}:US-OH": "2026-02-01T09:00:00-06:00"},
        ),
        [
            o(HHS, "US", DUE60, anchor=ANY),
            o(HI, "US", DUE60, anchor=D),
            o(HM, "US-OH", DUE60, "submitted", D),
            o(HM, "US-PA", DUE60, anchor=D),
        ],
    ),
]

# ---------------------------------------------------------------- US states
LA = org("US", "America/Los_Angeles")
DF = "2026-02-10T10:00:00-08:00"  # day 0 = 10 Feb; +30 = 12 Mar (PDT from 8 Mar); +60 = 11 Apr
DT = "2026-02-20T10:00:00-08:00"  # day 0 = 20 Feb; +30 = 22 Mar; +60 = 21 Apr
P30, P60 = "2026-03-12T23:59:59-07:00", "2026-04-11T23:59:59-07:00"
T30, T60 = "2026-03-22T23:59:59-07:00", "2026-04-21T23:59:59-07:00"
BD = "breach_determined_at"


def state(affected, determined=None, subs=None, organization=LA, **kw):
    return doc(
        organization,
        personal_data_breach=True,
        discovered_at=DF,
        breach_determined_at=determined,
        affected=affected,
        submissions=subs or {},
        **kw,
    )


def ind(st, due, anchor=D, status="open"):
    return o(f"us-{st.lower()}.individual_notice", f"US-{st}", due, status, anchor)


def ag(st, due, anchor=D, status="open"):
    return o(f"us-{st.lower()}.attorney_general", f"US-{st}", due, status, anchor)


CA_IND = "us-ca.individual_notice"
STATE_CASES = [
    case(
        "California 500 residents: consumer notice only, 30 days from discovery",
        state({"US-CA": 500}),
        [ind("CA", P30)],
    ),
    case(
        "California 501 residents: the AG notice awaits the consumer notice",
        state({"US-CA": 501}),
        [wait("us-ca.attorney_general", "US-CA", CA_IND), ind("CA", P30)],
    ),
    # consumer notice submitted 1 Mar (day 0) + 15 = 16 Mar
    case(
        "the California AG notice is due 15 days after the consumer notice was submitted",
        state({"US-CA": 501}, subs={CA_IND: "2026-03-01T09:00:00-08:00"}),
        [ag("CA", "2026-03-16T23:59:59-07:00", CA_IND), ind("CA", P30, status="submitted")],
    ),
    case(
        "the specific California key wins over the plain one for the AG anchor",
        state(
            {"US-CA": 501},
            subs={
                CA_IND: "2026-02-20T09:00:00-08:00",
                f"{CA_IND}:US-CA": "2026-03-01T09:00:00-08:00",
            },
        ),
        [ag("CA", "2026-03-16T23:59:59-07:00", CA_IND), ind("CA", P30, status="submitted")],
    ),
    case(
        "New York: 30 days from discovery and regulator notices with no fixed deadline",
        state({"US-NY": 1}),
        [o("us-ny.attorney_general", "US-NY", None, anchor=ANY), ind("NY", P30)],
    ),
    case(
        "Texas 249 residents: 60 days from determination, no AG notice",
        state({"US-TX": 249}, DT),
        [ind("TX", T60, BD)],
    ),
    case(
        "Texas 250 residents: AG notice 30 days from determination",
        state({"US-TX": 250}, DT),
        [ag("TX", T30, BD), ind("TX", T60, BD)],
    ),
    case(
        "Texas counts from discovery when no determination is recorded",
        state({"US-TX": 250}),
        [ag("TX", P30), ind("TX", P60)],
    ),
    case(
        "Florida 499 residents: consumer notice only",
        state({"US-FL": 499}, DT),
        [ind("FL", T30, BD)],
    ),
    case(
        "Florida 500 residents: Department of Legal Affairs too",
        state({"US-FL": 500}, DT),
        [ag("FL", T30, BD), ind("FL", T30, BD)],
    ),
    case("Florida falls back to discovery", state({"US-FL": 500}), [ag("FL", P30), ind("FL", P30)]),
    case(
        "Colorado 499 residents: consumer notice only",
        state({"US-CO": 499}, DT),
        [ind("CO", T30, BD)],
    ),
    case(
        "Colorado 500 residents: AG notice too",
        state({"US-CO": 500}, DT),
        [ag("CO", T30, BD), ind("CO", T30, BD)],
    ),
    case(
        "Washington 500 residents: consumer notice only, from discovery despite a determination",
        state({"US-WA": 500}, DT),
        [ind("WA", P30)],
    ),
    case(
        "Washington 501 residents: AG notice within the same 30 days",
        state({"US-WA": 501}),
        [ag("WA", P30), ind("WA", P30)],
    ),
    case(
        "California counts from discovery even with a determination",
        state({"US-CA": 10}, DT),
        [ind("CA", P30)],
    ),
    # AMBIGUITY (implementation's reading kept): SB 446's 30 days start 1 Jan 2026; a 2025
    # discovery gets the earlier law (no fixed deadline). DESIGN s5 alone would say 20 Dec + 30.
    case(
        "a California discovery before SB 446 took effect has no fixed deadline",
        {**state({"US-CA": 600}), "discovered_at": "2025-12-20T10:00:00-08:00"},
        [
            o("us-ca.attorney_general", "US-CA", None, anchor=CA_IND),
            o(CA_IND, "US-CA", None, anchor=D),
        ],
    ),
    case("zero residents of a state is not affected", state({"US-CA": 0, "US-TX": 0}), []),
    case(
        "no personal data or PHI breach means no state duty",
        {**state({"US-CA": 1000}), "personal_data_breach": False},
        [],
    ),
    # HIPAA 10 Feb + 60 = 11 Apr; log for 2026 due 1 Mar 2027 (PST)
    case(
        "a PHI breach triggers the state law as well as HIPAA",
        {
            **state({"US-CA": 10}),
            "personal_data_breach": False,
            "phi_breach": True,
            "organization": {**LA, "hipaa": "covered_entity"},
        },
        [
            o(HHS, "US", "2027-03-01T23:59:59-08:00", anchor=D),
            o(HI, "US", P60, anchor=D),
            ind("CA", P30),
        ],
    ),
    # 27 Mar 23:30 PDT = 28 Mar 06:30Z = 07:30 CET: day 0 = 28 Mar -> 27 Apr 23:59:59 CEST
    case(
        "the state period starts from the discovery date in the organization's zone",
        state(
            {"US-CA": 10},
            organization={**DE, "gdpr_role": "processor"},
            aware_at="2026-03-28T08:00:00+01:00",
        )
        | {"discovered_at": "2026-03-27T23:30:00-07:00"},
        [o(CN, "EU", None), ind("CA", "2026-04-27T23:59:59+02:00")],
    ),
]

ALL_CASES = GDPR_CASES + NIS2_CASES + DORA_CASES + SEC_CASES + HIPAA_CASES + STATE_CASES


@pytest.mark.parametrize(("document", "expected"), ALL_CASES)
def test_obligations_follow_the_design(document, expected):
    assert obligations(document) == sorted(expected)


# ---------------------------------------------------------------- error contract
BASE = {"country": "DE", "timezone": "Europe/Berlin"}


def bad(name, document, *needles):
    return pytest.param(document, needles, id=name)


ERRORS = [
    bad("malformed JSON is refused", '{"organization": {', "JSON"),
    bad("a naive timestamp names its field", doc(BASE, aware_at="2026-03-10T09:00:00"), "aware_at"),
    bad(
        "an unparseable timestamp names its field",
        doc(BASE, discovered_at="next tuesday"),
        "discovered_at",
    ),
    bad(
        "an impossible date names its field", doc(BASE, aware_at="2026-02-30T09:00:00Z"), "aware_at"
    ),
    bad("an unknown timezone is refused", doc(org("DE", "Europe/Atlantis")), "timezone"),
    bad("an unknown country is refused", doc(org("XX", "UTC")), "country"),
    bad("UK is refused with a hint to use GB", doc(org("UK", "Europe/London")), "country", "GB"),
    bad(
        "EL in affected is refused with a hint to use GR",
        doc(BASE, affected={"EL": 3}),
        "affected",
        "GR",
    ),
    bad(
        "EL as main establishment is refused with a hint",
        doc({**BASE, "eu_main_establishment": "EL"}),
        "eu_main_establishment",
        "GR",
    ),
    bad("US-ZZ is not a state", doc(BASE, affected={"US-ZZ": 3}), "US-ZZ"),
    bad("a negative count is refused", doc(BASE, affected={"FR": -1}), "affected"),
    bad("a fractional count is refused", doc(BASE, affected={"FR": 1.5}), "affected"),
    bad("a string count is refused", doc(BASE, affected={"FR": "12"}), "affected"),
    bad("a boolean count is refused", doc(BASE, affected={"FR": True}), "affected"),
    bad("an unknown gdpr_role is refused", doc({**BASE, "gdpr_role": "owner"}), "gdpr_role"),
    bad("an unknown gdpr_risk is refused", doc(BASE, gdpr_risk="medium"), "gdpr_risk"),
    bad("an unknown nis2 class is refused", doc({**BASE, "nis2": "critical"}), "nis2"),
    bad("an unknown dora class is refused", doc({**BASE, "dora": "bank"}), "dora"),
    bad("an unknown hipaa role is refused", doc({**BASE, "hipaa": "provider"}), "hipaa"),
    bad(
        "an unknown submission id is refused",
        doc(BASE, submissions={"nis2.bogus": []}),
        "nis2.bogus",
    ),
    bad(
        "a submission for an unknown jurisdiction is refused",
        doc(BASE, submissions={"gdpr.sa_notification:XX": "2026-03-10T09:00:00Z"}),
        "submissions",
    ),
    bad(
        "a naive submission timestamp is refused",
        doc(BASE, submissions={"nis2.incident_notification": ["2026-03-10T09:00:00"]}),
        "nis2.incident_notification",
    ),
    # AMBIGUITY (implementation's reading kept): DESIGN does not list unknown fields as bad input
    bad(
        "a misspelt field is refused rather than ignored",
        doc(BASE, aware="2026-03-10T09:00:00Z"),
        "aware",
    ),
    bad("a missing timezone is refused", doc({"country": "DE"}), "timezone"),
    bad("a missing country is refused", doc({"timezone": "Europe/Berlin"}), "country"),
    bad(
        "NIS2 without aware_at names aware_at",
        doc({**BASE, "nis2": "essential"}, nis2_significant=True),
        "aware_at",
    ),
    bad(
        "DORA without aware_at names aware_at",
        doc({**BASE, "dora": "other"}, dora_classified_major_at="2026-03-10T09:00:00Z"),
        "aware_at",
    ),
    bad(
        "HIPAA without discovered_at names discovered_at",
        doc({**BASE, "hipaa": "covered_entity"}, phi_breach=True, affected={"US-OH": 3}),
        "discovered_at",
    ),
    bad(
        "a state law without discovered_at names discovered_at",
        doc(org("US", "America/New_York"), personal_data_breach=True, affected={"US-CA": 3}),
        "discovered_at",
    ),
    bad(
        "an EU controller without gdpr_role names gdpr_role",
        doc(
            BASE,
            personal_data_breach=True,
            gdpr_risk="high",
            aware_at="2026-03-10T09:00:00Z",
            affected={"DE": 3},
        ),
        "gdpr_role",
    ),
]


@pytest.mark.parametrize(("document", "needles"), ERRORS)
def test_bad_input_exits_2_with_one_line_naming_the_field(document, needles):
    result = run(document)
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr


def test_the_installed_command_reads_stdin_and_reports_bad_input_in_one_line():
    def call(document):
        return subprocess.run(
            [str(BIN), "deadlines", "-"],
            input=json.dumps(document),
            capture_output=True,
            text=True,
            timeout=30,
        )

    good, bad_input = call(gdpr(DE)), call(doc(BASE, affected={"FR": -1}))
    assert (good.returncode, good.stderr) == (0, "")
    (row,) = json.loads(good.stdout)["obligations"]
    assert (row["id"], row["jurisdiction"], row["due_at"]) == (SA, "DE", T72)
    assert (bad_input.returncode, bad_input.stdout) == (2, "")
    assert bad_input.stderr.count("\n") == 1 and "affected" in bad_input.stderr
