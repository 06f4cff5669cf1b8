"""Load and fault tests: gunicorn with 4 workers, 20 concurrent clients, loopback only.

The clients log in, then for a bounded time record incidents and file one obligation of each.
Afterwards every write the server acknowledged (a 302) must be in the database, references must
be unique and gapless, and the audit chain must verify. The fault run SIGKILLs one worker a third
of the way through: a request in flight on it may see its connection reset (not acknowledged, not
counted as an error), but nothing acknowledged may be lost.

The database is a SQLite file, or a fresh database on the PostgreSQL server named by
INCIDENT_TRACKER_TEST_DATABASE_URL (created for each test and dropped afterwards).
INCIDENT_TRACKER_LOAD_SECONDS shortens or lengthens a run (default 20 s).
"""

import os
from pathlib import Path

import pytest

from .harness import (
    Gunicorn,
    app_env,
    check_database,
    cli,
    fresh_database,
    run_load,
    server_errors,
)

CLIENTS = 20
WORKERS = 4
DURATION = float(os.environ.get("INCIDENT_TRACKER_LOAD_SECONDS", "20"))
MAX_REQUESTS = int(DURATION * 400)  # a safety bound far above what 4 workers serve
MIN_ACKNOWLEDGED = 20

pytestmark = pytest.mark.load


@pytest.fixture
def deployment(tmp_path: Path):
    """A migrated database with the demo, and gunicorn with 4 workers serving it."""
    with fresh_database(tmp_path) as (kind, url):
        instance = tmp_path / "instance"
        instance.mkdir()
        env = app_env(url, instance)
        for command in (("db", "upgrade"), ("demo",)):
            result = cli(env, *command)
            assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}{result.stderr}"
        # The DPO's login: the first line of the demo's logins (e-mail, a tab, the password).
        email, password = (instance / "demo-logins.txt").read_text().splitlines()[0].split("\t")
        server = Gunicorn(env, tmp_path, workers=WORKERS)
        try:
            server.start()
            yield kind, url, env, server, (email.strip(), password.strip())
        finally:
            server.stop()


@pytest.mark.parametrize("fault", ["normal", "kill"])
def test_concurrent_writes_survive(deployment, fault, capsys):
    kind, url, env, server, login = deployment

    figures, killed, elapsed = run_load(
        server, login, CLIENTS, DURATION, MAX_REQUESTS, kill_worker=fault == "kill"
    )
    server.stop()
    check = check_database(url, figures.incidents, figures.filings)
    verify = cli(env, "audit", "verify")

    line = (
        f"load {kind} {fault}: {CLIENTS} clients, {elapsed:.1f} s, {figures.requests} requests "
        f"({figures.requests / elapsed:.1f}/s), {len(figures.server_errors)} 5xx, "
        f"{len(figures.other_errors)} other errors, "
        f"{len(figures.connection_failures)} connection resets, "
        f"{len(figures.incidents)} incidents and {len(figures.filings)} filings acknowledged, "
        f"{check.lost} lost"
    )
    if killed is not None:
        replaced = "replaced" if killed.replaced else "NOT replaced"
        line += f"; worker {killed.pid} killed at {killed.at or 0:.1f} s ({replaced})"
    line += f"; audit verify exit {verify.returncode}"
    # A SIGKILLed sync worker takes at most its one in-flight request along; nothing else resets.
    allowed_resets = 0 if killed is None else 1
    problems = _problems(figures, check, allowed_resets)
    with capsys.disabled():
        print(f"\n{line}")
        if problems:
            print(problems)
            print(f"gunicorn log ({server.log_path}):\n{server_errors(server.log()) or '(empty)'}")

    assert not figures.server_errors, f"{line}\n{problems}"
    assert not figures.other_errors, f"{line}\n{problems}"
    assert len(figures.connection_failures) <= allowed_resets, f"{line}\n{problems}"
    assert check.lost == 0, f"{line}\n{problems}"
    assert not check.duplicate_references and not check.duplicate_acknowledgements, problems
    assert not check.gaps, problems
    assert len(figures.incidents) > MIN_ACKNOWLEDGED, line
    assert len(figures.filings) > MIN_ACKNOWLEDGED, line
    if killed is not None:
        assert killed.pid is not None, "no gunicorn worker was found to kill"
        assert killed.replaced, f"gunicorn did not replace worker {killed.pid}: {killed}"

    assert verify.returncode == 0, f"audit verify:\n{verify.stdout}{verify.stderr}"


def _problems(figures, check, allowed_resets: int) -> str:
    parts = []
    for title, items in (
        ("5xx", figures.server_errors),
        ("other errors", figures.other_errors),
        ("connection resets", figures.connection_failures),
        ("lost incidents", check.lost_incidents),
        ("lost filings", check.lost_filings),
        ("duplicate references in the database", check.duplicate_references),
        ("references acknowledged twice", check.duplicate_acknowledgements),
    ):
        if items and (title != "connection resets" or len(items) > allowed_resets):
            parts.append(f"{title} ({len(items)}): " + " | ".join(map(str, items[:10])))
    if check.gaps:
        parts.append(f"reference gaps: { {y: g[:20] for y, g in check.gaps.items()} }")
    return "\n".join(parts)
