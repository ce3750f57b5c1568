"""A real browser against a real server, for tests/web's browser tests and screenshots.

The server is the project's ASGI application (pages over HTTP and the
/ws/notifications/ WebSocket together) run by Daphne in a forked process that
uses the test database, as Channels' ``ChannelsLiveServerTestCase`` does. Tests
that use it need committed data, so they run on PostgreSQL with ``transaction=True``.
``browse_make_run`` uses ``make run``'s own server instead: ``manage.py runserver``
with none of the services' variables set. The browser is Debian's Chromium (never a
downloaded one), driven by Playwright.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.db import connection, connections

from tests.factories import TEST_PASSWORD

CHROMIUM = Path(os.environ.get("PLAUDIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
REQUIRE_BROWSER = bool(os.environ.get("PLAUDIT_REQUIRE_SERVICES"))
ROOT = Path(__file__).resolve().parents[2]
# What `make run` leaves unset: no Redis (cache, channel layer), no broker (inline tasks).
SERVICE_VARIABLES = (
    "REDIS_URL",
    "CHANNELS_REDIS_URL",
    "CELERY_BROKER_URL",
    "PLAUDIT_TEST_BROKER_URL",
    "DATABASE_REPLICA_URLS",
    "DEBUG",
)


def _application() -> Any:
    """Built in the server process (module level, so it pickles).

    The tests hash passwords with MD5 for speed (tests/conftest.py), after this
    process was forked, so the server is told to accept that hasher too.
    """
    from django.conf import settings
    from django.contrib.auth import hashers

    from config.asgi import application

    settings.PASSWORD_HASHERS = [FAST_HASHER, *settings.PASSWORD_HASHERS]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    return application


def _end_other_sessions() -> None:
    """Connections opened while Playwright's loop ran are not closed by pytest-django's
    teardown; end them on the server so the test database can be dropped."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()


@dataclass(frozen=True)
class LiveServer:
    url: str


