"""Which anchors a linked file defines, so a doc link's ``#anchor`` can be checked.

Doc links name symbols, never line numbers (a line number drifts the moment the file
above it changes, and nothing notices). Each kind of file has one rule:

- Python: a dotted name defined in the file, read with ``ast``: a module-level
  function, class or (annotated) assignment, ``Class.method``, ``Class.ATTRIBUTE``,
  ``Class.Inner.name``, and a string key of a dict literal assigned to one of those
  (``REST_FRAMEWORK.DEFAULT_THROTTLE_RATES``). Names bound under a module- or
  class-level ``if``/``try``/``with`` count; a function's locals do not.
- Markdown: a heading's GitHub slug.
- Makefile: a target (``test:``).
- Shell script (``*.sh`` or a shell shebang): a function (``name() {``).
- TOML: a table or key path (``tool.pytest.ini_options``).
- HTML template: a ``{% block name %}`` or a literal ``id="name"``.

Any other file takes no anchor: a link into it with one fails, as does a line anchor
(``#L92``) anywhere, rather than passing unchecked.
"""

import ast
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tests.docs.markdown import heading_anchors

LINE_ANCHOR = re.compile(r"^L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?$")


@dataclass(frozen=True)
class Symbol:
    """A name a Python file defines: what it is and the lines it spans (decorators included)."""

    kind: str  # "function", "class", "variable" or "key"
    first: int
    last: int


def python_symbols(source: str) -> dict[str, Symbol]:
    """Every dotted name the module defines, by the rule in this module's docstring."""
    symbols: dict[str, Symbol] = {}
    _collect(ast.parse(source).body, "", symbols)
    return symbols


def _collect(body: list[ast.stmt], prefix: str, symbols: dict[str, Symbol]) -> None:
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            kind = "class" if isinstance(node, ast.ClassDef) else "function"
            symbols[prefix + node.name] = Symbol(kind, first, node.end_lineno or node.lineno)
            if isinstance(node, ast.ClassDef):
                _collect(node.body, f"{prefix}{node.name}.", symbols)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets: list[ast.expr] = (
                list(node.targets) if isinstance(node, ast.Assign) else [node.target]
            )
            for name in _bound_names(targets):
                symbols[prefix + name] = Symbol("variable", node.lineno, node.end_lineno or 0)
                _collect_keys(node.value, f"{prefix}{name}.", symbols)
        elif isinstance(node, ast.If | ast.With | ast.For | ast.While):
            _collect(node.body, prefix, symbols)
            _collect(getattr(node, "orelse", []), prefix, symbols)
        elif isinstance(node, ast.Try | ast.TryStar):
            for block in (node.body, node.orelse, node.finalbody):
                _collect(block, prefix, symbols)
            for handler in node.handlers:
                _collect(handler.body, prefix, symbols)


def _bound_names(targets: list[ast.expr]) -> list[str]:
    names = []
    for target in targets:
        if isinstance(target, ast.Name):
            names.append(target.id)
        elif isinstance(target, ast.Tuple | ast.List):
            names.extend(_bound_names(list(target.elts)))
    return names


def _collect_keys(value: ast.expr | None, prefix: str, symbols: dict[str, Symbol]) -> None:
    if not isinstance(value, ast.Dict):
        return
    for key, item in zip(value.keys, value.values, strict=True):
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            symbols[prefix + key.value] = Symbol("key", key.lineno, item.end_lineno or 0)
            _collect_keys(item, f"{prefix}{key.value}.", symbols)


def makefile_targets(text: str) -> set[str]:
    """Names before a rule's colon (``a b: deps``), not variables (``A := 1``)."""
    targets: set[str] = set()
    for match in re.finditer(r"^([A-Za-z0-9_.%/ -]+?)\s*::?(?!=)", text, re.M):
        targets.update(match.group(1).split())
    return targets


def shell_functions(text: str) -> set[str]:
    return set(
        re.findall(r"^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)\s*\{?", text, re.M)
        + re.findall(r"^\s*function\s+([A-Za-z_][\w-]*)", text, re.M)
    )


def toml_paths(text: str) -> set[str]:
    """Every table and key as a dotted path (``project.dependencies``)."""
    paths: set[str] = set()

    def walk(table: dict[str, object], prefix: str) -> None:
        for key, value in table.items():
            paths.add(prefix + key)
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")

    walk(tomllib.loads(text), "")
    return paths


def template_anchors(text: str) -> set[str]:
    blocks = re.findall(r"{%-?\s*block\s+(\w+)", text)
    ids = re.findall(r"""\bid=["']([\w-]+)["']""", text)
    return set(blocks) | set(ids)


def is_shell_script(path: Path, text: str) -> bool:
    return path.suffix == ".sh" or bool(re.match(r"#!.*\b(ba|da|z)?sh\b", text))


def anchors_of(path: Path) -> tuple[str, set[str]] | None:
    """(what the rule checks, the anchors the file defines), or None for a file that takes
    no anchor. Python symbols are read by python_symbols (a dotted name, not a set)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return "heading", heading_anchors(text)
    if path.name == "Makefile":
        return "make target", makefile_targets(text)
    if path.suffix == ".toml":
        return "TOML table or key", toml_paths(text)
    if path.suffix == ".html":
        return "template block or element id", template_anchors(text)
    if is_shell_script(path, text):
        return "shell function", shell_functions(text)
    return None


def anchor_problem(path: Path, anchor: str) -> str | None:
    """Why ``anchor`` does not name something in the existing file ``path``, or None if it does."""
    if path.is_dir():
        return "a directory takes no anchor"
    if path.suffix != ".md" and LINE_ANCHOR.match(anchor):
        return "a line anchor drifts; name the symbol instead"
    if path.suffix == ".py":
        if anchor in python_symbols(path.read_text(encoding="utf-8")):
            return None
        return f"{anchor} is not defined in {path.name}"
    rule = anchors_of(path)
    if rule is None:
        return f"{path.name} takes no anchor (no rule checks one)"
    what, defined = rule
    if anchor in defined:
        return None
    return f"no {what} {anchor!r} in {path.name}"
