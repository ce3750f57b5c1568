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


# The people app's rules, reads and writes: the rest of Plaudit builds on them. The audit
# log is below them too (it imports nothing of Plaudit's), so their services record facts.
PEOPLE_BELOW = ("plaudit.people.", "plaudit.core.", "plaudit.audit.")
PEOPLE_ABOVE = ("plaudit.people.views", "plaudit.people.management")


def test_the_people_app_below_its_doors_depends_on_no_other_feature_app() -> None:
    """Recognition, rewards and the rest import people; people tells them of a change by a
    signal, so an app-level cycle never forms (roster once invalidated recognition's cache
    itself)."""
    graph = import_graph(PLAUDIT)
    upwards = [
        f"{module} imports {imported}"
        for module, imports in sorted(graph.items())
        if module.startswith("plaudit.people") and not module.startswith(PEOPLE_ABOVE)
        for imported in sorted(imports)
        if not f"{imported}.".startswith(PEOPLE_BELOW)
    ]

    assert upwards == []
