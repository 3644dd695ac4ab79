"""The layering contract: stage packages import only downward, with no import circle.

Every import in ``src/mali_map`` is read from the syntax tree, function-level and
``TYPE_CHECKING`` imports included, so an upward import that hides in a function body
fails here. See ARCHITECTURE.md for the diagram this test enforces.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "mali_map"

#: Stage packages from the bottom up; packages on one rank are independent of each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("_core",),
    ("_reference",),
    ("_geo", "_read"),
    ("_join",),
    ("_measure",),
    ("_render", "_outputs"),
    ("_snapshot",),
    ("_build",),
    ("_cli",),
    ("",),  # the public package: mali_map/__init__.py, __main__.py
)
#: Sub-stages of one package that must not import each other.
INDEPENDENT: tuple[tuple[str, ...], ...] = (("_render.html", "_render.static"),)

RANK = {pkg: rank for rank, names in enumerate(LAYERS) for pkg in names}


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every relative or ``mali_map`` import in a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name[len("mali_map."):] for a in node.names
                       if a.name.startswith("mali_map.")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                module = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and (node.module == "mali_map"
                                  or node.module.startswith("mali_map.")):
                module = node.module[len("mali_map."):] if "." in node.module else ""
            else:
                continue
            # `from pkg import submodule` imports the submodule
            targets = [f"{module}.{a.name}".lstrip(".") if f"{module}.{a.name}".lstrip(".")
                       in MODULES else module for a in node.names]
        else:
            continue
        out += [(node.lineno, t) for t in dict.fromkeys(targets) if t in MODULES]
    return out


def _stage(module: str) -> str:
    """The stage package a module belongs to: ``_geo._lookup`` -> ``_geo``."""
    return module.split(".")[0] if module.split(".")[0] in RANK else ""


def _substage(module: str) -> str:
    for group in INDEPENDENT:
        for sub in group:
            if module == sub or module.startswith(sub + "."):
                return sub
    return ""


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_every_module_belongs_to_a_stage() -> None:
    stray = [m for m in MODULES if m and m.split(".")[0] not in RANK and m != "__main__"]
    assert not stray, f"modules outside the stage packages: {stray}"


def test_imports_only_go_down() -> None:
    wrong = []
    for name, edges in GRAPH.items():
        for line, target in edges:
            src, dst = _stage(name), _stage(target)
            if src == dst:
                a, b = _substage(name), _substage(target)
                if a and b and a != b:
                    wrong.append(f"{name}:{line} -> {target} (independent renderers)")
                continue
            if RANK[dst] >= RANK[src]:
                wrong.append(f"{name}:{line} -> {target} ({src or 'mali_map'} may not "
                             f"import {dst or 'mali_map'})")
    assert not wrong, "\n".join(wrong)


def test_other_packages_are_reached_through_their_init() -> None:
    wrong = []
    for name, edges in GRAPH.items():
        for line, target in edges:
            src, dst = _stage(name), _stage(target)
            if src == dst:
                continue
            # a stage is reached as the package itself (or one of its sub-packages)
            if target != dst and target not in {s for g in INDEPENDENT for s in g}:
                wrong.append(f"{name}:{line} -> {target} (import from mali_map.{dst})")
    assert not wrong, "\n".join(wrong)


def test_no_import_circle() -> None:
    """Tarjan's strongly connected components over every import, function-level too."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for _, nxt in GRAPH.get(node, []):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in GRAPH:
        if node not in index:
            visit(node)
    assert not circles, f"import circles: {circles}"


@pytest.mark.parametrize("package", sorted(m for m, p in MODULES.items()
                                           if p.name == "__init__.py"))
def test_packages_declare_their_public_names(package: str) -> None:
    tree = ast.parse(MODULES[package].read_text("utf-8"))
    names = {t.id for node in tree.body if isinstance(node, ast.Assign)
             for t in node.targets if isinstance(t, ast.Name)}
    assert "__all__" in names, f"mali_map.{package} has no __all__"


def test_the_contract_sees_an_upward_import_in_a_function(tmp_path) -> None:
    """The checker itself: a function-level upward import is found."""
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from ..._cli import run\n    return run\n")
    MODULES["_core._probe"] = module
    try:
        edges = _imports("_core._probe", module)
    finally:
        del MODULES["_core._probe"]
    assert edges == [(2, "_cli")]
