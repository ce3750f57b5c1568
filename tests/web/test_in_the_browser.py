"""The web app in a real browser: Chromium, htmx, the CSP and the live WebSocket together."""

import re

import pytest
from playwright.sync_api import expect

from plaudit.imports.models import ImportJob, ImportStatus
from plaudit.ledger.selectors import balance_of
from plaudit.people.models import User
from plaudit.rewards.models import Redemption, RedemptionStatus
from tests.factories import HRAdminFactory, ManagerFactory, RewardFactory, UserFactory

from .test_page_access import EVERYONE, HR_ONLY, MANAGERS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_an_employee_redeems_a_reward_in_place_and_cannot_double_submit(browse):
    person = UserFactory(with_points=500)
    reward = RewardFactory(name="Coffee mug", cost=120, per_user_limit=None)
    page = browse(person)
    expect(page.get_by_test_id("balance")).to_have_text("500 points")

    page.goto("/rewards/")
    page.evaluate("window.stillHere = true")  # gone if the page reloads
    page.once("dialog", lambda dialog: dialog.accept())
    card = page.locator(f"#reward-{reward.pk}")
    card.get_by_role("button", name="Redeem").dblclick()

    expect(card.get_by_role("status")).to_contain_text("Redeemed!")
    expect(page.locator("#my-balance")).to_have_text("380 points")
    assert page.evaluate("window.stillHere") is True
    assert Redemption.objects.filter(user=person).count() == 1
    assert balance_of(person) == 380


def test_a_refusal_shows_beside_the_button(browse):
    from plaudit.rewards.services import redeem_reward

    person = UserFactory(with_points=150)
    reward = RewardFactory(name="Day off", cost=120)
    elsewhere = RewardFactory(name="Team lunch", cost=100)
    page = browse(person)

    page.goto("/rewards/")
    redeem_reward(user=person, reward_id=elsewhere.pk)  # spent in another tab meanwhile
    page.once("dialog", lambda dialog: dialog.accept())
    card = page.locator(f"#reward-{reward.pk}")
    card.get_by_role("button", name="Redeem").click()

    expect(card.get_by_role("status")).to_contain_text("120 are needed")
    assert not Redemption.objects.filter(reward=reward).exists()


def test_a_reward_i_cannot_afford_says_why_and_its_button_is_disabled(browse):
    person = UserFactory(with_points=50)
    reward = RewardFactory(name="Day off", cost=120)
    page = browse(person)

    page.goto("/rewards/")

    card = page.locator(f"#reward-{reward.pk}")
    expect(card.get_by_role("button", name="Redeem")).to_be_disabled()
    expect(card.get_by_role("button", name="Redeem")).to_have_accessible_description(
        "You need 70 points more"
    )


def test_the_manager_approves_in_place_and_the_employee_sees_the_badge_move_live(browse):
    manager = ManagerFactory()
    person = UserFactory(manager=manager, with_points=500)
    reward = RewardFactory(name="Team lunch", cost=100)
    employee_page = browse(person)
    employee_page.once("dialog", lambda dialog: dialog.accept())
    employee_page.goto("/rewards/")
    employee_page.locator(f"#reward-{reward.pk}").get_by_role("button", name="Redeem").click()
    expect(employee_page.get_by_text("Redeemed!")).to_be_visible()
    employee_page.goto("/")
    expect(employee_page.locator("body")).to_have_attribute("data-live", "connected")
    badge = employee_page.locator("#unread-badge")
    before = int(badge.inner_text())

    manager_page = browse(manager)
    manager_page.goto("/approvals/")
    redemption = Redemption.objects.get(user=person)
    row = manager_page.locator(f"#redemption-{redemption.pk}")
    row.get_by_role("button", name=re.compile("^Approve")).click()

    expect(row.get_by_role("status")).to_have_text("Approved")
    expect(badge).to_have_text(str(before + 1))  # pushed over the WebSocket, no reload
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.APPROVED


