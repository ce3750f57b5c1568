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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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

    name = models.CharField(verbose_name=gettext_lazy("name"), max_length=100)
    slug = models.SlugField(verbose_name=gettext_lazy("slug"), max_length=50)
    description = models.TextField(verbose_name=gettext_lazy("description"), blank=True)
    emoji = models.CharField(verbose_name=gettext_lazy("emoji"), max_length=32, blank=True)
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=gettext_lazy("updated at"), auto_now=True)
    deleted_at = models.DateTimeField(
        verbose_name=gettext_lazy("deleted at"), null=True, blank=True, editable=False
    )

    objects = CompanyValueQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("company value")
        verbose_name_plural = gettext_lazy("company values")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(deleted_at__isnull=True),
                name="value_slug_unique",
                violation_error_message=gettext_lazy(
                    "Another company value already uses this slug."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.emoji} {self.name}".strip()


class RecognitionKind(models.TextChoices):
    PEER = "peer", gettext_lazy("Peer recognition")
    BIRTHDAY = "birthday", gettext_lazy("Birthday")
    ANNIVERSARY = "anniversary", gettext_lazy("Work anniversary")


class Recognition(models.Model):
    """A thank-you from one person (or, for celebrations, the company) to 1-20 people."""

    kind = models.CharField(
        max_length=20,
        choices=RecognitionKind.choices,
        default=RecognitionKind.PEER,
        verbose_name=gettext_lazy("kind"),
    )
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognitions_given",
        help_text=gettext_lazy("Empty for celebrations, which the company gives."),
        verbose_name=gettext_lazy("giver"),
    )
    message = models.TextField(
        verbose_name=gettext_lazy("message"), validators=[MaxLengthValidator(MAX_MESSAGE_LENGTH)]
    )
    values = models.ManyToManyField(
        CompanyValue, blank=True, related_name="recognitions", verbose_name=gettext_lazy("values")
    )
    occasion = models.CharField(
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "For celebrations, e.g. 'birthday:42:2026': each occasion is celebrated once."
        ),
        verbose_name=gettext_lazy("occasion"),
    )
    transaction = models.OneToOneField(
        "ledger.Transaction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=gettext_lazy(
            "The ledger transaction that moved the points; empty when no point moved."
        ),
        verbose_name=gettext_lazy("transaction"),
    )
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("recognition")
        verbose_name_plural = gettext_lazy("recognitions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="recognition_feed_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"


class AddOn(models.Model):
    """Someone joining an existing recognition with ``points`` for each of its recipients."""

    recognition = models.ForeignKey(
        Recognition,
        on_delete=models.PROTECT,
        related_name="add_ons",
        verbose_name=gettext_lazy("recognition"),
    )
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("giver"),
    )
    points = models.PositiveIntegerField(
        help_text=gettext_lazy("Points for each recipient."),
        validators=list(ADD_ON_POINTS_VALIDATORS),
        verbose_name=gettext_lazy("points"),
    )
    transaction = models.OneToOneField(
        "ledger.Transaction",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("transaction"),
    )
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("add on")
        verbose_name_plural = gettext_lazy("add ons")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recognition", "giver"],
                name="one_add_on_per_person",
                violation_error_message=gettext_lazy(
                    "You have already added points to this recognition."
                ),
            ),
            models.CheckConstraint(
                condition=Q(points__gte=1),
                name="add_on_points_positive",
                violation_error_message=gettext_lazy(
                    "An add-on gives each recipient at least 1 point."
                ),
            ),
        ]

    def __str__(self) -> str:
        # Translators: an add-on's points for each recipient, on a recognition's number.
        return _("+%(points)s on #%(recognition)s") % {
            "points": self.points,
            "recognition": self.recognition_id,
        }


class Award(models.Model):
    """Points one giver gave one recipient: a recognition's line, or an add-on's line.

    A recognition's recipients are its awards without an add-on. ``giver`` and
    ``created_at`` are copied from the recognition or add-on so reports group and
    filter this one table.
    """

    recognition = models.ForeignKey(
        Recognition,
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=gettext_lazy("recognition"),
    )
    add_on = models.ForeignKey(
        AddOn,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=gettext_lazy("add on"),
    )
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards_given",
        verbose_name=gettext_lazy("giver"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="awards_received",
        verbose_name=gettext_lazy("recipient"),
    )
    points = models.PositiveIntegerField(
        verbose_name=gettext_lazy("points"), validators=list(POINTS_EACH_VALIDATORS)
    )
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("award")
        verbose_name_plural = gettext_lazy("awards")
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
                violation_error_message=gettext_lazy("A recognition names each person once."),
            ),
            models.UniqueConstraint(
                fields=["add_on", "recipient"],
                condition=Q(add_on__isnull=False),
                name="recipient_once_per_add_on",
                violation_error_message=gettext_lazy("An add-on gives each person points once."),
            ),
            models.CheckConstraint(
                condition=~Q(giver=models.F("recipient")),
                name="award_not_to_self",
                violation_error_message=gettext_lazy("You cannot recognise yourself."),
            ),
        ]

    def __str__(self) -> str:
        # Translators: points to a person's id, on a recognition's number.
        return _("%(points)s to %(recipient)s on #%(recognition)s") % {
            "points": self.points,
            "recipient": self.recipient_id,
            "recognition": self.recognition_id,
        }


