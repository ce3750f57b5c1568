"""Pages for employees, managers and HR. Each view parses, calls a service or selector, renders.

List pages are class-based views (``ListView`` with ``get_queryset`` and
``get_context_data``); one-shot actions (redeem, approve, reject) are small
function views that answer htmx with a fragment and everyone else with a redirect.
"""

import hashlib
from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.forms import Form, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from plaudit.core.errors import DomainError
from plaudit.core.idempotency import claimed_key, store_answer
from plaudit.events import services as event_services
from plaudit.events.models import Notification
from plaudit.events.selectors import notifications_for
from plaudit.imports import services as import_services
from plaudit.imports.admin import ImportForm as ImportUploadForm  # one upload form for both
from plaudit.imports.errors import FileTooLarge
from plaudit.imports.files import LimitedTemporaryFileUploadHandler
from plaudit.imports.selectors import jobs_visible_to
from plaudit.ledger.models import Entry
from plaudit.ledger.selectors import entries_for
from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin, is_manager, is_manager_of
from plaudit.people.selectors import search_directory, team_of
from plaudit.recognition import services as recognition_services
from plaudit.recognition.models import Comment, Recognition
from plaudit.recognition.selectors import comments_on, feed, leaderboard, reaction_summaries
from plaudit.recognition.validators import QUICK_REACTIONS
from plaudit.reports.selectors import months_back, points_flow_by_department
from plaudit.rewards import services as reward_services
from plaudit.rewards.models import Redemption, Reward
from plaudit.rewards.selectors import (
    catalog_categories,
    catalog_for,
    redemptions_awaiting_decision,
    redemptions_visible_to,
    rewards_visible_to,
)

from .charts import grouped_bar_chart
from .forms import (
    CatalogSearchForm,
    CommentForm,
    GiveKudosForm,
    NotificationPreferencesForm,
    PeopleSearchForm,
    ReactionForm,
    RedeemForm,
    RejectForm,
    RewardForm,
)
from .mixins import HRAdminRequiredMixin, ManagerRequiredMixin, role_required

REDEEM_SCOPE = "web.redemptions.create"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def signed_in(request: HttpRequest) -> User:
    """``login_required`` has run, so the user is a real person."""
    return cast(User, request.user)


class HomeView(LoginRequiredMixin, TemplateView):
    """Balance and allowance come from the ``points`` context processor; the feed and
    the give-kudos form from the recognition app."""

    template_name = "web/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["kudos_form"] = GiveKudosForm(giver=signed_in(self.request))
        context.update(_feed_page(self.request, 1))
        return context


FEED_PAGE_SIZE = 10


def _feed_page(request: HttpRequest, number: int) -> dict[str, Any]:
    page = Paginator(feed(), FEED_PAGE_SIZE).get_page(number)
    recognitions = list(page.object_list)
    summaries = reaction_summaries([r.pk for r in recognitions], signed_in(request))
    for recognition in recognitions:
        recognition.reaction_buttons = reaction_buttons(summaries.get(recognition.pk, []))  # type: ignore[attr-defined]
    return {"feed_page": page, "recognitions": recognitions}


