import pytest

from plaudit.recognition.models import CompanyValue
from tests.factories import CompanyValueFactory, HRAdminFactory, ManagerFactory, UserFactory

from .payloads import kudos

pytestmark = pytest.mark.django_db

URL = "/api/v1/values/"
NEW_VALUE = {"name": "Teamwork", "slug": "teamwork", "description": "Win together", "emoji": "🤝"}


def test_everyone_signed_in_reads_the_values(client_for):
    CompanyValueFactory(name="Craft", slug="craft", description="Care", emoji="🛠")

    body = client_for(UserFactory()).get(URL).json()

    assert body["results"] == [
        {
            "id": body["results"][0]["id"],
            "slug": "craft",
            "name": "Craft",
            "description": "Care",
            "emoji": "🛠",
            "translations": {},
        }
    ]


def test_hr_admins_create_change_and_delete_values(client_for):
    client = client_for(HRAdminFactory())

    created = client.post(URL, NEW_VALUE)
    changed = client.patch(f"{URL}{created.json()['id']}/", {"emoji": "🙌"})
    deleted = client.delete(f"{URL}{created.json()['id']}/")

    assert created.status_code == 201, created.json()
    assert created.json()["slug"] == "teamwork"
    assert changed.json()["emoji"] == "🙌"
    assert deleted.status_code == 204
    assert client.get(URL).json()["results"] == []


@pytest.mark.parametrize("factory", [UserFactory, ManagerFactory])
def test_other_roles_cannot_change_values(client_for, factory):
    value = CompanyValueFactory()
    client = client_for(factory())

    assert client.post(URL, NEW_VALUE).status_code == 403
    assert client.patch(f"{URL}{value.pk}/", {"name": "x"}).status_code == 403
    assert client.delete(f"{URL}{value.pk}/").status_code == 403
    assert CompanyValue.objects.get().name == value.name


def test_a_slug_is_unique_and_lower_cased(client_for):
    CompanyValueFactory(slug="teamwork")
    client = client_for(HRAdminFactory())

    taken = client.post(URL, {**NEW_VALUE, "slug": "TeamWork"})
    bad = client.post(URL, {**NEW_VALUE, "slug": "team work"})

    assert taken.status_code == 400
    assert "slug" in taken.json()["errors"]
    assert bad.status_code == 400
    assert CompanyValue.objects.count() == 1


def test_a_deleted_value_cannot_be_given_but_past_kudos_keep_it(client_for, give):
    value = CompanyValueFactory(slug="hustle")
    giver, ana = UserFactory(), UserFactory()
    past = give(giver, {ana: 1}, values=[value])
    client_for(HRAdminFactory()).delete(f"{URL}{value.pk}/")

    refused = client_for(giver).post("/api/v1/recognitions/", kudos([(ana, 1)], values=["hustle"]))
    old = client_for(ana).get(f"/api/v1/recognitions/{past.pk}/").json()

    assert refused.status_code == 400
    assert [v["slug"] for v in old["values"]] == ["hustle"]


def test_a_deleted_values_slug_can_be_used_again(client_for):
    client = client_for(HRAdminFactory())
    first = client.post(URL, NEW_VALUE).json()
    client.delete(f"{URL}{first['id']}/")

    again = client.post(URL, NEW_VALUE)

    assert again.status_code == 201
    assert again.json()["id"] != first["id"]
