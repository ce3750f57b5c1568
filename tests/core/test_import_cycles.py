"""No module of plaudit/ imports itself round about: every package reads top to bottom."""

from pathlib import Path

from tests.import_graph import cycles, import_graph

PLAUDIT = Path(__file__).resolve().parents[2] / "plaudit"


def test_no_module_of_plaudit_imports_itself_through_others() -> None:
    found = cycles(import_graph(PLAUDIT))

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
