"""No module of plaudit/ imports itself round about: every package reads top to bottom."""

from pathlib import Path

from tests.import_graph import cycles, import_graph

PLAUDIT = Path(__file__).resolve().parents[2] / "plaudit"

# Issue 24 splits plaudit/imports/services.py into a package by job; until then its
# services and tasks import each other (the one from inside a function). Remove this
# with that split.
BEING_UNTANGLED = "plaudit.imports."


def test_no_module_of_plaudit_imports_itself_through_others() -> None:
    found = [
        cycle
        for cycle in cycles(import_graph(PLAUDIT))
        if not all(module.startswith(BEING_UNTANGLED) for module in cycle)
    ]

    assert found == [], "These modules import each other (in a function or not): " + "; ".join(
        " ↔ ".join(cycle) for cycle in found
    )


def test_an_import_hidden_inside_a_function_still_counts(tmp_path: Path) -> None:
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "orders.py").write_text("from .tasks import send\n")
    (package / "tasks.py").write_text("def send():\n    from shop import orders\n")
    (package / "mail.py").write_text("from . import orders\n")

    assert cycles(import_graph(package)) == [["shop.orders", "shop.tasks"]]
