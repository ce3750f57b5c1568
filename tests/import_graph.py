"""Plaudit's import graph, read from the source: every import statement, including those
inside functions (which hide a cycle from Python but not from a reader), and those under
``TYPE_CHECKING``.

A stdlib ``ast`` walk rather than import-linter: the rule is one (no cycle; within the
events package, layers), and the graph is thirty lines without a dependency.
"""

import ast
from pathlib import Path

Graph = dict[str, set[str]]


def module_names(root: Path) -> dict[str, Path]:
    """``plaudit.events.dispatch`` → its file, for every module under ``root``."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _imported(node: ast.AST, *, module: str, is_package: bool) -> list[str]:
    """What one import statement names, as dotted paths (a module or an attribute of one)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:  # relative: from the module's package, one level up per extra dot
        package = module.split(".") if is_package else module.split(".")[:-1]
        anchor = package[: len(package) - (node.level - 1)]
        base = ".".join([*anchor, node.module] if node.module else anchor)
    else:
        base = node.module or ""
    return [f"{base}.{alias.name}" for alias in node.names]


def import_graph(root: Path) -> Graph:
    """Each module of the package at ``root`` and the modules of that package it imports."""
    modules = module_names(root)
    graph: Graph = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            for dotted in _imported(node, module=name, is_package=is_package):
                while dotted and dotted not in modules:  # an attribute: its module
                    dotted = dotted.rpartition(".")[0]
                if dotted and dotted not in (name, root.name):
                    imported.add(dotted)
        graph[name] = imported
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """Every set of modules that import each other, directly or round about (Tarjan)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        for other in sorted(graph.get(module, ())):
            if other not in index:
                visit(other)
                lowest[module] = min(lowest[module], lowest[other])
            elif other in stack:
                lowest[module] = min(lowest[module], index[other])
        if lowest[module] == index[module]:
            component = []
            while (top := stack.pop()) != module:
                component.append(top)
            component.append(module)
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found
