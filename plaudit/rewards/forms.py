"""The forms the catalog's and redemptions' doors share: the web pages and the admin.

A form parses. Where a rule's refusal belongs beside a field, the form's ``clean``
calls the rewards service's own ``check_*`` (the service calls it again when it
writes), so a person sees the same words the API gives; everything else the
service refuses (who may act, the redemption's state) the view reports.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaudit.core.errors import InvalidInput
from plaudit.core.translated_content_forms import TranslationInputs

from . import services
from .models import EDITABLE_REWARD_FIELDS, MAX_REJECTION_REASON_LENGTH, Reward


class RejectionForm(forms.Form):
    """Only parses: the reason goes to the service as typed, which trims and judges it
    (:func:`~plaudit.rewards.services.check_rejection_reason`); its refusal is shown here."""

    reason = forms.CharField(
        required=False,  # the service's rule says what is missing, in its words
        strip=False,
        label=_("Reason"),
        help_text=_("The person sees this, so say why and what they could do instead."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_REJECTION_REASON_LENGTH}),
    )


class RewardRulesForm(TranslationInputs):
    """A reward's editor: each field's bounds are its model validators; the rules across
    fields are the rewards service's. Saving goes through the service, never ``save()``.
    Its name and description have an input per language (:class:`TranslationInputs`),
    whose ``translations`` the service takes with the rest."""

    class Meta:
        model = Reward
        # The admin's: every field HR edits, its import key and its picture. The web's
        # editor names its own.
        fields = ["sku", *EDITABLE_REWARD_FIELDS, "image"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.has_error("available_from") and not self.has_error("expires_at"):
            try:
                services.check_reward_window(
                    cleaned.get("available_from", self.instance.available_from),
                    cleaned.get("expires_at", self.instance.expires_at),
                )
            except InvalidInput as exc:
                self.add_error(exc.field, exc.detail)
        return cleaned

    def reward_fields(self) -> dict[str, Any]:
        """The cleaned values the rewards services accept (the image is set separately)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in services.REWARD_FIELDS
        }