def reaction_buttons(summary: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The quick reactions, each with its count and whether it is the viewer's, then
    any other emoji people reacted with (through the API), most used first."""
    used = {row["emoji"]: row for row in summary}
    unused = {"count": 0, "mine": False}
    quick = [used.get(emoji, {"emoji": emoji, **unused}) for emoji in QUICK_REACTIONS]
    return quick + [row for row in summary if row["emoji"] not in QUICK_REACTIONS]


@login_required
def feed_page(request: HttpRequest) -> HttpResponse:
    """The next page of the feed, asked for by htmx when the last item scrolls into view."""
    try:
        number = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        number = 1
    return render(request, "web/recognition/_feed_items.html", _feed_page(request, number))


@login_required
@require_POST
def give_kudos(request: HttpRequest) -> HttpResponse:
    giver = signed_in(request)
    form = GiveKudosForm(request.POST, giver=giver)
    recognition, status = None, 200
    if form.is_valid():
        try:
            recognition = recognition_services.give_recognition(
                giver=giver,
                message=form.cleaned_data["message"],
                gifts=form.gifts(),
                values=form.cleaned_data["values"],
            )
        except DomainError as exc:
            form.add_error(None, exc.detail)
            status = exc.status
    else:
        status = 422
    if not is_htmx(request):
        if recognition is not None:
            messages.success(request, "Thank you sent.")
            return redirect("web:home")
        return render(
            request, "web/home.html", {"kudos_form": form, **_feed_page(request, 1)}, status=status
        )
    context: dict[str, Any] = {"kudos_form": form}
    if recognition is not None:
        context["kudos_form"] = GiveKudosForm(giver=giver)
        recognition.reaction_buttons = reaction_buttons([])  # type: ignore[attr-defined]
        context["new_recognition"] = recognition
    return render(request, "web/recognition/_give_result.html", context, status=status)


def _back_to_the_feed(recognition_id: int) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse('web:home')}#recognition-{recognition_id}")


@login_required
@require_POST
def react(request: HttpRequest, pk: int) -> HttpResponse:
    """Add or take back one of your reactions; answers with the item's reactions."""
    person = signed_in(request)
    recognition = get_object_or_404(Recognition, pk=pk)
    form = ReactionForm(request.POST)
    status = 200
    if not form.is_valid():
        status = 400
    elif form.cleaned_data["action"] == "add":
        recognition_services.react(
            user=person, recognition=recognition, emoji=form.cleaned_data["emoji"]
        )
    else:
        recognition_services.remove_reaction(
            user=person, recognition=recognition, emoji=form.cleaned_data["emoji"]
        )
    if not is_htmx(request):
        if status != 200:
            messages.error(request, "That reaction was not understood; pick one of the buttons.")
        return _back_to_the_feed(recognition.pk)
    summary = reaction_summaries([recognition.pk], person).get(recognition.pk, [])
    recognition.reaction_buttons = reaction_buttons(summary)  # type: ignore[attr-defined]
    return render(
        request, "web/recognition/_reactions.html", {"recognition": recognition}, status=status
    )


COMMENTS_SHOWN = 100  # the latest; "show earlier" adds as many again each time


def _comments_to_show(request: HttpRequest) -> int:
    """``?shown=`` as the earlier link sets it; anything else, like a bad page number in a
    paginator, shows the first step."""
    shown = request.GET.get("shown", "")
    return int(shown) if shown.isdecimal() and int(shown) > COMMENTS_SHOWN else COMMENTS_SHOWN


def _comment_thread(
    request: HttpRequest, recognition: Recognition, form: CommentForm, status: int = 200
) -> HttpResponse:
    person = signed_in(request)
    thread = comments_on(recognition)
    total = thread.count()
    shown = _comments_to_show(request)
    comments = list(thread[max(total - shown, 0) :])  # the latest, oldest first
    for comment in comments:
        comment.removable = comment.removable_by(person)  # type: ignore[attr-defined]
    context = {
        "recognition": recognition,
        "comments": comments,
        "comments_total": total,
        "earlier": min(total - len(comments), COMMENTS_SHOWN),
        "show_more": shown + COMMENTS_SHOWN,
        "comment_form": form,
    }
    return render(request, "web/recognition/_comments.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    """A recognition's comments and the form to add one, opened in place under the item."""
    recognition = get_object_or_404(Recognition, pk=pk)
    if request.method == "GET":
        return _comment_thread(request, recognition, CommentForm(recognition_id=pk))
    form = CommentForm(request.POST, recognition_id=pk)
    if form.is_valid():
        recognition_services.add_comment(
            author=signed_in(request), recognition=recognition, body=form.cleaned_data["body"]
        )
        if not is_htmx(request):
            messages.success(request, "Comment added.")
            return _back_to_the_feed(pk)
        return _comment_thread(request, recognition, CommentForm(recognition_id=pk))
    if not is_htmx(request):
        messages.error(request, " ".join(str(error) for error in form.errors["body"]))
        return _back_to_the_feed(pk)
    return _comment_thread(request, recognition, form, status=422)


@login_required
@require_POST
def remove_comment(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("recognition"), pk=comment_pk, recognition_id=pk
    )
    if not comment.removable_by(signed_in(request)):
        raise PermissionDenied("Only the author or an HR admin may remove a comment.")
    recognition_services.delete_comment(comment=comment)
    if not is_htmx(request):
        messages.success(request, "Comment removed.")
        return _back_to_the_feed(pk)
    return _comment_thread(request, comment.recognition, CommentForm(recognition_id=pk))


@login_required
def people_search(request: HttpRequest) -> HttpResponse:
    """Type-ahead for choosing whom to thank: active colleagues, never oneself."""
    me = signed_in(request)
    query = request.GET.get("q", "").strip()[:100]
    people = search_directory(me, search=query).exclude(pk=me.pk)[:8] if len(query) >= 2 else []
    return render(request, "web/recognition/_people_results.html", {"people": people})


@login_required
def recipient_chip(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(search_directory(signed_in(request)), pk=pk)
    return render(request, "web/recognition/_recipient_chip.html", {"person": person})


# --- Rewards -----------------------------------------------------------------------


class RewardCatalogView(LoginRequiredMixin, ListView):
    """The catalog with search and filters; htmx asks for just the list when a filter changes."""

    template_name = "web/rewards/catalog.html"
    context_object_name = "rewards"
    paginate_by = 24

    def get_form(self) -> CatalogSearchForm:
        return CatalogSearchForm(
            self.request.GET or None, categories=catalog_categories(signed_in(self.request))
        )

    def get_queryset(self) -> QuerySet[Reward]:
        form = self.get_form()
        filters: dict[str, Any] = {}
        if form.is_valid():
            filters = {
                "search": form.cleaned_data["q"].strip(),
                "category": form.cleaned_data["category"],
                "max_cost": form.cleaned_data["max_cost"],
            }
        return catalog_for(signed_in(self.request), **filters)

    def get_template_names(self) -> list[str]:
        if is_htmx(self.request) and self.request.headers.get("HX-Target") == "reward-list":
            return ["web/rewards/_list.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = self.get_form()
        context["query"] = self.request.GET.copy()
        context["query"].pop("page", None)
        return context


def _redeem_once(user: User, reward: Reward, key: str) -> tuple[int, dict[str, Any]]:
    """Redeem under the form's idempotency key: a repeat replays the first answer."""
    fingerprint = hashlib.sha256(f"reward:{reward.pk}".encode()).hexdigest()
    with claimed_key(user=user, scope=REDEEM_SCOPE, key=key, fingerprint=fingerprint) as record:
        if record.response_status is not None:
            return record.response_status, dict(record.response_body or {})
        body: dict[str, Any]
        try:
            with transaction.atomic():
                redemption = reward_services.redeem_reward(user=user, reward_id=reward.pk)
            status, body = 201, {"redemption": redemption.pk}
        except DomainError as exc:
            status, body = exc.status, {"error": exc.detail, "code": exc.code}
        store_answer(record, status=status, body=body)
        return status, body


@login_required
@require_POST
def redeem(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    reward = get_object_or_404(rewards_visible_to(user), pk=pk)
    form = RedeemForm(request.POST)
    body: dict[str, Any]
    if not form.is_valid():
        status, body = 400, {"error": "The form was out of date; reload the page and try again."}
    else:
        try:
            status, body = _redeem_once(user, reward, str(form.cleaned_data["idempotency_key"]))
        except DomainError as exc:  # the key itself was refused (in use, reused)
            status, body = exc.status, {"error": exc.detail}
    redemption = None
    if "redemption" in body:
        redemption = Redemption.objects.select_related("reward").get(pk=body["redemption"])
    if not is_htmx(request):
        if redemption is not None:
            messages.success(request, f"You redeemed {reward.name}; it now awaits approval.")
            return redirect("web:my-redemptions")
        messages.error(request, body["error"])
        return redirect("web:rewards")
    context = {"reward": reward, "redemption": redemption, "error": body.get("error")}
    return render(request, "web/rewards/_redeem_result.html", context, status=status)


class MyRedemptionsView(LoginRequiredMixin, ListView):
    template_name = "web/rewards/my_redemptions.html"
    context_object_name = "redemptions"
    paginate_by = 20

    def get_queryset(self) -> QuerySet[Redemption]:
        me = signed_in(self.request)
        return redemptions_visible_to(me).filter(user=me)


@login_required
@require_POST
def cancel_redemption(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    redemption = get_object_or_404(redemptions_visible_to(user).filter(user=user), pk=pk)
    try:
        reward_services.cancel_redemption(redemption_id=redemption.pk, actor=user)
        messages.success(request, f"Cancelled; {redemption.cost} points are back in your balance.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("web:my-redemptions")


class PointsHistoryView(LoginRequiredMixin, ListView):
    template_name = "web/points_history.html"
    context_object_name = "entries"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Entry]:
        return entries_for(signed_in(self.request))


# --- Managers ----------------------------------------------------------------------


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
        context["reject_form"] = RejectForm()
        return context


@role_required(is_manager)
@require_POST
def decide_redemption(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """Approve or reject in place: htmx swaps the queue row for its new state."""
    user = signed_in(request)
    redemption = get_object_or_404(redemptions_visible_to(user), pk=pk)
    if not (is_hr_admin(user) or is_manager_of(user, redemption.user)):
        raise PermissionDenied("Only the person's manager or an HR admin may decide this.")
    form: Form = RejectForm(request.POST) if decision == "reject" else Form(request.POST)
    error, status = None, 200
    if form.is_valid():
        try:
            if decision == "reject":
                redemption = reward_services.reject_redemption(
                    redemption_id=redemption.pk, actor=user, reason=form.cleaned_data["reason"]
                )
            else:
                redemption = reward_services.approve_redemption(
                    redemption_id=redemption.pk, actor=user
                )
        except DomainError as exc:
            error, status = exc.detail, exc.status
    else:
        status = 422
    if not is_htmx(request):
        if error or status != 200:
            messages.error(request, error or "Give a reason for the rejection.")
        else:
            messages.success(request, f"{redemption.reward.name}: {redemption.status}.")
        return redirect("web:approvals")
    context = {"redemption": redemption, "reject_form": form, "error": error}
    return render(request, "web/manager/_approval_row.html", context, status=status)


# --- HR ----------------------------------------------------------------------------


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
        return context


class RewardCreateView(HRAdminRequiredMixin, CreateView):
    form_class = RewardForm
    template_name = "web/hr/reward_form.html"
    success_url = reverse_lazy("web:rewards")

    def form_valid(self, form: "ModelForm[Any]") -> HttpResponse:
        assert isinstance(form, RewardForm)
        with transaction.atomic():
            reward = reward_services.create_reward(**form.reward_fields())
            if form.cleaned_data.get("image"):
                reward_services.set_reward_image(reward, form.cleaned_data["image"])
        self.object = reward
        messages.success(self.request, f"{reward.name} is in the catalog.")
        return HttpResponseRedirect(self.get_success_url())


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
        with transaction.atomic():
            if changes:
                reward = reward_services.update_reward(reward, **changes)
            image = form.cleaned_data.get("image")
            if "image" in form.changed_data and image:
                reward_services.set_reward_image(reward, image)
        self.object = reward
        messages.success(self.request, f"{reward.name} was saved.")
        return HttpResponseRedirect(self.get_success_url())


@role_required(is_hr_admin)
@require_POST
def delete_reward(request: HttpRequest, pk: int) -> HttpResponse:
    reward = get_object_or_404(rewards_visible_to(signed_in(request)), pk=pk)
    reward_services.delete_reward(reward)
    messages.success(request, f"{reward.name} was removed from the catalog.")
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
        context["given_chart"] = grouped_bar_chart("Points given", months, given)
        context["redeemed_chart"] = grouped_bar_chart("Points redeemed", months, redeemed)
        return context


# --- Notifications -----------------------------------------------------------------


class NotificationsView(LoginRequiredMixin, ListView):
    """The person's notifications; new ones also arrive live over the WebSocket."""

    template_name = "web/notifications.html"
    context_object_name = "notifications"
    paginate_by = 20

    def get_queryset(self) -> QuerySet[Notification]:
        return notifications_for(signed_in(self.request))


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    person = signed_in(request)
    preferences = event_services.preferences_of(person)
    if request.method == "GET":
        form = NotificationPreferencesForm(person=person, preferences=preferences)
        return render(request, "web/notification_settings.html", {"form": form})
    form = NotificationPreferencesForm(request.POST, person=person, preferences=preferences)
    if not form.is_valid():
        return render(request, "web/notification_settings.html", {"form": form}, status=422)
    event_services.update_preferences(user=person, **form.changes())
    messages.success(request, "Your notification settings are saved.")
    return redirect("web:notification-settings")


@login_required
@require_POST
def read_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read and follow it to what it is about (when that is a page of ours)."""
    notification = get_object_or_404(notifications_for(signed_in(request)), pk=pk)
    event_services.mark_read(notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("web:notifications")


@login_required
@require_POST
def read_all_notifications(request: HttpRequest) -> HttpResponse:
    count = event_services.mark_all_read(user=signed_in(request))
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("web:notifications")


# --- HR: CSV imports ---------------------------------------------------------------


@csrf_exempt  # checked just below, once the upload handlers are in place
def import_upload(request: HttpRequest) -> HttpResponse:
    """Stream the upload to a size-limited temporary file before anything reads the body."""
    if request.method == "POST":
        request.upload_handlers = [LimitedTemporaryFileUploadHandler(request)]
    try:
        return csrf_protect(_import_upload)(request)
    except FileTooLarge as exc:
        return render(
            request,
            "web/hr/import.html",
            {"form": ImportUploadForm(), "error": exc.detail},
            status=413,
        )


@role_required(is_hr_admin)
def _import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            reward = form.cleaned_data.get("reward")
            try:
                job = import_services.start_import(
                    upload=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    dry_run=form.cleaned_data["dry_run"],
                    reward_id=reward.pk if reward else None,
                    created_by=signed_in(request),
                )
            except DomainError as exc:
                error, status = exc.detail, exc.status
            else:
                return redirect("web:import-job", pk=job.pk)
        else:
            status = 422
    context = {"form": form, "error": error, "jobs": jobs_visible_to(signed_in(request))[:10]}
    return render(request, "web/hr/import.html", context, status=status)


@role_required(is_hr_admin)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress: htmx polls the fragment until it is finished (the WebSocket
    moves the bar sooner when it is connected)."""
    job = get_object_or_404(jobs_visible_to(signed_in(request)), pk=pk)
    template = "web/hr/_import_progress.html" if is_htmx(request) else "web/hr/import_job.html"
    return render(request, template, {"job": job})
