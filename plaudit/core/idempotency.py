"""Idempotent POSTs (``Idempotency-Key``), the way payment APIs do them.

The first request with a key creates a row (committed at once, so others see
it) and then, inside one transaction, holds a row lock on it while the work
runs and stores the answer next to the work. Therefore:

- the same key again after success replays the stored answer;
- the same key while the first is running finds the row locked: 409;
- the same key with another body: 422;
- a request that crashed leaves no stored answer and no work, so a retry redoes it.
"""

import hashlib
import json
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response

if TYPE_CHECKING:
    from rest_framework.views import APIView

from plaudit.people.models import User

from .errors import IdempotencyKeyInUse, IdempotencyKeyReused, InvalidIdempotencyKey
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_PRINTABLE = set(string.printable) - set("\t\n\r\x0b\x0c")


def validated_key(raw: str | None) -> str | None:
    if raw is None:
        return None
    if not 1 <= len(raw) <= 255 or not set(raw) <= _PRINTABLE:
        raise InvalidIdempotencyKey()
    return raw


def request_fingerprint(request: Request) -> str:
    """Hash of the parsed body, so key order and whitespace do not matter."""
    canonical = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@contextmanager
def claimed_key(*, user: User, scope: str, key: str, fingerprint: str) -> Iterator[IdempotencyKey]:
    """Yield the key's row, locked, inside a transaction that the caller's work joins.

    The row is created (and committed) first so that concurrent requests see it;
    the caller replays ``record.response_*`` if set, else does the work and calls
    :func:`store_answer`. Same key, other request: 422; still running: 409.
    """
    try:
        record, _ = IdempotencyKey.objects.get_or_create(
            user=user, scope=scope, key=key, defaults={"fingerprint": fingerprint}
        )
    except IntegrityError:  # another request created it between our get and create
        record = IdempotencyKey.objects.get(user=user, scope=scope, key=key)
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused()

    with transaction.atomic():
        try:
            record = IdempotencyKey.objects.select_for_update(nowait=True).get(pk=record.pk)
        except DatabaseError as exc:
            raise IdempotencyKeyInUse() from exc
        yield record


def store_answer(record: IdempotencyKey, *, status: int, body: Any, content_type: str = "") -> None:
    """Keep the answer next to the work, in the same transaction (see :func:`claimed_key`)."""
    record.response_status = status
    record.response_body = body
    record.response_content_type = content_type
    record.completed_at = timezone.now()
    record.save(
        update_fields=["response_status", "response_body", "response_content_type", "completed_at"]
    )


def run_idempotently(
    view: "APIView", request: Request, *, scope: str, work: Callable[[], Response]
) -> Response:
    """Run ``work`` at most once per (caller, scope, Idempotency-Key).

    Errors ``work`` raises are rendered by the view's exception handling (the one
    problem-document handler), so a refusal is stored and replayed like a success.
    """

    def handle() -> Response:
        try:
            return work()
        except Exception as exc:  # rendered exactly as DRF would render it
            return view.handle_exception(exc)

    key = validated_key(request.headers.get(HEADER))
    if key is None:
        return handle()

    user = cast(User, request.user)
    with claimed_key(
        user=user, scope=scope, key=key, fingerprint=request_fingerprint(request)
    ) as record:
        if record.response_status is not None:
            return Response(
                record.response_body,
                status=record.response_status,
                headers={REPLAYED_HEADER: "true"},
                content_type=record.response_content_type or None,
            )
        response = handle()
        if response.status_code < 500:
            store_answer(
                record,
                status=response.status_code,
                body=response.data,
                content_type=response.content_type or "",
            )
        return response
