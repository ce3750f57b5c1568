"""The README's preview of a kudos post is what Plaudit posts.

``docs/screenshots/slack-kudos.json`` holds the blocks of a kudos from the demo
company; this test keeps it equal to what the code posts. ``PLAUDIT_SCREENSHOTS=1``
(``make screenshots``) rewrites it and retakes ``slack-kudos.png``, a rendering of
those blocks in Chromium.
"""

import json
import os
import re
from pathlib import Path

import pytest

from tests.factories import CompanyValueFactory, UserFactory

from .block_kit_preview import render

pytestmark = pytest.mark.django_db

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
SAMPLE = SCREENSHOTS / "slack-kudos.json"
PICTURE = SCREENSHOTS / "slack-kudos.png"
CHROMIUM = Path(os.environ.get("PLAUDIT_CHROMIUM", "/usr/bin/chromium"))
NAMES = {"U01MAYA": "Maya Okafor", "U02LEO": "Leo Martin", "U03HANA": "Hana Rossi"}


def posted_blocks(give, fake_slack, settings):
    settings.PLAUDIT = {**settings.PLAUDIT, "SITE_URL": "https://kudos.example.com"}
    CompanyValueFactory(slug="teamwork", name="Teamwork")
    people = {}
    for user_id, name in NAMES.items():
        first, last = name.split()
        people[user_id] = UserFactory(first_name=first, last_name=last)
        fake_slack.add_user(user_id, people[user_id].email)
    give(
        people["U01MAYA"],
        [people["U02LEO"], people["U03HANA"]],
        10,
        "For the on-call weekend: the pager went off at 3 a.m. and you had it fixed "
        "before breakfast. #teamwork",
    )
    [call] = fake_slack.calls_to("chat.postMessage")
    blocks = call.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    # The recognition's id depends on the test database: the sample shows the demo's.
    text = re.sub(r"/recognitions/\d+/", "/recognitions/42/", json.dumps(blocks))
    return json.loads(text)


def test_the_published_kudos_preview_is_what_plaudit_posts(workspace, give, fake_slack, settings):
    blocks = posted_blocks(give, fake_slack, settings)
    if not os.environ.get("PLAUDIT_SCREENSHOTS"):
        assert json.loads(SAMPLE.read_text()) == blocks, "run PLAUDIT_SCREENSHOTS=1 pytest " + (
            __file__
        )
        return
    SAMPLE.write_text(json.dumps(blocks, indent=2, ensure_ascii=False) + "\n")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        page = browser.new_page(viewport={"width": 700, "height": 400}, device_scale_factor=2)
        page.set_content(render(blocks, NAMES, ["🎉 3", "👏 2"]))
        page.locator("#message").screenshot(path=str(PICTURE))
        browser.close()
