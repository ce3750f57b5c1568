"""``/scim/v2/``: SCIM 2.0 (RFC 7643/7644) for identity providers (Entra ID, Okta).

Thin DRF views: scim2-models reads and writes the SCIM documents, :mod:`.filters` turns
a filter into a query, :mod:`.services` makes every change through the people services.
Only an API token with the ``scim`` scope gets in (``required_scopes``), and its owner
must be an HR admin: they are the actor of every change.

Every refusal, authentication included, is a SCIM error document
(``urn:ietf:params:scim:api:messages:2.0:Error``) with the status as a string and a
``scimType`` where RFC 7644 §3.12 has one, never a problem+json document and never a
500. Requests may be ``application/scim+json`` or ``application/json``; responses are
``application/scim+json``.
"""

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import IntegrityError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from pydantic import ValidationError
from rest_framework import exceptions, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from scim2_models import (
    Context,
    Error,
    InvalidFilterException,
    InvalidValueException,
    MutabilityException,
    NotFoundException,
    PatchOp,
    PreconditionFailedException,
    ResponseParameters,
    SCIMException,
)

from plaudit.core.errors import DomainError, InvalidInput, NotAllowed
from plaudit.core.fields import MAX_ID, is_id_text
from plaudit.core.parsers import JSONParser
from plaudit.people.errors import EmailTaken, EmployeeIdTaken, PersonConflict
from plaudit.people.roles import is_hr_admin
from plaudit.tokens.authentication import TokenAuthentication
from plaudit.tokens.scopes import Scope

from . import services
from .filters import groups_matching, users_matching
from .resources import (
    CONFIG,
    MAX_RESULTS,
    POLICY,
    PROVIDER,
    ScimGroupResource,
    UserResource,
    dump,
    group_resource,
    schema_documents,
    user_resource,
    version_of,
)
from .selectors import group_resources, user_resources

logger = logging.getLogger(__name__)

SCIM_MEDIA_TYPE = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
DEFAULT_COUNT = 100


class ScimJSONParser(JSONParser):
    media_type = SCIM_MEDIA_TYPE


class ScimJSONRenderer(JSONRenderer):
    media_type = SCIM_MEDIA_TYPE
    charset = None


class AlwaysScim(BaseContentNegotiation):
    """Every answer is SCIM JSON, whatever the Accept header asks (RFC 7644 §3.1)."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        for parser in parsers:
            if parser.media_type == content_type:
                return parser
        return None

    def select_renderer(self, request: Request, renderers: Any, format_suffix: Any = None) -> Any:
        return (renderers[0], renderers[0].media_type)


class IsScimAdmin(BasePermission):
    """The token's owner provisions the company's people: an HR admin."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated()
        if not is_hr_admin(request.user):
            raise exceptions.PermissionDenied(_("Only an HR admin's token may provision people."))
        return True


def error_response(
    status_code: int,
    detail: str,
    scim_type: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status_code), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return Response(body, status=status_code, headers=headers, content_type=SCIM_MEDIA_TYPE)


def _domain_error(exc: DomainError) -> Response:
    if isinstance(exc, EmailTaken | EmployeeIdTaken | PersonConflict):
        return error_response(409, str(exc.detail), "uniqueness")
    if isinstance(exc, NotAllowed):
        return error_response(403, str(exc.detail))
    if isinstance(exc, InvalidInput):
        detail = f"{exc.field}: {exc.detail}" if exc.field else str(exc.detail)
        return error_response(400, detail, "invalidValue")
    return error_response(exc.status, str(exc.detail), "mutability" if exc.status == 400 else None)


def scim_error_for(exc: Exception) -> Response | None:
    """The SCIM error document for ``exc``; None for a bug (which DRF then raises)."""
    if isinstance(exc, SCIMException):
        return error_response(exc.status, exc.detail, exc.scim_type or None)
    if isinstance(exc, ValidationError):
        error = Error.from_validation_errors(exc)[0]
        return error_response(int(error.status or 400), error.detail or "", error.scim_type)
    if isinstance(exc, DomainError):
        return _domain_error(exc)
    if isinstance(exc, IntegrityError):
        return error_response(409, _("This conflicts with another person or group."), "uniqueness")
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return error_response(
            401, str(exc.detail), headers={"WWW-Authenticate": 'Bearer realm="scim"'}
        )
    if isinstance(exc, exceptions.ParseError):
        return error_response(400, str(exc.detail), "invalidSyntax")
    if isinstance(exc, Http404):
        return error_response(404, _("No such resource."))
    if isinstance(exc, RequestDataTooBig):
        return error_response(413, _("The request is too large."))
    if isinstance(exc, SuspiciousOperation):
        return error_response(400, _("The request is malformed."), "invalidSyntax")
    if isinstance(exc, exceptions.APIException):
        wait = getattr(exc, "wait", None)
        headers = {"Retry-After": str(int(wait))} if wait else None
        return error_response(exc.status_code, str(exc.detail), headers=headers)
    return None


