"""``/api/v1/audit/``: the audit log for HR admins, filtered, newest first, by cursor."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from plaudit.core.permissions import IsHRAdmin

from . import selectors
from .models import AuditEvent
from .serializers import AuditEventSerializer, AuditQuerySerializer


class AuditCursorPagination(CursorPagination):
    """Stable pages while new facts arrive at the top."""

    ordering = ("-at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class AuditEventViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[AuditEvent]
):
    """Who did what, when and from where: read-only, HR admins only."""

    serializer_class = AuditEventSerializer
    permission_classes = [IsAuthenticated, IsHRAdmin]
    pagination_class = AuditCursorPagination
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        if self.action != "list":
            return selectors.audit_events()
        query = AuditQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.audit_events(**query.validated_data)

    @extend_schema(parameters=[AuditQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)
