"""Load and fault harness: a gunicorn server on a loopback socket, stdlib HTTP clients, checks.

Everything here is bounded: every HTTP request has a timeout, every run has a deadline and a
request budget, every subprocess is waited for, and the server's process group is killed in the
end whatever happened.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
DUBLIN = ZoneInfo("Europe/Dublin")  # the demo organization's timezone
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 15.0  # seconds; a request that takes longer counts as an error
START_TIMEOUT = 40.0
STOP_TIMEOUT = 20.0
CLI_TIMEOUT = 180.0

REFERENCE = re.compile(r"/incidents/(INC-(\d{4})-(\d{4,}))$")
OBLIGATION_LINK = re.compile(r'href="/obligations/(\d+)"')
FEEDBACK = re.compile(r'class="invalid-feedback[^"]*"[^>]*>\s*(.*?)\s*<', re.S)


# --- the command line and the database ------------------------------------------------------------


def cli_command() -> list[str]:
    """The incident-tracker console script of this interpreter's virtualenv."""
    script = Path(sys.executable).parent / "incident-tracker"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from incident_tracker.cli import main; main()"]


def app_env(database_url: str, instance: Path) -> dict[str, str]:
    """The environment of the CLI and the server: this database, this instance folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INCIDENT_TRACKER_")}
    env.update(
        INCIDENT_TRACKER_DATABASE_URL=database_url,
        INCIDENT_TRACKER_INSTANCE_PATH=str(instance),
        INCIDENT_TRACKER_SECRET_KEY=secrets.token_hex(32),
        PYTHONUNBUFFERED="1",
    )
    return env


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*cli_command(), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        check=False,
    )


@contextlib.contextmanager
def fresh_database(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Yield (kind, URL) of an empty database: a new PostgreSQL database or a SQLite file.

    PostgreSQL is used when INCIDENT_TRACKER_TEST_DATABASE_URL names a server; the database is
    created on it for this test only and dropped afterwards.
    """
    server = os.environ.get("INCIDENT_TRACKER_TEST_DATABASE_URL")
    if not server:
        yield "sqlite", f"sqlite:///{tmp_path / 'load.sqlite'}"
        return
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    url = make_url(server)
    if url.drivername.split("+")[0] not in ("postgresql", "postgres"):
        raise RuntimeError(f"INCIDENT_TRACKER_TEST_DATABASE_URL is not PostgreSQL: {server}")
    maintenance = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    name = f"incident_tracker_load_{secrets.token_hex(6)}"
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=10) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield "postgresql", url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=10) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@dataclass
class DatabaseCheck:
    incidents: int
    filings: int
    lost_incidents: list[str]
    lost_filings: list[tuple[int, str]]
    duplicate_references: list[str]
    duplicate_acknowledgements: list[str]
    gaps: dict[int, list[int]]

    @property
    def lost(self) -> int:
        return len(self.lost_incidents) + len(self.lost_filings)


