"""The words pages and their script show go through Django's translation machinery."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template

pytestmark = pytest.mark.django_db


def test_the_script_catalog_answers_javascript_with_the_number_format(page_client):
    response = page_client(None).get("/jsi18n/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert "django.ngettext" in body
    assert '"THOUSAND_SEPARATOR": ","' in body


def test_pages_load_the_catalog_before_the_script_that_uses_it(page_client, employee):
    page = page_client(employee).get("/").content.decode()

    assert 'src="/jsi18n/"' in page
    assert page.index('src="/jsi18n/"') < page.index("js/plaudit.js")


def _award(name: str, points: int) -> SimpleNamespace:
    recipient = SimpleNamespace(get_full_name=lambda: name, email=f"{name}@example.com")
    return SimpleNamespace(recipient=recipient, points=points)


def test_the_feed_names_the_people_thanked_as_one_escaped_list():
    template = Template("{% load plaudit %}{% thanked_people awards each %}")
    awards = [_award("Ben <b>", 10), _award("Chloe", 25)]

    html = template.render(Context({"awards": awards, "each": None}))

    assert html == "<strong>Ben &lt;b&gt;</strong> (10 points), <strong>Chloe</strong> (25 points)"
    same = template.render(Context({"awards": awards[1:], "each": 25}))
    assert same == "<strong>Chloe</strong>"
