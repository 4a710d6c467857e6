"""House rules of the package: imports follow the pipeline, never back and never in a circle; small modules."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

import routinecast

PACKAGE = Path(routinecast.__file__).parent
# Shared base modules, then the stages in pipeline order, then the API and the command line.
ORDER = (
    ("errors", "units", "formats", "options", "model", "version", "cache", "claims", "signals", "pool"),
    ("read",),
    ("script",),
    ("speech",),
    ("sound",),
    ("mix",),
    ("write",),
    ("publish",),
    ("settings", "build"),
    ("batch", "cluster", "publishing", "starter", "progress", "reports", "watch"),
    ("arguments", "cli"),
    ("__init__", "__main__"),
)
MAX_LINES = 300


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name (the package's own name first) -> file, for every module under ``root``."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(root: Path) -> dict[str, set[str]]:
    """What each module imports from its own package, at any depth (function-level imports too)."""
    known = modules(root)
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                module = ".".join([*base, *([node.module] if node.module else [])])
                # "from . import loudness" imports a module, not a name of the package
                submodules = {f"{module}.{alias.name}" for alias in node.names} & known.keys()
                targets.update(submodules)
                if len(submodules) < len(node.names):
                    targets.add(module)
        graph[name] = {t for t in targets if t in known and t != name}
    return graph


def rank(name: str) -> int:
    """Where a module stands in ``ORDER``: the stage of its first name below the package."""
    parts = name.split(".")
    first = parts[1] if len(parts) > 1 else "__init__"
    return next(i for i, group in enumerate(ORDER) if first in group)


def backward(graph: dict[str, set[str]]) -> list[str]:
    """Imports that point from an earlier stage to a later one."""
    return sorted(f"{a} -> {b}" for a, targets in graph.items() for b in targets if rank(b) > rank(a))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle, each as the modules on it (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_imports_follow_the_pipeline():
    graph = imports(PACKAGE)
    assert "routinecast.write.parts" in graph and "routinecast.mix.mixer" in graph["routinecast.write.parts"]
    assert backward(graph) == []
    assert cycles(graph) == []


def test_every_module_is_small_and_every_stage_is_a_folder():
    sizes = {name: len(path.read_text().splitlines()) for name, path in modules(PACKAGE).items()}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
    top = {path.name for path in PACKAGE.iterdir() if path.is_dir() and not path.name.startswith("__")}
    assert top == {group[0] for group in ORDER[1:8]} | {"routines"}  # routines: the shipped YAML, no code
    assert not list((PACKAGE / "routines").rglob("*.py"))


@pytest.fixture
def toy(tmp_path):
    """A package with a circle inside a stage and a backward import (read -> write)."""
    root = tmp_path / "routinecast"
    files = {
        "__init__.py": "",
        "errors.py": "",
        "read/__init__.py": "",
        "read/document.py": "from . import fields\nfrom ..errors import X\n",
        "read/fields.py": "def f():\n    from .document import Document\n",
        "write/__init__.py": "",
        "write/mp3.py": "",
        "read/late.py": "from routinecast.write import mp3\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    return root


def test_the_checks_catch_a_circle_and_a_backward_import(toy):
    graph = imports(toy)
    assert cycles(graph) == [["routinecast.read.document", "routinecast.read.fields"]]
    assert backward(graph) == ["routinecast.read.late -> routinecast.write.mp3"]
