"""A redemption's life: pending → approved → fulfilled; pending → rejected or cancelled.

Reject and cancel give the points back and restore the stock; every other move is a
409 ``invalid_transition``; each move is open only to the people the contract names.
"""

from typing import Any

import pytest

from plaudit.ledger.selectors import balance_of
from plaudit.people.models import User
from plaudit.rewards.models import Redemption, RedemptionStatus, Reward
from tests.factories import HRAdminFactory, ManagerFactory, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db

MOVES = ("approve", "fulfil", "reject", "cancel")
LEGAL = {
    ("pending", "approve"),
    ("approved", "fulfil"),
    ("pending", "reject"),
    ("pending", "cancel"),
}


@pytest.fixture
def redeemer(manager: User) -> User:
    """Reports to ``manager``; has spent 100 of 500 points on one item of a stock of 5."""
    return UserFactory(manager=manager, with_points=500)


@pytest.fixture
def reward() -> Reward:
    return RewardFactory(name="Mug", cost=100, stock=5)


@pytest.fixture
def redemption(client_for: Any, redeemer: User, reward: Reward) -> Redemption:
    response = client_for(redeemer).post("/api/v1/redemptions/", {"reward": reward.pk})
    assert response.status_code == 201, response.json()
    return Redemption.objects.get(pk=response.json()["id"])


def _move(client: Any, redemption: Redemption, move: str, **body: Any) -> Any:
    if move == "reject":
        body.setdefault("reason", "Not this quarter")  # required: the person sees it
    return client.post(f"/api/v1/redemptions/{redemption.pk}/{move}/", body)


def _stock(reward: Reward) -> int | None:
    reward.refresh_from_db()
    return reward.stock


def _status(redemption: Redemption) -> str:
    redemption.refresh_from_db()
    return redemption.status


# --- The happy paths ----------------------------------------------------------


def test_hr_approves_a_pending_redemption(client_for, hr_admin, redemption):
    response = _move(client_for(hr_admin), redemption, "approve")

    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert response.json()["id"] == redemption.pk
    assert _status(redemption) == "approved"


def test_the_redeemers_manager_approves(client_for, manager, redemption):
    response = _move(client_for(manager), redemption, "approve")

    assert response.status_code == 200
    assert _status(redemption) == "approved"


def test_approving_keeps_the_points_spent_and_the_stock_taken(
    client_for, hr_admin, redeemer, reward, redemption
):
    _move(client_for(hr_admin), redemption, "approve")

    assert balance_of(redeemer) == 400
    assert _stock(reward) == 4


def test_hr_fulfils_an_approved_redemption(client_for, hr_admin, redeemer, redemption):
    _move(client_for(hr_admin), redemption, "approve")

    response = _move(client_for(hr_admin), redemption, "fulfil")

    assert response.status_code == 200
    assert response.json()["status"] == "fulfilled"
    assert balance_of(redeemer) == 400


def test_rejecting_refunds_the_points_and_restores_the_stock(
    client_for, hr_admin, redeemer, reward, redemption
):
    response = _move(client_for(hr_admin), redemption, "reject", reason="Not in budget")

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["reason"] == "Not in budget"
    assert balance_of(redeemer) == 500
    assert _stock(reward) == 5


def test_the_redeemers_manager_rejects(client_for, manager, redeemer, redemption):
    response = _move(client_for(manager), redemption, "reject", reason="Wrong size")

    assert response.status_code == 200
    assert balance_of(redeemer) == 500


def test_a_rejection_refund_is_a_ledger_line_the_redeemer_sees(
    client_for, hr_admin, redeemer, redemption
):
    _move(client_for(hr_admin), redemption, "reject", reason="Not in budget")

    entries = client_for(redeemer).get("/api/v1/points/entries/").json()["results"]

    assert [(entry["amount"], entry["kind"]) for entry in entries] == [
        (100, "refund"),
        (-100, "redemption"),
        (500, "grant"),
    ]
    assert "Not in budget" in entries[0]["description"]


def test_the_redeemer_cancels_a_pending_redemption_and_gets_everything_back(
    client_for, redeemer, reward, redemption
):
    response = _move(client_for(redeemer), redemption, "cancel")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert balance_of(redeemer) == 500
    assert _stock(reward) == 5
    latest = client_for(redeemer).get("/api/v1/points/entries/").json()["results"][0]
    assert (latest["amount"], latest["kind"]) == (100, "refund")


def test_a_refund_gives_back_what_was_paid_even_if_the_price_changed(
    client_for, hr_admin, redeemer, reward, redemption
):
    client_for(hr_admin).patch(f"/api/v1/rewards/{reward.pk}/", {"cost": 400})

    _move(client_for(redeemer), redemption, "cancel")

    assert balance_of(redeemer) == 500


