"""Every door refuses the same bad input with the same words, and changes nothing.

The catalog's and the redemptions' rules live in the rewards services; the API, the
web pages, the admin and the CSV import (uploaded through the API, or run by
``manage.py import_csv``) only parse and call them. Each test drives one bad input
through every door that takes it and expects the same refusal.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from plaudit.core.constraints import ConstraintViolated
from plaudit.core.errors import InvalidInput, NotAllowed
from plaudit.imports.kinds.rewards import REWARD_COLUMNS
from plaudit.imports.models import ImportJob
from plaudit.ledger.models import MAX_DESCRIPTION_LENGTH, Transaction, TransactionKind
from plaudit.ledger.selectors import balance_of
from plaudit.people.models import User
from plaudit.rewards import services
from plaudit.rewards.models import Redemption, RedemptionStatus, Reward
from tests.doors import Errors, api_as, form_errors, page_session
from tests.factories import HRAdminFactory, ManagerFactory, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db

WINDOW = "The reward must expire after it becomes available."
OPENS = datetime(2030, 1, 2, 10, 0, tzinfo=UTC)
CLOSES_BEFORE_IT_OPENS = datetime(2030, 1, 1, 10, 0, tzinfo=UTC)
SIX_YEARS_AGO = datetime(2020, 3, 1, 9, 0, tzinfo=UTC)
AT_LEAST_1 = "Ensure this value is greater than or equal to 1."
AT_MOST_A_BILLION = "Ensure this value is less than or equal to 1,000,000,000."

A_REWARD: dict[str, Any] = {
    "name": "Team lunch",
    "description": "Lunch for the team.",
    "category": "Food",
    "cost": 300,
    "stock": 5,
    "per_user_limit": 1,
    "available_from": None,
    "expires_at": None,
    "is_active": True,
}


def _json(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def _web_form(values: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, datetime):
            data[name] = value.strftime("%Y-%m-%dT%H:%M")
        elif value is True:
            data[name] = "on"
        elif value is not None and value is not False:
            data[name] = value
    return data


def _admin_form(values: dict[str, Any]) -> dict[str, Any]:
    """The admin asks for a date and a time in two inputs."""
    dates = {name: values.pop(name, None) for name in ("available_from", "expires_at")}
    data = {"sku": values.pop("sku", "") or "", **_web_form(values)}
    for name, value in dates.items():
        data[f"{name}_0"] = value.strftime("%Y-%m-%d") if value else ""
        data[f"{name}_1"] = value.strftime("%H:%M:%S") if value else ""
    return data


def _csv(values: dict[str, Any]) -> bytes:
    cells = {
        name: "" if value is None else str(value).lower() if isinstance(value, bool) else value
        for name, value in _json(values).items()
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(REWARD_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerow({name: cells.get(name, "") for name in REWARD_COLUMNS})
    return out.getvalue().encode()


@dataclass
class CatalogDoors:
    """Each door HR edits the catalog through, as a person (or a script) would use it.

    Each takes the values to send (over a stored reward, or a new one) and answers
    the refusal as ``{field: [message]}``.
    """

    hr: User
    capture: Any
    tmp_path: Path

    def api(self, values: dict[str, Any], reward: Reward | None = None) -> Errors:
        client = api_as(self.hr)
        if reward is None:
            body = _json({**A_REWARD, **values})
            response = client.post("/api/v1/rewards/", body, format="json")
        else:  # a PATCH names only what changes
            response = client.patch(f"/api/v1/rewards/{reward.pk}/", _json(values), format="json")
        assert response.status_code == 400, response.json()
        assert response["Content-Type"] == "application/problem+json"
        return dict(response.json()["errors"])

    def web(self, values: dict[str, Any], reward: Reward | None = None) -> Errors:
        url = "/hr/rewards/new/" if reward is None else f"/hr/rewards/{reward.pk}/edit/"
        response = page_session(self.hr).post(url, _web_form(_whole(values, reward)))
        assert response.status_code == 200, "the editor is shown again, with its errors"
        assert "Constraint" not in response.content.decode()
        return form_errors(response.context["form"])

    def admin(self, values: dict[str, Any], reward: Reward | None = None) -> Errors:
        url = (
            "/admin/rewards/reward/add/"
            if reward is None
            else f"/admin/rewards/reward/{reward.pk}/change/"
        )
        response = page_session(self.hr).post(url, _admin_form(_whole(values, reward)))
        assert response.status_code == 200, "the form is shown again, with its errors"
        assert "Constraint" not in response.content.decode()
        return form_errors(response.context["adminform"].form)

    def _save(self, values: dict[str, Any], reward: Reward | None) -> None:
        if reward is None:
            services.create_reward(actor=self.hr, **_whole(values, None))
        else:
            services.update_reward(reward, actor=self.hr, **values)

    def csv_upload(self, values: dict[str, Any], reward: Reward | None = None) -> Errors:
        upload = SimpleUploadedFile("rewards.csv", _csv(_whole(values, reward)), "text/csv")
        with self.capture(execute=True):
            response = api_as(self.hr).post(
                "/api/v1/imports/", {"file": upload, "kind": "rewards"}, format="multipart"
            )
        assert response.status_code == 202, response.json()
        return _row_errors(ImportJob.objects.get(pk=response.json()["id"]))

    def import_command(self, values: dict[str, Any], reward: Reward | None = None) -> Errors:
        path = self.tmp_path / "rewards.csv"
        path.write_bytes(_csv(_whole(values, reward)))
        call_command("import_csv", str(path), kind="rewards", stdout=io.StringIO())
        return _row_errors(ImportJob.objects.latest("pk"))

    def service(self, values: dict[str, Any], reward: Reward | None = None) -> Errors:
        """What a script or a future door gets from the service itself."""
        with pytest.raises(InvalidInput) as refused:
            self._save(values, reward)
        assert refused.value.field is not None
        return {refused.value.field: [refused.value.detail]}


CATALOG_DOORS = ["api", "web", "admin", "csv_upload", "import_command", "service"]


def _whole(values: dict[str, Any], reward: Reward | None) -> dict[str, Any]:
    """A whole reward as a form or a CSV row sends it: the stored one, or a new one, changed."""
    if reward is None:
        return {"sku": "LUNCH", **A_REWARD, **values}
    stored = {name: getattr(reward, name) for name in ("sku", *A_REWARD)}
    return {**stored, **values}


def _row_errors(job: ImportJob) -> Errors:
    errors: Errors = {}
    for error in job.row_errors.order_by("row", "id"):
        errors.setdefault(error.column, []).append(error.message)
    return errors


@pytest.fixture
def hr() -> User:
    """An HR admin with the admin's keys."""
    return HRAdminFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def catalog(hr: User, django_capture_on_commit_callbacks: Any, tmp_path: Path) -> CatalogDoors:
    return CatalogDoors(hr, django_capture_on_commit_callbacks, tmp_path)