def test_rejecting_without_a_reason_shows_the_error_beside_the_field(browse):
    manager = ManagerFactory()
    person = UserFactory(manager=manager, with_points=500)
    reward = RewardFactory(cost=100)
    from plaudit.rewards.services import redeem_reward

    redemption = redeem_reward(user=person, reward_id=reward.pk)
    page = browse(manager)
    page.goto("/approvals/")
    row = page.locator(f"#redemption-{redemption.pk}")

    row.get_by_label("Reason for rejecting").fill("  ")
    row.get_by_label("Reason for rejecting").evaluate("input => input.removeAttribute('required')")
    row.get_by_role("button", name="Reject").click()

    expect(row.get_by_role("alert")).to_contain_text("Give a reason: the person sees it")
    row.get_by_label("Reason for rejecting").fill("No budget left this quarter")
    row.get_by_role("button", name="Reject").click()
    expect(row.get_by_role("status")).to_contain_text("Rejected")
    assert balance_of(person) == 500


CSV = (
    "employee_id,email,first_name,last_name,department,title,manager_employee_id,role,salary,"
    "hire_date\n"
    + "".join(
        f"B{n:03d},browser{n}@example.com,Bea{n},Tester,Sales,Rep,,employee,50000,2024-01-02\n"
        for n in range(40)
    )
    + "B999,not-an-email,Bad,Row,Sales,Rep,,employee,50000,2024-01-02\n"
)


def test_hr_imports_a_csv_and_the_progress_bar_finishes(browse):
    hr = HRAdminFactory()
    page = browse(hr)

    page.goto("/hr/imports/")
    page.get_by_label("File").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_label("Kind").select_option("employees")
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_test_id("import-done")).to_be_visible(timeout=20_000)
    bar = page.locator("progress")
    assert bar.get_attribute("value") == bar.get_attribute("max") == "41"
    expect(page.get_by_role("link", name="Download the errors file (CSV)")).to_be_visible()
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED
    assert (job.created, job.failed) == (40, 1)
    assert User.objects.filter(email__startswith="browser").count() == 40


# Every page the access tests list, for every role, and the account pages.
PAGES = [*EVERYONE, *MANAGERS, *HR_ONLY, "/accounts/password/change/"]


def test_every_page_fits_a_phone_and_passes_the_csp(browse):
    hr = HRAdminFactory()
    RewardFactory(name="A reward with a rather long name to wrap on a phone")
    page = browse(hr, width=375, height=740)

    for url in PAGES:
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{url} is {overflow}px wider than a phone screen"
    # CSP violations and script errors on any of them fail the test (see ``browse``).


def test_keyboard_users_can_skip_to_the_content(browse):
    page = browse(UserFactory())

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_an_employee_picks_a_colleague_by_typing_and_sends_kudos(browse):
    person = UserFactory()
    colleague = UserFactory(first_name="Ana", last_name="Silvestre")
    page = browse(person)

    page.get_by_label("Who to thank").fill("silv")
    page.get_by_role("button", name=re.compile("Ana Silvestre")).click()
    expect(page.locator("#chosen-recipients")).to_contain_text("Ana Silvestre")
    page.get_by_label("Points for each").fill("25")
    page.get_by_label("Message").fill("Thanks for pairing on the release!")
    page.get_by_role("button", name="Send thanks").click()

    expect(page.get_by_text("Thank you sent!")).to_be_visible()
    expect(page.locator("#feed li").first).to_contain_text("Thanks for pairing on the release!")
    expect(page.get_by_test_id("allowance")).to_have_text("75 points")
    assert balance_of(colleague) == 25


