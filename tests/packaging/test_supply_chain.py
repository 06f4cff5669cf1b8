"""The project's own supply chain: pyproject.toml and the hash-pinned locks agree, the locks are the
only install path, and `make sbom` writes a CycloneDX SBOM of exactly the pinned packages.

Four locks, all compiled by `make lock`: the runtime (what the app imports), what installs the
project (the `install` group: hatchling, editables), the development lock (the runtime, the
`install` group and the `test` and `sbom` extras, compiled with the first two as constraints) and
pip itself (the `installer` group), which scripts/make-venv.sh installs before anything else."""

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
RUNTIME, BUILD, DEV, PIP = (
    "requirements.lock",
    "requirements-build.lock",
    "requirements-dev.lock",
    "requirements-pip.lock",
)
LOCKS = (RUNTIME, BUILD, DEV, PIP)
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
# What only the tests, the build or the SBOM use: none of it belongs in the runtime lock.
TOOLS = ("pytest", "playwright", "hypothesis", "ruff", "schemathesis", "cyclonedx-bom", "hatchling")


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
                if via and not via.startswith("-c "):  # "-c requirements.lock": a constraint
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


def read_lock(name: str) -> list[Pin]:
    return parse_lock((ROOT / name).read_text())


@pytest.fixture(scope="module")
def locks() -> dict[str, list[Pin]]:
    return {name: read_lock(name) for name in LOCKS}


@pytest.fixture(scope="module")
def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def declared_requirements(pyproject: dict, lock: str) -> dict[str, list[Requirement]]:
    """What each lock is compiled from, by group (as `make lock` compiles it)."""
    project, groups = pyproject["project"], pyproject["dependency-groups"]
    extras = project.get("optional-dependencies", {})
    runtime = {"dependencies": project["dependencies"]}
    declared = {
        RUNTIME: runtime,
        BUILD: {"install": groups["install"]},
        DEV: {
            **runtime,
            "install": groups["install"],
            **{f"optional-dependencies.{name}": texts for name, texts in extras.items()},
        },
        PIP: {"installer": groups["installer"]},
    }[lock]
    return {group: [Requirement(text) for text in texts] for group, texts in declared.items()}


def _direct(pin: Pin) -> bool:
    return any(v.startswith(PROJECT.removesuffix(")")) for v in pin.via)


def _pinned_on_target(pins: list[Pin], name: str, environment=TARGET) -> list[Pin]:
    return [p for p in pins if p.name == canonicalize_name(name) and p.applies(environment)]


@pytest.mark.parametrize("lock", LOCKS)
def test_every_declared_requirement_is_satisfied_by_exactly_one_pin(pyproject, locks, lock):
    problems = []
    for group, requirements in declared_requirements(pyproject, lock).items():
        for requirement in requirements:
            if requirement.marker and not requirement.marker.evaluate(TARGET):
                continue
            found = _pinned_on_target(locks[lock], requirement.name)
            if len(found) != 1:
                problems.append(f"{group}: {requirement} has {len(found)} pins in {lock}")
                continue
            if not requirement.specifier.contains(found[0].version, prereleases=True):
                problems.append(f"{group}: {requirement} but {lock} pins {found[0].version}")
    assert problems == [], f"pyproject.toml and {lock} disagree (run make lock):\n" + (
        "\n".join(problems)
    )