class ScimView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsScimAdmin]
    required_scopes = {"*": Scope.SCIM.value}
    parser_classes = [ScimJSONParser, JSONParser]
    renderer_classes = [ScimJSONRenderer]
    content_negotiation_class = AlwaysScim
    versioning_class = None
    schema = None  # not part of /api/v1/'s OpenAPI document: SCIM publishes /Schemas

    def handle_exception(self, exc: Exception) -> Response:
        response = scim_error_for(exc)
        if response is None:
            logger.exception("Unhandled error in SCIM view %s", type(self).__name__)
            response = error_response(500, _("An unexpected error occurred; it has been logged."))
        return response

    def base_url(self) -> str:
        return self.request.build_absolute_uri(reverse("scim:root"))

    def payload(self) -> dict[str, Any]:
        data = self.request.data
        if not isinstance(data, dict):
            raise exceptions.ParseError(_("The request body must be a JSON object."))
        return data

    def search_parameters(self) -> dict[str, Any]:
        """The query's parameters: the URL's, or a POST .search request's body."""
        if self.request.method == "POST":
            return self.payload()
        return dict(self.request.query_params.items())

    def response_parameters(self, model: Any) -> Any:
        params = self.search_parameters()
        values = {
            key: params[key] for key in ("attributes", "excludedAttributes") if params.get(key)
        }
        if not values:
            return None
        return ResponseParameters[model].model_validate(values)

    def resource_response(self, resource: Any, model: Any, *, status_code: int = 200) -> Response:
        payload = dump(resource)
        shown = self.response_parameters(model)
        body = dump(resource, response_parameters=shown) if shown is not None else payload
        headers = {"ETag": payload["meta"]["version"]}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = payload["meta"]["location"]
        return Response(body, status=status_code, headers=headers)

    def check_precondition(self, resource: Any) -> None:
        """If-Match (RFC 7644 §3.14): a change to a version the client no longer has is
        refused with 412, so two writers cannot overwrite each other unseen."""
        wanted = self.request.headers.get("If-Match")
        if not wanted or wanted.strip() == "*":
            return
        current = version_of(dump(resource))
        tags = [tag.strip() for tag in wanted.split(",")]
        if current not in tags and current.removeprefix("W/") not in tags:
            raise PreconditionFailedException(
                detail=_("The resource changed since this version was read.")
            )

    def not_modified(self, resource: Any) -> bool:
        wanted = self.request.headers.get("If-None-Match")
        return bool(wanted) and version_of(dump(resource)) in [
            tag.strip() for tag in (wanted or "").split(",")
        ]


def page_of(params: dict[str, Any]) -> tuple[int, int]:
    """``startIndex`` (1-based) and ``count``, as RFC 7644 §3.4.2.4 bounds them."""
    try:
        start = int(params.get("startIndex", 1))
        count = int(params.get("count", DEFAULT_COUNT))
    except (TypeError, ValueError):
        raise InvalidValueException(detail=_("startIndex and count must be integers.")) from None
    # An offset past any table's size is an empty page, never an OFFSET PostgreSQL refuses.
    return min(max(start, 1), MAX_ID), min(max(count, 0), MAX_RESULTS)


def list_response(resources: list[dict[str, Any]], total: int, start: int) -> Response:
    return Response(
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(resources),
            "Resources": resources,
        }
    )


def _as_sent_by_providers(operation: Any) -> Any:
    """An operation as RFC 7644 §3.5.2 spells it, from the shapes providers send:
    Entra ID's manager as a bare id (``"value": "42"`` for ``{"value": "42"}``) and its
    members with ``"$ref": null`` (a null says nothing, so it must not fail to match),
    and Okta's path-less replace that repeats the resource's read-only ``id``."""
    if not isinstance(operation, dict):
        return operation
    path, value = operation.get("path"), operation.get("value")
    if isinstance(value, list):
        value = [
            {key: item for key, item in entry.items() if item is not None}
            if isinstance(entry, dict)
            else entry
            for entry in value
        ]
        operation = {**operation, "value": value}
    if isinstance(path, str) and path.lower().endswith(":manager") and isinstance(value, str):
        return {**operation, "value": {"value": value}}
    if path is None and isinstance(value, dict):
        return {**operation, "value": {k: v for k, v in value.items() if k.lower() != "id"}}
    return operation


