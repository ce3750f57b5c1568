"""Recognition endpoints: parse, call one service or selector, render.

``/recognitions/`` (the feed, kudos, comments, reactions, add-ons), ``/values/``,
``/celebrations/milestones/`` and the recognition reports under ``/reports/``.
"""

import json
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from plaudit.core.idempotency import run_idempotently
from plaudit.core.pagination import NewestFirstCursorPagination, PagePagination
from plaudit.core.permissions import IsHRAdmin, IsHRAdminOrReadOnly, IsManagerOrHRAdmin
from plaudit.people.authentication import prefetched
from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin
from plaudit.tokens.scopes import Scope

from . import celebrations, selectors, services, values
from .cache import (
    FeedPage,
    cached_emojis_reacted_by,
    cached_feed_page,
    cached_leaderboard,
    cached_trending,
    feed_page_keys,
    my_reaction_keys,
)
from .models import CelebrationMilestone, Comment, CompanyValue, Recognition
from .serializers import (
    AddOnInputSerializer,
    AddOnSerializer,
    CelebrationMilestoneSerializer,
    CommentInputSerializer,
    CommentPageSerializer,
    CommentSerializer,
    CompanyValueSerializer,
    FeedQuerySerializer,
    LeaderboardQuerySerializer,
    LeaderboardSerializer,
    ReactionInputSerializer,
    ReactionSummarySerializer,
    RecognitionInputSerializer,
    RecognitionSerializer,
    TeamPointsSerializer,
    TeamQuerySerializer,
    TrendingQuerySerializer,
    TrendingSerializer,
)

FEED_PARAMETERS = [
    OpenApiParameter(
        "person", OpenApiTypes.INT, description=gettext_lazy("Given or received by this person.")
    ),
    OpenApiParameter(
        "department", OpenApiTypes.STR, description=gettext_lazy("Giver or a recipient works here.")
    ),
    OpenApiParameter(
        "value", OpenApiTypes.STR, description=gettext_lazy("Names this company value (slug).")
    ),
]
PERIOD_PARAMETER = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    enum=["month", "quarter", "year", "all"],
    description=gettext_lazy("Default month."),
)


def _marked_as_mine(body: bytes, mine: dict[int, set[str]]) -> bytes:
    """The shared page's JSON with the caller's own reactions marked ``mine``."""
    page = json.loads(body)
    for item in page["results"]:
        for reaction in item["reactions"]:
            reaction["mine"] = reaction["emoji"] in mine.get(item["id"], ())
    return JSONRenderer().render(page)


class RecognitionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Recognition],
):
    """The company feed, kudos, and what people add to them: comments, reactions, add-ons."""

    serializer_class = RecognitionSerializer
    pagination_class = NewestFirstCursorPagination
    # An API token gives kudos, comments and reactions with kudos:write.
    required_scopes = {"POST": Scope.KUDOS_WRITE, "DELETE": Scope.KUDOS_WRITE}
    filter_backends: list[Any] = []
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> Any:
        if self.action != "list":
            return selectors.recognitions_for_feed()
        query = FeedQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        person = User(pk=filters["person"]) if "person" in filters else None
        return selectors.feed(
            person=person, department=filters.get("department"), value=filters.get("value")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "reactions": {}}

    def _render(self, recognitions: list[Recognition], *, new: bool = False) -> Any:
        """As the feed shows them; ``new`` ones have no reactions yet to read."""
        viewer: User = self.request.user  # type: ignore[assignment]
        reactions = (
            {} if new else selectors.reaction_summaries([r.pk for r in recognitions], viewer)
        )
        context = {**self.get_serializer_context(), "reactions": reactions}
        return RecognitionSerializer(recognitions, many=True, context=context).data

    def _recognition(self) -> Recognition:
        """The recognition in the URL, as a plain row (for writes on it)."""
        return get_object_or_404(Recognition.objects.all(), pk=self.kwargs["pk"])

    def cache_reads(self, request: Request, person_id: Any) -> Sequence[str]:
        """The cached page and the caller's reactions on it that :meth:`list` reads,
        fetched as the caller is authenticated."""
        if self.action != "list":
            return []
        identity = request.build_absolute_uri()
        return [
            *feed_page_keys(identity),
            *my_reaction_keys(person_id, identity),
        ]

    @extend_schema(parameters=FEED_PARAMETERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        identity, cached = request.build_absolute_uri(), prefetched(request)
        shared = cached_feed_page(identity, self._shared_page, prefetched=cached)
        mine = cached_emojis_reacted_by(
            request.user,  # type: ignore[arg-type]
            identity,
            shared.reacted,
            prefetched=cached,
        )
        body = shared.body if not mine else _marked_as_mine(shared.body, mine)
        return HttpResponse(body, content_type=JSONRenderer.media_type)

    def _shared_page(self) -> FeedPage:
        """The page as everyone sees it, reactions counted but none marked as the
        caller's: what is cached, as the JSON it is sent as to most callers."""
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        context = {
            **self.get_serializer_context(),
            "reactions": selectors.reaction_summaries([r.pk for r in page], viewer=None),
        }
        items = RecognitionSerializer(page, many=True, context=context).data
        return FeedPage(
            body=JSONRenderer().render(self.get_paginated_response(list(items)).data),
            reacted=[item["id"] for item in items if item["reactions"]],
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._render([self.get_object()])[0])

    @extend_schema(
        request=RecognitionInputSerializer,
        responses={201: RecognitionSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def give() -> Response:
            data = RecognitionInputSerializer(data=request.data, context={"giver": request.user})
            data.is_valid(raise_exception=True)
            recognition = services.give_recognition(
                giver=request.user,  # type: ignore[arg-type]
                message=data.validated_data["message"],
                gifts=data.validated_data["recipients"],
                values=data.validated_data["values"],
            )
            return Response(
                self._render([recognition], new=True)[0], status=status.HTTP_201_CREATED
            )

        # A client that retries a timed-out POST with the same key thanks people once.
        return run_idempotently(self, request, scope="recognitions.create", work=give)

    @extend_schema(request=AddOnInputSerializer, responses={201: AddOnSerializer})
    @action(detail=True, methods=["post"], url_path="add-ons")
    def add_ons(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Join this recognition with your own points, for each of its recipients."""
        recognition = self._recognition()
        data = AddOnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        added = services.add_on(
            giver=request.user,  # type: ignore[arg-type]
            recognition=recognition,
            points=data.validated_data["points"],
        )
        recipients = added.awards.count()
        body = {
            "id": added.pk,
            "recognition_id": recognition.pk,
            "giver": added.giver,
            "points": added.points,
            "recipients": recipients,
            "total": added.points * recipients,
            "created_at": added.created_at,
        }
        return Response(AddOnSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses=CommentPageSerializer,
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter(
                "page_size", OpenApiTypes.INT, description=gettext_lazy("At most 100.")
            ),
        ],
        request=None,
    )
    @extend_schema(
        methods=["POST"], request=CommentInputSerializer, responses={201: CommentSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The comments, oldest first; or add one."""
        recognition = self._recognition()
        if request.method == "POST":
            data = CommentInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            comment = services.add_comment(
                author=request.user,  # type: ignore[arg-type]
                recognition=recognition,
                body=data.validated_data["body"],
            )
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        paginator = PagePagination()
        page = paginator.paginate_queryset(selectors.comments_on(recognition), request, self)
        return paginator.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"comments/(?P<comment_id>[0-9]+)")
    def delete_comment(
        self, request: Request, *args: Any, comment_id: str, **kwargs: Any
    ) -> Response:
        """The author or an HR admin removes a comment."""
        comment = get_object_or_404(
            Comment.objects.all(), pk=int(comment_id), recognition_id=self.kwargs["pk"]
        )
        services.delete_comment(actor=request.user, comment=comment)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _reaction_summary(self, recognition: Recognition, emoji: str) -> dict[str, Any]:
        viewer: User = self.request.user  # type: ignore[assignment]
        rows = selectors.reaction_summaries([recognition.pk], viewer).get(recognition.pk, [])
        return next(
            (row for row in rows if row["emoji"] == emoji),
            {"emoji": emoji, "count": 0, "mine": False},
        )

    @extend_schema(
        request=ReactionInputSerializer,
        responses={201: ReactionSummarySerializer, 200: ReactionSummarySerializer},
    )
    @action(detail=True, methods=["post"])
    def reactions(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """React with an emoji: 201 the first time, 200 (nothing new) when you already had."""
        recognition = self._recognition()
        data = ReactionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        emoji = data.validated_data["emoji"]
        _reaction, created = services.react(
            user=request.user,  # type: ignore[arg-type]
            recognition=recognition,
            emoji=emoji,
        )
        return Response(
            ReactionSummarySerializer(self._reaction_summary(recognition, emoji)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"reactions/(?P<emoji>[^/]+)")
    def remove_reaction(self, request: Request, *args: Any, emoji: str, **kwargs: Any) -> Response:
        """Take your reaction back (the emoji URL-encoded in the path); 404 if you had none."""
        recognition = self._recognition()
        removed = services.remove_reaction(
            user=request.user,  # type: ignore[arg-type]
            recognition=recognition,
            emoji=emoji,
        )
        if not removed:
            raise NotFound(_("You have not reacted with %(emoji)s here.") % {"emoji": emoji})
        return Response(status=status.HTTP_204_NO_CONTENT)


class CompanyValueViewSet(viewsets.ModelViewSet[CompanyValue]):
    """The company values everyone names in kudos; HR admins keep the list."""

    serializer_class = CompanyValueSerializer
    permission_classes = [IsAuthenticated, IsHRAdminOrReadOnly]
    filter_backends: list[Any] = []
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.active_values()

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = values.create_value(
            actor=self.request.user,  # type: ignore[arg-type]
            **serializer.validated_data,
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = values.update_value(
            serializer.instance,
            actor=self.request.user,  # type: ignore[arg-type]
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: CompanyValue) -> None:
        values.delete_value(instance, actor=self.request.user)  # type: ignore[arg-type]


class CelebrationMilestoneViewSet(viewsets.ModelViewSet[CelebrationMilestone]):
    """Points the company gives on birthdays and work anniversaries (none until HR sets some)."""

    serializer_class = CelebrationMilestoneSerializer
    permission_classes = [IsAuthenticated, IsHRAdmin]
    filter_backends: list[Any] = []
    lookup_value_regex = "[0-9]+"
    queryset = CelebrationMilestone.objects.order_by("occasion", "years", "id")
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = celebrations.create_milestone(
            actor=self.request.user,  # type: ignore[arg-type]
            **serializer.validated_data,
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = celebrations.update_milestone(
            serializer.instance,
            actor=self.request.user,  # type: ignore[arg-type]
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: CelebrationMilestone) -> None:
        celebrations.delete_milestone(instance, actor=self.request.user)  # type: ignore[arg-type]


class LeaderboardView(APIView):
    """Top receivers (``results``) and top givers of peer recognition in the period."""

    @extend_schema(
        parameters=[
            PERIOD_PARAMETER,
            OpenApiParameter(
                "department", OpenApiTypes.STR, description=gettext_lazy("A department name.")
            ),
            OpenApiParameter(
                "limit", OpenApiTypes.INT, description=gettext_lazy("Ranks, 1 to 100; default 10.")
            ),
        ],
        responses=LeaderboardSerializer,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = LeaderboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        board = cached_leaderboard(
            period=query.validated_data["period"],
            department=query.validated_data["department"],
            limit=query.validated_data["limit"],
            render=lambda raw: LeaderboardSerializer(raw).data,
        )
        return Response(board)


class TrendingView(APIView):
    """The values named most and the words used most in kudos of the period."""

    @extend_schema(
        parameters=[
            PERIOD_PARAMETER,
            OpenApiParameter(
                "limit", OpenApiTypes.INT, description=gettext_lazy("1 to 100; default 10.")
            ),
        ],
        responses=TrendingSerializer,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = TrendingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        trends = cached_trending(
            period=query.validated_data["period"],
            limit=query.validated_data["limit"],
            render=lambda raw: TrendingSerializer(raw).data,
        )
        return Response(trends)


class TeamPointsView(APIView):
    """A manager's direct reports: peer points received and given in the period."""

    permission_classes = [IsAuthenticated, IsManagerOrHRAdmin]

    @extend_schema(
        parameters=[
            PERIOD_PARAMETER,
            OpenApiParameter(
                "manager", OpenApiTypes.INT, description=gettext_lazy("HR admins only.")
            ),
        ],
        responses=TeamPointsSerializer,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = TeamQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        manager: User = request.user  # type: ignore[assignment]
        requested = query.validated_data.get("manager")
        if requested is not None and requested != manager.pk:
            if not is_hr_admin(manager):
                raise PermissionDenied(_("Only HR admins may look at another manager's team."))
            manager = get_object_or_404(User.objects.all(), pk=requested)
        team = selectors.team_points(manager, period=query.validated_data["period"])
        return Response(TeamPointsSerializer(team).data)
