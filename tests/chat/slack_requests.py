"""Signed Slack requests to /integrations/slack/events/, their on-commit work run."""

from typing import Any

from .signing import command_body, interaction_body, slack_headers

URL = "/integrations/slack/events/"
FORM = "application/x-www-form-urlencoded"


class SlackRequests:
    def __init__(self, client: Any, fake: Any, capture: Any) -> None:
        self.client, self.fake, self.capture = client, fake, capture

    def post(self, body: str, *, retry: int | None = None) -> Any:
        headers = slack_headers(body)
        if retry is not None:
            headers["HTTP_X_SLACK_RETRY_NUM"] = str(retry)
            headers["HTTP_X_SLACK_RETRY_REASON"] = "http_timeout"
        with self.capture(execute=True):
            return self.client.post(URL, body, content_type=FORM, **headers)

    def command(self, text: str, *, user: str = "U1", retry: int | None = None, **fields: Any):
        fields.setdefault("response_url", self.fake.response_url())
        return self.post(command_body(text, user_id=user, **fields), retry=retry)

    def interaction(self, payload: dict[str, Any]) -> Any:
        payload = {"team": {"id": "T1", "domain": "acme"}, "api_app_id": "A1", **payload}
        return self.post(interaction_body(payload))

    def answers(self) -> list[dict[str, Any]]:
        """What was said back through response_url, in order."""
        return [call.params for call in self.fake.calls_to("response_url")]
