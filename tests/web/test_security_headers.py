"""The pages' Content Security Policy, CSRF and clickjacking protection."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_csp_whose_nonce_is_on_every_script(page_client, employee):
    response = page_client(employee).get("/rewards/")

    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts
    assert all(f'nonce="{nonce}"' in tag and "src=" in tag for tag in scripts)


def test_each_response_gets_a_fresh_nonce(page_client, employee):
    client = page_client(employee)

    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]

    assert first != second


def test_pages_may_not_be_framed(page_client, employee):
    assert page_client(employee).get("/")["X-Frame-Options"] == "DENY"


def test_every_post_form_carries_a_csrf_token(page_client, hr_admin):
    from tests.factories import RewardFactory

    RewardFactory()
    for url in ["/rewards/", "/hr/rewards/new/", "/approvals/"]:
        page = page_client(hr_admin).get(url).content.decode()
        forms = re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", page, re.S)
        assert all("csrfmiddlewaretoken" in form for form in forms), url


def test_static_files_are_served_by_whitenoise(client):
    response = client.get("/static/js/htmx.min.js")

    assert response.status_code == 200
    assert b"htmx" in b"".join(response.streaming_content)
