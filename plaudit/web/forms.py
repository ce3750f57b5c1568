"""Forms for the pages. They parse; a rule's refusal that belongs beside a field comes from
the service's own ``check_*``, called in ``clean_<field>()`` / ``clean()`` (the service
calls it again when it writes), so the words are the API's."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from plaudit.core.errors import DomainError, InvalidInput
from plaudit.events.models import EventType, NotificationPreference
from plaudit.people.models import GROUP_NAME_MAX_LENGTH, User
from plaudit.people.roles import Role, is_hr_admin, is_manager
from plaudit.recognition import services as recognition_services
from plaudit.recognition.models import (
    MAX_COMMENT_LENGTH,
    MAX_MESSAGE_LENGTH,
    POINTS_EACH_VALIDATORS,
    CompanyValue,
)
from plaudit.recognition.selectors import active_values
from plaudit.recognition.services import Gift, recipient_problem
from plaudit.rewards.forms import RewardRulesForm
from plaudit.rewards.images import validate_reward_image
from plaudit.rewards.models import EDITABLE_REWARD_FIELDS


class RedeemForm(forms.Form):
    """The key is made when the button is drawn, so a double click or a retry redeems once."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RewardForm(RewardRulesForm):
    """HR's catalog editor, the admin's rules with the page's widgets. Saving goes through
    the rewards services, not ``form.save()``."""

    class Meta(RewardRulesForm.Meta):
        fields = [*EDITABLE_REWARD_FIELDS, "image"]
        widgets = {
            "available_from": DateTimeInput(),
            "expires_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "image": forms.ClearableFileInput(attrs={"accept": "image/*"}),
        }

    def clean_image(self) -> Any:
        """The bytes must be a real JPEG, PNG, GIF or WebP within the size limit."""
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            try:
                validate_reward_image(image)
            except DomainError as exc:
                raise ValidationError(exc.detail, code=exc.code) from exc
        return image


class CatalogSearchForm(forms.Form):
    q = forms.CharField(required=False, label=gettext_lazy("Search"), max_length=100)
    category = forms.ChoiceField(required=False, label=gettext_lazy("Category"))
    max_cost = forms.IntegerField(required=False, min_value=0, label=gettext_lazy("Up to (points)"))

    def __init__(self, *args: Any, categories: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", gettext("All categories")), *((c, c) for c in categories)]


class PeopleSearchForm(forms.Form):
    q = forms.CharField(required=False, label=gettext_lazy("Search"), max_length=100)
    department = forms.CharField(required=False, label=gettext_lazy("Department"), max_length=100)
    include_inactive = forms.BooleanField(
        required=False, label=gettext_lazy("Include deactivated people")
    )


class GiveKudosForm(forms.Form):
    """Thank one or more people. Each rule's one copy lives in the recognition services;
    this form runs them early so every error shows beside its own field."""

    recipients = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=gettext_lazy("Who to thank"),
        error_messages={"required": recognition_services.RECIPIENT_COUNT_MESSAGE},
    )
    points = forms.IntegerField(
        validators=list(POINTS_EACH_VALIDATORS),
        initial=10,
        label=gettext_lazy("Points for each"),
        help_text=gettext_lazy("From your monthly allowance; 0 is a plain thank-you."),
    )
    values = forms.ModelMultipleChoiceField(
        queryset=CompanyValue.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Values shown"),
    )
    message = forms.CharField(
        required=False,  # the service's rule says what is missing, in its words
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Message"),
        help_text=gettext_lazy("Say what they did. Name a value with #, e.g. #teamwork."),
    )

    def __init__(self, *args: Any, giver: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.giver = giver
        recipients = self.fields["recipients"]
        values = self.fields["values"]
        assert isinstance(recipients, forms.ModelMultipleChoiceField)
        assert isinstance(values, forms.ModelMultipleChoiceField)
        recipients.queryset = User.objects.select_related("department")
        values.queryset = active_values()
        values.label_from_instance = lambda value: value.translated("name")  # type: ignore[assignment,method-assign]

    def clean_recipients(self) -> list[User]:
        people: list[User] = list(self.cleaned_data["recipients"])
        try:
            recognition_services.check_recipient_count(len(people))
        except DomainError as exc:
            raise ValidationError(exc.detail, code=exc.code) from exc
        problems = [
            problem
            for person in people
            if (problem := recipient_problem(giver=self.giver, recipient=person)) is not None
        ]
        if problems:
            raise ValidationError(problems)
        return people

    def clean_message(self) -> str:
        try:
            return recognition_services.check_message(self.cleaned_data["message"])
        except InvalidInput as exc:
            raise ValidationError(exc.detail, code=exc.code) from exc

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        people, points = cleaned.get("recipients"), cleaned.get("points")
        if people and points is not None:
            try:
                recognition_services.check_allowance(self.giver, points * len(people))
            except DomainError as exc:
                self.add_error("points", exc.detail)
        return cleaned

    def gifts(self) -> list[Gift]:
        points = self.cleaned_data["points"]
        return [Gift(recipient=person, points=points) for person in self.cleaned_data["recipients"]]


class CommentForm(forms.Form):
    body = forms.CharField(
        required=False,  # the service's rule says what is missing, in its words
        max_length=MAX_COMMENT_LENGTH,
        label=gettext_lazy("Add a comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, recognition_id: int, **kwargs: Any) -> None:
        # One form per open thread on the page: ids must not collide.
        kwargs["auto_id"] = f"comment-{recognition_id}-%s"
        super().__init__(*args, **kwargs)

    def clean_body(self) -> str:
        try:
            return recognition_services.check_comment(self.cleaned_data["body"])
        except InvalidInput as exc:
            raise ValidationError(exc.detail, code=exc.code) from exc


class ReactionForm(forms.Form):
    """The state the button asks for, so a double click reacts once, not on and off. What a
    reaction may be is the recognition service's rule (``check_emoji``), judged as it reacts."""

    emoji = forms.CharField(required=False, strip=False)
    action = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")])


# What each event means to the person who hears about it, and who can ever hear it.
EVERYONE_HEARS = {
    EventType.RECOGNITION_CREATED: gettext_lazy("Someone thanks me"),
    EventType.RECOGNITION_ADDED_ON: gettext_lazy("Someone adds points to a thank-you I am in"),
    EventType.RECOGNITION_COMMENTED: gettext_lazy("Someone comments on a thank-you I am in"),
    EventType.RECOGNITION_REACTED: gettext_lazy("Someone reacts to a thank-you I am in"),
    EventType.POINTS_GRANTED: gettext_lazy("The company grants me points"),
    EventType.REDEMPTION_APPROVED: gettext_lazy("My redemption is approved"),
    EventType.REDEMPTION_REJECTED: gettext_lazy("My redemption is rejected"),
    EventType.REDEMPTION_FULFILLED: gettext_lazy("My redemption is fulfilled"),
}
DECIDERS_HEAR = {
    EventType.REDEMPTION_CREATED: gettext_lazy("A redemption waits for my decision"),
    EventType.REDEMPTION_CANCELLED: gettext_lazy("A redemption I was to decide is cancelled"),
}
HR_HEARS = {
    EventType.IMPORT_FINISHED: gettext_lazy("An import I started has finished"),
    EventType.REWARD_LOW_STOCK: gettext_lazy("A reward runs low on stock"),
}


class NotificationPreferencesForm(forms.Form):
    """The API's preferences in a person's words: what to hear about, and by email or not.

    Only the events the person's role can receive are offered; saving leaves the
    others as they were.
    """

    hear_about = forms.MultipleChoiceField(
        label=gettext_lazy("Tell me when"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    email_enabled = forms.BooleanField(label=gettext_lazy("Also send me an email"), required=False)
    daily_digest = forms.BooleanField(
        label=gettext_lazy("One email a day with what is unread, instead of one per notification"),
        required=False,
    )

    def __init__(
        self, *args: Any, person: User, preferences: NotificationPreference, **kwargs: Any
    ) -> None:
        self.offered = dict(EVERYONE_HEARS)
        if is_manager(person) or is_hr_admin(person):
            self.offered.update(DECIDERS_HEAR)
        if is_hr_admin(person):
            self.offered.update(HR_HEARS)
        self.muted_before = set(preferences.muted_events)
        kwargs.setdefault(
            "initial",
            {
                "hear_about": [event for event in self.offered if event not in self.muted_before],
                "email_enabled": preferences.email_enabled,
                "daily_digest": preferences.daily_digest,
            },
        )
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["hear_about"]).choices = list(
            self.offered.items()
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("daily_digest") and not cleaned.get("email_enabled"):
            self.add_error(
                "daily_digest", gettext("A digest is an email: also tick email to get it.")
            )
        return cleaned

    def changes(self) -> dict[str, Any]:
        """Keyword arguments for ``events.services.update_preferences``."""
        heard = set(self.cleaned_data["hear_about"])
        muted = (self.muted_before - self.offered.keys()) | (self.offered.keys() - heard)
        return {
            "muted_events": sorted(muted),
            "email_enabled": self.cleaned_data["email_enabled"],
            "daily_digest": self.cleaned_data["daily_digest"],
        }


class GroupRoleForm(forms.Form):
    """One row of the single sign-on group-to-role table (saved by
    :func:`plaudit.people.sso.set_group_role`)."""

    group = forms.CharField(
        label=gettext_lazy("Group"),
        max_length=GROUP_NAME_MAX_LENGTH,
        help_text=gettext_lazy(
            "The group's name or id as the identity provider sends it (letter case is ignored)."
        ),
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
