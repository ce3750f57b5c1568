"""Accessibility, checked in Chromium rather than assumed.

For each role (a visitor on the sign-in pages, an employee, a manager, an HR admin),
every page that role can open is audited by axe-core (the npm package pinned in
package.json, installed by ``make install``) and walked with the Tab key:

- axe must report no violation of impact "serious" or "critical";
- every visible link, button and form control in the header, main and footer is reached
  by Tab, and shows a focus indicator when it is: its outline or box shadow changes, and
  an outline has 3:1 contrast with what is around it (WCAG 1.4.11).

Most pages are audited at desktop width, HR's busiest also at a phone's.

The page list comes from tests/web/test_page_access.py (the web app's URLs) plus the
allauth account pages each role reaches, pages with a record's id, and the states htmx
swaps in (recipient suggestions, an open comment thread, a form with errors).
"""

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from plaudit.events.models import Notification
from plaudit.people.models import User
from plaudit.people.roles import Role
from plaudit.people.services import create_person
from plaudit.recognition.services import Gift, add_comment, give_recognition, react
from plaudit.rewards.services import redeem_reward
from tests.factories import (
    TEST_PASSWORD,
    CompanyValueFactory,
    HRAdminFactory,
    ManagerFactory,
    RewardFactory,
    UserFactory,
)

from .browser import REQUIRE_BROWSER, LiveServer, sign_in
from .test_page_access import EVERYONE, HR_ONLY, MANAGERS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}

# Pages anyone reaches without signing in (allauth's, and the error page).
VISITOR_PAGES = [
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-not-a-key/",
    "/accounts/signup/",  # sign-up is closed: the page says so
    "/no-such-page/",
]
# allauth's pages for someone signed in.
ACCOUNT_PAGES = [
    "/accounts/password/change/",
    "/accounts/email/",
    "/accounts/logout/",
]