def _patched(resource: Any, payload: dict[str, Any], model: Any) -> Any:
    operations = payload.get("Operations")
    if isinstance(operations, list):
        payload = {**payload, "Operations": [_as_sent_by_providers(op) for op in operations]}
    patch = PatchOp[model].model_validate(
        payload, scim_ctx=Context.RESOURCE_PATCH_REQUEST, scim_policy=POLICY, scim_provider=PROVIDER
    )
    with POLICY:
        patch.patch(resource)
    return resource


# --- Discovery ---------------------------------------------------------------------------


class ServiceProviderConfigView(ScimView):
    def get(self, request: Request) -> Response:
        payload = CONFIG.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        payload["meta"] = {
            "resourceType": "ServiceProviderConfig",
            "location": f"{self.base_url()}ServiceProviderConfig",
        }
        return Response(payload)


def _resource_types(base: str) -> list[dict[str, Any]]:
    documents = []
    for resource_type in PROVIDER.resource_types:
        payload = resource_type.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        payload["meta"] = {
            "resourceType": "ResourceType",
            "location": f"{base}ResourceTypes/{resource_type.id}",
        }
        documents.append(payload)
    return documents


def _schemas(base: str) -> list[dict[str, Any]]:
    documents = []
    for schema in schema_documents():
        payload = schema.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        payload["meta"] = {"resourceType": "Schema", "location": f"{base}Schemas/{schema.id}"}
        documents.append(payload)
    return documents


class ResourceTypesView(ScimView):
    def get(self, request: Request, id: str | None = None) -> Response:
        documents = _resource_types(self.base_url())
        if id is None:
            return list_response(documents, len(documents), 1)
        for document in documents:
            if document["id"] == id:
                return Response(document)
        raise NotFoundException(detail=_("No such resource type."))


class SchemasView(ScimView):
    def get(self, request: Request, id: str | None = None) -> Response:
        documents = _schemas(self.base_url())
        if id is None:
            return list_response(documents, len(documents), 1)
        for document in documents:
            if document["id"] == id:
                return Response(document)
        raise NotFoundException(detail=_("No such schema."))


# --- Users -------------------------------------------------------------------------------


class UsersView(ScimView):
    def get(self, request: Request) -> Response:
        params = self.search_parameters()
        people = user_resources()
        text = params.get("filter")
        if text:
            people = people.filter(users_matching(str(text))).distinct()
        start, count = page_of(params)
        total = people.count()
        page = list(people[start - 1 : start - 1 + count]) if count else []
        base = self.base_url()
        shown = self.response_parameters(UserResource)
        return list_response(
            [dump(user_resource(person, base), response_parameters=shown) for person in page],
            total,
            start,
        )

    def post(self, request: Request) -> Response:
        resource = UserResource.model_validate(
            self.payload(),
            scim_ctx=Context.RESOURCE_CREATION_REQUEST,
            scim_policy=POLICY,
            scim_provider=PROVIDER,
        )
        person = services.provision_user(actor=request.user, resource=resource, request=request)  # type: ignore[arg-type]
        person = user_resources().get(pk=person.pk)
        return self.resource_response(
            user_resource(person, self.base_url()), UserResource, status_code=201
        )


class UserView(ScimView):
    def person(self, id: str) -> Any:
        person = user_resources().filter(pk=int(id)).first() if is_id_text(id) else None
        if person is None:
            raise NotFoundException(detail=_("No such user."))
        return person

    def get(self, request: Request, id: str) -> Response:
        resource = user_resource(self.person(id), self.base_url())
        if self.not_modified(resource):
            return Response(status=304)
        return self.resource_response(resource, UserResource)

    def put(self, request: Request, id: str) -> Response:
        person = self.person(id)
        self.check_precondition(user_resource(person, self.base_url()))
        resource = UserResource.model_validate(
            self.payload(),
            scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST,
            scim_policy=POLICY,
            scim_provider=PROVIDER,
        )
        services.update_user(actor=request.user, person=person, resource=resource, request=request)  # type: ignore[arg-type]
        return self.resource_response(user_resource(self.person(id), self.base_url()), UserResource)

    def patch(self, request: Request, id: str) -> Response:
        person = self.person(id)
        current = user_resource(person, self.base_url())
        self.check_precondition(current)
        resource = _patched(current.model_copy(deep=True), self.payload(), UserResource)
        if resource.active is None:
            raise MutabilityException(
                detail=_("active cannot be removed: set it to false to deactivate the person.")
            )
        services.update_user(actor=request.user, person=person, resource=resource, request=request)  # type: ignore[arg-type]
        return self.resource_response(user_resource(self.person(id), self.base_url()), UserResource)

    def delete(self, request: Request, id: str) -> Response:
        person = self.person(id)
        self.check_precondition(user_resource(person, self.base_url()))
        services.remove_user(actor=request.user, person=person, request=request)  # type: ignore[arg-type]
        return Response(status=204)


