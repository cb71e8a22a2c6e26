"""Every package imports on its own, and the project's modules import no circle.

``import agents`` used to fail in a fresh interpreter (agents -> model ->
model.market -> agents) and passed in the tests only because another test
had imported ``model`` first. Here each package is imported in a subprocess
of its own, and the module-level imports of the project form no cycle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("model", "agents", "experiments")


@pytest.mark.parametrize("package", [*PACKAGES, "app"])
def test_imports_in_a_fresh_interpreter(package):
    proc = subprocess.run(
        [sys.executable, "-c", f"import {package}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _first_party_imports(path: Path, modules: set[str]) -> set[str]:
    """Modules of the project this file imports when it is loaded (not under TYPE_CHECKING
    or inside functions)."""
    tree = ast.parse(path.read_text())
    found = set()
    for node in tree.body:  # module level only
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node) if not isinstance(node, ast.FunctionDef | ast.ClassDef) else ():
            names = []
            if isinstance(sub, ast.Import):
                names = [a.name for a in sub.names]
            elif isinstance(sub, ast.ImportFrom) and sub.module and sub.level == 0:
                names = [sub.module] + [f"{sub.module}.{a.name}" for a in sub.names]
            found |= {n for n in names if n in modules}
    return found


def test_no_import_circles():
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    modules = {_module_name(p) for p in files}
    graph = {_module_name(p): _first_party_imports(p, modules) for p in files}
    # Importing a module first runs the __init__ of each package above it.
    for name, deps in graph.items():
        for dep in list(deps):
            parts = dep.split(".")
            deps |= {".".join(parts[:i]) for i in range(1, len(parts))} & modules
        graph[name] = {d for d in deps if d != name and not name.startswith(d + ".")}

    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                cycle = [*path[path.index(dep) :], dep]
                pytest.fail("import circle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_long_functions_say_why():
    """No function has more than about 60 lines of code (its docstring aside) unless it
    says why ('Long on purpose: ...'); HousingMarket stays under 250 lines."""
    long = []
    for pkg in (*PACKAGES, "workshop"):
        for path in (ROOT / pkg).rglob("*.py"):
            text = path.read_text()
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.ClassDef) and node.name == "HousingMarket":
                    assert node.end_lineno - node.lineno < 250, "HousingMarket"
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                body = node.body
                first = body[1] if ast.get_docstring(node) and len(body) > 1 else body[0]
                code = node.end_lineno - first.lineno + 1
                source = "\n".join(text.splitlines()[node.lineno - 1 : node.end_lineno])
                if code > 62 and "Long on purpose" not in source:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({code})")
    assert not long, "long functions without a reason:\n" + "\n".join(long)


# The layers of the model, lowest first. A module may import its own package and
# the layers below its own; ``agents`` and the inputs sit side by side on the base.
LAYERS = {
    "model.base": 0,
    "agents": 1,
    "model.inputs": 1,
    "model.supply": 2,
    "model.households": 3,
    "model.asylum": 4,
    "model.allocation": 5,
    "model.reporting": 6,
    "model.start": 7,
    "model.history_cache": 7,
    "model.market_agents": 7,
    "model.market": 8,
    "model": 9,  # the package's own lazy exports
    "experiments": 10,
    "workshop": 11,  # the app reads the command line's comparisons and outcomes
    "app": 12,
}


def _layer(module: str) -> str | None:
    """The layer a module belongs to (the longest matching prefix)."""
    best = None
    for layer in LAYERS:
        if (module == layer or module.startswith(layer + ".")) and (
            best is None or len(layer) > len(best)
        ):
            best = layer
    return best


def _all_imports(path: Path) -> set[tuple[str, int]]:
    """Every project module a file imports, wherever: at module level, under TYPE_CHECKING,
    inside functions (with the line)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {(a.name, node.lineno) for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add((node.module, node.lineno))
    return {(m, line) for m, line in found if _layer(m) is not None}


def layering_violations(root: Path = ROOT) -> list[str]:
    """Imports against the layering: upward, or sideways into another package of the
    same rank."""
    files = [p for pkg in (*PACKAGES, "workshop") for p in (root / pkg).rglob("*.py")]
    out = []
    for path in files:
        own = _layer(_module_name_under(path, root))
        for target, line in sorted(_all_imports(path)):
            theirs = _layer(target)
            if theirs is None or theirs == own:
                continue
            if LAYERS[theirs] >= LAYERS[own]:
                out.append(f"{path.relative_to(root)}:{line} ({own}) imports {target} ({theirs})")
    return out


def _module_name_under(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_imports_follow_the_layers():
    """base <- (agents, inputs) <- supply <- households <- asylum <- allocation <- reporting
    <- start <- market; the command line, then the app, on top (docs/architecture.md)."""
    assert not layering_violations(), "\n".join(layering_violations())


def test_the_layering_test_catches_an_upward_import(tmp_path):
    """A base module that imports the market is reported (the test can fail)."""
    for pkg in (*PACKAGES, "workshop"):
        (tmp_path / pkg).mkdir()
    (tmp_path / "model" / "base").mkdir()
    (tmp_path / "model" / "base" / "bad.py").write_text("from model.market import HousingMarket\n")
    (tmp_path / "agents" / "bad.py").write_text("from model.inputs import policy\n")
    found = layering_violations(tmp_path)
    assert any("model/base/bad.py" in v and "model.market" in v for v in found)
    assert any("agents/bad.py" in v for v in found)
