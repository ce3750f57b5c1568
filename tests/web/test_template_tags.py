"""The ``plaudit`` template filters and tags."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from plaudit.core import wording
from plaudit.web.templatetags.plaudit import points, relative_time, signed_points


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0 points"), (1, "1 point"), (1234, "1,234 points"), ("12", "12 points"), (None, "")],
)
def test_points_are_written_with_separators_and_the_right_plural(value, shown):
    assert points(value) == shown


def test_ledger_lines_are_signed():
    assert signed_points(50) == "+50 points"
    assert signed_points(-1) == "\u22121 point"


def test_relative_time_reads_like_speech():
    now = timezone.now()

    assert relative_time(now - timedelta(seconds=5)) == "just now"
    assert relative_time(now - timedelta(minutes=3, seconds=5)) == "3\xa0minutes ago"
    assert relative_time(now + timedelta(days=2, hours=1)) == "in 2\xa0days"


def test_time_ago_renders_a_time_element_with_the_exact_moment():
    moment = timezone.now() - timedelta(hours=2, minutes=1)

    html = Template("{% load plaudit %}{% time_ago moment %}").render(Context({"moment": moment}))

    assert html.startswith('<time datetime="')
    assert "2\xa0hours ago</time>" in html


def test_relative_times_say_the_span_in_the_readers_language():
    now = timezone.now()

    with translation.override("de"):
        assert "3\xa0Minuten" in relative_time(now - timedelta(minutes=3, seconds=5))
        assert "2\xa0Tage" in relative_time(now + timedelta(days=2, hours=1))


def test_times_are_shown_in_the_readers_time_zone_not_the_companys(settings):
    settings.TIME_ZONE = "America/Los_Angeles"  # the company's: 23:30 on 31 January
    moment = datetime(2027, 2, 1, 7, 30, tzinfo=UTC)

    with timezone.override(ZoneInfo("Asia/Tokyo")):  # the reader's
        html = Template("{% load plaudit %}{% time_ago moment %}").render(
            Context({"moment": moment})
        )
        shown = wording.moment(moment)

    assert 'datetime="2027-02-01T16:30:00+09:00"' in html
    assert shown == "Feb. 1, 2027, 4:30 p.m."
    assert f'title="{shown}"' in html
