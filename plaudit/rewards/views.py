"""Catalog and redemption endpoints: parse, call one service or selector, render."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from plaudit.core.idempotency import run_idempotently
from plaudit.core.permissions import IsHRAdmin, IsHRAdminOrReadOnly
from plaudit.core.throttling import RedeemRateThrottle, UserRateThrottle
from plaudit.people.authentication import prefetched
from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin
from plaudit.tokens.scopes import Scope

from . import services
from .cache import cached_catalog_page, catalog_page_keys
from .filters import RedemptionFilter, RewardFilter
from .models import Redemption, Reward
from .selectors import redemptions_visible_to, rewards_visible_to
from .serializers import (
    RedemptionRequestSerializer,
    RedemptionSerializer,
    RejectSerializer,
    RewardImageSerializer,
    RewardSerializer,
    unknown_reward,
)


class RewardViewSet(viewsets.ModelViewSet[Reward]):
    """The catalog. Everyone reads what is available now; HR admins keep the catalog."""

    serializer_class = RewardSerializer
    permission_classes = [IsHRAdminOrReadOnly]
    filterset_class = RewardFilter
    search_fields = ["name", "description", "category"]
    ordering_fields = ["cost", "name", "created_at"]
    ordering = ["name", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        include_deleted = self.request.query_params.get("include_deleted", "").lower() in {
            "true",
            "1",
        }
        return rewards_visible_to(self.request.user, include_deleted=include_deleted)  # type: ignore[arg-type]

    @extend_schema(
        parameters=[
            OpenApiParameter("include_deleted", OpenApiTypes.BOOL, description=_("HR admins only."))
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        if is_hr_admin(request.user):
            return super().list(request, *args, **kwargs)
        page = cached_catalog_page(
            request.get_host(),
            dict(request.query_params.lists()),
            lambda: JSONRenderer().render(
                super(RewardViewSet, self).list(request, *args, **kwargs).data
            ),
            prefetched=prefetched(request),
        )
        # Stored as the JSON it is sent as: a hit neither unpickles nor re-renders a page.
        return HttpResponse(page, content_type=JSONRenderer.media_type)

    def cache_reads(self, request: Request, person_id: Any) -> Sequence[str]:
        """The cached page :meth:`list` reads, fetched as the caller is authenticated."""
        if self.action != "list":
            return []
        return catalog_page_keys(request.get_host(), dict(request.query_params.lists()))

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.create_reward(
            actor=self.request.user,  # type: ignore[arg-type]
            **serializer.validated_data,
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update_reward(
            serializer.instance,
            actor=self.request.user,  # type: ignore[arg-type]
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: Reward) -> None:
        services.delete_reward(instance, actor=self.request.user)  # type: ignore[arg-type]

    @extend_schema(
        request={"multipart/form-data": RewardImageSerializer}, responses=RewardSerializer
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser],
        permission_classes=[IsAuthenticated, IsHRAdmin],
    )
    def image(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Upload or replace the reward's picture (JPEG, PNG, GIF or WebP)."""
        reward = self.get_object()
        data = RewardImageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reward = services.set_reward_image(
            reward,
            data.validated_data["image"],
            actor=request.user,  # type: ignore[arg-type]
        )
        return Response(RewardSerializer(reward).data)


class RedemptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Redemption],
):
    """Redeem, list and move redemptions through pending → approved → fulfilled."""

    serializer_class = RedemptionSerializer
    filterset_class = RedemptionFilter
    # An API token redeems and moves redemptions on with redemptions:write.
    required_scopes = {"POST": Scope.REDEMPTIONS_WRITE}
    search_fields: list[str] = []
    ordering_fields = ["created_at", "cost"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return Redemption.objects.none()
        return redemptions_visible_to(self.request.user)  # type: ignore[arg-type]

    def get_throttles(self) -> list[Any]:
        if self.action == "create":
            return [RedeemRateThrottle(), UserRateThrottle()]
        return super().get_throttles()

    @extend_schema(
        request=RedemptionRequestSerializer,
        responses={201: RedemptionSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def redeem() -> Response:
            data = RedemptionRequestSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            try:
                redemption = services.redeem_reward(
                    user=request.user,  # type: ignore[arg-type]
                    reward_id=data.validated_data["reward"],
                )
            except Reward.DoesNotExist:
                raise unknown_reward(data.validated_data["reward"]) from None
            return Response(RedemptionSerializer(redemption).data, status=status.HTTP_201_CREATED)

        return run_idempotently(self, request, scope="redemptions.create", work=redeem)

    def _transition(
        self, request: Request, move: Callable[[Redemption, User], Redemption]
    ) -> Response:
        """404 for a redemption the caller may not see; the service decides who may move it."""
        redemption = self.get_object()
        moved = move(redemption, request.user)  # type: ignore[arg-type]
        return Response(RedemptionSerializer(moved).data)

    @extend_schema(request=None, responses=RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._transition(
            request, lambda r, actor: services.approve_redemption(redemption_id=r.pk, actor=actor)
        )

    @extend_schema(request=None, responses=RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def fulfil(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._transition(
            request, lambda r, actor: services.fulfil_redemption(redemption_id=r.pk, actor=actor)
        )

    @extend_schema(request=RejectSerializer, responses=RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def move(redemption: Redemption, actor: User) -> Redemption:
            # The service judges the reason as it came, once it has judged the caller.
            body = request.data if isinstance(request.data, Mapping) else {}
            return services.reject_redemption(
                redemption_id=redemption.pk, actor=actor, reason=body.get("reason", "")
            )

        return self._transition(request, move)

    @extend_schema(request=None, responses=RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._transition(
            request, lambda r, actor: services.cancel_redemption(redemption_id=r.pk, actor=actor)
        )
