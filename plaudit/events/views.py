"""Notifications and webhooks endpoints, and the async delivery-status view."""

import asyncio
import time
from datetime import timedelta
from typing import Any, cast

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed, MethodNotAllowed, NotAuthenticated
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken

from plaudit.core.exceptions import PROBLEM_CONTENT_TYPE, problem_body
from plaudit.core.permissions import IsHRAdmin
from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin

from . import selectors, services
from .models import DeliveryStatus, Notification, OutboxEvent, WebhookDelivery, WebhookEndpoint
from .serializers import (
    NotificationSerializer,
    PreferenceSerializer,
    ReadAllSerializer,
    UnreadCountSerializer,
    WebhookDeliverySerializer,
    WebhookEndpointSerializer,
)

TRUE_VALUES = {"true", "1", "yes"}


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Notification]
):
    """The caller's own notifications, newest first; nobody sees another person's."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        unread = self.request.query_params.get("unread", "").lower() in TRUE_VALUES
        return selectors.notifications_for(cast(User, self.request.user), unread=unread)

    @extend_schema(
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread ones.")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response({"count": selectors.unread_count(cast(User, request.user))})

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        notification = services.mark_read(notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=ReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response({"marked": services.mark_all_read(user=cast(User, request.user))})

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    @action(detail=False, methods=["get", "patch"], serializer_class=PreferenceSerializer)
    def preferences(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Which events to hear about, email on or off, one daily digest instead of each email."""
        user = cast(User, request.user)
        if request.method == "PATCH":
            data = PreferenceSerializer(data=request.data, partial=True)
            data.is_valid(raise_exception=True)
            preferences = services.update_preferences(user=user, **data.validated_data)
        else:
            preferences = services.preferences_of(user)
        return Response(PreferenceSerializer(preferences).data)


class WebhookViewSet(viewsets.ModelViewSet[WebhookEndpoint]):
    """Endpoints in other systems that receive signed events (HR admins only)."""

    serializer_class = WebhookEndpointSerializer
    permission_classes = [IsAuthenticated, IsHRAdmin]
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.webhook_endpoints()

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.register_webhook(
            **serializer.validated_data, created_by=cast(User, self.request.user)
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update_webhook(
            serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance: WebhookEndpoint) -> None:
        services.delete_webhook(instance)

    @extend_schema(request=None, responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=WebhookDeliverySerializer)
    def deliveries(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The delivery log: status, attempts, response codes and times."""
        page = self.paginate_queryset(cast(Any, selectors.deliveries_of(self.get_object())))
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(request=None, responses={201: WebhookDeliverySerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>\d+)/redeliver",
        serializer_class=WebhookDeliverySerializer,
    )
    def redeliver(self, request: Request, delivery_id: str, *args: Any, **kwargs: Any) -> Response:
        """Send the event again as a new delivery; same event id, so receivers de-duplicate."""
        delivery = get_object_or_404(
            WebhookDelivery.objects.select_related("endpoint", "event"),
            pk=delivery_id,
            endpoint=self.get_object(),
        )
        again = services.redeliver(delivery=delivery)
        again.refresh_from_db()
        return Response(WebhookDeliverySerializer(again).data, status=status.HTTP_201_CREATED)


# --- Async: the delivery pipeline's status, its checks awaited concurrently ----------------


def _problem(status_code: int, code: str, detail: str, **headers: str) -> JsonResponse:
    response = JsonResponse(
        problem_body(status_code=status_code, code=code, detail=detail),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


async def _caller(request: HttpRequest) -> Any:
    """The signed-in person by JWT (Authorization: Bearer) or session, else None."""
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        try:
            found: Any = await sync_to_async(JWTAuthentication().authenticate)(request)  # type: ignore[arg-type]
        except (AuthenticationFailed, InvalidToken):
            return None
        return found[0] if found else None
    user = await request.auser()
    return user if user.is_authenticated else None


async def _outbox() -> dict[str, Any]:
    pending = OutboxEvent.objects.filter(dispatched_at__isnull=True)
    oldest = await pending.order_by("created_at").values_list("created_at", flat=True).afirst()
    return {
        "pending": await pending.acount(),
        "retrying": await pending.filter(attempts__gt=0).acount(),
        "oldest_pending_seconds": round((timezone.now() - oldest).total_seconds())
        if oldest
        else None,
    }


async def _webhooks() -> dict[str, Any]:
    since = timezone.now() - timedelta(days=1)
    deliveries = WebhookDelivery.objects.filter(created_at__gte=since)
    return {
        "pending": await WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).acount(),
        "failed_last_24h": await deliveries.filter(status=DeliveryStatus.FAILED).acount(),
        "succeeded_last_24h": await deliveries.filter(status=DeliveryStatus.SUCCEEDED).acount(),
    }


def _broker_and_workers() -> dict[str, Any]:
    """Blocking (kombu): run in a worker thread so it overlaps the other checks."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"broker": "ok (tasks run inline)", "workers": None}
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
        replies = app.control.ping(timeout=1.0, connection=connection)
    return {"broker": "ok", "workers": len(replies or [])}


async def _channel_layer() -> str:
    """A message sent to a fresh channel and received back, as a push would travel."""
    layer = get_channel_layer()
    if layer is None:
        return "not configured"
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "status.probe"})
    await asyncio.wait_for(layer.receive(channel), timeout=2)
    return "ok"


async def _checked(name: str, check: Any) -> tuple[str, Any]:
    try:
        return name, await asyncio.wait_for(check, timeout=5)
    except Exception as exc:  # a status report shows every failure, whatever its kind
        return name, f"error: {exc.__class__.__name__}: {exc}"


async def delivery_status(request: HttpRequest, version: str = "v1") -> JsonResponse:
    """GET /api/v1/events/status/ (HR admins): outbox backlog, webhooks, broker, workers, sockets.

    Async because it waits on several independent I/O calls; awaited together
    the answer takes about as long as the slowest check, not their sum.
    """
    if request.method != "GET":
        # DRF's own sentences (and translations), as its views answer the same refusals.
        return _problem(
            405,
            "method_not_allowed",
            str(MethodNotAllowed.default_detail).format(method=request.method),
        )
    user = await _caller(request)
    if user is None:
        return _problem(
            401,
            "not_authenticated",
            str(NotAuthenticated.default_detail),
            WWW_Authenticate='Bearer realm="api"',
        )
    if not is_hr_admin(user):
        return _problem(403, "permission_denied", str(IsHRAdmin.message))
    started = time.perf_counter()
    results = dict(
        await asyncio.gather(
            _checked("outbox", _outbox()),
            _checked("webhooks", _webhooks()),
            _checked("broker", sync_to_async(_broker_and_workers, thread_sensitive=False)()),
            _checked("channel_layer", _channel_layer()),
        )
    )
    broker = results.pop("broker")
    results.update(broker if isinstance(broker, dict) else {"broker": broker, "workers": None})
    results["elapsed_ms"] = round((time.perf_counter() - started) * 1000)
    return JsonResponse(results)
