"""Slack's names of the emoji Plaudit mirrors (``tada`` ↔ 🎉), both ways.

Slack names a reaction (``:tada:``, ``:+1::skin-tone-3:``, a workspace's own custom
emoji); Plaudit stores the emoji itself. A name not here (custom emoji above all) has
no Plaudit reaction, and an emoji without a name is not mirrored: both are left alone.
"""

SLACK_NAMES: dict[str, str] = {
    "clap": "👏",
    "tada": "🎉",
    "heart": "❤️",
    "raised_hands": "🙌",
    "bulb": "💡",
    "+1": "👍",
    "pray": "🙏",
    "fire": "🔥",
    "rocket": "🚀",
    "star": "⭐",
    "star2": "🌟",
    "sparkles": "✨",
    "100": "💯",
    "muscle": "💪",
    "trophy": "🏆",
    "medal": "🏅",
    "sports_medal": "🏅",
    "smile": "😄",
    "grinning": "😀",
    "joy": "😂",
    "heart_eyes": "😍",
    "star-struck": "🤩",
    "hugging_face": "🤗",
    "slightly_smiling_face": "🙂",
    "white_check_mark": "✅",
    "eyes": "👀",
    "handshake": "🤝",
    "crown": "👑",
    "gem": "💎",
    "sunny": "☀️",
    "rainbow": "🌈",
    "confetti_ball": "🎊",
    "partying_face": "🥳",
    "green_heart": "💚",
    "blue_heart": "💙",
    "purple_heart": "💜",
    "yellow_heart": "💛",
    "orange_heart": "🧡",
}
ALIASES = {"thumbsup": "+1", "heavy_heart": "heart", "hugs": "hugging_face"}

_BY_EMOJI: dict[str, str] = {}
for _name, _emoji in SLACK_NAMES.items():
    _BY_EMOJI.setdefault(_emoji, _name)


def emoji_for(name: str) -> str | None:
    """🎉 for ``tada`` (a skin tone is dropped: ``+1::skin-tone-2`` is 👍); None if unknown."""
    base = name.split("::", 1)[0].strip(":")
    return SLACK_NAMES.get(ALIASES.get(base, base))


def name_for(emoji: str) -> str | None:
    """``tada`` for 🎉 (with or without its variation selector); None if Slack has no name here."""
    return (
        _BY_EMOJI.get(emoji)
        or _BY_EMOJI.get(emoji + "\ufe0f")
        or _BY_EMOJI.get(emoji.removesuffix("\ufe0f"))
    )