def _unchanged(reward: Reward) -> Callable[[], bool]:
    before = Reward.all_objects.filter(pk=reward.pk).values().get()
    return lambda: Reward.all_objects.filter(pk=reward.pk).values().get() == before


# --- The reward window ------------------------------------------------------------


@pytest.mark.parametrize("door", CATALOG_DOORS)
def test_a_new_reward_that_expires_before_it_opens_is_refused_at_every_door(catalog, door):
    refusal = getattr(catalog, door)(
        {"available_from": OPENS, "expires_at": CLOSES_BEFORE_IT_OPENS}
    )

    assert refusal == {"expires_at": [WINDOW]}
    assert not Reward.all_objects.exists()


@pytest.mark.parametrize("door", CATALOG_DOORS)
def test_moving_the_expiry_before_the_stored_opening_is_refused_at_every_door(catalog, door):
    reward = RewardFactory(sku="LUNCH", available_from=OPENS, expires_at=None)
    unchanged = _unchanged(reward)

    refusal = getattr(catalog, door)({"expires_at": CLOSES_BEFORE_IT_OPENS}, reward)

    assert refusal == {"expires_at": [WINDOW]}
    assert unchanged()


def test_a_window_that_slips_past_the_check_is_refused_by_the_database_in_its_words(
    hr, monkeypatch
):
    """The last line: a write that skipped the check still gets the check's own refusal."""
    reward = RewardFactory(available_from=OPENS)
    unchanged = _unchanged(reward)
    monkeypatch.setattr(services, "check_reward_window", lambda opens, closes: None)

    with pytest.raises(InvalidInput) as refused:
        services.update_reward(reward, actor=hr, expires_at=CLOSES_BEFORE_IT_OPENS)

    assert (refused.value.field, refused.value.detail) == ("expires_at", WINDOW)
    assert unchanged()