class Comment(models.Model):
    recognition = models.ForeignKey(
        Recognition,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=gettext_lazy("recognition"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="recognition_comments",
        verbose_name=gettext_lazy("author"),
    )
    body = models.TextField(
        verbose_name=gettext_lazy("body"), validators=[MaxLengthValidator(MAX_COMMENT_LENGTH)]
    )
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("comment")
        verbose_name_plural = gettext_lazy("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["recognition", "created_at"])]

    def __str__(self) -> str:
        return _("Comment %(id)s on #%(recognition)s") % {
            "id": self.pk,
            "recognition": self.recognition_id,
        }

    def removable_by(self, person: "User") -> bool:
        """Its author may take it back; HR admins may remove any (moderation)."""
        return self.author_id == person.pk or is_hr_admin(person)


class Reaction(models.Model):
    """An emoji on a recognition; one of each kind per person."""

    recognition = models.ForeignKey(
        Recognition,
        on_delete=models.CASCADE,
        related_name="reactions",
        verbose_name=gettext_lazy("recognition"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="recognition_reactions",
        verbose_name=gettext_lazy("user"),
    )
    emoji = models.CharField(verbose_name=gettext_lazy("emoji"), max_length=32)
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("reaction")
        verbose_name_plural = gettext_lazy("reactions")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recognition", "user", "emoji"],
                name="one_reaction_of_a_kind",
                violation_error_message=gettext_lazy("You have already reacted with this emoji."),
            )
        ]

    def __str__(self) -> str:
        return _("%(emoji)s on #%(recognition)s") % {
            "emoji": self.emoji,
            "recognition": self.recognition_id,
        }


class Occasion(models.TextChoices):
    BIRTHDAY = "birthday", gettext_lazy("Birthday")
    ANNIVERSARY = "anniversary", gettext_lazy("Work anniversary")


class CelebrationMilestone(models.Model):
    """How many points the company gives on an occasion; no row means no celebration.

    A birthday row has no ``years``. An anniversary row names its ``years``, or
    none to cover every anniversary that has no row of its own.
    """

    occasion = models.CharField(
        verbose_name=gettext_lazy("occasion"), max_length=20, choices=Occasion.choices
    )
    years = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[AtLeast(1), AtMost(MAX_YEARS)],
        verbose_name=gettext_lazy("years"),
    )
    points = models.PositiveIntegerField(
        verbose_name=gettext_lazy("points"), validators=list(POINTS_EACH_VALIDATORS)
    )
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=gettext_lazy("updated at"), auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("celebration milestone")
        verbose_name_plural = gettext_lazy("celebration milestones")
        ordering = ["occasion", "years", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["occasion"],
                condition=Q(years__isnull=True),
                name="one_default_milestone_per_occasion",
                violation_error_message=gettext_lazy(
                    "This occasion already has a milestone for these years."
                ),
            ),
            models.UniqueConstraint(
                fields=["occasion", "years"],
                condition=Q(years__isnull=False),
                name="one_milestone_per_occasion_and_years",
                violation_error_message=gettext_lazy(
                    "This occasion already has a milestone for these years."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(occasion="birthday") | Q(years__isnull=True),
                name="birthday_milestone_has_no_years",
                violation_error_message=gettext_lazy("A birthday milestone has no years."),
            ),
            models.CheckConstraint(
                condition=Q(years__isnull=True) | Q(years__gte=1),
                name="milestone_years_positive",
                violation_error_message=gettext_lazy(
                    "An anniversary milestone is for 1 year or more."
                ),
            ),
        ]

    def __str__(self) -> str:
        words = {"count": self.points, "years": self.years}
        if self.occasion == Occasion.BIRTHDAY:
            return (
                ngettext("Birthday: %(count)s point", "Birthday: %(count)s points", self.points)
                % words
            )
        if self.years:
            return (
                # Translators: a milestone's anniversary years, then the points it gives.
                ngettext(
                    "Work anniversary (%(years)s years): %(count)s point",
                    "Work anniversary (%(years)s years): %(count)s points",
                    self.points,
                )
                % words
            )
        return (
            ngettext(
                "Work anniversary (any anniversary): %(count)s point",
                "Work anniversary (any anniversary): %(count)s points",
                self.points,
            )
            % words
        )
