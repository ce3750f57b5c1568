"""Kudos between people: recognitions, their points, values, comments and reactions.

Points never live here: every point a recognition moves is a ledger transaction
(``transaction``). :class:`Award` rows record who gave how many points to whom and
when, so leaderboards and team reports group one table instead of re-reading the
ledger.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from plaudit.core.translated_content import TranslatedContent
from plaudit.core.validators import AtLeast, AtMost
from plaudit.people.roles import is_hr_admin

if TYPE_CHECKING:
    from plaudit.people.models import User


# The bounds of what people write and give, defined once: the fields' validators below
# carry them to the API's serializers, the web forms and the recognition services.
MAX_RECIPIENTS = 20
MAX_POINTS_EACH = 1_000_000  # a recognition's or an add-on's points for each recipient
MAX_MESSAGE_LENGTH = 2_000
MAX_COMMENT_LENGTH = 1_000
MAX_YEARS = 100  # a work anniversary's, for its celebration milestone
POINTS_EACH_VALIDATORS = (AtLeast(0), AtMost(MAX_POINTS_EACH))
ADD_ON_POINTS_VALIDATORS = (AtLeast(1), AtMost(MAX_POINTS_EACH))


class CompanyValueQuerySet(models.QuerySet["CompanyValue"]):
    def alive(self) -> "CompanyValueQuerySet":
        return self.filter(deleted_at__isnull=True)


class CompanyValue(TranslatedContent):
    """A value the company names in kudos (``#teamwork``).

    Deleting one is soft: it leaves the list and can no longer be given, while
    the recognitions that named it keep it. Its name and description may carry
    translations (:class:`~plaudit.core.translated_content.TranslatedContent`).
    """

    translated_fields = ("name", "description")

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50)
    description = models.TextField(blank=True)
    emoji = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CompanyValueQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(deleted_at__isnull=True),
                name="value_slug_unique",
                violation_error_message="Another company value already uses this slug.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.emoji} {self.name}".strip()


class RecognitionKind(models.TextChoices):
    PEER = "peer", "Peer recognition"
    BIRTHDAY = "birthday", "Birthday"
    ANNIVERSARY = "anniversary", "Work anniversary"


class Recognition(models.Model):
    """A thank-you from one person (or, for celebrations, the company) to 1-20 people."""

    kind = models.CharField(
        max_length=20, choices=RecognitionKind.choices, default=RecognitionKind.PEER
    )
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognitions_given",
        help_text="Empty for celebrations, which the company gives.",
    )
    message = models.TextField(validators=[MaxLengthValidator(MAX_MESSAGE_LENGTH)])
    values = models.ManyToManyField(CompanyValue, blank=True, related_name="recognitions")
    occasion = models.CharField(
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text="For celebrations, e.g. 'birthday:42:2026': each occasion is celebrated once.",
    )
    transaction = models.OneToOneField(
        "ledger.Transaction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The ledger transaction that moved the points; empty when no point moved.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="recognition_feed_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"


class AddOn(models.Model):
    """Someone joining an existing recognition with ``points`` for each of its recipients."""

    recognition = models.ForeignKey(Recognition, on_delete=models.PROTECT, related_name="add_ons")
    giver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveIntegerField(
        help_text="Points for each recipient.", validators=list(ADD_ON_POINTS_VALIDATORS)
    )
    transaction = models.OneToOneField(
        "ledger.Transaction", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recognition", "giver"],
                name="one_add_on_per_person",
                violation_error_message="You have already added points to this recognition.",
            ),
            models.CheckConstraint(
                condition=Q(points__gte=1),
                name="add_on_points_positive",
                violation_error_message="An add-on gives each recipient at least 1 point.",
            ),
        ]

    def __str__(self) -> str:
        return f"+{self.points} on #{self.recognition_id}"


class Award(models.Model):
    """Points one giver gave one recipient: a recognition's line, or an add-on's line.

    A recognition's recipients are its awards without an add-on. ``giver`` and
    ``created_at`` are copied from the recognition or add-on so reports group and
    filter this one table.
    """

    recognition = models.ForeignKey(Recognition, on_delete=models.PROTECT, related_name="awards")
    add_on = models.ForeignKey(
        AddOn, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards_given",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="awards_received"
    )
    points = models.PositiveIntegerField(validators=list(POINTS_EACH_VALIDATORS))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recognition", "id"]
        indexes = [
            models.Index(fields=["recipient", "created_at"]),
            models.Index(fields=["giver", "created_at"]),
            models.Index(fields=["created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recognition", "recipient"],
                condition=Q(add_on__isnull=True),
                name="recipient_once_per_recognition",
                violation_error_message="A recognition names each person once.",
            ),
            models.UniqueConstraint(
                fields=["add_on", "recipient"],
                condition=Q(add_on__isnull=False),
                name="recipient_once_per_add_on",
                violation_error_message="An add-on gives each person points once.",
            ),
            models.CheckConstraint(
                condition=~Q(giver=models.F("recipient")),
                name="award_not_to_self",
                violation_error_message="You cannot recognise yourself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.points} to {self.recipient_id} on #{self.recognition_id}"


class Comment(models.Model):
    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recognition_comments"
    )
    body = models.TextField(validators=[MaxLengthValidator(MAX_COMMENT_LENGTH)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["recognition", "created_at"])]

    def __str__(self) -> str:
        return f"Comment {self.pk} on #{self.recognition_id}"

    def removable_by(self, person: "User") -> bool:
        """Its author may take it back; HR admins may remove any (moderation)."""
        return self.author_id == person.pk or is_hr_admin(person)


class Reaction(models.Model):
    """An emoji on a recognition; one of each kind per person."""

    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recognition_reactions"
    )
    emoji = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recognition", "user", "emoji"],
                name="one_reaction_of_a_kind",
                violation_error_message="You have already reacted with this emoji.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.emoji} on #{self.recognition_id}"


class Occasion(models.TextChoices):
    BIRTHDAY = "birthday", "Birthday"
    ANNIVERSARY = "anniversary", "Work anniversary"


class CelebrationMilestone(models.Model):
    """How many points the company gives on an occasion; no row means no celebration.

    A birthday row has no ``years``. An anniversary row names its ``years``, or
    none to cover every anniversary that has no row of its own.
    """

    occasion = models.CharField(max_length=20, choices=Occasion.choices)
    years = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[AtLeast(1), AtMost(MAX_YEARS)]
    )
    points = models.PositiveIntegerField(validators=list(POINTS_EACH_VALIDATORS))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["occasion", "years", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["occasion"],
                condition=Q(years__isnull=True),
                name="one_default_milestone_per_occasion",
                violation_error_message="This occasion already has a milestone for these years.",
            ),
            models.UniqueConstraint(
                fields=["occasion", "years"],
                condition=Q(years__isnull=False),
                name="one_milestone_per_occasion_and_years",
                violation_error_message="This occasion already has a milestone for these years.",
            ),
            models.CheckConstraint(
                condition=~Q(occasion="birthday") | Q(years__isnull=True),
                name="birthday_milestone_has_no_years",
                violation_error_message="A birthday milestone has no years.",
            ),
            models.CheckConstraint(
                condition=Q(years__isnull=True) | Q(years__gte=1),
                name="milestone_years_positive",
                violation_error_message="An anniversary milestone is for 1 year or more.",
            ),
        ]

    def __str__(self) -> str:
        if self.occasion == Occasion.BIRTHDAY:
            return f"Birthday: {self.points} points"
        years = f"{self.years} years" if self.years else "any anniversary"
        return f"Work anniversary ({years}): {self.points} points"
