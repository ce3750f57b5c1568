"""Every refusal is an RFC 9457 problem document with a 4xx status; never a 500.

Malformed bodies, wrong media types, wrong types, numbers too large for any
column, unknown ids and unknown URLs all get ``application/problem+json`` with
``type``, ``title``, ``status``, ``detail`` and ``code``.
"""

from typing import Any

import pytest
from rest_framework import serializers

from plaudit.core.errors import InvalidInput, NotAllowed
from plaudit.core.exceptions import problem_exception_handler
from plaudit.ledger.models import Transaction
from plaudit.people.models import User
from plaudit.rewards.models import Redemption
from tests.factories import RewardFactory, UserFactory

pytestmark = pytest.mark.django_db

HUGE = 10**30


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail", "code"} <= set(body)
    assert body["status"] == status
    assert body["code"]
    assert body["code"] == body["code"].lower()
    assert " " not in body["code"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


def _raw_post(client: Any, url: str, data: bytes | str, content_type: str) -> Any:
    return client.generic("POST", url, data, content_type=content_type)


# --- Malformed bodies ------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        b"{",
        b'{"reward": }',
        b"{'reward': 1}",
        b'{"reward": NaN}',
        b'{"reward": Infinity}',
        b"\xff\xfe not utf-8",
        b"[" * 100_000,
        b'{"a":' * 50_000,
    ],
    ids=[
        "unclosed",
        "missing_value",
        "single_quotes",
        "nan",
        "infinity",
        "not_utf8",
        "deep_arrays",
        "deep_objects",
    ],
)
def test_a_malformed_json_body_is_a_400(client_for, payload):
    person = UserFactory(with_points=500)

    response = _raw_post(client_for(person), "/api/v1/redemptions/", payload, "application/json")

    body = assert_problem(response, 400)
    assert body["code"] == "parse_error"
    assert not Redemption.objects.exists()


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data"],
)
def test_a_body_that_is_not_json_is_a_415(client_for, hr_admin, content_type):
    employee = UserFactory()
    data = f"user={employee.pk}&amount=10&reason=x"
    if content_type == "multipart/form-data":
        content_type += "; boundary=xyz"
        data = "--xyz--\r\n"

    response = _raw_post(client_for(hr_admin), "/api/v1/points/grants/", data, content_type)

    body = assert_problem(response, 415)
    assert body["code"] == "unsupported_media_type"
    assert not Transaction.objects.filter(kind="grant").exists()


@pytest.mark.parametrize("payload", [b"[1, 2]", b'"reward"', b"null", b"42", b"true"])
def test_a_json_body_that_is_not_an_object_is_a_400(client_for, payload):
    person = UserFactory(with_points=500)

    response = _raw_post(client_for(person), "/api/v1/redemptions/", payload, "application/json")

    body = assert_problem(response, 400)
    assert body["errors"]
    assert not Redemption.objects.exists()


def test_an_empty_body_is_a_400_naming_the_required_fields(client_for, hr_admin):
    response = _raw_post(client_for(hr_admin), "/api/v1/points/grants/", b"", "application/json")

    body = assert_problem(response, 400)
    assert {"user", "amount", "reason"} <= set(body["errors"])


# --- Wrong types and huge numbers ---------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", ["a@example.com"]),
        ("email", {"address": "a@example.com"}),
        ("first_name", {"nested": True}),
        ("salary", [1]),
        ("salary", "1e400"),
        ("salary", HUGE),
        ("hire_date", 20240101),
        ("manager", HUGE),
        ("manager", "boss"),
        ("role", ["hr_admin"]),
        ("password", 12345678),
    ],
)
def test_wrong_types_and_huge_numbers_for_a_person_are_400s(client_for, hr_admin, field, value):
    body = {"email": "new@example.com", field: value}

    response = client_for(hr_admin).post("/api/v1/people/", body)

    problem = assert_problem(response, 400)
    assert field in problem["errors"]
    assert not User.objects.filter(email="new@example.com").exists()


@pytest.mark.parametrize(
    "body",
    [
        {"user": HUGE, "amount": 10, "reason": "x"},
        {"user": -HUGE, "amount": 10, "reason": "x"},
        {"user": 1, "amount": HUGE, "reason": "x"},
        {"user": 1, "amount": -HUGE, "reason": "x"},
        {"user": 1, "amount": 1e308, "reason": "x"},
        {"user": 1, "amount": 10, "reason": ["x"]},
        {"user": 1, "amount": 10, "reason": "x" * 10_000},
    ],
    ids=[
        "huge_user",
        "huge_user_negative",
        "huge_amount",
        "huge_negative",
        "float",
        "list",
        "long",
    ],
)
def test_wrong_types_and_huge_numbers_for_a_grant_are_400s(client_for, hr_admin, body):
    response = client_for(hr_admin).post("/api/v1/points/grants/", body)

    assert_problem(response, 400)
    assert not Transaction.objects.filter(kind="grant").exists()


