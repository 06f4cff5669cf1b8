"""The project's own supply chain: pyproject.toml and the hash-pinned lock file agree, the lock is
the only install path, and `make sbom` writes a CycloneDX SBOM of exactly the pinned packages."""

import json
import re
import shlex
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker, default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

pytestmark = pytest.mark.packaging
ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
PROJECT = "incident-tracker (pyproject.toml)"
# The platform the lock is installed on: Debian 12, CPython 3.11 (make run, make test).
TARGET = {
    **default_environment(),
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "python_version": "3.11",
    "python_full_version": "3.11.2",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "os_name": "posix",
}
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}\b")


@dataclass
class Pin:
    name: str  # canonical
    version: str
    marker: Marker | None
    line: str
    hashes: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)

    def applies(self, environment: dict) -> bool:
        return self.marker is None or self.marker.evaluate(environment)


def _logical_lines(text: str) -> list[str]:
    """Join backslash continuations; keep comment lines as they are."""
    lines, current = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if current and stripped.startswith("#"):
            lines.append(current)
            current = ""
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    if current:
        lines.append(current)
    return [line for line in lines if line.strip()]


def parse_lock(text: str) -> list[Pin]:
    pins: list[Pin] = []
    for line in _logical_lines(text):
        if line.startswith("#"):
            if pins:
                via = line.lstrip("#").strip()
                via = via.removeprefix("via").strip()
                if via:
                    pins[-1].via.append(via)
            continue
        requirement = Requirement(line.split(" --hash=")[0].strip())
        (specifier,) = requirement.specifier  # exactly one version specifier
        assert specifier.operator == "==" and "*" not in specifier.version, line[:120]
        assert requirement.url is None and not requirement.extras, line[:120]
        pins.append(
            Pin(
                name=canonicalize_name(requirement.name),
                version=specifier.version,
                marker=requirement.marker,
                line=line,
                hashes=HASH.findall(line),
            )
        )
    return pins


@pytest.fixture(scope="module")
def lock_text() -> str:
    return LOCK.read_text()


@pytest.fixture(scope="module")
def pins(lock_text) -> list[Pin]:
    return parse_lock(lock_text)


@pytest.fixture(scope="module")
def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def declared_requirements(project: dict) -> dict[str, list[Requirement]]:
    groups = {"dependencies": [Requirement(text) for text in project["dependencies"]]}
    for extra, texts in project.get("optional-dependencies", {}).items():
        groups[f"optional-dependencies.{extra}"] = [Requirement(text) for text in texts]
    return groups


def _pinned_on_target(pins: list[Pin], name: str, environment=TARGET) -> list[Pin]:
    return [p for p in pins if p.name == canonicalize_name(name) and p.applies(environment)]


def test_every_declared_requirement_is_satisfied_by_exactly_one_pin(project, pins):
    problems = []
    for group, requirements in declared_requirements(project).items():
        for requirement in requirements:
            if requirement.marker and not requirement.marker.evaluate(TARGET):
                continue
            found = _pinned_on_target(pins, requirement.name)
            if len(found) != 1:
                problems.append(f"{group}: {requirement} has {len(found)} pins in the lock")
                continue
            if not requirement.specifier.contains(found[0].version, prereleases=True):
                problems.append(f"{group}: {requirement} but the lock pins {found[0].version}")
    assert problems == [], "pyproject.toml and requirements.lock disagree (run make lock):\n" + (
        "\n".join(problems)
    )


def test_the_extras_of_declared_requirements_are_pinned_too(project, pins):
    """psycopg[binary] needs psycopg-binary in the lock, or the install fails at runtime."""
    missing = []
    for requirements in declared_requirements(project).values():
        for requirement in requirements:
            for extra in requirement.extras:
                for text in metadata.requires(requirement.name) or []:
                    needed = Requirement(text)
                    environment = {**TARGET, "extra": extra}
                    if needed.marker is None or not needed.marker.evaluate(environment):
                        continue
                    if "extra" not in str(needed.marker):
                        continue  # a base dependency: the lock's own closure, not this extra's
                    found = _pinned_on_target(pins, needed.name)
                    if len(found) != 1 or not needed.specifier.contains(
                        found[0].version, prereleases=True
                    ):
                        missing.append(f"{requirement}: needs {needed}")
    assert missing == []


def test_the_lock_names_exactly_the_declared_requirements_as_direct(project, pins):
    """A dependency removed from pyproject.toml must not linger in the lock as a direct one."""
    declared = {
        canonicalize_name(r.name)
        for requirements in declared_requirements(project).values()
        for r in requirements
    }
    direct = {p.name for p in pins if PROJECT in p.via}
    assert direct == declared


