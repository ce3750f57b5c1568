"""HR runs the programme from the browser: a person's page and ledger, editing their
place in the company, and granting points to one or many people.

Every change goes through the people services or the ledger's ``grant_points`` with
``actor`` the signed-in HR admin; a refusal (a :class:`~plaudit.core.errors.DomainError`)
is shown on the form, beside its field when it names one, never as a 500.
"""

import hashlib
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.generic import ListView

from plaudit.core import wording
from plaudit.core.errors import DomainError
from plaudit.core.forms import show_refusal
from plaudit.core.idempotency import claimed_key, store_answer
from plaudit.ledger.models import Entry
from plaudit.ledger.selectors import entries_for, points_of
from plaudit.ledger.services import grant_points
from plaudit.people import services as people_services
from plaudit.people.models import User
from plaudit.people.roles import is_hr_admin
from plaudit.people.selectors import person_visible_to
from plaudit.web.mixins import HRAdminRequiredMixin, role_required
from plaudit.web.people_forms import GrantPointsForm, PersonForm

from .from_request import signed_in


def _person(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(person_visible_to(signed_in(request)).select_related("manager"), pk=pk)


class PersonView(HRAdminRequiredMixin, ListView):
    """A person as HR sees them, with their points ledger (the API's person ledger lines)."""

    template_name = "web/hr/person.html"
    context_object_name = "entries"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Entry]:
        self.person = _person(self.request, self.kwargs["pk"])
        return entries_for(self.person)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["person"] = self.person
        context["person_points"] = points_of(self.person)
        return context


@role_required(is_hr_admin)
def edit_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = PersonForm(request.POST or None, person=person)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            changes = form.changes()
            try:
                if changes:
                    person = people_services.update_person(
                        person, actor=signed_in(request), **changes
                    )
            except DomainError as exc:
                show_refusal(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("%(person)s was saved.") % {"person": person}
                    if changes
                    else _("Nothing was changed."),
                )
                return redirect("web:person", pk=person.pk)
    return render(
        request, "web/hr/person_form.html", {"person": person, "form": form}, status=status
    )


def _names(people: list[User]) -> str:
    """``Ada Lovelace, Ben Ng and Chloe Li``."""
    # Translators: before the last name of a list of people: "Ada, Ben and Chloe".
    return str(get_text_list([str(person) for person in people], _("and")))


def _granted(people: list[User], amount: int, *, replayed: bool) -> str:
    """What HR reads after granting: "Granted 50 points each to Ada and Ben (100 in total)."."""
    words = {
        "points": wording.points(amount),
        "names": _names(people),
        "total": wording.number(amount * len(people)),
    }
    if replayed and len(people) > 1:
        sentence = _("Already granted, once: %(points)s each to %(names)s (%(total)s in total).")
    elif replayed:
        sentence = _("Already granted, once: %(points)s each to %(names)s.")
    elif len(people) > 1:
        sentence = _("Granted %(points)s each to %(names)s (%(total)s in total).")
    else:
        sentence = _("Granted %(points)s each to %(names)s.")
    return sentence % words


GRANT_SCOPE = "web.points.grant"


def _grant_once(hr: User, form: GrantPointsForm) -> bool:
    """Grant under the form's key, all or nothing; True when the key was already spent
    (a double click, a resend), so nothing more is granted."""
    people = sorted(person.pk for person in form.cleaned_data["recipients"])
    amount, reason = form.cleaned_data["amount"], form.cleaned_data["reason"]
    fingerprint = hashlib.sha256(repr((people, amount, reason)).encode()).hexdigest()
    key = str(form.cleaned_data["idempotency_key"])
    with claimed_key(user=hr, scope=GRANT_SCOPE, key=key, fingerprint=fingerprint) as record:
        if record.response_status is not None:
            return True
        with transaction.atomic():
            for person in form.cleaned_data["recipients"]:
                grant_points(user=person, amount=amount, reason=reason, granted_by=hr)
        store_answer(record, status=201, body={"granted": people})
    return False


@role_required(is_hr_admin)
def grant(request: HttpRequest) -> HttpResponse:
    """Grant the same points to each chosen person, all or nothing, in one transaction."""
    hr = signed_in(request)
    form = GrantPointsForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            people = list(form.cleaned_data["recipients"])
            amount = form.cleaned_data["amount"]
            try:
                replayed = _grant_once(hr, form)
            except DomainError as exc:
                show_refusal(form, exc)
                form.add_error(None, _("Nobody got points: fix this and grant again."))
                status = exc.status
            else:
                messages.success(request, _granted(people, amount, replayed=replayed))
                if len(people) == 1:
                    return redirect("web:person", pk=people[0].pk)
                return redirect("web:people")
        chosen_ids = request.POST.getlist("recipients")
    else:
        chosen_ids = request.GET.getlist("people")
    chosen = User.objects.filter(is_active=True, pk__in=[i for i in chosen_ids if i.isdecimal()])
    return render(
        request, "web/hr/grant.html", {"form": form, "chosen": list(chosen)}, status=status
    )