def test_cancelling_a_redemption_of_unlimited_stock_keeps_it_unlimited(client_for):
    person = UserFactory(with_points=100)
    reward = RewardFactory(cost=100, stock=None)
    created = client_for(person).post("/api/v1/redemptions/", {"reward": reward.pk}).json()

    response = client_for(person).post(f"/api/v1/redemptions/{created['id']}/cancel/")

    assert response.status_code == 200
    assert _stock(reward) is None
    assert balance_of(person) == 100


def test_a_redemption_of_a_since_deleted_reward_can_still_be_rejected(
    client_for, hr_admin, redeemer, reward, redemption
):
    client_for(hr_admin).delete(f"/api/v1/rewards/{reward.pk}/")

    response = _move(client_for(hr_admin), redemption, "reject", reason="Discontinued")

    assert response.status_code == 200
    assert balance_of(redeemer) == 500


@pytest.mark.parametrize("reason", ["x" * 1001, ["x"], {"why": "x"}], ids=["long", "list", "dict"])
def test_a_rejection_reason_that_is_too_long_or_not_text_is_a_400(
    client_for, hr_admin, redemption, reason
):
    response = _move(client_for(hr_admin), redemption, "reject", reason=reason)

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert _status(redemption) == "pending"


# --- Illegal moves --------------------------------------------------------------


def _bring_to(client_for: Any, hr_admin: User, redeemer: User, redemption: Redemption, to: str):
    hr = client_for(hr_admin)
    path = {
        "pending": [],
        "approved": [(hr, "approve")],
        "fulfilled": [(hr, "approve"), (hr, "fulfil")],
        "rejected": [(hr, "reject")],
        "cancelled": [(client_for(redeemer), "cancel")],
    }[to]
    for client, move in path:
        assert _move(client, redemption, move).status_code == 200


ILLEGAL = [
    (state, move)
    for state in RedemptionStatus.values
    for move in MOVES
    if (state, move) not in LEGAL
]


@pytest.mark.parametrize(("state", "move"), ILLEGAL)
def test_every_move_outside_the_lifecycle_is_a_409_that_changes_nothing(
    client_for, hr_admin, redeemer, reward, redemption, state, move
):
    _bring_to(client_for, hr_admin, redeemer, redemption, state)
    balance, stock = balance_of(redeemer), _stock(reward)
    actor = redeemer if move == "cancel" else hr_admin

    response = _move(client_for(actor), redemption, move)

    assert response.status_code == 409, response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_transition"
    assert _status(redemption) == state
    assert (balance_of(redeemer), _stock(reward)) == (balance, stock)


def test_rejecting_twice_refunds_once(client_for, hr_admin, redeemer, redemption):
    _move(client_for(hr_admin), redemption, "reject")

    again = _move(client_for(hr_admin), redemption, "reject")

    assert again.status_code == 409
    assert balance_of(redeemer) == 500


# --- Who may move what -----------------------------------------------------------


def _someone(kind: str, redeemer: User) -> User:
    if kind == "redeemer":
        return redeemer
    if kind == "hr_admin":
        return HRAdminFactory()
    if kind == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    if kind == "their_manager":
        assert redeemer.manager is not None
        return redeemer.manager
    if kind == "their_managers_manager":
        assert redeemer.manager is not None
        boss = ManagerFactory()
        User.objects.filter(pk=redeemer.manager.pk).update(manager=boss)
        return boss
    if kind == "another_manager":
        return ManagerFactory()
    if kind == "colleague":
        return UserFactory(manager=redeemer.manager)
    raise AssertionError(kind)


# (who, move) → the answer. 404 when the caller cannot see the redemption at all.
PERMISSIONS = {
    "approve": {
        "hr_admin": 200,
        "superuser": 200,
        "their_manager": 200,
        "redeemer": 403,
        "their_managers_manager": 404,
        "another_manager": 404,
        "colleague": 404,
    },
    "reject": {
        "hr_admin": 200,
        "superuser": 200,
        "their_manager": 200,
        "redeemer": 403,
        "their_managers_manager": 404,
        "another_manager": 404,
        "colleague": 404,
    },
    "fulfil": {
        "hr_admin": 200,
        "superuser": 200,
        "their_manager": 403,
        "redeemer": 403,
        "their_managers_manager": 404,
        "another_manager": 404,
        "colleague": 404,
    },
    "cancel": {
        "redeemer": 200,
        "hr_admin": 403,
        "their_manager": 403,
        "their_managers_manager": 404,
        "another_manager": 404,
        "colleague": 404,
    },
}


