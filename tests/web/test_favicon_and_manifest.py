"""The browser finds Plaudit's icon and its web app manifest, on every page and by name."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon_ico_answers_with_an_icon_not_a_404():
    response = Client().get("/favicon.ico", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain  # to the static file, whose name may carry a hash
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}


def test_the_manifest_is_json_with_what_browsers_need(settings):
    settings.PLAUDIT = {**settings.PLAUDIT, "SITE_NAME": "Acme Kudos"}
    client = Client()

    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert {"name", "short_name", "icons", "theme_color", "start_url"} <= set(manifest)
    assert manifest["name"] == "Acme Kudos"
    assert manifest["start_url"] == "/"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200, icon
        assert served["Content-Type"] == icon["type"]


def test_every_page_links_the_icon_and_the_manifest(page_client, employee):
    for page in (Client().get("/accounts/login/"), page_client(employee).get("/")):
        head = page.content.decode().split("</head>")[0]
        assert 'rel="icon"' in head
        assert '<link rel="manifest" href="/manifest.webmanifest">' in head