# --- Bounds -------------------------------------------------------------------------


@pytest.mark.parametrize("door", CATALOG_DOORS)
@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("per_user_limit", 0, AT_LEAST_1),
        ("cost", 0, AT_LEAST_1),
        ("cost", 9_223_372_036_854_775_807, AT_MOST_A_BILLION),
        ("stock", 10_000_000_000, AT_MOST_A_BILLION),
    ],
    ids=["limit-0", "cost-0", "cost-2**63", "stock-10**10"],
)
def test_a_value_out_of_bounds_is_refused_in_the_same_words_at_every_door(
    catalog, door, field, value, words
):
    refusal = getattr(catalog, door)({field: value})

    assert refusal == {field: [words]}
    assert not Reward.all_objects.exists()


@pytest.mark.parametrize("door", CATALOG_DOORS)
def test_a_per_person_limit_of_0_on_a_stored_reward_is_refused_at_every_door(catalog, door):
    reward = RewardFactory(sku="LUNCH", per_user_limit=3)
    unchanged = _unchanged(reward)

    refusal = getattr(catalog, door)({"per_user_limit": 0}, reward)

    assert refusal == {"per_user_limit": [AT_LEAST_1]}
    assert unchanged()


# --- A refusal only the service gives: on the form, never a 500 -------------------------

ONLY_THE_SERVICE_KNOWS = "Gift cards cost at least 500 points this year."


@pytest.mark.parametrize("door", ["web", "admin"])
@pytest.mark.parametrize("stored", [False, True], ids=["new", "stored"])
@pytest.mark.parametrize(
    ("refusal", "shown_as"),
    [
        (InvalidInput(ONLY_THE_SERVICE_KNOWS, field="cost"), "cost"),
        (ConstraintViolated(ONLY_THE_SERVICE_KNOWS), "__all__"),
    ],
    ids=["beside-its-field", "atop-the-form"],
)
def test_a_refusal_the_form_could_not_foresee_is_shown_on_the_form_not_as_a_500(
    catalog, monkeypatch, door, stored, refusal, shown_as
):
    """A rule only the service applies (or a change made meanwhile) refuses the save after
    the form's own checks passed: the editor is shown again with the service's words."""
    reward = RewardFactory(sku="LUNCH") if stored else None

    def refuse(values: dict[str, Any]) -> None:
        raise refusal

    monkeypatch.setattr(services, "check_reward", refuse)

    shown = getattr(catalog, door)({"cost": 250}, reward)

    assert shown == {shown_as: [ONLY_THE_SERVICE_KNOWS]}
    assert list(Reward.all_objects.values_list("cost", flat=True)) == ([100] if stored else [])


# --- A window already over: allowed, and said in words --------------------------------


