"""The core stays pure: only the standard library, dateutil and holidays; never the clock."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).parents[2] / "incident_tracker" / "core"
MODULES = sorted(CORE.rglob("*.py"))
ALLOWED = set(sys.stdlib_module_names) | {"dateutil", "holidays"}
CLOCK_ATTRIBUTES = {"now", "utcnow", "today", "monotonic", "perf_counter", "process_time"}
CLOCK_MODULES = {"time"}


def package_of(path: Path) -> list[str]:
    """Return the dotted package of a core module, e.g. ["incident_tracker", "core", "regimes"]."""
    return list(path.relative_to(CORE.parent.parent).parent.parts)


def imported(path: Path):
    """Yield every module a file imports, relative imports resolved to absolute names."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module
        elif isinstance(node, ast.ImportFrom):
            base = package_of(path)[: len(package_of(path)) - node.level + 1]
            yield ".".join(base + ([node.module] if node.module else []))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(CORE)))
def test_core_imports_only_the_standard_library_dateutil_holidays_and_itself(path):
    for name in imported(path):
        inside_core = name == "incident_tracker.core" or name.startswith("incident_tracker.core.")
        assert inside_core or name.split(".")[0] in ALLOWED, f"{path.name} imports {name}"
        assert name.split(".")[0] not in CLOCK_MODULES, f"{path.name} imports {name}"


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(CORE)))
def test_core_never_reads_the_clock(path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Attribute):
            assert node.attr not in CLOCK_ATTRIBUTES, f"{path.name}:{node.lineno} reads the clock"
        if isinstance(node, ast.Name):
            assert node.id not in CLOCK_ATTRIBUTES, f"{path.name}:{node.lineno} reads the clock"


def test_the_architecture_check_sees_the_whole_core():
    names = {str(path.relative_to(CORE)) for path in MODULES}
    assert {"engine.py", "clock.py", "regimes/gdpr.py", "regimes/us_states.py"} <= names


def test_importing_the_engine_loads_no_framework():
    code = (
        "import sys, incident_tracker.core.engine; "
        "bad = {'flask', 'sqlalchemy', 'click', 'jinja2', 'pycountry'} & set(sys.modules); "
        "sys.exit(', '.join(sorted(bad)) or None)"
    )
    root = CORE.parent.parent
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stderr
