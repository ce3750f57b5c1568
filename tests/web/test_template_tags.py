"""The ``plaudit`` template filters and tags."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

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
