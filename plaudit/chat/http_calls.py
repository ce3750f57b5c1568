"""A platform's HTTP answers in the delivery's terms, for the senders that call it with
httpx (Mattermost's REST API and incoming webhooks, Teams' incoming webhooks).

429 waits its ``Retry-After``; 5xx, 408 and a server that cannot be reached are tried
again later; any other refusal (a revoked token, a deleted webhook, a channel that does
not exist) fails, as trying again will not mend it.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from .delivery import DeliveryError

DEFAULT_RETRY_AFTER = 60.0


def retry_after(response: httpx.Response) -> float:
    """``Retry-After`` in seconds (at least one); a minute when absent or a date."""
    try:
        return max(float(response.headers.get("Retry-After", "")), 1.0)
    except ValueError:
        return DEFAULT_RETRY_AFTER


@contextmanager
def delivery_errors(what: str) -> Iterator[None]:
    """Run a platform call; what it raises becomes a :class:`DeliveryError`."""
    try:
        yield
    except httpx.HTTPStatusError as exc:
        status = exc.response.status_code
        described = f"{what}: HTTP {status}"
        if status == 429:
            raise DeliveryError(described, retry_after=retry_after(exc.response)) from exc
        if status >= 500 or status == 408:
            raise DeliveryError(described) from exc
        raise DeliveryError(described, permanent=True) from exc
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{what}: unreachable: {exc}") from exc
