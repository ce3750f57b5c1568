"""Pages for HR admins: the people directory, the catalog editor, the reports and the
roles the identity provider's groups give (single sign-on and SCIM)."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from plaudit.audit import actions as audit
from plaudit.audit.services import record_view
from plaudit.core.errors import DomainError
from plaudit.core.forms import show_refusal
from plaudit.people import sso
from plaudit.people.models import GroupRoleMapping, User
from plaudit.people.roles import is_hr_admin
from plaudit.people.selectors import search_directory
from plaudit.recognition.selectors import leaderboard
from plaudit.reports.selectors import months_back, points_flow_by_department
from plaudit.rewards import services as reward_services
from plaudit.rewards.models import Reward
from plaudit.rewards.selectors import rewards_visible_to
from plaudit.web.charts import grouped_bar_chart
from plaudit.web.forms import GroupRoleForm, PeopleSearchForm, RewardForm
from plaudit.web.mixins import HRAdminRequiredMixin, role_required

from .from_request import signed_in


class PeopleDirectoryView(HRAdminRequiredMixin, ListView):
    template_name = "web/hr/people.html"
    context_object_name = "people"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[User]:
        self.form = PeopleSearchForm(self.request.GET or None)
        filters: dict[str, Any] = {}
        if self.form.is_valid():
            filters = {
                "search": self.form.cleaned_data["q"],
                "department": self.form.cleaned_data["department"],
                "include_inactive": self.form.cleaned_data["include_inactive"],
            }
        return search_directory(signed_in(self.request), **filters)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        context["query"] = self.request.GET.copy()
        context["query"].pop("page", None)
        # The page shows salaries: the audit log says who looked (once an hour per reader).
        record_view(audit.SALARY_VIEWED, actor=signed_in(self.request), what="directory")
        return context


class RewardCreateView(HRAdminRequiredMixin, CreateView):
    form_class = RewardForm
    template_name = "web/hr/reward_form.html"
    success_url = reverse_lazy("web:rewards")

    def form_valid(self, form: "ModelForm[Any]") -> HttpResponse:
        assert isinstance(form, RewardForm)
        hr = signed_in(self.request)
        try:
            with transaction.atomic():
                reward = reward_services.create_reward(actor=hr, **form.reward_fields())
                if form.cleaned_data.get("image"):
                    reward_services.set_reward_image(reward, form.cleaned_data["image"], actor=hr)
        except DomainError as refusal:
            return self.form_invalid(_with_refusal(form, refusal))
        self.object = reward
        messages.success(self.request, _("%(reward)s is in the catalog.") % {"reward": reward.name})
        _say_if_already_expired(self.request, reward)
        return HttpResponseRedirect(self.get_success_url())


def _with_refusal(form: RewardForm, refusal: DomainError) -> RewardForm:
    """A refusal the form's checks could not foresee (a rule only the service applies, a
    change made meanwhile): nothing was saved, and the editor shows the service's words
    beside their field, or atop the form."""
    show_refusal(form, refusal)
    return form


def _say_if_already_expired(request: HttpRequest, reward: Reward) -> None:
    """A window already over is allowed, but HR hears it where they saved the reward."""
    if notice := reward.closed_window_notice():
        messages.warning(request, notice)


class RewardUpdateView(HRAdminRequiredMixin, UpdateView):
    form_class = RewardForm
    template_name = "web/hr/reward_form.html"
    success_url = reverse_lazy("web:rewards")

    def get_queryset(self) -> QuerySet[Reward]:
        return rewards_visible_to(signed_in(self.request))

    def form_valid(self, form: "ModelForm[Any]") -> HttpResponse:
        assert isinstance(form, RewardForm)
        reward = self.get_object()  # unchanged copy: the form's instance holds the new values
        changes = {
            name: value for name, value in form.reward_fields().items() if name in form.changed_data
        }
        hr = signed_in(self.request)
        try:
            with transaction.atomic():
                if changes:
                    reward = reward_services.update_reward(reward, actor=hr, **changes)
                image = form.cleaned_data.get("image")
                if "image" in form.changed_data and image:
                    reward_services.set_reward_image(reward, image, actor=hr)
        except DomainError as refusal:
            return self.form_invalid(_with_refusal(form, refusal))
        self.object = reward
        messages.success(self.request, _("%(reward)s was saved.") % {"reward": reward.name})
        _say_if_already_expired(self.request, reward)
        return HttpResponseRedirect(self.get_success_url())


@role_required(is_hr_admin)
@require_POST
def delete_reward(request: HttpRequest, pk: int) -> HttpResponse:
    hr = signed_in(request)
    reward = get_object_or_404(rewards_visible_to(hr), pk=pk)
    reward_services.delete_reward(reward, actor=hr)
    messages.success(
        request, _("%(reward)s was removed from the catalog.") % {"reward": reward.name}
    )
    return redirect("web:rewards")


class ReportsView(HRAdminRequiredMixin, TemplateView):
    template_name = "web/hr/reports.html"
    months = 6

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        months = months_back(self.months)
        given: dict[tuple[str, date], int] = {}
        redeemed: dict[tuple[str, date], int] = {}
        for row in points_flow_by_department(self.months):
            given[(row.department, row.month)] = row.given
            redeemed[(row.department, row.month)] = row.redeemed
        context["leaderboard"] = leaderboard(period="month", limit=10)
        context["given_chart"] = grouped_bar_chart(_("Points given"), months, given)
        context["redeemed_chart"] = grouped_bar_chart(_("Points redeemed"), months, redeemed)
        return context


@role_required(is_hr_admin)
def sso_groups(request: HttpRequest) -> HttpResponse:
    """The identity provider's groups and the roles they give, for single sign-on and
    SCIM alike; a group posted again gets the
    role posted (letter case is ignored)."""
    hr = signed_in(request)
    form = GroupRoleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            group, role = form.cleaned_data["group"], form.cleaned_data["role"]
            existing = GroupRoleMapping.objects.filter(group__iexact=group.strip()).first()
            try:
                mapping = sso.set_group_role(actor=hr, group=group, role=role, mapping=existing)
            except DomainError as exc:
                show_refusal(form, exc)
                status = exc.status if exc.status != 400 else 422
            else:
                messages.success(
                    request,
                    _(
                        "Members of %(group)s are now %(role)s: at once when the identity "
                        "provider provisions the group through SCIM, otherwise at their next "
                        "sign-in."
                    )
                    % {"group": mapping.group, "role": mapping.get_role_display()},
                )
                return redirect("web:sso-groups")
    context = {"form": form, "mappings": GroupRoleMapping.objects.order_by("group")}
    return render(request, "web/hr/sso_groups.html", context, status=status)


@role_required(is_hr_admin)
@require_POST
def remove_sso_group(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = get_object_or_404(GroupRoleMapping, pk=pk)
    try:
        sso.remove_group_role(actor=signed_in(request), mapping=mapping)
    except DomainError as exc:  # SCIM members follow at once: the last HR admin stays one
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("%(group)s no longer gives a role.") % {"group": mapping.group})
    return redirect("web:sso-groups")
