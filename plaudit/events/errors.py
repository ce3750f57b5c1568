"""Domain errors of events, notifications and webhooks."""

from plaudit.core.errors import DomainError


class UnsafeWebhookURL(DomainError):
    """SSRF guard: Plaudit never posts to its own network unless an operator allowed the host."""

    code = "unsafe_webhook_url"
    status = 400
    title = "Webhook URL not allowed"
    default_detail = (
        "The URL's host resolves to a private, loopback or link-local address; "
        "only an operator can allow it (WEBHOOK_ALLOWED_HOSTS)."
    )