@pytest.mark.parametrize("value", [HUGE, -HUGE, 2**63, 2**63 - 1, -1, 0])
def test_a_reward_id_out_of_every_range_is_a_400_not_a_500(client_for, value):
    person = UserFactory(with_points=500)

    response = client_for(person).post("/api/v1/redemptions/", {"reward": value})

    problem = assert_problem(response, 400)
    assert "reward" in problem["errors"]


@pytest.mark.parametrize("field", ["cost", "stock", "per_user_limit"])
def test_huge_reward_numbers_are_400s(client_for, hr_admin, field):
    response = client_for(hr_admin).post(
        "/api/v1/rewards/", {"name": "Big", "cost": 10, field: HUGE}
    )

    assert field in assert_problem(response, 400)["errors"]


def test_an_overlong_reward_name_is_a_400(client_for, hr_admin):
    response = client_for(hr_admin).post("/api/v1/rewards/", {"name": "x" * 5000, "cost": 10})

    assert "name" in assert_problem(response, 400)["errors"]


# --- Unknown ids and URLs ------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/people/{id}/"),
        ("patch", "/api/v1/people/{id}/"),
        ("delete", "/api/v1/people/{id}/"),
        ("get", "/api/v1/rewards/{id}/"),
        ("patch", "/api/v1/rewards/{id}/"),
        ("delete", "/api/v1/rewards/{id}/"),
        ("get", "/api/v1/redemptions/{id}/"),
        ("post", "/api/v1/redemptions/{id}/approve/"),
        ("post", "/api/v1/redemptions/{id}/fulfil/"),
        ("post", "/api/v1/redemptions/{id}/reject/"),
        ("post", "/api/v1/redemptions/{id}/cancel/"),
    ],
)
@pytest.mark.parametrize("pk", ["987654", str(HUGE), str(-HUGE), "0", "abc", "1e3", "%20"])
def test_an_unknown_or_malformed_id_in_the_url_is_a_404(client_for, hr_admin, method, path, pk):
    response = getattr(client_for(hr_admin), method)(path.format(id=pk))

    assert assert_problem(response, 404)["code"] == "not_found"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing-here/",
        "/api/v1/people/1/salary/",
        "/api/v1/redemptions/1/teleport/",
        "/api/v2/people/",
        "/api/v1/",
    ],
)
def test_an_unknown_url_under_the_api_is_a_404_problem(client_for, employee, path):
    assert_problem(client_for(employee).get(path), 404)


def test_an_unknown_url_is_a_404_problem_even_when_signed_out(client_for):
    assert_problem(client_for(None).get("/api/v1/nothing-here/"), 404)


def test_a_page_number_that_is_not_a_number_is_a_404_problem(client_for, employee):
    assert_problem(client_for(employee).get("/api/v1/people/?page=abc"), 404)


def test_a_page_number_past_every_integer_is_a_404_problem(client_for, employee):
    assert_problem(client_for(employee).get(f"/api/v1/people/?page={HUGE}"), 404)


# --- Methods, auth and permissions ----------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/api/v1/people/{me}/"),
        ("delete", "/api/v1/me/"),
        ("post", "/api/v1/me/"),
        ("get", "/api/v1/points/grants/"),
        ("delete", "/api/v1/points/entries/"),
        ("put", "/api/v1/redemptions/{me}/"),
        ("delete", "/api/v1/redemptions/{me}/"),
        ("post", "/api/v1/reports/top-salaries/"),
    ],
)
def test_a_method_an_endpoint_does_not_offer_is_a_405_problem(client_for, hr_admin, method, path):
    response = getattr(client_for(hr_admin), method)(path.format(me=hr_admin.pk))

    assert assert_problem(response, 405)["code"] == "method_not_allowed"


def test_401_and_403_are_problem_documents_with_codes(client_for, employee):
    unauthenticated = assert_problem(client_for(None).get("/api/v1/me/"), 401)
    forbidden = assert_problem(client_for(employee).get("/api/v1/reports/top-salaries/"), 403)

    assert unauthenticated["code"] == "not_authenticated"
    assert forbidden["code"] == "permission_denied"


