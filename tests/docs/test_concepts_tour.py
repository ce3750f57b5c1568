"""The concept tour answers every topic, in the topic list's order, and no doc link is dead.

``docs/topics.md`` is the topic list (a copy of the product's ``topics.md``); its
questions sit in one ```text block, grouped under section lines such as
"1. Django Fundamentals" or "🔹 6. Django REST Framework (DRF)". ``docs/concepts.md``
must have a heading with the exact text of every section and every question, in the
same order, repeated questions included, each question below its section; every
answer must link to Plaudit's code (not only to tests or docs), so no answer can stay a
placeholder.
"""

import re
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
TOPICS = DOCS / "topics.md"
CONCEPTS = DOCS / "concepts.md"

SECTION, QUESTION = "section", "question"
LINK = re.compile(r"\[[^\]]*\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)")
LINE_ANCHOR = re.compile(r"^L(\d+)(?:-L(\d+))?$")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE_SPAN = re.compile(r"`[^`\n]*`")
CODE_LINK_TEXT = re.compile(r"\[`([^`\]\n]*)`\]")


def without_code(markdown: str) -> str:
    """The prose: fences and code spans gone, but a link named in code, [`name`](...),
    kept as [name](...) so its name can be checked against its target."""
    return CODE_SPAN.sub("", CODE_LINK_TEXT.sub(r"[\1]", FENCE.sub("", markdown)))


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


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, text) of every ATX heading outside fenced code blocks."""
    text = FENCE.sub("", markdown)
    return [
        (len(match.group(1)), match.group(2).strip())
        for match in re.finditer(r"^(#{1,6})\s+(.+?)\s*#*\s*$", text, re.M)
    ]


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
    body = "[t](../tests/core/test_health.py#L3) · [a](architecture.md) · [c](../pyproject.toml)"
    assert links_to_code(body) == []
    assert links_to_code("[m](../Makefile#L20) · [v](../plaudit/core/text.py)") == [
        "../Makefile#L20",
        "../plaudit/core/text.py",
    ]


def relative_links(markdown: str) -> list[str]:
    """Targets of inline links that point into the repository (not URLs or in-page)."""
    text = without_code(markdown)
    return [
        target
        for target in LINK.findall(text)
        if target and not target.startswith("#") and not re.match(r"^[a-z][a-z0-9+.-]*:", target)
    ]


DOCUMENTS = [REPO / "README.md", *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(REPO)))
def test_every_relative_link_points_to_an_existing_file_and_line(document):
    dead = []
    for target in relative_links(document.read_text(encoding="utf-8")):
        path, _, fragment = target.partition("#")
        resolved = (document.parent / path).resolve()
        if not resolved.exists():
            dead.append(f"{target}: no such file")
            continue
        anchor = LINE_ANCHOR.match(fragment)
        if anchor and resolved.is_file():
            length = len(resolved.read_text(encoding="utf-8").splitlines())
            lines = [int(number) for number in anchor.groups() if number]
            if any(not 1 <= line <= length for line in lines):
                dead.append(f"{target}: {resolved.name} has {length} lines")
    assert not dead, f"dead links in {document.relative_to(REPO)}:\n" + "\n".join(dead)


# [name], [`name`], [name()] or [Class.name]: the last name must be on the linked line.
NAMED_LINE = re.compile(
    r"\[`?(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)(?:\(\))?`?\]\(([^()\s#]+\.py)#L(\d+)(?:-L(\d+))?\)"
)


def definitions(name: str, lines: list[str]) -> list[int]:
    """Line numbers where ``name`` is defined: a def, a class, an assignment, a dict key."""
    pattern = re.compile(
        rf"^\s*(?:async\s+)?(?:def|class)\s+{name}\b|^\s*{name}\s*(?::[^=]*)?=|^\s*\"{name}\":"
    )
    return [number for number, line in enumerate(lines, 1) if pattern.search(line)]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(REPO)))
def test_a_link_named_after_a_symbol_points_at_its_line(document):
    """``[entries_for](../plaudit/ledger/selectors.py#L91)`` must land on entries_for,
    within a decorator's reach, not wherever it was before the file grew."""
    drifted = []
    for match in NAMED_LINE.finditer(without_code(document.read_text())):
        name, path, start, end = match.group(1), match.group(2), int(match.group(3)), match[4]
        source = (document.parent / path).resolve()
        if not source.is_file():
            continue  # reported by the dead-link test
        lines = source.read_text(encoding="utf-8").splitlines()
        defined = definitions(name, lines)
        last = int(end) if end else start + 3
        if defined and not any(re.search(rf"\b{name}\b", line) for line in lines[start - 1 : last]):
            drifted.append(f"{match.group(0)}: {name} is at line {' or '.join(map(str, defined))}")
    assert not drifted, f"links in {document.relative_to(REPO)} that drifted:\n" + "\n".join(
        drifted
    )


def test_links_are_found_even_with_code_in_their_text_but_not_inside_code():
    sample = "[`handler`](../config/urls.py#L3), [gone](../nowhere.py) and `[no](x.py)`"
    assert relative_links(sample) == ["../config/urls.py#L3", "../nowhere.py"]


def test_the_docs_index_lists_every_file_in_docs():
    index = DOCS / "index.md"
    linked = {
        (DOCS / target.partition("#")[0]).resolve()
        for target in relative_links(index.read_text(encoding="utf-8"))
    }
    files = {path.resolve() for path in DOCS.rglob("*") if path.is_file() and path != index}
    unlisted = sorted(str(path.relative_to(DOCS)) for path in files - linked)
    assert not unlisted, f"docs/index.md does not list: {unlisted}"
