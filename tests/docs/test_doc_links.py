"""No link in the README or docs/ is dead: each leads to an existing file and, when it
has an anchor, to a symbol, heading or target that file defines today.

Links name symbols, not line numbers:
``[post_transaction](../plaudit/ledger/services.py#post_transaction)``,
``#RewardViewSet.list`` for a method, ``#INSTALLED_APPS`` for a setting, a test
function's name for a test. ``tests/docs/anchors.py`` has the rule for each kind of
file; an anchor no rule can check fails. The second half of this module proves the
rules catch what they are for: a missing symbol, a line anchor, a symbol that moved.
"""

import ast
import re
from pathlib import Path

import pytest

from tests.docs.anchors import anchor_problem, python_symbols
from tests.docs.markdown import github_slug, heading_anchors, links, relative_links

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
DOCUMENTS = [REPO / "README.md", *sorted(DOCS.glob("*.md"))]

# [name], [`name`], [name()] or [`Class.name`]: link text that is a bare Python name.
NAMED = re.compile(r"^`?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?:\(\))?`?$")


def link_problems(document: Path) -> list[str]:
    """What is wrong with each of the document's relative links, one line each."""
    problems = []
    for target in relative_links(document.read_text(encoding="utf-8")):
        path, _, anchor = target.partition("#")
        resolved = (document.parent / path).resolve() if path else document
        if not resolved.exists():
            problems.append(f"{target}: no such file")
        elif anchor and (problem := anchor_problem(resolved, anchor)):
            problems.append(f"{target}: {problem}")
    return problems


def misnamed_links(document: Path) -> list[str]:
    """Links whose text names one symbol of the linked Python file and whose anchor
    another: ``[entries_for](selectors.py#ledger_problems)``."""
    misnamed = []
    for text, target in links(document.read_text(encoding="utf-8")):
        path, _, anchor = target.partition("#")
        named = NAMED.match(text.strip())
        source = (document.parent / path).resolve()
        if not (named and anchor and path.endswith(".py") and source.is_file()):
            continue
        name = named.group(1)
        if name == anchor or anchor.endswith(f".{name}"):
            continue
        if name in python_symbols(source.read_text(encoding="utf-8")):
            misnamed.append(f"[{text}]({target}): the text names {name}")
    return misnamed


# [`entry_not_zero`] or [award_not_to_self]: link text that can be a constraint's name.
SNAKE_NAME = re.compile(r"^`?([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`?$")
NAMED_LISTS = ("Meta.constraints", "Meta.indexes")


def named_in_meta(source: str) -> dict[str, set[str]]:
    """``Class.Meta.constraints`` (and ``.indexes``) → the ``name=`` each item of it gives."""
    found: dict[str, set[str]] = {}
    for model in ast.walk(ast.parse(source)):
        if not isinstance(model, ast.ClassDef):
            continue
        for meta in model.body:
            if not (isinstance(meta, ast.ClassDef) and meta.name == "Meta"):
                continue
            for statement in meta.body:
                if not isinstance(statement, ast.Assign):
                    continue
                names = {
                    keyword.value.value
                    for keyword in ast.walk(statement.value)
                    if isinstance(keyword, ast.keyword)
                    and keyword.arg == "name"
                    and isinstance(keyword.value, ast.Constant)
                    and isinstance(keyword.value.value, str)
                }
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        found[f"{model.name}.Meta.{target.id}"] = names
    return found


def defined_constraint_names(root: Path) -> set[str]:
    """Every constraint and index name the models under ``root`` define."""
    return {
        name
        for models in root.rglob("models.py")
        for names in named_in_meta(models.read_text(encoding="utf-8")).values()
        for name in names
    }


def constraint_link_problems(document: Path, constraints: set[str]) -> list[str]:
    """Links whose text names a database constraint (or index) that the list they point
    at does not define: ``[`entry_not_zero`](models.py#Account.Meta.constraints)``, or a
    constraint's name linked to anything but its model's ``Meta`` list."""
    problems = []
    for text, target in links(document.read_text(encoding="utf-8")):
        named = SNAKE_NAME.match(text.strip())
        path, _, anchor = target.partition("#")
        if not named or not (named.group(1) in constraints or anchor.endswith(NAMED_LISTS)):
            continue
        name, source = named.group(1), (document.parent / path).resolve()
        if not (anchor.endswith(NAMED_LISTS) and source.suffix == ".py" and source.is_file()):
            problems.append(f"[{text}]({target}): link a constraint to its Model.Meta.constraints")
        elif name not in named_in_meta(source.read_text(encoding="utf-8")).get(anchor, set()):
            problems.append(f"[{text}]({target}): {anchor} defines no {name}")
    return problems


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(REPO)))
def test_a_link_named_after_a_constraint_points_at_the_list_that_defines_it(document):
    problems = constraint_link_problems(document, defined_constraint_names(REPO / "plaudit"))
    assert not problems, f"links in {document.relative_to(REPO)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(REPO)))
def test_every_link_leads_to_an_existing_file_and_the_symbol_it_names(document):
    problems = link_problems(document)
    assert not problems, f"dead links in {document.relative_to(REPO)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(REPO)))
