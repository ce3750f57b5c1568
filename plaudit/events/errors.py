"""Domain errors of events, notifications and webhooks."""

from django.utils.translation import gettext_lazy as _

from plaudit.core.errors import DomainError


class UnsafeWebhookURL(DomainError):
    """SSRF guard: Plaudit never posts to its own network unless an operator allowed the host."""

    code = "unsafe_webhook_url"
    status = 400
    # Lazy, read in the reader's language when the problem document is rendered.
    title = _("Webhook URL not allowed")
    default_detail = _(
        "The URL's host resolves to a private, loopback or link-local address; "
        "only an operator can allow it (WEBHOOK_ALLOWED_HOSTS)."
    )