@pytest.mark.parametrize(
    ("move", "who", "expected"),
    [(move, who, status) for move, table in PERMISSIONS.items() for who, status in table.items()],
)
def test_each_move_is_open_only_to_the_people_the_contract_names(
    client_for, hr_admin, redeemer, redemption, move, who, expected
):
    if move == "fulfil":
        _move(client_for(hr_admin), redemption, "approve")
    before = _status(redemption)
    caller = _someone(who, redeemer)

    response = _move(client_for(caller), redemption, move)

    assert response.status_code == expected, response.json()
    if expected != 200:
        assert response["Content-Type"] == "application/problem+json"
        assert _status(redemption) == before


@pytest.mark.parametrize(("who", "expected"), [("redeemer", 403), ("colleague", 404)])
def test_a_refused_rejection_is_refused_before_its_body_is_judged(
    client_for, redeemer, redemption, who, expected
):
    caller = _someone(who, redeemer)

    response = _move(client_for(caller), redemption, "reject", reason=["not", "text"])

    assert response.status_code == expected
    assert _status(redemption) == "pending"


def test_a_move_on_an_unknown_redemption_is_a_404(client_for, hr_admin):
    response = client_for(hr_admin).post("/api/v1/redemptions/987654/approve/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_moves_need_a_signed_in_caller(client_for, redemption):
    assert _move(client_for(None), redemption, "approve").status_code == 401
    assert _status(redemption) == "pending"


def test_a_redemption_cannot_be_moved_with_get(client_for, hr_admin, redemption):
    response = client_for(hr_admin).get(f"/api/v1/redemptions/{redemption.pk}/approve/")

    assert response.status_code == 405
    assert _status(redemption) == "pending"


# --- Who sees which redemptions ----------------------------------------------------


def _listed(client: Any, query: str = "") -> list[int]:
    response = client.get(f"/api/v1/redemptions/{query}")
    assert response.status_code == 200, response.json()
    return sorted(item["id"] for item in response.json()["results"])


@pytest.fixture
def three_redemptions(client_for: Any, manager: User) -> dict[str, int]:
    """One by ``manager`` themself, one by their report, one by someone else's report."""
    reward = RewardFactory(cost=10, stock=None)
    people = {
        "manager": manager,
        "report": UserFactory(manager=manager, with_points=100),
        "stranger": UserFactory(manager=ManagerFactory(), with_points=100),
    }
    from plaudit.ledger.services import grant_points

    grant_points(user=manager, amount=100, reason="Test", granted_by=None)
    ids = {}
    for name, person in people.items():
        response = client_for(person).post("/api/v1/redemptions/", {"reward": reward.pk})
        ids[name] = response.json()["id"]
    return ids


def test_an_employee_lists_only_their_own_redemptions(client_for, three_redemptions):
    report = Redemption.objects.get(pk=three_redemptions["report"]).user

    assert _listed(client_for(report)) == [three_redemptions["report"]]


def test_a_manager_lists_their_own_and_their_reports_redemptions(
    client_for, manager, three_redemptions
):
    assert _listed(client_for(manager)) == sorted(
        [three_redemptions["manager"], three_redemptions["report"]]
    )


def test_hr_lists_every_redemption(client_for, hr_admin, three_redemptions):
    assert _listed(client_for(hr_admin)) == sorted(three_redemptions.values())


def test_an_employee_cannot_open_someone_elses_redemption(client_for, three_redemptions):
    report = Redemption.objects.get(pk=three_redemptions["report"]).user

    response = client_for(report).get(f"/api/v1/redemptions/{three_redemptions['stranger']}/")

    assert response.status_code == 404


def test_the_list_filters_by_status(client_for, hr_admin, three_redemptions):
    client_for(hr_admin).post(f"/api/v1/redemptions/{three_redemptions['report']}/approve/")

    assert _listed(client_for(hr_admin), "?status=approved") == [three_redemptions["report"]]
    assert _listed(client_for(hr_admin), "?status=pending") == sorted(
        [three_redemptions["manager"], three_redemptions["stranger"]]
    )


def test_an_unknown_status_filter_is_a_400(client_for, hr_admin):
    response = client_for(hr_admin).get("/api/v1/redemptions/?status=lost")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_the_list_is_newest_first(client_for):
    person = UserFactory(with_points=100)
    reward = RewardFactory(cost=10, per_user_limit=None)
    created = [
        client_for(person).post("/api/v1/redemptions/", {"reward": reward.pk}).json()["id"]
        for _ in range(3)
    ]

    listed = client_for(person).get("/api/v1/redemptions/").json()["results"]

    assert [item["id"] for item in listed] == list(reversed(created))
