"""Reports: read-only views over the other apps' selectors."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from plaudit.audit import actions as audit
from plaudit.audit.services import record_view
from plaudit.core.permissions import IsHRAdmin
from plaudit.people.selectors import top_salaries
from plaudit.people.serializers import TopSalarySerializer


class TopSalariesQuery(serializers.Serializer[Any]):
    n = serializers.IntegerField(min_value=1, max_value=100, default=10)


class TopSalariesView(APIView):
    """The best-paid active people, highest first (HR admins only)."""

    permission_classes = [IsAuthenticated, IsHRAdmin]

    @extend_schema(
        parameters=[
            OpenApiParameter("n", OpenApiTypes.INT, description=_("1 to 100, default 10."))
        ],
        responses=inline_serializer("TopSalaries", {"results": TopSalarySerializer(many=True)}),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = TopSalariesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        people = top_salaries(query.validated_data["n"])
        record_view(audit.SALARY_VIEWED, actor=request.user, what="top-salaries")
        return Response({"results": TopSalarySerializer(people, many=True).data})
