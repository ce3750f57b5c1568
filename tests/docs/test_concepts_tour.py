"""The concept tour answers every topic, in the topic list's order, and shows and proves
each answer.

``docs/topics.md`` is the topic list (a copy of the product's ``topics.md``); its
questions sit in one ```text block, grouped under section lines such as
"1. Django Fundamentals" or "🔹 6. Django REST Framework (DRF)". ``docs/concepts.md``
must have a heading with the exact text of every section and every question, in the
same order, repeated questions included, each question below its section. Every answer
links to Plaudit's code (not only to tests or docs), so no answer can stay a
placeholder, and to at least one test function under ``tests/`` that proves it, by
its name (``test_redeem.py#test_redeeming_debits_the_cost_and_takes_one_from_stock``).
There is no exemption: an answer about Django itself links the test that exercises the
code it cites. That each anchor names a symbol the file defines is checked, for every
doc, by ``test_doc_links.py``.
"""

import re
from collections import Counter
from pathlib import Path

from tests.docs.anchors import python_symbols
from tests.docs.markdown import FENCE, headings, relative_links

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
TESTS = REPO / "tests"
TOPICS = DOCS / "topics.md"
CONCEPTS = DOCS / "concepts.md"

SECTION, QUESTION = "section", "question"


def topic_list() -> list[tuple[str, str]]:
    """(kind, text) for every non-blank line of the topic list's code block.

    A section line starts with an emoji or a number ("1. ..."), or follows a section
    line directly ("Common Django Logic-based Coding" under "🅳 CODING ...");
    every other line is a question.
    """
    block = re.search(r"```text\n(.*?)```", TOPICS.read_text(encoding="utf-8"), re.S)
    assert block, f"{TOPICS} has no ```text block"
    items: list[tuple[str, str]] = []
    previous_was_section = False
    for raw in block.group(1).splitlines():
        line = raw.strip()
        if not line:
            previous_was_section = False
            continue
        is_section = (
            not line[0].isascii() or bool(re.match(r"\d+\.\s", line)) or previous_was_section
        )
        items.append((SECTION if is_section else QUESTION, line))
        previous_was_section = is_section
    return items


def test_the_topic_list_parses_into_sections_and_their_questions():
    kinds = [kind for kind, _ in topic_list()]
    assert kinds[0] == SECTION, "the list starts with a section"
    assert kinds[-1] == QUESTION, "the last section has questions"
    assert kinds.count(QUESTION) > kinds.count(SECTION)


def test_every_topic_has_its_exact_heading_in_the_tour_in_order():
    expected = [text for _, text in topic_list()]
    wanted = set(expected)
    found = [text for _, text in headings(CONCEPTS.read_text(encoding="utf-8")) if text in wanted]

    missing = Counter(expected) - Counter(found)
    assert not missing, f"headings missing from docs/concepts.md: {sorted(missing)}"
    extra = Counter(found) - Counter(expected)
    assert not extra, f"topic headings repeated too often in docs/concepts.md: {sorted(extra)}"
    for position, (want, got) in enumerate(zip(expected, found, strict=True)):
        assert want == got, f"heading {position + 1} out of order: expected {want!r}, got {got!r}"


def test_each_question_is_a_lower_level_heading_than_its_section():
    kind_of = {text: kind for kind, text in topic_list()}
    section_level = None
    for level, text in headings(CONCEPTS.read_text(encoding="utf-8")):
        if kind_of.get(text) == SECTION:
            section_level = level
        elif kind_of.get(text) == QUESTION:
            assert section_level is not None, f"{text!r} comes before any section"
            assert level > section_level, f"{text!r} is not below its section heading"


# Where Plaudit's code lives: a link into one of these is a link to code (tests are not);
# exercises/ holds the tour's coding exercises, answered in code of their own.
CODE_ROOTS = (
    "plaudit/",
    "config/",
    "templates/",
    "static/",
    "deploy/",
    "bench/",
    "exercises/",
    "Makefile",
)


def answers(markdown: str) -> list[tuple[str, str]]:
    """(question, the text up to the next heading) for every question heading of the tour."""
    kind_of = {text: kind for kind, text in topic_list()}
    pieces = re.split(r"^(#{1,6}\s+.+?)\s*#*\s*$", FENCE.sub("", markdown), flags=re.M)
    found = []
    for heading, body in zip(pieces[1::2], pieces[2::2], strict=True):
        text = heading.lstrip("#").strip()
        if kind_of.get(text) == QUESTION:
            found.append((text, body))
    return found