def test_the_api_creates_a_reward_whose_window_is_already_over_as_unavailable(hr):
    response = api_as(hr).post(
        "/api/v1/rewards/", _json({**A_REWARD, "expires_at": SIX_YEARS_AGO}), format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["is_available"] is False


def _notices(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_editor_says_when_a_saved_reward_has_already_expired(hr):
    response = page_session(hr).post(
        "/hr/rewards/new/", _web_form({**A_REWARD, "expires_at": SIX_YEARS_AGO})
    )

    assert response.status_code == 302
    assert Reward.objects.get().expires_at == SIX_YEARS_AGO
    assert any("expired on March 1, 2020" in notice for notice in _notices(response))


def test_the_admin_says_when_a_saved_reward_has_already_expired(hr):
    reward = RewardFactory(sku="LUNCH")

    response = page_session(hr).post(
        f"/admin/rewards/reward/{reward.pk}/change/",
        _admin_form(_whole({"expires_at": SIX_YEARS_AGO}, reward)),
    )

    assert response.status_code == 302
    reward.refresh_from_db()
    assert reward.expires_at == SIX_YEARS_AGO
    assert any("expired on March 1, 2020" in notice for notice in _notices(response))


# --- Who may change the catalog ------------------------------------------------------


def test_only_hr_admins_change_the_catalog_whoever_calls_the_service():
    manager = ManagerFactory()
    reward = RewardFactory(name="Mug")

    for change in (
        lambda: services.create_reward(actor=manager, **A_REWARD),
        lambda: services.update_reward(reward, actor=manager, cost=1),
        lambda: services.delete_reward(reward, actor=manager),
    ):
        with pytest.raises(NotAllowed):
            change()

    reward.refresh_from_db()
    assert (reward.cost, reward.deleted_at, Reward.all_objects.count()) == (100, None, 1)


def test_the_catalog_import_service_refuses_a_manager_and_writes_nothing(catalog):
    with pytest.raises(NotAllowed):
        services.import_rewards([("MUG", A_REWARD)], actor=ManagerFactory())

    assert not Reward.all_objects.exists()


def test_a_row_that_slips_past_the_checks_gets_the_constraints_words_not_its_name(
    catalog, monkeypatch
):
    """The import's last line: the database refuses the row, the file says why in words."""
    monkeypatch.setattr(services, "check_reward", lambda values: None)

    refusal = catalog.csv_upload({"per_user_limit": 0})

    assert refusal == {"": ["A per-person limit is at least 1; leave it empty for no limit."]}
    assert not Reward.all_objects.exists()


def test_a_manager_given_the_admins_catalog_permissions_still_cannot_change_it():
    manager = ManagerFactory(is_staff=True)
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_reward", "add_reward", "change_reward"])
    )
    reward = RewardFactory(sku="MUG", name="Mug")
    client = page_session(manager)

    added = client.post("/admin/rewards/reward/add/", _admin_form({"sku": "NEW", **A_REWARD}))
    changed = client.post(
        f"/admin/rewards/reward/{reward.pk}/change/", _admin_form(_whole({"cost": 1}, reward))
    )
    deleted = client.post(
        "/admin/rewards/reward/", {"action": "soft_delete", "_selected_action": [reward.pk]}
    )

    assert added.status_code == 403
    assert changed.status_code == 403
    assert deleted.status_code in (200, 302), deleted
    reward.refresh_from_db()
    assert (reward.cost, reward.deleted_at, Reward.all_objects.count()) == (100, None, 1)


# --- Redemptions: a rejection's reason ------------------------------------------------


@pytest.fixture
def pending(hr: User) -> Redemption:
    """A report's pending redemption of a reward with stock; their manager decides."""
    report = UserFactory(manager=ManagerFactory(), with_points=500)
    reward = RewardFactory(cost=100, stock=5)
    return services.redeem_reward(user=report, reward_id=reward.pk)


@dataclass
class DecisionDoors:
    """Each door a rejection goes through; each answers the refusal as ``{field: [message]}``."""

    hr: User

    def api(self, redemption: Redemption, reason: str) -> Errors:
        response = api_as(self.hr).post(
            f"/api/v1/redemptions/{redemption.pk}/reject/", {"reason": reason}, format="json"
        )
        assert response.status_code == 400, response.json()
        return dict(response.json()["errors"])

    def web(self, redemption: Redemption, reason: str) -> Errors:
        response = page_session(self.hr).post(
            f"/approvals/{redemption.pk}/reject/", {"reason": reason}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 422
        return form_errors(response.context["reject_form"])

    def admin(self, redemption: Redemption, reason: str) -> Errors:
        response = page_session(self.hr).post(
            "/admin/rewards/redemption/",
            {"action": "reject", "_selected_action": [redemption.pk], "reason": reason},
        )
        assert response.status_code == 200, "the reason is asked for again"
        return form_errors(response.context["form"])

    def service(self, redemption: Redemption, reason: str) -> Errors:
        with pytest.raises(InvalidInput) as refused:
            services.reject_redemption(redemption_id=redemption.pk, actor=self.hr, reason=reason)
        return {str(refused.value.field): [refused.value.detail]}


DECISION_DOORS = ["api", "web", "admin", "service"]
MISSING_REASON = "Give a reason: the person sees it, so say why and what they could do instead."


@pytest.mark.parametrize("door", DECISION_DOORS)
@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("", MISSING_REASON),
        ("   \n ", MISSING_REASON),
        ("x" * 1001, "Ensure this value has at most 1000 characters (it has 1001)."),
    ],
    ids=["empty", "blank", "1001-characters"],
)
def test_a_rejection_without_a_proper_reason_is_refused_alike_at_every_door(
    hr, pending, door, reason, words
):
    redeemer = pending.user

    refusal = getattr(DecisionDoors(hr), door)(pending, reason)

    assert refusal == {"reason": [words]}
    pending.refresh_from_db()
    assert (pending.status, pending.reason) == (RedemptionStatus.PENDING, "")
    assert balance_of(redeemer) == 400
    assert Reward.all_objects.get(pk=pending.reward_id).stock == 4


