"""A database constraint's refusal reaches people in words, never by its name.

The services check first; when a write reaches a constraint anyway, the API answers
409 with the constraint's own message and logs its name for operators.
"""

import json
import logging
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from plaudit.core.constraints import ConstraintViolated, has_human_message, refusal_for
from plaudit.core.exceptions import problem_exception_handler
from plaudit.rewards.models import Reward
from tests.factories import CompanyValueFactory, RewardFactory

pytestmark = pytest.mark.django_db

OWN_APPS = ("rewards", "ledger", "recognition")


def _refused_write(write: Any) -> IntegrityError:
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        write()
    return refused.value


@pytest.mark.parametrize(
    "constraint",
    [
        constraint
        for label in OWN_APPS
        for model in apps.get_app_config(label).get_models()
        for constraint in model._meta.constraints
    ],
    ids=lambda constraint: constraint.name,
)
def test_every_constraint_of_the_catalog_the_ledger_and_recognition_has_human_words(
    constraint: Any,
) -> None:
    assert has_human_message(constraint)
    assert constraint.name not in constraint.get_violation_error_message()


def test_a_check_constraint_that_reaches_the_api_is_a_409_in_its_own_words(caplog) -> None:
    refused = _refused_write(lambda: RewardFactory(cost=0))

    with caplog.at_level(logging.WARNING, logger="plaudit.core.constraints"):
        response = problem_exception_handler(refused, {"view": "a view"})

    assert response is not None
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    assert response.data["code"] == "conflict"
    assert response.data["detail"] == "A reward costs at least 1 point."
    assert "reward_cost_positive" not in json.dumps(response.data)
    assert "reward_cost_positive" in caplog.text  # for operators


def test_a_conditional_unique_constraint_is_named_in_its_own_words() -> None:
    CompanyValueFactory(slug="courage")
    refused = _refused_write(lambda: CompanyValueFactory(slug="courage"))

    assert refusal_for(refused).detail == "Another company value already uses this slug."


def test_a_refusal_the_database_does_not_name_gets_plain_words_not_its_text() -> None:
    raw = IntegrityError('null value in column "secret_column" violates not-null constraint')

    response = problem_exception_handler(raw, {})

    assert response is not None
    assert response.status_code == 409
    assert response.data["detail"] == ConstraintViolated.default_detail
    assert "secret_column" not in json.dumps(response.data)


def test_the_database_refuses_a_reward_that_expires_before_it_opens() -> None:
    refused = _refused_write(
        lambda: RewardFactory(
            available_from="2030-01-02T00:00:00+00:00", expires_at="2030-01-01T00:00:00+00:00"
        )
    )

    assert refusal_for(refused).detail == "The reward must expire after it becomes available."
    assert not Reward.all_objects.exists()
