"""What a reaction is, for the recognition service's ``check_emoji`` (every door's rule).

(The bounds of what people write and give are next to the models, ``MAX_*``.)
"""

import unicodedata

MAX_EMOJI_LENGTH = 16

QUICK_REACTIONS = ("👏", "🎉", "❤️", "🙌", "💡")
"""The web feed's one-click reactions; the API takes any single emoji."""


def is_emoji(text: str) -> bool:
    """Pictographs with their modifiers, joiners, variation selectors and keycaps."""
    allowed = {"So", "Sk", "Mn", "Me", "Cf"}
    keycap_bases = set("0123456789#*")
    categories = [unicodedata.category(char) for char in text]
    return "So" in categories and all(
        category in allowed or char in keycap_bases
        for char, category in zip(text, categories, strict=True)
    )
