"""The recognition admin: values are edited through the services; kudos are read-only."""

import pytest
from django.test import Client

from plaudit.recognition.models import CompanyValue
from plaudit.recognition.services import add_comment, react
from tests.factories import CompanyValueFactory, HRAdminFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client():
    client = Client()
    client.force_login(HRAdminFactory(is_staff=True, is_superuser=True))
    return client


def test_every_recognition_page_of_the_admin_opens(hr_client, give):
    recognition = give(UserFactory(), {UserFactory(): 5}, "Admin view #craft")
    add_comment(author=UserFactory(), recognition=recognition, body="+1")
    react(user=UserFactory(), recognition=recognition, emoji="🎉")
    CompanyValueFactory()

    for model in ("recognition", "award", "addon", "comment", "reaction", "companyvalue"):
        listed = hr_client.get(f"/admin/recognition/{model}/", {"q": "a"})
        assert listed.status_code == 200, model
    assert (
        hr_client.get(f"/admin/recognition/recognition/{recognition.pk}/change/").status_code == 200
    )
    assert "Admin view" in hr_client.get("/admin/recognition/recognition/").content.decode()


def test_kudos_cannot_be_added_in_the_admin_because_they_move_points(hr_client):
    assert hr_client.get("/admin/recognition/recognition/add/").status_code == 403
    assert hr_client.get("/admin/recognition/award/add/").status_code == 403


def test_retiring_a_value_in_the_admin_is_a_soft_delete(hr_client):
    value = CompanyValueFactory()

    response = hr_client.post(
        "/admin/recognition/companyvalue/",
        {"action": "soft_delete", "_selected_action": [value.pk]},
    )

    assert response.status_code == 302
    value.refresh_from_db()
    assert value.deleted_at is not None


def test_a_value_added_in_the_admin_is_listed_in_the_api(hr_client, client_for):
    response = hr_client.post(
        "/admin/recognition/companyvalue/add/",
        {"name": "Curiosity", "slug": "curiosity", "description": "", "emoji": "🔎"},
    )

    assert response.status_code == 302
    assert CompanyValue.objects.get().slug == "curiosity"
    listed = client_for(UserFactory()).get("/api/v1/values/").json()["results"]
    assert [v["slug"] for v in listed] == ["curiosity"]
