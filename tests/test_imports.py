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
