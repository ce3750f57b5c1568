"""The words of problem documents are marked for translation and made text late: in the
language active when the document is rendered, never at import time."""

import json
from typing import Any

import pytest
from django.utils import translation
from rest_framework import serializers

from plaudit.core.errors import NotAllowed
from plaudit.core.exceptions import problem_body, problem_exception_handler, status_title
from plaudit.core.fields import WholeNumberField
from plaudit.core.wording import points


class Bounded(serializers.Serializer[Any]):
    amount = WholeNumberField(max_value=1_000_000, min_value=1)


@pytest.mark.parametrize(
    ("value", "words"), [(1, "1 point"), (-1, "-1 point"), (0, "0 points"), (2500, "2,500 points")]
)
def test_points_reads_as_it_always_did_in_english(value, words):
    assert points(value) == words


def test_a_problem_documents_words_are_text_not_lazy_translations():
    body = problem_body(status_code=403, code=NotAllowed.code, detail=NotAllowed.default_detail)

    assert (type(body["title"]), type(body["detail"])) == (str, str)
    assert (body["title"], body["detail"]) == ("Forbidden", "You may not do this.")
    json.dumps(body)  # stored answers and plain JSON responses take it as it is


def test_status_titles_are_todays_words_and_fall_back_to_the_phrase():
    assert [status_title(code) for code in (404, 413, 422, 429)] == [
        "Not Found",
        "Request Entity Too Large",
        "Unprocessable Entity",
        "Too Many Requests",
    ]
    assert status_title(418) == "I'm a Teapot"  # not in the table: HTTPStatus's phrase


def test_a_bound_is_refused_in_the_language_active_when_it_is_checked():
    """The field is built once, at import time; its refusal is worded when it is made."""
    with translation.override("fr"):
        refused = Bounded(data={"amount": 2_000_000})
        assert not refused.is_valid()
        response = problem_exception_handler(
            serializers.ValidationError(refused.errors), {"view": None}
        )
    assert response is not None
    assert response.data["errors"]["amount"] == [
        "Assurez-vous que cette valeur est inférieure ou égale à 1\xa0000\xa0000."
    ]
    with translation.override("en"):
        refused = Bounded(data={"amount": 2_000_000})
        assert not refused.is_valid()
    assert refused.errors["amount"] == ["Ensure this value is less than or equal to 1,000,000."]
