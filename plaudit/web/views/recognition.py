"""The home page and everything done on the feed: giving kudos, reacting, commenting.

The feed scrolls in pages that htmx asks for; a kudos, a reaction or a comment answers
htmx with the fragment it changed and everyone else with a redirect back to the feed.
The people picker (type-ahead and chips) serves the give-kudos form.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import TemplateView

from plaudit.core.errors import DomainError, InvalidInput, NotAllowed
from plaudit.people.selectors import search_directory
from plaudit.recognition import services as recognition_services
from plaudit.recognition.models import Comment, Recognition
from plaudit.recognition.selectors import comments_on, feed, reaction_summaries
from plaudit.recognition.validators import QUICK_REACTIONS
from plaudit.web.forms import CommentForm, GiveKudosForm, ReactionForm

from .from_request import is_htmx, signed_in


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
def recognition_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One recognition with its reactions and comments: where a notification about it leads."""
    recognition = get_object_or_404(feed(), pk=pk)
    summary = reaction_summaries([recognition.pk], signed_in(request)).get(recognition.pk, [])
    recognition.reaction_buttons = reaction_buttons(summary)  # type: ignore[attr-defined]
    return render(request, "web/recognition/detail.html", {"recognition": recognition})


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
            messages.success(request, _("Thank you sent."))
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
    status, refusal = 200, _("That reaction was not understood; pick one of the buttons.")
    if not form.is_valid():
        status = 400
    elif form.cleaned_data["action"] == "add":
        try:
            recognition_services.react(
                user=person, recognition=recognition, emoji=form.cleaned_data["emoji"]
            )
        except InvalidInput as exc:
            status, refusal = exc.status, exc.detail
    else:
        recognition_services.remove_reaction(
            user=person, recognition=recognition, emoji=form.cleaned_data["emoji"]
        )
    if not is_htmx(request):
        if status != 200:
            messages.error(request, refusal)
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
            messages.success(request, _("Comment added."))
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
    try:
        recognition_services.delete_comment(actor=signed_in(request), comment=comment)
    except NotAllowed as exc:  # the service decides whose comments one may remove
        raise PermissionDenied(exc.detail) from exc
    if not is_htmx(request):
        messages.success(request, _("Comment removed."))
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