@pytest.fixture(scope="session")
def _other_sessions_ended(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """At the end of the run, once the servers are stopped."""
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()


@pytest.fixture(scope="session")
def asgi_live_server(_other_sessions_ended: None, django_db_blocker: Any) -> Iterator[LiveServer]:
    """Daphne serving the whole site on a free port, forked after the test database exists."""
    from daphne.testing import DaphneProcess

    server = DaphneProcess("127.0.0.1", _application)
    # Forked while pytest-django lets code reach the database, so the child may too.
    with django_db_blocker.unblock():
        connections.close_all()  # the child must open its own connections, not share ours
        server.start()
    if not server.ready.wait(timeout=30):
        server.terminate()
        raise RuntimeError("The test server did not start within 30 seconds.")
    yield LiveServer(url=f"http://127.0.0.1:{server.port.value}")
    server.kill()  # Daphne runs without signal handlers here; SIGTERM would be ignored
    server.join(timeout=10)


# Plaudit ships no right-to-left language; the RTL tests add one Django knows is bidi.
RIGHT_TO_LEFT_LANGUAGE = ("ar", "العربية")


@pytest.fixture
def rtl_live_server(
    _other_sessions_ended: None, django_db_blocker: Any, settings: Any
) -> Iterator[LiveServer]:
    """A server of its own whose LANGUAGES add Arabic, so the language switcher offers a
    right-to-left language and choosing it gives ``<html lang="ar" dir="rtl">``.

    The settings are changed before the fork, so the server process inherits them (the
    session's shared server keeps the shipped languages).
    """
    from daphne.testing import DaphneProcess

    settings.LANGUAGES = [*settings.LANGUAGES, RIGHT_TO_LEFT_LANGUAGE]
    server = DaphneProcess("127.0.0.1", _application)
    with django_db_blocker.unblock():
        connections.close_all()
        server.start()
    if not server.ready.wait(timeout=30):
        server.terminate()
        raise RuntimeError("The test server did not start within 30 seconds.")
    yield LiveServer(url=f"http://127.0.0.1:{server.port.value}")
    server.kill()
    server.join(timeout=10)


@pytest.fixture
def chromium() -> Iterator[Any]:
    """A headless Chromium per test; missing Chromium fails in CI, skips elsewhere.

    Per test, not per session: Playwright's event loop must be gone before the test
    database is flushed, or Django's async-safety guard refuses the flush.
    """
    if not CHROMIUM.exists():
        message = f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    # A 2-core CI machine running the server, the browser and PostgreSQL at once can take
    # longer than Playwright's 5 s default for a round trip to show: wait as long as actions do.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Runs in every page before its own scripts: a CSP violation is an event, not always a
# console message (a blocked inline style from a script is silent), so it is reported too.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.plauditReport("CSP violation: " + event.violatedDirective + " blocked "
    + (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber
    + " (" + (event.sample || "") + ")");
});
"""


class ConsoleWatch:
    """Records what a clean page never shows: console errors and warnings, uncaught
    script errors, CSP violations and pages or assets that fail to load, for every page
    of the contexts it watches.

    An htmx request answered 4xx is the app refusing something on purpose (a form with
    errors is a 422 whose body htmx swaps in), so only Chromium's own network line about
    it ("Failed to load resource") is let through; a 5xx never is.
    """

    def __init__(self) -> None:
        self.problems: list[str] = []

    def watch(self, context: Any) -> None:
        context.expose_function("plauditReport", self._on_report)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.problems.append(f"error: {error.error}"))
        context.on("response", self._on_response)

    def _on_report(self, text: str) -> None:
        self.problems.append(text)

    def _on_console(self, message: Any) -> None:
        if message.type not in ("error", "warning"):
            return
        if message.text.startswith("Failed to load resource"):
            return  # judged by its response in _on_response, which knows who asked
        self.problems.append(f"console {message.type}: {message.text}")

    def _on_response(self, response: Any) -> None:
        if response.status < 400:
            return
        by_htmx = response.request.headers.get("hx-request") == "true"
        if by_htmx and response.status < 500:
            return
        self.problems.append(f"HTTP {response.status} for {response.url}")

    def assert_clean(self) -> None:
        problems, self.problems[:] = list(self.problems), []
        assert not problems, f"The pages reported problems: {problems}"


def _pages(chromium: Any, base_url: str) -> Iterator[Callable[..., Any]]:
    """``open_page(user)``: a fresh browser context (its own cookies) per person.

    Every page fails its test on a console error or warning, a script error or a
    Content Security Policy violation (:class:`ConsoleWatch`); ``browse.console`` lets a
    test check in between (``browse.console.assert_clean()``).
    """
    contexts: list[Any] = []
    console = ConsoleWatch()

    def open_page(user: Any = None, *, width: int = 1280, height: int = 900) -> Any:
        context = chromium.new_context(
            base_url=base_url, viewport={"width": width, "height": height}
        )
        contexts.append(context)
        console.watch(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if user is not None:
            sign_in(page, user.email)
        return page

    open_page.console = console  # type: ignore[attr-defined]
    yield open_page
    for context in contexts:
        context.close()
    console.assert_clean()


@pytest.fixture
def browse(
    chromium: Any, asgi_live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    """Open a page as a person on the test server: ``page = browse(user)``."""
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are
    # still plain synchronous code, so Django's async-safety guard is told so for this test.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    yield from _pages(chromium, asgi_live_server.url)


@pytest.fixture
def browse_rtl(
    rtl_live_server: LiveServer, chromium: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    """``browse`` on :func:`rtl_live_server`: its switcher also offers العربية."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    yield from _pages(chromium, rtl_live_server.url)


def choose_language(page: Any, name: str) -> None:
    """Through the header's switcher, as a person does: open it (the globe), pick the
    language, press the button."""
    switcher = page.locator("details.language-switcher")
    if switcher.get_attribute("open") is None:
        switcher.locator("summary").click()
    switcher.get_by_label("Language").select_option(label=name)
    with page.expect_navigation():
        switcher.locator("button[type=submit]").click()


def _database_url() -> str:
    """The test database as a DATABASE_URL, for a server in another process."""
    database = connection.settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}{port}/{database['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def make_run_server(
    _other_sessions_ended: None, transactional_db: None, tmp_path: Path
) -> Iterator[LiveServer]:
    """``make run``'s server on the test database: ``manage.py runserver`` with none of the
    services' variables, so the in-memory channel layer, the in-process cache and inline
    tasks, all in that one process. Only the password hasher is the tests' fast one."""
    port = _free_port()
    environ = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    environ.update(DATABASE_URL=_database_url(), PASSWORD_HASHERS=FAST_HASHER, PYTHONUNBUFFERED="1")
    log = tmp_path / "runserver.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=environ,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"runserver did not start:\n{log.read_text()}")
            try:
                httpx.get(f"{url}/health/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield LiveServer(url=url)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def browse_make_run(
    chromium: Any, make_run_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    """Open a page as a person on ``make run``'s server: ``page = browse_make_run(user)``."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    yield from _pages(chromium, make_run_server.url)


def sign_in(page: Any, email: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/")


def wait_for_htmx(page: Any) -> None:
    """Until htmx has swapped and settled what it fetched: a field typed into sooner
    may be one htmx has not wired up yet (its triggers are bound as the swap settles)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
