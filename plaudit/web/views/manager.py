"""Pages for managers (and HR admins): their team, and the queue of redemptions they decide.

Approving or rejecting answers htmx with the queue row in its new state.
"""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from plaudit.core.errors import DomainError, InvalidInput
from plaudit.people.models import User
from plaudit.people.roles import is_manager
from plaudit.people.selectors import team_of
from plaudit.rewards import services as reward_services
from plaudit.rewards.forms import RejectionForm  # the admin's reject action asks with it too
from plaudit.rewards.models import Redemption
from plaudit.rewards.selectors import redemptions_awaiting_decision, redemptions_visible_to
from plaudit.web.mixins import ManagerRequiredMixin, role_required

from .from_request import is_htmx, signed_in


class TeamView(ManagerRequiredMixin, ListView):
    template_name = "web/manager/team.html"
    context_object_name = "team"

    def get_queryset(self) -> QuerySet[User]:
        return team_of(signed_in(self.request))


class ApprovalsView(ManagerRequiredMixin, ListView):
    template_name = "web/manager/approvals.html"
    context_object_name = "redemptions"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Redemption]:
        return redemptions_awaiting_decision(signed_in(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["reject_form"] = RejectionForm()
        return context


@role_required(is_manager)
@require_POST
def decide_redemption(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """Approve or reject in place: htmx swaps the queue row for its new state.

    A redemption the person may not see is a 404; whether they may decide it (the
    redeemer's manager or an HR admin) is the service's answer, a 403 like the API's.
    """
    user = signed_in(request)
    redemption = get_object_or_404(redemptions_visible_to(user), pk=pk)
    form: Form = RejectionForm(request.POST) if decision == "reject" else Form(request.POST)
    error, status = None, 200
    if form.is_valid():
        try:
            if decision == "reject":  # the reason as typed: the service trims and judges it
                redemption = reward_services.reject_redemption(
                    redemption_id=redemption.pk, actor=user, reason=form.cleaned_data["reason"]
                )
            else:
                redemption = reward_services.approve_redemption(
                    redemption_id=redemption.pk, actor=user
                )
        except InvalidInput as exc:
            if exc.field not in form.fields:
                error, status = exc.detail, exc.status
            else:
                form.add_error(exc.field, exc.detail)
                status = 422
        except DomainError as exc:
            error, status = exc.detail, exc.status
    else:
        status = 422
    if not is_htmx(request):
        if status != 200:
            messages.error(request, error or " ".join(map(str, form.errors.get("reason", ()))))
        else:
            # Translators: after a decision: "Gift card: approved."
            decided = _("%(reward)s: %(status)s.") % {
                "reward": redemption.reward.localised.name,
                "status": redemption.get_status_display().lower(),
            }
            messages.success(request, decided)
        return redirect("web:approvals")
    context = {"redemption": redemption, "reject_form": form, "error": error}
    return render(request, "web/manager/_approval_row.html", context, status=status)
