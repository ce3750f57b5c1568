"""People endpoints: the directory, HR's roster changes, ``/me/`` and token sign-in."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from plaudit.audit import actions as audit
from plaudit.audit.services import record, record_view
from plaudit.core.permissions import IsHRAdmin
from plaudit.core.throttling import AuthRateThrottle
from plaudit.ledger.selectors import points_of, points_terms
from plaudit.tokens.scopes import Scope

from . import selectors, services
from .authentication import prefetched
from .cache import cached_own_page, own_page_keys
from .filters import PEOPLE_FILTER_BACKENDS, PersonFilter
from .localisation import activate_for
from .models import User
from .roles import is_hr_admin
from .serializers import (
    MeSerializer,
    PersonInputSerializer,
    PersonSerializer,
    PersonWithSalarySerializer,
    PreferencesInputSerializer,
    TokenObtainWithSecondFactorSerializer,
    TokenPairSerializer,
)


class TokenView(TokenObtainPairView):
    """``{"email", "password"}`` (and ``"code"`` with MFA) → ``{"access", "refresh"}``;
    throttled per address."""

    throttle_classes = [AuthRateThrottle]
    serializer_class = TokenObtainWithSecondFactorSerializer

    @extend_schema(responses=TokenPairSerializer)
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().post(request, *args, **kwargs)  # a failure raised (and was recorded)
        email = request.data.get("email", "") if isinstance(request.data, dict) else ""
        person = User.objects.filter(email__iexact=str(email)).first()
        if response.status_code == 200 and person is not None:
            record(audit.SIGN_IN, actor=person, target=person, request=request, via="api")
        return response


class TokenRefresh(TokenRefreshView):
    throttle_classes = [AuthRateThrottle]


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[User],
):
    """The directory for everyone signed in; hiring, changes and deactivation for HR admins."""

    filter_backends = PEOPLE_FILTER_BACKENDS
    filterset_class = PersonFilter
    search_fields = ["first_name", "last_name", "email", "employee_id"]
    ordering_fields = ["last_name", "hire_date"]
    ordering = ["last_name", "first_name", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    # An API token needs people:admin to change people (and its owner the HR role).
    required_scopes = {
        "POST": Scope.PEOPLE_ADMIN,
        "PATCH": Scope.PEOPLE_ADMIN,
        "DELETE": Scope.PEOPLE_ADMIN,
    }

    def get_queryset(self) -> Any:
        if self.action == "list":
            return selectors.directory_for(self.request.user)  # type: ignore[arg-type]
        return selectors.person_visible_to(self.request.user)  # type: ignore[arg-type]

    def get_permissions(self) -> list[Any]:
        if self.action in {"create", "partial_update", "destroy"}:
            return [IsAuthenticated(), IsHRAdmin()]
        return [IsAuthenticated()]

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if is_hr_admin(self.request.user):
            return PersonWithSalarySerializer
        return PersonSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        if is_hr_admin(request.user) and response.data.get("salary") is not None:
            person = User(pk=response.data["id"])
            record_view(audit.SALARY_VIEWED, actor=request.user, what="person", target=person)
        return response

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        if is_hr_admin(request.user):
            record_view(audit.SALARY_VIEWED, actor=request.user, what="directory")
        return response

    @extend_schema(request=PersonInputSerializer, responses={201: PersonWithSalarySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PersonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.create_person(actor=request.user, **data.validated_data)  # type: ignore[arg-type]
        return Response(PersonWithSalarySerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonInputSerializer, responses=PersonWithSalarySerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        data = PersonInputSerializer(person, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        person = services.update_person(person, actor=request.user, **data.validated_data)  # type: ignore[arg-type]
        return Response(PersonWithSalarySerializer(person).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.deactivate_person(self.get_object(), actor=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The caller, with their own salary, balance and remaining giving allowance; PATCH
    sets their own language and time zone (and nothing else)."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        # The caller as authenticated: as fresh as the database (a token's cached copy is
        # replaced on any change to them or their department; see cache.py).
        # Cached as the JSON it is sent as, until they or their accounts next change.
        me: User = request.user  # type: ignore[assignment]
        page = cached_own_page(
            me.pk, _me_identity(), lambda: _render_me(me), prefetched=prefetched(request)
        )
        return HttpResponse(page, content_type=JSONRenderer.media_type)

    @extend_schema(request=PreferencesInputSerializer, responses=MeSerializer)
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        """The caller's own ``language`` and ``time_zone``; the answer is already in them."""
        data = PreferencesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        me = services.set_preferences(
            actor=request.user,  # type: ignore[arg-type]
            person=request.user,  # type: ignore[arg-type]
            **data.validated_data,
        )
        activate_for(request._request, me)
        return HttpResponse(_render_me(me), content_type=JSONRenderer.media_type)

    def cache_reads(self, request: Request, person_id: Any) -> Sequence[str]:
        """The cached page :meth:`get` reads, fetched as the caller is authenticated."""
        if request.method not in ("GET", "HEAD"):
            return []
        return own_page_keys(person_id, _me_identity())


def _me_identity() -> str:
    """/me/'s page among the person's own: it shows this allowance month's figures."""
    return f"me:{points_terms()}"


def _render_me(me: User) -> bytes:
    me.points = points_of(me)  # type: ignore[attr-defined]
    return JSONRenderer().render(MeSerializer(me).data)
