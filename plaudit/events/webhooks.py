"""Outgoing webhooks: the signature, the SSRF guard and one delivery attempt.

Signature (part of the public API contract, so receivers can verify it)::

    Plaudit-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>

SSRF: a URL is refused when any address its host resolves to is not a public
(global) address, unless the host is in ``settings.WEBHOOK_ALLOWED_HOSTS``. The
check runs when the endpoint is registered and again before every attempt, and
the attempt connects to the very address that was checked (the Host header and
TLS name stay the URL's), so a DNS answer that changes in between (DNS
rebinding) cannot redirect a delivery into the private network.
"""

import hashlib
import hmac
import ipaddress
import logging
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from plaudit.core import encryption

from .backoff import next_attempt_at
from .errors import UnsafeWebhookURL
from .models import DeliveryStatus, OutboxEvent, WebhookAttempt, WebhookDelivery
from .payloads import webhook_body

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Plaudit-Signature"
DATA_VERSION_HEADER = "Plaudit-Data-Version"
USER_AGENT = "Plaudit-Webhooks/1"
KEY_DROPPED_ERROR = (
    "The endpoint's secret cannot be decrypted: its key is no longer in PLAUDIT_CODES_KEYS."
)


# --- Signing ----------------------------------------------------------------------------


def signature(secret: str, body: bytes, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify_signature(
    secret: str, header: str, body: bytes, *, tolerance: int = 300, now: float | None = None
) -> bool:
    """What a receiver does: recompute the HMAC and refuse stale timestamps (replays)."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = signature(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def payload(event: OutboxEvent) -> tuple[bytes, str]:
    """The raw body of a delivery of ``event``, and the version of its data (see
    :func:`~.payloads.webhook_body`)."""
    body, version = webhook_body(event)
    return body.model_dump_json().encode(), version


# --- SSRF guard ---------------------------------------------------------------------------


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _allowed_hosts() -> set[str]:
    return {host.strip().lower() for host in settings.WEBHOOK_ALLOWED_HOSTS if host.strip()}


def resolve_target(url: str) -> str:
    """The address to connect to for ``url``; raises UnsafeWebhookURL if it is not allowed."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UnsafeWebhookURL(_("A webhook URL must be an http or https URL with a host."))
    host = parts.hostname.lower()
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError) as exc:
        raise UnsafeWebhookURL(
            _("The host %(host)s cannot be resolved.") % {"host": repr(host)}
        ) from exc
    addresses = [ipaddress.ip_address(str(answer[4][0]).split("%", 1)[0]) for answer in answers]
    if not addresses:
        raise UnsafeWebhookURL(_("The host %(host)s cannot be resolved.") % {"host": repr(host)})
    if host not in _allowed_hosts():
        private = [str(address) for address in addresses if not _is_public(address)]
        if private:
            raise UnsafeWebhookURL(
                _(
                    "The host %(host)s resolves to %(addresses)s, which is not a public "
                    "address; an operator can allow it in WEBHOOK_ALLOWED_HOSTS."
                )
                % {"host": repr(host), "addresses": ", ".join(private)}
            )
    return str(addresses[0])


def check_url_allowed(url: str) -> None:
    resolve_target(url)


# --- Delivery -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptResult:
    status: int | None
    elapsed_ms: int | None
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(url: str, *, secret: str, event: OutboxEvent) -> AttemptResult:
    """One signed POST to the checked address, no redirects followed, within the timeout."""
    try:
        address = resolve_target(url)
    except UnsafeWebhookURL as exc:
        return AttemptResult(None, None, exc.detail)
    body, data_version = payload(event)
    parts = urlsplit(url)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Host": parts.netloc.rsplit("@", 1)[-1],
        "Plaudit-Event": event.type,
        "Plaudit-Delivery": str(event.pk),
        DATA_VERSION_HEADER: data_version,
        SIGNATURE_HEADER: signature(secret, body, int(time.time())),
    }
    pinned = httpx.URL(url).copy_with(host=address)
    started = time.perf_counter()
    try:
        with httpx.Client(
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS, follow_redirects=False, trust_env=False
        ) as client:
            response = client.post(
                pinned,
                content=body,
                headers=headers,
                extensions={"sni_hostname": parts.hostname or ""},
            )
    except httpx.HTTPError as exc:
        elapsed = round((time.perf_counter() - started) * 1000)
        return AttemptResult(None, elapsed, f"{exc.__class__.__name__}: {exc}"[:1000])
    elapsed = round((time.perf_counter() - started) * 1000)
    error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    return AttemptResult(response.status_code, elapsed, error)


def _claim(delivery_id: int, lease: timedelta) -> bool:
    """Take a due delivery for one attempt; another worker then skips it until the lease ends."""
    now = timezone.now()
    return bool(
        WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + lease)
    )


def attempt_delivery(delivery_id: int) -> str | None:
    """Try a pending delivery once and log the attempt; returns its status afterwards.

    On failure the next attempt is scheduled (:func:`~.backoff.next_attempt_at`)
    until the retry window (``WEBHOOK_RETRY_WINDOW_SECONDS``, 24 h by default)
    has passed since the delivery was created; then it is marked failed. No
    transaction is open during the HTTP call.
    """
    lease = timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 60)
    if not _claim(delivery_id, lease):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        result = AttemptResult(None, None, "The endpoint is disabled.")
    else:
        try:
            secret = endpoint.signing_secret()
        except encryption.Undecryptable:  # retried: restoring the key lets it through
            result = AttemptResult(None, None, KEY_DROPPED_ERROR)
        else:
            result = post(endpoint.url, secret=secret, event=delivery.event)
    now = timezone.now()
    window = timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW_SECONDS)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status != DeliveryStatus.PENDING:
            return str(delivery.status)
        WebhookAttempt.objects.create(
            delivery=delivery,
            response_status=result.status,
            response_time_ms=result.elapsed_ms,
            error=result.error,
        )
        delivery.attempts += 1
        delivery.response_status = result.status
        delivery.response_time_ms = result.elapsed_ms
        delivery.error = result.error
        if result.succeeded:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.completed_at, delivery.next_attempt_at = now, None
        elif not endpoint.is_active or now - delivery.created_at >= window:
            delivery.status = DeliveryStatus.FAILED
            delivery.completed_at, delivery.next_attempt_at = now, None
            logger.warning("Webhook delivery %s failed for good: %s", delivery.pk, result.error)
        else:
            delivery.next_attempt_at = next_attempt_at(delivery.attempts, now=now)
        delivery.save()
    return str(delivery.status)


def due_delivery_ids(*, limit: int = 1000) -> list[Any]:
    """Pending deliveries whose next attempt is due (or whose first was never made)."""
    now = timezone.now()
    return list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(
            Q(next_attempt_at__lte=now)
            | Q(next_attempt_at__isnull=True, created_at__lte=now - timedelta(seconds=60))
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
