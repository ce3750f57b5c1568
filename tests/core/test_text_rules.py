"""The text rule every service uses for what a person writes (core.services.check_text)."""

import pytest

from plaudit.core.errors import InvalidInput
from plaudit.recognition.services import check_message


def test_a_message_is_trimmed():
    assert check_message("  thanks for the demo  ") == "thanks for the demo"


@pytest.mark.parametrize("text", ["thanks\x00", "\x00", "a\x00b"])
def test_a_nul_character_is_refused_at_the_door_not_by_the_database(text):
    with pytest.raises(InvalidInput) as refused:
        check_message(text)

    assert refused.value.field == "message"
    assert "Null characters are not allowed" in str(refused.value.detail)
