"""The events package in layers: the work starts no task, and nothing imports upwards.

Mirrors the layers table in docs/architecture.md ("Events and side effects"); a new
module takes its place here.
"""

from pathlib import Path

from tests.import_graph import import_graph

GRAPH = import_graph(Path(__file__).resolve().parents[2] / "plaudit")
EVENTS = {
    module: imports
    for module, imports in GRAPH.items()
    if module.startswith("plaudit.events.") and ".migrations" not in module
}

LAYERS = [
    # What the rest of Plaudit calls, and what queues tasks after a commit.
    {"admin", "apps", "consumers", "outbox", "routing", "selectors", "serializers"}
    | {"services", "subscribers", "views"},
    # Celery adapters: an id in, one call below.
    {"tasks"},
    # The work: offer events to consumers, one webhook attempt, one email.
    {"dispatch", "emails", "webhooks"},
    # What the work uses.
    {"backoff", "messages", "realtime", "signals"},
    # Data.
    {"errors", "models", "payloads"},
]


def _layer_of(module: str) -> int:
    name = module.removeprefix("plaudit.events.")
    return next(depth for depth, layer in enumerate(LAYERS) if name in layer)


def test_each_module_of_the_events_package_has_a_layer() -> None:
    assert {module.removeprefix("plaudit.events.") for module in EVENTS} == set().union(*LAYERS)


def test_no_module_of_the_events_package_imports_one_of_a_layer_above_it() -> None:
    upwards = [
        f"{module} imports {imported}"
        for module, imports in EVENTS.items()
        for imported in imports & EVENTS.keys()
        if _layer_of(imported) < _layer_of(module)
    ]

    assert upwards == []