def test_a_link_named_after_a_symbol_anchors_that_symbol(document):
    misnamed = misnamed_links(document)
    assert not misnamed, f"links in {document.relative_to(REPO)}:\n" + "\n".join(misnamed)


# --- The rules themselves, on files written for the purpose -------------------------

MODULE = '''\
"""A module."""
import os

LIMIT = 3
RATE: int = 5
first, second = 1, 2
SETTINGS = {"CACHE": {"default": {"TIMEOUT": 1}}, "PAGE_SIZE": 20}

if os.environ.get("X"):
    OPTIONAL = True


@decorated
def post_transaction(amount):
    local = amount
    def inner():
        return local
    return inner


class RewardViewSet:
    ordering = ["cost"]

    def list(self):
        return []

    class Meta:
        fields = ["name"]
'''


@pytest.fixture
def repo(tmp_path):
    """A docs/ page beside a package, as in the real repository."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "services.py").write_text(MODULE)
    return tmp_path


def problems_of(repo: Path, markdown: str) -> list[str]:
    page = repo / "docs" / "page.md"
    page.write_text(markdown)
    return link_problems(page)


@pytest.mark.parametrize(
    "anchor",
    [
        "post_transaction",
        "RewardViewSet",
        "RewardViewSet.list",
        "RewardViewSet.ordering",
        "RewardViewSet.Meta.fields",
        "LIMIT",
        "RATE",
        "second",
        "OPTIONAL",
        "SETTINGS.PAGE_SIZE",
        "SETTINGS.CACHE.default.TIMEOUT",
    ],
)
def test_an_anchor_naming_a_symbol_defined_in_the_file_passes(repo, anchor):
    assert problems_of(repo, f"[x](../pkg/services.py#{anchor})") == []


@pytest.mark.parametrize(
    "anchor",
    [
        "redeem_reward",  # defined nowhere
        "list",  # a method only as RewardViewSet.list
        "RewardViewSet.create",
        "post_transaction.local",  # a function's locals are not symbols
        "inner",
        "os",  # imported, not defined here
        "SETTINGS.MISSING",
    ],
)
def test_an_anchor_naming_a_symbol_the_file_does_not_define_fails(repo, anchor):
    assert problems_of(repo, f"[x](../pkg/services.py#{anchor})") == [
        f"../pkg/services.py#{anchor}: {anchor} is not defined in services.py"
    ]


@pytest.mark.parametrize("anchor", ["L14", "L14-L18", "L3C5"])
def test_a_line_anchor_fails_even_on_a_line_that_exists(repo, anchor):
    assert problems_of(repo, f"[post_transaction](../pkg/services.py#{anchor})") == [
        f"../pkg/services.py#{anchor}: a line anchor drifts; name the symbol instead"
    ]


def test_a_symbol_moved_to_another_file_fails_where_it_was_linked(repo):
    link = "[post_transaction](../pkg/services.py#post_transaction)"
    assert problems_of(repo, link) == []

    (repo / "pkg" / "ledger.py").write_text("def post_transaction(amount):\n    return amount\n")
    (repo / "pkg" / "services.py").write_text(MODULE.replace("def post_transaction", "def _gone"))

    assert problems_of(repo, link) == [
        "../pkg/services.py#post_transaction: post_transaction is not defined in services.py"
    ]
    assert problems_of(repo, "[post_transaction](../pkg/ledger.py#post_transaction)") == []


def test_a_missing_file_fails_and_an_anchor_into_a_directory_fails(repo):
    assert problems_of(repo, "[x](../pkg/nowhere.py#f) · [d](../pkg#services)") == [
        "../pkg/nowhere.py#f: no such file",
        "../pkg#services: a directory takes no anchor",
    ]


def test_a_file_no_rule_can_check_takes_no_anchor(repo):
    (repo / "pkg" / "notes.txt").write_text("anything\n")
    assert problems_of(repo, "[n](../pkg/notes.txt)") == []
    assert problems_of(repo, "[n](../pkg/notes.txt#anything)") == [
        "../pkg/notes.txt#anything: notes.txt takes no anchor (no rule checks one)"
    ]


def test_a_makefile_anchor_names_a_target_not_a_variable(repo):
    (repo / "Makefile").write_text(
        "PYTHON := python\n.PHONY: test\n\ntest: install ## run\n\t$(PYTHON) -m pytest\n"
    )
    assert problems_of(repo, "[t](../Makefile#test) · [i](../Makefile)") == []
    assert problems_of(repo, "[p](../Makefile#PYTHON)") == [
        "../Makefile#PYTHON: no make target 'PYTHON' in Makefile"
    ]


def test_a_shell_script_anchor_names_a_function(repo):
    script = '#!/usr/bin/env bash\nensure_redis() {\n  true\n}\nlog "x"\n'
    (repo / "run").write_text(script)
    (repo / "lint.sh").write_text("function check_files {\n  true\n}\n")
    assert problems_of(repo, "[r](../run#ensure_redis) · [l](../lint.sh#check_files)") == []
    assert problems_of(repo, "[r](../run#log)") == ["../run#log: no shell function 'log' in run"]


def test_a_toml_anchor_names_a_table_or_key_path(repo):
    (repo / "pyproject.toml").write_text(
        '[project]\ndependencies = ["django"]\n\n[tool.pytest.ini_options]\nmarkers = []\n'
    )
    good = "[d](../pyproject.toml#project.dependencies) · [p](../pyproject.toml#tool.pytest)"
    assert problems_of(repo, good) == []
    assert problems_of(repo, "[m](../pyproject.toml#markers)") == [
        "../pyproject.toml#markers: no TOML table or key 'markers' in pyproject.toml"
    ]


def test_a_template_anchor_names_a_block_or_a_literal_element_id(repo):
    (repo / "base.html").write_text(
        '{% block content %}{% endblock %}<main id="main"></main><li id="r-{{ pk }}">'
    )
    assert problems_of(repo, "[c](../base.html#content) · [m](../base.html#main)") == []
    assert problems_of(repo, "[r](../base.html#r-)") == [
        "../base.html#r-: no template block or element id 'r-' in base.html"
    ]


def test_a_markdown_anchor_names_a_heading_by_its_github_slug(repo):
    (repo / "docs" / "other.md").write_text(
        "# Other\n\n## How to use Q objects and F expressions?\n"
    )
    page = "## Here\n\n[q](other.md#how-to-use-q-objects-and-f-expressions) · [h](#here)"
    assert problems_of(repo, page) == []
    assert problems_of(repo, "## Here\n\n[g](other.md#gone) · [t](#there)") == [
        "other.md#gone: no heading 'gone' in other.md",
        "#there: no heading 'there' in page.md",
    ]


def test_github_slugs_drop_punctuation_and_emoji_and_number_repeated_headings():
    assert github_slug("What is Django? Why is it “batteries-included”?") == (
        "what-is-django-why-is-it-batteries-included"
    )
    assert github_slug("How to implement token authentication / JWT in DRF?") == (
        "how-to-implement-token-authentication--jwt-in-drf"
    )
    assert github_slug("🔹 6. Django REST Framework (DRF)") == "-6-django-rest-framework-drf"
    assert github_slug("The `post_transaction` [door](x.md)") == "the-post_transaction-door"
    assert heading_anchors("# A\n## A\n```\n# not a heading\n```\n## A\n") == {"a", "a-1", "a-2"}


def test_links_inside_code_are_examples_not_links(repo):
    markdown = "`[no](../pkg/x.py#L1)`\n\n```md\n[no](../gone.md)\n```\n[yes](../pkg/services.py)"
    assert relative_links(markdown) == ["../pkg/services.py"]
    assert problems_of(repo, markdown) == []


def test_a_link_whose_text_names_another_symbol_is_reported(repo):
    page = repo / "docs" / "page.md"
    page.write_text(
        "[`RewardViewSet.list`](../pkg/services.py#RewardViewSet.list) · "
        "[list()](../pkg/services.py#RewardViewSet.list) · "
        "[the view](../pkg/services.py#RewardViewSet) · "
        "[LIMIT](../pkg/services.py#RATE)"
    )
    assert misnamed_links(page) == ["[LIMIT](../pkg/services.py#RATE): the text names LIMIT"]


MODELS = """\
class Account(models.Model):
    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="balance_not_negative"),
        ]
        indexes = [models.Index(fields=["owner"], name="account_owner_idx")]