def test_a_kudos_error_shows_beside_its_field_in_the_browser(browse):
    person = UserFactory()
    UserFactory(first_name="Ana", last_name="Silvestre")
    page = browse(person)

    page.get_by_label("Who to thank").fill("silv")
    page.get_by_role("button", name=re.compile("Ana Silvestre")).click()
    # As a person would, wait to see her chosen before sending (the chip comes from the
    # server; sent sooner, the form has nobody in it yet).
    expect(page.locator("#chosen-recipients")).to_contain_text("Ana Silvestre")
    page.get_by_label("Points for each").fill("500")
    page.get_by_label("Message").fill("Too generous")
    page.get_by_role("button", name="Send thanks").click()

    expect(page.locator("#id_points_error")).to_contain_text("100 points left")
    expect(page.get_by_label("Points for each")).to_have_attribute("aria-invalid", "true")


def test_an_employee_reacts_and_comments_in_the_feed_without_leaving_it(browse):
    from plaudit.recognition.models import Comment, Reaction
    from plaudit.recognition.services import Gift, give_recognition

    person = UserFactory(first_name="Dev", last_name="Rao")
    kudos = give_recognition(
        giver=UserFactory(), message="Thanks for the demo!", gifts=[Gift(UserFactory(), 5)]
    )
    page = browse(person)
    item = page.locator(f"#recognition-{kudos.pk}")

    item.get_by_role("button", name="🎉 0").click()
    expect(item.get_by_role("button", name="🎉 1")).to_have_attribute("aria-pressed", "true")
    item.get_by_role("button", name="🎉 1").click()
    expect(item.get_by_role("button", name="🎉 0")).to_have_attribute("aria-pressed", "false")
    assert not Reaction.objects.exists()

    item.get_by_role("link", name="Comment").click()
    item.get_by_label("Add a comment").fill("Loved the live part")
    item.get_by_role("button", name="Comment", exact=True).click()

    expect(item.locator(".comment-list")).to_contain_text("Dev Rao")
    expect(item.locator(".comment-list")).to_contain_text("Loved the live part")
    expect(item.get_by_role("link", name="1 comment")).to_be_visible()
    assert Comment.objects.get().author == person


def test_an_open_feed_follows_colleagues_reactions_comments_and_new_thanks_live(browse):
    from plaudit.recognition.services import Gift, give_recognition

    kudos = give_recognition(
        giver=UserFactory(), message="Thanks for the demo!", gifts=[Gift(UserFactory(), 5)]
    )
    UserFactory(first_name="Ana", last_name="Silvestre")
    viewer = browse(UserFactory())
    expect(viewer.locator("body")).to_have_attribute("data-live", "connected")
    watched = viewer.locator(f"#recognition-{kudos.pk}")
    expect(viewer.locator("#feed-news")).to_be_hidden()

    colleague = browse(UserFactory(first_name="Dev", last_name="Rao"))
    item = colleague.locator(f"#recognition-{kudos.pk}")
    item.get_by_role("button", name="👏 0").click()
    item.get_by_role("link", name="Comment").click()
    item.get_by_label("Add a comment").fill("Seconded!")
    item.get_by_role("button", name="Comment", exact=True).click()
    colleague.get_by_label("Who to thank").fill("silv")
    colleague.get_by_role("button", name=re.compile("Ana Silvestre")).click()
    expect(colleague.locator("#chosen-recipients")).to_contain_text("Ana Silvestre")
    colleague.get_by_label("Message").fill("Thanks for the review!")
    colleague.get_by_role("button", name="Send thanks").click()
    expect(colleague.get_by_text("Thank you sent!")).to_be_visible()
    expect(colleague.locator("#feed-news")).to_be_hidden()  # the giver's feed has it already

    # Pushed over the WebSocket: the viewer never reloads.
    expect(watched.get_by_role("button", name="👏 1")).to_have_attribute("aria-pressed", "false")
    expect(watched.get_by_role("link", name="1 comment")).to_be_visible()
    news = viewer.get_by_role("link", name="1 new thank-you — show")
    expect(news).to_be_visible()
    news.click()
    expect(viewer.locator("#feed li").first).to_contain_text("Thanks for the review!")
