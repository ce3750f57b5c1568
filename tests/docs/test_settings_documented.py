"""Every environment variable config/settings.py reads is in README.md's table and .env.example.

Operators configure Plaudit from those two places only, so a setting missing there is a
setting nobody knows about. The variables are found from the code itself: every call
``env(...)``/``env.str(...)``/``env.int(...)``... whose first argument is a string, and
f-string names built inside a ``for`` loop over literal values (``GOOGLE_CLIENT_ID``).
"""

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SETTINGS = REPO / "config" / "settings.py"
README = REPO / "README.md"
ENV_EXAMPLE = REPO / ".env.example"


def _is_env_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not node.args:
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id == "env"
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and (func.value.id == "env")
    )


def _expand(name: ast.JoinedStr, loops: list[ast.For]) -> set[str]:
    """The names an f-string takes for every literal value of its enclosing loops."""
    names = set()
    for loop in loops:
        if not (isinstance(loop.target, ast.Name) and isinstance(loop.iter, (ast.Tuple, ast.List))):
            continue
        values = [item.value for item in loop.iter.elts if isinstance(item, ast.Constant)]
        code = compile(ast.Expression(name), str(SETTINGS), "eval")
        names |= {eval(code, {}, {loop.target.id: value}) for value in values}  # noqa: S307
    return names


def variables_read_by_settings() -> set[str]:
    names: set[str] = set()

    def visit(node: ast.AST, loops: list[ast.For]) -> None:
        if _is_env_call(node):
            assert isinstance(node, ast.Call)
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
            elif isinstance(first, ast.JoinedStr):
                expanded = _expand(first, loops)
                assert expanded, f"cannot tell which variables {ast.unparse(first)} reads"
                names.update(expanded)
        inner = [*loops, node] if isinstance(node, ast.For) else loops
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(ast.parse(SETTINGS.read_text(encoding="utf-8")), [])
    return names


def variables_in_readme_table() -> set[str]:
    """Names in backticks in the first column of the table under "## Configuration"."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Configuration", 1)[1].split("\n## ", 1)[0]
    first_cells = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return set(re.findall(r"`([A-Z][A-Z0-9_]*)`", "\n".join(first_cells)))


def variables_in_env_example() -> set[str]:
    """Names assigned (commented out or not) in .env.example."""
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, re.M))


def test_settings_read_variables_of_every_kind():
    names = variables_read_by_settings()
    assert {"DATABASE_URL", "DEBUG", "WEB_THREADS", "GITHUB_CLIENT_SECRET"} <= names


def test_every_variable_settings_reads_is_in_the_readme_table():
    missing = variables_read_by_settings() - variables_in_readme_table()
    assert not missing, f"add to README.md's settings table: {sorted(missing)}"


def test_every_variable_settings_reads_is_in_env_example():
    missing = variables_read_by_settings() - variables_in_env_example()
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_the_readme_links_the_docs_index_and_the_concept_tour():
    text = README.read_text(encoding="utf-8")
    assert "](docs/index.md)" in text
    assert "](docs/concepts.md)" in text
