"""Mattermost: ``/kudos`` by an outgoing slash command (:mod:`.commands`), Approve and
Reject buttons by interactive messages (:mod:`.actions`), posts to a channel by an
incoming webhook or the REST API (:mod:`.posts`), people linked by email through the
REST API v4 (:mod:`.accounts`, :mod:`.client`)."""
