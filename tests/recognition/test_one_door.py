"""Recognition's rules, the same at every door: the API, the home page, the admin.

The rules live in the recognition services (with their bounds next to the models);
the serializers and the forms parse, and where a refusal belongs beside a field
they show the service's own words. Each test drives one bad input through every
door that takes it, expects the same refusal and checks that nothing changed.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages

from plaudit.core.errors import DomainError, InvalidInput, NotAllowed
from plaudit.ledger.selectors import allowance_remaining, balance_of
from plaudit.people.models import User
from plaudit.recognition import celebrations, services, values
from plaudit.recognition.models import (
    CelebrationMilestone,
    Comment,
    CompanyValue,
    Reaction,
    Recognition,
)
from tests.doors import Errors, api_as, form_errors, page_session
from tests.factories import HRAdminFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db
AT_MOST_A_MILLION = "Ensure this value is less than or equal to 1,000,000."

HTMX = {"HTTP_HX_REQUEST": "true"}
NO_MESSAGE = "Say what they did: a thank-you needs a message."
NO_COMMENT = "Write a comment first."


def _refusal(exc: InvalidInput) -> Errors:
    return {str(exc.field): [exc.detail]}


@dataclass
class KudosDoors:
    """Each door a thank-you goes through; each answers ``{field: [message]}``."""

    giver: User
    recipient: User

    def api(self, message: str, points: int) -> Errors:
        body = {"message": message, "recipients": [{"user": self.recipient.pk, "points": points}]}
        response = api_as(self.giver).post("/api/v1/recognitions/", body, format="json")
        assert response.status_code == 400, response.json()
        errors = dict(response.json()["errors"])
        if "recipients" in errors:  # the contract nests an item's errors as the input was
            (item,) = errors.pop("recipients")
            errors.update(item)
        return errors

    def web(self, message: str, points: int) -> Errors:
        data = {"recipients": [self.recipient.pk], "points": points, "message": message}
        response = page_session(self.giver).post("/kudos/", data, **HTMX)
        assert response.status_code == 422
        return form_errors(response.context["kudos_form"])

    def service(self, message: str, points: int) -> Errors:
        with pytest.raises(InvalidInput) as refused:
            services.give_recognition(
                giver=self.giver,
                message=message,
                gifts=[services.Gift(recipient=self.recipient, points=points)],
            )
        return _refusal(refused.value)


KUDOS_DOORS = ["api", "web", "service"]


@pytest.mark.parametrize("door", KUDOS_DOORS)
@pytest.mark.parametrize(
    ("message", "points", "refusal"),
    [
        ("", 5, {"message": [NO_MESSAGE]}),
        (" \n  ", 5, {"message": [NO_MESSAGE]}),
        (
            "x" * 2001,
            5,
            {"message": ["Ensure this value has at most 2000 characters (it has 2001)."]},
        ),
        ("Thanks!", 1_000_001, {"points": [AT_MOST_A_MILLION]}),
        ("Thanks!", -1, {"points": ["Ensure this value is greater than or equal to 0."]}),
    ],
    ids=["empty", "blank", "2001-characters", "too-many-points", "negative-points"],
)
def test_a_thank_you_the_rules_refuse_is_refused_alike_at_every_door(
    door, message, points, refusal
):
    giver, recipient = UserFactory(), UserFactory()

    assert getattr(KudosDoors(giver, recipient), door)(message, points) == refusal

    assert not Recognition.objects.exists()
    assert (allowance_remaining(giver), balance_of(recipient)) == (100, 0)


def test_a_thank_you_is_stored_trimmed_whichever_door_took_it():
    giver, recipient = UserFactory(), UserFactory()
    body = {"message": "  Great demo!\n", "recipients": [{"user": recipient.pk, "points": 1}]}

    api_as(giver).post("/api/v1/recognitions/", body, format="json")
    page_session(giver).post(
        "/kudos/", {"recipients": [recipient.pk], "points": 1, "message": "  Great demo!\n"}
    )

    assert list(Recognition.objects.values_list("message", flat=True)) == ["Great demo!"] * 2


@pytest.mark.parametrize("how_many", [0, 21])
def test_thanking_no_one_or_too_many_is_refused_in_the_same_words_at_every_door(how_many):
    giver, people = UserFactory(), UserFactory.create_batch(how_many)
    words = ["Choose 1 to 20 people to thank."]

    api = api_as(giver).post(
        "/api/v1/recognitions/",
        {"message": "Thanks!", "recipients": [{"user": p.pk, "points": 1} for p in people]},
        format="json",
    )
    web = page_session(giver).post(
        "/kudos/", {"recipients": [p.pk for p in people], "points": 1, "message": "Thanks!"}, **HTMX
    )
    with pytest.raises(DomainError) as refused:
        services.give_recognition(
            giver=giver, message="Thanks!", gifts=[services.Gift(p, 1) for p in people]
        )

    assert (api.status_code, web.status_code) == (400, 422)
    assert api.json()["errors"]["recipients"] == {"non_field_errors": words}  # the list's own
    assert form_errors(web.context["kudos_form"])["recipients"] == words
    assert (refused.value.field, [refused.value.detail]) == ("recipients", words)
    assert not Recognition.objects.exists()


@pytest.fixture
def kudos() -> Recognition:
    return services.give_recognition(
        giver=UserFactory(), message="Thanks", gifts=[services.Gift(UserFactory(), 1)]
    )


@dataclass
class CommentDoors:
    author: User
    recognition: Recognition

    def api(self, body: str) -> Errors:
        response = api_as(self.author).post(
            f"/api/v1/recognitions/{self.recognition.pk}/comments/", {"body": body}, format="json"
        )
        assert response.status_code == 400, response.json()
        return dict(response.json()["errors"])

    def web(self, body: str) -> Errors:
        response = page_session(self.author).post(
            f"/recognitions/{self.recognition.pk}/comments/", {"body": body}, **HTMX
        )
        assert response.status_code == 422
        return form_errors(response.context["comment_form"])

    def service(self, body: str) -> Errors:
        with pytest.raises(InvalidInput) as refused:
            services.add_comment(author=self.author, recognition=self.recognition, body=body)
        return _refusal(refused.value)


@pytest.mark.parametrize("door", KUDOS_DOORS)
@pytest.mark.parametrize(
    ("body", "refusal"),
    [
        ("", {"body": [NO_COMMENT]}),
        ("   ", {"body": [NO_COMMENT]}),
        ("x" * 1001, {"body": ["Ensure this value has at most 1000 characters (it has 1001)."]}),
    ],
    ids=["empty", "blank", "1001-characters"],
)
def test_a_comment_the_rules_refuse_is_refused_alike_at_every_door(kudos, door, body, refusal):
    assert getattr(CommentDoors(UserFactory(), kudos), door)(body) == refusal

    assert not Comment.objects.exists()


def test_only_its_author_or_an_hr_admin_removes_a_comment_whichever_door(kudos):
    author, colleague = UserFactory(), UserFactory()
    comment = services.add_comment(author=author, recognition=kudos, body="Mine")
    staff_manager = ManagerFactory(is_staff=True)
    staff_manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_comment", "delete_comment"])
    )

    api = api_as(colleague).delete(f"/api/v1/recognitions/{kudos.pk}/comments/{comment.pk}/")
    web = page_session(colleague).post(
        f"/recognitions/{kudos.pk}/comments/{comment.pk}/remove/", **HTMX
    )
    admin = page_session(staff_manager).post(
        f"/admin/recognition/comment/{comment.pk}/delete/", {"post": "yes"}
    )
    with pytest.raises(NotAllowed):
        services.delete_comment(actor=colleague, comment=comment)

    assert (api.status_code, web.status_code, admin.status_code) == (403, 403, 403)
    assert api.json()["detail"] == "Only the author or an HR admin may remove a comment."
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_an_hr_admin_removes_a_comment_in_the_admin_through_the_service(kudos):
    comment = services.add_comment(author=UserFactory(), recognition=kudos, body="Off topic")

    response = page_session(HRAdminFactory(is_staff=True, is_superuser=True)).post(
        f"/admin/recognition/comment/{comment.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_an_add_on_without_points_is_refused_alike_by_the_api_and_the_service(kudos):
    joiner = UserFactory()
    words = "Ensure this value is greater than or equal to 1."

    response = api_as(joiner).post(
        f"/api/v1/recognitions/{kudos.pk}/add-ons/", {"points": 0}, format="json"
    )
    with pytest.raises(InvalidInput) as refused:
        services.add_on(giver=joiner, recognition=kudos, points=0)

    assert response.status_code == 400
    assert response.json()["errors"] == {"points": [words]} == _refusal(refused.value)
    assert not kudos.add_ons.exists()


NOT_ONE_EMOJI = "Send one emoji, such as 👏 or 🎉."


@dataclass
class ReactionDoors:
    """Each door a reaction goes through; each answers ``{field: [message]}``."""

    person: User
    recognition: Recognition

    def api(self, emoji: str) -> Errors:
        response = api_as(self.person).post(
            f"/api/v1/recognitions/{self.recognition.pk}/reactions/",
            {"emoji": emoji},
            format="json",
        )
        assert response.status_code == 400, response.json()
        return dict(response.json()["errors"])

    def web(self, emoji: str) -> Errors:
        """Without htmx, the feed says why as the page comes back."""
        response = page_session(self.person).post(
            f"/recognitions/{self.recognition.pk}/reactions/", {"emoji": emoji, "action": "add"}
        )
        assert response.status_code == 302
        return {"emoji": [str(message) for message in get_messages(response.wsgi_request)]}

    def service(self, emoji: str) -> Errors:
        with pytest.raises(InvalidInput) as refused:
            services.react(user=self.person, recognition=self.recognition, emoji=emoji)
        return _refusal(refused.value)


@pytest.mark.parametrize("door", KUDOS_DOORS)
@pytest.mark.parametrize(
    "emoji", ["", "hi", "🎉 ", "a🎉", "🎉" * 17], ids=["empty", "words", "space", "letter", "17"]
)
def test_a_reaction_that_is_not_one_emoji_is_refused_alike_at_every_door(kudos, door, emoji):
    assert getattr(ReactionDoors(UserFactory(), kudos), door)(emoji) == {"emoji": [NOT_ONE_EMOJI]}

    assert not Reaction.objects.exists()


def test_only_hr_admins_keep_the_company_values_whichever_door():
    manager = ManagerFactory(is_staff=True)
    manager.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_companyvalue", "add_companyvalue", "change_companyvalue"]
        )
    )
    value = CompanyValue.objects.create(name="Courage", slug="courage")
    form = {"name": "Candour", "slug": "candour", "description": "", "emoji": ""}

    added = page_session(manager).post("/admin/recognition/companyvalue/add/", form)
    changed = page_session(manager).post(
        f"/admin/recognition/companyvalue/{value.pk}/change/", {**form, "slug": "courage"}
    )
    api = api_as(manager).post("/api/v1/values/", form, format="json")
    with pytest.raises(NotAllowed):
        values.create_value(actor=manager, **form)
    with pytest.raises(NotAllowed):
        values.delete_value(value, actor=manager)

    assert (added.status_code, changed.status_code, api.status_code) == (403, 403, 403)
    assert list(CompanyValue.objects.values_list("name", "deleted_at")) == [("Courage", None)]


# --- Company values ------------------------------------------------------------------

SLUG_TAKEN = "Another company value already uses this slug."
NOT_A_SLUG = "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."
A_VALUE = {"name": "Teamwork", "slug": "teamwork", "description": "", "emoji": ""}


@dataclass
class ValueDoors:
    """Each door HR keeps the values through; each answers ``{field: [message]}``."""

    hr: User

    def api(self, fields: dict[str, str]) -> Errors:
        response = api_as(self.hr).post("/api/v1/values/", fields, format="json")
        assert response.status_code == 400, response.json()
        return dict(response.json()["errors"])

    def admin(self, fields: dict[str, str]) -> Errors:
        response = page_session(self.hr).post("/admin/recognition/companyvalue/add/", fields)
        assert response.status_code == 200, "the form is shown again, with its errors"
        return form_errors(response.context["adminform"].form)

    def service(self, fields: dict[str, str]) -> Errors:
        with pytest.raises(InvalidInput) as refused:
            values.create_value(actor=self.hr, **fields)
        return _refusal(refused.value)


@pytest.mark.parametrize("door", ["api", "admin", "service"])
@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"slug": "CourAge"}, {"slug": [SLUG_TAKEN]}),
        ({"slug": "team work"}, {"slug": [NOT_A_SLUG]}),
        (
            {"slug": "x" * 51},
            {"slug": ["Ensure this value has at most 50 characters (it has 51)."]},
        ),
        (
            {"name": "x" * 101},
            {"name": ["Ensure this value has at most 100 characters (it has 101)."]},
        ),
    ],
    ids=["slug-taken-in-other-letters", "slug-with-a-space", "slug-51", "name-101"],
)
def test_a_company_value_the_rules_refuse_is_refused_alike_at_every_door(door, change, refusal):
    CompanyValue.objects.create(name="Courage", slug="courage")
    hr = HRAdminFactory(is_staff=True, is_superuser=True)

    assert getattr(ValueDoors(hr), door)({**A_VALUE, **change}) == refusal

    assert list(CompanyValue.objects.values_list("slug", flat=True)) == ["courage"]


@pytest.mark.parametrize("door", ["api", "admin", "service"])
def test_a_company_values_slug_is_stored_lower_case_whichever_door_took_it(door):
    hr = HRAdminFactory(is_staff=True, is_superuser=True)
    fields = {**A_VALUE, "slug": "TeamWork"}

    if door == "api":
        assert api_as(hr).post("/api/v1/values/", fields, format="json").status_code == 201
    elif door == "admin":
        response = page_session(hr).post("/admin/recognition/companyvalue/add/", fields)
        assert response.status_code == 302
    else:
        values.create_value(actor=hr, **fields)

    assert list(CompanyValue.objects.values_list("slug", flat=True)) == ["teamwork"]


def test_renaming_a_slug_in_the_admin_onto_another_values_is_refused_on_the_form():
    CompanyValue.objects.create(name="Courage", slug="courage")
    value = CompanyValue.objects.create(name="Candour", slug="candour")

    response = page_session(HRAdminFactory(is_staff=True, is_superuser=True)).post(
        f"/admin/recognition/companyvalue/{value.pk}/change/", {**A_VALUE, "slug": "COURAGE"}
    )

    assert response.status_code == 200
    assert form_errors(response.context["adminform"].form) == {"slug": [SLUG_TAKEN]}
    value.refresh_from_db()
    assert (value.name, value.slug) == ("Candour", "candour")


# --- Celebration milestones ------------------------------------------------------------

BIRTHDAY_HAS_NO_YEARS = "A birthday milestone has no years."
MILESTONE_TAKEN = "This occasion already has a milestone for these years."


@dataclass
class MilestoneDoors:
    """Each door HR sets what the company gives on an occasion through."""

    hr: User

    def api(self, fields: dict[str, Any]) -> Errors:
        response = api_as(self.hr).post("/api/v1/celebrations/milestones/", fields, format="json")
        assert response.status_code == 400, response.json()
        return dict(response.json()["errors"])

    def admin(self, fields: dict[str, Any]) -> Errors:
        form = {name: "" if value is None else value for name, value in fields.items()}
        response = page_session(self.hr).post("/admin/recognition/celebrationmilestone/add/", form)
        assert response.status_code == 200, "the form is shown again, with its errors"
        return form_errors(response.context["adminform"].form)

    def service(self, fields: dict[str, Any]) -> Errors:
        with pytest.raises(InvalidInput) as refused:
            celebrations.create_milestone(actor=self.hr, **fields)
        return _refusal(refused.value)


@pytest.mark.parametrize("door", ["api", "admin", "service"])
@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"occasion": "birthday", "years": 3, "points": 5}, {"years": [BIRTHDAY_HAS_NO_YEARS]}),
        ({"occasion": "anniversary", "years": 5, "points": 1}, {"years": [MILESTONE_TAKEN]}),
        (
            {"occasion": "anniversary", "years": 0, "points": 1},
            {"years": ["Ensure this value is greater than or equal to 1."]},
        ),
    ],
    ids=["birthday-with-years", "taken", "0-years"],
)
def test_a_milestone_the_rules_refuse_is_refused_alike_at_every_door(door, fields, refusal):
    CelebrationMilestone.objects.create(occasion="anniversary", years=5, points=200)
    hr = HRAdminFactory(is_staff=True, is_superuser=True)

    assert getattr(MilestoneDoors(hr), door)(fields) == refusal

    assert list(CelebrationMilestone.objects.values_list("years", "points")) == [(5, 200)]


def test_only_hr_admins_set_milestones_whichever_door():
    manager = ManagerFactory(is_staff=True)
    manager.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "view_celebrationmilestone",
                "add_celebrationmilestone",
                "change_celebrationmilestone",
                "delete_celebrationmilestone",
            ]
        )
    )
    milestone = CelebrationMilestone.objects.create(occasion="birthday", points=10)
    form = {"occasion": "anniversary", "years": 1, "points": 50}

    added = page_session(manager).post("/admin/recognition/celebrationmilestone/add/", form)
    changed = page_session(manager).post(
        f"/admin/recognition/celebrationmilestone/{milestone.pk}/change/",
        {"occasion": "birthday", "years": "", "points": 999},
    )
    with pytest.raises(NotAllowed):
        celebrations.create_milestone(actor=manager, **form)
    with pytest.raises(NotAllowed):
        celebrations.delete_milestone(milestone, actor=manager)

    assert (added.status_code, changed.status_code) == (403, 403)
    assert list(CelebrationMilestone.objects.values_list("occasion", "points")) == [
        ("birthday", 10)
    ]