@pytest.mark.parametrize("lock", LOCKS)
def test_the_extras_of_declared_requirements_are_pinned_too(pyproject, locks, lock):
    """psycopg[binary] needs psycopg-binary in the lock, or the install fails at runtime."""
    missing = []
    for requirements in declared_requirements(pyproject, lock).values():
        for requirement in requirements:
            for extra in requirement.extras:
                for text in metadata.requires(requirement.name) or []:
                    needed = Requirement(text)
                    environment = {**TARGET, "extra": extra}
                    if needed.marker is None or not needed.marker.evaluate(environment):
                        continue
                    if "extra" not in str(needed.marker):
                        continue  # a base dependency: the lock's own closure, not this extra's
                    found = _pinned_on_target(locks[lock], needed.name)
                    if len(found) != 1 or not needed.specifier.contains(
                        found[0].version, prereleases=True
                    ):
                        missing.append(f"{requirement}: needs {needed}")
    assert missing == []


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_names_exactly_the_declared_requirements_as_direct(pyproject, locks, lock):
    """A dependency removed from pyproject.toml must not linger in the lock as a direct one."""
    declared = {
        canonicalize_name(r.name)
        for requirements in declared_requirements(pyproject, lock).values()
        for r in requirements
    }
    assert {p.name for p in locks[lock] if _direct(p)} == declared


@pytest.mark.parametrize("lock", LOCKS)
def test_every_pin_is_wanted_by_the_project_or_another_pin(locks, lock):
    names = {p.name for p in locks[lock]}
    orphans = [
        p.line.split()[0]
        for p in locks[lock]
        if not p.via
        or any(not v.startswith(PROJECT[:-1]) and canonicalize_name(v) not in names for v in p.via)
    ]
    assert orphans == []


@pytest.mark.parametrize("lock", LOCKS)
def test_every_pin_has_exactly_one_version_and_a_sha256_hash(locks, lock):
    pins = locks[lock]
    assert pins, f"{lock} is empty"
    without_hash = [p.line.split()[0] for p in pins if not p.hashes]
    assert without_hash == []
    for pin in pins:
        Version(pin.version)  # a real version, not a URL or a path
    on_target = [p.name for p in pins if p.applies(TARGET)]
    assert len(on_target) == len(set(on_target)), "a package is pinned twice for Linux/CPython 3.11"


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_has_no_index_find_links_editable_or_local_lines(lock):
    lock_text = (ROOT / lock).read_text()
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


@pytest.mark.parametrize("other", [BUILD, DEV])
def test_the_development_and_build_locks_agree_with_the_runtime_on_every_shared_pin(locks, other):
    """Compiled with the runtime lock as their constraint: a venv that holds both never has two
    versions of one package, and the tests run what production runs."""
    for base in (RUNTIME, BUILD):
        pinned = {p.name: (p.version, sorted(p.hashes)) for p in locks[base] if p.applies(TARGET)}
        for pin in locks[other]:
            if pin.name in pinned and pin.applies(TARGET):
                assert (pin.version, sorted(pin.hashes)) == pinned[pin.name], (base, pin.line[:80])
    dev = {p.name for p in locks[DEV]}
    assert {p.name for p in locks[RUNTIME] + locks[BUILD]} <= dev, "the dev lock holds both"


def test_the_runtime_lock_holds_no_test_build_or_sbom_tool(locks):
    assert {p.name for p in locks[RUNTIME]} & set(TOOLS) == set()
    assert {p.name for p in locks[DEV]} >= set(TOOLS), "the tools are in the development lock"


def test_the_pinned_pip_is_the_one_this_venv_runs(locks):
    """scripts/make-venv.sh installs pip from its lock first; a venv whose pip is another one was
    not made by it (the machine's pip 23.x breaks the locks: pypa/pip#12095)."""
    (pin,) = locks[PIP]
    assert pin.name == "pip" and len(pin.hashes) >= 1
    assert metadata.version("pip") == pin.version
    assert Version(pin.version) >= Version("23.3"), "pip before 23.3 ignores pins of extras"


def _logical_shell_lines(path: Path) -> list[str]:
    text = path.read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    if path.name == "Makefile":
        lines = [line for line in text.splitlines() if line.startswith("\t")]
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def install_files() -> list[Path]:
    """Every file that may install Python packages: the Makefile, the scripts, the container."""
    files = [ROOT / "Makefile", *sorted((ROOT / "scripts").glob("*.sh"))]
    files += [path for path in (ROOT / "Containerfile",) if path.exists()]
    return files