def _reject(door: str, hr: User, redemption: Redemption, reason: str) -> None:
    if door == "api":
        response = api_as(hr).post(
            f"/api/v1/redemptions/{redemption.pk}/reject/", {"reason": reason}, format="json"
        )
        assert response.status_code == 200, response.json()
    elif door == "web":
        response = page_session(hr).post(f"/approvals/{redemption.pk}/reject/", {"reason": reason})
        assert response.status_code == 302
    else:
        response = page_session(hr).post(
            "/admin/rewards/redemption/",
            {"action": "reject", "_selected_action": [redemption.pk], "reason": reason},
        )
        assert response.status_code == 302


@pytest.mark.parametrize("door", ["api", "web", "admin"])
def test_a_rejection_reason_is_stored_trimmed_whichever_door_took_it(hr, pending, door):
    _reject(door, hr, pending, "  Out of budget this quarter \n")

    pending.refresh_from_db()
    assert (pending.status, pending.reason) == ("rejected", "Out of budget this quarter")
    assert balance_of(pending.user) == 500


@pytest.mark.parametrize("door", ["web", "admin"])
def test_a_page_hands_the_reason_to_the_service_as_typed(hr, pending, door, monkeypatch):
    """The service trims and judges the reason; no door keeps a copy of that rule."""
    received: list[str] = []
    reject = services.reject_redemption

    def reject_and_note(**kwargs: Any) -> Redemption:
        received.append(kwargs["reason"])
        return reject(**kwargs)

    monkeypatch.setattr(services, "reject_redemption", reject_and_note)

    _reject(door, hr, pending, "  Out of budget this quarter \n")

    assert received == ["  Out of budget this quarter \n"]
    pending.refresh_from_db()
    assert pending.reason == "Out of budget this quarter"


def test_a_reason_as_long_as_allowed_is_kept_whole_and_its_refund_line_shortened(hr, pending):
    reason = "y" * 1000

    _reject("api", hr, pending, reason)

    pending.refresh_from_db()
    assert pending.reason == reason
    assert balance_of(pending.user) == 500
    refund = Transaction.objects.get(kind=TransactionKind.REFUND)
    assert len(refund.description) <= MAX_DESCRIPTION_LENGTH
    assert refund.description.endswith("…")


