"""Every command the documentation shows exists: each `incident-tracker ...` and `make ...` in the
code of README.md and docs/*.md (inline code and code blocks) is run with `--help` (`make -n` for
make targets), through the installed console script, so the documentation and the CLI cannot drift
apart. `incident-tracker remind` was documented with a cron line for weeks while nothing registered
it."""

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging  # runs once, in the SQLite stage: it reads no database

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SCRIPT = Path(sys.executable).parent / "incident-tracker"
FENCE = re.compile(r"^[ \t]*```[^\n]*\n(.*?)^[ \t]*```", re.DOTALL | re.MULTILINE)  # indented too
INLINE = re.compile(r"`([^`]+)`")  # a code span may run over a line break
WORD = re.compile(r"[a-z][a-z0-9-]*$")


def code_of(text: str) -> list[str]:
    """The lines of code in a Markdown document: fenced blocks, then inline spans elsewhere."""
    blocks = [line for block in FENCE.findall(text) for line in block.splitlines()]
    return blocks + [" ".join(span.split()) for span in INLINE.findall(FENCE.sub("", text))]


def documented(program: str) -> dict[str, str]:
    """Each invocation of `program` shown in the documents: its words up to the first that is not
    a plain lower-case word (an argument, an option, a placeholder), with where it was seen. The
    program is a whole word of the line, by its name or a path ending in bin/ (`.venv/bin/...`);
    `/var/lib/incident-tracker` is a folder, `-u incident-tracker` the system user."""
    found = {}
    name = re.compile(rf"(?:\S*/bin/)?{re.escape(program)}")
    for document in DOCUMENTS:
        for line in code_of(document.read_text()):
            words = re.split(r"\s+|(?<=[;&|(])|(?=[;&|)])", line)
            for index, word in enumerate(words):
                if not name.fullmatch(word) or (index and words[index - 1] in ("-u", "-g")):
                    continue
                command = []
                for following in words[index + 1 :]:
                    if "=" in following and program == "make":
                        continue  # make bench BENCH_ARGS=--quick
                    if not WORD.match(following):
                        break
                    command.append(following)
                found.setdefault(" ".join(command), f"{document.name}: {line.strip()}")
    return found


def env(tmp_path) -> dict[str, str]:
    environment = {**os.environ, "INCIDENT_TRACKER_INSTANCE_PATH": str(tmp_path)}
    environment.pop("INCIDENT_TRACKER_DATABASE_URL", None)
    return environment


@cache
def _help(path: tuple[str, ...], instance: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), *path, "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env(Path(instance))},
    )


def subcommands(help_text: str) -> set[str]:
    section = help_text.split("Commands:", 1)
    if len(section) == 1:
        return set()
    return {
        line.split()[0]
        for line in section[1].splitlines()
        if line.startswith("  ") and line.split()
    }


def resolve(words: list[str], instance: str) -> tuple[list[str], str | None]:
    """The command path the words name, and why not when a word names no command."""
    path: list[str] = []
    for word in words:
        known = subcommands(_help(tuple(path), instance).stdout)
        if not known:
            return path, None  # a command, not a group: what follows are its arguments
        if word not in known:
            return (
                path,
                f"'{' '.join([*path, word])}' is not a command ({', '.join(sorted(known))})",
            )
        path.append(word)
    if subcommands(_help(tuple(path), instance).stdout):
        return path, f"'{' '.join(path)}' is a group, not a command"
    return path, None


def test_the_documents_show_the_commands_this_test_expects():
    shown = documented("incident-tracker")
    for command in ("remind", "audit verify", "db upgrade", "deadlines", "backup", "run"):
        assert command in shown, f"the README no longer shows incident-tracker {command}?"
    assert {"run", "test", "bench", "lock", "sbom"} <= set(documented("make"))


def test_every_documented_incident_tracker_command_exists(tmp_path):
    shown = documented("incident-tracker")
    instance = str(tmp_path)

    def check(item):
        words, where = item
        if not words:
            return (
                None  # the program named on its own, as in "the console script `incident-tracker`"
            )
        path, problem = resolve(words.split(), instance)
        if problem:
            return f"{where}: {problem}"
        result = _help(tuple(path), instance)
        return None if result.returncode == 0 else f"{where}: --help exited {result.returncode}"

    with ThreadPoolExecutor(max_workers=4) as pool:
        problems = [problem for problem in pool.map(check, shown.items()) if problem]
    assert problems == []


def test_every_documented_make_target_exists():
    problems = []
    for target, where in documented("make").items():
        result = subprocess.run(
            ["make", "-n", *target.split()], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        if result.returncode != 0 or "No rule to make target" in result.stderr:
            problems.append(f"{where}: {result.stderr.strip()}")
    assert problems == []


@pytest.mark.parametrize(
    "words, problem",
    [
        (["remind"], None),
        (["audit", "verify"], None),
        (["audit"], "is a group, not a command"),
        (["audit", "rewrite"], "'audit rewrite' is not a command"),
        (["send-letters"], "'send-letters' is not a command"),
    ],
)
def test_resolve_tells_a_missing_command_from_a_real_one(tmp_path, words, problem):
    path, found = resolve(words, str(tmp_path))
    assert (found is None) if problem is None else (problem in found)