PIP_INSTALL = re.compile(r"\bpip3?\b[^;&|]*?\binstall\b([^;&|]*)")


def pip_installs() -> list[tuple[str, list[str]]]:
    found = []
    for path in install_files():
        for line in _logical_shell_lines(path):
            for match in PIP_INSTALL.finditer(line):
                words = shlex.split(match.group(1).replace('"', "").replace("'", ""))
                found.append((f"{path.name}: {line}", words))
    return found


def unpinned(words: list[str]) -> str | None:
    """Why a pip install's arguments may resolve something unpinned, or None when they cannot."""
    for option in ("--index-url", "-i", "--extra-index-url", "--find-links", "-f", "--pre", "-U"):
        if option in words:
            return f"{option} is not allowed"
    if "--upgrade" in words:
        return "--upgrade takes whatever is newest"
    requirement_files = [words[i + 1] for i, word in enumerate(words) if word == "-r"]
    if requirement_files:
        if "--require-hashes" not in words:
            return "a lock installed without --require-hashes"
        names = {Path(name.replace("$root/", "")).name for name in requirement_files}
        if not names <= set(LOCKS):
            return f"installs {sorted(names - set(LOCKS))}, not a lock"
        if "--no-deps" in words and names != {PIP}:
            return "--no-deps with a lock other than pip's would skip its hash checks of deps"
        return None
    positional = [w for w in words if not w.startswith("-")]
    if "--no-deps" in words and all(
        w in {".", "-e", "$root", "/src"} or w.endswith(".whl") for w in positional
    ):
        return None  # the project itself (or its wheel), resolving nothing from an index
    return "installs something that is not a lock or the project itself"


def test_every_install_line_in_the_makefile_scripts_and_container_is_pinned():
    installs = pip_installs()
    assert len(installs) >= 4, f"the install path was not found: {installs}"
    problems = [f"{line}: {reason}" for line, words in installs if (reason := unpinned(words))]
    assert problems == []
    text = "\n".join(line for path in install_files() for line in _logical_shell_lines(path))
    assert not re.search(r"\buv\s+pip\s+install\b|\bpip\s+download\b|\bget-pip\b", text)
    assert re.search(r"install --require-hashes --no-deps -r \S*requirements-pip\.lock", text)


@pytest.mark.parametrize(
    "words, reason",
    [
        (["--upgrade", "pip"], "--upgrade"),
        (["pip==26.3"], "not a lock"),
        (["-r", "requirements.lock"], "without --require-hashes"),
        (["--require-hashes", "-r", "requirements.txt"], "not a lock"),
        (["--require-hashes", "--no-deps", "-r", "requirements.lock"], "--no-deps"),
        (["-e", "."], "not a lock"),
        (["--no-deps", "flask"], "not a lock"),
        (["--require-hashes", "-r", "requirements.lock", "--extra-index-url", "x"], "not allowed"),
    ],
)
def test_an_unpinned_install_line_is_caught(words, reason):
    assert reason in (unpinned(words) or "")


def _sbom_command(output: Path) -> list[str]:
    """The Makefile's `sbom` recipe, writing to `output` instead of sbom.cdx.json."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    recipe = re.search(r"^sbom:[^\n]*\n((?:\t[^\n]*\n)+)", text, re.MULTILINE)
    assert recipe, "the Makefile has no sbom target"
    lines = [line.strip() for line in recipe.group(1).splitlines()]
    assert len(lines) == 1, lines
    words = shlex.split(lines[0].replace("$(BIN)", str(Path(sys.executable).parent)))
    assert "sbom.cdx.json" in words and DEV in words
    return [str(output) if word == "sbom.cdx.json" else word for word in words]


def test_make_sbom_writes_a_cyclonedx_sbom_of_the_pinned_packages(locks, tmp_path):
    pins = locks[DEV]
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
