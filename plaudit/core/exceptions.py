"""One exception handler renders every API error as an RFC 9457 problem document.

DRF's own handler does the translation of Django's ``Http404`` and
``PermissionDenied`` and sets ``WWW-Authenticate`` and ``Retry-After``; this module
reshapes its answer into ``{"type", "title", "status", "detail", "code"}`` plus
``"errors"`` for validation failures, and adds domain errors.
"""

import logging
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .constraints import refusal_for
from .errors import DomainError, InvalidInput

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

PROBLEM_CONTENT_TYPE = "application/problem+json"
# The database went away: a 503 the client may retry, never a 500.
DatabaseUnavailable = (OperationalError, InterfaceError)
logger = logging.getLogger(__name__)


# The titles of the statuses Plaudit answers, in the words of ``HTTPStatus(status).phrase``
# (the fallback for any other status), translatable.
STATUS_TITLES: dict[int, "_StrPromise"] = {
    400: gettext_lazy("Bad Request"),
    401: gettext_lazy("Unauthorized"),
    403: gettext_lazy("Forbidden"),
    404: gettext_lazy("Not Found"),
    405: gettext_lazy("Method Not Allowed"),
    406: gettext_lazy("Not Acceptable"),
    409: gettext_lazy("Conflict"),
    410: gettext_lazy("Gone"),
    412: gettext_lazy("Precondition Failed"),
    413: gettext_lazy("Request Entity Too Large"),
    415: gettext_lazy("Unsupported Media Type"),
    422: gettext_lazy("Unprocessable Entity"),
    429: gettext_lazy("Too Many Requests"),
    500: gettext_lazy("Internal Server Error"),
    502: gettext_lazy("Bad Gateway"),
    503: gettext_lazy("Service Unavailable"),
    504: gettext_lazy("Gateway Timeout"),
}


def status_title(status_code: int) -> str:
    """The status's title in the active language: ``404`` → "Not Found"."""
    title = STATUS_TITLES.get(status_code)
    return str(title) if title is not None else HTTPStatus(status_code).phrase


def problem_type(code: str) -> str:
    return f"urn:plaudit:problem:{code}"


