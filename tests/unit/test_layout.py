"""The code's layout: no import cycles between the app's modules, and every import at the top of
its module (a function-level import hides a cycle)."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "crm_app"


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in APP.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.parse(path.read_text()).body:  # top-level statements only
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("crm_app"):
                for alias in node.names:
                    child = f"{node.module}.{alias.name}"
                    found.add(child if child in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("crm_app"))
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def test_no_import_cycles():
    graph = _imports()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    # a package's __init__ importing its own modules is not a cycle between features
    cycles = [
        c for c in cycles if not any(a.startswith(b + ".") or b.startswith(a + ".") for a, b in itertools.pairwise(c))
    ]
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_imports_are_at_the_top_of_their_module():
    hidden = []
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text())
        top = set(map(id, tree.body))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in top:
                module = getattr(node, "module", None) or node.names[0].name
                if module.startswith("crm_app"):
                    hidden.append(f"{path.relative_to(APP.parent)}:{node.lineno} {module}")
    assert not hidden, "\n".join(hidden)
