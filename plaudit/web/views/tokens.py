"""API tokens on the web: a person's own (create, with the secret shown once; revoke), and
HR's list of every token. The tokens services decide who may do what."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import ListView

from plaudit.core.errors import DomainError
from plaudit.core.forms import show_refusal
from plaudit.people.roles import is_hr_admin
from plaudit.tokens import selectors, services
from plaudit.tokens.models import TokenKind
from plaudit.web.mixins import HRAdminRequiredMixin
from plaudit.web.token_forms import NewTokenForm

from .from_request import signed_in


def _own_tokens_page(
    request: HttpRequest,
    *,
    form: NewTokenForm | None = None,
    issued: services.IssuedToken | None = None,
    status: int = 200,
) -> HttpResponse:
    person = signed_in(request)
    context = {
        "form": form or NewTokenForm(person=person),
        "tokens": selectors.own_tokens(person),
        "issued": issued,
    }
    response = render(request, "web/tokens.html", context, status=status)
    if issued is not None:
        response["Cache-Control"] = "no-store"  # the secret is on this page, once
    return response


@login_required
@require_http_methods(["GET", "POST"])
def own_tokens(request: HttpRequest) -> HttpResponse:
    """The person's tokens. A new token's secret is on the answer to the POST that made
    it, and nowhere else: a reload of the list shows its prefix only."""
    if request.method == "GET":
        return _own_tokens_page(request)
    person = signed_in(request)
    form = NewTokenForm(request.POST, person=person)
    if not form.is_valid():
        return _own_tokens_page(request, form=form, status=422)
    try:
        issued = services.create_token(
            actor=person,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            kind=form.cleaned_data.get("kind") or TokenKind.PERSONAL,
            expires_at=form.expires_at(),
            request=request,
        )
    except DomainError as refusal:
        show_refusal(form, refusal)
        return _own_tokens_page(request, form=form, status=refusal.status)
    return _own_tokens_page(request, issued=issued, status=201)


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    person = signed_in(request)
    back = "web:all-tokens" if request.POST.get("back") == "all" and is_hr_admin(person) else None
    token = selectors.tokens_visible_to(person).filter(pk=pk).first()
    if token is None:
        messages.error(request, _("There is no such token."))
    else:
        try:
            services.revoke_token(actor=person, token_id=token.pk, request=request)
        except DomainError as refusal:
            messages.error(request, refusal.detail)
        else:
            messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect(back or "web:tokens")


class AllTokensView(HRAdminRequiredMixin, ListView):
    """Every token, whoever owns it, newest first: HR may revoke any."""

    template_name = "web/hr/tokens.html"
    context_object_name = "tokens"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return selectors.tokens_visible_to(signed_in(self.request))