def links_to_code(body: str) -> list[str]:
    """Targets of the body's links that resolve, from docs/, to a file under a code root."""
    code = []
    for target in relative_links(body):
        path = (DOCS / target.partition("#")[0]).resolve()
        if not path.is_relative_to(REPO):
            continue
        relative = path.relative_to(REPO).as_posix()
        if any(relative == root or relative.startswith(root) for root in CODE_ROOTS):
            code.append(target)
    return code


def test_every_answer_links_to_code_that_shows_it():
    tour = answers(CONCEPTS.read_text(encoding="utf-8"))
    assert len(tour) == [kind for kind, _ in topic_list()].count(QUESTION)
    without_code = [question for question, body in tour if not links_to_code(body)]
    assert not without_code, "answers with no link to code (plaudit/, config/, ...):\n" + "\n".join(
        without_code
    )


def test_no_answer_is_left_as_a_placeholder():
    placeholders = [
        question
        for question, body in answers(CONCEPTS.read_text(encoding="utf-8"))
        if re.search(r"\blands? with\b", body, re.I)
    ]
    assert not placeholders, f"answers still waiting for their code: {placeholders}"


def test_a_link_to_a_test_or_another_doc_is_not_a_link_to_code():
    body = "[t](../tests/core/test_health.py#test_health_answers_while_the_process_serves)"
    assert links_to_code(f"{body} · [a](architecture.md) · [c](../pyproject.toml)") == []
    assert links_to_code("[m](../Makefile#test) · [v](../plaudit/ledger/services.py)") == [
        "../Makefile#test",
        "../plaudit/ledger/services.py",
    ]


def links_to_tests(body: str, *, docs: Path = DOCS, tests: Path = TESTS) -> list[str]:
    """Targets of the body's links that name a test function in a test module under tests/:
    ``test_x.py#test_y`` or ``test_x.py#TestClass.test_y``; a fixture, a helper, a
    function in a module pytest does not collect (``conftest.py``, ``factories.py``) or a
    whole file is not a test that proves anything."""
    found = []
    for target in relative_links(body):
        path, _, anchor = target.partition("#")
        source = (docs / path).resolve()
        if not (source.is_relative_to(tests.resolve()) and source.is_file()):
            continue
        if not (source.name.startswith("test_") and source.suffix == ".py"):
            continue
        symbol = python_symbols(source.read_text(encoding="utf-8")).get(anchor)
        if symbol and symbol.kind == "function" and anchor.rpartition(".")[2].startswith("test"):
            found.append(target)
    return found


def test_every_answer_links_a_test_that_proves_it():
    tour = answers(CONCEPTS.read_text(encoding="utf-8"))
    unproven = [question for question, body in tour if not links_to_tests(body)]
    assert not unproven, "answers with no link to a test function under tests/:\n" + "\n".join(
        unproven
    )


def test_only_a_link_naming_a_test_function_counts_as_a_test():
    here = "../tests/docs/test_concepts_tour.py"
    proving = f"{here}#test_only_a_link_naming_a_test_function_counts_as_a_test"
    body = (
        f"[file]({here}) · [helper]({here}#links_to_tests) · [constant]({here}#QUESTION)"
        f" · [gone]({here}#test_that_does_not_exist) · [code](../plaudit/ledger/services.py)"
        f" · [the test]({proving})"
    )
    assert links_to_tests(body) == [proving]


def test_a_test_named_function_outside_a_test_module_is_not_a_test(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "tests").mkdir()
    function = "def test_redeeming_debits_the_cost():\n    pass\n"
    for module in ("test_redeem.py", "conftest.py", "factories.py"):
        (tmp_path / "tests" / module).write_text(function)
    body = " · ".join(
        f"[test](../tests/{module}#test_redeeming_debits_the_cost)"
        for module in ("conftest.py", "factories.py", "test_redeem.py")
    )

    found = links_to_tests(body, docs=tmp_path / "docs", tests=tmp_path / "tests")

    assert found == ["../tests/test_redeem.py#test_redeeming_debits_the_cost"]


def test_the_docs_index_lists_every_file_in_docs():
    index = DOCS / "index.md"
    linked = {
        (DOCS / target.partition("#")[0]).resolve()
        for target in relative_links(index.read_text(encoding="utf-8"))
    }
    files = {path.resolve() for path in DOCS.rglob("*") if path.is_file() and path != index}
    unlisted = sorted(str(path.relative_to(DOCS)) for path in files - linked)
    assert not unlisted, f"docs/index.md does not list: {unlisted}"