class UserSearchView(UsersView):
    """POST /Users/.search (RFC 7644 §3.4.3): a query whose parameters are the body."""

    def post(self, request: Request) -> Response:
        return self.get(request)


# --- Groups ------------------------------------------------------------------------------


class GroupsView(ScimView):
    def get(self, request: Request) -> Response:
        params = self.search_parameters()
        groups = group_resources()
        text = params.get("filter")
        if text:
            groups = groups.filter(groups_matching(str(text))).distinct()
        start, count = page_of(params)
        total = groups.count()
        page = list(groups[start - 1 : start - 1 + count]) if count else []
        base = self.base_url()
        shown = self.response_parameters(ScimGroupResource)
        return list_response(
            [dump(group_resource(group, base), response_parameters=shown) for group in page],
            total,
            start,
        )

    def post(self, request: Request) -> Response:
        resource: Any = ScimGroupResource.model_validate(
            self.payload(),
            scim_ctx=Context.RESOURCE_CREATION_REQUEST,
            scim_policy=POLICY,
            scim_provider=PROVIDER,
        )
        group = services.create_group(actor=request.user, resource=resource, request=request)  # type: ignore[arg-type]
        group = group_resources().get(pk=group.pk)
        return self.resource_response(
            group_resource(group, self.base_url()), ScimGroupResource, status_code=201
        )


class GroupView(ScimView):
    def group(self, id: str) -> Any:
        group = group_resources().filter(pk=int(id)).first() if is_id_text(id) else None
        if group is None:
            raise NotFoundException(detail=_("No such group."))
        return group

    def get(self, request: Request, id: str) -> Response:
        resource = group_resource(self.group(id), self.base_url())
        if self.not_modified(resource):
            return Response(status=304)
        return self.resource_response(resource, ScimGroupResource)

    def put(self, request: Request, id: str) -> Response:
        group = self.group(id)
        self.check_precondition(group_resource(group, self.base_url()))
        resource: Any = ScimGroupResource.model_validate(
            self.payload(),
            scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST,
            scim_policy=POLICY,
            scim_provider=PROVIDER,
        )
        services.update_group(actor=request.user, group=group, resource=resource, request=request)  # type: ignore[arg-type]
        return self.resource_response(
            group_resource(self.group(id), self.base_url()), ScimGroupResource
        )

    def patch(self, request: Request, id: str) -> Response:
        group = self.group(id)
        current = group_resource(group, self.base_url())
        self.check_precondition(current)
        resource = _patched(current.model_copy(deep=True), self.payload(), ScimGroupResource)
        services.update_group(actor=request.user, group=group, resource=resource, request=request)  # type: ignore[arg-type]
        return self.resource_response(
            group_resource(self.group(id), self.base_url()), ScimGroupResource
        )

    def delete(self, request: Request, id: str) -> Response:
        group = self.group(id)
        self.check_precondition(group_resource(group, self.base_url()))
        services.remove_group(actor=request.user, group=group, request=request)  # type: ignore[arg-type]
        return Response(status=204)


class GroupSearchView(GroupsView):
    def post(self, request: Request) -> Response:
        return self.get(request)


class RootSearchView(ScimView):
    """POST /.search (RFC 7644 §3.4.3): Users, then Groups, that the filter matches; a
    filter naming an attribute one of them lacks matches none of that kind."""

    def post(self, request: Request) -> Response:
        params = self.payload()
        text = str(params.get("filter") or "")
        queries: list[tuple[Any, Any, Any]] = []
        for resources, matching, show, model in (
            (user_resources(), users_matching, user_resource, UserResource),
            (group_resources(), groups_matching, group_resource, ScimGroupResource),
        ):
            try:
                query = resources.filter(matching(text)).distinct() if text else resources
                queries.append((query, show, self.response_parameters(model)))
            except InvalidFilterException:
                continue
        if not queries:
            raise InvalidFilterException(detail=_("No resource type has these attributes."))
        start, count = page_of(params)
        total = sum(query.count() for query, _show, _shown in queries)
        base = self.base_url()
        found: list[dict[str, Any]] = []
        skip = start - 1
        for query, show, shown in queries:
            if len(found) >= count:
                break
            size = query.count()
            if skip >= size:
                skip -= size
                continue
            for item in query[skip : skip + count - len(found)]:
                found.append(dump(show(item, base), response_parameters=shown))
            skip = 0
        return list_response(found, total, start)


class NotFoundView(ScimView):
    """Anything else under /scim/v2/: a SCIM 404, not the site's page."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("rest", None)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: Request, *args: Any) -> Response:
        raise NotFoundException(detail=_("No such endpoint."))

    post = put = patch = delete = get