def test_a_409_names_its_business_code_and_a_human_detail(client_for):
    person = UserFactory(with_points=1)
    reward = RewardFactory(cost=100)

    problem = assert_problem(
        client_for(person).post("/api/v1/redemptions/", {"reward": reward.pk}), 409
    )

    assert problem["code"] == "insufficient_points"
    assert problem["type"].endswith("insufficient_points")
    assert problem["title"] == "Insufficient points"


# --- The shape of validation errors ----------------------------------------------------


def test_validation_errors_are_keyed_by_field_with_lists_of_messages(client_for, hr_admin):
    response = client_for(hr_admin).post("/api/v1/people/", {"email": "nope", "role": "x"})

    errors = assert_problem(response, 400)["errors"]
    assert set(errors) == {"email", "role"}
    assert all(isinstance(messages, list) and messages for messages in errors.values())
    assert all(isinstance(message, str) for message in errors["email"])


def test_the_detail_of_a_validation_error_quotes_a_message(client_for, hr_admin):
    response = client_for(hr_admin).post("/api/v1/people/", {"email": "nope"})

    problem = assert_problem(response, 400)
    assert problem["code"] == "invalid"
    assert problem["errors"]["email"][0] in problem["detail"]


def test_validation_errors_nest_the_way_the_input_nested():
    """The contract's own example: the second recipient's points are wrong."""
    nested = {"recipients": [{}, {"points": ["Ensure this value is greater than or equal to 0."]}]}

    response = problem_exception_handler(serializers.ValidationError(nested), {})

    assert response is not None
    assert response.status_code == 400
    assert response.data["errors"] == nested
    assert response.content_type == "application/problem+json"


def test_a_nested_serializer_error_keeps_list_positions():
    class Recipient(serializers.Serializer[Any]):
        user = serializers.IntegerField()
        points = serializers.IntegerField(min_value=0)

    class Recognition(serializers.Serializer[Any]):
        recipients = Recipient(many=True)

    data = Recognition(data={"recipients": [{"user": 1, "points": 5}, {"user": 2, "points": -1}]})
    assert not data.is_valid()

    response = problem_exception_handler(serializers.ValidationError(data.errors), {})

    assert response is not None
    errors = response.data["errors"]
    assert errors["recipients"][0] == {}
    assert set(errors["recipients"][1]) == {"points"}


def test_an_error_for_the_whole_input_is_under_non_field_errors(client_for, hr_admin):
    response = _raw_post(client_for(hr_admin), "/api/v1/people/", b"[]", "application/json")

    assert "non_field_errors" in assert_problem(response, 400)["errors"]


def test_a_list_of_plain_values_nests_its_errors_by_position():
    response = problem_exception_handler(
        serializers.ValidationError({"values": {1: ["No company value has the slug 'x'."]}}), {}
    )

    assert response is not None
    assert response.data["errors"] == {"values": [[], ["No company value has the slug 'x'."]]}


# --- Requests too large or too many parts -------------------------------------------------


def test_a_json_body_over_the_upload_limit_is_a_413(client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    person = UserFactory(with_points=500)
    payload = '{"reward": 1, "padding": "' + "x" * 2000 + '"}'

    response = _raw_post(client_for(person), "/api/v1/redemptions/", payload, "application/json")

    assert assert_problem(response, 413)["code"] == "request_too_large"
    assert not Redemption.objects.exists()


def test_a_multipart_upload_with_too_many_fields_is_a_400(client_for, hr_admin, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    reward = RewardFactory()
    fields = {f"field{i}": "x" for i in range(20)}

    response = client_for(hr_admin).post(
        f"/api/v1/rewards/{reward.pk}/image/", fields, format="multipart"
    )

    assert_problem(response, 400)
    reward.refresh_from_db()
    assert not reward.image


def test_a_services_field_rule_reads_like_a_serializers_validation_error():
    response = problem_exception_handler(
        InvalidInput("Must be after available_from.", field="expires_at"), {}
    )
    assert response is not None
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert response.data["errors"] == {"expires_at": ["Must be after available_from."]}
    assert response.data["detail"] == (
        "The request has invalid fields: Must be after available_from."
    )


def test_a_services_refusal_of_the_actor_is_a_403_with_drfs_code():
    response = problem_exception_handler(NotAllowed("Only HR admins may fulfil."), {})
    assert response is not None
    assert response.status_code == 403
    assert response.data["code"] == "permission_denied"
    assert response.data["detail"] == "Only HR admins may fulfil."
