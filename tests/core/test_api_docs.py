"""/api/docs/ and /api/redoc/ are served by Plaudit alone, under the site's CSP.

The browser proof (operations listed, no console error or CSP violation, a bearer
token tried) is tests/web/test_api_docs_in_the_browser.py; this checks what the pages
send, on any database.
"""

import re

import pytest


def _directives(policy: str) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_load_every_asset_from_plaudit_and_every_script_carries_the_nonce(client, url):
    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets
    assert all(asset.startswith("/") and not asset.startswith("//") for asset in assets)
    assert "<style" not in page
    assert "style=" not in page
    for asset in assets:
        if asset.startswith("/static/"):
            assert client.get(asset).status_code == 200, asset


def test_swagger_ui_keeps_the_strict_policy(client):
    policy = _directives(client.get("/api/docs/")["Content-Security-Policy"])

    assert policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "worker-src" not in policy


def test_redoc_alone_may_style_inline_and_search_in_a_blob_worker(client):
    policy = _directives(client.get("/api/redoc/")["Content-Security-Policy"])

    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["worker-src"] == ["blob:"]
    assert policy["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["img-src"] == ["'self'", "data:"]
