"""Recognition in and out of the API.

Input serializers check the shape and each item's bounds so that every error
points at the exact place in the nested input (``errors.recipients[2].points``).
The bounds are the models' validators, the ones the web forms and the services
run, so the words are the same at every door; what is missing, blank or depends
on locked state (the remaining allowance) is the services' to say.
"""

from typing import Any

from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from plaudit.core.fields import MAX_ID
from plaudit.core.serializers import CompanyDateTimeField
from plaudit.core.translated_content_api import TranslatedContentSerializer, translations_field
from plaudit.people.models import User

from .models import (
    ADD_ON_POINTS_VALIDATORS,
    MAX_COMMENT_LENGTH,
    MAX_MESSAGE_LENGTH,
    MAX_RECIPIENTS,
    POINTS_EACH_VALIDATORS,
    CelebrationMilestone,
    Comment,
    CompanyValue,
    Recognition,
)
from .selectors import PERIODS
from .services import RECIPIENT_COUNT_MESSAGE, Gift, recipient_problem


class PersonBriefSerializer(serializers.Serializer[User]):
    """A person as the feed shows them: enough to render a name and a link."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)
    department = serializers.CharField(source="department.name", default=None, read_only=True)


# --- Input ------------------------------------------------------------------------------


def _aligned_with_input(exc: serializers.ValidationError, data: Any, empty: Any) -> Any:
    """DRF reports list items as ``{index: errors}``; the contract shows a list aligned with
    the input, valid items empty: ``{"recipients": [{}, {"points": ["..."]}]}``."""
    detail: Any = exc.detail
    if isinstance(detail, dict) and detail and all(isinstance(key, int) for key in detail):
        return serializers.ValidationError([detail.get(index, empty) for index in range(len(data))])
    return exc


class AlignedListSerializer(serializers.ListSerializer[Any]):
    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise _aligned_with_input(exc, data, {}) from exc


class AlignedListField(serializers.ListField):
    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise _aligned_with_input(exc, data, []) from exc


class RecipientInputSerializer(serializers.Serializer[Any]):
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    points = serializers.IntegerField(validators=list(POINTS_EACH_VALIDATORS))


class RecognitionInputSerializer(serializers.Serializer[Any]):
    """``{"message", "recipients": [{"user", "points"}], "values": [slug]}``.

    Needs ``context["giver"]``. Validated data holds :class:`Gift` objects and
    :class:`CompanyValue` rows, each looked up in one query for the whole list.
    """

    message = serializers.CharField(
        allow_blank=True, validators=[MaxLengthValidator(MAX_MESSAGE_LENGTH)]
    )
    recipients = AlignedListSerializer(
        child=RecipientInputSerializer(),
        min_length=1,
        max_length=MAX_RECIPIENTS,
        error_messages={  # the recognition service's words for the same rule
            "empty": RECIPIENT_COUNT_MESSAGE,
            "min_length": RECIPIENT_COUNT_MESSAGE,
            "max_length": RECIPIENT_COUNT_MESSAGE,
        },
    )
    values = AlignedListField(
        child=serializers.SlugField(max_length=50), required=False, default=list, max_length=20
    )

    def validate_recipients(self, recipients: list[dict[str, Any]]) -> list[Gift]:
        giver: User = self.context["giver"]
        # With departments: the new recognition is rendered from these rows.
        people = User.objects.select_related("department").in_bulk(
            [item["user"] for item in recipients]
        )
        errors: list[dict[str, list[str]]] = []
        seen: set[int] = set()
        for item in recipients:
            person = people.get(item["user"])
            problem: str | None
            if person is None:
                problem = _("No person has id %(id)s.") % {"id": item["user"]}
            elif person.pk in seen:
                problem = _("This person is already listed; name each person once.")
            else:
                problem = recipient_problem(giver=giver, recipient=person)
            seen.add(item["user"])
            errors.append({"user": [problem]} if problem else {})
        if any(errors):
            raise serializers.ValidationError(errors)
        return [Gift(recipient=people[item["user"]], points=item["points"]) for item in recipients]

    def validate_values(self, slugs: list[str]) -> list[CompanyValue]:
        wanted = [slug.lower() for slug in slugs]
        found = {
            value.slug: value for value in CompanyValue.objects.alive().filter(slug__in=wanted)
        }
        errors = [
            []
            if slug in found
            else [_("No company value has the slug '%(slug)s'.") % {"slug": slug}]
            for slug in wanted
        ]
        if any(errors):
            raise serializers.ValidationError(errors)
        return list({slug: found[slug] for slug in wanted}.values())


class AddOnInputSerializer(serializers.Serializer[Any]):
    points = serializers.IntegerField(
        validators=list(ADD_ON_POINTS_VALIDATORS),
        help_text=gettext_lazy("Points for each recipient."),
    )


class CommentInputSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(
        allow_blank=True, validators=[MaxLengthValidator(MAX_COMMENT_LENGTH)]
    )


class ReactionInputSerializer(serializers.Serializer[Any]):
    """Parses; what a reaction may be is the service's rule (``check_emoji``)."""

    emoji = serializers.CharField(
        trim_whitespace=False,
        allow_blank=True,
        help_text=gettext_lazy("One emoji, such as 👏 or 🎉."),
    )


