"""deploy/systemd: the web service and the timers for `remind`, `audit verify` and `backup`, checked
with `systemd-analyze verify` (any warning fails, not only errors: an unknown key is only a warning
to it), each timer starting its own service, and each command a unit runs a real one."""

import re
import subprocess

import pytest

from .conftest import ROOT, SCRIPT

pytestmark = pytest.mark.deploy
UNITS = ROOT / "deploy" / "systemd"
INSTALLED = "/opt/incident-tracker/.venv/bin/incident-tracker"
# The command's words: lower-case words after the program, up to an option or an argument.
COMMAND = re.compile(re.escape(INSTALLED) + r"((?:\s+[a-z][a-z-]*\b(?![/.]))+)")


def units(suffix: str) -> list[str]:
    return sorted(path.name for path in UNITS.glob(f"*.{suffix}"))


def commands() -> list[list[str]]:
    """The incident-tracker commands the units run (the words after the program, before options)."""
    found = []
    for name in units("service"):
        for line in (UNITS / name).read_text().splitlines():
            if line.startswith(("ExecStart=", "ExecStartPre=")):
                for match in COMMAND.finditer(line):
                    found.append(match.group(1).split())
    return found


def test_the_units_are_the_service_and_three_timed_jobs():
    assert units("timer") == [
        "incident-tracker-audit-verify.timer",
        "incident-tracker-backup.timer",
        "incident-tracker-remind.timer",
    ]
    services = units("service")
    assert "incident-tracker.service" in services
    for timer in units("timer"):
        assert timer.replace(".timer", ".service") in services, f"{timer} starts no service"


def test_systemd_analyze_verifies_every_unit_without_a_warning(tmp_path):
    for name in units("service") + units("timer"):
        text = (UNITS / name).read_text()
        assert "User=incident-tracker" in text or name.endswith(".timer"), f"{name} runs as root"
        # The same units, pointing at this checkout's console script instead of /opt's.
        (tmp_path / name).write_text(text.replace(INSTALLED, str(SCRIPT)))
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr.strip()) == (0, "")


def test_systemd_analyze_would_catch_a_mistake(tmp_path):
    """The check above can fail: a misspelt key is reported."""
    text = (UNITS / "incident-tracker.service").read_text().replace("Type=exec", "Typ=exec")
    (tmp_path / "incident-tracker.service").write_text(text.replace(INSTALLED, str(SCRIPT)))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "incident-tracker.service")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Unknown key 'Typ'" in result.stderr


@pytest.mark.parametrize("words", commands(), ids=" ".join)
def test_every_command_a_unit_runs_exists(words):
    result = subprocess.run(
        [str(SCRIPT), *words, "--help"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_the_units_run_the_web_service_and_each_job():
    assert sorted(" ".join(words) for words in commands()) == [
        "audit verify",
        "backup",
        "remind",
        "run",
    ]