class Entry(models.Model):
    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="entry_not_zero")]
"""


def constraint_problems_of(repo: Path, markdown: str) -> list[str]:
    (repo / "pkg" / "models.py").write_text(MODELS)
    page = repo / "docs" / "page.md"
    page.write_text(markdown)
    return constraint_link_problems(page, defined_constraint_names(repo / "pkg"))


def test_a_constraint_linked_to_the_list_that_defines_it_passes(repo):
    markdown = (
        "[`balance_not_negative`](../pkg/models.py#Account.Meta.constraints) · "
        "[entry_not_zero](../pkg/models.py#Entry.Meta.constraints) · "
        "[account_owner_idx](../pkg/models.py#Account.Meta.indexes) · "
        "[constraints](../pkg/models.py#Account.Meta.constraints) · "
        "[post_transaction](../pkg/services.py#post_transaction)"
    )
    assert constraint_problems_of(repo, markdown) == []


def test_a_constraint_linked_to_another_models_list_or_elsewhere_fails(repo):
    markdown = (
        "[`entry_not_zero`](../pkg/models.py#Account.Meta.constraints) · "
        "[balance_never_negative](../pkg/models.py#Account.Meta.constraints) · "
        "[entry_not_zero](../pkg/services.py#post_transaction)"
    )
    assert constraint_problems_of(repo, markdown) == [
        "[entry_not_zero](../pkg/models.py#Account.Meta.constraints): "
        "Account.Meta.constraints defines no entry_not_zero",
        "[balance_never_negative](../pkg/models.py#Account.Meta.constraints): "
        "Account.Meta.constraints defines no balance_never_negative",
        "[entry_not_zero](../pkg/services.py#post_transaction): "
        "link a constraint to its Model.Meta.constraints",
    ]