class CompanyValueSerializer(TranslatedContentSerializer):
    """Parses; the bounds, the lower-case slug and its uniqueness are the values
    service's rules (:func:`~plaudit.recognition.values.check_value_fields`), and so
    are the ``translations``. ``name`` and ``description`` read in the caller's language."""

    slug = serializers.CharField(
        allow_blank=True, help_text=gettext_lazy("Lower-case; named as #slug in kudos.")
    )
    name = serializers.CharField(allow_blank=True)
    emoji = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    translations = translations_field(CompanyValue)

    class Meta:
        model = CompanyValue
        fields = ["id", "slug", "name", "description", "emoji", "translations"]
        read_only_fields = ["id"]


class CelebrationMilestoneSerializer(serializers.ModelSerializer[CelebrationMilestone]):
    """Parses; a milestone's rules are the celebrations service's
    (:func:`~plaudit.recognition.celebrations.check_milestone`)."""

    years = serializers.IntegerField(
        allow_null=True,
        required=False,
        default=None,
        help_text=gettext_lazy(
            "Anniversaries only; empty for every anniversary without its own milestone."
        ),
    )
    points = serializers.IntegerField()

    class Meta:
        model = CelebrationMilestone
        fields = ["id", "occasion", "years", "points"]
        read_only_fields = ["id"]
        validators: list[Any] = []  # the constraints are the service's to check, in its words


class PeriodQuerySerializer(serializers.Serializer[Any]):
    period = serializers.ChoiceField(choices=PERIODS, default="month")


class LeaderboardQuerySerializer(PeriodQuerySerializer):
    department = serializers.CharField(max_length=100, required=False, default="")
    limit = serializers.IntegerField(min_value=1, max_value=100, default=10)


class TrendingQuerySerializer(PeriodQuerySerializer):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=10)


class TeamQuerySerializer(PeriodQuerySerializer):
    manager = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text=gettext_lazy("HR admins only.")
    )


class FeedQuerySerializer(serializers.Serializer[Any]):
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    department = serializers.CharField(max_length=100, required=False)
    value = serializers.SlugField(max_length=50, required=False)


# --- Output -----------------------------------------------------------------------------


class ValueBriefSerializer(TranslatedContentSerializer):
    """``name`` in the caller's language, falling back to the company's."""

    class Meta:
        model = CompanyValue
        fields = ["slug", "name", "emoji"]
        read_only_fields = fields


class RecipientSerializer(serializers.Serializer[Any]):
    user = PersonBriefSerializer(source="recipient", read_only=True)
    points = serializers.IntegerField(read_only=True)


class ReactionSummarySerializer(serializers.Serializer[Any]):
    emoji = serializers.CharField()
    count = serializers.IntegerField()
    mine = serializers.BooleanField(
        help_text=gettext_lazy("Whether the caller reacted with this emoji.")
    )


