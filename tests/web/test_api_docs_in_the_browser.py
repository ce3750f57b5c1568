"""/api/docs/ (Swagger UI) and /api/redoc/ (ReDoc) work offline, under the strict CSP.

Every asset comes from Plaudit itself (drf-spectacular-sidecar); the pages fail on any
console error, any CSP violation (heard by an init script, as the page hears it) and any
request that leaves the server.
"""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from rest_framework_simplejwt.tokens import RefreshToken

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

HEAR_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def docs_page(
    chromium: Any, asgi_live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls beside Playwright
    server = urlsplit(asgi_live_server.url).netloc
    problems: list[str] = []
    context = chromium.new_context(base_url=asgi_live_server.url)
    context.add_init_script(HEAR_VIOLATIONS)
    page = context.new_page()
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "request",
        lambda request: (
            problems.append(f"request to {request.url}")
            if urlsplit(request.url).scheme in ("http", "https")
            and urlsplit(request.url).netloc != server
            else None
        ),
    )
    yield page
    page.wait_for_timeout(500)  # late reports (a worker, an image) still count
    context.close()
    assert not problems, f"The API docs reported errors: {problems}"


def test_swagger_ui_lists_the_operations_and_tries_one_with_a_bearer_token(docs_page):
    person = UserFactory(email="swagger@example.com")
    token = str(RefreshToken.for_user(person).access_token)
    page = docs_page

    page.goto("/api/docs/")
    me = page.locator(".opblock-get").filter(
        has=page.locator('.opblock-summary-path[data-path="/api/v1/me/"]')
    )
    expect(me).to_be_visible()
    expect(
        page.locator('.opblock-summary-path[data-path="/api/v1/rewards/"]').first
    ).to_be_visible()

    page.get_by_role("button", name="Authorize").first.click()
    scheme = page.locator(".auth-container").filter(has_text="jwtAuth")
    expect(scheme).to_contain_text("Bearer")
    scheme.locator("input").fill(token)
    scheme.get_by_role("button", name="Apply credentials").click()
    expect(scheme.get_by_role("heading", name="Authorized")).to_be_visible()
    scheme.get_by_role("button", name="Close").click()

    me.locator(".opblock-summary").click()
    me.get_by_role("button", name="Try it out").click()
    me.get_by_role("button", name="Execute").click()
    response = me.locator(".live-responses-table")
    expect(response.locator("tr.response .response-col_status")).to_have_text("200")
    expect(response).to_contain_text("swagger@example.com")


def test_redoc_lists_the_operations(docs_page):
    page = docs_page
    page.goto("/api/redoc/")
    # ReDoc parses its 1 MB bundle and then the whole schema: slow on a busy 2-core machine.
    expect(page.get_by_text("/api/v1/me/").first).to_be_attached(timeout=60_000)
    expect(page.get_by_role("heading", name="Plaudit API")).to_be_visible()
    page.get_by_placeholder("Search...").fill("redemption")  # ReDoc's search runs in a worker
    expect(page.locator('[role="search"] li').first).to_be_visible()
