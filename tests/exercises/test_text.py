import pytest

from exercises.text import is_palindrome, reverse_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", ""), ("a", "a"), ("Plaudit", "tidualP"), ("kudos 👏!", "!👏 soduk")],
)
def test_reverse_text_gives_the_characters_backwards(text, expected):
    assert reverse_text(text) == expected
    assert reverse_text(text) == text[::-1]


@pytest.mark.parametrize(
    "text", ["", "a", "level", "Racecar", "A man, a plan, a canal: Panama", "12321", "!!"]
)
def test_palindromes_are_recognised_ignoring_case_spaces_and_punctuation(text):
    assert is_palindrome(text)


@pytest.mark.parametrize("text", ["ab", "Plaudit", "12 3", "almost a palindrome"])
def test_other_strings_are_not_palindromes(text):
    assert not is_palindrome(text)