# --- Redemptions: who may move them ----------------------------------------------------


def test_the_service_decides_who_may_move_a_redemption(pending):
    redeemer, their_manager = pending.user, pending.user.manager
    colleague, other_manager = UserFactory(manager=their_manager), ManagerFactory()
    refused = [
        lambda: services.approve_redemption(redemption_id=pending.pk, actor=colleague),
        lambda: services.approve_redemption(redemption_id=pending.pk, actor=other_manager),
        lambda: services.approve_redemption(redemption_id=pending.pk, actor=redeemer),
        lambda: services.reject_redemption(
            redemption_id=pending.pk, actor=other_manager, reason="No"
        ),
        lambda: services.cancel_redemption(redemption_id=pending.pk, actor=their_manager),
    ]

    for move in refused:
        with pytest.raises(NotAllowed):
            move()

    pending.refresh_from_db()
    assert pending.status == RedemptionStatus.PENDING
    services.approve_redemption(redemption_id=pending.pk, actor=their_manager)
    with pytest.raises(NotAllowed):
        services.fulfil_redemption(redemption_id=pending.pk, actor=their_manager)
    pending.refresh_from_db()
    assert pending.status == RedemptionStatus.APPROVED


def test_a_manager_in_the_admin_decides_only_for_their_own_reports(pending):
    staff_manager = ManagerFactory(is_staff=True)
    staff_manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_redemption", "change_redemption"])
    )

    response = page_session(staff_manager).post(
        "/admin/rewards/redemption/",
        {"action": "approve", "_selected_action": [pending.pk]},
        follow=True,
    )

    assert "Only the person&#x27;s manager or an HR admin may decide this." in (
        response.content.decode()
    )
    pending.refresh_from_db()
    assert pending.status == RedemptionStatus.PENDING


def test_a_manager_on_the_approvals_page_cannot_approve_their_own_redemption():
    manager = ManagerFactory(manager=ManagerFactory(), with_points=500)
    own = services.redeem_reward(user=manager, reward_id=RewardFactory(cost=100).pk)

    response = page_session(manager).post(f"/approvals/{own.pk}/approve/", HTTP_HX_REQUEST="true")

    assert response.status_code == 403
    assert "Only the person&#x27;s manager or an HR admin may decide this." in (
        response.content.decode()
    )
    own.refresh_from_db()
    assert own.status == RedemptionStatus.PENDING


# --- The catalog import is HR's, whoever queued the job -------------------------------------


def _run_import(kind: str, content: str, *, by: User, reward: Reward | None = None) -> Any:
    from django.core.files import File

    from plaudit.imports import attempts, jobs

    job = jobs.start_import(
        upload=File(io.BytesIO(content.encode()), name="upload.csv"),
        kind=kind,
        created_by=by,
        reward_id=reward.pk if reward else None,
        in_background=False,
    )
    return attempts.process_import(job_id=job.pk)


def test_a_catalog_import_whose_owner_may_not_change_the_catalog_fails():
    """The API's import is HR's route; a job whose owner may not (any more) act fails
    with the catalog's own words, and nothing is written."""
    manager = ManagerFactory()
    content = _csv({"sku": "SKU-1", "name": "Mug", "cost": 10}).decode()

    done = _run_import("rewards", content, by=manager)

    assert (done.status, done.message) == ("failed", "Only HR admins may change the catalog.")
    assert not Reward.all_objects.filter(sku="SKU-1").exists()


def test_a_code_import_whose_owner_may_not_change_the_catalog_fails():
    manager = ManagerFactory()
    reward = RewardFactory(stock=None)

    done = _run_import("reward_codes", "code\nGIFT-1\nGIFT-2\n", by=manager, reward=reward)

    assert (done.status, done.message) == ("failed", "Only HR admins may change the catalog.")
    assert not reward.codes.exists()
