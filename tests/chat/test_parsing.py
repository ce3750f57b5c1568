"""The /kudos parser: several people, points each, values, no amount; never raises."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plaudit.chat.parsing import MATTERMOST, SLACK, TEAMS, Kudos, ParseError, parse_kudos


def kudos(text: str, syntax=SLACK) -> Kudos:
    parsed = parse_kudos(text, syntax)
    assert isinstance(parsed, Kudos), parsed
    return parsed


def test_several_people_points_each_values_and_message():
    parsed = kudos("<@U1> <@U2|ben> 10 for the on-call weekend #teamwork")
    assert parsed.mentions == ["U1", "U2"]
    assert parsed.labels == {"U2": "ben"}
    assert parsed.points == 10
    assert parsed.message == "for the on-call weekend #teamwork"
    assert parsed.value_slugs == ["teamwork"]


def test_no_amount_is_a_plain_thank_you():
    parsed = kudos("<@U1> thanks for the review")
    assert parsed.points == 0
    assert parsed.message == "thanks for the review"


@pytest.mark.parametrize(
    "text",
    [
        "<@U1>, <@U2> +5 great demo",
        "<@U1> and <@U2> 5 points great demo",
        "<@U1> <@U2> 5pts great demo",
        "5 <@U1> <@U2> great demo",
        "5 points <@U1> <@U2> great demo",
    ],
)
def test_ways_of_writing_it(text):
    parsed = kudos(text)
    assert (parsed.mentions, parsed.points, parsed.message) == (["U1", "U2"], 5, "great demo")


def test_a_repeated_mention_counts_once_and_later_mentions_are_message():
    parsed = kudos("<@U1> <@U1> 3 helped <@U2> ship it")
    assert parsed.mentions == ["U1"]
    assert parsed.message == "helped <@U2> ship it"


def test_a_number_inside_the_message_is_not_the_amount():
    parsed = kudos("<@U1> 2 fixed 3 bugs")
    assert parsed.points == 2
    assert parsed.message == "fixed 3 bugs"


def test_mattermost_and_teams_mentions():
    assert kudos("@ana @ben.k 10 for the weekend #teamwork", MATTERMOST).mentions == [
        "ana",
        "ben.k",
    ]
    parsed = kudos("<at>Ana Lima</at> <at>Ben</at> 4 for the weekend", TEAMS)
    assert parsed.mentions == ["Ana Lima", "Ben"]
    assert parsed.points == 4


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("", "Thank someone like this: /kudos @ana @ben 10"),
        ("help", "Thank someone like this:"),
        ("10 for nothing", "Name the people to thank first."),
        ("<@U1> 10", "Say what they did: a thank-you needs a message."),
        ("<@U1>", "Say what they did"),
        ("<@U1> -5 for it", "Points are a whole number, 0 or more."),
    ],
)
def test_what_is_not_a_kudos_is_a_sentence(text, start):
    parsed = parse_kudos(text, SLACK)
    assert isinstance(parsed, ParseError)
    assert parsed.message.startswith(start)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text()
    | st.lists(
        st.sampled_from(["<@U1>", "<@U2|b>", "@ana", "<at>A</at>", "10", "+3", "pts", "#x", "and"])
        | st.text(max_size=5),
        max_size=8,
    ).map(" ".join)
)
def test_never_raises(text):
    for syntax in (SLACK, MATTERMOST, TEAMS):
        parsed = parse_kudos(text, syntax)
        assert isinstance(parsed, Kudos | ParseError)
        if isinstance(parsed, Kudos):
            assert parsed.mentions
            assert parsed.message
            assert parsed.points >= 0
