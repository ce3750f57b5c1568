"""``/integrations/``: the chat platforms' endpoints (no session, no CSRF: each verifies
the platform's own signature or token)."""

from django.urls import path

from .mattermost import views as mattermost
from .slack import views as slack
from .teams import views as teams

app_name = "chat"

urlpatterns = [
    path("slack/events/", slack.events, name="slack-events"),
    path("mattermost/commands/", mattermost.command, name="mattermost-commands"),
    path("mattermost/actions/", mattermost.action, name="mattermost-actions"),
    path("mattermost/dialogs/", mattermost.dialog, name="mattermost-dialogs"),
    path("teams/messages/", teams.messages, name="teams-messages"),
    path("teams/link/<str:token>/", teams.link, name="teams-link"),
]
