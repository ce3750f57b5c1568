"""HR's forms for people: a person's place in the company, and granting points.

They parse; the people services and the ledger decide (the services raise, and the
view shows the refusal beside its field). A check that belongs beside a field runs
early in ``clean()`` through the service's own ``check_*``, so the words are the API's.
"""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from plaudit.core.errors import InvalidInput
from plaudit.core.forms import show_refusal
from plaudit.ledger.models import GRANT_AMOUNT_VALIDATORS, MAX_DESCRIPTION_LENGTH
from plaudit.ledger.services import check_grant
from plaudit.people.models import (
    DEPARTMENT_NAME_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    User,
)
from plaudit.people.roles import Role
from plaudit.people.services import people_with_email


class PersonForm(forms.Form):
    """Role, manager, department, title and whether they may sign in."""

    role = forms.ChoiceField(choices=Role.choices, label=gettext_lazy("Role"))
    manager = forms.CharField(
        required=False,
        max_length=EMAIL_MAX_LENGTH,
        label=gettext_lazy("Manager (their email)"),
        help_text=gettext_lazy("Leave empty for nobody."),
    )
    department = forms.CharField(
        required=False,
        max_length=DEPARTMENT_NAME_MAX_LENGTH,
        label=gettext_lazy("Department"),
        help_text=gettext_lazy("A name no department has yet creates it."),
    )
    title = forms.CharField(
        # Translators: a person's job title.
        required=False,
        max_length=TITLE_MAX_LENGTH,
        label=gettext_lazy("Title"),
    )
    is_active = forms.BooleanField(
        required=False,
        label=gettext_lazy("Active: may sign in (untick to deactivate; their history stays)"),
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        self.person = person
        kwargs.setdefault(
            "initial",
            {
                "role": person.role,
                "manager": person.manager.email if person.manager else "",
                "department": person.department.name if person.department else "",
                "title": person.title,
                "is_active": person.is_active,
            },
        )
        super().__init__(*args, **kwargs)

    def clean_manager(self) -> User | None:
        """The manager named by email, in any letter case; whether they may be one is the
        service's to say."""
        email = self.cleaned_data["manager"].strip()
        if not email:
            return None
        manager = people_with_email(email).first()
        if manager is None:
            raise forms.ValidationError(
                gettext("Nobody in Plaudit has this email."), code="unknown"
            )
        return manager

    def changes(self) -> dict[str, Any]:
        """What HR changed, as :func:`plaudit.people.services.update_person` takes it."""
        current: dict[str, Any] = {
            "role": self.person.role,
            "manager": self.person.manager,
            "department": self.person.department.name if self.person.department else "",
            "title": self.person.title,
            "is_active": self.person.is_active,
        }
        changes = {
            name: value for name, value in self.cleaned_data.items() if value != current[name]
        }
        department = changes.get("department")
        if department is not None and department.lower() == current["department"].lower():
            del changes["department"]  # the same department, spelled in another case
        return changes


class GrantPointsForm(forms.Form):
    """Points from the company to one or more people, each the same amount, with a reason."""

    recipients = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(is_active=True),
        label=gettext_lazy("Who gets points"),
        error_messages={"required": gettext_lazy("Choose at least one person.")},
    )
    amount = forms.IntegerField(
        validators=list(GRANT_AMOUNT_VALIDATORS), label=gettext_lazy("Points for each")
    )
    reason = forms.CharField(
        required=False,  # the ledger's rule says what is missing, in its words
        max_length=MAX_DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("Each person sees it in their points history."),
    )
    # Made when the form is drawn, so a double click or a resend grants once.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "amount" in cleaned and "reason" in cleaned:
            try:
                cleaned["reason"] = check_grant(amount=cleaned["amount"], reason=cleaned["reason"])
            except InvalidInput as exc:
                show_refusal(self, exc)
        return cleaned
