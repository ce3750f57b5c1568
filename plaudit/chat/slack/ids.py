"""The names Slack and Plaudit agree on: the slash command, the shortcuts' and modals'
callback ids, the buttons' action ids (deploy/slack/manifest.yaml names the first three;
the outbound side's messages carry the buttons, ``value`` the redemption's id)."""

from plaudit.chat.content import APPROVE_ACTION, REJECT_ACTION

__all__ = [
    "APPROVE_ACTION",
    "COMMAND",
    "GLOBAL_SHORTCUT",
    "KUDOS_CALLBACK",
    "MESSAGE_SHORTCUT",
    "REJECT_ACTION",
    "REJECT_CALLBACK",
]

COMMAND = "/kudos"
GLOBAL_SHORTCUT = "plaudit_give_kudos"
MESSAGE_SHORTCUT = "plaudit_thank_author"
KUDOS_CALLBACK = "plaudit_kudos_modal"
REJECT_CALLBACK = "plaudit_reject_modal"