@pytest.fixture
def audited(
    chromium: Any, asgi_live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Any]]:
    """A page with axe-core at hand: ``page = audited(user)``; missing axe fails in CI.

    axe is injected with ``add_script_tag``, an external script without the page's nonce,
    which the strict CSP refuses; so these contexts, and only these, bypass the CSP
    (``bypass_csp=True``). The CSP itself is checked by the ``browse`` fixture's pages
    and tests/web/test_security_headers.py.
    """
    if not AXE.exists():
        message = f"needs axe-core at {AXE} (make install, with npm)"
        if REQUIRE_BROWSER:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    contexts: list[Any] = []

    def open_page(user: User | None = None, *, width: int = 1280, height: int = 900) -> Any:
        context = chromium.new_context(
            base_url=asgi_live_server.url,
            viewport={"width": width, "height": height},
            bypass_csp=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if user is not None:
            sign_in(page, user.email)
        return page

    yield open_page
    for context in contexts:
        context.close()


def axe_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"])
        found.append(
            f"{page.url}: {violation['id']} ({violation['impact']}) at {targets}"
            f" — {violation['help']} {violation['helpUrl']}"
        )
    return found


# Run in the page. Every control a keyboard user should reach is numbered
# (data-a11y-control); ``a11yFocusStyle`` reads how an element draws its focus now.
HELPERS_JS = """() => {
  window.a11yName = el => {
    const text = (el.getAttribute('aria-label') || el.innerText || el.value || el.name || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text}"`;
  };
  // WCAG 1.4.11: a focus ring needs 3:1 against what is around it (the outline is
  // drawn outside the element, on its nearest painted ancestor).
  const rgb = color => color.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => [r, g, b]
    .map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  window.a11yRingContrast = el => {
    let around = [255, 255, 255];
    for (let node = el.parentElement; node; node = node.parentElement) {
      const color = rgb(getComputedStyle(node).backgroundColor);
      if (color.length < 4 || color[3] > 0) { around = color; break; }
    }
    const [a, b] = [luminance(rgb(getComputedStyle(el).outlineColor)), luminance(around)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  window.a11yFocusStyle = el => {
    const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' | ');
  };
  document.querySelectorAll('[data-a11y-tab], [data-a11y-control]').forEach(el => {
    delete el.dataset.a11yTab;
    delete el.dataset.a11yControl;
  });
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [tabindex]:not([tabindex="-1"])';
  const controls = [...document.querySelectorAll(
      `header :is(${selector}), main :is(${selector}), footer :is(${selector})`)]
    .filter(el => !el.disabled && el.checkVisibility({visibilityProperty: true})
                  && el.getBoundingClientRect().width > 1);
  controls.forEach((el, index) => { el.dataset.a11yControl = index; });
  // Tab from the top: the sequential focus starting point goes back to the document.
  const root = document.documentElement;
  document.activeElement && document.activeElement.blur();
  root.tabIndex = -1;
  root.focus();
  root.removeAttribute('tabindex');
  window.scrollTo(0, 0);
  return controls.map(el => window.a11yName(el));
}"""
# The focused element and whether its focus shows: its outline or box shadow differs
# from the same element unfocused (blurred, then focused again so that Tab carries on).
# Measured once per element: focus() puts a date input back on its first part.
FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  if (el.dataset.a11yTab) return {tab: el.dataset.a11yTab, again: true};
  el.dataset.a11yTab = document.querySelectorAll('[data-a11y-tab]').length;
  const focused = window.a11yFocusStyle(el);
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const contrast = ring ? window.a11yRingContrast(el) : null;
  const shows = (ring && contrast >= 3) || style.boxShadow !== 'none';
  el.blur();
  const unfocused = window.a11yFocusStyle(el);
  el.focus();
  return {name: window.a11yName(el), tab: el.dataset.a11yTab, again: false,
          control: el.dataset.a11yControl ?? null, visible: focused !== unfocused && shows,
          contrast: contrast && contrast.toFixed(2)};
}"""


def keyboard_problems(page: Any) -> list[str]:
    """Tab from the top of the page to its end: controls never reached, and controls that
    show no change when focused."""
    controls = page.evaluate(HELPERS_JS)
    problems = []
    reached: set[str] = set()
    # A date and time input takes several Tabs (one per part), hence the margin.
    for _ in range(3 * len(controls) + 20):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is None or (focused["again"] and focused["tab"] == "0"):
            break  # past the last control, or back at the first
        if focused["again"]:
            continue  # the next part of a date input
        if focused["control"] is not None:
            reached.add(focused["control"])
        if not focused["visible"]:
            problems.append(
                f"{page.url}: {focused['name']} shows no focus indicator with 3:1 contrast"
                f" (outline contrast {focused['contrast']})"
            )
    problems += [
        f"{page.url}: {name} is not reached by Tab"
        for index, name in enumerate(controls)
        if str(index) not in reached
    ]
    return problems


def audit(page: Any, urls: list[str]) -> list[str]:
    """axe and the keyboard on each page in turn; every problem, not just the first."""
    problems = []
    for url in urls:
        page.goto(url)
        expect(page.locator("h1").first).to_be_attached()
        problems += axe_violations(page)
        problems += keyboard_problems(page)
    return problems


def _company() -> dict[str, Any]:
    """A small company whose pages have something on them: kudos with a comment and a
    reaction, a reward, a pending redemption to approve, notifications."""
    hr = HRAdminFactory(first_name="Hana", last_name="Ribeiro")
    manager = ManagerFactory(first_name="Maya", last_name="Okafor")
    employee = UserFactory(first_name="Ben", last_name="Adams", manager=manager, with_points=500)
    colleague = UserFactory(first_name="Chloe", last_name="Dubois", manager=manager)
    value = CompanyValueFactory()
    kudos = give_recognition(
        giver=manager,
        message="Thanks for the release notes!",
        gifts=[Gift(employee, 20), Gift(colleague, 20)],
        values=[value],
    )
    give_recognition(giver=employee, message="Great pairing session.", gifts=[Gift(colleague, 10)])
    add_comment(author=colleague, recognition=kudos, body="Seconded!")
    react(user=colleague, recognition=kudos, emoji="🎉")
    reward = RewardFactory(name="Team lunch", cost=100, per_user_limit=None)
    RewardFactory(name="Conference ticket", cost=5000)
    redeem_reward(user=employee, reward_id=reward.pk)
    for person in (employee, manager, hr):
        Notification.objects.create(
            user=person, event="redemption.approved", title="Your lunch was approved", url="/"
        )
    return {"hr": hr, "manager": manager, "employee": employee, "reward": reward}


def _report(problems: list[str]) -> str:
    return "Accessibility problems:\n" + "\n".join(problems)


def test_the_sign_in_pages_pass_axe_and_the_keyboard(audited):
    page = audited()

    problems = audit(page, VISITOR_PAGES)

    assert not problems, _report(problems)


def test_every_employee_page_passes_axe_and_the_keyboard(audited):
    people = _company()
    page = audited(people["employee"])

    problems = audit(page, [*EVERYONE, *ACCOUNT_PAGES, "/team/"])  # /team/: the 403 page

    assert not problems, _report(problems)


def test_every_manager_page_passes_axe_and_the_keyboard(audited):
    people = _company()
    page = audited(people["manager"])

    problems = audit(page, [*EVERYONE, *MANAGERS])

    assert not problems, _report(problems)


def test_every_hr_page_passes_axe_and_the_keyboard(audited):
    people = _company()
    page = audited(people["hr"])

    someone = people["employee"].pk
    problems = audit(
        page,
        [
            *EVERYONE,
            *MANAGERS,
            *HR_ONLY,
            f"/hr/rewards/{people['reward'].pk}/edit/",
            f"/hr/people/{someone}/",
            f"/hr/people/{someone}/edit/",
        ],
    )

    # An import's own page, as HR sees it once the job is done.
    page.goto("/hr/imports/")
    page.get_by_label("File").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV.encode()}]
    )
    page.get_by_label("Kind").select_option("employees")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_test_id("import-done")).to_be_visible(timeout=20_000)
    problems += axe_violations(page) + keyboard_problems(page)

    assert not problems, _report(problems)


def test_the_two_factor_pages_pass_axe_and_the_keyboard(audited):
    person = UserFactory(first_name="Ben", last_name="Adams")
    page = audited(person)
    # allauth asks for the password again before an authenticator is added or removed.
    page.goto("/accounts/reauthenticate/?next=/accounts/2fa/")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/")

    # Before enrolling: the overview, setting up an app, adding a passkey, the (empty) keys.
    problems = audit(
        page,
        [
            "/accounts/2fa/",
            "/accounts/2fa/totp/activate/",
            "/accounts/2fa/webauthn/add/",
            "/accounts/2fa/webauthn/",
        ],
    )
    # With an authenticator app and recovery codes.
    TOTP.activate(person, generate_totp_secret())
    RecoveryCodes.activate(person)
    problems += audit(
        page,
        [
            "/accounts/2fa/",
            "/accounts/2fa/recovery-codes/",
            "/accounts/2fa/recovery-codes/generate/",
            "/accounts/2fa/totp/deactivate/",
        ],
    )
    # The second step of signing in.
    visitor = audited()
    visitor.goto("/accounts/login/")
    visitor.get_by_label("Email address").fill(person.email)
    visitor.get_by_label("Password").fill(TEST_PASSWORD)
    visitor.get_by_role("button", name="Sign in", exact=True).click()
    visitor.wait_for_url("**/accounts/2fa/authenticate/")
    problems += axe_violations(visitor) + keyboard_problems(visitor)

    assert not problems, _report(problems)


IMPORT_CSV = (
    "employee_id,email,first_name,last_name,department,title,manager_employee_id,role,salary,"
    "hire_date\n"
    "A001,new.person@example.com,New,Person,Sales,Rep,,employee,50000,2024-01-02\n"
    "A002,not-an-email,Bad,Row,Sales,Rep,,employee,50000,2024-01-02\n"
)


def test_on_a_phone_the_pages_pass_axe_and_the_keyboard(audited):
    """The narrow layout (the navigation, tables that scroll) for the role with most links."""
    people = _company()
    page = audited(people["hr"], width=390, height=844)

    problems = audit(page, ["/", "/approvals/", "/hr/people/", "/hr/reports/"])
    page.get_by_text("The numbers").first.click()  # a report's table, opened
    problems += axe_violations(page) + keyboard_problems(page)

    assert not problems, _report(problems)


def test_what_htmx_swaps_in_passes_axe_and_the_keyboard(audited):
    """Suggestions, a chosen recipient, an open thread and a form with errors."""
    people = _company()
    page = audited(people["employee"])
    page.goto("/")

    page.get_by_label("Who to thank").fill("chlo")
    expect(page.get_by_role("button", name=re.compile("Chloe Dubois"))).to_be_visible()
    problems = axe_violations(page)
    page.get_by_role("button", name=re.compile("Chloe Dubois")).click()
    expect(page.locator("#chosen-recipients")).to_contain_text("Chloe Dubois")
    page.get_by_role("link", name="1 comment").first.click()
    expect(page.get_by_label("Add a comment")).to_be_visible()
    page.get_by_label("Points for each").fill("5000")
    page.get_by_role("button", name="Send thanks").click()
    expect(page.locator("#id_points_error")).to_be_visible()
    # The error is the field's description: a screen reader reads it with the field.
    expect(page.get_by_label("Points for each")).to_have_accessible_description(
        re.compile("points left to give")
    )

    problems += axe_violations(page) + keyboard_problems(page)

    assert not problems, _report(problems)


def test_the_open_language_switcher_passes_axe_and_the_keyboard(audited):
    """The header's language form (a globe that opens a label, a select and a button), open
    on the home page and on the sign-in page."""
    people = _company()
    problems = []
    for page, url in ((audited(people["employee"]), "/"), (audited(), "/accounts/login/")):
        page.goto(url)
        page.locator(".language-switcher summary").click()
        expect(page.get_by_label("Language")).to_be_visible()
        problems += axe_violations(page) + keyboard_problems(page)

    assert not problems, _report(problems)


def test_the_django_admin_passes_axe_for_hr(audited):
    # Made HR as HR makes one (the people service), so the role's group opens the admin.
    hr = create_person(
        actor=None,
        email="hana@example.com",
        first_name="Hana",
        role=Role.HR_ADMIN,
        password=TEST_PASSWORD,
    )
    page = audited(hr)

    changelist = page.goto("/admin/people/user/")
    assert changelist is not None
    assert changelist.status == 200
    problems = axe_violations(page)
    page.goto("/admin/")
    problems += axe_violations(page)

    assert not problems, _report(problems)