def test_every_pin_is_wanted_by_the_project_or_another_pin(pins):
    names = {p.name for p in pins}
    orphans = [
        p.line.split()[0]
        for p in pins
        if not p.via or any(v != PROJECT and canonicalize_name(v) not in names for v in p.via)
    ]
    assert orphans == []


def test_every_pin_has_exactly_one_version_and_a_sha256_hash(pins):
    assert pins, "the lock file is empty"
    without_hash = [p.line.split()[0] for p in pins if not p.hashes]
    assert without_hash == []
    for pin in pins:
        Version(pin.version)  # a real version, not a URL or a path
    on_target = [p.name for p in pins if p.applies(TARGET)]
    assert len(on_target) == len(set(on_target)), "a package is pinned twice for Linux/CPython 3.11"


def test_the_lock_has_no_index_find_links_editable_or_local_lines(lock_text):
    forbidden = re.compile(
        r"^\s*(--index-url|-i\s|--extra-index-url|--find-links|-f\s|--trusted-host|-e\s|--editable"
        r"|-r\s|--requirement|-c\s|--constraint|--no-index)"
    )
    bad = [line for line in lock_text.splitlines() if forbidden.match(line)]
    assert bad == []
    code = [line for line in lock_text.splitlines() if not line.lstrip().startswith("#")]
    local = [
        line
        for line in code
        if re.search(r"(file:|https?://|git\+|\s@\s|^\s*[./~]|\.whl|\.tar\.gz|\.zip)", line)
    ]
    assert local == []


def _makefile_recipes() -> list[str]:
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.startswith("\t")]


def test_the_makefile_installs_only_from_the_hash_pinned_lock():
    installs = [line for line in _makefile_recipes() if re.search(r"\bpip3?\b.*\binstall\b", line)]
    assert installs, "the Makefile no longer installs anything?"
    for line in installs:
        words = shlex.split(line)
        if "-r" in words:
            assert (
                "--require-hashes" in words and words[words.index("-r") + 1] == "requirements.lock"
            )
            assert words.count("-r") == 1 and "--no-deps" not in words, line
        else:
            # the project itself, without letting pip resolve anything from an index
            assert "--no-deps" in words, line
            assert words[-1] == ".", line
        for option in ("--index-url", "-i", "--extra-index-url", "--find-links", "-f", "--pre"):
            assert option not in words, line
    assert not any(
        re.search(r"\buv\s+pip\s+install\b|\bpip\s+download\b", r) for r in _makefile_recipes()
    )


def _sbom_command(output: Path) -> list[str]:
    """The Makefile's `sbom` recipe, writing to `output` instead of sbom.cdx.json."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    recipe = re.search(r"^sbom:[^\n]*\n((?:\t[^\n]*\n)+)", text, re.MULTILINE)
    assert recipe, "the Makefile has no sbom target"
    lines = [line.strip() for line in recipe.group(1).splitlines()]
    assert len(lines) == 1, lines
    words = shlex.split(lines[0].replace("$(BIN)", str(Path(sys.executable).parent)))
    assert "sbom.cdx.json" in words and "requirements.lock" in words
    return [str(output) if word == "sbom.cdx.json" else word for word in words]


def test_make_sbom_writes_a_cyclonedx_sbom_of_the_pinned_packages(pins, tmp_path):
    output = tmp_path / "sbom.cdx.json"
    command = _sbom_command(output)
    assert Path(command[0]).name == "cyclonedx-py"
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    bom = json.loads(output.read_text())
    assert bom["bomFormat"] == "CycloneDX"
    assert Version(bom["specVersion"]) >= Version("1.5")
    assert bom["metadata"]["component"]["name"] == "incident-tracker"
    purls = {canonicalize_name(c["name"]): c.get("purl", "") for c in bom["components"]}
    for name in ("flask", "weasyprint", "sqlalchemy"):
        (pin,) = _pinned_on_target(pins, name)
        assert purls[name] == f"pkg:pypi/{name}@{pin.version}"
    assert set(purls) == {p.name for p in pins}
    for component in bom["components"]:
        hashes = {
            h["content"]
            for reference in component.get("externalReferences", [])
            for h in reference.get("hashes", [])
            if h["alg"] == "SHA-256"
        }
        assert hashes, f"{component['name']} has no SHA-256 in the SBOM"