def check_database(
    database_url: str, incidents: list[str], filings: list[tuple[str, int, str]]
) -> DatabaseCheck:
    """Compare what the server acknowledged with what the database holds."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            references = [
                row[0] for row in connection.execute(text("SELECT reference FROM incident"))
            ]
            stored_filings = {
                (row[0], row[1], row[2])
                for row in connection.execute(
                    text(
                        "SELECT i.reference, f.obligation_id, f.recipient_reference FROM filing f"
                        " JOIN obligation o ON o.id = f.obligation_id"
                        " JOIN incident i ON i.id = o.incident_id"
                    )
                )
            }
    finally:
        engine.dispose()
    stored = set(references)
    numbers: dict[int, list[int]] = {}
    for reference in references:
        match = re.fullmatch(r"INC-(\d{4})-(\d{4,})", reference)
        if match:
            numbers.setdefault(int(match[1]), []).append(int(match[2]))
    gaps = {
        year: sorted(set(range(1, max(values) + 1)) - set(values))
        for year, values in numbers.items()
        if set(range(1, max(values) + 1)) != set(values)
    }
    return DatabaseCheck(
        incidents=len(references),
        filings=len(stored_filings),
        lost_incidents=[r for r in incidents if r not in stored],
        lost_filings=[f for f in filings if f not in stored_filings],
        duplicate_references=sorted(r for r, n in Counter(references).items() if n > 1),
        duplicate_acknowledgements=sorted(r for r, n in Counter(incidents).items() if n > 1),
        gaps=gaps,
    )


# --- the server ---------------------------------------------------------------------------------


class Gunicorn:
    """gunicorn serving create_app() on a loopback socket, in its own process group."""

    def __init__(
        self,
        env: dict[str, str],
        folder: Path,
        workers: int = 4,
        app: str = "incident_tracker.app:create_app()",
    ) -> None:
        self.env = env
        self.workers = workers
        self.app = app
        self.log_path = folder / "gunicorn.log"
        self.access_log_path = folder / "access.log"
        self.process: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> None:
        # The listening socket is made here and handed over, so no other process can take the port.
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.bind((HOST, 0))
            listener.listen(128)
            self.port = listener.getsockname()[1]
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "--config",
                        "python:incident_tracker.ops.gunicorn_config",
                        "--workers",
                        str(self.workers),
                        "--bind",
                        f"fd://{listener.fileno()}",
                        "--timeout",
                        "30",
                        "--graceful-timeout",
                        "5",
                        "--error-logfile",
                        "-",
                        "--access-logfile",
                        str(self.access_log_path),
                        self.app,
                    ],
                    env=self.env,
                    cwd=ROOT,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    pass_fds=(listener.fileno(),),
                    start_new_session=True,  # its own process group, killed as a whole
                )
        finally:
            listener.close()
        self._wait_until_ready()

    @property
    def base(self) -> tuple[str, int]:
        return HOST, self.port

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                try:
                    connection.request("GET", "/auth/login")
                    if connection.getresponse().status == 200:
                        return
                finally:
                    connection.close()
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT:.0f} s:\n{self.log()}")

    def worker_pids(self) -> list[int]:
        """The master's children, from /proc."""
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                # pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                if ppid == self.process.pid:
                    children.append(int(entry.name))
        return sorted(children)

    def stop(self) -> None:
        """SIGTERM to the process group, wait; then SIGKILL whatever is left of the group."""
        if self.process is None:
            return
        try:
            if self.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    pass
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""