def problem_body(
    *,
    status_code: int,
    code: str,
    detail: "str | _StrPromise",
    title: "str | _StrPromise | None" = None,
    errors: Any = None,
) -> dict[str, Any]:
    """The problem document; its words are made text here, in the request's language
    (a domain error's are lazy until then)."""
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": str(title) if title else status_title(status_code),
        "status": status_code,
        "detail": str(detail),
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(body, status=body["status"], headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def _nested_like_input(errors: Any) -> Any:
    """DRF reports a list's errors as ``{index: errors}``; the contract nests them in a
    list as the input was, ``{}`` (or ``[]`` in a list of plain values) standing for a
    valid item: ``[{}, {"points": [...]}]``."""
    if isinstance(errors, dict):
        if errors and all(isinstance(key, int) for key in errors):
            valid: Any = [] if any(isinstance(v, list) for v in errors.values()) else {}
            return [_nested_like_input(errors.get(i, valid)) for i in range(max(errors) + 1)]
        return {key: _nested_like_input(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [_nested_like_input(value) for value in errors]
    return errors


def _validation_errors(detail: Any) -> Any:
    """Validation details keyed by field; a bare list belongs to the whole input."""
    if isinstance(detail, list):
        return {"non_field_errors": detail}
    return _nested_like_input(detail)


def _first_message(errors: Any) -> str | None:
    if isinstance(errors, dict):
        for value in errors.values():
            if (message := _first_message(value)) is not None:
                return message
    elif isinstance(errors, list):
        for value in errors:
            if (message := _first_message(value)) is not None:
                return message
    elif errors:
        return str(errors)
    return None


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, IntegrityError):
        # A write a service let through and the database refused: a 409 in the
        # constraint's own words; its name goes to the log, never to the client.
        exc = refusal_for(exc, where=context.get("view"))
    if isinstance(exc, InvalidInput):  # a service's field rule reads like a serializer's
        exc = exceptions.ValidationError({exc.field or "non_field_errors": [exc.detail]})
    elif isinstance(exc, DomainError):
        errors = {exc.field: [str(exc.detail)]} if exc.field else None
        return problem_response(
            problem_body(
                status_code=exc.status,
                code=exc.code,
                detail=exc.detail,
                title=exc.title,
                errors=errors,
            )
        )

    if isinstance(exc, SuspiciousOperation):
        # Django's guards on a request's size and shape (DATA_UPLOAD_MAX_*): bad input.
        if isinstance(exc, RequestDataTooBig):
            return problem_response(
                problem_body(status_code=413, code="request_too_large", detail=str(exc))
            )
        return problem_response(
            problem_body(status_code=400, code="bad_request", detail=_("The request is malformed."))
        )

    if isinstance(exc, DatabaseUnavailable):
        # The database went away mid-request (restart, failover, killed connection):
        # the transaction rolled back, so nothing was written; the client may retry.
        logger.warning("Database unavailable in %s: %s", context.get("view"), exc)
        return problem_response(
            problem_body(
                status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
                code="service_unavailable",
                detail=_("The database is unavailable; nothing was changed. Retry shortly."),
            ),
            headers={"Retry-After": "5"},
        )

    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)

    response = exception_handler(exc, context)
    if response is None:
        # Not an API exception: a bug. Log it and still answer in the contract's format.
        logger.exception("Unhandled error in %s", context.get("view"), exc_info=exc)
        return problem_response(
            problem_body(
                status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
                code="server_error",
                detail=_("An unexpected error occurred; it has been logged."),
            )
        )

    headers = {
        name: response[name] for name in ("WWW-Authenticate", "Retry-After") if name in response
    }
    if isinstance(exc, exceptions.ValidationError):
        errors = _validation_errors(response.data)
        first = _first_message(errors)
        body = problem_body(
            status_code=response.status_code,
            code="invalid",
            title=_("Invalid input"),
            detail=(
                _("The request has invalid fields: %(first)s") % {"first": first}
                if first
                else _("Invalid input.")
            ),
            errors=errors,
        )
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        # A detail that is a dict (simplejwt's invalid token) still has its class's code.
        code = codes if isinstance(codes, str) else getattr(exc, "default_code", "error")
        data = response.data
        detail = data.get("detail", data) if isinstance(data, dict) else data
        body = problem_body(status_code=response.status_code, code=code, detail=str(detail))
    return problem_response(body, headers)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _plain_problem(
    request: HttpRequest, status_code: int, code: str, detail: "str | _StrPromise"
) -> JsonResponse:
    body = problem_body(status_code=status_code, code=code, detail=detail)
    return JsonResponse(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def _error_page(
    request: HttpRequest, status_code: int, detail: "str | _StrPromise"
) -> HttpResponse:
    """People get a page in the site's layout, with the same words as the problem document."""
    context = {"status": status_code, "title": status_title(status_code), "detail": detail}
    return render(request, "error.html", context, status=status_code)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler404``: a problem document under /api/, a page everywhere else."""
    if _is_api(request):
        return _plain_problem(
            request, 404, "not_found", _("No resource at %(path)s.") % {"path": request.path}
        )
    return _error_page(request, 404, _("There is no page at this address."))


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the last line. The page is rendered without context processors,
    so a broken database or template tag cannot fail it a second time."""
    if _is_api(request):
        return _plain_problem(request, 500, "server_error", _("An unexpected error occurred."))
    html = loader.get_template("500.html").render()
    return HttpResponse(html, status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _plain_problem(
            request, 400, "bad_request", _("The request could not be understood.")
        )
    return _error_page(request, 400, _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _plain_problem(request, 403, "permission_denied", _("You may not do this."))
    return _error_page(request, 403, _("This page is for another role. Ask HR if you need access."))
