"""Recognition where people work: Slack, Mattermost and Microsoft Teams.

The platform-neutral core (:mod:`.parsing`, :mod:`.services`, :mod:`.formatting`) is
shared by every platform; each platform's doors live in their own module (:mod:`.slack`).
A kudos from chat goes through :func:`plaudit.recognition.services.give_recognition`,
the one door, like one from the web.
"""
