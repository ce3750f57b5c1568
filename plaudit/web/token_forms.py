"""The API tokens page's form: a name, scopes, a lifetime; the service decides the rest."""

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from plaudit.people.roles import is_hr_admin
from plaudit.tokens.models import TokenKind
from plaudit.tokens.scopes import HR_ONLY_SCOPES, Scope
from plaudit.tokens.services import NAME_MAX_LENGTH

NEVER = 0
LIFETIMES = (30, 90, 365)


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=gettext_lazy("What the token is for, so you recognise it later."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("A token never does more than your own role allows."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=gettext_lazy("Expires"),
        coerce=int,
        choices=[],
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=TokenKind.choices,
        initial=TokenKind.PERSONAL,
        help_text=gettext_lazy("A service token is for an integration, not for one person."),
    )

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lifetimes = sorted({*LIFETIMES, settings.API_TOKEN_DAYS})
        expires = self.fields["expires_in_days"]
        scopes = self.fields["scopes"]
        assert isinstance(expires, forms.ChoiceField)
        assert isinstance(scopes, forms.ChoiceField)
        expires.choices = [
            *[(days, _in_days(days)) for days in lifetimes],
            (NEVER, gettext_lazy("Never")),
        ]
        expires.initial = settings.API_TOKEN_DAYS
        if not is_hr_admin(person):
            # Only HR's tokens may carry these, or be service tokens: not offered at all.
            scopes.choices = [
                (value, label) for value, label in Scope.choices if value not in HR_ONLY_SCOPES
            ]
            del self.fields["kind"]

    def expires_at(self) -> Any:
        days = self.cleaned_data["expires_in_days"]
        return None if days == NEVER else timezone.now() + timedelta(days=days)


def _in_days(days: int) -> str:
    return ngettext("In %(count)s day", "In %(count)s days", days) % {"count": days}