def server_errors(log: str, limit: int = 6) -> str:
    """The distinct tracebacks and error lines of a gunicorn log, with how often each occurred."""
    lines = log.splitlines()
    blocks: list[list[str]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not re.search(r"\b(ERROR|CRITICAL)\b|Traceback \(most recent call last\)", line):
            continue
        block = [line]
        while index < len(lines):
            following = lines[index]
            continues = following == "" or following.startswith(_CONTINUATIONS)
            if not continues and not block[-1].startswith((" ", "\t")):
                break
            block.append(following)  # a frame, or the exception line that ends the frames
            index += 1
        blocks.append(block)
    counts: Counter[str] = Counter()
    first: dict[str, list[str]] = {}
    for block in blocks:
        meaningful = [b for b in block if b.strip() and not b.startswith(_SQL_DETAILS)]
        key = meaningful[-1].strip()[:300]
        counts[key] += 1
        first.setdefault(key, block)
    return "\n".join(
        f"--- {count} x {key}\n" + "\n".join(first[key][-80:])
        for key, count in counts.most_common(limit)
    )


_SQL_DETAILS = ("[SQL:", "[parameters:", "(Background on this error")
_CONTINUATIONS = (
    " ",
    "\t",
    "Traceback",
    "During handling",
    "The above exception",
    *_SQL_DETAILS,
)


# --- the clients --------------------------------------------------------------------------------


class ConnectionFailure(Exception):
    """The connection broke (reset, closed, refused): the request's outcome is unknown."""


class BudgetExhausted(Exception):
    """The run's deadline passed or its request budget is spent."""


@dataclass
class Response:
    status: int
    location: str
    body: str


class _Forms(HTMLParser):
    """The fields of a page's forms with the values a browser would submit by default."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        values = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self.forms.append({})
        if not self.forms:
            return
        fields = self.forms[-1]
        name = values.get("name")
        if tag == "input" and name:
            kind = values.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in values:
                    fields[name] = values.get("value", "on")
            elif kind not in ("submit", "button", "image", "reset", "file"):
                fields[name] = values.get("value", "")
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = values.get("value", "")
            if self._select_first is None:
                self._select_first = value
                fields.setdefault(self._select, value)
            if "selected" in values:
                fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            text = (
                data[1:] if data.startswith("\n") and not self.forms[-1][self._textarea] else data
            )
            self.forms[-1][self._textarea] += text


def form_fields(html: str, containing: str) -> dict[str, str]:
    """The default submission of the page's first form that has a field named `containing`."""
    parser = _Forms()
    parser.feed(html)
    parser.close()
    for fields in parser.forms:
        if containing in fields:
            return fields
    return {}


def csrf_token(html: str) -> str:
    return form_fields(html, "csrf_token").get("csrf_token", "")


def dublin_now(minus: timedelta = timedelta(0)) -> str:
    """Wall time in the demo organization's zone, with its offset (never ambiguous at DST)."""
    return (datetime.now(DUBLIN) - minus).isoformat(sep=" ", timespec="minutes")


@dataclass
class Figures:
    """What the clients saw; shared by the client threads under a lock."""

    requests: int = 0
    server_errors: list[str] = field(default_factory=list)  # 5xx: "METHOD path -> status"
    other_errors: list[str] = field(default_factory=list)
    connection_failures: list[str] = field(default_factory=list)
    incidents: list[str] = field(default_factory=list)  # acknowledged references
    filings: list[tuple[str, int, str]] = field(default_factory=list)  # (reference, id, ref)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, kind: str, value) -> None:
        with self.lock:
            getattr(self, kind).append(value)


class Budget:
    """A deadline and a request budget shared by the clients."""

    def __init__(self, deadline: float, max_requests: int) -> None:
        self.deadline = deadline
        self.left = max_requests
        self.lock = threading.Lock()

    def take(self) -> None:
        with self.lock:
            if time.monotonic() >= self.deadline or self.left <= 0:
                raise BudgetExhausted
            self.left -= 1


class Client:
    """One browser-like client: its own cookies, one connection per request (like gunicorn sync)."""

    def __init__(self, base: tuple[str, int], figures: Figures, budget: Budget) -> None:
        self.host, self.port = base
        self.figures = figures
        self.budget = budget
        self.cookies: dict[str, str] = {}
        self.user_agent = "incident-tracker-load-test"  # strong sessions are tied to it

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        self.budget.take()
        headers = {"User-Agent": self.user_agent, "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
        with self.figures.lock:
            self.figures.requests += 1
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                self._store(header)
            result = Response(
                response.status,
                urlsplit(response.headers.get("Location", "")).path,
                data.decode("utf-8", "replace"),
            )
        except TimeoutError as error:
            self.figures.add(
                "other_errors", f"{method} {path}: timed out after {REQUEST_TIMEOUT} s"
            )
            raise ConnectionFailure(str(error)) from error
        except (ConnectionError, http.client.HTTPException) as error:
            self.figures.add("connection_failures", f"{method} {path}: {error!r}")
            raise ConnectionFailure(str(error)) from error
        finally:
            connection.close()
        if result.status >= 500:
            self.figures.add("server_errors", f"{method} {path} -> {result.status}")
        return result

    def _store(self, header: str) -> None:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel.value == "" or morsel["max-age"] == "0":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def expect(self, what: str, response: Response, status: int) -> bool:
        """Record an unexpected answer (other than 5xx, already counted) as an error."""
        if response.status == status:
            return True
        if response.status < 500:
            feedback = "; ".join(FEEDBACK.findall(response.body))[:300]
            self.figures.add(
                "other_errors",
                f"{what}: {response.status} (expected {status}) location={response.location!r}"
                f" {feedback}",
            )
        return False

    def log_in(self, email: str, password: str) -> bool:
        for _attempt in range(3):  # a connection reset (killed worker) may hit the login too
            try:
                page = self.request("GET", "/auth/login")
                if not self.expect("login page", page, 200):
                    return False
                answer = self.request(
                    "POST",
                    "/auth/login",
                    {"email": email, "password": password, "csrf_token": csrf_token(page.body)},
                )
                return self.expect("login", answer, 302)
            except ConnectionFailure:
                continue
        return False

    def create_incident(self, title: str) -> str | None:
        """Record an incident; return its reference when the server acknowledged it (302)."""
        page = self.request("GET", "/incidents/new")
        if not self.expect("new incident form", page, 200):
            return None
        answer = self.request(
            "POST",
            "/incidents/new",
            {
                **form_fields(page.body, "title"),
                "title": title,
                "status": "open",
                "aware_at": dublin_now(minus=timedelta(hours=1)),
                "personal_data_breach": "y",
                "gdpr_risk": "high",
                "nis2_significant": "yes",
                "jurisdictions-0-code": "DE",
                "jurisdictions-0-people": "10",
            },
        )
        if not self.expect("create incident", answer, 302):
            return None
        match = REFERENCE.search(answer.location)
        if match is None:
            self.figures.add("other_errors", f"create incident: redirected to {answer.location!r}")
            return None
        self.figures.add("incidents", match[1])
        return match[1]

    def file_first_obligation(self, reference: str, recipient_reference: str) -> None:
        """File the incident's first obligation; record it when the server acknowledged it."""
        page = self.request("GET", f"/incidents/{reference}")
        if not self.expect(f"incident {reference}", page, 200):
            return
        link = OBLIGATION_LINK.search(page.body)
        if link is None:
            self.figures.add("other_errors", f"incident {reference}: no obligation link")
            return
        obligation_id = int(link[1])
        form_page = self.request("GET", f"/obligations/{obligation_id}")
        if not self.expect(f"obligation {obligation_id}", form_page, 200):
            return
        answer = self.request(
            "POST",
            f"/obligations/{obligation_id}/filings",
            {
                **form_fields(form_page.body, "recipient_reference"),
                "submitted_at": dublin_now(),
                "recipient_reference": recipient_reference,
            },
        )
        if not self.expect(f"file obligation {obligation_id}", answer, 302):
            return
        if answer.location != f"/incidents/{reference}":
            self.figures.add(
                "other_errors",
                f"file obligation {obligation_id}: redirected to {answer.location!r}",
            )
            return
        self.figures.add("filings", (reference, obligation_id, recipient_reference))


def client_loop(
    number: int, base: tuple[str, int], login: tuple[str, str], figures: Figures, budget: Budget
) -> None:
    """Log in, then create an incident and file one of its obligations until the budget ends."""
    client = Client(base, figures, budget)
    try:
        if not client.log_in(*login):
            return
        sequence = 0
        while True:
            sequence += 1
            tag = f"LOAD-{number:02d}-{sequence:05d}-{secrets.token_hex(3)}"
            try:
                reference = client.create_incident(f"Load test incident {tag}")
                if reference is not None:
                    client.file_first_obligation(reference, tag)
            except ConnectionFailure:
                continue  # not acknowledged; counted already
    except BudgetExhausted:
        return
    except Exception:  # noqa: BLE001 - a crashed client is an error of the run, not of pytest
        figures.add("other_errors", f"client {number} crashed:\n{traceback.format_exc()}")


@dataclass
class Fault:
    """The SIGKILL of one worker mid-run."""

    at: float | None = None  # seconds after the start
    pid: int | None = None
    workers_before: list[int] = field(default_factory=list)
    workers_after: list[int] = field(default_factory=list)

    @property
    def replaced(self) -> bool:
        return (
            self.pid is not None
            and self.pid not in self.workers_after
            and len(self.workers_after) >= len(self.workers_before)
        )


def run_load(
    server: Gunicorn,
    login: tuple[str, str],
    clients: int,
    duration: float,
    max_requests: int,
    kill_worker: bool,
) -> tuple[Figures, Fault | None, float]:
    """Run the clients for `duration` seconds; optionally SIGKILL a worker after a third of it."""
    figures = Figures()
    started = time.monotonic()
    budget = Budget(started + duration, max_requests)
    threads = [
        threading.Thread(
            target=client_loop,
            args=(number, server.base, login, figures, budget),
            name=f"load-client-{number}",
            daemon=True,
        )
        for number in range(clients)
    ]
    for thread in threads:
        thread.start()
    fault = None
    if kill_worker:
        fault = Fault()
        time.sleep(max(0.0, started + duration / 3 - time.monotonic()))
        fault.workers_before = server.worker_pids()
        if fault.workers_before:
            fault.pid = fault.workers_before[len(fault.workers_before) // 2]
            fault.at = time.monotonic() - started
            os.kill(fault.pid, signal.SIGKILL)
        replaced_by = time.monotonic() + 10
        while time.monotonic() < replaced_by:
            fault.workers_after = server.worker_pids()
            if fault.replaced:
                break
            time.sleep(0.1)
    for thread in threads:
        thread.join(timeout=max(0.0, budget.deadline - time.monotonic()) + REQUEST_TIMEOUT + 5)
    elapsed = time.monotonic() - started
    stuck = [thread.name for thread in threads if thread.is_alive()]
    if stuck:
        figures.add("other_errors", f"clients still running after the deadline: {stuck}")
    return figures, fault, elapsed
