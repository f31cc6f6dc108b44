"""The package layering stays true: lower layers never import higher ones, and no two modules
import each other (directly or through a longer circle).

Every ``import`` is read from the source with :mod:`ast` — also the ones inside functions and
under ``TYPE_CHECKING``, since a lazy import is still a dependency of the code that runs it.
The rules are the map in docs/how-it-works.md ("Packages and the direction of data").
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "pgreconcile"

# What each layer must never import. A lower layer never knows the layers above it:
# declarations → model ← catalog; model × model → diff → order → plan → render / apply → cli.
ABOVE_MODEL = ("diff", "order", "plan", "render", "apply", "cli", "declare", "emit", "catalog", "probe", "ddl")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "model": (*ABOVE_MODEL, "normalize"),
    "normalize": tuple(p for p in ABOVE_MODEL if p != "model"),
    "catalog": ("diff", "order", "plan", "render", "apply", "cli", "declare", "emit", "probe", "ddl"),
    "declare": ("diff", "order", "plan", "render", "apply", "cli", "emit", "probe", "ddl"),
    "diff": ("order", "plan", "render", "apply", "cli", "declare", "emit", "catalog"),
    "ddl": ("order", "plan", "render", "apply", "cli", "declare", "emit", "catalog"),
    "order": ("plan", "render", "apply", "cli", "declare", "emit", "catalog"),
    "plan": ("render", "apply", "cli", "declare", "emit"),
    "render": ("apply", "cli", "declare", "emit", "catalog"),
    "apply": ("cli", "declare", "emit"),
    "emit": ("apply", "cli", "render"),
    "fleet": ("cli", "declare", "emit", "render"),
}
# Inside declare/: the language and the YAML reader sit below the sources and the build step.
DECLARE_FORBIDDEN: dict[str, tuple[str, ...]] = {
    "yaml": ("spec", "python", "sql", "build"),
    "spec": ("python", "sql", "build"),
    "python": ("sql", "build"),
    "build": ("python", "sql"),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every pgreconcile module ``path`` imports (``from a import b`` counts ``a.b`` when that is
    a module, else ``a``)."""
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("pgreconcile"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pgreconcile"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    return found


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for name, path in MODULES.items():
        graph.add_node(name)
        for target in _imports(path):
            if target in MODULES and target != name:
                graph.add_edge(name, target)
    return graph


GRAPH = _graph()


def _layer(module: str, depth: int = 1) -> str | None:
    parts = module.split(".")
    return parts[depth] if len(parts) > depth else None


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_lower_layers_never_import_higher_ones(layer: str) -> None:
    wrong = sorted(
        f"{source} imports {target}"
        for source, target in GRAPH.edges
        if _layer(source) == layer and _layer(target) in FORBIDDEN[layer]
    )
    assert not wrong, f"{layer}/ must not import {', '.join(FORBIDDEN[layer])}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("part", sorted(DECLARE_FORBIDDEN))
def test_declare_sources_stay_apart(part: str) -> None:
    wrong = sorted(
        f"{source} imports {target}"
        for source, target in GRAPH.edges
        if source.startswith(f"pgreconcile.declare.{part}")
        and target.startswith("pgreconcile.declare.")
        and _layer(target, 2) in DECLARE_FORBIDDEN[part]
    )
    assert not wrong, "\n".join(wrong)


def test_no_import_circles() -> None:
    # A package's __init__ re-exporting its own modules is not a circle between modules, so
    # edges into an __init__ from inside the same package are left out.
    graph = GRAPH.copy()
    for source, target in list(graph.edges):
        if MODULES[target].name == "__init__.py" and source.startswith(target + "."):
            graph.remove_edge(source, target)
    circles = [c for c in nx.simple_cycles(graph) if len(c) > 1]
    assert not circles, "import circles:\n" + "\n".join(" → ".join([*c, c[0]]) for c in circles[:10])


def test_the_reader_sees_the_whole_package() -> None:
    # The checks above are only as good as the graph: it must hold every module and real edges.
    assert len(MODULES) > 100
    assert GRAPH.has_edge("pgreconcile.diff.compare", "pgreconcile.diff.changes")
    assert GRAPH.has_edge("pgreconcile.declare.build.tables", "pgreconcile.declare.build.references")


def test_every_package_says_what_it_owns() -> None:
    missing = sorted(
        name
        for name, path in MODULES.items()
        if path.name == "__init__.py" and ast.get_docstring(ast.parse(path.read_text("utf-8"))) is None
    )
    assert not missing, "packages without a docstring in __init__.py: " + ", ".join(missing)
