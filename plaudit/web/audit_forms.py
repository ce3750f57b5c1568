"""The audit log page's filters: who, what, from and to which day."""

from django import forms
from django.utils.translation import gettext_lazy


class AuditFilterForm(forms.Form):
    actor = forms.EmailField(label=gettext_lazy("Actor's email"), required=False)
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False, choices=[])
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, actions: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", gettext_lazy("Any action")), *actions]
