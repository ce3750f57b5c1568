"""``/api/v1/tokens/``: list (your own; HR every token), create (the secret once), revoke.

A token cannot make or revoke tokens (those writes are mapped to no scope): minting a
new key is for a person signed in.
"""

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from plaudit.core.pagination import NewestFirstCursorPagination
from plaudit.people.models import User

from . import selectors, services
from .models import ApiToken
from .serializers import ApiTokenSerializer, IssuedApiTokenSerializer, NewApiTokenSerializer


class ApiTokenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ApiToken]
):
    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = NewestFirstCursorPagination
    filter_backends: list[Any] = []
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return selectors.tokens_visible_to(self.request.user)

    @extend_schema(request=NewApiTokenSerializer, responses={201: IssuedApiTokenSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A new token; its secret is in this answer and nowhere else, ever."""
        form = NewApiTokenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        issued = services.create_token(
            actor=cast(User, request.user),
            name=form.validated_data["name"],
            scopes=form.validated_data["scopes"],
            kind=form.validated_data["kind"],
            expires_at=form.expires_at(),
            request=request,
        )
        body = IssuedApiTokenSerializer(issued.token).data
        body["secret"] = issued.secret
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ApiTokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Revoke a token at once: your own, or (HR admins) anyone's."""
        token = services.revoke_token(
            actor=cast(User, request.user), token_id=self.get_object().pk, request=request
        )
        return Response(ApiTokenSerializer(token).data)
