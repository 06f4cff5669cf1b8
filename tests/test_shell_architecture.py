"""The shell's shape: blueprints do not import each other, and the code passes the linter."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "incident_tracker"


def _blueprint_modules() -> set[str]:
    return {path.stem for path in PACKAGE.glob("*.py") if "bp = Blueprint(" in path.read_text()}


def _local_imports(path: Path) -> set[str]:
    """Modules of the top-level package that a file imports (relative imports that reach it)."""
    depth = len(path.relative_to(PACKAGE).parts)  # 1 for incident_tracker/x.py, 2 for a subpackage
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == depth:
            if node.module:
                names.add(node.module.split(".")[0])
            else:
                names.update(alias.name for alias in node.names)
    return names


def test_there_is_one_blueprint_per_feature():
    assert _blueprint_modules() == {
        "account",
        "assessments",
        "audit_log",
        "auth",
        "calendar_feed",
        "counterparties",
        "customer_notices",
        "dashboard",
        "documents_views",
        "incidents",
        "letters",
        "obligations",
        "organization",
        "register_views",
        "releases",
        "vendor_notices",
    }


def test_blueprints_do_not_import_each_other():
    blueprints = _blueprint_modules()
    for name in blueprints:
        others = _local_imports(PACKAGE / f"{name}.py") & (blueprints - {name})
        assert not others, f"{name}.py imports the blueprint(s) {sorted(others)}"


def test_no_module_but_the_app_factory_imports_a_blueprint():
    blueprints = _blueprint_modules()
    for path in PACKAGE.rglob("*.py"):
        if path.stem in blueprints or path.name == "app.py":
            continue
        assert not (_local_imports(path) & blueprints), f"{path.name} imports a blueprint"


def test_code_passes_ruff():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is part of the test dependencies"
    result = subprocess.run(
        [ruff, "check", "incident_tracker", "tests"],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
