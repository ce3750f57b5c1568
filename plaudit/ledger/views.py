"""Points endpoints: HR grants and each person's ledger lines."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from plaudit.core.permissions import IsHRAdmin
from plaudit.people.authentication import prefetched
from plaudit.people.cache import cached_own_page, own_page_keys
from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin

from . import selectors, services
from .models import Entry
from .serializers import EntrySerializer, GrantResultSerializer, GrantSerializer


class GrantView(APIView):
    permission_classes = [IsAuthenticated, IsHRAdmin]

    @extend_schema(request=GrantSerializer, responses={201: GrantResultSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = GrantSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person: User = data.validated_data["user"]
        posted = services.grant_points(
            user=person,
            amount=data.validated_data["amount"],
            reason=data.validated_data["reason"],
            granted_by=request.user,  # type: ignore[arg-type]
        )
        result = {
            "id": posted.pk,
            "user": person.pk,
            "amount": data.validated_data["amount"],
            "reason": posted.description,
            "balance": selectors.balance_of(person),
            "created_at": posted.created_at,
        }
        return Response(GrantResultSerializer(result).data, status=status.HTTP_201_CREATED)


class EntryListView(generics.ListAPIView[Entry]):
    """Your own ledger lines, newest first; HR admins may ask for anyone's with ``?user=``."""

    serializer_class = EntrySerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        user: User = self.request.user  # type: ignore[assignment]
        requested = self.request.query_params.get("user")
        if requested is not None and is_hr_admin(user):
            field = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
            try:
                person_id = field.run_validation(requested)
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"user": exc.detail}) from exc
            person = generics.get_object_or_404(User.objects.all(), pk=person_id)
            return selectors.entries_for(person)
        return selectors.entries_for(user)

    @extend_schema(
        parameters=[OpenApiParameter("user", OpenApiTypes.INT, description=_("HR admins only."))]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        if "user" in request.query_params:
            return super().list(request, *args, **kwargs)
        page = cached_own_page(
            request.user.pk,
            request.build_absolute_uri(),
            lambda: JSONRenderer().render(super(EntryListView, self).list(request).data),
            prefetched=prefetched(request),
        )
        # Stored as the JSON it is sent as, like the catalog's pages.
        return HttpResponse(page, content_type=JSONRenderer.media_type)

    def cache_reads(self, request: Request, person_id: Any) -> Sequence[str]:
        """The cached page :meth:`list` reads of the caller's own lines, fetched as the
        caller is authenticated."""
        if "user" in request.query_params:
            return []
        return own_page_keys(person_id, request.build_absolute_uri())
