"""The architecture of DESIGN section 3, read from the code: the import graph of the packages.

- the core imports nothing of the shell (its imports of libraries: tests/core/test_architecture.py);
- models import only `db`, `extensions` and the core;
- the web shell imports no feature;
- a feature never imports a blueprint module (another feature's views), and only the app factory
  imports blueprints at all;
- the packages form no cycle.
Each rule is also shown failing on a planted violation in a small tree of its own."""

import ast
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "incident_tracker"
NAME = "incident_tracker"
TOP_MODULES = {"__init__", "app", "config", "extensions", "db", "cli"}
SHELL = {"core", "models", "facts", "web"}
FEATURES = {
    "incidents", "obligations", "documents", "register", "audit", "supply_chain", "assessments",
    "accounts", "api", "ops",
}  # fmt: skip
MODELS_MAY_IMPORT = {"models", "db", "extensions", "core"}


def module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imports(path: Path, package: Path) -> set[str]:
    """Every module of the project a file imports, relative imports resolved; `from x import y`
    names the module x.y when y is a module, else x."""
    own = module_name(path, package).split(".")
    base_package = own if is_package(path) else own[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = base_package[: len(base_package) - node.level + 1]
                full = ".".join(base + ([node.module] if node.module else []))
            else:
                full = node.module or ""
            for alias in node.names:
                candidate = f"{full}.{alias.name}"
                found.add(candidate if exists(candidate, package) else full)
    return {name for name in found if name == NAME or name.startswith(NAME + ".")}


def exists(module: str, package: Path) -> bool:
    relative = Path(*module.split(".")[1:])
    return (package / relative).with_suffix(".py").is_file() or (package / relative).is_dir()


def unit(module: str) -> str:
    """The package (or top-level module) a module belongs to: incident_tracker.web.roles -> web."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def blueprints(package: Path) -> set[str]:
    return {
        module_name(path, package)
        for path in package.rglob("*.py")
        if "= Blueprint(" in path.read_text()
    }


def graph(package: Path) -> dict[str, set[str]]:
    """Module -> the project's modules it imports."""
    return {
        module_name(path, package): imports(path, package) for path in sorted(package.rglob("*.py"))
    }


def violations(package: Path) -> list[str]:
    edges = graph(package)
    views = blueprints(package)
    found = []
    for module, targets in edges.items():
        source = unit(module)
        for target in targets:
            goal = unit(target)
            if source == "core" and goal != "core":
                found.append(f"the core imports the shell: {module} -> {target}")
            if source == "models" and goal not in MODELS_MAY_IMPORT:
                found.append(f"models import more than db, extensions, core: {module} -> {target}")
            if source == "web" and goal in FEATURES:
                found.append(f"the web shell imports a feature: {module} -> {target}")
            if target in views and module != f"{NAME}.app" and unit(target) != source:
                found.append(f"{module} imports another feature's views: {target}")
            elif target in views and module not in (f"{NAME}.app", f"{NAME}.{source}"):
                found.append(f"only the app factory imports blueprints: {module} -> {target}")
    found += [f"the packages form a cycle: {' -> '.join(cycle)}" for cycle in cycles(edges)]
    return found


def package_graph(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    packages = defaultdict(set)
    for module, targets in edges.items():
        source = unit(module)
        if source in TOP_MODULES:
            continue
        for target in targets:
            goal = unit(target)
            if goal != source and goal not in TOP_MODULES:
                packages[source].add(goal)
    return packages


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected set of packages (depth first)."""
    packages = package_graph(edges)
    found, done = [], set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            found.append(path[path.index(node) :] + [node])
            return
        if node in done:
            return
        for nxt in sorted(packages.get(node, ())):
            visit(nxt, path + [node])
        done.add(node)

    for node in sorted(packages):
        visit(node, [])
    unique = {tuple(sorted(set(cycle))): cycle for cycle in found}
    return list(unique.values())


def test_the_top_level_holds_only_the_packages_and_the_factory_modules():
    entries = {p.stem if p.suffix == ".py" else p.name for p in PACKAGE.iterdir()}
    entries.discard("__pycache__")
    assert entries == TOP_MODULES | SHELL | FEATURES


def test_the_code_keeps_the_import_rules():
    assert violations(PACKAGE) == []


def test_every_blueprint_lives_in_a_feature_package():
    for module in blueprints(PACKAGE):
        assert unit(module) in FEATURES, module


# The same checks on planted violations: each rule can fail.


def plant(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / NAME
    for name in [*TOP_MODULES, "core/__init__", "models/__init__", "web/__init__"]:
        (package / f"{name}.py").parent.mkdir(parents=True, exist_ok=True)
        (package / f"{name}.py").write_text("")
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(package).parents:
            if str(parent) != ".":
                (package / parent / "__init__.py").touch()
        path.write_text(text)
    return package


@pytest.mark.parametrize(
    "files, message",
    [
        ({"core/engine.py": "from ..models import Incident\n"}, "the core imports the shell"),
        ({"models/rows.py": "from ..web import roles\n", "web/roles.py": ""}, "models import more"),
        (
            {"web/filters.py": "from ..incidents import records\n", "incidents/records.py": ""},
            "the web shell imports a feature",
        ),
        (
            {
                "incidents/views.py": "bp = Blueprint('incidents', __name__)\n",
                "obligations/views.py": "from ..incidents.views import bp\n",
            },
            "imports another feature's views",
        ),
        (
            {
                "incidents/views.py": "bp = Blueprint('incidents', __name__)\n",
                "incidents/records.py": "from . import views\n",
            },
            "only the app factory imports blueprints",
        ),
        (
            {
                "incidents/records.py": "from ..obligations import filings\n",
                "obligations/filings.py": "from ..incidents import records\n",
            },
            "the packages form a cycle: incidents -> obligations -> incidents",
        ),
        (
            {
                "incidents/records.py": "import incident_tracker.audit.trail\n",
                "audit/trail.py": "from incident_tracker.supply_chain.exposure import x\n",
                "supply_chain/exposure.py": "def f():\n    from ..incidents import records\n",
            },
            "the packages form a cycle: audit -> supply_chain -> incidents -> audit",
        ),
    ],
)
def test_a_planted_violation_is_reported(tmp_path, files, message):
    found = violations(plant(tmp_path, files))
    assert any(message in line for line in found), found


def test_a_tree_that_keeps_the_rules_is_clean(tmp_path):
    package = plant(
        tmp_path,
        {
            "app.py": "from .incidents import views\nfrom .obligations import views as o\n",
            "incidents/views.py": "bp = Blueprint('incidents', __name__)\nfrom . import records\n",
            "incidents/records.py": "from ..models import Incident\nfrom ..web import roles\n",
            "obligations/views.py": "bp = Blueprint('o', __name__)\nfrom ..incidents import x\n",
            "web/roles.py": "from ..models import User\n",
        },
    )
    assert violations(package) == []


def test_code_passes_ruff():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is part of the test dependencies"
    result = subprocess.run(
        [ruff, "check", "incident_tracker", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_the_readme_names_every_package_and_module():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Architecture") :]
    section = section[: section.index("\n## ", 4)] if "\n## " in section[4:] else section
    words = set(re.findall(r"[a-z_0-9]+", section))
    missing = [
        module_name(path, PACKAGE)
        for path in PACKAGE.rglob("*.py")
        if path.stem != "__init__" and path.stem not in words
    ]
    missing += [f"{name}/" for name in SHELL | FEATURES if name not in words]
    assert missing == [], "the README's architecture section does not name these"
