"""Slack: the Web API client (:mod:`.client`), accounts linked by email (:mod:`.accounts`)
and the inbound app on slack-bolt, mounted at ``/integrations/slack/events/``."""
