"""Import jobs and CSV exports: parse, call one service or selector, render."""

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from plaudit.audit import actions as audit
from plaudit.audit.services import record
from plaudit.core.permissions import IsHRAdmin
from plaudit.core.renderers import CSVRenderer
from plaudit.tokens.scopes import Scope

from . import jobs, selectors
from .files import LimitedTemporaryFileUploadHandler
from .kinds.employees import EMPLOYEE_COLUMNS
from .kinds.rewards import REWARD_COLUMNS
from .models import ImportJob
from .serializers import ImportJobSerializer, ImportUploadSerializer
from .spreadsheet import csv_lines


def csv_response(filename: str, lines: Any) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class ImportJobViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ImportJob]
):
    """Upload a CSV of people, rewards or reward codes; follow the job; fetch its rejections."""

    serializer_class = ImportJobSerializer
    permission_classes = [IsAuthenticated, IsHRAdmin]
    parser_classes = [MultiPartParser]
    # A script's roster upload: an HR admin's token with people:admin.
    required_scopes = {"POST": Scope.PEOPLE_ADMIN}
    search_fields: list[str] = []
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        # Before anything reads the body: stream uploads to disk and stop at the size limit.
        request.upload_handlers = [LimitedTemporaryFileUploadHandler(request)]
        return super().initialize_request(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return selectors.jobs_visible_to(self.request.user)  # type: ignore[arg-type]

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={202: ImportJobSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reward = data.validated_data["reward"]
        job = jobs.start_import(
            upload=data.validated_data["file"],
            kind=data.validated_data["kind"],
            dry_run=data.validated_data["dry_run"],
            reward_id=reward.pk if reward is not None else None,
            created_by=request.user,  # type: ignore[arg-type]
        )
        job.refresh_from_db()  # without a broker the job has already run
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(
        detail=True,
        methods=["get"],
        url_path="errors",
        url_name="errors",
        renderer_classes=[CSVRenderer],
    )
    def errors(self, request: Request, *args: Any, **kwargs: Any) -> StreamingHttpResponse:
        """``row,column,message`` for every rejected row; ``row`` is the file's line number."""
        job = self.get_object()
        lines = csv_lines(["row", "column", "message"], selectors.rejected_rows(job))
        return csv_response(f"import-{job.pk}-errors.csv", lines)

    @extend_schema(request=None, responses={202: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def rerun(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start a failed or interrupted job over; rows already applied are left as they are."""
        job = jobs.restart_import(actor=request.user, job_id=self.get_object().pk)  # type: ignore[arg-type]
        job.refresh_from_db()
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)


class _ExportView(APIView):
    permission_classes = [IsAuthenticated, IsHRAdmin]
    renderer_classes = [CSVRenderer]
    name_prefix = ""

    def rows(self) -> Any:
        raise NotImplementedError

    def record_read(self, request: Request) -> None:
        """What else the audit log says about this export (beyond "exported")."""

    columns: tuple[str, ...] = ()

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> StreamingHttpResponse:
        filename = f"{self.name_prefix}-{timezone.localdate().isoformat()}.csv"
        record(audit.EXPORTED, actor=request.user, request=request, what=self.name_prefix)
        self.record_read(request)
        return csv_response(filename, csv_lines(self.columns, self.rows()))


class PeopleExportView(_ExportView):
    """Everyone as CSV, streamed, in the employee import's columns (re-imports unchanged)."""

    name_prefix = "people"
    columns = EMPLOYEE_COLUMNS

    def record_read(self, request: Request) -> None:
        # Its rows carry everyone's salary: a read of salaries, each time (not once an hour).
        record(audit.SALARY_VIEWED, actor=request.user, request=request, what="people-export")

    def rows(self) -> Any:
        return selectors.people_for_export()


class RewardsExportView(_ExportView):
    """The catalog as CSV, streamed, in the reward import's columns."""

    name_prefix = "rewards"
    columns = REWARD_COLUMNS

    def rows(self) -> Any:
        return selectors.rewards_for_export()