class RecognitionSerializer(serializers.ModelSerializer[Recognition]):
    """A feed item; expects a row from ``selectors.recognitions_for_feed`` and, in the
    context, ``reactions`` (``selectors.reaction_summaries`` for the page)."""

    giver = PersonBriefSerializer(read_only=True, allow_null=True)
    recipients = RecipientSerializer(many=True, read_only=True)
    values = ValueBriefSerializer(many=True, read_only=True)
    points = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("All points, add-ons included.")
    )
    comments_count = serializers.IntegerField(read_only=True)
    reactions_count = serializers.IntegerField(read_only=True)
    add_ons_count = serializers.IntegerField(read_only=True)
    reactions = serializers.SerializerMethodField()

    class Meta:
        model = Recognition
        fields = [
            "id",
            "kind",
            "giver",
            "recipients",
            "message",
            "values",
            "points",
            "comments_count",
            "reactions_count",
            "add_ons_count",
            "reactions",
            "created_at",
        ]
        read_only_fields = fields

    def get_reactions(self, recognition: Recognition) -> list[dict[str, Any]]:
        # The page's summaries are already plain {"emoji", "count", "mine"} dicts. (No
        # docstring: the API schema would show it as the field's description.)
        summaries: dict[int, list[dict[str, Any]]] = self.context.get("reactions", {})
        return summaries.get(recognition.pk, [])

    def to_representation(self, instance: Recognition) -> dict[str, Any]:
        """The declared fields, written out: DRF's field-by-field dispatch over the nested
        people, recipients and values was a fifth of the feed's CPU. The declarations
        above still describe the schema, and a test holds this to DRF's own rendering."""
        return {
            "id": instance.pk,
            "kind": str(instance.kind),
            "giver": _person_brief(instance.giver),
            "recipients": [
                {"user": _person_brief(award.recipient), "points": award.points}
                for award in instance.recipients  # type: ignore[attr-defined]
            ],
            "message": str(instance.message),
            "values": [
                {"slug": value.slug, "name": value.translated("name"), "emoji": value.emoji}
                for value in instance.company_values  # type: ignore[attr-defined]
            ],
            "points": instance.points,  # type: ignore[attr-defined]
            "comments_count": instance.comments_count,  # type: ignore[attr-defined]
            "reactions_count": instance.reactions_count,  # type: ignore[attr-defined]
            "add_ons_count": instance.add_ons_count,  # type: ignore[attr-defined]
            "reactions": self.get_reactions(instance),
            "created_at": _DATETIME.to_representation(instance.created_at),
        }


_DATETIME = serializers.DateTimeField()


def _person_brief(person: User | None) -> dict[str, Any] | None:
    """:class:`PersonBriefSerializer`'s output, without a serializer per person."""
    if person is None:
        return None
    department = person.department
    return {
        "id": person.pk,
        "name": str(person),
        "department": None if department is None else department.name,
    }


class CommentSerializer(serializers.ModelSerializer[Comment]):
    author = PersonBriefSerializer(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "recognition", "author", "body", "created_at"]
        read_only_fields = fields


class CommentPageSerializer(serializers.Serializer[Any]):
    """A page of comments, as ``PagePagination`` renders it."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CommentSerializer(many=True)


class AddOnSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    recognition = serializers.IntegerField(source="recognition_id")
    giver = PersonBriefSerializer()
    points = serializers.IntegerField(help_text=gettext_lazy("Points for each recipient."))
    recipients = serializers.IntegerField(help_text=gettext_lazy("How many people received them."))
    total = serializers.IntegerField(
        help_text=gettext_lazy("Points taken from the giver's allowance.")
    )
    created_at = serializers.DateTimeField()


class RankedPersonSerializer(serializers.Serializer[Any]):
    rank = serializers.IntegerField(
        help_text=gettext_lazy("Dense rank: equal totals share a rank.")
    )
    id = serializers.IntegerField()
    name = serializers.CharField()
    department = serializers.CharField(allow_null=True)
    points = serializers.IntegerField()


class LeaderboardSerializer(serializers.Serializer[Any]):
    period = serializers.CharField()
    since = CompanyDateTimeField(allow_null=True)
    department = serializers.CharField(allow_null=True)
    results = RankedPersonSerializer(many=True, help_text=gettext_lazy("Top receivers."))
    givers = RankedPersonSerializer(many=True, help_text=gettext_lazy("Top givers."))


class ValueUseSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    name = serializers.CharField(help_text="In the caller's language, else the company's.")
    emoji = serializers.CharField()
    count = serializers.IntegerField()


class WordCountSerializer(serializers.Serializer[Any]):
    word = serializers.CharField()
    count = serializers.IntegerField()


class TrendingSerializer(serializers.Serializer[Any]):
    period = serializers.CharField()
    since = CompanyDateTimeField(allow_null=True)
    values = ValueUseSerializer(many=True)
    words = WordCountSerializer(many=True)


class TeamMemberSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    department = serializers.CharField(allow_null=True)
    received = serializers.IntegerField()
    given = serializers.IntegerField()


class TeamTotalsSerializer(serializers.Serializer[Any]):
    received = serializers.IntegerField()
    given = serializers.IntegerField()


class TeamPointsSerializer(serializers.Serializer[Any]):
    period = serializers.CharField()
    since = CompanyDateTimeField(allow_null=True)
    manager = serializers.IntegerField()
    totals = TeamTotalsSerializer()
    results = TeamMemberSerializer(many=True)
