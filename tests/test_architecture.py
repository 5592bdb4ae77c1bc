"""The package reads as the pipeline: imports go one way, from the CLI down to the shared types.

Each stage is a package with a rank; a module may import modules of lower-ranked packages and
of its own package, never of a higher one, and no two modules may reach each other through
imports (lazy imports inside functions count: a loop is a loop even when it only bites at run
time). Walked with ``ast``, so adding a dependency is not needed to keep the house in order.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "vocmine"

# Lowest first. The shared types sit at the bottom; every stage may use them.
RANKS: dict[str, int] = {
    "": 0,  # vocmine/__init__.py, errors, models, config, project
    "sources": 1,
    "prepare": 2,
    "store": 3,
    "taxonomy": 4,
    "themes": 5,
    "pipeline": 6,
    "measure": 7,
    "report": 8,
    "cli": 9,
}
MAX_LINES = 650  # "~600": a module that grows past this wants splitting, not a longer limit


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def stage(module: str) -> str:
    """The stage package a module belongs to ('' for the shared modules at the top level)."""
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in RANKS and (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return ""


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every vocmine module that ``module`` imports, at the top or inside a function."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "vocmine")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "vocmine":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in modules else base)
    return {m for m in found if m in modules and m != module}


def dangling_imports(path: Path, modules: dict[str, Path]) -> list[str]:
    """Imports of ``vocmine.X`` modules that do not exist (mypy's ignore_missing_imports hides them)."""
    missing = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [node.module]
        missing += [n for n in names if n.split(".")[0] == "vocmine" and n not in modules]
    return missing


def graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {m: imports_of(m, p, modules) for m, p in modules.items()}


def test_every_stage_is_a_package_in_the_rank_table() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(RANKS) - {""}


def test_every_vocmine_import_names_a_module() -> None:
    modules = all_modules()
    roots = [
        PACKAGE,
        PACKAGE.parent / "tests",
        PACKAGE.parent / "bench",
        PACKAGE.parent / "examples",
    ]
    files = [p for root in roots if root.is_dir() for p in sorted(root.rglob("*.py"))]
    assert [f"{p.name}: {m}" for p in files for m in dangling_imports(p, modules)] == []


def test_imports_never_run_up_the_pipeline() -> None:
    upward = []
    for module, targets in graph().items():
        for target in targets:
            if target == "vocmine":  # the package root holds only __version__
                continue
            if RANKS[stage(target)] > RANKS[stage(module)]:
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_no_import_loops() -> None:
    edges = graph()
    loops: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                loops.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    assert loops == []


def test_the_test_sees_a_loop_and_an_upward_import(tmp_path: Path) -> None:
    # The walker itself must catch what it is for: a planted lazy import from the store up to
    # the report, which would also close a loop report -> store -> report.
    store = PACKAGE / "store" / "store.py"
    tree = ast.parse(
        store.read_text(encoding="utf-8") + "\ndef _x():\n    from vocmine.report import build\n"
    )
    planted = tmp_path / "store.py"
    planted.write_text(ast.unparse(tree), encoding="utf-8")
    found = imports_of("vocmine.store.store", planted, all_modules())
    assert "vocmine.report.build" in found
    assert RANKS[stage("vocmine.report.build")] > RANKS[stage("vocmine.store.store")]


@pytest.mark.parametrize("module", sorted(all_modules()))
def test_modules_stay_small(module: str) -> None:
    lines = len(all_modules()[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines: split it by what its parts do"


def test_public_functions_have_docstrings() -> None:
    missing = []
    for module, path in all_modules().items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            public = isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name[0] != "_"
            if public and not module.startswith("vocmine.cli") and not ast.get_docstring(node):
                missing.append(f"{module}.{node.name}")
    assert missing == []
